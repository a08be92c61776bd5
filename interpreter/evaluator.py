"""The reference semantics: evaluate a policy's IR for one record at one date.

The IR (ir.py, built once per model by lower.py) is turned once into Python closures
(closures.py), so evaluating a person is a walk over closures.  Whether an explanation is
recorded is decided when the closures are built: `program_for(model, explain=True)` gives
a program whose closures record what they read.  Rule values are memoised per (rule,
arguments) for one evaluation.  With an explanation, every rule, parameter and record field
read is recorded in an ExplainNode tree, with which case of a rule applied and why the
others did not.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, DecimalException, setcontext

from . import ir
from .arithmetic import EVALUATION, LOADING, adder, decimal_error, pinned
from .closures import Builder, order_key, zero
from .diagnostics import Diagnostic, DiagnosticError, Hint, did_you_mean
from .explanation import CaseOutcome, ExplainNode
from .limits import (MAX_EXPLAIN_STEPS, MAX_YEARS_IN_RANGE, RECURSION_LIMIT,
                     deep_recursion)
from .lower import citation, lower
from .model import Model
from .results import EvalError, Evaluation
from .tables import matches
from .types import MONEY
from .values import History, NotApplicable, is_whole_cents, plain_text

_MISSING = object()


class _Failed:
    """A memoised failure: asking again re-raises the same error."""
    __slots__ = ("error", "node")

    def __init__(self, error, node=None):
        self.error = error
        self.node = node


class RunCase:
    """A node of a rule's default tree with its closures."""
    __slots__ = ("ident", "span", "label", "cite", "guard", "guard_text", "body", "exceptions")

    def __init__(self, case: ir.Case, build: Builder):
        self.ident = case.ident
        self.span = case.span
        self.label = case.citation.label
        self.cite = case.citation.cite
        self.guard = build.guard(case)
        self.guard_text = case.guard_text
        self.body = build.expr(case.body)
        self.exceptions = tuple(RunCase(exc, build) for exc in case.exceptions)


class RunTable:
    """A decision table with its closures: rows of (param, test, op, key, value, high,
    text) cells and a result."""
    __slots__ = ("hit", "rows", "otherwise", "key", "zero", "add", "span")

    def __init__(self, table: ir.Table, name: str, build: Builder):
        self.hit = table.hit
        self.rows = tuple(
            (row, tuple((c.param, c.test, c.op, order_key(c.order), build.maybe(c.value),
                         build.maybe(c.high), c.text) for c in row.cells),
             build.expr(row.result))
            for row in table.rows)
        self.otherwise = build.maybe(table.otherwise)
        self.key = order_key(table.order)
        self.zero = zero(table.sum_kind)
        self.add = adder(table.sum_kind, table.span, lambda: f"collect sum of {name}")
        self.span = table.span


class RunRule:
    __slots__ = ("name", "params", "lower_bounds", "case", "rule", "document", "ty", "cite",
                 "type_text")

    def __init__(self, rule: ir.Rule, build: Builder):
        self.name = rule.name
        self.params = rule.params
        self.lower_bounds = rule.lower_bounds
        self.case = RunTable(rule.body, rule.name, build) if isinstance(rule.body, ir.Table) \
            else RunCase(rule.body, build)
        self.rule = rule
        self.document = rule.document
        self.ty = rule.ty
        self.type_text = str(rule.ty)
        self.cite = citation(rule.citation.cite, rule.document)


class Program:
    """Closures for every rule and field default of a policy's IR, with or without
    explanation capture; built once per model and mode (program_for)."""

    def __init__(self, program: ir.Program, explain: bool = False,
                 builder: Builder | None = None):
        self.ir = program
        self.explain = explain
        build = self.builder = builder if builder is not None else Builder(explain)
        self.rules: dict[str, RunRule] = {}
        self.field_defaults: dict[str, dict[str, object]] = {}   # kind -> field -> closure
        self.measures: dict | None = None      # built by population.py on first use
        self.kind_of = {rule.name: rule.kind for rule in program.rules}
        self.outputs = program.outputs
        self.outputs_by_kind: dict[str, list[str]] = {}
        for name in self.outputs:
            self.outputs_by_kind.setdefault(self.kind_of[name], []).append(name)
        for kind in program.kinds:
            defaults = self.field_defaults[kind.name] = {}
            for name, default in kind.defaults:
                closure = build.expr(default)
                if name in kind.histories:   # `default []` is an empty history
                    closure = _as_history(closure)
                defaults[name] = closure
        for rule in program.rules:
            if rule.body is not None:
                self.rules[rule.name] = RunRule(rule, build)


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


def _shown_argument(value):
    """A rule argument as an explanation shows it: a record entry as its fields, in text."""
    if type(value) is dict:
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    return value


