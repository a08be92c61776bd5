"""The built-in functions over columns: dates as day ordinals, through numpy's calendar."""
from __future__ import annotations

import datetime as dt

import numpy as np

from .. import ir
from .vals import CannotCompile, V, rescale

_ORD_EPOCH = dt.date(1970, 1, 1).toordinal()


def _days(c, v: V):
    data = np.asarray(v.data if v.const else c.arr(v), dtype=np.int64)
    return (data - _ORD_EPOCH).astype("datetime64[D]")


def builtin(c, e: ir.Builtin, env):
    from .compiler import _or

    args = [c.ev(a, env) for a in e.args]
    err = None
    for _, a_err in args:
        err = _or(err, a_err)
    from .compiler import _placeholder

    values = [_placeholder(v) for v, _ in args]
    const = all(v.const for v in values)
    name = e.function
    if name in ("year", "month", "day"):
        d = _days(c, values[0])
        if name == "year":
            data = d.astype("datetime64[Y]").astype(np.int64) + 1970
        elif name == "month":
            data = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
        else:
            data = (d - d.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
        return _out(data, "int", const), err
    if name == "month_start":
        d = _days(c, values[0]).astype("datetime64[M]").astype("datetime64[D]")
        return _out(d.astype(np.int64) + _ORD_EPOCH, "date", const), err
    if name in ("months", "years"):
        data = np.asarray(values[0].data if values[0].const else c.arr(values[0]), dtype=np.int64)
        return _out(data * (12 if name == "years" else 1), "dur", const), err
    if name == "days_between":
        a, b = (np.asarray(v.data if v.const else c.arr(v), dtype=np.int64) for v in values)
        return _out(b - a, "int", const), err
    if name == "date":
        y, m, d = (np.asarray(v.data if v.const else c.arr(v), dtype=np.int64) for v in values)
        ok = (m >= 1) & (m <= 12) & (d >= 1) & (y >= 1) & (y <= 9999)
        months = ((y - 1970) * 12 + np.clip(m, 1, 12) - 1).astype("timedelta64[M]")
        start = np.datetime64("1970-01", "M") + months
        day = start.astype("datetime64[D]") + (np.clip(d, 1, 31) - 1).astype("timedelta64[D]")
        ok = ok & (day.astype("datetime64[M]") == start)          # E561: no such day
        if not np.all(ok):
            bad = np.broadcast_to(~ok, (c.n,)) if np.ndim(ok) else np.full(c.n, True)
            err = _or(err, bad)
        return _out(day.astype(np.int64) + _ORD_EPOCH, "date", const), err
    if name in ("max", "min"):
        a, b = values
        if e.order is not None:
            raise CannotCompile("max/min of enum members", e.span)
        pick = np.maximum if name == "max" else np.minimum
        if a.kind == "fix" or b.kind == "fix":
            scale = max(a.scale, b.scale)
            return V(pick(rescale(a, scale), rescale(b, scale)), "fix", scale,
                     const=const), err
        left = a.data if a.const else c.arr(a)
        right = b.data if b.const else c.arr(b)
        return V(pick(left, right) if not const else pick(left, right).item(), a.kind,
                 const=const), err
    if name == "round":
        v = values[0]
        if v.scale <= 2:
            return V(v.data, "fix", v.scale, const=v.const), err
        q = 10 ** (v.scale - 2)
        data = np.asarray(v.data, dtype=np.int64)
        half = np.where(data >= 0, (data + q // 2) // q, -((-data + q // 2) // q))
        return V(half if not v.const else int(half), "fix", 2, const=v.const), err
    if name == "starts_with":
        text, prefix = values
        if prefix.const or text.const:
            # one side the same for everyone (a city of a listed parameter): ask each
            # distinct text of the other side once
            column, fixed = (text, prefix.data) if prefix.const else (prefix, text.data)
            codes, words = c.factorised(column)
            answers = np.fromiter(
                ((isinstance(w, str) and isinstance(fixed, str) and
                  (w.startswith(fixed) if prefix.const else fixed.startswith(w)))
                 for w in words), dtype=bool, count=len(words))
            return V(answers[codes], "bool"), err
        return V(_starts_with(c.arr(text), c.arr(prefix)), "bool"), err
    raise CannotCompile(f"the built-in {name}", e.span)


def _out(data, kind: str, const: bool) -> V:
    if const and np.ndim(data) == 0:
        return V(int(data), kind, const=True)
    return V(np.asarray(data), kind)


def _starts_with(texts, prefixes):
    """Per person: texts[i].startswith(prefixes[i]) (false where either is none), asked
    once per distinct pair: a population has few places."""
    codes, pairs = _pair_codes(texts, prefixes)
    answers = np.fromiter((isinstance(t, str) and isinstance(p, str) and t.startswith(p)
                           for t, p in pairs), dtype=bool, count=len(pairs))
    return answers[codes]


def _pair_codes(texts, prefixes):
    """(per person the index of its pair, the distinct (text, prefix) pairs)."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        found: dict = {}
        codes = np.fromiter((found.setdefault(pair, len(found)) for pair in
                             zip(texts, prefixes)), dtype=np.int64, count=len(texts))
        return codes, list(found)
    sides = []
    for values in (texts, prefixes):
        encoded = pc.dictionary_encode(pa.array(values, type=pa.string(), from_pandas=True))
        index = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        sides.append((index + 1, [None] + encoded.dictionary.to_pylist()))
    (t_index, t_words), (p_index, p_words) = sides
    distinct, codes = np.unique(t_index * len(p_words) + p_index, return_inverse=True)
    pairs = [(t_words[k // len(p_words)], p_words[k % len(p_words)]) for k in distinct.tolist()]
    return codes.reshape(-1), pairs


def factorise(values):
    """(per item the index of its value in `words`, words): a text column's distinct
    values, none included as None."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        found: dict = {}
        codes = np.fromiter((found.setdefault(v, len(found)) for v in values),
                            dtype=np.int64, count=len(values))
        return codes, list(found)
    encoded = pc.dictionary_encode(pa.array(values, type=pa.string(), from_pandas=True))
    words = encoded.dictionary.to_pylist() + [None]
    codes = encoded.indices.fill_null(len(words) - 1).to_numpy(zero_copy_only=False)
    return codes.astype(np.int64), words

