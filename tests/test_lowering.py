"""The lowered form (interpreter/ir.py, lower.py): what it decides, and the cases where the
checker and the evaluator used to disagree (a constant default that crashed evaluation,
enum order in `max`, `any` stopping early, division in the host's decimal context)."""
import decimal
from decimal import Decimal

import pytest

from yibao.interpreter import ir
from yibao.interpreter.evaluator import ir_for
from yibao.interpreter.values import History

from .test_evaluator import entry, error_code, person, policy_of, value

OWN_HEADER = """
policy unit-test {
  title "测试"
  status draft
}
"""


def own_policy(tmp_path, body: str):
    """A policy with only the header: the body declares its own records and input."""
    from yibao.interpreter.api import load_policy

    path = tmp_path / "unit-test.policy"
    path.write_text(OWN_HEADER + body, encoding="utf-8")
    return load_policy(path)

NESTED_DEFAULTS = """
record Claim {
  amount: int default -1
  tags: list of text default []
  remark: optional text
}

input person {
  id: text
  claims: history of Claim default []
}

output amount_2025: int {
  = claims[2025].amount
}
output tag_count_2025: int {
  = count { t in claims[2025].tags }
}
"""


def test_negative_and_list_defaults_of_nested_fields_are_values(tmp_path):
    policy = own_policy(tmp_path, NESTED_DEFAULTS)
    record = person(claims=History.of([{"year": 2025}]))
    # The entry for 2025 names neither field: each takes its declared default.
    assert value(policy, "amount_2025", record) == -1
    assert value(policy, "tag_count_2025", record) == 0
    given = person(claims=History.of([{"year": 2025, "amount": 7, "tags": ("a", "b")}]))
    assert value(policy, "amount_2025", given) == 7
    assert value(policy, "tag_count_2025", given) == 2


def test_the_defaults_are_constants_in_the_ir(tmp_path):
    program = ir_for(own_policy(tmp_path, NESTED_DEFAULTS))
    reads = [node for rule in program.rules for node in _walk(rule.body)
             if isinstance(node, ir.FieldOf)]
    defaults = {node.name: node.default for node in reads}
    assert defaults == {"amount": -1, "tags": ()}


ENUM_ORDER = """
enum Tier {
  low
  middle
  high
}

input person {
  id: text
  one: Tier
  other: Tier
  tiers: list of Tier default []
}

output larger: Tier {
  = max(one, other)
}
output smaller: Tier {
  = min(one, other)
}
output top: Tier {
  = max { t in tiers => t default low }
}
output bottom: Tier {
  = min { t in tiers => t default high }
}
"""


@pytest.mark.parametrize("first, second, larger, smaller", [
    # Declaration order low < middle < high, not the order of the texts ("high" < "low").
    ("low", "high", "high", "low"),
    ("high", "middle", "high", "middle"),
    ("middle", "middle", "middle", "middle"),
])
def test_max_and_min_of_two_enum_members_follow_declaration(tmp_path, first, second, larger,
                                                              smaller):
    policy = own_policy(tmp_path, ENUM_ORDER)
    record = person(one=first, other=second)
    assert value(policy, "larger", record) == larger
    assert value(policy, "smaller", record) == smaller


def test_max_and_min_aggregates_over_enum_members_follow_declaration(tmp_path):
    policy = own_policy(tmp_path, ENUM_ORDER)
    record = person(one="low", other="low", tiers=("middle", "high", "low"))
    assert value(policy, "top", record) == "high"
    assert value(policy, "bottom", record) == "low"
    empty = person(one="low", other="low", tiers=())
    assert value(policy, "top", empty) == "low"       # the defaults
    assert value(policy, "bottom", empty) == "high"


SHORT_CIRCUIT = """
output any_paid: bool {
  = any { y in 2020 .. 2023 where entries[y].amount > 0 元 }
}
output all_paid: bool {
  = all { y in 2020 .. 2023 where entries[y].amount > 0 元 }
}
"""


def test_any_stops_at_the_first_item_that_holds(tmp_path):
    policy = policy_of(tmp_path, SHORT_CIRCUIT)
    # 2020 paid; 2021 has no entry.  `any` is true at 2020 and never reads 2021.
    record = person(entries=[entry(2020, amount=Decimal(5))])
    assert value(policy, "any_paid", record) is True
    # Reaching the missing year before a true one is still an error.
    late = person(entries=[entry(2022, amount=Decimal(5))])
    assert error_code(policy, "any_paid", late) == "E520"


def test_all_stops_at_the_first_item_that_fails(tmp_path):
    policy = policy_of(tmp_path, SHORT_CIRCUIT)
    record = person(entries=[entry(2020, amount=Decimal(0))])
    assert value(policy, "all_paid", record) is False
    late = person(entries=[entry(2020, amount=Decimal(5))])
    assert error_code(policy, "all_paid", late) == "E520"


DIVISION = """
output third: money {
  = round(100 元 / 3)
}
output ratio: decimal {
  = 2 / 3
}
"""


def test_division_ignores_the_host_decimal_context(tmp_path):
    policy = policy_of(tmp_path, DIVISION)
    # 100 / 3 = 33.333... -> 33.33 after rounding to cents; 2 / 3 to 34 significant digits.
    expected_ratio = Decimal("0." + "6" * 33 + "7")
    with decimal.localcontext(decimal.Context(prec=3, rounding=decimal.ROUND_DOWN)):
        assert value(policy, "third") == Decimal("33.33")
        assert value(policy, "ratio") == expected_ratio
        assert decimal.getcontext().prec == 3        # and the host's context is left as it was
    assert value(policy, "ratio") == expected_ratio


LAYOUT_A = """
output total: money {
  = 3 元 + 4 元   # a comment
}
output grade: int {
  = 1
  exception older {
    when year(birth_date) < 1980
    = 2
  }
}
"""

LAYOUT_B = """
# the same rules, laid out differently



output total: money {
  = 3 元 + 4 元
}
output grade: int {
      = 1
      exception older {
        when year(birth_date) < 1980
        = 2
      }
}
"""


def test_policies_that_differ_only_in_layout_lower_to_equal_programs(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = ir_for(policy_of(tmp_path / "a", LAYOUT_A))
    b = ir_for(policy_of(tmp_path / "b", LAYOUT_B))
    assert a == b
    changed = ir_for(policy_of(tmp_path, LAYOUT_B.replace("< 1980", "< 1981")))
    assert changed != a


def test_operators_are_chosen_by_type(tmp_path):
    policy = policy_of(tmp_path, """
output later: date {
  = birth_date + years(1)
}
output months_total: duration {
  = months(2) + months(3)
}
output doubled: money {
  = 2 * 5 元
}
output count_sum: int {
  = 2 + 3
}
""")
    program = ir_for(policy)
    kinds = {rule.name: rule.body.body.kind for rule in program.rules
             if isinstance(rule.body, ir.Case) and isinstance(rule.body.body, ir.Arith)}
    assert kinds == {"later": "date_add_months", "months_total": "duration_add",
                     "doubled": "dec_mul", "count_sum": "int_add"}


def _walk(node):
    stack = [node]
    while stack:
        current = stack.pop()
        if current is None:
            continue
        yield current
        stack.extend(ir.children(current))


def test_a_default_that_reads_like_a_marker_is_still_a_value(tmp_path):
    policy = own_policy(tmp_path, """
record Claim {
  remark: text default "<missing>"
}

input person {
  id: text
  claims: history of Claim default []
}

output remark_2025: text {
  = claims[2025].remark
}
""")
    assert value(policy, "remark_2025", person(claims=History.of([{"year": 2025}]))) == \
        "<missing>"
