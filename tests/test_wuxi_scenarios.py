"""Scenario tests for 锡政办发〔2019〕73号 (policies/wuxi-2019-73.policy).

Every expected value is worked out by hand from the text of the document (一 主要目标,
三(一) 统一基本政策, 三(二) 统一待遇标准, 三(三) 统一基金管理) and the readings written out in
docs/readings/wuxi-2019-73.md; the reasoning is in the comment above each assertion.  The
dates the text sets:
  一, 三(三)   市级统筹 from 2020-01-01 ("从2020年1月1日启动实施")
  三(一)       一卡通用 for 职工医保参保人员 "自2020年起"; unified contributions from 2021-01-01
  三(二)       unified maternity benefits "自2020年起"; unified catalogues/rates from 2021-01-01
The policy's own reading choices (see its notes): person outputs are answered for a
person record by date; citywide_card is true when one of the benefit year's entries is an
employee-scheme entry in 无锡市 (any one of several entries for the year will do); before the
document's date 2019-12-30 there is no municipal regime; the deficit clauses of 三(三) are
ordered county failure > surplus short > plan completed; a county fund year with no deficit
is "not applicable" (nothing to cover); a fund year before 2020, outside 江阴市/宜兴市, or a
plan missed with no listed cause has no answer (E541); the member 市县政府 carries the value
市(县)政府.
"""
from __future__ import annotations

import atexit
import datetime as dt
import shutil
import tempfile
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest

from yibao.interpreter.api import evaluate, load_policy, load_record, record_from
from yibao.interpreter.diagnostics import DiagnosticError

from .builders import check, check_errors, check_not_applicable

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "wuxi"
D = Decimal
date = dt.date

PERSON_OUTPUTS = {"pooling_level", "unified_contribution", "unified_benefits",
                  "unified_maternity_benefits", "citywide_card"}
FUND_OUTPUTS = {"deficit_covered_by"}

JIANGYIN = "江苏省无锡市江阴市"
YIXING = "江苏省无锡市宜兴市"
LIANGXI = "江苏省无锡市梁溪区"
CITY = "江苏省无锡市"          # 市区: the city's own original pooling region
SUZHOU = "江苏省苏州市"

COUNTY_GOVT = "市(县)政府"   # records.md value; the policy names the member 市县政府


# ------------------------------------------------------------------ helpers
@lru_cache(maxsize=None)
def wuxi():
    return load_policy(ROOT / "policies" / "wuxi-2019-73.policy")


def person(region=JIANGYIN, scheme="employee", years=(2019, 2020, 2021), **fields):
    data = {
        "id": "WX-TEST",
        "birth_date": "1985-03-01",
        "hukou": region,
        "hukou_type": "urban",
        "residence": region,
        "employment": "employee" if scheme == "employee" else "none",
        "enrollment_known_from": 2015,
        "enrollment": [{"year": y, "scheme": scheme, "region": region,
                        "paid_on": f"{y - 1}-12-10", "concentrated": scheme == "resident"}
                       for y in years],
    }
    data.update(fields)
    return data


def fund(region=JIANGYIN, year=2021, plan=True, subsidy=True, contribution=True,
         deficit="1200000.00", surplus="5000000.00"):
    return {"id": "WX-FUND-TEST", "kind": "fund_year", "region": region, "year": year,
            "plan_completed": plan, "subsidy_in_place": subsidy,
            "contribution_policy_executed": contribution,
            "deficit": deficit, "city_surplus_available": surplus}


def run_person(data, on, policy=None):
    policy = policy or wuxi()
    record = record_from(policy, data, "scenario")
    assert record.get("kind", "person") == "person"     # no kind: the default, person
    return evaluate(policy, record, on)


def run_fund(data, on=date(2023, 3, 1), policy=None):
    policy = policy or wuxi()
    record = record_from(policy, data, "scenario")
    assert record["kind"] == "fund_year"               # picked by the data's kind: fund_year
    return evaluate(policy, record, on)


