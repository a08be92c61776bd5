"""Condition coverage (MC/DC) of each `when`: did the tests show that every atomic condition
of a guard, on its own, changes whether the case applies?

A guard is a decision; its atoms are the operands of its `and`, `or` and `not` that are
not themselves `and`, `or` or `not` (a comparison, a bool field, a rule call, `exists`…).
While the cases run, a probing closure builder (ProbingBuilder) evaluates each guard atom
by atom, with exactly the evaluator's short-circuit order, and records one *instance* per
evaluation of the guard: the value of each atom (None where the short circuit left it
unevaluated) and the decision's outcome.  A guard inside a rule called for many years
gives an instance per call.

An atom is *shown* when two instances have different outcomes, both evaluated the atom
and saw different values, and agree on every other atom both of them evaluated.  An atom
one of the two left unevaluated cannot have decided that instance, so it does not spoil
the pair (this is MC/DC's "unique cause" with short-circuit masking, the reading used for
short-circuit languages).  A guard of one atom is shown when it was seen both true and
false.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from . import ir
from .closures import Builder


def atoms_of(guard: ir.Expr) -> list[ir.Expr]:
    """The atoms of a guard, left to right."""
    if isinstance(guard, ir.Logic):
        return atoms_of(guard.left) + atoms_of(guard.right)
    if isinstance(guard, ir.Not):
        return atoms_of(guard.operand)
    return [guard]


@dataclass
class Decision:
    """One `when` of a policy, its atoms' texts, and the instances the cases produced."""
    rule: str
    ident: str                     # the case's identity: `rule`, `rule#exception`, ...
    guard: str                     # the guard as written, on one line
    atoms: tuple[str, ...]         # each atom as written
    where: str | None              # FILE:LINE of the `when`
    cite: str | None
    instances: set = field(default_factory=set)   # {(atom values, outcome)}
    decidable: tuple[bool, ...] = ()   # per atom: can it decide alone here at all?

    def shown(self) -> list[bool]:
        """For each atom, whether a pair of instances shows it deciding on its own."""
        seen = list(self.instances)
        found = [False] * len(self.atoms)
        for a in range(len(seen)):
            for b in range(a + 1, len(seen)):
                atom = deciding_atom(seen[a], seen[b])
                if atom is not None:
                    found[atom] = True
        return found


def deciding_atom(first: tuple, second: tuple) -> int | None:
    """The atom a pair of instances shows deciding alone: the outcomes differ and so does
    exactly one atom evaluated on both sides.  None when the pair shows none."""
    (values_a, out_a), (values_b, out_b) = first, second
    if bool(out_a) == bool(out_b):
        return None
    differing = [i for i, (x, y) in enumerate(zip(values_a, values_b))
                 if x is not None and y is not None and x != y]
    return differing[0] if len(differing) == 1 else None


# ------------------------------------------------------------------ which atoms can decide
# A `when` is evaluated only when none of its case's exceptions applied (all of them are
# tried first), so an atom may be unable to decide alone at all: Wuxi's base case
# `fund_in_scope and has_deficit and plan_completed` sits under an exception
# `fund_in_scope and not has_deficit`, and whenever has_deficit is false with
# fund_in_scope true, the exception applies and the base case is not looked at.  Such an
# atom is not a missing test but a condition that says nothing there; it is found by
# treating the atoms of the guard and of the exceptions' guards as free booleans (one
# variable per distinct atom, `a <= b` the negation of `a > b`) and looking, among the
# assignments under which no exception's guard holds, for a pair that shows the atom.
# Treating atoms as independent only adds assignments, so "cannot decide" is never said
# of an atom some record could show.  Beyond MAX_FREE_ATOMS variables nothing is claimed.
MAX_FREE_ATOMS = 12
_NEGATED_OP = {">=": "<", "<=": ">", "!=": "=="}


def _canonical(atom: ir.Expr):
    """(a key equal for equal atoms, whether the atom is the negation of the keyed one)."""
    if isinstance(atom, ir.Compare) and atom.op in _NEGATED_OP:
        return ir.Compare(atom.ty, _NEGATED_OP[atom.op], atom.left, atom.right), True
    if isinstance(atom, ir.Member) and atom.negated:
        return ir.Member(atom.ty, atom.item, atom.items, False), True
    if isinstance(atom, ir.IsNone) and atom.negated:
        return ir.IsNone(atom.ty, atom.operand, False), True
    return atom, False


