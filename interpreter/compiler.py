"""Checked AST -> Python closures, one per expression: the evaluator's working form.

Each closure takes the evaluation Context and the local variables, and does what its node
means; names are already resolved by the checker (model.refs), so no lookup by name is
left for evaluation time.  No text is ever executed: a closure is a node's meaning.
"""
from __future__ import annotations

import datetime as dt
import operator
from decimal import Decimal, DecimalException

from . import nodes
from .arithmetic import adder, decimal_error, divide, int_error, widened
from .limits import INT_MAX, INT_MIN, MAX_YEARS_IN_RANGE
from .model import Model
from .results import EvalError
from .tables import ordinal
from .types import (DATE, DECIMAL, DURATION, INT, MONEY, PERCENT, HistoryTy, OptionalTy,
                    RecordTy, Ty)
from .values import (DateArithmeticError, Duration, History, add_months, plain_text,
                     round_cents)

_MISSING = object()


class CompiledCase:
    __slots__ = ("ident", "span", "label", "cite", "guard", "guard_text", "body", "exceptions")

    def __init__(self, ident, span, label, cite, guard, guard_text, body, exceptions):
        self.ident = ident
        self.span = span
        self.label = label
        self.cite = cite                # with the document it points into
        self.guard = guard
        self.guard_text = guard_text
        self.body = body
        self.exceptions = exceptions


class CompiledRow:
    __slots__ = ("ident", "name", "cite", "cells", "result")

    def __init__(self, ident, name, cite, cells, result):
        self.ident = ident
        self.name = name
        self.cite = cite
        self.cells = cells      # (param, test, op, key, value closure, high closure, text)
        self.result = result


class CompiledTable:
    __slots__ = ("hit", "rows", "otherwise", "key", "zero", "add", "span")

    def __init__(self, hit, rows, otherwise, key, zero, add, span):
        self.hit = hit
        self.rows = rows
        self.otherwise = otherwise
        self.key = key          # orders results for max/min (enums by declaration)
        self.zero = zero        # the empty sum for `collect sum`
        self.add = add          # (total, value) -> total + value, bounded, for `collect sum`
        self.span = span


class CompiledRule:
    __slots__ = ("name", "params", "lower_bounds", "case", "rule", "document", "ty")

    def __init__(self, name, params, lower_bounds, case, rule, document, ty):
        self.name = name
        self.params = params
        self.lower_bounds = lower_bounds
        self.case = case
        self.rule = rule
        self.document = document
        self.ty = ty


def _citation(cite, document):
    if cite and document:
        return f"{document} {cite}"
    return cite or document


