"""Evaluation under hostile numbers and shapes: every failure is a located EvalError.

- decimal arithmetic runs in one pinned context, whatever the host process has set, and
  `+ - *` are exact or an error (E563 too large, E564 too many digits, E568 too small);
- a quotient has limits.DIVISION_DIGITS significant digits, rounded half even;
- ints stay within limits.INT_MIN .. INT_MAX (E565);
- durations add up in `sum`;
- a recursion deeper than Python's stack is an error for that output (E566), not a crash.

Expected values are worked out by hand in the comments beside them.
"""
import datetime as dt
import decimal
import json
from decimal import Decimal
from pathlib import Path

import pytest

from yibao.interpreter import arithmetic
from yibao.interpreter.api import evaluate, evaluate_measures, load_policy, load_record, load_regions
from yibao.interpreter.formatting import to_json, to_text
from yibao.interpreter.limits import ARITHMETIC_DIGITS, DIVISION_DIGITS, INT_MAX, INT_MIN
from yibao.interpreter.values import Duration

from .builders import region_file
from .test_evaluator import HEADER, ON, person, policy_of

ROOT = Path(__file__).resolve().parent.parent

NUMBERS = """
parameter nines: decimal {
  from 2000-01-01: 999999999999999999
}

parameter power: decimal {
  from 2000-01-01: 1000000000000000000
}

parameter tiny: decimal {
  from 2000-01-01: 0.000000000000000001
}

rule squared_nines(y: int >= 2000): decimal {
  = if y == 2000 then nines else squared_nines(y - 1) * squared_nines(y - 1)
}

rule squared_power(y: int >= 2000): decimal {
  = if y == 2000 then power else squared_power(y - 1) * squared_power(y - 1)
}

rule squared_tiny(y: int >= 2000): decimal {
  = if y == 2000 then tiny else squared_tiny(y - 1) * squared_tiny(y - 1)
}

rule squared_three(y: int >= 2000): int {
  = if y == 2000 then 3 else squared_three(y - 1) * squared_three(y - 1)
}

output nines_8: decimal {
  = squared_nines(2003)
}

output nines_4: decimal {
  = squared_nines(2002)
}

output power_64: decimal {
  = squared_power(2006)
}

output tiny_64: decimal {
  = squared_tiny(2006)
}

output three_64: int {
  = squared_three(2006)
}

output three_32: int {
  = squared_three(2005)
}

output third: decimal {
  = 1 / 3
}

output two_thirds: decimal {
  = 2 / 3
}

output by_zero: decimal {
  = 1 / (2 - 2)
}

output zero_by_zero: decimal {
  = 0 / (2 - 2)
}

output negated_min: int {
  = -(-9223372036854775807 - 1)
}

output max_plus_one: int {
  = 9223372036854775807 + 1
}

output int_sum: int {
  = sum { y in 1 .. 2 => 9223372036854775807 }
}

output many_years: duration {
  = years(9223372036854775807)
}

output long_duration: duration {
  = 9223372036854775807 个月 + 1 个月
}

output share_of_premium: money {
  = round(380 元 * 12.5% / 3)
}
"""