def _boolean(e: ir.Expr, variables: dict, values=None, slots=None):
    """`e` as a function of an assignment to the variables (a tuple of bools), with the
    evaluator's short circuit; each atom's value goes into `values` at its slot."""
    if isinstance(e, ir.Logic):
        left = _boolean(e.left, variables, values, slots)
        right = _boolean(e.right, variables, values, slots)
        if e.op == "and":
            return lambda a: left(a) and right(a)
        return lambda a: left(a) or right(a)
    if isinstance(e, ir.Not):
        operand = _boolean(e.operand, variables, values, slots)
        return lambda a: not operand(a)
    key, negated = _canonical(e)
    try:
        index = variables.setdefault(key, len(variables))
    except TypeError:                  # an unhashable constant: a variable of its own
        index = variables.setdefault(("atom", id(e)), len(variables))
    slot = None
    if slots is not None:
        slot = len(slots)
        slots.append(e)

    def atom(a):
        value = a[index] != negated
        if slot is not None:
            values[slot] = value
        return value
    return atom


def decidable_atoms(case: ir.Case) -> list[bool]:
    """For each atom of the case's guard, whether some assignment of the free atoms under
    which no exception's guard holds lets it decide alone (see above)."""
    variables: dict = {}
    slots: list = []
    values: list = []
    guard = _boolean(case.guard, variables, values, slots)
    values.extend([None] * len(slots))
    exceptions = [_boolean(exc.guard, variables) for exc in case.exceptions]
    if len(variables) > MAX_FREE_ATOMS:
        return [True] * len(slots)
    instances = set()
    for assignment in itertools.product((False, True), repeat=len(variables)):
        if any(applies(assignment) for applies in exceptions):
            continue
        values[:] = [None] * len(slots)
        outcome = guard(assignment)
        instances.add((tuple(values), outcome))
    trial = Decision("", case.ident, "", tuple("?" * len(slots)), None, None, instances)
    return trial.shown()


def decisions_of(program: ir.Program, text_of) -> dict[str, Decision]:
    """Every guarded case of a lowered policy, keyed by the case's identity.  `text_of`
    gives an IR node's source text (None when it has no place)."""
    found: dict[str, Decision] = {}
    for rule in program.rules:
        if not isinstance(rule.body, ir.Case):
            continue
        stack = [rule.body]
        while stack:
            case = stack.pop()
            stack.extend(reversed(case.exceptions))
            if case.guard is None:
                continue
            atoms = atoms_of(case.guard)
            span = case.guard.span
            found[case.ident] = Decision(
                rule.name, case.ident, case.guard_text or "",
                tuple(text_of(a) or "?" for a in atoms),
                f"{span.path}:{span.line}" if span is not None and span.line > 0 else None,
                case.citation.cite, decidable=tuple(decidable_atoms(case)))
    return found


class ProbingBuilder(Builder):
    """A closure builder whose case guards record their atoms' values into `decisions`
    (the Decision of each case identity); everything else is built as usual."""

    def __init__(self, explain: bool, decisions: dict[str, Decision]):
        super().__init__(explain)
        self.decisions = decisions

    def guard(self, case: ir.Case):
        decision = self.decisions.get(case.ident)
        if case.guard is None or decision is None:
            return super().guard(case)
        atoms: list = []
        decide = self._decide(case.guard, atoms)
        count = len(atoms)
        instances = decision.instances

        def probed(c, env):
            values = [None] * count
            outcome = decide(c, env, values)
            instances.add((tuple(values), outcome))
            return outcome
        return probed

    def _decide(self, e: ir.Expr, atoms: list):
        """The guard as a closure that also writes each atom's value into its slot; `and`,
        `or` and `not` as closures.py evaluates them (left first, stopping early)."""
        if isinstance(e, ir.Logic):
            left, right = self._decide(e.left, atoms), self._decide(e.right, atoms)
            if e.op == "and":
                return lambda c, env, values: left(c, env, values) and right(c, env, values)
            return lambda c, env, values: left(c, env, values) or right(c, env, values)
        if isinstance(e, ir.Not):
            operand = self._decide(e.operand, atoms)
            return lambda c, env, values: not operand(c, env, values)
        slot = len(atoms)
        atoms.append(e)
        atom = self.expr(e)

        def recorded(c, env, values):
            value = atom(c, env)
            values[slot] = value
            return value
        return recorded
