"""The reference semantics: evaluate a checked policy for one record at one date.

Each expression is turned once per policy into a Python closure (names already resolved
by the checker), so evaluating a person is a walk over closures, not over the AST.  The
closures are the AST's meaning, one node each; no text is ever executed.  Rule values are
memoised per (rule, arguments) for one evaluation.  With `explain`, every rule, parameter
and record field read is recorded in an ExplainNode tree, with which case of a rule applied
and why the others did not.
"""
from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation

from . import nodes
from .diagnostics import Diagnostic, DiagnosticError, Hint
from .explanation import CaseOutcome, ExplainNode
from .inherit import did_you_mean
from .model import Model
from .types import (DATE, DECIMAL, DURATION, INT, MONEY, PERCENT, HistoryTy, OptionalTy,
                    RecordTy, Ty)
from .tables import matches, ordinal
from .values import CENT, DateArithmeticError, Duration, History, add_months, is_whole_cents

MAX_YEARS_IN_RANGE = 1000   # a year range longer than this is a policy or record mistake


@dataclass
class Evaluation:
    values: dict[str, object]                 # output name -> runtime value (values.py)
    errors: dict[str, "EvalError"]           # output name -> why it has no value
    trees: dict[str, ExplainNode] = field(default_factory=dict)   # when explain=True


class EvalError(Exception):
    """Why a value could not be computed; `.diagnostic` says where and names the rule."""

    def __init__(self, code: str, span, hints=(), **args):
        self.code = code
        self.span = span
        self.hints = list(hints)
        self.args_ = dict(args)
        self.rule: str | None = None
        self.cite: str | None = None
        super().__init__(code)

    @property
    def diagnostic(self) -> Diagnostic:
        args = dict(self.args_)
        args.setdefault("rule", self.rule or "?")
        hints = list(self.hints)
        if self.cite:
            hints.append(Hint.of("hint.cite", rule=self.rule, cite=self.cite))
        return Diagnostic.error(self.code, self.span, hints=hints, **args)

    def __str__(self) -> str:
        return self.diagnostic.message("en")


_MISSING = object()


class _Failed:
    """A memoised failure: asking again re-raises the same error."""
    __slots__ = ("error", "node")

    def __init__(self, error, node=None):
        self.error = error
        self.node = node


# ====================================================================== compiled cases
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
    __slots__ = ("hit", "rows", "otherwise", "key", "zero", "span")

    def __init__(self, hit, rows, otherwise, key, zero, span):
        self.hit = hit
        self.rows = rows
        self.otherwise = otherwise
        self.key = key          # orders results for max/min (enums by declaration)
        self.zero = zero        # the empty sum for `collect sum`
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


class Program:
    """Closures for every rule and field default of a model; built once per model."""

    def __init__(self, model: Model):
        self.model = model
        self.rules: dict[str, CompiledRule] = {}
        self.field_defaults: dict[str, dict[str, object]] = {}   # kind -> field -> closure
        self.measures: dict | None = None      # built by population.py on first use
        compiler = self.compiler = _Compiler(model)
        for kind, record in model.input_types.items():
            defaults = self.field_defaults[kind] = {}
            for name, info in record.fields.items():
                if info.default is not None:
                    default = compiler.expr(info.default)
                    if isinstance(info.ty, HistoryTy):  # `default []` is an empty history
                        default = _as_history(default)
                    defaults[name] = default
        for name, rule in model.rules.items():
            decl = rule.decl
            if decl.required:
                continue
            if isinstance(decl, nodes.TableDecl):
                case = compiler.table(rule, decl)
            else:
                case = compiler.case(rule, name, decl.span, rule.attrs, rule.origin, decl.guard,
                                     decl.body, decl.exceptions)
            self.rules[name] = CompiledRule(
                name, tuple(p.name for p in decl.params),
                tuple(p.lower_bound for p in decl.params), case, rule,
                rule.origin.document, rule.ty)


def _as_history(default):
    return lambda c, env: History.of(default(c, env))


def program_for(model: Model) -> Program:
    program = getattr(model, "_program", None)
    if program is None:
        program = Program(model)
        model._program = program
    return program


