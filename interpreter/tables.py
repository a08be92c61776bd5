"""Decision tables: what a cell means, one matching function for evaluation and analysis,
and the static analysis of a table (overlaps under `unique`, gaps, rows that never apply).

A cell's meaning depends on the types of its column and its value, fixed at check time:

| column type | cell value type | test            | written        |
|-------------|-----------------|-----------------|----------------|
| T           | T               | input == value  | `特困人员`      |
| T           | list of T       | input in value  | `[孤儿, 特困人员]` |
| list of T   | T               | value in input  | `特困人员`      |
| list of T   | list of T       | they intersect  | `[孤儿, 特困人员]` |
| ordered T   | `>= v` etc.     | comparison      | `>= 2017`      |
| ordered T   | `a .. b`        | a <= input <= b | `2016 .. 2020` |
| any         | `-`             | always          | `-`            |
"""
from __future__ import annotations

import datetime as dt
import itertools
import operator
from decimal import Decimal

from . import nodes
from .diagnostics import Diagnostic
from .types import (BOOL, DATE, DECIMAL, INT, MONEY, PERCENT, TEXT, EnumTy, ListTy, OptionalTy,
                    Ty, assignable, strip_optional)

ORDERED_COLUMNS = (INT, DECIMAL, MONEY, PERCENT, DATE)
COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
           ">": operator.gt, ">=": operator.ge}
MAX_CASES = 50_000      # input combinations the analysis is willing to try
MAX_SUBSET_MEMBERS = 10  # a list-of-enum column is analysed over all subsets up to this size


def cell_test(cell: nodes.Cell, column: Ty, value_ty: Ty | None) -> str | None:
    """The test a cell performs (see the module table), or None if the types do not fit."""
    if cell.kind == "any":
        return "any"
    col = strip_optional(column)
    if cell.kind in ("compare", "range"):
        return cell.kind if col in ORDERED_COLUMNS or isinstance(col, EnumTy) else None
    if value_ty is None:
        return None
    if isinstance(col, ListTy):
        if isinstance(value_ty, ListTy) and (value_ty.inner == col.inner or
                                              assignable(value_ty.inner, col.inner)):
            return "intersects"
        return "contains" if assignable(value_ty, col.inner) else None
    if isinstance(value_ty, ListTy) and assignable(value_ty.inner, col):
        return "one_of"
    return "equal" if assignable(value_ty, column) or assignable(value_ty, col) else None


def ordinal(column: Ty):
    """A sort key for ordered values; enums are ordered by declaration."""
    col = strip_optional(column)
    if isinstance(col, EnumTy):
        index = {m: i for i, m in enumerate(col.members)}
        return lambda v: index.get(v, -1)
    return None


def matches(test: str, op: str | None, key, given, value, high=None) -> bool:
    """Does input `given` pass a cell whose test is `test` with constant(s) `value`, `high`?"""
    if test == "any":
        return True
    if test == "equal":
        return given == value
    if test == "one_of":
        return given in value
    if test == "contains":
        return value in given
    if test == "intersects":
        return any(v in given for v in value)
    if given is None:
        return False
    if key is not None:
        given, value = key(given), key(value)
        high = key(high) if high is not None else None
    if test == "compare":
        return COMPARE[op](given, value)
    return value <= given <= high


# ---------------------------------------------------------------- analysis
def representatives(column: Ty, constants: list) -> list | None:
    """A finite set of inputs that meets every distinction the cells of a column make, or
    None if the column cannot be enumerated."""
    optional = isinstance(column, OptionalTy)
    col = strip_optional(column)
    if col == BOOL:
        values = [True, False]
    elif isinstance(col, EnumTy):
        values = list(col.members)
    elif isinstance(col, ListTy) and isinstance(col.inner, EnumTy):
        members = col.inner.members
        if len(members) > MAX_SUBSET_MEMBERS:
            return None
        values = [tuple(c) for r in range(len(members) + 1)
                  for c in itertools.combinations(members, r)]
    elif col in (INT, DATE, MONEY, DECIMAL, PERCENT):
        step = {INT: 1, DATE: dt.timedelta(days=1)}.get(col, Decimal("0.01"))
        points = set()
        for c in constants:
            points.update((c - step, c, c + step))
        values = sorted(points) or [0 if col == INT else None]
        if values == [None]:
            return None
    elif col == TEXT:
        values = sorted(set(constants)) + ["(其他)"]
    else:
        return None
    return values + [None] if optional else values


def describe(params, vector) -> str:
    def show(v):
        if isinstance(v, tuple):
            return "[" + ", ".join(map(str, v)) + "]"
        if v is None:
            return "none"
        return str(v).lower() if isinstance(v, bool) else str(v)
    return ", ".join(f"{p.name} = {show(v)}" for p, v in zip(params, vector))


def analyse(table: nodes.TableDecl, columns: list[Ty], cells: list[list[tuple]],
            diags: list[Diagnostic]) -> None:
    """Report overlaps under `unique`, gaps without `otherwise`, and rows that never apply.

    `cells[r][c]` is (test, op, key, value, high) with constant values, as for `matches`."""
    constants: list[list] = [[] for _ in columns]
    for row in cells:
        for c, (test, op, key, value, high) in enumerate(row):
            if test == "any":
                continue
            for v in (value if isinstance(value, tuple) else (value,)) + (
                    (high,) if high is not None else ()):
                if v is not None:
                    constants[c].append(v)
    domains = [representatives(col, consts) for col, consts in zip(columns, constants)]
    if any(d is None for d in domains):
        return
    size = 1
    for d in domains:
        size *= len(d)
    if size > MAX_CASES:
        return
    fired = [False] * len(table.rows)
    overlaps: set[tuple[int, int]] = set()
    gap_reported = False
    for vector in itertools.product(*domains):
        hits = [r for r, row in enumerate(cells)
                if all(matches(t, op, key, given, value, high)
                       for (t, op, key, value, high), given in zip(row, vector))]
        if table.hit == "first":
            if hits:
                fired[hits[0]] = True
        else:
            for r in hits:
                fired[r] = True
        if table.hit == "unique":
            for a, b in itertools.combinations(hits, 2):
                if (a, b) not in overlaps:
                    overlaps.add((a, b))
                    diags.append(Diagnostic.error(
                        "Y230", table.rows[b].span, table=table.name, first=table.rows[a].name,
                        second=table.rows[b].name, example=describe(table.params, vector)))
        if not hits and table.otherwise is None and table.hit != "collect sum" \
                and not gap_reported:
            gap_reported = True
            diags.append(Diagnostic.warning("Y231", table.name_span, table=table.name,
                                            example=describe(table.params, vector)))
    for r, row in enumerate(table.rows):
        if not fired[r]:
            code = "Y233" if table.hit == "first" else "Y232"
            diags.append(Diagnostic.warning(code, row.span, table=table.name, row=row.name))
