"""The evaluator's semantics, one construct at a time, on small policies written here."""
import datetime as dt
import textwrap
from decimal import Decimal

import pytest

from yibao.interpreter.api import evaluate, load_policy
from yibao.interpreter.diagnostics import DiagnosticError
from yibao.interpreter.values import Duration, History

HEADER = """
policy {pid} {{
  title "测试"
  status draft
}}

record Entry {{
  region: text
  paid_on: date
  amount: money default 0 元
}}

input person {{
  id: text
  birth_date: date
  known_from: int default year(birth_date)
  nickname: optional text
  entries: history of Entry default []
  relation: optional text
}}
"""


def policy_of(tmp_path, body: str, pid: str = "unit-test"):
    path = tmp_path / f"{pid}.policy"
    path.write_text(HEADER.format(pid=pid) + textwrap.dedent(body), encoding="utf-8")
    return load_policy(path)


def person(**fields):
    record = {"id": "P1", "birth_date": dt.date(1990, 5, 1)}
    entries = fields.pop("entries", None)
    if entries is not None:
        record["entries"] = History.of(entries)
    record.update(fields)
    return record


def entry(year, paid_on=None, region="江西省南昌市", **extra):
    return {"year": year, "region": region, "paid_on": paid_on or dt.date(year - 1, 11, 1),
            **extra}


ON = dt.date(2027, 6, 1)


def value(policy, name, record=None, on=ON, regions=None):
    result = evaluate(policy, record or person(), on, regions, outputs=[name])
    if name in result.errors:
        raise result.errors[name]
    return result.values[name]


def error_code(policy, name, record=None, on=ON, regions=None):
    result = evaluate(policy, record or person(), on, regions, outputs=[name])
    assert name not in result.values, f"{name} unexpectedly = {result.values.get(name)}"
    return result.errors[name].code


# ------------------------------------------------------------------ exceptions
CASES = """
output grade: int {
  = 1
  exception older {
    when year(birth_date) < 1980
    = 2
    exception much_older {
      when year(birth_date) < 1960
      = 3
    }
  }
  exception named {
    when nickname is not none
    = 2
  }
}

output clash: int {
  = 0
  exception a {
    cite "一(一)"
    when true
    = 1
  }
  exception b {
    cite "一(二)"
    when true
    = 2
  }
}

output guarded: int {
  when nickname is not none
  = 1
}
"""


def test_base_case_applies_when_no_exception_does(tmp_path):
    assert value(policy_of(tmp_path, CASES), "grade") == 1


def test_an_exception_beats_the_base_case(tmp_path):
    assert value(policy_of(tmp_path, CASES), "grade",
                 person(birth_date=dt.date(1975, 1, 1))) == 2


def test_a_nested_exception_beats_its_parent(tmp_path):
    assert value(policy_of(tmp_path, CASES), "grade",
                 person(birth_date=dt.date(1950, 1, 1))) == 3


def test_two_exceptions_agreeing_on_the_value_are_no_conflict(tmp_path):
    # older (1975) and named both give 2
    assert value(policy_of(tmp_path, CASES), "grade",
                 person(birth_date=dt.date(1975, 1, 1), nickname="老李")) == 2


def test_two_exceptions_with_different_values_conflict_naming_both_citations(tmp_path):
    policy = policy_of(tmp_path, CASES)
    result = evaluate(policy, person(), ON, outputs=["clash"])
    message = result.errors["clash"].diagnostic.message("en")
    assert result.errors["clash"].code == "E540"
    assert "一(一)" in message and "一(二)" in message


def test_nothing_applicable_is_an_error_not_a_default(tmp_path):
    assert error_code(policy_of(tmp_path, CASES), "guarded") == "E541"


def test_explanation_says_which_case_applied_and_why_others_did_not(tmp_path):
    policy = policy_of(tmp_path, CASES)
    result = evaluate(policy, person(birth_date=dt.date(1975, 1, 1)), ON, outputs=["grade"],
                      explain=True)
    tree = result.trees["grade"]
    assert tree.value == 2 and tree.case == "grade#older"
    outcomes = {c.ident: c.applied for c in tree.cases}
    assert outcomes["grade#older/much_older"] is False
    assert outcomes["grade#named"] is False
    reasons = {c.ident: c.reason for c in tree.cases}
    assert reasons["grade#named"] == "nickname is not none"


