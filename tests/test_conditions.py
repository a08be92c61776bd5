"""Condition coverage's probing closures (interpreter/conditions.py) evaluate each `when`
atom by atom; they must give exactly the outcomes of the evaluator's own closures, and
record what each atom was, in the evaluator's short-circuit order."""
from __future__ import annotations

import datetime as dt

import pytest

from yibao.interpreter import api, ir
from yibao.interpreter.conditions import Decision, atoms_of, deciding_atom
from yibao.interpreter.coverage import coverage_for
from yibao.interpreter.diff.search import Domains, Shape, candidates
from yibao.interpreter.evaluator import evaluate_outputs, ir_for
from yibao.interpreter.records import record_from_data

from .builders import policy_and_regions

# (policy, region file, a date its examples use)
POLICIES = [
    ("jiangxi-2024-34", "examples/regions.yaml", dt.date(2028, 2, 1)),
    ("sichuan-2025", "examples/regions.yaml", dt.date(2027, 6, 1)),
    ("shandong-2024-assistance", "examples/shandong/regions.yaml", dt.date(2026, 6, 1)),
    ("wuxi-2019-73", None, dt.date(2021, 3, 1)),
    ("jinggu-2018", None, dt.date(2016, 10, 1)),
]


def _outcome(result):
    return (result.values, {n: e.code for n, e in result.errors.items()},
            {n: na.reason for n, na in result.not_applicable.items()})


@pytest.mark.parametrize("name, regions_path, on", POLICIES, ids=[p[0] for p in POLICIES])
def test_probed_guards_give_the_evaluators_outcomes(name, regions_path, on):
    policy, regions = policy_and_regions(name, regions_path)
    covered = coverage_for(policy, policy.policy_id)
    compared = 0
    for kind in policy.input_types:
        if not policy.outputs_for(kind):
            continue
        shape = Shape(policy, kind, Domains([policy], on, regions),
                      set(policy.read_fields_by_kind.get(kind, ())))
        for count, data in enumerate(candidates(shape)):
            if count >= 300:
                break
            record = record_from_data(policy, data, "candidate")[0]
            plain = api.evaluate(policy, record, on, regions)
            probed = evaluate_outputs(policy, record, on, regions, program=covered.program)
            assert _outcome(probed) == _outcome(plain), data
            compared += 1
    assert compared >= 100
    # the probes did record: some `when` was evaluated both ways
    assert any(len({out for _, out in d.instances}) == 2 for d in covered.decisions.values())
    # and no atom said to be unable to decide alone was seen deciding alone
    for decision in covered.decisions.values():
        assert all(can or not shown
                   for shown, can in zip(decision.shown(), decision.decidable)), decision.ident


def test_atoms_are_the_operands_of_and_or_not_left_to_right():
    a, b, c = (ir.Local(None, name) for name in "abc")
    guard = ir.Logic(None, "and", a, ir.Not(None, ir.Logic(None, "or", b, c)))
    assert atoms_of(guard) == [a, b, c]
    assert atoms_of(ir.Compare(None, "==", a, b)) == [ir.Compare(None, "==", a, b)]


@pytest.mark.parametrize("first, second, atom", [
    (((True, True), True), ((True, False), False), 1),      # b alone differs
    (((True, True), True), ((False, None), False), 0),      # b masked on one side
    (((True, True), True), ((False, False), False), None),  # both differ: no unique cause
    (((True, True), True), ((True, True), True), None),     # same outcome
    (((False, None), False), ((False, True), False), None),
])
def test_a_pair_shows_the_one_atom_that_differs_where_both_looked(first, second, atom):
    assert deciding_atom(first, second) == atom
    assert deciding_atom(second, first) == atom


def test_a_one_atom_guard_is_shown_once_seen_both_ways():
    decision = Decision("r", "r", "x", ("x",), None, None, {((True,), True)})
    assert decision.shown() == [False]
    decision.instances.add(((False,), False))
    assert decision.shown() == [True]


MASKED = """policy masked-policy {{
  title "条件"
  status template
}}

input person {{
  id: text
  a: bool
  b: bool
  x: int
}}

output answer: text {{
  when {guard}
  = "yes"
  exception other {{
    when {exception}
    = "no"
  }}
}}
"""


@pytest.mark.parametrize("guard, exception, decidable", [
    # b false with a true is exactly when the exception applies: the base `when` is never
    # looked at then, so b cannot decide it; a can (a false: no exception, base false)
    ("a and b", "a and not b", (True, False)),
    # `x <= 3` is the negation of `x > 3`: whenever `x > 3` is false the exception applies
    ("x > 3 and b", "x <= 3", (False, True)),
    # an exception on something else masks nothing
    ("a and b", "x == 7", (True, True)),
])
def test_an_atom_an_exception_always_masks_cannot_decide(tmp_path, guard, exception,
                                                         decidable):
    path = tmp_path / "masked-policy.policy"
    path.write_text(MASKED.format(guard=guard, exception=exception), encoding="utf-8")
    covered = coverage_for(api.load_policy(path), "masked-policy")
    assert covered.decisions["answer"].decidable == decidable
    # not counted among the conditions, listed apart
    other = covered.decisions["answer#other"]
    assert all(other.decidable)                       # nothing above an exception masks it
    assert covered.conditions()[1] == sum(decidable) + len(other.atoms)
    assert [atom for _, atom in covered.conditions_undecidable()] == \
        [atom for atom, can in zip(covered.decisions["answer"].atoms, decidable) if not can]
