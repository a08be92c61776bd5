"""Aggregates over columns: the years of a range, or the entries of a history, looped in
Python, each step over every person; error masks count an item only where the
interpreter would reach it (streak, any and all stop early; the others visit every item,
and evaluate `=> VALUE` only for the items chosen)."""
from __future__ import annotations

import numpy as np

from .. import ir
from ..limits import MAX_YEARS_IN_RANGE
from .vals import CannotCompile, V, constant, rescale

WIDEST = 300            # years one batch loops over; persons with a wider range go to the interpreter


def aggregate(c, e: ir.Aggregate, env):
    from .compiler import _and, _or

    n, kind = c.n, e.kind
    if e.order is not None:
        raise CannotCompile("min/max of enum members", e.span)
    if isinstance(e.source, ir.Years):
        low, l_err = c.ev(e.source.low, env)
        high, h_err = c.ev(e.source.high, env)
        err = _or(l_err, h_err)
        if low.data is None or high.data is None:     # every person's bound failed (masked)
            return _failed(n, kind), _or(err, np.ones(n, dtype=bool))
        lo = np.broadcast_to(np.asarray(low.data if low.const else c.arr(low), dtype=np.int64), (n,))
        hi = np.broadcast_to(np.asarray(high.data if high.const else c.arr(high), dtype=np.int64), (n,))
        err = _or(err, (hi - lo) >= MAX_YEARS_IN_RANGE)               # E570
        anchor = c.batch.as_of.year
        wide = (np.maximum(lo, anchor - WIDEST) > lo) | (hi > anchor + WIDEST)
        err = _or(err, wide & (hi >= lo))                             # left to the interpreter
        first, last = max(int(lo.min()), anchor - WIDEST), min(int(hi.max()), anchor + WIDEST)
        years = range(first, last + 1)
        items = [(y, V(y, "int", const=True), (lo <= y) & (y <= hi)) for y in years]
    elif not isinstance(e.source, ir.InputField) or \
            e.source.name not in c.batch.histories_declared():
        source, err = c.ev(e.source, env)
        if source.kind == "plist":                  # a list per person: its slots
            items = [(None, item, present) for item, present in source.data]
        elif source.data is None:                   # failed for everyone (masked)
            return _failed(n, kind), _or(err, np.ones(n, dtype=bool))
        elif source.kind != "list" or not source.const:
            raise CannotCompile("an aggregate over a list built per person", e.span)
        else:
            everyone = np.ones(n, dtype=bool)
            items = [(None, constant(item, None), everyone) for item in source.data]
    else:
        err = None
        entries = c.batch.history_items(e.source.name)
        if entries is None:
            raise CannotCompile("an aggregate over a list of records", e.span)
        # An item counts only for the persons that have it (`active`: every error and
        # choice below is masked by it), so it is bound as a record present for all: its
        # fields' E522 masks would be masked away anyway.
        items = [(y, V(None, "rec", fields=rec.fields), present) for y, rec, present in entries]
    if kind == "streak":
        items = items[::-1]

    def where(env_item):
        if e.where is None:
            return np.ones(n, dtype=bool), None
        w, w_err = c.ev(e.where, env_item)
        if w.const and w.data is not None and not w.data:
            return None, w_err                  # chosen for no one
        return (np.full(n, bool(w.data)) if w.const else c.arr(w).astype(bool)), w_err

    def scoped(item):
        local = dict(env)
        local[e.var] = item
        return local

    if kind in ("streak", "any", "all"):
        going = np.ones(n, dtype=bool)       # streak: not yet stopped; all: all held so far
        found = np.zeros(n, dtype=bool)      # any
        count = np.zeros(n, dtype=np.int64)
        for _, item, active in items:
            holds, w_err = where(scoped(item))
            if holds is None:
                if kind == "any" and w_err is None:
                    continue                    # chosen for no one, failing for no one
                holds = np.zeros(n, dtype=bool)
            if kind == "streak":
                visit = going & active
                err = _or(err, _and(w_err, visit))
                count += visit & holds
                going &= ~(active & ~holds)
            elif kind == "any":
                visit = active & ~found
                err = _or(err, _and(w_err, visit))
                found |= visit & holds
            else:
                visit = active & going
                err = _or(err, _and(w_err, visit))
                going &= ~(visit & ~holds)
        if kind == "streak":
            return V(count, "int"), err
        return V(found if kind == "any" else going, "bool"), err
    def chosen_values():
        """(value, persons choosing it) of each item `where` chooses for someone, in
        order; `=> VALUE` is evaluated (and fails) only for those persons."""
        nonlocal err
        for _, item, active in items:
            local = scoped(item)
            holds, w_err = where(local)
            err = _or(err, _and(w_err, active))
            if holds is None:
                continue
            chosen = active & holds
            if not chosen.any():
                continue
            if e.value is not None:
                value, v_err = c.ev(e.value, local)
                err = _or(err, _and(v_err, chosen))
            else:
                value = item
            yield value, chosen

    if kind == "collect":
        # the chosen items, in order, as slots: an item's slot keeps its place, present
        # only for the persons that chose it
        return V(list(chosen_values()), "plist"), err
    if kind == "count":
        count = np.zeros(n, dtype=np.int64)
        for _, item, active in items:
            holds, w_err = where(scoped(item))
            err = _or(err, _and(w_err, active))
            if holds is not None:
                count += active & holds
        return V(count, "int"), err
    # sum, min, max, first, last: the value of each chosen item
    total = None
    chosen_any = np.zeros(n, dtype=bool)
    for value, chosen in chosen_values():
        if total is None:
            total = value if kind != "sum" else _times(c, value, chosen)
        elif kind == "sum":
            total = _plus(c, total, _times(c, value, chosen))
        elif kind == "first":
            total = c.where(chosen & ~chosen_any, value, total)
        elif kind == "last":
            total = c.where(chosen, value, total)
        else:
            better = _better(c, value, total, kind)
            total = c.where(chosen & (~chosen_any | better), value, total)
        chosen_any |= chosen
    if kind == "sum":
        if total is None:
            return constant(_zero(e.sum_kind), None) if e.sum_kind != "decimal" else \
                V(0, "fix", 0, const=True), err
        return total, err
    if e.default is None:
        raise CannotCompile(f"{kind} without a default", e.span)
    fallback, d_err = c.ev(e.default, env)
    err = _or(err, _and(d_err, ~chosen_any))
    if total is None:
        return fallback, err
    return c.where(chosen_any, total, fallback), err


def _failed(n: int, kind: str) -> V:
    """A placeholder result where every person is already in error."""
    return V(np.zeros(n, dtype=bool if kind in ("any", "all") else np.int64),
             "bool" if kind in ("any", "all") else "int")


def _zero(sum_kind):
    from ..values import Duration
    return Duration(0) if sum_kind == "duration" else 0


def _times(c, value: V, chosen) -> V:
    """value where chosen, zero elsewhere."""
    data = value.data if not value.const else np.full(c.n, value.data)
    return V(np.where(chosen, data, 0), value.kind, value.scale)


def _plus(c, a: V, b: V) -> V:
    if a.kind == "fix" or b.kind == "fix":
        scale = max(a.scale, b.scale)
        return V(rescale(a, scale) + rescale(b, scale), "fix", scale)
    return V(a.data + b.data, a.kind)


def _better(c, value: V, total: V, kind: str):
    if value.kind == "fix" or total.kind == "fix":
        scale = max(value.scale, total.scale)
        a, b = rescale(value, scale), rescale(total, scale)
    else:
        a = value.data if not value.const else np.full(c.n, value.data)
        b = total.data if not total.const else np.full(c.n, total.data)
    return (a > b) if kind == "max" else (a < b)