# ------------------------------------------------------------------ parameters and dates
PARAMS = """
parameter premium: money {
  from 2024-01-01: 380 元
  from 2025-01-01: 400 元
}

output premium_now: money {
  = premium
}

output premium_in_2024: money {
  = premium on date(2024, 7, 1)
}

output month_after: date {
  = birth_date + months(1)
}

output end_of_january_plus_one: date {
  = date(2025, 1, 31) + 1 个月
}

output bad_date: date {
  = date(2025, 2, 30)
}
"""


def test_dated_parameter_takes_the_value_in_force(tmp_path):
    policy = policy_of(tmp_path, PARAMS)
    assert value(policy, "premium_now") == Decimal("400")
    assert value(policy, "premium_now", on=dt.date(2024, 12, 31)) == Decimal("380")
    assert value(policy, "premium_in_2024") == Decimal("380")


def test_parameter_before_its_first_value_is_not_in_force(tmp_path):
    assert error_code(policy_of(tmp_path, PARAMS), "premium_now",
                      on=dt.date(2023, 12, 31)) == "E501"


def test_month_arithmetic_keeps_the_day(tmp_path):
    assert value(policy_of(tmp_path, PARAMS), "month_after") == dt.date(1990, 6, 1)


def test_month_arithmetic_refuses_to_clamp_a_missing_day(tmp_path):
    # 2025-01-31 + 1 month would be 2025-02-31, which does not exist
    assert error_code(policy_of(tmp_path, PARAMS), "end_of_january_plus_one") == "E560"


def test_an_impossible_date_is_an_error(tmp_path):
    assert error_code(policy_of(tmp_path, PARAMS), "bad_date") == "E561"


# ------------------------------------------------------------------ aggregates over years
AGGREGATES = """
rule insured(y: int): bool {
  = y >= known_from and exists entries[y]
}

output streak_now: int {
  = streak { y in known_from .. benefit_year where insured(y) }
}

output insured_years: int {
  = count { y in 2020 .. benefit_year where insured(y) }
}

output total_paid: money {
  = sum { e in entries => e.amount }
}

output latest_year: int {
  = max { e in entries => e.year default 0 }
}

output first_uninsured: int {
  = first { y in known_from .. benefit_year where not insured(y) default 0 }
}

output any_big: bool {
  = any { e in entries where e.amount > 1000 元 }
}

output all_in_nanchang: bool {
  = all { e in entries where e.region == "江西省南昌市" }
}
"""


def years_record(years, **kw):
    return person(known_from=2016, entries=[entry(y, amount=Decimal(y - 2000)) for y in years],
                  **kw)


def test_streak_counts_back_from_the_benefit_year_and_stops_at_a_gap(tmp_path):
    policy = policy_of(tmp_path, AGGREGATES)
    # insured 2020, 2021, [gap 2022], 2023..2027 → the run ending at 2027 is 2023..2027 = 5
    record = years_record([2020, 2021, 2023, 2024, 2025, 2026, 2027])
    assert value(policy, "streak_now", record) == 5
    assert value(policy, "insured_years", record) == 7


def test_streak_is_zero_when_the_benefit_year_is_not_insured(tmp_path):
    assert value(policy_of(tmp_path, AGGREGATES), "streak_now", years_record([2025, 2026])) == 0


def test_sum_min_max_first_any_all(tmp_path):
    policy = policy_of(tmp_path, AGGREGATES)
    record = years_record([2024, 2026])
    assert value(policy, "total_paid", record) == Decimal(24 + 26)
    assert value(policy, "latest_year", record) == 2026
    assert value(policy, "first_uninsured", record) == 2016
    assert value(policy, "any_big", record) is False
    assert value(policy, "all_in_nanchang", record) is True


