"""A batch of records read straight from Arrow columns: the rows arrow_checks.py vouched
for, as the same columns batch.py builds from validated records — without making a
Python value per field.

Every value here converts as the validator would (the checks said so), so the columns
hold what batch.py would have built from the records: money at scale 2 (whole cents),
decimals at their column's scale, dates as day ordinals, text and enum members as
Python strings.  A history's entries become layers of per-year columns, its list
offsets giving each entry's person.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..types import HistoryTy, OptionalTy, RecordTy
from .arrow_checks import ORDINAL_OF_1970, decimal_unscaled
from .batch import Batch, _fill
from .vals import CannotCompile, V, constant, kind_of


_NO_VALUE = object()


class ArrowBatch(Batch):
    def __init__(self, program, model, kind: str, batch: pa.RecordBatch, as_of):
        self.program, self.kind, self.records = program, kind, None
        self.n, self.as_of = batch.num_rows, as_of
        self.types = model.input_types[kind].fields
        self.input = program.kind(kind)
        self.defaults = dict(self.input.defaults)
        self.fallback = np.zeros(self.n, dtype=bool)
        self.fields: dict = {}
        self.histories: dict = {}
        self.columns = dict(zip(batch.schema.names, batch.columns))

    def _scalar(self, name: str, ty):
        info = self.types[name]
        v, missing = arrow_column(self.columns.get(name), ty, self.n, _absent_is_none(info))
        return v, missing, np.zeros(self.n, dtype=bool)

    def _record_field(self, name: str, record: RecordTy):
        arr = self.columns.get(name)
        if arr is None:
            return V(None, "rec", none=np.ones(self.n, dtype=bool), fields={
                field: V(None, kind_of(info.ty), none=True, const=True)
                for field, info in record.fields.items()}), None
        present = ~_null_mask(arr, self.n)
        children = _struct_fields(arr)
        fields = {}
        for field, info in record.fields.items():
            col, missing = arrow_column(children.get(field), info.ty, self.n,
                                        _absent_is_none(info))
            self.fallback |= missing & present
            fields[field] = col
        return V(None, "rec", none=~present, fields=fields), None

    def history(self, name: str):
        if name in self.histories:
            return self.histories[name]
        info = self.types.get(name)
        if info is None or not isinstance(info.ty, HistoryTy):
            raise CannotCompile(f"{name} is not a history")
        record = info.ty.record
        arr = self.columns.get(name)
        table: dict[int, list] = {}
        self.histories[name] = table
        if arr is None or len(arr.flatten()) == 0:
            return table
        offsets = np.asarray(arr.offsets.to_numpy(zero_copy_only=False), dtype=np.int64)
        person = np.repeat(np.arange(self.n), np.diff(offsets))
        entries = arr.flatten()
        count = len(entries)
        children = _struct_fields(entries)
        years = pc.fill_null(children["year"], 0).to_numpy(zero_copy_only=False) \
            .astype(np.int64)
        # the layer of each entry: 0 for a person's first entry of a year, 1 for a second...
        start = np.ones(count, dtype=bool)
        start[1:] = (person[1:] != person[:-1]) | (years[1:] != years[:-1])
        position = np.arange(count)
        layer = position - np.maximum.accumulate(np.where(start, position, 0))
        converted = {}
        for field, finfo in record.fields.items():
            converted[field] = arrow_column(children.get(field), finfo.ty, count,
                                            _absent_is_none(finfo))
        key = years * 1024 + np.minimum(layer, 1023)
        order = np.argsort(key, kind="stable")
        keys = key[order]
        bounds = np.flatnonzero(np.diff(keys)) + 1
        for group in np.split(order, bounds):
            year, depth = int(years[group[0]]), int(layer[group[0]])
            if depth >= 1023:
                raise CannotCompile(f"more than 1023 entries of {name} in one year")
            table.setdefault(year, []).append(
                self._group(name, record, converted, group, person[group], year))
        return table

    def _group(self, name: str, record, converted: dict, group, index, year):
        """Some entries of a list (`group`, one per person `index`) as a record of
        columns over the batch, and the persons that have one."""
        present = np.zeros(self.n, dtype=bool)
        present[index] = True
        fields = {"year": V(year, "int", const=True)} if year is not None else {}
        for field, finfo in record.fields.items():
            whole, whole_missing = converted[field]
            col, missing = _spread_entries(whole, whole_missing, group, index, self.n)
            if missing is not None:
                default = finfo.default
                if default is None:
                    self.fallback |= missing & present          # E523 in an entry
                else:
                    value = getattr(default, "value", _NO_VALUE)
                    if value is _NO_VALUE:
                        raise CannotCompile(f"the default of {name}.{field}")
                    col = _fill(col, missing, constant(value, finfo.ty))
            fields[field] = col
        return V(None, "rec", none=~present, fields=fields), present

    def _list(self, name: str, ty):
        """A list of records as slots (batch.py's _list), from a list<struct> column."""
        from .batch import MAX_SLOTS

        if not isinstance(ty.inner, RecordTy):
            raise CannotCompile(f"the list {name} of {ty.inner}")
        arr = self.columns.get(name)
        err = self._absent_list(name, _null_mask(arr, self.n))
        if arr is None or len(arr.flatten()) == 0:
            return V([], "plist"), err
        offsets = np.asarray(arr.offsets.to_numpy(zero_copy_only=False), dtype=np.int64)
        lengths = np.diff(offsets)
        self.fallback |= lengths > MAX_SLOTS
        person = np.repeat(np.arange(self.n), lengths)
        position = np.arange(len(person)) - (offsets[:-1] - offsets[0])[person]
        children = _struct_fields(arr.flatten())
        converted = {field: arrow_column(children.get(field), finfo.ty, len(person),
                                         _absent_is_none(finfo))
                     for field, finfo in ty.inner.fields.items()}
        slots = []
        for k in range(min(int(lengths.max()), MAX_SLOTS)):
            group = np.flatnonzero(position == k)
            rec, present = self._group(name, ty.inner, converted, group, person[group], None)
            slots.append((V(None, "rec", fields=rec.fields), present))
        return V(slots, "plist"), err


def _absent_is_none(info) -> bool:
    """A value left out is none (not missing) for an optional field with no default, as
    the validator gives None for it."""
    return isinstance(info.ty, OptionalTy) and not info.has_default


def _null_mask(arr, n: int) -> np.ndarray:
    if arr is None:
        return np.ones(n, dtype=bool)
    if arr.null_count == 0:
        return np.zeros(n, dtype=bool)
    return np.asarray(arr.is_null().to_numpy(zero_copy_only=False), dtype=bool)


def _struct_fields(arr) -> dict:
    t = arr.type
    return dict(zip((t.field(i).name for i in range(t.num_fields)), arr.flatten()))


def _spread_entries(whole: V, whole_missing, group, index, n: int):
    """The entries `group` of a column over all entries, as a column over the batch's n
    persons (person index[k] has entry group[k]; none for persons without one), and
    where a value was left out (None when nowhere)."""
    data = np.full(n, None, dtype=object) if whole.kind == "obj" else \
        np.zeros(n, dtype=whole.data.dtype)
    data[index] = whole.data[group]
    none = np.ones(n, dtype=bool)
    if whole.none is not None:
        none[index] = whole.none[group]
    else:
        none[index] = False
    missing = None
    if whole_missing.any():
        some = whole_missing[group]
        if some.any():
            missing = np.zeros(n, dtype=bool)
            missing[index] = some
    return V(data, whole.kind, whole.scale, none), missing


def arrow_column(arr, ty, n: int, absent_is_none: bool):
    """(V, missing) of an Arrow array of values that convert (arrow_checks vouched for
    them): a null is none where `absent_is_none`, else missing (its default applies)."""
    kind = kind_of(ty)
    inner = ty.inner if isinstance(ty, OptionalTy) else ty
    null = _null_mask(arr, n)
    missing = np.zeros(n, dtype=bool) if absent_is_none else null
    none = null if null.any() else None
    if arr is None:
        zero = None if kind == "obj" else 0
        data = np.full(n, zero, dtype=object) if kind == "obj" else np.zeros(n, dtype=np.int64)
        return V(data if kind != "bool" else data.astype(bool), kind, 2 if _money(inner) else 0,
                 none), missing
    t = arr.type
    if kind == "obj":
        # through a dictionary: a population has few distinct texts (places, schemes),
        # so each is made a Python string once and shared by every row that has it
        coded = arr if pa.types.is_dictionary(t) else pc.dictionary_encode(arr)
        words = np.empty(len(coded.dictionary) + 1, dtype=object)
        words[:-1] = coded.dictionary.to_pylist()
        index = _numpy(pc.fill_null(coded.indices, len(words) - 1)).astype(np.int64)
        return V(words[index], "obj", 0, none), missing
    if kind == "bool":
        return V(_numpy(pc.fill_null(arr, False)).astype(bool), "bool", 0, none), missing
    if kind == "int":
        return V(_numpy(pc.fill_null(arr, 0)).astype(np.int64), "int", 0, none), missing
    if kind == "date":
        days = _numpy(pc.fill_null(arr.cast(pa.int32()), 0)).astype(np.int64)
        return V(days + ORDINAL_OF_1970, "date", 0, none), missing
    if kind == "fix":
        if pa.types.is_integer(t):
            data, scale = _numpy(pc.fill_null(arr, 0)).astype(np.int64), 0
        else:
            data, _ = decimal_unscaled(arr)
            scale = t.scale
        if _money(inner):            # the validator quantizes money to whole cents
            data = data * 10 ** (2 - scale) if scale <= 2 else data // 10 ** (scale - 2)
            scale = 2
        return V(data, "fix", scale, none), missing
    raise CannotCompile(f"a column of type {ty}")


def _money(ty) -> bool:
    from ..types import MONEY
    return ty == MONEY


def _numpy(arr) -> np.ndarray:
    return np.asarray(arr.to_numpy(zero_copy_only=False))
