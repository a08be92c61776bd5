"""Column values: one numpy array per expression, over the persons of a batch.

kinds: bool; int (int64); fix (exact decimals as int64 scaled by 10^scale: money, percent,
decimal); date (day ordinals, int64); dur (whole months, int64); obj (text and enum
members, object arrays); rec (a record: its fields as columns); list (a constant list).
A value may be a constant (`const`: one Python value for every person, as years in a loop
are) or an array.  `none` marks the persons whose value is none (an optional value, or a
rule that is not applicable to them).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np

from ..types import (BOOL, DATE, DECIMAL, DURATION, INT, MONEY, PERCENT, TEXT, EnumTy, OptionalTy,
                     RecordTy, Ty)
from ..values import Duration

MAX_SCALE = 8                      # decimals beyond this are left to the interpreter
SAFE = 2 ** 62                     # beyond this an int64 result may have overflowed


class CannotCompile(Exception):
    """A construct the columnar engine does not compile; `span` says where."""

    def __init__(self, what: str, span=None):
        super().__init__(what)
        self.what, self.span = what, span


class V:
    __slots__ = ("data", "kind", "scale", "none", "const", "fields")

    def __init__(self, data, kind: str, scale: int = 0, none=None, const: bool = False,
                 fields: dict | None = None):
        self.data, self.kind, self.scale = data, kind, scale
        self.none, self.const, self.fields = none, const, fields


def kind_of(ty: Ty | None) -> str:
    if isinstance(ty, OptionalTy):
        ty = ty.inner
    if ty == BOOL:
        return "bool"
    if ty == INT:
        return "int"
    if ty in (MONEY, DECIMAL, PERCENT):
        return "fix"
    if ty == DATE:
        return "date"
    if ty == DURATION:
        return "dur"
    if ty == TEXT or isinstance(ty, EnumTy):
        return "obj"
    if isinstance(ty, RecordTy):
        return "rec"
    return "other"


def decimal_parts(value: Decimal) -> tuple[int, int] | None:
    """(integer, scale) with value = integer / 10^scale, or None beyond MAX_SCALE."""
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        return None
    scale = max(0, -exponent)
    if scale > MAX_SCALE:
        return None
    number = int(value.scaleb(scale))
    return number, scale


def constant(value, ty: Ty | None) -> V:
    """A Python value of static type `ty` as a constant column value."""
    if value is None:
        return V(None, kind_of(ty), none=True, const=True)
    kind = kind_of(ty)
    if isinstance(value, tuple):
        return V(value, "list", const=True)
    if kind == "fix" or isinstance(value, Decimal):
        parts = decimal_parts(Decimal(value))
        if parts is None:
            raise CannotCompile(f"the decimal {value} has more than {MAX_SCALE} places")
        return V(parts[0], "fix", parts[1], const=True)
    if kind == "date" or isinstance(value, dt.date):
        return V(value.toordinal(), "date", const=True)
    if isinstance(value, Duration):
        return V(value.months, "dur", const=True)
    if isinstance(value, bool):
        return V(value, "bool", const=True)
    if isinstance(value, int):
        return V(value, "int", const=True)
    return V(value, "obj", const=True)


def rescale(v: V, scale: int):
    """The data of a fixed-point value at a larger scale."""
    if scale == v.scale:
        return v.data
    factor = 10 ** (scale - v.scale)
    return v.data * factor


def full(n: int, v: V):
    """The data of `v` as an array of n persons."""
    if v.const or np.ndim(v.data) == 0:
        dtype = object if v.kind in ("obj", "rec", "list") else None
        return np.full(n, v.data, dtype=dtype)
    return v.data


def none_mask(n: int, v: V):
    if v.none is None:
        return np.zeros(n, dtype=bool)
    if np.ndim(v.none) == 0:
        return np.full(n, bool(v.none))
    return v.none