def test_empty_aggregates_use_their_default_or_zero(tmp_path):
    policy = policy_of(tmp_path, AGGREGATES)
    assert value(policy, "total_paid") == Decimal(0)
    assert value(policy, "latest_year") == 0


def test_field_default_may_be_an_expression_over_other_fields(tmp_path):
    # known_from defaults to the birth year 1990, so a 1990..2027 streak of insured years
    policy = policy_of(tmp_path, AGGREGATES)
    record = person(entries=[entry(y) for y in range(1990, 2028)])
    assert value(policy, "streak_now", record) == 2027 - 1990 + 1


# ------------------------------------------------------------------ records
RECORDS = """
output pooling_region: text {
  = entries[benefit_year].region
}

output relation_listed: bool {
  = relation in ["配偶", "父母"]
}
"""


def test_missing_history_year_names_the_field_and_year(tmp_path):
    policy = policy_of(tmp_path, RECORDS)
    result = evaluate(policy, person(entries=[entry(2026)]), ON, outputs=["pooling_region"])
    err = result.errors["pooling_region"]
    assert err.code == "E520"
    assert "entries" in err.diagnostic.message("en") and "2027" in err.diagnostic.message("en")


def test_two_entries_for_one_year_are_ambiguous(tmp_path):
    policy = policy_of(tmp_path, RECORDS)
    assert error_code(policy, "pooling_region",
                      person(entries=[entry(2027), entry(2027, region="江西省九江市")])) == "E521"


def test_none_is_not_in_any_list(tmp_path):
    policy = policy_of(tmp_path, RECORDS)
    assert value(policy, "relation_listed") is False
    assert value(policy, "relation_listed", person(relation="配偶")) is True


def test_reading_a_required_field_the_record_lacks_is_an_error(tmp_path):
    policy = policy_of(tmp_path, "output born: int {\n  = year(birth_date)\n}\n")
    record = person()
    del record["birth_date"]
    assert error_code(policy, "born", record) == "E523"


# ------------------------------------------------------------------ money and recursion
MONEY = """
output third: money {
  = 100 元 / 3
}

output third_rounded: money {
  = round(100 元 / 3)
}

output fifth_share: money {
  = 1234.50 元 * 20%
}
"""


def test_money_that_is_not_whole_cents_must_be_rounded_explicitly(tmp_path):
    policy = policy_of(tmp_path, MONEY)
    assert error_code(policy, "third") == "E510"
    assert value(policy, "third_rounded") == Decimal("33.33")
    assert value(policy, "fifth_share") == Decimal("246.90")  # 1234.50 × 0.20 = 246.90


RECURSION = """
rule years_since(y: int >= 2020): int {
  = if y == 2020 then 0 else years_since(y - 1) + 1
}

output since_2020: int {
  = years_since(benefit_year)
}

output below_bound: int {
  = years_since(2019)
}
"""


def test_recursion_on_a_decreasing_bounded_year_terminates(tmp_path):
    assert value(policy_of(tmp_path, RECURSION), "since_2020") == 7  # 2027 − 2020


def test_recursion_below_the_declared_bound_is_an_error(tmp_path):
    assert error_code(policy_of(tmp_path, RECURSION), "below_bound") == "E550"


def test_unknown_output_is_refused_with_a_suggestion(tmp_path):
    policy = policy_of(tmp_path, MONEY)
    with pytest.raises(DiagnosticError) as info:
        evaluate(policy, person(), ON, outputs=["thirds"])
    assert info.value.diagnostics[0].code == "E580"
    assert "third" in info.value.diagnostics[0].hint_texts("en")[0]


def test_duration_values_are_whole_months():
    assert Duration(3) < Duration(4)


# ------------------------------------------------------------------ text, enums with punctuation
TEXTS_AND_ENUMS = """
enum 补足方 {
  结余
  市县政府 = "市(县)政府" "市(县)政府"
}

enum 身份 {
  低保对象
  特困人员
}

parameter counted: list of 身份 {
  from 2025-01-01: [身份.低保对象]
}

output in_nanchang: bool {
  = starts_with(entries[benefit_year].region, "江西省南昌市")
}

output payer: 补足方 {
  = if year(birth_date) < 1980 then 补足方.市县政府 else 结余
}

output low_income_counted: bool {
  = 低保对象 in counted
}
"""