def _leaf_key(value):
    """A value as part of a dictionary key: itself, or its identity when it cannot be
    hashed (a record's own dict or list, which stays the same object for the evaluation)."""
    try:
        hash(value)
        return value
    except TypeError:
        return ("id", id(value))


def _as_history(default):
    return lambda c, env: History.of(default(c, env))


def ir_for(model: Model) -> ir.Program:
    """The IR of a checked model, lowered once."""
    program = getattr(model, "_ir", None)
    if program is None:
        program = model._ir = lower(model)
    return program


def program_for(model: Model, explain: bool = False) -> Program:
    attr = "_program_explaining" if explain else "_program"
    program = getattr(model, attr, None)
    if program is None:
        program = Program(ir_for(model), explain)
        setattr(model, attr, program)
    return program


# ====================================================================== evaluation state
class Context:
    __slots__ = ("program", "ir", "record", "kind", "defaults", "as_of", "year", "regions",
                 "cache", "explain", "stack", "too_deep", "steps_left", "cut")

    def __init__(self, program: Program, record: dict, kind: str, as_of: dt.date, regions):
        self.program = program
        self.ir = program.ir
        self.record = record
        self.kind = program.ir.kind(kind)
        self.defaults = program.field_defaults[kind]
        self.as_of = as_of
        self.year = as_of.year
        self.regions = regions
        self.cache: dict = {}
        self.explain = program.explain
        self.stack: list[ExplainNode] = []
        self.too_deep: RunRule | None = None   # the innermost rule when the stack ran out
        self.steps_left = MAX_EXPLAIN_STEPS     # nodes the current explanation may still add
        self.cut = False                        # did the current explanation run out?

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
            raise EvalError("E542", self.ir.rule(name).span, name=name)
        for value, bound, pname in zip(args, compiled.lower_bounds, compiled.params):
            if bound is not None and value < bound:
                raise EvalError("E550", compiled.rule.span, name=name, param=pname,
                                value=value, bound=bound)
            if bound is not None and value - bound > MAX_YEARS_IN_RANGE:
                # Each step down is a nested call: keep the depth within what a stack holds.
                raise EvalError("E551", compiled.rule.span, name=name, param=pname,
                                value=value, bound=bound, limit=MAX_YEARS_IN_RANGE)
        node = None
        if self.explain and self.record_step():
            citation = compiled.rule.citation
            node = ExplainNode("output" if compiled.rule.is_output else "rule", name, None,
                               compiled.type_text, citation.label, citation.cite, compiled.document,
                               tuple(_shown_argument(a) for a in args))
            if self.stack:
                self.stack[-1].add(node)
            self.stack.append(node)
        env = dict(zip(compiled.params, args))
        try:
            case = compiled.case
            if isinstance(case, RunTable):
                found, value, ident = self._table(case, env, node)
            else:
                # Only rules with a choice to make list their cases in an explanation.
                found, value, ident = self._case(
                    case, env, node if case.exceptions or case.guard is not None else None)
            if not found:
                if isinstance(case, RunTable):
                    raise EvalError("E543", compiled.rule.name_span, name=name,
                                    inputs=", ".join(f"{p} = {_show(env[p])}"
                                                     for p in compiled.params))
                raise EvalError("E541", compiled.rule.name_span, name=name,
                                condition=case.guard_text or "-")
        except EvalError as err:
            if err.rule is None:
                err.rule = name
                err.cite = compiled.cite
            self.cache[key] = _Failed(err, node)
            raise
        except RecursionError:
            # Not cached: the depth depends on the way here, not on the rule.  The innermost
            # rule sees it first; depth_error() makes the message from it.
            if self.too_deep is None:
                self.too_deep = compiled
            raise
        finally:
            if node is not None:
                self.stack.pop()
        if self.explain:
            if node is not None:
                node.value = value
                node.case = ident
            self.cache[key] = (value, node)
        else:
            self.cache[key] = value
        return value

    def _case(self, case: RunCase, env: dict, node):
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
                                              overridden_by=first[1]))
            return True, first[0], first[1]
        if case.guard is not None and not case.guard(self, env):
            if node is not None:
                node.cases.append(CaseOutcome(case.ident, case.label, case.cite, False,
                                              case.guard_text))
            return False, None, None
        if node is not None:
            node.cases.append(CaseOutcome(case.ident, case.label, case.cite, True, None))
        return True, case.body(self, env), case.ident

    def _table(self, table: RunTable, env: dict, node):
        """Match every row (the first only, under `hit first`), then apply the hit policy."""
        hits = []
        for row, cells, result in table.rows:
            mismatch = None
            for param, test, op, key, value, high, text in cells:
                given = env[param]
                if not matches(test, op, key, given, value(self, env) if value else None,
                               high(self, env) if high else None):
                    mismatch = (param, _show(given), text)
                    break
            if node is not None:
                node.cases.append(CaseOutcome(row.ident, row.name, row.cite, mismatch is None,
                                              mismatch=mismatch))
            if mismatch is None:
                hits.append((row, result))
                if table.hit == "first":
                    break
        if not hits:
            if table.otherwise is not None:
                return True, table.otherwise(self, env), "otherwise"
            if table.hit == "collect sum":
                return True, table.zero, None
            return False, None, None
        if table.hit == "unique" and len(hits) > 1:
            (a, _), (b, _) = hits[0], hits[1]
            raise EvalError("E590", table.span, first=a.name, second=b.name,
                            first_cite=a.cite or "-", second_cite=b.cite or "-")
        if table.hit in ("unique", "first"):
            row, result = hits[0]
            return True, result(self, env), row.ident
        results = [(result(self, env), row) for row, result in hits]
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
        param = self.ir.param(name)
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
        if self.explain and self.stack and \
                not self.stack[-1].has_leaf(("parameter", name, start, on)) and self.record_step():
            self.stack[-1].add(ExplainNode(
                "parameter", name, value, str(param.ty), param.citation.label,
                param.citation.cite, param.document, since=start,
                read_on=on if on != self.as_of else None))
        return value

    def region_param(self, name: str, region, keys: tuple, on: dt.date, span):
        from .regions import UNCONVERTED, RegionLookupError, coerce

        param = self.ir.param(name)
        regions = self.regions
        if regions is None:
            raise EvalError("E531", span, hints=[Hint.of("hint.E531")], name=name,
                            region=region, date=on.isoformat())
        try:
            raw, value, matched, start = regions.converted(param.key, region, on, keys)
        except RegionLookupError as err:
            diag = err.diagnostic(span)
            raise EvalError(diag.code, span, hints=diag.hints, **dict(diag.args)) from None
        if value is UNCONVERTED or getattr(regions, "bound_to", None) != self.ir.policy_id:
            value = self._region_value(raw, param, name, matched, span, coerce)
        if self.explain and self.stack and self.record_step():
            self.stack[-1].add(ExplainNode(
                "parameter", name, value, str(param.ty), param.citation.label,
                param.citation.cite, param.document, args=(region,) + tuple(keys),
                since=start, region=(region, matched),
                read_on=on if on != self.as_of else None))
        return value

    @staticmethod
    def _region_value(raw, param, name: str, matched: str, span, coerce):
        """A value of a region file loaded without this policy, converted when read."""
        # The loaders' code checks whole cents by comparing with a quantized copy: it runs in
        # a context that does not trap Inexact (and does not depend on the host's).
        previous = pinned(LOADING)
        try:
            return coerce(raw, param.ty, f"regions.{matched}.{name}", field=name)
        except DiagnosticError as err:
            diag = err.diagnostics[0]
            raise EvalError(diag.code, span, hints=diag.hints, **dict(diag.args)) from None
        except DecimalException as signal:     # a value beyond the decimal range
            raise decimal_error(signal, span, f"the region value of {name}") from None
        finally:
            setcontext(previous)

    # ------------------------------------------------------------ record fields
    def field(self, name: str, span):
        value = self.record.get(name, _MISSING)
        if value is _MISSING:
            default = self.defaults.get(name)
            if default is not None:
                value = default(self, {})
            else:
                if name in self.kind.optional:
                    value = None
                else:
                    raise EvalError("E523", span, hints=[Hint.of("hint.E523", field=name)],
                                    field=name)
        return value

    def record_step(self) -> bool:
        """May the explanation take one more node?  Past MAX_EXPLAIN_STEPS it records no
        more (the values are still computed in full) and says it was cut."""
        if self.steps_left > 0:
            self.steps_left -= 1
            return True
        self.cut = True
        return False

    def leaf(self, kind: str, name: str, value, type_text: str, owner=None) -> None:
        """Show a value read (a field of the record, or of `owner`, one of its entries) under
        the rule being explained, once per rule."""
        if self.stack and \
                not self.stack[-1].has_leaf((kind, name, id(owner), _leaf_key(value))) \
                and self.record_step():
            self.stack[-1].add(ExplainNode(kind, name, value, type_text))

    def depth_error(self, name: str, span) -> EvalError:
        """E566 for a RecursionError while computing `name` (declared at `span`): located at
        the innermost rule the evaluation reached."""
        compiled, self.too_deep = self.too_deep, None
        if compiled is not None:
            name, span = compiled.name, compiled.rule.name_span
        err = EvalError("E566", span, hints=[Hint.of("hint.E566")], limit=RECURSION_LIMIT)
        err.rule = name
        if compiled is not None:
            err.cite = compiled.cite
        return err