# ------------------------------------------------------------------ date regimes (person)
def test_employee_in_jiangyin_on_the_last_day_before_municipal_pooling():
    result = run_person(person(), date(2019, 12, 31))
    check(
        result,
        # 一: 市级统筹 "从2020年1月1日启动实施"; 2019-12-31 < 2020-01-01 -> still the
        # original pooling regions (三(三): "实施市级统筹前原各统筹地区")
        pooling_level="原统筹地区",
        # 三(二): 生育保险待遇 unified "自2020年起" -> not yet on 2019-12-31
        unified_maternity_benefits=False,
        # 三(一): 一卡通用 "自2020年起" -> not yet, although an employee insured in 无锡
        citywide_card=False,
        # 三(一), 三(二): 2021-01-01 -> not yet
        unified_contribution=False,
        unified_benefits=False,
    )


def test_employee_in_jiangyin_on_the_first_day_of_municipal_pooling():
    result = run_person(person(), date(2020, 1, 1))
    check(
        result,
        # 2020-01-01 >= 2020-01-01 (一): 市级统筹
        pooling_level="市级统筹",
        # 三(二) "自2020年起,全市执行统一的生育保险待遇项目…待遇标准"
        unified_maternity_benefits=True,
        # 三(一) "自2020年起…职工医保参保人员备案后,实现在市内定点医院就医一卡通用":
        # scheme employee, 参保地 江阴市 is in 无锡市
        citywide_card=True,
        # 三(一) contributions and 三(二) catalogues/rates only "2021年1月1日起": 2020-01-01 is before
        unified_contribution=False,
        unified_benefits=False,
    )


def test_employee_in_jiangyin_from_2021():
    # 2020-12-31: the 2021 unification has not started (one day before 2021-01-01)
    check(run_person(person(), date(2020, 12, 31)), unified_contribution=False,
          unified_benefits=False, pooling_level="市级统筹")
    result = run_person(person(), date(2021, 1, 1))
    check(
        result,
        # 三(一) "2021年1月1日起执行统一的职工医保和生育保险缴费基数、缴费比例"
        unified_contribution=True,
        # 三(二) "自2021年1月1日起…统一的…3个目录;…起付标准、支付比例和最高支付限额"
        unified_benefits=True,
        # the 2020 regime continues
        pooling_level="市级统筹",
        unified_maternity_benefits=True,
        citywide_card=True,
    )


def test_before_the_document_date_there_is_no_municipal_regime():
    # 一: 市级统筹 from 2020-01-01, else 原统筹地区; the unifications (三(一), 三(二)) and the card
    # (三(一)) from their dates, so 2019-06-01 (before the document of 2019-12-30) gets the
    # old regime
    check(run_person(person(), date(2019, 6, 1)), pooling_level="原统筹地区",
          unified_maternity_benefits=False, unified_contribution=False,
          unified_benefits=False, citywide_card=False)
    # the document date itself is answered: 2019-12-30 < 2020-01-01 -> 原统筹地区
    check(run_person(person(), date(2019, 12, 30)), pooling_level="原统筹地区")


# ------------------------------------------------------------------ citywide card: who
def test_citywide_card_employee_vs_resident_vs_outside_wuxi():
    on = date(2021, 6, 1)
    # employee insured in 宜兴市 (in 无锡市), 2021 >= 2020: "职工医保参保人员备案后…一卡通用"
    check(run_person(person(region=YIXING), on), citywide_card=True)
    # resident insured in 梁溪区 (in 无锡市): 三(一) names only 职工医保参保人员 -> false, a real
    # "no", because the person is inside the city's pooling
    resident = run_person(person(region=LIANGXI, scheme="resident"), on)
    check(resident, citywide_card=False,
          # the city's regime applies to the resident all the same (三(一), 三(二) "全市")
          pooling_level="市级统筹", unified_contribution=True, unified_benefits=True,
          unified_maternity_benefits=True)
    # employee insured in 苏州市: the card is for the city's 职工医保参保人员 and needs an
    # employee entry whose 参保地 is in 无锡市 -> false; the regime outputs are the city's and
    # depend only on the date
    outside = run_person(person(region=SUZHOU), on)
    check(outside, citywide_card=False, pooling_level="市级统筹", unified_contribution=True,
          unified_benefits=True, unified_maternity_benefits=True)