# ====================================================================== evaluation state
class Context:
    __slots__ = ("program", "model", "record", "fields", "defaults", "as_of", "year", "regions",
                 "cache", "explain", "stack")

    def __init__(self, program: Program, record: dict, kind: str, as_of: dt.date, regions,
                 explain: bool):
        self.program = program
        self.model = program.model
        self.record = record
        self.fields = program.model.input_types[kind].fields
        self.defaults = program.field_defaults[kind]
        self.as_of = as_of
        self.year = as_of.year
        self.regions = regions
        self.cache: dict = {}
        self.explain = explain
        self.stack: list[ExplainNode] = []

    # ------------------------------------------------------------ rules
    def rule(self, name: str, args: tuple):
        key = (name, args)
        try:
            hit = self.cache.get(key, _MISSING)
        except TypeError:
            # A record argument (an identity, a history entry) is a dict: key it by identity,
            # which is stable because it is one of the record's own dicts.
            key = (name, tuple(("record", id(a)) if type(a) is dict else a for a in args))
            hit = self.cache.get(key, _MISSING)
        if hit is not _MISSING:
            if self.explain and self.stack:
                node = hit.node if isinstance(hit, _Failed) else hit[1]
                children = self.stack[-1].children
                if node is not None and not any(child is node for child in children):
                    children.append(node)
            if isinstance(hit, _Failed):
                raise hit.error
            return hit[0] if self.explain else hit
        compiled = self.program.rules.get(name)
        if compiled is None:  # a required rule left unset: the checker rejects such policies
            raise EvalError("E542", self.model.rules[name].decl.span, name=name)
        for value, bound, pname in zip(args, compiled.lower_bounds, compiled.params):
            if bound is not None and value < bound:
                raise EvalError("E550", compiled.rule.decl.span, name=name, param=pname,
                                value=value, bound=bound)
        node = None
        if self.explain:
            attrs = compiled.rule.attrs
            node = ExplainNode("output" if compiled.rule.decl.is_output else "rule", name, None,
                               str(compiled.ty), attrs.label, attrs.cite, compiled.document,
                               args)
            if self.stack:
                self.stack[-1].children.append(node)
            self.stack.append(node)
        env = dict(zip(compiled.params, args))
        try:
            case = compiled.case
            if isinstance(case, CompiledTable):
                found, value, ident = self._table(case, env, node)
            else:
                # Only rules with a choice to make list their cases in an explanation.
                found, value, ident = self._case(
                    case, env, node if case.exceptions or case.guard is not None else None)
            if not found:
                if isinstance(case, CompiledTable):
                    raise EvalError("E543", compiled.rule.decl.name_span, name=name,
                                    inputs=", ".join(f"{p} = {_show(env[p])}"
                                                     for p in compiled.params))
                raise EvalError("E541", compiled.rule.decl.name_span, name=name,
                                condition=case.guard_text or "-")
        except EvalError as err:
            if err.rule is None:
                err.rule = name
                err.cite = _citation(compiled.rule.attrs.cite, compiled.document)
            self.cache[key] = _Failed(err, node)
            raise
        finally:
            if self.explain:
                self.stack.pop()
        if self.explain:
            node.value = value
            node.case = ident
            self.cache[key] = (value, node)
        else:
            self.cache[key] = value
        return value

    def _case(self, case: CompiledCase, env: dict, node):
        """Catala-style defaults: an applicable exception wins over its parent; two that
        apply with different values conflict; else the case's own guard decides."""
        winners = []
        for exc in case.exceptions:
            found, value, ident = self._case(exc, env, node)
            if found:
                winners.append((value, ident, exc))
        if winners:
            first = winners[0]
            for other in winners[1:]:
                if other[0] != first[0]:
                    raise EvalError("E540", other[2].span, first=first[1], second=other[1],
                                    first_cite=first[2].cite or "-", second_cite=other[2].cite or "-",
                                    first_value=first[0], second_value=other[0])
            if node is not None:
                node.cases.append(CaseOutcome(case.ident, case.label, case.cite, None,
                                              "overridden by " + first[1]))
            return True, first[0], first[1]
        if case.guard is not None and not case.guard(self, env):
            if node is not None:
                node.cases.append(CaseOutcome(case.ident, case.label, case.cite, False,
                                              case.guard_text))
            return False, None, None
        if node is not None:
            node.cases.append(CaseOutcome(case.ident, case.label, case.cite, True, None))
        return True, case.body(self, env), case.ident

    def _table(self, table: CompiledTable, env: dict, node):
        """Match every row (the first only, under `hit first`), then apply the hit policy."""
        hits = []
        for row in table.rows:
            reason = None
            for param, test, op, key, value, high, text in row.cells:
                given = env[param]
                if not matches(test, op, key, given, value(self, env) if value else None,
                               high(self, env) if high else None):
                    reason = f"{param} = {_show(given)}: not {text}"
                    break
            if node is not None:
                node.cases.append(CaseOutcome(row.ident, row.name, row.cite, reason is None,
                                              reason))
            if reason is None:
                hits.append(row)
                if table.hit == "first":
                    break
        if not hits:
            if table.otherwise is not None:
                return True, table.otherwise(self, env), "otherwise"
            if table.hit == "collect sum":
                return True, table.zero, None
            return False, None, None
        if table.hit == "unique" and len(hits) > 1:
            a, b = hits[0], hits[1]
            raise EvalError("E590", table.span, first=a.name, second=b.name,
                            first_cite=a.cite or "-", second_cite=b.cite or "-")
        if table.hit in ("unique", "first"):
            return True, hits[0].result(self, env), hits[0].ident
        results = [(row.result(self, env), row) for row in hits]
        if table.hit == "collect sum":
            total = table.zero
            for value, _ in results:
                total = total + value
            return True, total, ",".join(row.ident for _, row in results)
        key = table.key or (lambda v: v)
        pick = max if table.hit == "max" else min
        value, row = pick(results, key=lambda pair: key(pair[0]))
        return True, value, row.ident

    # ------------------------------------------------------------ parameters
    def param(self, name: str, on: dt.date, span):
        param = self.model.params[name]
        value = start = None
        for begin, v in param.values:
            if begin <= on:
                value, start = v, begin
            else:
                break
        if start is None:
            first = param.values[0][0].isoformat() if param.values else None
            raise EvalError("E501" if first else "E502", span, name=name, date=on.isoformat(),
                            first=first or "-")
        if self.explain and self.stack:
            self.stack[-1].children.append(ExplainNode(
                "parameter", name, value, str(param.ty), param.attrs.label, param.attrs.cite,
                param.origin.document, detail=f"from {start.isoformat()}"))
        return value

    def region_param(self, name: str, region, keys: tuple, on: dt.date, span):
        from .regions import RegionLookupError, coerce

        param = self.model.params[name]
        if self.regions is None:
            raise EvalError("E531", span, hints=[Hint.of("hint.E531")], name=name,
                            region=region, date=on.isoformat())
        try:
            raw, matched, start = self.regions.lookup(param.attrs.key or name, region, on, keys)
        except RegionLookupError as err:
            diag = err.diagnostic(span)
            raise EvalError(diag.code, span, hints=diag.hints, **dict(diag.args)) from None
        try:
            value = coerce(raw, param.ty, f"regions.{matched}.{name}", field=name)
        except DiagnosticError as err:
            diag = err.diagnostics[0]
            raise EvalError(diag.code, span, hints=diag.hints, **dict(diag.args)) from None
        if self.explain and self.stack:
            where = region if matched == region else f"{region} (from {matched})"
            self.stack[-1].children.append(ExplainNode(
                "parameter", name, value, str(param.ty), param.attrs.label, param.attrs.cite,
                param.origin.document, args=(region,) + tuple(keys),
                detail=f"region file: {where}, from {start.isoformat() if start else '?'}"))
        return value

    # ------------------------------------------------------------ record fields
    def field(self, name: str, span):
        value = self.record.get(name, _MISSING)
        if value is _MISSING:
            default = self.defaults.get(name)
            if default is not None:
                value = default(self, {})
            else:
                info = self.fields[name]
                if isinstance(info.ty, OptionalTy):
                    value = None
                else:
                    raise EvalError("E523", span, hints=[Hint.of("hint.E523", field=name)],
                                    field=name)
        return value

    def leaf(self, kind: str, name: str, value, ty) -> None:
        if self.stack:
            self.stack[-1].children.append(ExplainNode(kind, name, value, str(ty)))


