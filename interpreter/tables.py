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
from bisect import bisect_left, bisect_right
from decimal import Decimal

from . import nodes
from .diagnostics import Diagnostic
from .words import Words
from .limits import MAX_TABLE_FINDINGS
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
    if given is None:   # an absent value passes only `-` and `none` cells
        return False
    if test == "contains":
        return value in given
    if test == "intersects":
        return any(v in given for v in value)
    if key is not None:
        given, value = key(given), key(value)
        high = key(high) if high is not None else None
    if test == "compare":
        return COMPARE[op](given, value)
    return value <= given <= high


# ---------------------------------------------------------------- analysis
# The analysis tries every combination of representative inputs (one per column), but
# never row by row: for each column and representative value it keeps the set of rows
# whose cell matches, as the bits of one Python int, and a combination's matching rows are
# the AND of its columns' sets.  A 1000-row table is a few thousand ANDs of 1000-bit ints.

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
        values = sorted(set(constants)) + [OTHER_TEXT]
    else:
        return None
    return values + [None] if optional else values


class _OtherText:
    """The representative of every text a table's cells do not name ("some other text"):
    one object, equal only to itself, so no text a policy or record holds can be taken for
    it.  Messages word it in the reader's language (word.other_text)."""
    __slots__ = ()

    def __repr__(self) -> str:
        return "OTHER_TEXT"


OTHER_TEXT = _OtherText()


def describe(params, vector) -> Words:
    """An input combination for a message (`years = 3, held = [孤儿]`), as words, since an
    "other text" is worded in the reader's language."""
    def show(v):
        if isinstance(v, tuple):
            return "[" + ", ".join(map(str, v)) + "]"
        if v is None:
            return "none"
        return str(v).lower() if isinstance(v, bool) else str(v)
    return Words(tuple(("word.other_text", f"{p.name} = ") if v is OTHER_TEXT
                       else ("", f"{p.name} = {show(v)}") for p, v in zip(params, vector)))