def test_person_not_insured_in_the_benefit_year_has_no_card():
    # insured in 江阴 for 2019-2020 only; asked on 2021-06-01: no employee enrollment in 无锡
    # for 2021 -> citywide_card false; the dated regime outputs are unchanged
    result = run_person(person(years=(2019, 2020)), date(2021, 6, 1))
    check(result, citywide_card=False, pooling_level="市级统筹", unified_benefits=True)


def test_region_is_the_benefit_year_enrollment():
    # insured in 苏州 in 2020, moved to 江阴 for 2021: in 2021 the 参保地 is 江阴 (in 无锡)
    data = person(years=())
    data["enrollment"] = [
        {"year": 2020, "scheme": "employee", "region": SUZHOU, "paid_on": "2020-01-10",
         "concentrated": False},
        {"year": 2021, "scheme": "employee", "region": JIANGYIN, "paid_on": "2021-01-10",
         "concentrated": False},
    ]
    # 2020: 苏州 -> not insured in 无锡市 -> false
    check(run_person(data, date(2020, 6, 1)), citywide_card=False)
    # 2021: 江阴, employee, >= 2020 -> true
    check(run_person(data, date(2021, 6, 1)), citywide_card=True)


def two_entries(first, second):
    """A person with two enrollment entries for 2021 (and none for other years): each given
    as (scheme, region)."""
    data = person(years=())
    data["enrollment"] = [
        {"year": 2021, "scheme": scheme, "region": region, "paid_on": paid_on,
         "concentrated": scheme == "resident"}
        for (scheme, region), paid_on in ((first, "2021-01-10"), (second, "2021-07-10"))]
    return data


def test_citywide_card_any_qualifying_entry_of_several():
    on = date(2021, 9, 1)
    # 职工医保 in 苏州 (outside 无锡) and 职工医保 in 宜兴 (in 无锡) for 2021: the second entry is
    # an employee-scheme entry in 无锡市, 2021-09-01 >= 2020-01-01 -> true, although the
    # first entry does not qualify (one qualifying entry is enough)
    check(run_person(two_entries(("employee", SUZHOU), ("employee", YIXING)), on),
          citywide_card=True)
    # the same in the other order: the order of the entries does not matter -> true
    check(run_person(two_entries(("employee", YIXING), ("employee", SUZHOU)), on),
          citywide_card=True)
    # 居民医保 in 梁溪区 and 职工医保 in 江阴: the 江阴 entry is employee and in 无锡 -> true
    check(run_person(two_entries(("resident", LIANGXI), ("employee", JIANGYIN)), on),
          citywide_card=True)
    # 职工医保 twice in 无锡 (江阴 then 梁溪区): both qualify -> true
    check(run_person(two_entries(("employee", JIANGYIN), ("employee", LIANGXI)), on),
          citywide_card=True)


def test_citywide_card_needs_one_entry_that_is_both_employee_and_in_wuxi():
    on = date(2021, 9, 1)
    # 居民医保 in 梁溪区 (in 无锡, but not 职工医保) and 职工医保 in 苏州 (职工医保, but not in 无锡):
    # one entry has the scheme, the other the place, none has both -> false
    check(run_person(two_entries(("resident", LIANGXI), ("employee", SUZHOU)), on),
          citywide_card=False)
    # 居民医保 twice in 无锡: no employee-scheme entry -> false
    check(run_person(two_entries(("resident", LIANGXI), ("resident", JIANGYIN)), on),
          citywide_card=False)
    # a qualifying pair of entries, asked before 2020: "自2020年起" -> false whatever the entries
    data = two_entries(("employee", SUZHOU), ("employee", YIXING))
    for e in data["enrollment"]:
        e["year"] = 2019
    check(run_person(data, date(2019, 12, 31)), citywide_card=False)


