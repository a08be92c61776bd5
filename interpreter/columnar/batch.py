"""A batch of validated records as columns: one array per record field, and for each
history a column per entry field and year, with the persons that have an entry that
year.  Several entries in one year are layers: the first entry of each person that year,
then the second..., in their written order.  A person whose history is out of year order
is marked for the interpreter (`fallback`)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np

from .. import ir
from ..types import HistoryTy, ListTy, OptionalTy, RecordTy
from ..values import Duration, History
from .errors import _and, coded
from .vals import CannotCompile, V, constant, decimal_parts, kind_of

_MISSING = object()
MAX_SLOTS = 64          # items of one list the columns hold; a longer list: the interpreter


def column(values: list, ty, n: int):
    """A column of Python values (None or _MISSING where there is none) of static type
    `ty`: (V, missing mask, persons whose value the columns cannot hold)."""
    kind = kind_of(ty)
    missing = np.fromiter((v is _MISSING for v in values), dtype=bool, count=n)
    none = np.fromiter((v is None or v is _MISSING for v in values), dtype=bool, count=n)
    bad = np.zeros(n, dtype=bool)
    if kind == "bool":
        data = np.fromiter((bool(v) if v is not None and v is not _MISSING else False
                            for v in values), dtype=bool, count=n)
    elif kind == "int":
        data = np.fromiter((v if isinstance(v, int) else 0 for v in values), dtype=np.int64,
                           count=n)
    elif kind == "fix":
        parts = [decimal_parts(v) if isinstance(v, Decimal) else (0, 0) for v in values]
        bad |= np.fromiter((p is None for p in parts), dtype=bool, count=n)
        parts = [p or (0, 0) for p in parts]
        scale = max((p[1] for p in parts), default=0)
        data = np.fromiter((p[0] * 10 ** (scale - p[1]) for p in parts), dtype=np.int64,
                           count=n)
        return V(data, "fix", scale, none if none.any() else None), missing, bad
    elif kind == "date":
        data = np.fromiter((v.toordinal() if isinstance(v, dt.date) else 0 for v in values),
                           dtype=np.int64, count=n)
    elif kind == "dur":
        data = np.fromiter((v.months if isinstance(v, Duration) else 0 for v in values),
                           dtype=np.int64, count=n)
    elif kind == "obj":
        data = np.empty(n, dtype=object)
        data[:] = [None if v is _MISSING else v for v in values]
    else:
        raise CannotCompile(f"a record field of type {ty}")
    return V(data, kind, 0, none if none.any() else None), missing, bad


class Batch:
    def __init__(self, program: ir.Program, model, kind: str, records: list[dict],
                 as_of: dt.date):
        self.program, self.kind, self.records = program, kind, records
        self.n, self.as_of = len(records), as_of
        self.types = model.input_types[kind].fields
        self.input = program.kind(kind)
        self.defaults = dict(self.input.defaults)
        self.fallback = np.zeros(self.n, dtype=bool)
        self.fields: dict = {}
        self.histories: dict = {}

    # ------------------------------------------------------------ scalar fields
    def field(self, name: str, columns):
        if name in self.fields:
            return self.fields[name]
        info = self.types[name]
        ty = info.ty
        if isinstance(ty, HistoryTy):
            raise CannotCompile(f"the history {name} as a value")
        if isinstance(ty, ListTy):
            result = self._list(name, ty)
            self.fields[name] = result
            return result
        inner = ty.inner if isinstance(ty, OptionalTy) else ty
        if isinstance(inner, RecordTy):
            result = self._record_field(name, inner)
        else:
            v, missing, bad = self._scalar(name, inner)
            self.fallback |= bad
            err = None
            if missing.any():
                default = self.defaults.get(name)
                if default is not None:
                    d, d_err = columns.ev(default, {})
                    v = columns.where(missing, d, V(v.data, v.kind, v.scale,
                                                    v.none if v.none is not None else None))
                    err = _and(d_err, missing)
                elif name not in self.input.optional:
                    err = coded(missing, "E523")
            result = (v, err)
        self.fields[name] = result
        return result

    def _list(self, name: str, ty: ListTy):
        """A list of records as slots (V kind "plist"): the k-th slot holds each person's
        k-th item and the persons that have one.  A list left out takes its default,
        which must be empty; a person with more than MAX_SLOTS items goes to the
        interpreter."""
        if not isinstance(ty.inner, RecordTy):
            raise CannotCompile(f"the list {name} of {ty.inner}")
        err = self._list_default(name)
        items = [r.get(name) for r in self.records]
        lists = [v if isinstance(v, (tuple, list)) else () for v in items]
        longest = max((len(v) for v in lists), default=0)
        for i, v in enumerate(lists):
            if len(v) > MAX_SLOTS:
                self.fallback[i] = True
        slots = []
        for k in range(min(longest, MAX_SLOTS)):
            rows = {i: v[k] for i, v in enumerate(lists) if len(v) > k}
            index = np.fromiter(rows, dtype=np.int64, count=len(rows))
            rec, present = self._layer(name, ty.inner, None, rows, index)
            slots.append((V(None, "rec", fields=rec.fields), present))
        return V(slots, "plist"), err

    def _list_default(self, name: str):
        """A list field left out: its default (only [] is compiled), else E523."""
        missing = np.fromiter((name not in r for r in self.records), dtype=bool,
                              count=self.n) if self.records is not None else None
        return self._absent_list(name, missing)

    def _absent_list(self, name: str, missing):
        if missing is None or not missing.any():
            return None
        default = self.defaults.get(name)
        if default is None:
            return None if name in self.input.optional else coded(missing, "E523")
        if not (isinstance(default, ir.Const) and default.value == ()) and \
                not (isinstance(default, ir.ListOf) and not default.items):
            raise CannotCompile(f"the default of the list {name}")
        return None

    def _scalar(self, name: str, ty):
        """(V, missing mask, persons the columns cannot hold) of a top-level field."""
        return column([r.get(name, _MISSING) for r in self.records], ty, self.n)

    def _record_field(self, name: str, record: RecordTy):
        """An optional record (student): its fields as columns, none where it is none."""
        values = [r.get(name, _MISSING) for r in self.records]
        present = np.fromiter((isinstance(v, dict) for v in values), dtype=bool, count=self.n)
        fields = {}
        for field, info in record.fields.items():
            inner = [v.get(field, _MISSING) if isinstance(v, dict) else None for v in values]
            col, missing, bad = column(inner, info.ty, self.n)
            self.fallback |= bad | (missing & present)
            fields[field] = col
        return V(None, "rec", none=~present, fields=fields), None

    # ------------------------------------------------------------ histories
    def history(self, name: str):
        if name in self.histories:
            return self.histories[name]
        info = self.types.get(name)
        if info is None or not isinstance(info.ty, HistoryTy):
            raise CannotCompile(f"{name} is not a history")
        record = info.ty.record
        by_year: dict[tuple[int, int], dict] = {}       # (year, layer) -> {person: entry}
        for i, r in enumerate(self.records):
            history = r.get(name)
            entries = history.entries if isinstance(history, History) else ()
            years = [e.get("year") for e in entries]
            if years != sorted(years):
                self.fallback[i] = True            # out of year order: the interpreter's
                continue
            layer, previous = 0, None
            for entry in entries:
                layer = layer + 1 if entry["year"] == previous else 0
                previous = entry["year"]
                by_year.setdefault((entry["year"], layer), {})[i] = entry
        table: dict[int, list] = {}
        for year, layer in sorted(by_year):
            rows = by_year[(year, layer)]
            index = np.fromiter(rows, dtype=np.int64, count=len(rows))
            table.setdefault(year, []).append(self._layer(name, record, year, rows, index))
        self.histories[name] = table
        return table

    def _layer(self, name: str, record, year: int, rows: dict, index):
        """The entries of one year (the first of each person's entries that year, or the
        second...) as a record of columns over the batch, and the persons that have one."""
        present = np.zeros(self.n, dtype=bool)
        present[index] = True
        fields = {"year": V(year, "int", const=True)} if year is not None else {}
        for field, finfo in record.fields.items():
            # the persons with an entry this year, then spread over the batch
            some, some_missing, some_bad = column(
                [entry.get(field, _MISSING) for entry in rows.values()], finfo.ty, len(rows))
            col, missing, bad = _spread(some, some_missing, some_bad, index, self.n)
            self.fallback |= bad
            if missing.any():
                default = finfo.default
                if default is None:
                    self.fallback |= missing & present        # E523 in an entry
                else:
                    value = getattr(default, "value", _MISSING)
                    if value is _MISSING:
                        raise CannotCompile(f"the default of {name}.{field}")
                    col = _fill(col, missing, constant(value, finfo.ty))
            fields[field] = col
        return V(None, "rec", none=~present, fields=fields), present

    def histories_declared(self) -> set[str]:
        return {name for name, info in self.types.items() if isinstance(info.ty, HistoryTy)}

    def entry(self, name: str, year: int):
        """`name[year]`: (the entry, the persons with exactly one entry that year) — no
        entry is E520 and two are E521 in the interpreter, both error masks here."""
        layers = self.history(name).get(year)
        if layers:
            rec, present = layers[0]
            if len(layers) > 1:
                present = present & ~layers[1][1]
            return rec, present
        empty = np.zeros(self.n, dtype=bool)
        fields = {"year": V(year, "int", const=True)}
        for field, finfo in self.types[name].ty.record.fields.items():
            kind = kind_of(finfo.ty)
            fields[field] = V(None if kind == "rec" else (None if kind == "obj" else 0), kind,
                              none=True, const=True)
        return V(None, "rec", none=~empty, fields=fields), empty

    def several(self, name: str, year: int):
        """The persons with two entries or more that year."""
        layers = self.history(name).get(year)
        return layers[1][1] if layers and len(layers) > 1 else np.zeros(self.n, dtype=bool)

    def has_entry(self, name: str, year: int):
        """`exists name[year]`: the persons with at least one entry that year."""
        layers = self.history(name).get(year)
        return layers[0][1] if layers else np.zeros(self.n, dtype=bool)

    def history_items(self, name: str):
        """[(year, entry record, persons with it)] in the interpreter's order: the entries
        of a history sorted by year, several in one year in their written order."""
        return [(year, rec, present) for year, layers in self.history(name).items()
                for rec, present in layers]


def _spread(some: V, missing, bad, index, n: int):
    """A column of the persons at `index` as a column of all n persons (none elsewhere)."""
    dtype = object if some.kind == "obj" else some.data.dtype
    data = np.zeros(n, dtype=dtype) if dtype != object else np.full(n, None, dtype=object)
    data[index] = some.data
    none = np.ones(n, dtype=bool)
    none[index] = some.none if some.none is not None else False
    all_missing = np.zeros(n, dtype=bool)
    all_missing[index] = missing
    all_bad = np.zeros(n, dtype=bool)
    all_bad[index] = bad
    return V(data, some.kind, some.scale, none), all_missing, all_bad


def _fill(col: V, missing, value: V) -> V:
    """`col` with `value` (a constant: a field's default) where it was left out."""
    if value.data is None:              # a default of none: none there, the data kept
        none = missing if col.none is None else (col.none | missing)
        return V(col.data, col.kind, col.scale, none)
    if col.kind == "fix" or value.kind == "fix":
        scale = max(col.scale, value.scale)
        data = np.where(missing, value.data * 10 ** (scale - value.scale),
                        col.data * 10 ** (scale - col.scale))
        return V(data, "fix", scale, col.none & ~missing if col.none is not None else None)
    data = np.where(missing, value.data, col.data)
    return V(data, col.kind, 0, col.none & ~missing if col.none is not None else None)