def analyse(table: nodes.TableDecl, columns: list[Ty], cells: list[list[tuple]],
            diags: list[Diagnostic]) -> None:
    """Report overlaps under `unique`, gaps without `otherwise`, and rows that never apply;
    at most MAX_TABLE_FINDINGS of each kind are listed, then a count of the rest.

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
    try:
        matching = [_column_matches(domain, [row[c] for row in cells])
                    for c, domain in enumerate(domains)]
    except TypeError:   # constants of a type the column cannot hold: a type error elsewhere
        return
    everyone = (1 << len(cells)) - 1
    fired = 0
    listed: list[tuple[int, int]] = []
    overlap_found = False
    gap_reported = table.otherwise is not None or table.hit == "collect sum"
    for picked, hits in _combinations(domains, matching, everyone):
        if not hits:
            if not gap_reported:
                gap_reported = True
                diags.append(Diagnostic.warning("Y231", table.name_span, table=table.name,
                                                example=describe(table.params, _values(
                                                    domains, picked))))
            continue
        fired |= (hits & -hits) if table.hit == "first" else hits
        if table.hit == "unique" and hits & (hits - 1):
            overlap_found = True
            for a, b in _first_pairs(hits, listed, MAX_TABLE_FINDINGS - len(listed)):
                listed.append((a, b))
                diags.append(Diagnostic.error(
                    "Y230", table.rows[b].span, table=table.name, first=table.rows[a].name,
                    second=table.rows[b].name,
                    example=describe(table.params, _values(domains, picked))))
    if overlap_found and len(listed) >= MAX_TABLE_FINDINGS:
        rest = _overlapping_pairs(domains, matching, cells) - len(listed)
        if rest > 0:
            diags.append(Diagnostic.error("Y238", table.name_span, table=table.name, count=rest,
                                          limit=MAX_TABLE_FINDINGS))
    never = [r for r in range(len(cells)) if not fired >> r & 1]
    code = "Y233" if table.hit == "first" else "Y232"
    for r in never[:MAX_TABLE_FINDINGS]:
        diags.append(Diagnostic.warning(code, table.rows[r].span, table=table.name,
                                        row=table.rows[r].name))
    if len(never) > MAX_TABLE_FINDINGS:
        diags.append(Diagnostic.warning("Y239", table.name_span, table=table.name,
                                        count=len(never) - MAX_TABLE_FINDINGS,
                                        limit=MAX_TABLE_FINDINGS))


def _values(domains, picked) -> tuple:
    return tuple(domain[i] for domain, i in zip(domains, picked))


def _column_matches(domain: list, column_cells: list[tuple]) -> list[int]:
    """For each representative value of one column, the rows (as bits) whose cell in that
    column matches it.  Rows with the same cell are worked out once; a comparison or a
    range over an ordered column matches a run of the sorted values, found by bisection."""
    by_cell: dict[tuple, int] = {}
    for r, (test, op, key, value, high) in enumerate(column_cells):
        signature = (test, op, value, high)
        by_cell[signature] = by_cell.get(signature, 0) | (1 << r)
    key = _column_key(column_cells)
    plain = [v for v in domain if v is not None]        # sorted, when the column is ordered
    keys = [key(v) for v in plain] if key is not None else plain
    where = _positions(domain)
    starts = [0] * (len(domain) + 1)   # rows whose run of matching values starts here
    ends = [0] * (len(domain) + 1)     # ... and ends just before here
    points = [0] * len(domain)
    for (test, op, value, high), rows in by_cell.items():
        runs = _runs(test, op, value, high, key, keys, where, domain)
        for low, stop in runs:
            if stop - low == 1:
                points[low] |= rows
            elif stop > low:
                starts[low] |= rows
                ends[stop] |= rows
    matching, current = [], 0
    for i in range(len(domain)):
        current = (current & ~ends[i]) | starts[i]
        matching.append(current | points[i])
    return matching


def _column_key(column_cells: list[tuple]):
    """The ordering key of a column (enums: declaration order), from any cell giving it."""
    return next((cell[2] for cell in column_cells if cell[2] is not None), None)


def _runs(test, op, value, high, key, keys, where, domain) -> list[tuple[int, int]]:
    """The positions in `domain` a cell matches, as half-open runs [low, stop)."""
    if test == "any":
        return [(0, len(domain))]
    if test in ("equal", "one_of") and _hashable(value):
        wanted = value if test == "one_of" else (value,)
        found = sorted({i for v in wanted for i in where.get(v, ())})
        return [(i, i + 1) for i in found]
    if test in ("compare", "range") and value is not None and (high is not None or
                                                              test == "compare"):
        low_key = key(value) if key is not None else value
        first, after = bisect_left(keys, low_key), bisect_right(keys, low_key)
        if test == "range":
            stop = bisect_right(keys, key(high) if key is not None else high)
            return [(first, max(first, stop))]
        return {"==": [(first, after)], "!=": [(0, first), (after, len(keys))],
                "<": [(0, first)], "<=": [(0, after)], ">": [(after, len(keys))],
                ">=": [(first, len(keys))]}[op]
    # contains / intersects over the subsets of a list column: a few thousand at most
    return [(i, i + 1) for i, given in enumerate(domain)
            if matches(test, op, key, given, value, high)]


def _positions(domain: list) -> dict:
    """Each representative value -> the positions it has in the domain."""
    where: dict = {}
    for i, v in enumerate(domain):
        where.setdefault(v, []).append(i)
    return where


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _combinations(domains: list[list], matching: list[list[int]], everyone: int):
    """Every combination of representative values, in the order of itertools.product, as
    (positions, matching rows).  Once no row matches a prefix, its combinations are given
    as one: the first of them, with no rows."""
    count = len(domains)
    if count == 0:
        yield (), everyone
        return
    picked = [0] * count
    partial = [everyone] + [0] * count     # partial[c]: rows matching the first c columns
    column = 0
    while True:
        hits = partial[column] & matching[column][picked[column]]
        if hits and column + 1 < count:
            partial[column + 1] = hits
            column += 1
            continue
        yield tuple(picked[:column + 1]) + (0,) * (count - column - 1), hits
        # Next combination: advance the deepest column that has values left.
        while True:
            picked[column] += 1
            if picked[column] < len(domains[column]):
                break
            picked[column] = 0
            column -= 1
            if column < 0:
                return


def _bits(mask: int):
    """The positions of the set bits of `mask`, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _first_pairs(hits: int, listed: list[tuple[int, int]], wanted: int):
    """Up to `wanted` pairs of rows in `hits`, in order, that are not listed yet."""
    if wanted <= 0:
        return
    known = set(listed)
    for a in _bits(hits):
        for b in _bits(hits >> (a + 1) << (a + 1)):
            if (a, b) not in known:
                yield a, b
                wanted -= 1
                if wanted == 0:
                    return