# ------------------------------------------------------------------ deficit branches (三(三))
def test_plan_completed_and_surplus_sufficient():
    # "各市(县)完成年度收支计划的,由市通过原各统筹地区结余基金补足": plan completed, no county
    # failure, 5000000 >= 1200000 -> the city's surplus
    check(run_fund(fund()), deficit_covered_by="市级原统筹区结余")


def test_surplus_exactly_equal_to_the_deficit_is_sufficient():
    # 1200000 >= 1200000: the surplus covers the whole gap, nothing "仍有不足"
    check(run_fund(fund(deficit="1200000.00", surplus="1200000.00")),
          deficit_covered_by="市级原统筹区结余")
    # one cent short: 1199999.99 < 1200000 -> "累计结余仍有不足的…调整医保政策"
    check(run_fund(fund(deficit="1200000.00", surplus="1199999.99")),
          deficit_covered_by="调整政策")


def test_plan_completed_but_surplus_insufficient():
    # 宜兴 completed its plan; 2000000 < 3000000: "累计结余仍有不足的,由市根据…调整医保政策"
    check(run_fund(fund(region=YIXING, year=2022, deficit="3000000.00", surplus="2000000.00")),
          deficit_covered_by="调整政策")


def test_subsidy_short_and_plan_incomplete():
    # "市(县)未按规定补助到位…等情形形成的基金收入缺口,由市(县)政府负责补足或追缴到位":
    # subsidy short -> the county government, although the surplus (5000000) would cover it
    check(run_fund(fund(plan=False, subsidy=False, deficit="800000.00")),
          deficit_covered_by=COUNTY_GOVT)


def test_contribution_not_executed_beats_completed_plan_and_short_surplus():
    # contribution policy not strictly executed: the county's own gap -> 市(县)政府, even with
    # the plan completed and the surplus too small (the city's surplus is not used for it,
    # so "累计结余仍有不足" never arises for this gap)
    check(run_fund(fund(contribution=False, deficit="3000000.00", surplus="100.00")),
          deficit_covered_by=COUNTY_GOVT)
    # same with the plan completed and the surplus sufficient
    check(run_fund(fund(contribution=False)), deficit_covered_by=COUNTY_GOVT)


def test_no_deficit_is_not_applicable():
    # "如当年基金收支相抵出现缺口": 江阴 2021 (a county fund year from 2020), deficit 0 -> no gap,
    # nothing to cover: the output does not concern this fund year -> not applicable, neither
    # one of the three who cover a gap nor an error
    result = run_fund(fund(deficit="0"))
    check_not_applicable(result, "deficit_covered_by")
    assert result.not_applicable["deficit_covered_by"].reason == "当年基金收支相抵没有出现缺口,无需补足"
    # a field left out takes the record contract's default 0 -> the same
    data = fund()
    del data["deficit"]
    check_not_applicable(run_fund(data), "deficit_covered_by")
    # a negative deficit (income above expenditure) is no gap either: -5000.00 is not > 0
    check_not_applicable(run_fund(fund(deficit="-5000.00")), "deficit_covered_by")
    # no gap, so whatever the county did does not matter: plan missed with no listed cause,
    # or subsidies short, in 宜兴 2022 -> still nothing to cover
    check_not_applicable(run_fund(fund(region=YIXING, year=2022, plan=False, deficit="0")),
                         "deficit_covered_by")
    check_not_applicable(run_fund(fund(plan=False, subsidy=False, deficit="0")),
                         "deficit_covered_by")
    # one cent of deficit is a gap: 0.01 > 0, plan completed, 5000000 >= 0.01 -> the surplus
    check(run_fund(fund(deficit="0.01")), deficit_covered_by="市级原统筹区结余")


def test_plan_incomplete_without_a_listed_county_failure_is_not_answered():
    # plan not completed, but subsidies in place and contributions executed: the text gives the
    # city's surplus only to "完成年度收支计划的" counties and the county only the gaps formed
    # by "未按规定补助到位或未严格执行缴费政策等情形" -> with the parameter
    # unexplained_plan_shortfall_is_county_caused = false, no case applies (E541)
    check_errors(run_fund(fund(plan=False)), **dict.fromkeys(FUND_OUTPUTS, "E541"))


