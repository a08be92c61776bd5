"""IR -> Python closures, one per expression: the reference evaluator's working form.

A closure takes the evaluation Context and the local variables and does what its IR node
means (the semantics are written once, in ir.py's docstring).  Whether reads are recorded
for an explanation is decided here, when the closures are built: a Builder with
`explain=True` makes closures that record every field they read, one without makes
closures that never look.  No text is ever executed: a closure is a node's meaning.
"""
from __future__ import annotations

import datetime as dt
import operator
from decimal import Decimal, DecimalException

from . import ir
from .arithmetic import adder, decimal_error, divide, int_error, widened
from .limits import INT_MAX, INT_MIN, MAX_YEARS_IN_RANGE
from .results import EvalError
from .values import (DateArithmeticError, Duration, History, NotApplicable, add_months,
                     round_cents)

_MISSING = object()
_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
            ">": operator.gt, ">=": operator.ge}
_INT_OPS = {"int_add": operator.add, "int_sub": operator.sub, "int_mul": operator.mul}
_DECIMAL_OPS = {"dec_add": operator.add, "dec_sub": operator.sub, "dec_mul": operator.mul}


def order_key(order: tuple[str, ...] | None):
    """A sort key for enum members by declaration (None for types that order themselves)."""
    if order is None:
        return None
    index = {member: i for i, member in enumerate(order)}
    return lambda v: index.get(v, -1)


def zero(kind: str | None):
    """The empty sum of a sum kind."""
    return Duration(0) if kind == "duration" else Decimal(0) if kind == "decimal" else 0


