"""Decision tables over columns: each row's cells tested against the inputs for every
person at once, then the hit policy (unique, first, max, min, collect sum, otherwise) as
the interpreter applies it; two rows matching under `unique` (E590) and no row matching
without `otherwise` (E543) are error masks."""
from __future__ import annotations

import numpy as np

from .. import ir
from .vals import CannotCompile, V, none_mask, rescale


def table(c, body: ir.Table, env, span):
    from .errors import _and, _or, coded

    n = c.n
    order = {m: i for i, m in enumerate(body.order)} if body.order else None
    hits = []                                   # (row, match mask)
    err = None
    for row in body.rows:
        match = np.ones(n, dtype=bool)
        for cell in row.cells:
            match &= _cell(c, cell, env, span)
        hits.append((row, match))
    any_hit = np.zeros(n, dtype=bool)
    for _, match in hits:
        any_hit |= match
    results = []
    for row, match in hits:
        value, r_err = c.ev(row.result, env)
        results.append((row, match, value))
        chosen = match if body.hit in ("max", "min", "collect sum") else None
        err = _or(err, _and(r_err, chosen if chosen is not None else match))
    value = None
    if body.hit in ("unique", "first"):
        taken = np.zeros(n, dtype=bool)
        count = np.zeros(n, dtype=np.int64)
        for row, match, result in results:
            first = match & ~taken
            value = result if value is None else c.where(first, result, value)
            taken |= match
            count += match
        if body.hit == "unique":
            err = _or(err, coded(count > 1, "E590"))
    elif body.hit in ("max", "min"):
        taken = np.zeros(n, dtype=bool)
        best_key = np.zeros(n, dtype=np.int64)
        for row, match, result in results:
            key = _key(c, result, order)
            better = (key > best_key) if body.hit == "max" else (key < best_key)
            pick = match & (~taken | better)
            value = result if value is None else c.where(pick, result, value)
            best_key = np.where(pick, key, best_key)
            taken |= match
    elif body.hit == "collect sum":
        total = None
        for row, match, result in results:
            part = V(np.where(match, rescale(result, result.scale) if result.kind == "fix"
                              else c.arr(result), 0), result.kind, result.scale)
            total = part if total is None else _add(total, part)
        value = total
    else:
        raise CannotCompile(f"the hit policy {body.hit}", span)
    applies = any_hit.copy()
    if body.otherwise is not None:
        other, o_err = c.ev(body.otherwise, env)
        err = _or(err, _and(o_err, ~any_hit))
        value = other if value is None else c.where(any_hit, value, other)
        applies[:] = True
    elif body.hit == "collect sum":
        applies[:] = True
    if value is None:
        raise CannotCompile("a table without rows", span)
    return applies, value, np.zeros(n, dtype=bool), np.full(n, None, dtype=object), err


def _cell(c, cell: ir.CellTest, env, span):
    n = c.n
    given = env[cell.param]
    if cell.test == "any":
        return np.ones(n, dtype=bool)
    value = c.ev(cell.value, env)[0] if cell.value is not None else None
    high = c.ev(cell.high, env)[0] if cell.high is not None else None
    if (value is not None and not value.const) or (high is not None and not high.const):
        raise CannotCompile("a table cell computed per person", span)
    if given.kind == "plist" and cell.test in ("contains", "intersects"):
        # a list per person: some present item equal to the cell's value (contains) or to
        # one of the cell's values (intersects)
        wanted = [value.data] if cell.test == "contains" else list(value.data)
        found = np.zeros(n, dtype=bool)
        for item, present in given.data:
            if item.kind in ("rec", "plist"):
                raise CannotCompile("a table column over a list of records", span)
            data = c.arr(item)
            for w in wanted:
                found |= present & (data == w) & ~none_mask(n, item)
        return found
    if cell.test in ("contains", "intersects") or given.kind in ("list", "plist"):
        raise CannotCompile("a table column over a list", span)
    data = c.arr(given)
    absent = none_mask(n, given)
    if cell.test == "equal":
        if value.data is None:
            return absent
        return (np.asarray(_scaled(given, value, data) == _scaled(value, given, value.data))
                & ~absent)
    if cell.test == "one_of":
        return np.isin(data, np.array(list(value.data), dtype=object)) & ~absent
    key = {m: i for i, m in enumerate(cell.order)} if cell.order else None
    g = _keyed(data, key) if key else _scaled(given, value, data)
    v = key[value.data] if key else _scaled(value, given, value.data)
    if cell.test == "compare":
        op = {"==": np.equal, "!=": np.not_equal, "<": np.less, "<=": np.less_equal,
              ">": np.greater, ">=": np.greater_equal}[cell.op]
        return op(g, v) & ~absent
    h = key[high.data] if key else _scaled(high, given, high.data)
    return (v <= g) & (g <= h) & ~absent


def _scaled(a: V, b: V, data):
    """Data of `a` at the common scale of a and b (for exact comparison of amounts)."""
    if a.kind != "fix" and b.kind != "fix":
        return data
    return np.asarray(data, dtype=object if data is None else None) * \
        10 ** (max(a.scale, b.scale) - a.scale)


def _keyed(data, key: dict):
    """Each value's place in an order (-1 for a value outside it), asked once per
    distinct value."""
    from .builtins import factorise

    codes, words = factorise(data)
    places = np.array([key.get(w, -1) for w in words], dtype=np.int64)
    return places[codes]


def _key(c, result: V, order):
    if order is not None:
        return _keyed(c.arr(result), order)
    if result.kind == "fix":
        return np.broadcast_to(np.asarray(rescale(result, 12 if result.scale <= 12 else
                                                  result.scale)), (c.n,))
    return np.broadcast_to(np.asarray(c.arr(result)), (c.n,))


def _add(a: V, b: V) -> V:
    if a.kind == "fix" or b.kind == "fix":
        scale = max(a.scale, b.scale)
        return V(rescale(a, scale) + rescale(b, scale), "fix", scale)
    return V(a.data + b.data, a.kind)
