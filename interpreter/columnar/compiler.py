"""The IR evaluated a column at a time: every expression over all persons of a batch.

Each IR node gives a column value (vals.V) and an error mask: the persons for whom the
interpreter would raise at that node (a missing history year, a parameter not in force, a
date off the calendar, ...).  Masks follow the interpreter's order of evaluation exactly —
the right side of `and` counts only where the left is true, an aggregate's item only if
the interpreter reaches it — so a person without an error mask gets, from the columns,
the interpreter's value.  Persons with a mask are not answered here: engine.py gives
them to the interpreter, which raises the error itself.  Years are looped in Python, each
step over all persons at once; rules are memoised per (rule, constant arguments).

A construct not compiled here (lists of records, division, collect) raises
CannotCompile at compile time, with its place, and the engine runs the policy on the
interpreter instead: never a wrong answer.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import operator

import numpy as np

from .. import ir
from ..results import EvalError
from .errors import AMBIGUOUS, ERROR_CODES, _and, _or, _then, codes_of, coded  # noqa: F401
from .vals import SAFE, CannotCompile, V, constant, full, kind_of, none_mask, rescale

_ORD_EPOCH = dt.date(1970, 1, 1).toordinal()
_MAX_ORDINAL = dt.date.max.toordinal()


_LEAVES = (ir.Const, ir.Local, ir.AsOf, ir.BenefitYear)
_PY_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
               ">": operator.gt, ">=": operator.ge}
_FREE: dict[int, tuple] = {}          # id(node) -> (node, the locals it reads)


def free_locals(e) -> frozenset:
    """The local names (rule parameters, aggregate variables) an expression reads."""
    known = _FREE.get(id(e))
    if known is not None and known[0] is e:
        return known[1]
    if isinstance(e, ir.Local):
        found = frozenset((e.name,))
    else:
        found = frozenset()
        for f in dataclasses.fields(e):
            value = getattr(e, f.name)
            for part in value if isinstance(value, tuple) else (value,):
                if isinstance(part, (ir.Expr, ir.Years)):
                    found |= free_locals(part)
        if isinstance(e, ir.Aggregate):
            bound = free_locals(e.source) if not isinstance(e.source, ir.Years) else \
                free_locals(e.source)
            inner = frozenset()
            for part in (e.where, e.value):
                if part is not None:
                    inner |= free_locals(part)
            default = free_locals(e.default) if e.default is not None else frozenset()
            found = bound | (inner - {e.var}) | default
    _FREE[id(e)] = (e, found)
    return found


class Columns:
    """Evaluates a policy's IR over one batch (see batch.py for the columns)."""

    def __init__(self, program: ir.Program, checker, batch):
        self.program, self.batch, self.n = program, batch, batch.n
        self.checker = checker            # the interpreter's Context, for parameter reads
        self.memo: dict = {}
        self._keep: list = []

    # ------------------------------------------------------------ helpers
    def arr(self, v: V):
        return full(self.n, v)

    def factorised(self, v: V):
        """(per person the index of its value, the distinct values) of a text column,
        made once per column in the batch."""
        key = ("factorised", id(v.data))
        found = self.memo.get(key)
        if found is None:
            from .builtins import factorise
            self._keep.append(v.data)
            found = self.memo[key] = factorise(self.arr(v))
        return found

    def where(self, mask, a: V, b: V) -> V:
        """Per person: a where mask, else b."""
        if a.kind == "plist" or b.kind == "plist":
            if a is b:
                return a
            raise CannotCompile("a choice between lists per person")
        if a.kind == "rec" or b.kind == "rec":
            names = set((a.fields or {})) | set((b.fields or {}))
            fields = {k: self.where(mask, a.fields[k], b.fields[k]) for k in names
                      if k in (a.fields or {}) and k in (b.fields or {})}
            none = np.where(mask, none_mask(self.n, a), none_mask(self.n, b))
            return V(None, "rec", none=none, fields=fields)
        if a.kind == "fix" or b.kind == "fix":
            scale = max(a.scale, b.scale)
            data = np.where(mask, rescale(a, scale) if a.data is not None else 0,
                            rescale(b, scale) if b.data is not None else 0)
        else:
            kind = a.kind if a.data is not None else b.kind
            dtype = object if kind in ("obj", "list") else None
            ad = self.arr(a) if a.data is not None else np.zeros(self.n, dtype=dtype or np.int64)
            bd = self.arr(b) if b.data is not None else np.zeros(self.n, dtype=dtype or np.int64)
            data, scale = np.where(mask, ad, bd), 0
        none = None
        if a.none is not None or b.none is not None:
            none = np.where(mask, none_mask(self.n, a), none_mask(self.n, b))
        kind = a.kind if a.data is not None else b.kind
        if a.kind == "fix" or b.kind == "fix":
            kind = "fix"
        return V(data, kind, scale, none)

    def same(self, a: V, b: V, a_na, b_na, a_reason, b_reason):
        """Per person: do two case outcomes agree (equal values, or not applicable for one
        reason)?  Records never count as agreeing here (the interpreter decides)."""
        n = self.n
        both_na = np.asarray(a_na, dtype=bool) & np.asarray(b_na, dtype=bool)
        agree_na = both_na & (np.asarray(a_reason, dtype=object) ==
                              np.asarray(b_reason, dtype=object))
        if a.kind in ("rec", "plist") or b.kind in ("rec", "plist") or a.data is None or \
                b.data is None:
            return agree_na
        if a.kind == "fix" or b.kind == "fix":
            scale = max(a.scale, b.scale)
            equal = rescale(a, scale) == rescale(b, scale)
        else:
            equal = np.asarray(self.arr(a) == self.arr(b))
        equal = np.broadcast_to(equal, (n,)) & ~none_mask(n, a) & ~none_mask(n, b)
        neither_na = ~np.asarray(a_na, dtype=bool) & ~np.asarray(b_na, dtype=bool)
        return agree_na | (equal & neither_na)

    def distinct(self, v: V, fn):
        """fn(constant) for each distinct value of v, put together person by person."""
        data = self.arr(v)
        values = list(dict.fromkeys(data.tolist()))
        found, err = [], None
        for value in values:
            mask = data == value
            got, e = fn(value)
            err = _or(err, _and(e, mask))
            found.append((mask, got))
        if not found:
            raise CannotCompile("an empty batch")
        # one constant for every value (a parameter that did not change between the
        # days asked): that constant, not a column of it (lists have no columns)
        real = [got for _, got in found if got.kind != "none"]
        if real and all(g.const for g in real) and all(
                (g.kind, g.scale, g.data) == (real[0].kind, real[0].scale, real[0].data)
                for g in real):
            return real[0], err
        result = None
        for mask, got in found:
            result = got if result is None else self.where(mask, got, result)
        return result, err

    # ------------------------------------------------------------ dispatch
    def ev(self, e: ir.Expr, env: dict):
        if type(e) not in _LEAVES and not free_locals(e):
            # An expression without locals has one value over the batch however often a
            # loop asks for it (`year(birth_date)` for every year of a history): made once.
            key = ("closed", id(e))
            found = self.memo.get(key)
            if found is None:
                found = self.memo[key] = self._dispatch(e, env)
                self._keep.append(e)
            return found
        return self._dispatch(e, env)

    def _dispatch(self, e: ir.Expr, env: dict):
        try:
            return getattr(self, "e_" + type(e).__name__)(e, env)
        except (TypeError, ValueError, OverflowError, ZeroDivisionError):
            # A value every person lacks (a parameter not in force on the date, say) has
            # no data to compute with; every person is already masked by its error.  Give
            # them all to the interpreter rather than guess: never a wrong answer.
            return V(None, kind_of(e.ty), none=True, const=True), np.ones(self.n, dtype=bool)
        except CannotCompile as refusal:
            if refusal.span is None:        # refused below a node with a place: name it
                refusal.span = e.span
            raise

    def e_Const(self, e, env):
        return constant(e.value, e.ty), None

    def e_Local(self, e, env):
        return env[e.name], None

    def e_AsOf(self, e, env):
        return V(self.batch.as_of.toordinal(), "date", const=True), None

    def e_BenefitYear(self, e, env):
        return V(self.batch.as_of.year, "int", const=True), None

    def e_InputField(self, e, env):
        return self.batch.field(e.name, self)

    def e_NotApplicable(self, e, env):
        raise CannotCompile("not applicable outside a case", e.span)

    def e_RuleCall(self, e, env):
        args = [self.ev(a, env) for a in e.args]
        err = None
        for _, a_err in args:
            err = _then(err, a_err)
        values = [a for a, _ in args]
        got, na, r_err = self.rule(e.rule, tuple(values))
        if e.inapplicable:
            got = V(got.data, got.kind, got.scale, _or_none(got.none, na, True), got.const,
                    got.fields)
        return got, _then(err, r_err)

    def e_Param(self, e, env):
        if e.when is None:
            return self.param(e.name, self.batch.as_of, e.span)
        when, err = self.ev(e.when, env)
        if when.const:
            got, p_err = self.param(e.name, dt.date.fromordinal(int(when.data)), e.span)
            return got, _then(err, p_err)
        # a day off the calendar is a person whose date already failed (its error is in
        # `err`): no value, and no second error
        got, p_err = self.distinct(when, lambda day: self.param(
            e.name, dt.date.fromordinal(int(day)), e.span) if 1 <= int(day) <= _MAX_ORDINAL
            else (V(None, "none", none=True, const=True), None))
        return got, _then(err, p_err)

    def param(self, name: str, on: dt.date, span):
        key = ("param", name, on)
        if key not in self.memo:
            ty = self.program.param(name).ty
            try:
                value = self.checker.param(name, on, span)
                self.memo[key] = (constant(value, ty), None)
            except EvalError as failure:      # the interpreter's error at this very read
                self.memo[key] = (V(None, kind_of(ty), none=True, const=True),
                                  coded(np.ones(self.n, dtype=bool), failure.code))
        return self.memo[key]

    def e_RegionParam(self, e, env):
        region, err = self.ev(e.region, env)
        keys = [self.ev(k, env) for k in e.keys]
        for _, k_err in keys:
            err = _then(err, k_err)
        on = self.batch.as_of
        if e.when is not None:
            when, w_err = self.ev(e.when, env)
            if not when.const:
                raise CannotCompile("a region parameter read at a per-person date", e.span)
            on, err = dt.date.fromordinal(int(when.data)), _or(err, w_err)
        ty = self.program.param(e.name).ty

        def lookup(place, key_values):
            if not isinstance(place, str):     # a person already in error here
                return V(None, kind_of(ty), none=True, const=True), np.ones(self.n, dtype=bool)
            key = ("region", e.name, place, key_values, on)
            if key not in self.memo:
                try:
                    value = self.checker.region_param(e.name, place, key_values, on, e.span)
                    self.memo[key] = (constant(value, ty), None)
                except EvalError as failure:  # the interpreter's error at this very read
                    self.memo[key] = (V(None, kind_of(ty), none=True, const=True),
                                      coded(np.ones(self.n, dtype=bool), failure.code))
            return self.memo[key]
        if all(k.const for k, _ in keys):
            key_values = tuple(k.data for k, _ in keys)
            if region.const:
                got, r_err = lookup(region.data, key_values)
            else:
                got, r_err = self.distinct(region, lambda place: lookup(place, key_values))
            return got, _then(err, r_err)
        # keyed per person (an identity's own category): each distinct (region, keys)
        columns = [self.arr(region).tolist()] + [self.arr(k).tolist() for k, _ in keys]
        combos: dict = {}
        codes = np.fromiter((combos.setdefault(combo, len(combos))
                             for combo in zip(*columns)), dtype=np.int64, count=self.n)
        result, r_err = None, None
        for combo, index in combos.items():
            mask = codes == index
            got, failed = lookup(combo[0], tuple(combo[1:]))
            r_err = _or(r_err, _and(failed, mask))
            result = got if result is None else self.where(mask, got, result)
        return result, _then(err, r_err)

    # ------------------------------------------------------------ records and histories
    def e_FieldOf(self, e, env):
        target, err = self.ev(e.target, env)
        if target.kind != "rec":
            raise CannotCompile("a field of a value that is not a record", e.span)
        missing = none_mask(self.n, target)
        err = _then(err, coded(missing, "E522") if missing.any() else None)
        if e.name == "year" and "year" not in target.fields:
            raise CannotCompile("the year of a record that has none", e.span)
        got = target.fields.get(e.name)
        if got is None:
            raise CannotCompile(f"the field {e.name}", e.span)
        return got, err

    def e_Entry(self, e, env):
        history, year, err = self._history(e, env)
        def one(y):
            rec, present = self.batch.entry(history, int(y))
            several = self.batch.several(history, int(y))
            return rec, _or(coded(~present & ~several, "E520"), coded(several, "E521"))
        if year.const:
            rec, e_err = one(year.data)
            return rec, _then(err, e_err)
        got, e_err = self.distinct(year, one)
        return got, _then(err, e_err)

    def e_HasEntry(self, e, env):
        history, year, err = self._history(e, env)
        if year.const:
            return V(self.batch.has_entry(history, int(year.data)), "bool"), err
        got, e_err = self.distinct(year, lambda y: (V(self.batch.has_entry(history, int(y)),
                                                      "bool"), None))
        return got, _then(err, e_err)

    def _history(self, e, env):
        if not isinstance(e.target, ir.InputField):
            raise CannotCompile("a history that is not a record field", e.span)
        year, err = self.ev(e.year, env)
        return e.target.name, year, err

    def e_ListOf(self, e, env):
        items = [self.ev(i, env) for i in e.items]
        if not all(v.const for v, _ in items):
            # a list per person ([category]): one slot an item, every person has it
            err = None
            for _, i_err in items:
                err = _or(err, i_err)
            everyone = np.ones(self.n, dtype=bool)
            return V([(v, everyone) for v, _ in items], "plist"), err
        return V(tuple(v.data for v, _ in items), "list", const=True), None

    # ------------------------------------------------------------ operators
    def e_Not(self, e, env):
        v, err = self.ev(e.operand, env)
        return V(~self.arr(v).astype(bool) if not v.const else (not v.data), "bool",
                 const=v.const), err

    def e_Logic(self, e, env):
        a, a_err = self.ev(e.left, env)
        # The right side is evaluated only where the left does not decide, as the
        # interpreter does; where the left decides for every person, not at all (an
        # aggregate's `e.year == y and ...` over a history's other years, say).
        decided = e.op == "or"          # the left value that decides: true for or
        if a.const and a.data is not None and bool(a.data) == decided:
            return V(decided, "bool", const=True), a_err
        if not a.const and a.data is not None:
            left = self.arr(a).astype(bool)
            if (left.all() if decided else not left.any()):
                return V(np.full(self.n, decided), "bool"), a_err
        b, b_err = self.ev(e.right, env)
        left = a.data if a.const else self.arr(a).astype(bool)
        right = b.data if b.const else self.arr(b).astype(bool)
        if e.op == "and":
            value = np.logical_and(left, right)
            err = _then(a_err, _and(b_err, left if not a.const else bool(a.data)))
        else:
            value = np.logical_or(left, right)
            err = _then(a_err, _and(b_err, ~left if not a.const else (not a.data)))
        const = a.const and b.const
        return V(bool(value) if const else value, "bool", const=const), err

    def e_Member(self, e, env):
        item, err = self.ev(e.item, env)
        items, i_err = self.ev(e.items, env)
        if items.data is None:          # the list failed for everyone (masked by its error)
            return V(np.zeros(self.n, dtype=bool), "bool"), _or(err, i_err)
        if items.kind != "list" or not items.const:
            raise CannotCompile("membership in a list built per person", e.span)
        values = [x for x in items.data]
        data = np.isin(self.arr(item), np.array(values, dtype=object)) if values else \
            np.zeros(self.n, dtype=bool)
        data = data & ~none_mask(self.n, item)
        return V(~data if e.negated else data, "bool"), _or(err, i_err)

    def e_Compare(self, e, env):
        a, a_err = self.ev(e.left, env)
        b, b_err = self.ev(e.right, env)
        err = _then(a_err, b_err)
        op = e.op
        if a.kind == "plist" or b.kind == "plist":
            return self._compare_lists(a, b, op, e.span), err
        if a.const and b.const and a.data is not None and b.data is not None and \
                a.kind == b.kind and a.kind in ("int", "date", "bool", "obj") and \
                not a.none and not b.none:
            # two constants (an entry's year against a loop's year): no column to make
            return V(bool(_PY_COMPARE[op](a.data, b.data)), "bool", const=True), err
        if a.kind == "fix" or b.kind == "fix":
            scale = max(a.scale, b.scale)
            left, right = rescale(a, scale), rescale(b, scale)
        else:
            left = a.data if a.const else self.arr(a)
            right = b.data if b.const else self.arr(b)
        if op in ("==", "!=") and a.kind == "obj" and b.const and not a.const and \
                b.data is not None:
            # A text or enum column against a constant: the same comparison recurs in many
            # rules (scheme == resident, year by year), so it is made once per batch.
            key = ("equals", id(a.data), b.data)
            if key not in self.memo:
                self._keep.append(a.data)
                self.memo[key] = np.asarray(a.data == b.data) & ~none_mask(self.n, a)
            same = self.memo[key]
            return V(same if op == "==" else ~same, "bool"), err
        if op in ("==", "!="):
            na, nb = none_mask(self.n, a), none_mask(self.n, b)
            if a.data is None or b.data is None:
                same = na & nb
            else:
                with np.errstate(all="ignore"):
                    equal = np.asarray(left == right)
                same = (equal & ~na & ~nb) | (na & nb)
            value = same if op == "==" else ~same
        else:
            if a.data is None or b.data is None:        # a value that failed: its error masks it
                a, b = _placeholder(a), _placeholder(b)
                left = a.data if a.const else self.arr(a)
                right = b.data if b.const else self.arr(b)
            compare = {"<": np.less, "<=": np.less_equal, ">": np.greater,
                       ">=": np.greater_equal}[op]
            value = compare(left, right)
        const = a.const and b.const and np.ndim(value) == 0
        return V(bool(value) if const else np.broadcast_to(value, (self.n,)).copy()
                 if np.ndim(value) == 0 else value, "bool", const=const), err

    def _compare_lists(self, a: V, b: V, op: str, span) -> V:
        """A list per person against the empty list (`counted != []`): whether any slot
        is present.  Other comparisons of lists are not compiled."""
        lists = a if a.kind == "plist" else b
        other = b if lists is a else a
        if op not in ("==", "!=") or not (other.kind == "list" and other.const and
                                          other.data == ()):
            raise CannotCompile("a comparison of lists other than with []", span)
        some = np.zeros(self.n, dtype=bool)
        for _, present in lists.data:
            some |= present
        return V(~some if op == "==" else some, "bool")

    def e_Arith(self, e, env):
        a, a_err = self.ev(e.left, env)
        b, b_err = self.ev(e.right, env)
        a, b = _placeholder(a), _placeholder(b)
        err = _then(a_err, b_err)
        kind = e.kind
        const = a.const and b.const
        if kind in ("int_add", "int_sub", "int_mul", "duration_add", "duration_sub",
                    "duration_times_int", "int_times_duration"):
            op = {"add": np.add, "sub": np.subtract}.get(kind.split("_")[-1], np.multiply)
            data = op(np.int64(a.data) if a.const else a.data,
                      np.int64(b.data) if b.const else b.data)
            out_kind = "int" if kind.startswith("int_") and kind != "int_times_duration" \
                else "dur"
            return self._checked(V(data, out_kind, const=const), err)
        if kind in ("dec_add", "dec_sub"):
            scale = max(a.scale, b.scale)
            op = np.add if kind == "dec_add" else np.subtract
            data = op(rescale(a, scale), rescale(b, scale))
            return self._checked(V(data, "fix", scale, const=const), err)
        if kind == "dec_mul":
            scale = a.scale + b.scale
            if scale > 12:
                raise CannotCompile("a product with more than 12 decimal places", e.span)
            left = rescale(a, a.scale) if a.kind == "fix" else a.data
            right = rescale(b, b.scale) if b.kind == "fix" else b.data
            return self._checked(V(np.multiply(left, right), "fix", scale, const=const), err)
        if kind in ("date_add_months", "date_sub_months"):
            months = b.data if kind == "date_add_months" else -np.asarray(b.data)
            return self._add_months(a, months, err, const)
        raise CannotCompile(f"the operation {e.text} ({kind})", e.span)

    def _checked(self, v: V, err):
        data = np.asarray(v.data)
        if data.size and np.abs(data).max() >= SAFE:
            big = np.abs(self.arr(v) if not v.const else np.full(self.n, v.data)) >= SAFE
            err = _then(err, big)
        return v, err

    def _add_months(self, date_v: V, months, err, const):
        days = np.asarray(self.arr(date_v) if not date_v.const else date_v.data, dtype=np.int64)
        d64 = (days - _ORD_EPOCH).astype("datetime64[D]")
        month = d64.astype("datetime64[M]")
        day_in_month = (d64 - month.astype("datetime64[D]")).astype(np.int64)
        target = month + np.asarray(months, dtype=np.int64).astype("timedelta64[M]")
        result = target.astype("datetime64[D]") + day_in_month.astype("timedelta64[D]")
        off = result.astype("datetime64[M]") != target              # E560: no such day
        data = result.astype(np.int64) + _ORD_EPOCH
        off = off | (data < 1) | (data > _MAX_ORDINAL)              # beyond the calendar
        if np.ndim(off) and off.any():
            err = _then(err, off)
        elif np.ndim(off) == 0 and bool(off):
            err = _or(err, np.ones(self.n, dtype=bool))
        return V(data if np.ndim(data) else int(data), "date", const=const), err

    def e_Negate(self, e, env):
        v, err = self.ev(e.operand, env)
        return V(-np.asarray(v.data) if not v.const else -v.data, v.kind, v.scale,
                 const=v.const), err

    def e_IsNone(self, e, env):
        v, err = self.ev(e.operand, env)
        mask = none_mask(self.n, v)
        return V(~mask if e.negated else mask, "bool"), err

    def e_If(self, e, env):
        c, c_err = self.ev(e.condition, env)
        t, t_err = self.ev(e.then, env)
        o, o_err = self.ev(e.otherwise, env)
        cond = self.arr(c).astype(bool)
        err = _then(c_err, _or(_and(t_err, cond), _and(o_err, ~cond)))
        return self.where(cond, t, o), err

    def e_Builtin(self, e, env):
        from .builtins import builtin

        return builtin(self, e, env)

    def e_Aggregate(self, e, env):
        from .aggregates import aggregate

        return aggregate(self, e, env)

    # ------------------------------------------------------------ rules
    def rule(self, name: str, args: tuple):
        """(value, not-applicable mask, error mask) of a rule for its arguments (V): memoised
        when they are constants (a year in a loop); per-person arguments are locals of
        the rule's body, evaluated over every person at once."""
        if all(a.const for a in args):
            key = ("rule", name, tuple((a.kind, a.scale, a.data) for a in args))
        else:
            key = ("rule", name, tuple(id(a) for a in args))
            self._keep.append(args)          # ids stay unique while the batch lives
        if key in self.memo:
            return self.memo[key]
        rule = self.program.rule(name)
        for arg, bound in zip(args, rule.lower_bounds):
            if bound is not None:
                raise CannotCompile(f"{name}: recursion on years", rule.span)
        env = dict(zip(rule.params, args))
        if isinstance(rule.body, ir.Table):
            from .tables import table
            applies, value, na, reason, err = table(self, rule.body, env, rule.span)
        else:
            applies, value, na, reason, err = self.case(rule.body, env)
        none_applies = "E543" if isinstance(rule.body, ir.Table) else "E541"
        err = _then(err, coded(~applies, none_applies) if not isinstance(applies, bool) else
                  (None if applies else coded(np.ones(self.n, dtype=bool), none_applies)))
        self.memo[key] = (value, na, err)
        self.memo[("reason",) + key[1:]] = reason
        return self.memo[key]

    def case(self, case: ir.Case, env):
        """(applies, value, not applicable, reason, error) of a case, Catala's defaults."""
        n = self.n
        won = np.zeros(n, dtype=bool)
        conflict = None                  # persons for whom two exceptions disagree (E540)
        value = na = reason = None
        err = None
        for exc in case.exceptions:
            applies, v, v_na, v_reason, e_err = self.case(exc, env)
            err = _then(err, e_err)
            both = won & applies
            if both.any():
                # two exceptions apply: a conflict (E540) unless they give the same value,
                # or are both not applicable for the same reason
                agree = self.same(v, value, v_na, na, v_reason, reason)
                conflict = both & ~agree if conflict is None else conflict | (both & ~agree)
            first = applies & ~won
            value = v if value is None else self.where(first, v, value)
            na = v_na if na is None else np.where(first, v_na, na)
            reason = v_reason if reason is None else np.where(first, v_reason, reason)
            won |= applies
        # the interpreter looks for a conflict once every exception has been evaluated
        err = _then(err, coded(conflict, "E540"))
        if case.guard is not None:
            g, g_err = self.ev(case.guard, env)
            guard = self.arr(g).astype(bool) if not g.const else np.full(n, bool(g.data))
            err = _then(err, _and(g_err, ~won))
        else:
            guard = np.ones(n, dtype=bool)
        own = guard & ~won
        if isinstance(case.body, ir.NotApplicable):
            body = V(None, "none", none=True, const=True)
            body_na, body_reason = own, np.where(own, case.body.reason, None)
        else:
            body, b_err = self.ev(case.body, env)
            err = _then(err, _and(b_err, own))
            body_na = np.zeros(n, dtype=bool)
            body_reason = np.full(n, None, dtype=object)
        if value is None:
            value, na, reason = body, body_na & own, body_reason
        else:
            value = self.where(won, value, body) if body.data is not None or body.kind == "rec" \
                else value
            na = np.where(won, na, body_na & own)
            reason = np.where(won, reason, body_reason)
        return won | guard, value, na, reason, err


def _placeholder(v: V) -> V:
    """A value that failed (its data None, every person masked by its error) as a zero of
    its kind, so the arithmetic around it can go on for the others."""
    if v.data is not None or v.kind in ("rec", "obj", "list"):
        return v
    return V(0, v.kind, v.scale, v.none, const=True)


def _or_none(none, na, inapplicable: bool):
    if not inapplicable or na is None:
        return none
    if none is None:
        return na
    return none | na