def _citation(cite, document):
    if cite and document:
        return f"{document} {cite}"
    return cite or document


# ====================================================================== the compiler
class _Compiler:
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
        return CompiledTable(decl.hit, tuple(rows), otherwise, ordinal(rule.ty),
                             _zero(rule.ty), decl.name_span)

    def ty(self, expr) -> Ty | None:
        return self.model.expr_types.get(id(expr))

    def expr(self, e: nodes.Expr):
        return getattr(self, "c_" + type(e).__name__)(e)

    # ------------------------------------------------------------ leaves
    def c_Literal(self, e):
        value = e.value
        return lambda c, env: value

    def c_ListLiteral(self, e):
        items = tuple(self.expr(i) for i in e.items)
        return lambda c, env: tuple(f(c, env) for f in items)

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
            return lambda c, env: c.rule(name, tuple(a(c, env) for a in args))
        if name in model.params:
            param = model.params[name]
            if param.by_region:
                region, keys = args[0], args[1:]
                return lambda c, env: c.region_param(name, region(c, env),
                                                     tuple(k(c, env) for k in keys), c.as_of, span)
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
                                             tuple(k(c, env) for k in keys), when(c, env), span)

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
            return lambda c, env: Duration(12 * arg0(c, env))
        if name == "starts_with":
            prefix = rest[0]
            return lambda c, env: _starts_with(arg0(c, env), prefix(c, env))
        if name == "round":
            return lambda c, env: arg0(c, env).quantize(CENT, rounding=ROUND_HALF_UP)
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
    def c_Unary(self, e: nodes.Unary):
        operand = self.expr(e.operand)
        if e.op == "not":
            return lambda c, env: not operand(c, env)
        if self.ty(e) == DURATION:
            return lambda c, env: Duration(-operand(c, env).months)
        return lambda c, env: -operand(c, env)

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
        if DURATION in (lt, rt):
            return _duration_op(op, left, right, lt, rt)
        if op == "/":
            def divide(c, env):
                a, b = left(c, env), right(c, env)
                try:
                    return Decimal(a) / Decimal(b)
                except (DivisionByZero, InvalidOperation):
                    raise EvalError("E562", span) from None
            return divide
        fn = _ARITH[op]
        return lambda c, env: fn(left(c, env), right(c, env))

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
                        total = total + v
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