class Compiler:
    def __init__(self, model: Model):
        self.model = model

    def case(self, rule, ident, span, attrs, origin, guard, body, exceptions) -> CompiledCase:
        nested = []
        for exc in exceptions:
            exc_attrs, exc_origin = rule.case_citation(exc)
            nested.append(self.case(rule, exc.ident, exc.span, exc_attrs, exc_origin, exc.guard,
                                    exc.body, exc.exceptions))
        return CompiledCase(
            ident, span, attrs.label, _citation(attrs.cite, origin.document),
            self.expr(guard) if guard is not None else None,
            _source_text(self.model, guard) if guard is not None else None,
            self.expr(body), tuple(nested))

    def table(self, rule, decl: nodes.TableDecl) -> CompiledTable:
        rows = []
        for row in decl.rows:
            cells = []
            for cell, param, column in zip(row.cells, decl.params, rule.param_types):
                test = self.model.cell_tests.get(id(cell), "any")
                cells.append((param.name, test, cell.op, ordinal(column),
                              self.expr(cell.value) if cell.value is not None else None,
                              self.expr(cell.high) if cell.high is not None else None,
                              _source_text(self.model, cell)))
            cite = _citation(row.cite, rule.origin.document) if row.cite else None
            rows.append(CompiledRow(row.ident, row.name, cite, tuple(cells),
                                    self.expr(row.result)))
        otherwise = self.expr(decl.otherwise) if decl.otherwise is not None else None
        span = decl.name_span
        add = adder(_sum_kind(rule.ty), span, lambda: f"collect sum of {decl.name}")
        return CompiledTable(decl.hit, tuple(rows), otherwise, ordinal(rule.ty),
                             _zero(rule.ty), add, span)

    def ty(self, expr) -> Ty | None:
        return self.model.expr_types.get(id(expr))

    def expr(self, e: nodes.Expr):
        return getattr(self, "c_" + type(e).__name__)(e)

    # ------------------------------------------------------------ leaves
    def c_Literal(self, e):
        value = e.value
        return lambda c, env: value

    # Arguments and list items are gathered with a list comprehension, not tuple(generator):
    # a generator driven from C would add to the C stack at every level of a deep recursion.
    def c_ListLiteral(self, e):
        items = tuple(self.expr(i) for i in e.items)
        return lambda c, env: tuple([f(c, env) for f in items])

    def c_Name(self, e: nodes.Name):
        ref = self.model.refs[id(e)]
        name, span = ref.name, e.span
        if ref.kind == "local":
            return lambda c, env: env[name]
        if ref.kind == "enum_member":
            return lambda c, env: name
        if ref.kind == "builtin":
            if name == "benefit_year":
                return lambda c, env: c.year
            return lambda c, env: c.as_of
        if ref.kind == "rule":
            return lambda c, env: c.rule(name, ())
        if ref.kind == "param":
            return lambda c, env: c.param(name, c.as_of, span)
        ty = self.ty(e)

        def read_field(c, env):
            value = c.field(name, span)
            if c.explain and not isinstance(ty, HistoryTy):
                c.leaf("field", name, value, ty)
            return value
        return read_field

    # ------------------------------------------------------------ structure
    def c_Attribute(self, e: nodes.Attribute):
        ref = self.model.refs.get(id(e))
        if ref is not None and ref.kind == "enum_member":
            member = ref.name
            return lambda c, env: member
        target = self.expr(e.target)
        attr, span = e.name, e.span
        record_ty = self.ty(e.target)
        record_ty = record_ty.inner if isinstance(record_ty, OptionalTy) else record_ty
        info = record_ty.fields.get(attr) if isinstance(record_ty, RecordTy) else None
        default = info.default.value if info is not None and info.default is not None else _MISSING
        optional = info is not None and isinstance(info.ty, OptionalTy)
        path = _field_path(e)
        ty = self.ty(e)
        history_path = _field_path(e.target.target) if isinstance(e.target, nodes.Index) else None

        def attribute(c, env):
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
            if c.explain and path is not None:
                where = f"{history_path}[{obj.get('year')}].{attr}" if history_path else path
                c.leaf("field", where, value, ty)
            return value
        return attribute

    def c_Index(self, e: nodes.Index):
        target = self.expr(e.target)
        index = self.expr(e.index)
        span, path = e.span, _field_path(e.target) or "?"

        def entry(c, env):
            history = target(c, env)
            year = index(c, env)
            found = history.by_year.get(year)
            if not found:
                raise EvalError("E520", span, field=path, year=year)
            if len(found) > 1:
                raise EvalError("E521", span, field=path, year=year, count=len(found))
            return found[0]
        return entry

    def c_Exists(self, e: nodes.Exists):
        target = self.expr(e.target.target)
        index = self.expr(e.target.index)
        path = _field_path(e.target.target) or "?"

        def exists(c, env):
            year = index(c, env)
            found = year in target(c, env).by_year
            if c.explain:
                c.leaf("field", f"exists {path}[{year}]", found, "bool")
            return found
        return exists

    def c_Call(self, e: nodes.Call):
        name, span = e.function, e.span
        args = tuple(self.expr(a) for a in e.args)
        model = self.model
        if name in model.rules:
            if len(args) == 1:
                only = args[0]
                return lambda c, env: c.rule(name, (only(c, env),))
            return lambda c, env: c.rule(name, tuple([a(c, env) for a in args]))
        if name in model.params:
            param = model.params[name]
            if param.by_region:
                region, keys = args[0], args[1:]
                return lambda c, env: c.region_param(name, region(c, env),
                                                     tuple([k(c, env) for k in keys]), c.as_of,
                                                     span)
            raise AssertionError("keyed parameters without region are not yet supported")
        return self._builtin(name, args, span, e)

    def c_OnDate(self, e: nodes.OnDate):
        when = self.expr(e.when)
        target, span = e.target, e.span
        if isinstance(target, nodes.Name):
            name = target.name
            return lambda c, env: c.param(name, when(c, env), span)
        name = target.function
        region, keys = self.expr(target.args[0]), tuple(self.expr(a) for a in target.args[1:])
        return lambda c, env: c.region_param(name, region(c, env),
                                             tuple([k(c, env) for k in keys]), when(c, env), span)

    def _builtin(self, name, args, span, e):
        if name in ("max", "min"):
            a, b = args
            pick = max if name == "max" else min
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
        if name == "months":
            return lambda c, env: Duration(arg0(c, env))
        if name == "years":
            def years(c, env):
                months = 12 * arg0(c, env)
                if INT_MIN <= months <= INT_MAX:
                    return Duration(months)
                raise int_error(months, span, self.describe(e))
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
        raise AssertionError(f"unknown builtin {name}")  # the checker rejects unknown calls

    # ------------------------------------------------------------ operators
    def describe(self, e: nodes.Expr) -> str:
        """The source text of an operation, for a message about it."""
        text = _source_text(self.model, e)
        return f"`{text if len(text) <= 80 else text[:77] + '...'}`"

    def c_Unary(self, e: nodes.Unary):
        operand = self.expr(e.operand)
        span = e.span
        if e.op == "not":
            return lambda c, env: not operand(c, env)
        ty = self.ty(e)
        if ty in (INT, DURATION):
            months = ty == DURATION

            def negate_int(c, env):
                value = operand(c, env)
                result = -(value.months if months else value)
                if INT_MIN <= result <= INT_MAX:
                    return Duration(result) if months else result
                raise int_error(result, span, self.describe(e))
            return negate_int

        def negate(c, env):
            value = operand(c, env)
            try:
                result = -value      # the context rounds a negation too: it must stay exact
                return widened(result) if type(result) is int else result
            except DecimalException as signal:
                raise decimal_error(signal, span, self.describe(e)) from None
        return negate

    def c_Binary(self, e: nodes.Binary):
        left, right = self.expr(e.left), self.expr(e.right)
        op, span = e.op, e.span
        if op == "and":
            return lambda c, env: left(c, env) and right(c, env)
        if op == "or":
            return lambda c, env: left(c, env) or right(c, env)
        if op == "in":
            return lambda c, env: left(c, env) in right(c, env)
        if op == "not in":
            return lambda c, env: left(c, env) not in right(c, env)
        compare = _COMPARE.get(op)
        if compare is not None:
            return lambda c, env: compare(left(c, env), right(c, env))
        lt, rt = self.ty(e.left), self.ty(e.right)
        if lt == DATE and rt == DURATION:
            sign = 1 if op == "+" else -1

            def shift(c, env):
                try:
                    return add_months(left(c, env), sign * right(c, env).months)
                except DateArithmeticError as err:
                    raise EvalError("E560", span, detail=str(err)) from None
            return shift
        describe = lambda: self.describe(e)   # noqa: E731 - only called for a message
        if DURATION in (lt, rt):
            return _duration_op(op, left, right, lt, span, describe)
        if op == "/":
            return lambda c, env: divide(left(c, env), right(c, env), span, describe)
        fn = _ARITH[op]
        if self.ty(e) == INT:
            def int_arith(c, env):
                result = fn(left(c, env), right(c, env))
                if INT_MIN <= result <= INT_MAX:
                    return result
                raise int_error(result, span, describe())
            return int_arith

        def decimal_arith(c, env):
            a, b = left(c, env), right(c, env)
            try:
                result = fn(a, b)     # exact, or a trapped signal (arithmetic.EVALUATION)
                return widened(result) if type(result) is int else result
            except DecimalException as signal:
                raise decimal_error(signal, span, describe()) from None
        return decimal_arith

    def c_IsNone(self, e: nodes.IsNone):
        operand = self.expr(e.operand)
        if e.negated:
            return lambda c, env: operand(c, env) is not None
        return lambda c, env: operand(c, env) is None

    def c_IfThenElse(self, e: nodes.IfThenElse):
        cond, then, other = self.expr(e.condition), self.expr(e.then), self.expr(e.otherwise)
        return lambda c, env: then(c, env) if cond(c, env) else other(c, env)

    def c_Aggregate(self, e: nodes.Aggregate):
        var, kind, span = e.var, e.kind, e.span
        where = self.expr(e.where) if e.where is not None else None
        value = self.expr(e.value) if e.value is not None else None
        default = self.expr(e.default) if e.default is not None else None
        if isinstance(e.source, nodes.YearRange):
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
        zero = _zero(self.ty(e)) if kind == "sum" else None
        add = adder(_sum_kind(self.ty(e)), span, lambda: self.describe(e)) \
            if kind == "sum" else None

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
                chosen = []
                for item in items(c, env):
                    env[var] = item
                    if where is None or where(c, env):
                        if kind in ("count", "any", "all"):
                            chosen.append(True)
                            continue
                        chosen.append(value(c, env) if value is not None else item)
                    elif kind == "all":
                        return False
                if kind == "count":
                    return len(chosen)
                if kind == "collect":
                    return tuple(chosen)
                if kind == "any":
                    return bool(chosen)
                if kind == "all":
                    return True
                if kind == "sum":
                    total = zero
                    for v in chosen:
                        total = add(total, v)
                    return total
                if not chosen:
                    return default(c, env)
                if kind == "min":
                    return min(chosen)
                if kind == "max":
                    return max(chosen)
                return chosen[0] if kind == "first" else chosen[-1]
            finally:
                if saved is _MISSING:
                    env.pop(var, None)
                else:
                    env[var] = saved
        return aggregate