def test_starts_with_tests_a_text_prefix(tmp_path):
    policy = policy_of(tmp_path, TEXTS_AND_ENUMS)
    assert value(policy, "in_nanchang", person(entries=[entry(2027, region="江西省南昌市西湖区")]))
    assert not value(policy, "in_nanchang", person(entries=[entry(2027, region="江西省九江市")]))


def test_an_enum_member_may_be_quoted_to_hold_punctuation(tmp_path):
    policy = policy_of(tmp_path, TEXTS_AND_ENUMS)
    assert value(policy, "payer", person(birth_date=dt.date(1975, 1, 1))) == "市(县)政府"
    assert value(policy, "payer") == "结余"


def test_a_parameter_may_hold_enum_members(tmp_path):
    assert value(policy_of(tmp_path, TEXTS_AND_ENUMS), "low_income_counted") is True


# ------------------------------------------------------------------ lists, narrowing, record arguments
LISTS = """
record Spell {
  start: date
  end: optional date
}

input person {
  override relation: optional text
}
"""

NARROWING = """
rule spell_open(end: optional date): bool {
  = end is none or end >= as_of
}

output relation_length: int {
  when relation is not none
  = if relation == "配偶" then 1 else 2
}

rule regions_paid_late: list of text {
  = collect { e in entries where e.paid_on >= date(e.year, 1, 1) => e.region }
}

output late_in_jiujiang: bool {
  = "江西省九江市" in regions_paid_late and count { r in regions_paid_late } == 2
}

rule paid_late(e: Entry): bool {
  = e.paid_on >= date(e.year, 1, 1)
}

output late_count: int {
  = count { e in entries where paid_late(e) }
}

output still_open: bool {
  = spell_open(none) and not spell_open(2020-01-01)
}
"""


def test_a_value_shown_not_none_is_no_longer_optional(tmp_path):
    policy = policy_of(tmp_path, NARROWING)
    assert value(policy, "still_open") is True
    assert value(policy, "relation_length", person(relation="配偶")) == 1
    assert error_code(policy, "relation_length") == "E541"


def test_comparing_an_optional_value_without_a_none_test_is_a_type_error(tmp_path):
    body = NARROWING.replace("= end is none or end >= as_of", "= end >= as_of")
    with pytest.raises(DiagnosticError) as info:
        policy_of(tmp_path, body)
    assert "Y211" in [d.code for d in info.value.diagnostics]


def test_collect_builds_a_list_and_rules_take_history_entries(tmp_path):
    policy = policy_of(tmp_path, NARROWING)
    record = person(entries=[entry(2025), entry(2026, paid_on=dt.date(2026, 3, 1),
                                                region="江西省九江市"),
                             entry(2027, paid_on=dt.date(2027, 2, 1))])
    # 2026 and 2027 were paid inside their own year, i.e. after 1 January of it
    assert value(policy, "late_in_jiujiang", record) is True
    assert value(policy, "late_count", record) == 2


DEEP = """
rule back_to(y: int >= 1100): int {
  = if y == 1100 then 0 else back_to(y - 1) + 1
}

rule back_to_antiquity(y: int >= 1000): int {
  = if y == 1000 then 0 else back_to_antiquity(y - 1) + 1
}

output since_1100: int {
  = back_to(benefit_year)
}

output since_1000: int {
  = back_to_antiquity(benefit_year)
}
"""


def test_deep_year_recursion_within_the_limit_evaluates(tmp_path):
    # 2027 − 1100 = 927 nested calls
    assert value(policy_of(tmp_path, DEEP), "since_1100") == 927


def test_recursion_longer_than_the_limit_is_refused_not_a_crash(tmp_path):
    # 2027 − 1000 = 1027 > 1000 years
    assert error_code(policy_of(tmp_path, DEEP), "since_1000") == "E551"