def _overlapping_pairs(domains, matching, cells) -> int:
    """How many pairs of rows both match some combination of inputs.

    Two rows overlap when, in every column, some representative value matches both.  So
    the rows that can overlap row r are, per column, the OR of the matching sets of the
    values r's cell matches, ANDed over the columns.  The OR over a run of values is a
    range query, answered for all rows at once (_range_ors)."""
    partners = [(1 << len(cells)) - 1] * len(cells)
    for c, domain in enumerate(domains):
        key = _column_key([row[c] for row in cells])
        plain = [v for v in domain if v is not None]
        keys = [key(v) for v in plain] if key is not None else plain
        where = _positions(domain)
        signatures: dict[tuple, list[int]] = {}
        for r, row in enumerate(cells):
            test, op, _, value, high = row[c]
            signatures.setdefault((test, op, value, high), []).append(r)
        queries, owners = [], []
        for s, ((test, op, value, high), rows) in enumerate(signatures.items()):
            for low, stop in _runs(test, op, value, high, key, keys, where, domain):
                if stop > low:
                    queries.append((low, stop))
                    owners.append(s)
        reachable = [0] * len(signatures)
        for s, found in zip(owners, _range_ors(matching[c], queries)):
            reachable[s] |= found
        for s, rows in enumerate(signatures.values()):
            for r in rows:
                partners[r] &= reachable[s]
    return sum((mask >> (r + 1)).bit_count() for r, mask in enumerate(partners))


def _range_ors(values: list[int], queries: list[tuple[int, int]]) -> list[int]:
    """For each half-open run [low, stop) of `values`, the OR of its values.

    Divide and conquer without recursion: a run that crosses the middle of a stretch is the
    OR of a suffix of its left half and a prefix of its right half; the others go down."""
    answers = [0] * len(queries)
    pending = [(0, len(values), list(range(len(queries))))]
    while pending:
        lo, hi, asked = pending.pop()
        if not asked:
            continue
        if hi - lo == 1:
            for q in asked:
                answers[q] = values[lo]
            continue
        mid = (lo + hi) // 2
        left, right, crossing = [], [], []
        for q in asked:
            low, stop = queries[q]
            (left if stop <= mid else right if low >= mid else crossing).append(q)
        if crossing:
            suffix = _running_ors(values, range(mid - 1, lo - 1, -1),
                                  {queries[q][0] for q in crossing})
            prefix = _running_ors(values, range(mid, hi), {queries[q][1] - 1 for q in crossing})
            for q in crossing:
                low, stop = queries[q]
                answers[q] = suffix[low] | prefix[stop - 1]
        pending.append((lo, mid, left))
        pending.append((mid, hi, right))
    return answers


def _running_ors(values: list[int], positions, wanted: set[int]) -> dict[int, int]:
    """The OR of values along `positions` so far, kept at the positions in `wanted`."""
    kept, acc = {}, 0
    remaining = len(wanted)
    for i in positions:
        acc |= values[i]
        if i in wanted:
            kept[i] = acc
            remaining -= 1
            if remaining == 0:
                break
    return kept