def _duration_op(op, left, right, lt, rt):
    if op == "*":
        if lt == DURATION:
            return lambda c, env: Duration(left(c, env).months * right(c, env))
        return lambda c, env: Duration(left(c, env) * right(c, env).months)
    fn = _ARITH[op]
    return lambda c, env: Duration(fn(left(c, env).months, right(c, env).months))


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
    if isinstance(value, tuple):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, bool):
        return str(value).lower()
    return "none" if value is None else str(value)


def _source_text(model: Model, expr: nodes.Expr) -> str:
    source = model.sources.get(expr.span.path)
    if source is None:
        return "condition"
    return " ".join(source.text[expr.span.start:expr.span.end].split())


# ====================================================================== entry point
def evaluate_outputs(model: Model, record: dict, as_of: dt.date, regions=None, outputs=None,
                     explain: bool = False) -> Evaluation:
    program = program_for(model)
    kind = record.get("kind") or model.default_kind
    if kind not in model.input_types:
        raise DiagnosticError([Diagnostic.error(
            "E582", None, kind=kind, kinds=", ".join(model.input_types) or "-")])
    names = list(outputs) if outputs is not None else model.outputs_for(kind)
    unknown = [n for n in names if n not in model.rules]
    if unknown:
        raise DiagnosticError([Diagnostic.error(
            "E580", None, hints=did_you_mean(unknown[0], model.outputs), name=unknown[0],
            outputs=", ".join(model.outputs))])
    other = [n for n in names if model.rule_kind(n) != kind]
    if other:
        raise DiagnosticError([Diagnostic.error(
            "E581", None, name=other[0], kind=model.rule_kind(other[0]), here=kind)])
    ctx = Context(program, record, kind, as_of, regions, explain)
    values: dict[str, object] = {}
    errors: dict[str, EvalError] = {}
    trees: dict[str, ExplainNode] = {}
    for name in names:
        if explain:
            ctx.stack = [ExplainNode("root", name, None, "")]
        try:
            value = ctx.rule(name, ())
            if model.rules[name].ty == MONEY and not is_whole_cents(value):
                raise EvalError("E510", model.rules[name].decl.name_span,
                                hints=[Hint.of("hint.E510")], name=name, value=str(value))
            values[name] = value
        except EvalError as err:
            if err.rule is None:
                err.rule = name
            errors[name] = err
        if explain:
            children = ctx.stack[0].children
            if children:
                trees[name] = children[0]
    return Evaluation(values, errors, trees)


__all__ = ["Evaluation", "EvalError", "evaluate_outputs", "program_for", "Program"]