# ====================================================================== entry point
def evaluate_outputs(model: Model, record: dict, as_of: dt.date, regions=None, outputs=None,
                     explain: bool = False, program: Program | None = None) -> Evaluation:
    """`program`: closures built otherwise than program_for's (condition coverage's probes);
    its own explain setting then decides whether trees are recorded."""
    if program is None:
        program = program_for(model, explain)
    explain = program.explain
    policy = program.ir
    kind = record.get("kind") or policy.default_kind
    kinds = [k.name for k in policy.kinds]
    if kind not in kinds:
        raise DiagnosticError([Diagnostic.error(
            "E582", None, kind=kind, kinds=", ".join(kinds) or "-")])
    if outputs is None:
        names = list(program.outputs_by_kind.get(kind, ()))
    else:
        names = list(outputs)
    if not names and program.outputs:
        raise DiagnosticError([Diagnostic.error(
            "E583", None, policy=policy.policy_id, kind=kind,
            kinds=", ".join(sorted(program.outputs_by_kind)))])
    if outputs is not None:
        unknown = [n for n in names if n not in program.kind_of]
        if unknown:
            raise DiagnosticError([Diagnostic.error(
                "E580", None, hints=did_you_mean(unknown[0], program.outputs),
                name=unknown[0], outputs=", ".join(program.outputs))])
        other = [n for n in names if program.kind_of[n] != kind]
        if other:
            raise DiagnosticError([Diagnostic.error(
                "E581", None, name=other[0], kind=program.kind_of[other[0]], here=kind)])
    ctx = Context(program, record, kind, as_of, regions)
    # A recursion on years nests up to MAX_YEARS_IN_RANGE rule calls.
    with deep_recursion():
        return _evaluate(ctx, policy, names, explain)


