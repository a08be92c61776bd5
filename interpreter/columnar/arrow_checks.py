"""Which rows of an Arrow record batch (a Parquet file read in batches) the columns can
vouch for, checked a column at a time instead of a record at a time.

A row is vouched for when every value in it converts exactly as the record validator
(convert.py) would convert it, with nothing to report but warnings: typed columns in the
ranges the validator accepts, every required value there, enum members spelled as
declared, each history's entries in year order.  Every other row — a problem to report,
a value written in a way the checks do not read (money as text, a percent), anything in
doubt — goes the row way: converted to a mapping and validated as any record is, so that
its problems are reported exactly as from a JSON Lines file.  The checks may send a good
row the row way; they never vouch for a row the validator would refuse or read otherwise.

A null is a value left out, as in the row way (formats._without_nulls): an optional field
is then none, a field with a default takes its default, a required one is a problem.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..limits import (MAX_FRACTION_DIGITS, MAX_LIST_ITEMS, MAX_MAGNITUDE_DIGITS,
                      MAX_SIGNIFICANT_DIGITS,
                      MONEY_MAGNITUDE_DIGITS)
from ..types import (BOOL, DATE, DECIMAL, INT, MONEY, TEXT, EnumTy, HistoryTy, ListTy,
                     OptionalTy, RecordTy)
from .vals import MAX_SCALE

ORDINAL_OF_1970 = 719163             # dt.date(1970, 1, 1).toordinal(): date32 counts from it
LAST_ORDINAL = 3652059               # dt.date.max.toordinal()


class Unvouched(Exception):
    """A column of a type the checks do not read: every row of the batch goes the row way."""


def vouched_rows(batch: pa.RecordBatch, input_type: RecordTy, read_fields, kind: str,
                 kind_declared: bool) -> np.ndarray:
    """A mask of the rows the columns vouch for (see the module docstring)."""
    n = batch.num_rows
    columns = dict(zip(batch.schema.names, batch.columns))
    if len(columns) != batch.num_columns:
        return np.zeros(n, dtype=bool)          # two columns of one name: the row way says so
    try:
        ok = _id_ok(columns.get("id"), n)
        if not kind_declared and "kind" in columns:
            given = columns["kind"]
            if not pa.types.is_string(given.type) and given.null_count < n:
                raise Unvouched("kind")
            ok &= _filled(pc.equal(given, kind), True) if given.null_count < n else True
        required = frozenset(read_fields) | {"id"}
        ok &= _record_ok(columns, input_type, n, required.__contains__, skip={"id"})
    except Unvouched:
        return np.zeros(n, dtype=bool)
    return ok


def _id_ok(ids, n: int) -> np.ndarray:
    """An id is required text, not blank (R411, R419); one with spaces at either end goes
    the row way, which decides what counts as blank."""
    if ids is None:
        return np.zeros(n, dtype=bool)
    if not pa.types.is_string(ids.type):
        raise Unvouched("id")
    trimmed = pc.utf8_length(pc.utf8_trim_whitespace(ids))
    same = pc.and_(pc.equal(trimmed, pc.utf8_length(ids)), pc.greater(trimmed, 0))
    return _filled(same, False)


def _filled(mask, null_as: bool) -> np.ndarray:
    """A boolean Arrow array as numpy, a null as `null_as`."""
    return np.asarray(pc.fill_null(mask, null_as).to_numpy(zero_copy_only=False), dtype=bool)


def _nulls(arr, n: int) -> np.ndarray:
    if arr is None:
        return np.ones(n, dtype=bool)
    if arr.null_count == 0:
        return np.zeros(n, dtype=bool)
    return np.asarray(arr.is_null().to_numpy(zero_copy_only=False), dtype=bool)


def _record_ok(columns: dict, record: RecordTy, n: int, required, skip=()) -> np.ndarray:
    """Rows whose fields of `record` all convert; `columns` maps field names to arrays of
    n values (absent: every value left out).  Undeclared columns are the validator's
    warnings (R412), so they never make a row doubtful."""
    ok = np.ones(n, dtype=bool)
    for name, info in record.fields.items():
        if name in skip:
            continue
        arr = columns.get(name)
        null = _nulls(arr, n)
        optional = isinstance(info.ty, OptionalTy)
        if null.any() and not (optional or info.has_default) and required(name):
            ok &= ~null                                        # R410, by the row way
        if arr is None or null.all():
            continue
        inner = info.ty.inner if optional else info.ty
        ok &= _value_ok(arr, inner, n) | null
    return ok


def _value_ok(arr, ty, n: int) -> np.ndarray:
    """Rows whose value of type `ty` converts exactly (nulls: any answer; the caller
    decides what a value left out means)."""
    if isinstance(ty, HistoryTy):
        return _history_ok(arr, ty.record, n)
    if isinstance(ty, ListTy) and isinstance(ty.inner, RecordTy):
        return _list_ok(arr, ty.inner, n)
    if isinstance(ty, RecordTy):
        if not pa.types.is_struct(arr.type):
            raise Unvouched(ty.name)
        fields = dict(zip((arr.type.field(i).name for i in range(arr.type.num_fields)),
                          arr.flatten()))
        return _record_ok(fields, ty, n, lambda name: True)
    return scalar_ok(arr, ty)


def _items(arr, name: str, n: int):
    """A list<struct> column's (lengths per row, each item's row, the items, their fields
    by name); a column of another type cannot be vouched for."""
    if not (pa.types.is_list(arr.type) or pa.types.is_large_list(arr.type)) or \
            not pa.types.is_struct(arr.type.value_type):
        raise Unvouched(name)
    offsets = np.asarray(arr.offsets.to_numpy(zero_copy_only=False), dtype=np.int64)
    lengths = np.diff(offsets)
    items = arr.flatten()
    struct_type = items.type
    fields = dict(zip((struct_type.field(i).name for i in range(struct_type.num_fields)),
                      items.flatten()))
    return lengths, np.repeat(np.arange(n), lengths), items, fields


def _rows_all_good(person, good, lengths, n: int) -> np.ndarray:
    """Rows none of whose items failed, and not longer than the validator reads."""
    bad = np.bincount(person[~good], minlength=n) > 0 if len(good) else \
        np.zeros(n, dtype=bool)
    return ~bad & (lengths <= MAX_LIST_ITEMS)


def _history_ok(arr, record: RecordTy, n: int) -> np.ndarray:
    """A history: a list of entry structs, each with its year, in year order (a history
    out of order is valid but left to the interpreter: here, the row way)."""
    lengths, person, entries, fields = _items(arr, record.name, n)
    count = len(entries)
    good = ~_nulls(entries, count)                             # a null entry: R415
    if "year" not in record.fields:
        year = fields.get("year")
        if year is None or not pa.types.is_integer(year.type):
            raise Unvouched("year")
        good &= ~_nulls(year, count) & scalar_ok(year, INT)
    good &= _record_ok(fields, record, count, lambda name: True)
    years = fields["year"]
    if pa.types.is_integer(years.type) and count:
        y = np.asarray(pc.fill_null(years, 0).to_numpy(zero_copy_only=False), dtype=np.int64)
        same_person = person[1:] == person[:-1]
        good[1:] &= ~same_person | (y[1:] >= y[:-1])
    return _rows_all_good(person, good, lengths, n)


def _list_ok(arr, record: RecordTy, n: int) -> np.ndarray:
    """A list of records: a list of structs, none of them null, each record's fields
    converting (every field required, as the validator asks of an item)."""
    lengths, person, items, fields = _items(arr, record.name, n)
    count = len(items)
    good = ~_nulls(items, count) & _record_ok(fields, record, count, lambda name: True)
    return _rows_all_good(person, good, lengths, n)


def scalar_ok(arr, ty) -> np.ndarray:
    """Rows whose scalar value converts exactly as the validator converts it."""
    t, n = arr.type, len(arr)
    if isinstance(ty, EnumTy) or ty == TEXT:
        if pa.types.is_dictionary(t):
            arr, t = arr.dictionary_decode(), t.value_type
        if not (pa.types.is_string(t) or pa.types.is_large_string(t)):
            raise Unvouched(str(ty))
        if ty == TEXT:
            return np.ones(n, dtype=bool)
        return _filled(pc.is_in(arr, value_set=pa.array(list(ty.members), type=t)), True)
    if ty == BOOL:
        if not pa.types.is_boolean(t):
            raise Unvouched("bool")
        return np.ones(n, dtype=bool)
    if ty == INT:
        if not pa.types.is_integer(t):
            raise Unvouched("int")
        if t == pa.uint64():
            return _filled(pc.less_equal(arr, 2 ** 63 - 1), True)
        return np.ones(n, dtype=bool)
    if ty == DATE:
        if not pa.types.is_date32(t):
            raise Unvouched("date")
        days = pc.fill_null(arr.cast(pa.int32()), 0).to_numpy(zero_copy_only=False)
        ordinal = days.astype(np.int64) + ORDINAL_OF_1970
        return (ordinal >= 1) & (ordinal <= LAST_ORDINAL)
    if ty in (MONEY, DECIMAL):
        if pa.types.is_integer(t):
            if t == pa.uint64():
                raise Unvouched(str(ty))
            values = pc.fill_null(arr, 0).to_numpy(zero_copy_only=False).astype(np.int64)
            limit = 10 ** (MONEY_MAGNITUDE_DIGITS if ty == MONEY else MAX_MAGNITUDE_DIGITS)
            return np.abs(values) < limit
        if not pa.types.is_decimal128(t) or t.scale < 0 or t.scale > MAX_FRACTION_DIGITS:
            raise Unvouched(str(ty))
        unscaled, fits = decimal_unscaled(arr)
        ok = fits & (np.abs(unscaled) < 10 ** MAX_SIGNIFICANT_DIGITS)
        if ty == MONEY:
            ok &= np.abs(unscaled) < 10 ** min(18, MONEY_MAGNITUDE_DIGITS + t.scale)
            if t.scale > 2:
                ok &= unscaled % 10 ** (t.scale - 2) == 0            # whole cents (R423)
        elif t.scale > MAX_SCALE:
            return np.zeros(n, dtype=bool)        # beyond the columns: the interpreter's
        return ok
    raise Unvouched(str(ty))


def decimal_unscaled(arr) -> tuple[np.ndarray, np.ndarray]:
    """A decimal128 array's unscaled integers as int64, and where they fit in one (the
    rest are read as 0 and must not be vouched for).  Read from the array's buffer: its
    values are 16-byte little-endian two's complement integers."""
    n = len(arr)
    buffer = arr.buffers()[1]
    if buffer is None or n == 0:
        return np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool)
    words = np.frombuffer(buffer, dtype="<i8")[2 * arr.offset: 2 * (arr.offset + n)]
    low, high = words[0::2], words[1::2]
    fits = high == (low >> 63)
    valid = ~_nulls(arr, n)
    return np.where(valid & fits, low, 0).astype(np.int64), fits | ~valid