def place(body: str, needle: str) -> tuple[int, int]:
    """1-based (line, column) of `needle` in the policy text policy_of writes for `body`."""
    text = HEADER.format(pid="unit-test") + body
    before = text[:text.index(needle)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def outcome(policy, name, record=None, on=ON):
    result = evaluate(policy, record or person(), on, outputs=[name])
    return result.values.get(name), result.errors.get(name)


def error(policy, name):
    value, err = outcome(policy, name)
    assert err is not None, f"{name} unexpectedly = {value!r}"
    return err


# ------------------------------------------------------------------ exact + - *
def test_a_product_within_the_digits_is_exact(tmp_path):
    policy = policy_of(tmp_path, NUMBERS)
    value, err = outcome(policy, "nines_4")
    assert err is None
    # (10^18 - 1)^4, by the binomial theorem: 10^72 - 4·10^54 + 6·10^36 - 4·10^18 + 1
    assert value == 10 ** 72 - 4 * 10 ** 54 + 6 * 10 ** 36 - 4 * 10 ** 18 + 1


def test_a_product_needing_more_digits_than_the_context_is_an_error_not_rounded(tmp_path):
    # (10^18 - 1)^8 has 144 significant digits > ARITHMETIC_DIGITS (100)
    assert ARITHMETIC_DIGITS < 144
    err = error(policy_of(tmp_path, NUMBERS), "nines_8")
    assert err.code == "E564"
    assert err.rule == "squared_nines"
    # located at the product in the body of squared_nines
    product = "squared_nines(y - 1) * squared_nines(y - 1)"
    assert (err.span.line, err.span.column) == place(NUMBERS, product)
    message = err.diagnostic.message("en")
    assert "squared_nines(y - 1) * squared_nines(y - 1)" in message and "100" in message
    assert "round(" in err.diagnostic.hint_texts("en")[0]


def test_a_product_beyond_the_exponent_range_overflows_with_a_message(tmp_path):
    # (10^18)^64 = 10^1152: one digit, but beyond 10^999
    err = error(policy_of(tmp_path, NUMBERS), "power_64")
    assert err.code == "E563" and err.rule == "squared_power"
    assert "10^999" in err.diagnostic.message("en")


def test_a_product_below_the_exponent_range_is_an_error_not_zero(tmp_path):
    # (10^-18)^64 = 10^-1152, which would round to 0
    err = error(policy_of(tmp_path, NUMBERS), "tiny_64")
    assert err.code == "E568" and err.rule == "squared_tiny"


def test_a_quotient_has_the_division_digits_rounded_half_even(tmp_path):
    policy = policy_of(tmp_path, NUMBERS)
    assert DIVISION_DIGITS == 34
    assert outcome(policy, "third") == (Decimal("0." + "3" * 34), None)
    # 0.666…6|666… rounds up in the 34th digit
    assert outcome(policy, "two_thirds") == (Decimal("0." + "6" * 33 + "7"), None)
    # 380 × 0.125 = 47.5; / 3 = 15.8333…; to the cent 15.83
    assert outcome(policy, "share_of_premium") == (Decimal("15.83"), None)


def test_division_by_zero_and_zero_by_zero_are_located_errors(tmp_path):
    policy = policy_of(tmp_path, NUMBERS)
    for name in ("by_zero", "zero_by_zero"):
        err = error(policy, name)
        assert err.code == "E562" and err.span.line > 0


# ------------------------------------------------------------------ bounded ints
@pytest.mark.parametrize("name, value", [
    ("negated_min", 2 ** 63),
    ("max_plus_one", 2 ** 63),
    ("int_sum", 2 * (2 ** 63 - 1)),
    ("many_years", 12 * (2 ** 63 - 1)),
    ("long_duration", 2 ** 63),
    ("three_64", 3 ** 64),          # squared six times: 3^(2^6)
])
def test_int_results_beyond_64_bits_are_errors_naming_the_value(tmp_path, name, value):
    err = error(policy_of(tmp_path, NUMBERS), name)
    assert err.code == "E565"
    message = err.diagnostic.message("en")
    assert str(value) in message and str(INT_MIN) in message and str(INT_MAX) in message


def test_int_results_within_64_bits_are_exact(tmp_path):
    # 3^32 = 1853020188851841 < 2^63
    assert outcome(policy_of(tmp_path, NUMBERS), "three_32") == (3 ** 32, None)


# ------------------------------------------------------------------ the host's context
def _every_example():
    corpus = [("jiangxi-2024-34", "jiangxi", "examples/regions.yaml", dt.date(2027, 6, 1)),
              ("sichuan-2025", "sichuan", None, dt.date(2027, 6, 1)),
              ("shandong-2024-assistance", "shandong", "examples/shandong/regions.yaml",
               dt.date(2026, 6, 1)),
              ("wuxi-2019-73", "wuxi", None, dt.date(2021, 6, 1))]
    for policy_id, folder, regions_path, on in corpus:
        policy = load_policy(ROOT / "policies" / f"{policy_id}.policy")
        regions = load_regions(ROOT / regions_path) if regions_path else None
        for path in sorted((ROOT / "examples" / folder).glob("*.yaml")):
            if path.name != "regions.yaml":
                yield policy, load_record(policy, path)[0], on, regions


def _results(cases, extra):
    """Every output's value (JSON and text), "not applicable" with its reason, or error
    code, for every case."""
    shown = []
    for policy, record, on, regions in cases:
        result = evaluate(policy, record, on, regions)
        for name in policy.outputs_for(record.get("kind") or policy.default_kind):
            if name in result.values:
                ty = policy.output_type(name)
                value = result.values[name]
                shown.append((name, json.dumps(to_json(value, ty)), to_text(value, ty)))
            elif name in result.not_applicable:
                shown.append((name, "not applicable", result.not_applicable[name].reason))
            else:
                shown.append((name, result.errors[name].code))
    for policy, name in extra:
        shown.append((name, outcome(policy, name)))
    return shown


def test_a_strange_host_context_changes_nothing(tmp_path):
    cases = list(_every_example())          # records load under the default context
    numbers = policy_of(tmp_path, NUMBERS)
    extra = [(numbers, n) for n in ("nines_4", "third", "two_thirds", "share_of_premium")]
    normal = _results(cases, extra)
    with decimal.localcontext() as host:
        host.prec = 3
        host.rounding = decimal.ROUND_DOWN
        host.Emax, host.Emin = 6, -6
        host.capitals = 0
        for signal in (decimal.Inexact, decimal.Rounded, decimal.Subnormal):
            host.traps[signal] = True
        strange = _results(cases, extra)
        assert decimal.getcontext() is host        # evaluation left the host's context alone
    assert strange == normal
    assert len(normal) > 50


def test_a_host_context_with_traps_cleared_does_not_hide_an_inexact_product(tmp_path):
    policy = policy_of(tmp_path, NUMBERS)
    with decimal.localcontext() as host:
        host.prec = 1000
        for signal in list(host.traps):
            host.traps[signal] = False
        assert error(policy, "nines_8").code == "E564"
        assert error(policy, "by_zero").code == "E562"


# ------------------------------------------------------------------ population measures
MEASURES = """
input person {
  visits: int default 0
  amount: money default 0 元
}

measure total_count: int {
  = sum visits where true
}

measure share_large: percent {
  = share amount > 10 元 among true
}
"""


def test_measures_use_the_pinned_context_and_bounded_sums(tmp_path):
    policy = policy_of(tmp_path, MEASURES)
    people = [{"id": "A", "birth_date": ON, "visits": 1, "amount": Decimal("20.00")},
              {"id": "B", "birth_date": ON, "visits": INT_MAX},
              {"id": "C", "birth_date": ON, "visits": 2}]
    with decimal.localcontext() as host:
        host.prec = 3
        results = evaluate_measures(policy, people, ON)
    # 1 of 3 people above 10 元: 1/3 to 34 digits, not the host's 3
    assert results["share_large"].value == Decimal("0." + "3" * 34)
    total = results["total_count"]
    # 1 + INT_MAX leaves the int range: B is reported and left out; then 1 + 2 = 3
    assert [(who, err.code) for who, err in total.errors] == [("B", "E565")]
    assert (total.value, total.population) == (3, 2)


# ------------------------------------------------------------------ durations
DURATIONS = """
output waiting_total: duration {
  = sum { y in 2020 .. 2024 => 3 个月 }
}

output no_waiting: duration {
  = sum { y in 2020 .. 2019 => 3 个月 }
}

output mixed: duration {
  = sum { y in 1 .. 2 => years(y) } - 1 个月
}
"""


def test_sum_over_durations_adds_whole_months(tmp_path):
    policy = policy_of(tmp_path, DURATIONS)
    assert outcome(policy, "waiting_total") == (Duration(15), None)      # 5 × 3 months
    assert outcome(policy, "no_waiting") == (Duration(0), None)           # empty: zero
    assert outcome(policy, "mixed") == (Duration(35), None)               # 12 + 24 - 1


def test_durations_add_in_python_too_and_sums_stay_in_the_int_range():
    assert Duration(2) + Duration(3) == Duration(5)
    assert Duration(2) - Duration(3) == Duration(-1) and -Duration(2) == Duration(-2)
    add = arithmetic.adder("duration", None, lambda: "`sum`")
    assert add(Duration(1), Duration(2)) == Duration(3)
    with pytest.raises(arithmetic.EvalError) as info:
        add(Duration(INT_MAX), Duration(1))
    assert info.value.code == "E565"


# ------------------------------------------------------------------ depth
def _deep_policy(tmp_path, levels: int):
    nested = "f(y - 1) + 1"
    for _ in range(levels):
        nested = f"(if true then {nested} else 0)"
    return policy_of(tmp_path, DEEP.format(nested=nested))


DEEP = """
rule f(y: int >= 1100): int {{
  = if y == 1100 then 0 else {nested}
}}

output deep: int {{
  = f(benefit_year)
}}

output shallow: int {{
  = 1
}}
"""


@pytest.mark.parametrize("explain", [False, True])
def test_a_recursion_deeper_than_the_stack_is_an_error_for_that_output(tmp_path, explain):
    # 2027 - 1100 = 927 nested calls of f, each ~150 expressions deep: more than
    # limits.RECURSION_LIMIT frames
    policy = _deep_policy(tmp_path, 150)
    result = evaluate(policy, person(), ON, explain=explain)
    assert result.values == {"shallow": 1}
    err = result.errors["deep"]
    assert err.code == "E566" and err.rule == "f"
    # located at the innermost rule reached: the name `f` of `rule f`
    line, column = place(DEEP, "rule f(")
    assert (err.span.line, err.span.column) == (line, column + len("rule "))
    assert "streak" in err.diagnostic.hint_texts("en")[0]
    # and the evaluation can go on afterwards
    again = evaluate(policy, person(), ON, outputs=["shallow"])
    assert again.values == {"shallow": 1}


def test_the_same_recursion_less_deep_evaluates(tmp_path):
    assert outcome(_deep_policy(tmp_path, 5), "deep") == (927, None)


# ------------------------------------------------------------------ every signal is mapped
def test_an_unexpected_decimal_signal_is_still_an_eval_error():
    err = arithmetic.decimal_error(decimal.InvalidOperation([decimal.InvalidOperation]),
                                   None, "`x`")
    assert err.code == "E567" and "InvalidOperation" in err.diagnostic.message("en")


# ------------------------------------------------------------------ region values
REGIONAL = """
parameter rate: percent by region {
  label "比例"
}

parameter cap: money by region {
  label "限额"
}

output regional_rate: percent {
  = rate("江西省")
}

output regional_cap: money {
  = cap("江西省")
}
"""


@pytest.mark.parametrize("host_precision", [28, 3])
def test_region_values_convert_the_same_in_any_host_context(tmp_path, host_precision):
    policy = policy_of(tmp_path, REGIONAL)
    # the values as text, converted when the file is loaded
    day = dt.date(2020, 1, 1)
    regions = load_regions(region_file({"江西省": {"rate": {day: "12.345%"}, "cap": {day: "0.005"}}},
                                       tmp_path))
    with decimal.localcontext() as host:
        host.prec = host_precision
        host.traps[decimal.Inexact] = True
        result = evaluate(policy, person(), ON, regions)
    # 12.345% is the fraction 0.12345, all five digits, whatever the host's precision
    assert result.values == {"regional_rate": Decimal("0.12345")}
    # half a fen is refused by the loader's check, not a decimal.Inexact escaping
    assert result.errors["regional_cap"].code == "R423"


# ------------------------------------------------------------------ explanation size
MANY_READS = """
output paid_years: int {
  = count { e in entries where e.amount > 0 元 }
}
"""


def _nodes(tree) -> int:
    seen, todo, count = set(), [tree], 0
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        count += 1
        todo.extend(node.children)
    return count


def test_an_explanation_past_the_step_limit_is_cut_and_its_value_complete(tmp_path,
                                                                          monkeypatch):
    from yibao.interpreter import evaluator
    from yibao.interpreter.values import History

    from .test_evaluator import entry

    monkeypatch.setattr(evaluator, "MAX_EXPLAIN_STEPS", 40)
    policy = policy_of(tmp_path, MANY_READS)
    # 60 entries, paid in the even years: 30 of them; each entry's amount is one read.
    entries = [entry(1960 + i, amount=Decimal(5 if i % 2 == 0 else 0)) for i in range(60)]
    record = person(entries=entries)
    plain = evaluate(policy, record, ON, outputs=["paid_years"])
    explained = evaluate(policy, record, ON, outputs=["paid_years"], explain=True)
    assert plain.values["paid_years"] == 30
    assert explained.values["paid_years"] == 30
    assert explained.cut == {"paid_years"}
    assert _nodes(explained.trees["paid_years"]) <= 40
    small = person(entries=History.of(entries[:10]).entries)
    assert evaluate(policy, small, ON, outputs=["paid_years"], explain=True).cut == set()


def test_explain_says_when_its_tree_was_cut(tmp_path, monkeypatch):
    from yibao import cli
    from click.testing import CliRunner

    from yibao.interpreter import evaluator

    monkeypatch.setattr(evaluator, "MAX_EXPLAIN_STEPS", 5)
    path = tmp_path / "unit-test.policy"
    path.write_text(HEADER.format(pid="unit-test") + MANY_READS, encoding="utf-8")
    entries = "".join(f"  - {{year: {y}, region: 江西省南昌市, paid_on: {y - 1}-11-01, "
                      f"amount: 5}}\n" for y in range(2000, 2020))
    record = tmp_path / "p.yaml"
    record.write_text(f"id: P1\nbirth_date: 1990-05-01\nentries:\n{entries}", encoding="utf-8")
    args = ["explain", str(path), str(record), "paid_years", "--on", "2027-06-01"]
    done = CliRunner().invoke(cli.main, args + ["--format", "json"])
    assert done.exit_code == 0, done.output
    out = done.stdout if hasattr(done, "stdout") else done.output
    data = json.loads(out.splitlines()[0])
    assert data["cut"] is True and data["value"] == 20
    assert "C613" in done.output
    monkeypatch.setattr(evaluator, "MAX_EXPLAIN_STEPS", 1000)
    whole = CliRunner().invoke(cli.main, args + ["--format", "json"])
    assert whole.exit_code == 0 and "C613" not in whole.output
    assert "cut" not in json.loads(whole.output.splitlines()[0])
