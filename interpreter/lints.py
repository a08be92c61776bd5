"""Checker passes that warn where a policy says something other than what its author most
likely meant: each is a pattern a new author fell into while encoding a real text.

* Y317: an exception nested in another exception applies wherever its own condition holds,
  even where its parent's does not (an applicable exception beats its parent, whatever the
  parent's guard).  Authors read nesting as "within"; the warning asks them to write the
  parent's condition into the child, which makes the two readings agree.
* Y318: a dated parameter read at the evaluation date, multiplied by a count of years, prices
  every past year at today's value: a step raised in 2027 would re-price 2025.  Sum each
  year's amount at the value in force then instead (`sum { y in … => step on date(y, 1, 1) }`).
"""
from __future__ import annotations

from . import nodes
from .diagnostics import Diagnostic, Hint
from .model import Model
from .types import MONEY, PERCENT, DECIMAL


def _conjuncts(expr: nodes.Expr | None) -> list[nodes.Expr]:
    """`a and b and c` as [a, b, c] (nodes compare without their places)."""
    if expr is None:
        return []
    if isinstance(expr, nodes.Binary) and expr.op == "and":
        return _conjuncts(expr.left) + _conjuncts(expr.right)
    return [expr]


def _bound(expr: nodes.Expr):
    """`X op literal` as (X, op, value), else None."""
    if isinstance(expr, nodes.Binary) and expr.op in ("<", "<=", ">", ">=", "==") and \
            isinstance(expr.right, nodes.Literal) and expr.right.kind in ("int", "decimal", "date"):
        return expr.left, expr.op, expr.right.value
    return None


def _implies(have: nodes.Expr, wanted: nodes.Expr) -> bool:
    """`have` being true makes `wanted` true: the same condition, or a tighter bound on the
    same expression (`y < 2025` implies `y < 2026`)."""
    if have == wanted:
        return True
    a, b = _bound(have), _bound(wanted)
    if a is None or b is None or a[0] != b[0]:
        return False
    (_, op_a, va), (_, op_b, vb) = a, b
    try:
        if op_a == "==":
            return {"==": va == vb, "<": va < vb, "<=": va <= vb, ">": va > vb,
                    ">=": va >= vb}[op_b]
        if op_b in ("<", "<=") and op_a in ("<", "<="):
            return va < vb or (va == vb and (op_b == "<=" or op_a == "<"))
        if op_b in (">", ">=") and op_a in (">", ">="):
            return va > vb or (va == vb and (op_b == ">=" or op_a == ">"))
    except TypeError:       # values of different kinds do not bound each other
        return False
    return False


def _own_rules(model: Model):
    """The rules (with their cases) written in the file being checked."""
    for item in model.chain[-1].items:
        if isinstance(item, nodes.RuleDecl) and not item.required:
            yield item


def check_nested_exceptions(model: Model, diags: list[Diagnostic]) -> None:
    """Y317: a nested exception whose condition leaves out a part of its parent's."""
    def visit(parent: nodes.ExceptionCase) -> None:
        wanted = _conjuncts(parent.guard)
        for child in parent.exceptions:
            have = _conjuncts(child.guard)
            missing = [c for c in wanted if not any(_implies(h, c) for h in have)]
            if missing:
                shown = " and ".join(model.source_text(c) for c in missing)
                diags.append(Diagnostic.warning(
                    "Y317", child.guard.span, hints=[Hint.of("hint.Y317", condition=shown)],
                    child=child.ident, parent=parent.ident, condition=shown))
            visit(child)

    for decl in _own_rules(model):
        for exc in decl.exceptions:
            visit(exc)


def _count_of_years(expr: nodes.Expr) -> bool:
    return isinstance(expr, nodes.Aggregate) and expr.kind == "count" and \
        isinstance(expr.source, nodes.YearRange)


def check_dated_amounts_over_years(model: Model, diags: list[Diagnostic]) -> None:
    """Y318: `param * count { y in A .. B … }` with a dated parameter read at as_of."""
    for decl in _own_rules(model):
        bodies = [decl.body] + [e.body for e in _all_cases(decl.exceptions)]
        for body in bodies:
            if body is None:
                continue
            for expr in nodes.walk(body):
                if not (isinstance(expr, nodes.Binary) and expr.op == "*"):
                    continue
                for amount, count in ((expr.left, expr.right), (expr.right, expr.left)):
                    name = _dated_parameter(model, amount)
                    if name is not None and _count_of_years(count):
                        diags.append(Diagnostic.warning(
                            "Y318", expr.span, hints=[Hint.of("hint.Y318", name=name)],
                            name=name))


def _all_cases(cases):
    for case in cases:
        yield case
        yield from _all_cases(case.exceptions)


def _dated_parameter(model: Model, expr: nodes.Expr) -> str | None:
    """The name of a plain (not by-region) parameter of an amount type that `expr` reads at
    the evaluation date, else None."""
    if not isinstance(expr, nodes.Name):
        return None
    ref = model.refs.get(expr.nid)
    if ref is None or ref.kind != "param":
        return None
    param = model.params.get(ref.name)
    if param is None or param.decl.keys or param.ty not in (MONEY, PERCENT, DECIMAL):
        return None
    return ref.name


LINTS = (check_nested_exceptions, check_dated_amounts_over_years)
