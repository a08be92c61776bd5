"""The author-trap warnings (interpreter/lints.py): when they fire and when they must not."""
import pytest

from yibao.interpreter import nodes
from yibao.interpreter.lints import _implies

from .test_evaluator import policy_of


def bound(op, value, name="y"):
    return nodes.Binary(None, op, nodes.Name(None, name),
                        nodes.Literal(None, "int", value, str(value)))


@pytest.mark.parametrize("have, wanted, implied", [
    (bound("<", 2025), bound("<", 2026), True),     # tighter upper bound
    (bound("<", 2026), bound("<", 2026), True),     # the same condition
    (bound("<=", 2026), bound("<", 2026), False),   # 2026 itself escapes
    (bound("<", 2026), bound("<=", 2026), True),
    (bound("==", 2024), bound("<", 2025), True),
    (bound(">", 2026), bound("<", 2030), False),    # other direction
    (bound(">=", 2027), bound(">", 2026), True),
    (bound("<", 2025, "x"), bound("<", 2026), False),   # another expression
])
def test_a_tighter_bound_implies_the_looser_one(have, wanted, implied):
    assert _implies(have, wanted) is implied


def warnings_of(tmp_path, body):
    from yibao.interpreter.api import check_paths
    policy_of(tmp_path, body)          # loads cleanly (warnings do not stop loading)
    diags, _, _ = check_paths([tmp_path / "unit-test.policy"])
    return [d.code for d in diags if d.severity == "warning"]


NESTED = """
output start: date {
  = date(benefit_year, 4, 1)
  exception early {
    when benefit_year < 2030 and exists entries[benefit_year]
    = date(benefit_year, 1, 1)
    exception earliest {
      when %s
      = birth_date
    }
  }
}
"""


@pytest.mark.parametrize("condition, warned", [
    ("year(birth_date) == benefit_year", True),
    ("exists entries[benefit_year] and year(birth_date) == benefit_year", True),
    ("benefit_year < 2029 and exists entries[benefit_year] and year(birth_date) == benefit_year",
     False),
])
def test_a_nested_exception_must_repeat_its_parents_condition(tmp_path, condition, warned):
    assert ("Y317" in warnings_of(tmp_path, NESTED % condition)) is warned


STEP = """
parameter step: money {
  from 2025-01-01: 3000 元
}

output incentive: money {
  = %s
}
"""


@pytest.mark.parametrize("value, warned", [
    ("step * count { y in 2025 .. benefit_year where exists entries[y] }", True),
    ("count { y in 2025 .. benefit_year where exists entries[y] } * step", True),
    ("sum { y in 2025 .. benefit_year where exists entries[y] => step on date(y, 1, 1) }", False),
    ("step * 2", False),
])
def test_a_dated_amount_times_a_count_of_years_is_warned(tmp_path, value, warned):
    assert ("Y318" in warnings_of(tmp_path, STEP % value)) is warned
