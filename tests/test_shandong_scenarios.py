"""Scenario tests for the Shandong medical-assistance premium subsidy notice
(policies/shandong-2024-assistance.policy, source shared/sources/shandong-2024-assistance.txt).

Every expected value is worked out by hand from the source text (一, 二, 三) and the readings
of shared/spec/policies.md, section S (S1-S7); the arithmetic is in the comment above each
assertion.  For benefit year Y:
  counted identities  = valid on the payment date for Y (from <= paid_on, to empty or >= paid_on)
  standard            = the identity region's standard: full categories (特困人员 孤儿
                        事实无人抚养儿童) the identity region's premium, fixed categories its
                        fixed_subsidy for the category; several identities: the highest
  premium             = the insured region's individual premium standard
  premium_subsidy     = min(standard, max(0, premium - other_subsidy))
  individual_premium  = max(0, premium - other_subsidy - premium_subsidy)
  payment_mode        = 直接资助, 先缴后补 when insured outside the identity region

Region values (examples/shandong/regions.yaml, read on 1 January of Y):
  山东省泰安市 (illustrative, press report, from 2026-01-01): premium 390; 低保对象 390,
      低保边缘家庭成员 240, 防止返贫监测帮扶对象 240; no value for 返贫致贫人口.
  山东省济南市 (made-up test values): premium 380 from 2025, 400 from 2026; 低保对象 300,
      返贫致贫人口 300, 低保边缘家庭成员 200, 防止返贫监测帮扶对象 200 (from 2025).
  江苏省徐州市 (made-up test value): premium 380 from 2026.
TEST_REGIONS below adds 山东省测试市 (低保边缘家庭成员 240, the same as 泰安) for a tie between
two identity regions.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest

from yibao.interpreter.api import (evaluate, evaluate_measures, load_policy, load_record,
                                   load_regions, record_from)

from .builders import check, check_errors, region_file

ROOT = Path(__file__).resolve().parent.parent
D = Decimal
date = dt.date

TAIAN = "山东省泰安市"
JINAN = "山东省济南市"
XUZHOU = "江苏省徐州市"
TESTCITY = "山东省测试市"       # only in TEST_REGIONS

OUTPUTS = ["assistance_category", "premium_subsidy", "individual_premium", "payment_mode",
           "subsidy_region"]

# Test values, not real standards.
TEST_REGIONS = {
    TAIAN: {"individual_premium": {date(2026, 1, 1): 390},
            "fixed_subsidy": {"低保边缘家庭成员": {date(2026, 1, 1): 240}},
            "note": "test values (the illustrative 泰安 figures)"},
    TESTCITY: {"individual_premium": {date(2026, 1, 1): 350},
               "fixed_subsidy": {"防止返贫监测帮扶对象": {date(2026, 1, 1): 240}},
               "note": "test values, 240 like 泰安 so that two identity regions tie"},
}

ON_2026 = date(2026, 6, 1)      # benefit year 2026
ON_2027 = date(2027, 6, 1)      # benefit year 2027


# ------------------------------------------------------------------ helpers
@lru_cache(maxsize=None)
def shandong():
    return load_policy(ROOT / "policies" / "shandong-2024-assistance.policy")


@lru_cache(maxsize=None)
def example_regions():
    return load_regions(ROOT / "examples" / "shandong" / "regions.yaml")


@lru_cache(maxsize=None)
def own_regions():
    return load_regions(region_file(TEST_REGIONS))


def entry(year, region=TAIAN, paid_on=None, scheme="resident", concentrated=True):
    """One enrollment entry; by default paid on 20 November of the year before."""
    return {"year": year, "scheme": scheme, "region": region,
            "paid_on": paid_on or f"{year - 1}-11-20", "concentrated": concentrated}


def identity(category, region=TAIAN, start="2020-01-01", end=None):
    return {"category": category, "recognised_by": region, "from": start, "to": end}


def person(identities=(), entries=None, **fields):
    """A record as a YAML/JSON file gives it; by default insured in 泰安 for 2026, paid on
    2025-11-20."""
    data = {
        "id": "SD-TEST",
        "birth_date": "1960-05-01",
        "enrollment": list(entries) if entries is not None else [entry(2026)],
        "identities": list(identities),
    }
    data.update(fields)
    return data


def validated(data):
    return record_from(shandong(), data, "scenario")


def run(data, on=ON_2026, regions=None, explain=False, outputs=None):
    return evaluate(shandong(), validated(data), on,
                    regions if regions is not None else example_regions(),
                    outputs=outputs, explain=explain)


def child(node, name):
    return next(c for c in node.children if c.name == name)


# ------------------------------------------------------------------ S2 each category
def test_full_category_tekun():
    result = run(person([identity("特困人员")]))
    check(
        result,
        # 特困人员 is a full-subsidy category (二第一段: 全额资助特困人员)
        assistance_category="全额资助",
        # standard = 泰安 premium 390; premium (insured 泰安) 390; min(390, max(0, 390 - 0)) = 390
        premium_subsidy=390,
        # 390 - 0 - 390 = 0
        individual_premium=0,
        # insured where the identity was recognised: 直接资助 (三第二段)
        payment_mode="直接资助",
        subsidy_region=TAIAN,
    )


@pytest.mark.parametrize("category", ["孤儿", "事实无人抚养儿童"])
def test_other_full_categories(category):
    result = run(person([identity(category)]))
    # 二第一段: 全额资助……事实无人抚养儿童、孤儿 -> 390, individual 390 - 390 = 0
    check(result, assistance_category="全额资助", premium_subsidy=390, individual_premium=0)


def test_fixed_category_dibao_edge():
    result = run(person([identity("低保边缘家庭成员")]))
    check(
        result,
        # 二第一段: 定额资助……低保边缘家庭成员
        assistance_category="定额资助",
        # 泰安 fixed standard 240; min(240, max(0, 390 - 0)) = 240
        premium_subsidy=240,
        # 390 - 0 - 240 = 150
        individual_premium=150,
        payment_mode="直接资助",
        subsidy_region=TAIAN,
    )


def test_fixed_category_a_city_subsidises_in_full():
    # 二第一段: 有条件的地区可适度提高定额资助标准 -- 泰安 sets 低保对象 at the full premium
    result = run(person([identity("低保对象")]))
    # still a fixed category: 定额资助; standard 390, min(390, 390) = 390; 390 - 390 = 0
    check(result, assistance_category="定额资助", premium_subsidy=390, individual_premium=0)


def test_a_category_the_city_has_no_value_for_is_an_error():
    # 泰安's press report gives no 返贫致贫人口 amount: the region file has none, so the
    # subsidy has no answer (R462: no value for that key) -- never 0.
    result = run(person([identity("返贫致贫人口")]))
    check(result, assistance_category="定额资助")
    check_errors(result, premium_subsidy="R462", individual_premium="R462")


# ------------------------------------------------------------------ S3 several identities
def test_two_identities_the_highest_wins():
    result = run(person([identity("低保边缘家庭成员"), identity("特困人员", start="2025-09-01")]))
    check(
        result,
        # 就高不就低 (二第二段): 全额资助 > 定额资助
        assistance_category="全额资助",
        # per identity: 低保边缘家庭成员 240, 特困人员 390; max = 390; min(390, 390 - 0) = 390
        premium_subsidy=390,
        individual_premium=0,
        payment_mode="直接资助",
        subsidy_region=TAIAN,
    )


def test_two_fixed_identities_the_higher_amount_wins():
    result = run(person([identity("防止返贫监测帮扶对象"), identity("低保对象")]))
    # both fixed: 定额资助; amounts 240 and 390 (泰安 低保对象); max 390; 390 - 390 = 0
    check(result, assistance_category="定额资助", premium_subsidy=390, individual_premium=0)


def test_the_category_table_declares_hit_max_and_both_rows_match():
    policy = shandong()
    assert policy.tables["category_of"].decl.hit == "max"
    # 低保对象 and 孤儿: row fixed (listed first, 定额资助, matches 低保对象) and row full
    # (listed second, 全额资助, matches 孤儿) both match; hit max takes 全额资助 (a `first`
    # table would have stopped at fixed).
    result = run(person([identity("低保对象"), identity("孤儿")]), explain=True,
                 outputs=["assistance_category"])
    assert result.values["assistance_category"] == "全额资助"
    table = child(result.trees["assistance_category"], "category_of")
    assert table.value == "全额资助"
    assert table.case == "category_of#full"
    matched = {c.ident for c in table.cases if c.applied}
    assert matched == {"category_of#fixed", "category_of#full"}


# ------------------------------------------------------------------ S1 identities by payment date
def test_identity_recognised_after_payment_subsidises_from_the_next_year():
    data = person([identity("特困人员", start="2026-03-15")],
                  entries=[entry(2026, paid_on="2025-11-20"), entry(2027, paid_on="2026-11-18")])
    first = run(data, ON_2026)
    check(
        first,
        # 2026: recognised 2026-03-15, after the 2026 payment on 2025-11-20 -> not counted
        # (二第二段: 集中参保缴费期外动态新增的已参保缴费的医疗救助对象,次年起……)
        assistance_category="不资助",
        premium_subsidy=0,
        # 390 - 0 - 0 = 390, paid in full by the person, not refunded
        individual_premium=390,
    )
    # no subsidy: no payment mode, no standard region (no case applies)
    check_errors(first, payment_mode="E541", subsidy_region="E541")
    second = run(data, ON_2027)
    check(
        second,
        # 2027: paid 2026-11-18, the identity (from 2026-03-15) is valid then -> counted;
        # 泰安 values from 2026-01-01 still hold on 2027-01-01: 390, 390 - 390 = 0
        assistance_category="全额资助",
        premium_subsidy=390,
        individual_premium=0,
        payment_mode="直接资助",
        subsidy_region=TAIAN,
    )


def test_identity_recognised_on_the_payment_day_counts():
    # from 2025-11-20 <= paid_on 2025-11-20: counted; 240, 390 - 240 = 150
    result = run(person([identity("低保边缘家庭成员", start="2025-11-20")]))
    check(result, assistance_category="定额资助", premium_subsidy=240, individual_premium=150)


def test_expired_identity_does_not_count():
    # to 2025-10-31 < paid_on 2025-11-20: no identity counted -> 不资助, 0, 390 - 0 = 390
    result = run(person([identity("低保对象", end="2025-10-31")]))
    check(result, assistance_category="不资助", premium_subsidy=0, individual_premium=390)
    check_errors(result, payment_mode="E541", subsidy_region="E541")


def test_identity_ending_on_the_payment_day_still_counts():
    # to 2025-11-20 >= paid_on 2025-11-20: valid on the payment date; 低保对象 390 -> 0
    result = run(person([identity("低保对象", end="2025-11-20")]))
    check(result, assistance_category="定额资助", premium_subsidy=390, individual_premium=0)


def test_identity_ending_after_payment_is_not_adjusted_that_year():
    # 二第二段: 一个自然年度内,因动态退出……已享受的资助参保补贴不调整
    data = person([identity("低保边缘家庭成员", end="2026-03-31")],
                  entries=[entry(2026, paid_on="2025-11-20"), entry(2027, paid_on="2026-11-18")])
    # 2026: valid on 2025-11-20 -> counted for the whole year: 240, 390 - 240 = 150
    check(run(data, ON_2026), assistance_category="定额资助", premium_subsidy=240,
          individual_premium=150)
    # 2027: ended 2026-03-31 < paid_on 2026-11-18 -> not counted: 0, 390
    check(run(data, ON_2027), assistance_category="不资助", premium_subsidy=0,
          individual_premium=390)


# ------------------------------------------------------------------ S4 other channels
def test_other_subsidy_with_a_full_category():
    result = run(person([identity("特困人员")], other_subsidy="200"))
    check(
        result,
        assistance_category="全额资助",
        # min(390, max(0, 390 - 200)) = min(390, 190) = 190
        premium_subsidy=190,
        # 390 - 200 - 190 = 0
        individual_premium=0,
    )


def test_other_subsidy_with_a_fixed_category():
    result = run(person([identity("低保边缘家庭成员")], other_subsidy="200"))
    # min(240, max(0, 390 - 200)) = min(240, 190) = 190; 390 - 200 - 190 = 0
    check(result, assistance_category="定额资助", premium_subsidy=190, individual_premium=0)


def test_small_other_subsidy_leaves_the_fixed_amount_whole():
    result = run(person([identity("低保边缘家庭成员")], other_subsidy="100.50"))
    # min(240, 390 - 100.50 = 289.50) = 240; 390 - 100.50 - 240 = 49.50
    check(result, premium_subsidy=240, individual_premium=D("49.50"))


def test_other_subsidy_above_the_premium():
    result = run(person([identity("特困人员")], other_subsidy="500"))
    # min(390, max(0, 390 - 500)) = min(390, 0) = 0; max(0, 390 - 500 - 0) = 0 (never below 0)
    check(result, assistance_category="全额资助", premium_subsidy=0, individual_premium=0,
          payment_mode="直接资助")


# ------------------------------------------------------------------ S5/S6 cross-region
def test_in_province_cross_region_uses_the_identity_regions_fixed_standard():
    result = run(person([identity("低保边缘家庭成员")], entries=[entry(2026, JINAN)]))
    check(
        result,
        assistance_category="定额资助",
        # 三第二段: 由其困难身份认定地医保部门按当地标准 -> 泰安 240 (not 济南's 200);
        # premium is 济南's 2026 standard 400: min(240, 400 - 0) = 240
        premium_subsidy=240,
        # 400 - 0 - 240 = 160
        individual_premium=160,
        # insured in 济南, recognised in 泰安: 跨统筹区 -> 先缴后补
        payment_mode="先缴后补",
        subsidy_region=TAIAN,
    )


def test_in_province_cross_region_full_category_pays_the_identity_regions_full_standard():
    result = run(person([identity("特困人员")], entries=[entry(2026, JINAN)]))
    # full standard of 泰安 = 泰安 premium 390; 济南 premium 400: min(390, 400) = 390;
    # the person pays the difference 400 - 0 - 390 = 10 (三第二段: 个人按标准缴纳差额部分)
    check(result, assistance_category="全额资助", premium_subsidy=390, individual_premium=10,
          payment_mode="先缴后补", subsidy_region=TAIAN)


def test_identity_of_the_other_city_insured_in_taian():
    result = run(person([identity("低保边缘家庭成员", region=JINAN)]))
    # 济南 standard 200 (from 2025); 泰安 premium 390: min(200, 390) = 200; 390 - 200 = 190
    check(result, assistance_category="定额资助", premium_subsidy=200, individual_premium=190,
          payment_mode="先缴后补", subsidy_region=JINAN)


def test_county_level_identity_region_is_inside_the_pooling_region():
    county = "山东省泰安市宁阳县"
    result = run(person([identity("防止返贫监测帮扶对象", region=county)]))
    # the county is in 泰安, where the person is insured: 直接资助; 泰安's 240 applies to
    # the county (region file: longest matching name); 390 - 240 = 150
    check(result, assistance_category="定额资助", premium_subsidy=240, individual_premium=150,
          payment_mode="直接资助", subsidy_region=county)


def test_cross_province_with_application():
    result = run(person([identity("特困人员")], entries=[entry(2026, XUZHOU)],
                        cross_province_application=True))
    check(
        result,
        # 三第二段: 跨省参保的……在本人自愿申请的基础上,由其困难身份认定地……按当地标准
        assistance_category="全额资助",
        # 泰安 full standard 390; 徐州 premium 380: min(390, max(0, 380 - 0)) = 380
        premium_subsidy=380,
        # 380 - 0 - 380 = 0
        individual_premium=0,
        payment_mode="先缴后补",
        subsidy_region=TAIAN,
    )


def test_cross_province_with_application_fixed_category():
    result = run(person([identity("低保边缘家庭成员")], entries=[entry(2026, XUZHOU)],
                        cross_province_application=True))
    # 泰安 240; min(240, 380) = 240; 380 - 240 = 140
    check(result, premium_subsidy=240, individual_premium=140, payment_mode="先缴后补")


def test_cross_province_without_application():
    result = run(person([identity("特困人员")], entries=[entry(2026, XUZHOU)],
                        cross_province_application=False))
    check(
        result,
        # no application: no subsidy from the identity region
        assistance_category="不资助",
        premium_subsidy=0,
        # 徐州 premium 380 - 0 - 0 = 380
        individual_premium=380,
    )
    check_errors(result, payment_mode="E541", subsidy_region="E541")


def test_two_identity_regions_with_the_same_highest_standard_is_an_error():
    # 泰安 低保边缘家庭成员 240 and 测试市 防止返贫监测帮扶对象 240 tie: the text does not say
    # which region subsidises -- the amount is clear, the region and mode are not.
    result = run(person([identity("低保边缘家庭成员"), identity("防止返贫监测帮扶对象",
                                                               region=TESTCITY)]),
                 regions=own_regions())
    # max(240, 240) = 240; premium (泰安) 390; 390 - 240 = 150
    check(result, assistance_category="定额资助", premium_subsidy=240, individual_premium=150)
    check_errors(result, payment_mode="E541", subsidy_region="E541")


# ------------------------------------------------------------------ persons outside the policy
def test_person_without_identity():
    result = run(person([]))
    # nothing counted: 不资助, 0, the whole 泰安 premium 390
    check(result, assistance_category="不资助", premium_subsidy=0, individual_premium=390)
    check_errors(result, payment_mode="E541", subsidy_region="E541")


def test_person_not_insured_in_the_year_has_no_answer():
    # no enrollment for 2026: no payment date, nothing to subsidise -> every output E541
    result = run(person([identity("特困人员")], entries=[entry(2025, JINAN)]))
    check_errors(result, **{name: "E541" for name in OUTPUTS})


def test_employee_scheme_is_outside_the_policy():
    # the notice subsidises 城乡居民医保 premiums; an employee-scheme year has no answer
    result = run(person([identity("特困人员")], entries=[entry(2026, scheme="employee")]))
    check_errors(result, **{name: "E541" for name in OUTPUTS})


def test_identity_recognised_outside_shandong_has_no_answer():
    # a valid identity recognised in 江苏 is not governed by this notice: an error, not 不资助
    result = run(person([identity("特困人员", region="江苏省徐州市")]))
    check_errors(result, assistance_category="E541", premium_subsidy="E541")


def test_region_value_not_in_force_for_the_year():
    # 泰安 values start 2026-01-01; benefit year 2025 reads them on 2025-01-01: not in force
    result = run(person([identity("特困人员")], entries=[entry(2025)]), on=date(2025, 6, 1))
    check(result, assistance_category="全额资助")
    check_errors(result, premium_subsidy="R461", individual_premium="R461")


def test_insured_region_missing_from_the_region_file():
    result = run(person([identity("特困人员")], entries=[entry(2026, "山东省青岛市")]))
    # no 青岛 entry: the premium has no value (R460) -- never 0
    check_errors(result, premium_subsidy="R460", individual_premium="R460")


def test_benefit_year_before_the_notice():
    # first_benefit_year 2025: benefit year 2024 is not answered by this policy
    result = run(person([identity("特困人员")], entries=[entry(2024)]), on=date(2024, 8, 1))
    check_errors(result, **{name: "E541" for name in OUTPUTS})


# ------------------------------------------------------------------ S7 the population measure
def recipient(n, insured=True, **extra):
    entries = [entry(2026)] if insured else []
    return validated(person([identity("低保对象")], entries=entries, id=f"SD-P{n:03d}", **extra))


def test_enrollment_rate_over_a_small_population():
    people = [
        recipient(1),                                           # recipient, insured
        recipient(2),                                           # recipient, insured
        recipient(3, insured=False),                            # recipient, not insured
        validated(person([identity("特困人员", start="2026-03-01")], entries=[],
                         id="SD-P004")),                        # recognised 2026-03-01, not insured
        validated(person([identity("孤儿", end="2026-01-31")], id="SD-P005")),  # ended: not a recipient
        validated(person([], id="SD-P006")),                    # no identity: not a recipient
        validated(person([identity("低保对象", region="江苏省徐州市")],
                         id="SD-P007")),                        # not a Shandong identity
        validated(person([identity("低保边缘家庭成员")], entries=[entry(2026, XUZHOU)],
                         id="SD-P008")),                        # insured in another province: insured
    ]
    result = evaluate_measures(shandong(), people, ON_2026)["assistance_enrollment_rate"]
    # recipients on 2026-06-01 (a Shandong identity valid that day): P001, P002, P003, P004,
    # P008 = 5; insured in 2026 among them: P001, P002, P008 = 3 -> 3/5 = 60% < 99%
    assert (result.counted, result.population) == (3, 5)
    assert result.value == D(3) / D(5)
    assert result.met is False
    assert result.errors == []


def test_enrollment_rate_target_met_at_exactly_99_percent():
    people = [recipient(n) for n in range(99)] + [recipient(99, insured=False)]
    result = evaluate_measures(shandong(), people, ON_2026)["assistance_enrollment_rate"]
    # 99 insured of 100 recipients = 99% >= 99%: met (一: 参保率不低于99%)
    assert (result.counted, result.population) == (99, 100)
    assert result.value == D("0.99")
    assert result.met is True


def test_enrollment_rate_target_missed_just_below_99_percent():
    people = [recipient(n) for n in range(98)] + [recipient(98, insured=False),
                                                   recipient(99, insured=False)]
    result = evaluate_measures(shandong(), people, ON_2026)["assistance_enrollment_rate"]
    # 98 of 100 = 98% < 99%: not met
    assert result.value == D("0.98")
    assert result.met is False


# ------------------------------------------------------------------ the example files
EXAMPLES = {
    # file: (as_of, expected outputs; "E541" marks an output with no value)
    "tekun-taian.yaml": (ON_2026, dict(
        assistance_category="全额资助", premium_subsidy=390, individual_premium=0,
        payment_mode="直接资助", subsidy_region=TAIAN)),
    "two-identities.yaml": (ON_2026, dict(
        assistance_category="全额资助", premium_subsidy=390, individual_premium=0,
        payment_mode="直接资助", subsidy_region=TAIAN)),
    "recognised-after-payment.yaml": (ON_2026, dict(
        assistance_category="不资助", premium_subsidy=0, individual_premium=390,
        payment_mode="E541", subsidy_region="E541")),
    "cross-region-jinan.yaml": (ON_2026, dict(
        assistance_category="定额资助", premium_subsidy=240, individual_premium=160,
        payment_mode="先缴后补", subsidy_region=TAIAN)),
    "cross-province-xuzhou.yaml": (ON_2026, dict(
        assistance_category="全额资助", premium_subsidy=380, individual_premium=0,
        payment_mode="先缴后补", subsidy_region=TAIAN)),
}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_files(name):
    # the expected values and their arithmetic are in each file's header comment
    on, expected = EXAMPLES[name]
    record, warnings = load_record(shandong(), ROOT / "examples" / "shandong" / name)
    assert warnings == []
    result = evaluate(shandong(), record, on, example_regions())
    check(result, **{k: v for k, v in expected.items() if v != "E541"})
    check_errors(result, **{k: v for k, v in expected.items() if v == "E541"})


def test_example_recognised_after_payment_next_year():
    record, _ = load_record(shandong(), ROOT / "examples" / "shandong" / "recognised-after-payment.yaml")
    result = evaluate(shandong(), record, ON_2027, example_regions())
    # 2027: paid 2026-11-18 after recognition on 2026-03-15: 240, 390 - 240 = 150
    check(result, assistance_category="定额资助", premium_subsidy=240, individual_premium=150,
          payment_mode="直接资助", subsidy_region=TAIAN)


def test_example_region_file_marks_its_values():
    regions = example_regions()
    for region in (TAIAN, JINAN, XUZHOU):
        assert regions.is_illustrative(region)
    assert "press report" in regions.note_for(TAIAN)
    assert "test" in regions.note_for(JINAN) and "test" in regions.note_for(XUZHOU)