def test_fund_years_outside_the_scope_of_the_deficit_clause():
    # 2019: before "从2020年1月1日起…缴入市级国库" -> not a municipal-pooling fund year (E541)
    check_errors(run_fund(fund(year=2019)), **dict.fromkeys(FUND_OUTPUTS, "E541"))
    # 市区 (江苏省无锡市): not one of the 市(县) given an annual plan ("下达各市(县)年度收支计划")
    check_errors(run_fund(fund(region=CITY)), **dict.fromkeys(FUND_OUTPUTS, "E541"))
    # a region outside 无锡
    check_errors(run_fund(fund(region=SUZHOU)), **dict.fromkeys(FUND_OUTPUTS, "E541"))


def test_fund_years_outside_the_scope_are_errors_even_without_a_deficit():
    # "no deficit -> not applicable" is said of the fund years the clause addresses (江阴市,
    # 宜兴市, from 2020); of the others the text says nothing at all -> still no answer (E541)
    check_errors(run_fund(fund(year=2019, deficit="0")), **dict.fromkeys(FUND_OUTPUTS, "E541"))
    check_errors(run_fund(fund(region=CITY, deficit="0")), **dict.fromkeys(FUND_OUTPUTS, "E541"))
    check_errors(run_fund(fund(region=SUZHOU, deficit="0")),
                 **dict.fromkeys(FUND_OUTPUTS, "E541"))


# ------------------------------------------------------------------ a reading changed by one value
TEST_CHILD = """\
policy wuxi-reading-1 extends wuxi-2019-73 {
  title "测试:'等情形'读作包括其他未完成计划的原因"
  status draft
}

override parameter unexplained_plan_shortfall_is_county_caused: bool {
  label "未完成年度收支计划且未列明原因的缺口按市(县)原因处理"
  cite "三(三): 未按规定补助到位或未严格执行缴费政策等情形"
  from 2019-12-30: true
}
"""