class Builder:
    """Builds the closure of each IR expression (memoised by identity of the IR node, so a
    shared sub-expression is built once)."""

    def __init__(self, explain: bool):
        self.explain = explain

    def expr(self, e: ir.Expr):
        return getattr(self, "b_" + type(e).__name__)(e)

    def maybe(self, e: ir.Expr | None):
        return self.expr(e) if e is not None else None

    def guard(self, case: ir.Case):
        """The closure of a case's `when` (None without one); conditions.ProbingBuilder
        builds it atom by atom to record condition coverage."""
        return self.maybe(case.guard)

    # ------------------------------------------------------------ leaves
    def b_Const(self, e: ir.Const):
        value = e.value
        return lambda c, env: value

    def b_Local(self, e: ir.Local):
        name = e.name
        return lambda c, env: env[name]

    def b_AsOf(self, e):
        return lambda c, env: c.as_of

    def b_BenefitYear(self, e):
        return lambda c, env: c.year

    def b_InputField(self, e: ir.InputField):
        name, span, ty = e.name, e.span, str(e.ty)
        if self.explain and e.shown:
            def read_and_record(c, env):
                value = c.field(name, span)
                c.leaf("field", name, value, ty)
                return value
            return read_and_record
        return lambda c, env: c.field(name, span)

    def b_NotApplicable(self, e: ir.NotApplicable):
        outcome = NotApplicable(e.reason)
        return lambda c, env: outcome

    def b_RuleCall(self, e: ir.RuleCall):
        call = self._rule_call(e)
        if not e.inapplicable:
            return call

        def read_as_none(c, env):     # a reader sees "not applicable" as none
            value = call(c, env)
            return None if type(value) is NotApplicable else value
        return read_as_none

    def _rule_call(self, e: ir.RuleCall):
        name = e.rule
        args = tuple(self.expr(a) for a in e.args)
        if not args:
            return lambda c, env: c.rule(name, ())
        if len(args) == 1:
            only = args[0]
            return lambda c, env: c.rule(name, (only(c, env),))
        # A list comprehension, not tuple(generator): a generator driven from C would add to
        # the C stack at every level of a deep recursion.
        return lambda c, env: c.rule(name, tuple([a(c, env) for a in args]))

    def b_Param(self, e: ir.Param):
        name, span = e.name, e.span
        if e.when is None:
            return lambda c, env: c.param(name, c.as_of, span)
        when = self.expr(e.when)
        return lambda c, env: c.param(name, when(c, env), span)

    def b_RegionParam(self, e: ir.RegionParam):
        name, span = e.name, e.span
        region, keys = self.expr(e.region), tuple(self.expr(k) for k in e.keys)
        when = self.maybe(e.when)

        def region_param(c, env):
            return c.region_param(name, region(c, env), tuple([k(c, env) for k in keys]),
                                  when(c, env) if when is not None else c.as_of, span)
        return region_param

    # ------------------------------------------------------------ structure
    def b_FieldOf(self, e: ir.FieldOf):
        target = self.expr(e.target)
        attr, span, ty = e.name, e.span, str(e.ty)
        default = _MISSING if e.default is ir.MISSING else e.default
        optional, path, history_path = e.optional, e.path, e.history_path
        record = self.explain and path is not None

        def field_of(c, env):
            obj = target(c, env)
            if obj is None:
                raise EvalError("E522", span, field=attr, path=path or attr)
            value = obj.get(attr, _MISSING)
            if value is _MISSING:
                if default is not _MISSING:
                    value = default
                elif optional:
                    value = None
                else:
                    raise EvalError("E523", span, field=path or attr)
            if record:
                where = f"{history_path}[{obj.get('year')}].{attr}" if history_path else path
                c.leaf("field", where, value, ty, obj)
            return value
        return field_of

    def b_Entry(self, e: ir.Entry):
        target, year = self.expr(e.target), self.expr(e.year)
        span, path = e.span, e.path

        def entry(c, env):
            history = target(c, env)
            wanted = year(c, env)
            found = history.by_year.get(wanted)
            if not found:
                raise EvalError("E520", span, field=path, year=wanted)
            if len(found) > 1:
                raise EvalError("E521", span, field=path, year=wanted, count=len(found))
            return found[0]
        return entry

    def b_HasEntry(self, e: ir.HasEntry):
        target, year, path = self.expr(e.target), self.expr(e.year), e.path
        if self.explain:
            def has_entry_recorded(c, env):
                wanted = year(c, env)
                found = wanted in target(c, env).by_year
                c.leaf("field", f"exists {path}[{wanted}]", found, "bool")
                return found
            return has_entry_recorded
        return lambda c, env: year(c, env) in target(c, env).by_year

    def b_ListOf(self, e: ir.ListOf):
        items = tuple(self.expr(i) for i in e.items)
        return lambda c, env: tuple([f(c, env) for f in items])

    # ------------------------------------------------------------ operators
    def b_Not(self, e: ir.Not):
        operand = self.expr(e.operand)
        return lambda c, env: not operand(c, env)

    def b_Logic(self, e: ir.Logic):
        left, right = self.expr(e.left), self.expr(e.right)
        if e.op == "and":
            return lambda c, env: left(c, env) and right(c, env)
        return lambda c, env: left(c, env) or right(c, env)

    def b_Member(self, e: ir.Member):
        item, items = self.expr(e.item), self.expr(e.items)
        if e.negated:
            return lambda c, env: item(c, env) not in items(c, env)
        return lambda c, env: item(c, env) in items(c, env)

    def b_Compare(self, e: ir.Compare):
        left, right, compare = self.expr(e.left), self.expr(e.right), _COMPARE[e.op]
        return lambda c, env: compare(left(c, env), right(c, env))

    def b_Arith(self, e: ir.Arith):
        left, right, kind, span, text = self.expr(e.left), self.expr(e.right), e.kind, \
            e.span, e.text
        describe = lambda: text   # noqa: E731 - a message's wording, asked for lazily
        if kind in ("date_add_months", "date_sub_months"):
            sign = 1 if kind == "date_add_months" else -1

            def shift(c, env):
                try:
                    return add_months(left(c, env), sign * right(c, env).months)
                except DateArithmeticError as err:
                    raise EvalError("E560", span, detail=str(err)) from None
            return shift
        if kind.startswith(("duration_", "int_times_")):
            return _duration_op(kind, left, right, span, text)
        if kind == "divide":
            return lambda c, env: divide(left(c, env), right(c, env), span, describe)
        if kind in _INT_OPS:
            fn = _INT_OPS[kind]

            def int_arith(c, env):
                result = fn(left(c, env), right(c, env))
                if INT_MIN <= result <= INT_MAX:
                    return result
                raise int_error(result, span, text)
            return int_arith
        fn = _DECIMAL_OPS[kind]

        def decimal_arith(c, env):
            a, b = left(c, env), right(c, env)
            try:
                result = fn(a, b)     # exact, or a trapped signal (arithmetic.EVALUATION)
                return widened(result) if type(result) is int else result
            except DecimalException as signal:
                raise decimal_error(signal, span, text) from None
        return decimal_arith

    def b_Negate(self, e: ir.Negate):
        operand, span, text = self.expr(e.operand), e.span, e.text
        if e.kind in ("int", "duration"):
            months = e.kind == "duration"

            def negate_whole(c, env):
                value = operand(c, env)
                result = -(value.months if months else value)
                if INT_MIN <= result <= INT_MAX:
                    return Duration(result) if months else result
                raise int_error(result, span, text)
            return negate_whole

        def negate(c, env):
            value = operand(c, env)
            try:
                result = -value      # the context rounds a negation too: it must stay exact
                return widened(result) if type(result) is int else result
            except DecimalException as signal:
                raise decimal_error(signal, span, text) from None
        return negate

    def b_IsNone(self, e: ir.IsNone):
        operand = self.expr(e.operand)
        if e.negated:
            return lambda c, env: operand(c, env) is not None
        return lambda c, env: operand(c, env) is None

    def b_If(self, e: ir.If):
        cond, then, other = self.expr(e.condition), self.expr(e.then), self.expr(e.otherwise)
        return lambda c, env: then(c, env) if cond(c, env) else other(c, env)

    def b_Builtin(self, e: ir.Builtin):
        name, span, text = e.function, e.span, e.text
        args = tuple(self.expr(a) for a in e.args)
        if name in ("max", "min"):
            a, b = args
            pick = max if name == "max" else min
            key = order_key(e.order)
            if key is not None:
                return lambda c, env: pick(a(c, env), b(c, env), key=key)
            return lambda c, env: pick(a(c, env), b(c, env))
        (arg0, *rest) = args
        if name == "year":
            return lambda c, env: arg0(c, env).year
        if name == "month":
            return lambda c, env: arg0(c, env).month
        if name == "day":
            return lambda c, env: arg0(c, env).day
        if name == "month_start":
            return lambda c, env: arg0(c, env).replace(day=1)
        if name == "days_between":      # whole days from the first date to the second
            later = rest[0]
            return lambda c, env: (later(c, env) - arg0(c, env)).days
        if name == "months":
            return lambda c, env: Duration(arg0(c, env))
        if name == "years":
            def years(c, env):
                months = 12 * arg0(c, env)
                if INT_MIN <= months <= INT_MAX:
                    return Duration(months)
                raise int_error(months, span, text)
            return years
        if name == "starts_with":
            prefix = rest[0]
            return lambda c, env: _starts_with(arg0(c, env), prefix(c, env))
        if name == "round":
            return lambda c, env: round_cents(arg0(c, env))
        if name == "date":
            m, d = rest

            def make_date(c, env):
                y, mo, da = arg0(c, env), m(c, env), d(c, env)
                try:
                    return dt.date(y, mo, da)
                except (ValueError, OverflowError):
                    raise EvalError("E561", span, year=y, month=mo, day=da) from None
            return make_date
        raise AssertionError(f"unknown builtin {name}")  # lowering makes no others

    def b_Aggregate(self, e: ir.Aggregate):
        var, kind, span = e.var, e.kind, e.span
        where, value, default = self.maybe(e.where), self.maybe(e.value), self.maybe(e.default)
        if isinstance(e.source, ir.Years):
            low, high = self.expr(e.source.low), self.expr(e.source.high)

            def items(c, env):
                a, b = low(c, env), high(c, env)
                if b - a >= MAX_YEARS_IN_RANGE:
                    raise EvalError("E570", span, low=a, high=b, limit=MAX_YEARS_IN_RANGE)
                return range(b, a - 1, -1) if kind == "streak" else range(a, b + 1)
        else:
            source = self.expr(e.source)

            def items(c, env):
                got = source(c, env)
                return got.entries if isinstance(got, History) else got
        text = e.text
        add = adder(e.sum_kind, span, lambda: text) if kind == "sum" else None
        empty = zero(e.sum_kind) if kind == "sum" else None
        key = order_key(e.order)
        pick = (max if kind == "max" else min) if kind in ("min", "max") else None

        def aggregate(c, env):
            saved = env.get(var, _MISSING)
            try:
                if kind == "streak":
                    n = 0
                    for item in items(c, env):
                        env[var] = item
                        if not where(c, env):
                            break
                        n += 1
                    return n
                if kind == "any":
                    for item in items(c, env):
                        env[var] = item
                        if where(c, env):
                            return True
                    return False
                if kind == "all":
                    for item in items(c, env):
                        env[var] = item
                        if not where(c, env):
                            return False
                    return True
                chosen = []
                for item in items(c, env):
                    env[var] = item
                    if where is None or where(c, env):
                        chosen.append(True if kind == "count" else
                                      value(c, env) if value is not None else item)
                if kind == "count":
                    return len(chosen)
                if kind == "collect":
                    return tuple(chosen)
                if kind == "sum":
                    total = empty
                    for v in chosen:
                        total = add(total, v)
                    return total
                if not chosen:
                    return default(c, env)
                if pick is not None:
                    return pick(chosen, key=key) if key is not None else pick(chosen)
                return chosen[0] if kind == "first" else chosen[-1]
            finally:
                if saved is _MISSING:
                    env.pop(var, None)
                else:
                    env[var] = saved
        return aggregate


def _duration_op(kind, left, right, span, text):
    """duration ± duration, duration × int: whole months, within the int range."""
    if kind == "int_times_duration":
        def months(c, env):
            return left(c, env) * right(c, env).months
    elif kind == "duration_times_int":
        def months(c, env):
            return left(c, env).months * right(c, env)
    else:
        fn = operator.add if kind == "duration_add" else operator.sub

        def months(c, env):
            return fn(left(c, env).months, right(c, env).months)

    def duration(c, env):
        result = months(c, env)
        if INT_MIN <= result <= INT_MAX:
            return Duration(result)
        raise int_error(result, span, text)
    return duration


def _starts_with(text, prefix) -> bool:
    return text is not None and prefix is not None and text.startswith(prefix)
