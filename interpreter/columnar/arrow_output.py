"""Outputs computed over a batch, as Arrow arrays of `yibao run`'s output columns — the
same values batch/formats.py's Writer makes from the interpreter's, without a Python
value per person: money as decimal128(18, 2), ints as int64, truth values as bool, dates
as date32, and anything else as text in eval's JSON form (made value by value).

A null is a person with no value: not applicable, none, an error (its code goes in the
output's error column), or left to the interpreter (the caller replaces those rows with
the interpreter's)."""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from ..batch.formats import arrow_type
from ..formatting import to_json
from ..types import BOOL, DATE, INT, MONEY, TEXT, EnumTy
from .arrow_checks import ORDINAL_OF_1970
from .vals import V

MONEY_TYPE = pa.decimal128(18, 2)


def output_array(outcome, n: int) -> pa.Array:
    v, ty = outcome.value, outcome.ty
    null = outcome.na | (outcome.codes != 0)
    if v.none is not None:
        null = null | np.broadcast_to(np.asarray(v.none, dtype=bool), (n,))
    if v.data is None or null.all():
        return pa.nulls(n, type=arrow_type(ty))
    data = np.broadcast_to(np.asarray(v.data), (n,))
    if ty == MONEY and v.kind == "fix":
        cents = _at_scale_2(data.astype(np.int64), v.scale, null)
        return money_array(cents, null)
    if ty == INT and v.kind == "int":
        return pa.array(data.astype(np.int64), type=pa.int64(), mask=null)
    if ty == BOOL and v.kind == "bool":
        return pa.array(data.astype(bool), type=pa.bool_(), mask=null)
    if ty == DATE and v.kind == "date":
        days = np.where(null, 0, data.astype(np.int64) - ORDINAL_OF_1970).astype(np.int32)
        return pa.array(days, type=pa.date32(), mask=null)
    if v.kind == "obj" and (ty == TEXT or isinstance(ty, EnumTy)):
        # texts and enum members are written as themselves (eval's JSON form)
        return pa.array(np.where(null, None, data), type=pa.string(), from_pandas=True)
    values = outcome.python()
    return pa.array([None if gone else to_json(x, ty) for x, gone in zip(values, null)],
                    type=arrow_type(ty))


def _at_scale_2(data: np.ndarray, scale: int, null) -> np.ndarray:
    """Whole cents; a value with more places than cents was left to the interpreter
    (E510), so only the persons with a value are exact here."""
    if scale == 2:
        return data
    if scale < 2:
        return data * 10 ** (2 - scale)
    return np.where(null, 0, data // 10 ** (scale - 2))


def money_array(cents: np.ndarray, null) -> pa.Array:
    """decimal128(18, 2) from whole cents: each value a 16-byte little-endian integer."""
    n = len(cents)
    words = np.empty((n, 2), dtype="<i8")
    words[:, 0] = np.where(null, 0, cents)
    words[:, 1] = words[:, 0] >> 63
    validity = pa.array(~np.asarray(null, dtype=bool)).buffers()[1] if null.any() else None
    return pa.Array.from_buffers(MONEY_TYPE, n, [validity, pa.py_buffer(words.tobytes())],
                                 null_count=int(np.count_nonzero(null)))


__all__ = ["output_array", "money_array", "V"]