@lru_cache(maxsize=None)
def other_reading():
    folder = Path(tempfile.mkdtemp(prefix="yibao-wx-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    for name in ("records-contract.policy", "wuxi-2019-73.policy"):
        shutil.copy(ROOT / "policies" / name, folder / name)
    (folder / "wuxi-reading-1.policy").write_text(TEST_CHILD, encoding="utf-8")
    return load_policy(folder / "wuxi-reading-1.policy")


def test_other_reading_of_deng_qingxing_changes_one_value():
    # with the parameter true, an incomplete plan without a listed failure counts as a
    # county-caused gap -> 市(县)政府
    check(run_fund(fund(plan=False), policy=other_reading()), deficit_covered_by=COUNTY_GOVT)
    # the other branches are unchanged: plan completed, 5000000 >= 1200000 -> surplus
    check(run_fund(fund(), policy=other_reading()), deficit_covered_by="市级原统筹区结余")


# ------------------------------------------------------------------ example files and record kinds
@pytest.mark.parametrize("name, expected", [
    # 5000000 >= 1200000, plan completed, no failure
    ("fund-jiangyin-2021-surplus.yaml", "市级原统筹区结余"),
    # 2000000 < 3000000, plan completed, no failure
    ("fund-yixing-2022-surplus-short.yaml", "调整政策"),
    # subsidy short (and plan incomplete)
    ("fund-jiangyin-2022-subsidy-short.yaml", COUNTY_GOVT),
])
def test_fund_year_example_files_load_and_give_only_fund_outputs(name, expected):
    policy = wuxi()
    record, warnings = load_record(policy, EXAMPLES / name)
    assert not warnings
    # load_record marks the kind from `kind: fund_year` in the file
    assert record["kind"] == "fund_year"
    result = evaluate(policy, record, date(2023, 3, 1))
    # only the fund-year output is computed: no person output among the values or the errors
    assert set(result.values) | set(result.errors) == FUND_OUTPUTS
    assert result.values["deficit_covered_by"] == expected


def test_no_deficit_example_file():
    policy = wuxi()
    record, _ = load_record(policy, EXAMPLES / "fund-yixing-2023-no-deficit.yaml")
    result = evaluate(policy, record, date(2024, 3, 1))
    # the fund-year output only, and it is neither a value nor an error
    assert set(result.values) | set(result.errors) == set()
    assert set(result.not_applicable) == FUND_OUTPUTS
    # 宜兴 2023, deficit 0 -> nothing to cover (see test_no_deficit_is_not_applicable)
    check_not_applicable(result, "deficit_covered_by")


def test_person_outputs_cannot_be_asked_of_a_fund_year_record():
    policy = wuxi()
    record, _ = load_record(policy, EXAMPLES / "fund-jiangyin-2021-surplus.yaml")
    with pytest.raises(DiagnosticError) as info:
        evaluate(policy, record, date(2023, 3, 1), outputs=["citywide_card"])
    assert [d.code for d in info.value.diagnostics] == ["E581"]


@pytest.mark.parametrize("name, on, expected", [
    # employee in 江阴: 2019-12-31 before every date; 2020-01-01 pooling, maternity, card;
    # 2021-01-01 everything
    ("employee-jiangyin.yaml", date(2019, 12, 31),
     dict(pooling_level="原统筹地区", unified_contribution=False, unified_benefits=False,
          unified_maternity_benefits=False, citywide_card=False)),
    ("employee-jiangyin.yaml", date(2020, 1, 1),
     dict(pooling_level="市级统筹", unified_contribution=False, unified_benefits=False,
          unified_maternity_benefits=True, citywide_card=True)),
    ("employee-jiangyin.yaml", date(2021, 1, 1),
     dict(pooling_level="市级统筹", unified_contribution=True, unified_benefits=True,
          unified_maternity_benefits=True, citywide_card=True)),
    # resident in 梁溪区: like the employee except the card (职工医保参保人员 only)
    ("resident-liangxi.yaml", date(2020, 6, 1),
     dict(pooling_level="市级统筹", unified_contribution=False, unified_benefits=False,
          unified_maternity_benefits=True, citywide_card=False)),
    ("resident-liangxi.yaml", date(2021, 6, 1),
     dict(pooling_level="市级统筹", unified_contribution=True, unified_benefits=True,
          unified_maternity_benefits=True, citywide_card=False)),
    # changed jobs in 2021: 职工医保 in 苏州 and then 职工医保 in 新吴区 (无锡) for 2021; 2020 in 苏州
    # only. 2020-06-01: the one 2020 entry is outside 无锡 -> no card; 2021-09-01: the 新吴区
    # entry qualifies -> card, whatever the 苏州 entry
    ("employee-moved-2021.yaml", date(2020, 6, 1),
     dict(pooling_level="市级统筹", unified_contribution=False, unified_benefits=False,
          unified_maternity_benefits=True, citywide_card=False)),
    ("employee-moved-2021.yaml", date(2021, 9, 1),
     dict(pooling_level="市级统筹", unified_contribution=True, unified_benefits=True,
          unified_maternity_benefits=True, citywide_card=True)),
])
def test_person_example_files(name, on, expected):
    policy = wuxi()
    record, _ = load_record(policy, EXAMPLES / name)
    assert record.get("kind", "person") == "person"
    result = evaluate(policy, record, on)
    # only the person outputs are computed for a person record
    assert set(result.values) | set(result.errors) == PERSON_OUTPUTS
    check(result, **expected)


def test_outside_wuxi_example_file():
    policy = wuxi()
    record, _ = load_record(policy, EXAMPLES / "employee-suzhou.yaml")
    # 参保地 苏州市 in 2021 -> not in 无锡市 -> no card; the city's regime by date
    check(evaluate(policy, record, date(2021, 6, 1)), citywide_card=False,
          pooling_level="市级统筹")