_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
            ">": operator.gt, ">=": operator.ge}
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul}


def _duration_op(op, left, right, lt, span, describe):
    """duration ± duration, duration × int: whole months, within the int range."""
    if op == "*":
        if lt == DURATION:
            def months(c, env):
                return left(c, env).months * right(c, env)
        else:
            def months(c, env):
                return left(c, env) * right(c, env).months
    else:
        fn = _ARITH[op]

        def months(c, env):
            return fn(left(c, env).months, right(c, env).months)

    def duration(c, env):
        result = months(c, env)
        if INT_MIN <= result <= INT_MAX:
            return Duration(result)
        raise int_error(result, span, describe())
    return duration


def _sum_kind(ty) -> str:
    """How a sum of `ty` adds: whole ints, whole months, or exact decimals."""
    return "int" if ty == INT else "duration" if ty == DURATION else "decimal"


def _zero(ty):
    if ty == DURATION:
        return Duration(0)
    if ty in (MONEY, DECIMAL, PERCENT):
        return Decimal(0)
    return 0


def _field_path(e) -> str | None:
    """`enrollment[...].paid_on` for a chain rooted at a record field, else None."""
    if isinstance(e, nodes.Name):
        return e.name
    if isinstance(e, nodes.Attribute):
        inner = _field_path(e.target)
        return f"{inner}.{e.name}" if inner else None
    if isinstance(e, nodes.Index):
        inner = _field_path(e.target)
        return f"{inner}[]" if inner else None
    return None


def _starts_with(text, prefix) -> bool:
    return text is not None and prefix is not None and text.startswith(prefix)


def _show(value) -> str:
    """A value in a message or a case's reason (str of a Decimal would follow the host's
    context, `1e+3` or `1E+3`; plain_text does not)."""
    if isinstance(value, tuple):
        return "[" + ", ".join(map(_show, value)) + "]"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Decimal):
        return plain_text(value)
    return "none" if value is None else str(value)


def _source_text(model: Model, expr: nodes.Expr) -> str:
    source = model.sources.get(expr.span.path)
    if source is None:
        return "condition"
    return " ".join(source.text[expr.span.start:expr.span.end].split())
