"""The reference semantics: evaluate a checked policy for one record at one date.

Each expression is turned once per policy into a Python closure (compiler.py), so
evaluating a person is a walk over closures, not over the AST.  Rule values are memoised
per (rule, arguments) for one evaluation.  With `explain`, every rule, parameter
and record field read is recorded in an ExplainNode tree, with which case of a rule applied
and why the others did not.
"""
from __future__ import annotations

import datetime as dt
from decimal import DecimalException, setcontext

from . import nodes
from .arithmetic import EVALUATION, LOADING, decimal_error, pinned
from .compiler import (_MISSING, CompiledCase, CompiledRule, CompiledTable, Compiler, _citation,
                       _show)
from .diagnostics import Diagnostic, DiagnosticError, Hint
from .explanation import CaseOutcome, ExplainNode
from .inherit import did_you_mean
from .limits import MAX_YEARS_IN_RANGE, RECURSION_LIMIT, allow_deep_recursion
from .model import Model
from .results import EvalError, Evaluation
from .tables import matches
from .types import MONEY, HistoryTy, OptionalTy
from .values import History, is_whole_cents, plain_text


class _Failed:
    """A memoised failure: asking again re-raises the same error."""
    __slots__ = ("error", "node")

    def __init__(self, error, node=None):
        self.error = error
        self.node = node


class Program:
    """Closures for every rule and field default of a model; built once per model."""

    def __init__(self, model: Model):
        self.model = model
        self.rules: dict[str, CompiledRule] = {}
        self.field_defaults: dict[str, dict[str, object]] = {}   # kind -> field -> closure
        self.measures: dict | None = None      # built by population.py on first use
        # Which record kind each rule is about, and each kind's outputs: asked at every
        # evaluation, worked out once.
        self.kind_of = {name: model.rule_kind(name) for name in model.rules}
        self.outputs = model.outputs
        self.outputs_by_kind: dict[str, list[str]] = {}
        for name in self.outputs:
            self.outputs_by_kind.setdefault(self.kind_of[name], []).append(name)
        compiler = self.compiler = Compiler(model)
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


def _shown_argument(value):
    """A rule argument as an explanation shows it: a record entry as its fields, in text."""
    if type(value) is dict:
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    return value


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
                 "cache", "explain", "stack", "too_deep")

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
        self.too_deep: CompiledRule | None = None   # the innermost rule when the stack ran out

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
                if node is not None:
                    self.stack[-1].add_once(node)
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
            if bound is not None and value - bound > MAX_YEARS_IN_RANGE:
                # Each step down is a nested call: keep the depth within what a stack holds.
                raise EvalError("E551", compiled.rule.decl.span, name=name, param=pname,
                                value=value, bound=bound, limit=MAX_YEARS_IN_RANGE)
        node = None
        if self.explain:
            attrs = compiled.rule.attrs
            node = ExplainNode("output" if compiled.rule.decl.is_output else "rule", name, None,
                               str(compiled.ty), attrs.label, attrs.cite, compiled.document,
                               tuple(_shown_argument(a) for a in args))
            if self.stack:
                self.stack[-1].add(node)
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
        except RecursionError:
            # Not cached: the depth depends on the way here, not on the rule.  The innermost
            # rule sees it first; depth_error() makes the message from it.
            if self.too_deep is None:
                self.too_deep = compiled
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
                                    first_value=_show(first[0]), second_value=_show(other[0]))
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
                total = table.add(total, value)
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
            self.stack[-1].add(ExplainNode(
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
        # The loaders' code checks whole cents by comparing with a quantized copy: it runs in
        # a context that does not trap Inexact (and does not depend on the host's).
        previous = pinned(LOADING)
        try:
            value = coerce(raw, param.ty, f"regions.{matched}.{name}", field=name)
        except DiagnosticError as err:
            diag = err.diagnostics[0]
            raise EvalError(diag.code, span, hints=diag.hints, **dict(diag.args)) from None
        except DecimalException as signal:     # a value beyond the decimal range
            raise decimal_error(signal, span, f"the region value of {name}") from None
        finally:
            setcontext(previous)
        if self.explain and self.stack:
            where = region if matched == region else f"{region} (from {matched})"
            self.stack[-1].add(ExplainNode(
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
            self.stack[-1].add(ExplainNode(kind, name, value, str(ty)))

    def depth_error(self, name: str, span) -> EvalError:
        """E566 for a RecursionError while computing `name` (declared at `span`): located at
        the innermost rule the evaluation reached."""
        compiled, self.too_deep = self.too_deep, None
        if compiled is not None:
            name, span = compiled.name, compiled.rule.decl.name_span
        err = EvalError("E566", span, hints=[Hint.of("hint.E566")], limit=RECURSION_LIMIT)
        err.rule = name
        if compiled is not None:
            err.cite = _citation(compiled.rule.attrs.cite, compiled.document)
        return err


# ====================================================================== entry point
def evaluate_outputs(model: Model, record: dict, as_of: dt.date, regions=None, outputs=None,
                     explain: bool = False) -> Evaluation:
    program = program_for(model)
    kind = record.get("kind") or model.default_kind
    if kind not in model.input_types:
        raise DiagnosticError([Diagnostic.error(
            "E582", None, kind=kind, kinds=", ".join(model.input_types) or "-")])
    if outputs is None:
        names = list(program.outputs_by_kind.get(kind, ()))
    else:
        names = list(outputs)
    if not names and program.outputs:
        kinds = sorted(program.outputs_by_kind)
        raise DiagnosticError([Diagnostic.error(
            "E583", None, policy=model.policy_id, kind=kind, kinds=", ".join(kinds))])
    if outputs is not None:
        unknown = [n for n in names if n not in model.rules]
        if unknown:
            raise DiagnosticError([Diagnostic.error(
                "E580", None, hints=did_you_mean(unknown[0], program.outputs),
                name=unknown[0], outputs=", ".join(program.outputs))])
        other = [n for n in names if program.kind_of[n] != kind]
        if other:
            raise DiagnosticError([Diagnostic.error(
                "E581", None, name=other[0], kind=program.kind_of[other[0]], here=kind)])
    ctx = Context(program, record, kind, as_of, regions, explain)
    allow_deep_recursion()   # a recursion on years nests up to MAX_YEARS_IN_RANGE rule calls
    values: dict[str, object] = {}
    errors: dict[str, EvalError] = {}
    trees: dict[str, ExplainNode] = {}
    # One pinned decimal context for the whole evaluation (arithmetic.py), entered once.
    previous = pinned(EVALUATION)
    try:
        for name in names:
            if explain:
                ctx.stack = [ExplainNode("root", name, None, "")]
            try:
                value = ctx.rule(name, ())
                if model.rules[name].ty == MONEY and not is_whole_cents(value):
                    raise EvalError("E510", model.rules[name].decl.name_span,
                                    hints=[Hint.of("hint.E510")], name=name,
                                    value=plain_text(value))
                values[name] = value
            except EvalError as err:
                if err.rule is None:
                    err.rule = name
                errors[name] = err
            except RecursionError:
                errors[name] = ctx.depth_error(name, model.rules[name].decl.name_span)
            if explain:
                children = ctx.stack[0].children
                if children:
                    trees[name] = children[0]
    finally:
        setcontext(previous)
    return Evaluation(values, errors, trees)


__all__ = ["Evaluation", "EvalError", "evaluate_outputs", "program_for", "Program"]