def evaluate_call(model: Model, record: dict, as_of: dt.date, regions, name: str,
                  args: tuple, explain: bool = True) -> Evaluation:
    """One rule called with `args` (already values of its parameter types), for one record:
    what `yibao explain 'rule(2027)'` shows.  The result is keyed by the rule's name."""
    program = program_for(model, explain)
    policy = program.ir
    kind = record.get("kind") or policy.default_kind
    if program.kind_of.get(name, kind) != kind:
        raise DiagnosticError([Diagnostic.error("E581", None, name=name,
                                                kind=program.kind_of[name], here=kind)])
    ctx = Context(program, record, kind, as_of, regions)
    values, errors, trees, inapplicable = {}, {}, {}, {}
    previous = pinned(EVALUATION)
    try:
        with deep_recursion():
            if explain:
                ctx.stack = [ExplainNode("root", name, None, "")]
            try:
                value = ctx.rule(name, tuple(args))
                (inapplicable if type(value) is NotApplicable else values)[name] = value
            except EvalError as err:
                if err.rule is None:
                    err.rule = name
                errors[name] = err
            except RecursionError:
                errors[name] = ctx.depth_error(name, policy.rule(name).name_span)
            if explain and ctx.stack[0].children:
                trees[name] = ctx.stack[0].children[0]
    finally:
        setcontext(previous)
    return Evaluation(values, errors, trees, {name} if ctx.cut else set(), inapplicable)


def _evaluate(ctx: Context, policy: ir.Program, names: list[str], explain: bool) -> Evaluation:
    values: dict[str, object] = {}
    errors: dict[str, EvalError] = {}
    trees: dict[str, ExplainNode] = {}
    cut: set[str] = set()
    not_applicable: dict[str, NotApplicable] = {}
    # One pinned decimal context for the whole evaluation (arithmetic.py), entered once.
    previous = pinned(EVALUATION)
    try:
        for name in names:
            rule = policy.rule(name)
            if explain:
                ctx.stack = [ExplainNode("root", name, None, "")]
                ctx.steps_left, ctx.cut = MAX_EXPLAIN_STEPS, False
            try:
                value = ctx.rule(name, ())
                if type(value) is NotApplicable:
                    not_applicable[name] = value
                elif rule.ty == MONEY and not is_whole_cents(value):
                    raise EvalError("E510", rule.name_span, hints=[Hint.of("hint.E510")],
                                    name=name, value=plain_text(value))
                else:
                    values[name] = value
            except EvalError as err:
                if err.rule is None:
                    err.rule = name
                errors[name] = err
            except RecursionError:
                errors[name] = ctx.depth_error(name, rule.name_span)
            if explain:
                children = ctx.stack[0].children
                if children:
                    trees[name] = children[0]
                if ctx.cut:
                    cut.add(name)
    finally:
        setcontext(previous)
    return Evaluation(values, errors, trees, cut, not_applicable)


__all__ = ["Evaluation", "EvalError", "evaluate_outputs", "evaluate_call", "ir_for", "program_for", "Program"]
