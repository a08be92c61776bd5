"""Scenario tests for the 景谷 county integration plan (policies/jinggu-2018.policy).

Every expected value is worked out by hand from the text of the plan (一, 二(一), 二(二),
二(四), 二(五), 三(一)3) and the readings written out in docs/readings/jinggu-2018.md; the
reasoning or arithmetic is in the comment above each assertion.  The benefit year Y is
year(as_of).  The readings:
  - 职工医保 (二(二) 除职工基本医疗保险应参保人员外): employment `employee` or
    `unemployed_benefit`, or an employee-scheme entry for Y (any one of several entries);
  - scheme: 职工医保 for those; else Y >= 2017 -> 城乡居民医保; else (2016) the record's 2016
    entry (urbmi -> 城镇居民医保, ncms -> 新农合), and only with neither -- or with both -- the
    hukou type (urban -> 城镇居民医保, rural -> 新农合);
  - 景谷 is recognised when a name starts with 云南省普洱市景谷傣族彝族自治县 / 云南省普洱市景谷县;
  - resident_insurance_eligible: resides in 景谷 and not 职工医保;
  - duplicate_enrollment: more than one entry for Y (same scheme twice, identical entries too);
  - administered_by: 原渠道 to 2017-06-30 inclusive, then 人社部门, judged on as_of;
  - catalog: by scheme; not applicable for 职工医保;
  - inpatient_fund_payment: 75% (a target, 保持在75%左右) of the in-scope cost, rounded to the
    cent half up, for someone with a resident-scheme (resident, urbmi, ncms) entry for Y in
    景谷 and not 职工医保; in 2016 the rate is not in force (E501); not applicable to 职工医保,
    to someone with no entry for Y, or insured only outside 景谷;
  - a date before 2016 is "not in force" (E501) for every output.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yibao.interpreter.api import evaluate, load_policy, load_record, record_from

from .builders import check, check_errors, check_not_applicable

ROOT = Path(__file__).resolve().parent.parent
D = Decimal
date = dt.date

OUTPUTS = ["scheme", "resident_insurance_eligible", "duplicate_enrollment", "administered_by",
           "catalog", "inpatient_fund_payment"]

JINGGU = "云南省普洱市景谷傣族彝族自治县"
JINGGU_SHORT = "云南省普洱市景谷县"
WEIYUAN = "云南省普洱市景谷傣族彝族自治县威远镇"
KUNMING = "云南省昆明市"
SIMAO = "云南省普洱市思茅区"

# the reasons the policy gives for "not applicable"
NA_EMPLOYEE_CATALOG = "职工医保的目录不由本方案规定"
NA_EMPLOYEE_PAYMENT = "职工医保参保人员:住院费用不由城乡居民医保基金支付"
NA_ELSEWHERE = "未在景谷县参加城乡居民医保:住院费用由参保地基金支付"


# ------------------------------------------------------------------ helpers
@lru_cache(maxsize=None)
def jinggu():
    return load_policy(ROOT / "policies" / "jinggu-2018.policy")


def entry(year, scheme="resident", region=JINGGU, paid_on=None, concentrated=True):
    return {"year": year, "scheme": scheme, "region": region,
            "paid_on": paid_on or f"{year - 1}-12-10", "concentrated": concentrated}


def person(entries=(), **fields):
    """A record as a YAML/JSON file would give it: a rural-hukou resident of 景谷 with no
    job, enrollment history complete from 2016."""
    data = {
        "id": "JG-TEST",
        "birth_date": "1970-05-20",
        "hukou": JINGGU,
        "hukou_type": "rural",
        "residence": JINGGU,
        "employment": "none",
        "enrollment_known_from": 2016,
        "enrollment": list(entries),
        "inpatient_in_scope_cost": 0,
    }
    data.update(fields)
    return data


def run(data, on):
    policy = jinggu()
    record = record_from(policy, data, "scenario")
    assert record.warnings == []
    return evaluate(policy, record, on)


def reason(result, name):
    return result.not_applicable[name].reason


# ------------------------------------------------------------------ scheme: 2016 vs 2017
# (the plain 2016-then-2017 cases for an urban and a rural hukou are data:
# tests/suites/jinggu-scheme.test.yaml)

def test_2016_entry_decides_before_the_hukou_type():
    # rural hukou, but the 2016 entry is urbmi: 二(五) "分别执行" the two old schemes, and the
    # record says which one the person was in -> 城镇居民医保 and its catalog, not 新农合
    data = person(hukou_type="rural", entries=[entry(2016, "urbmi")])
    check(run(data, date(2016, 6, 1)), scheme="城镇居民医保", catalog="原城镇居民目录")
    # and the other way round: urban hukou, 2016 entry ncms -> 新农合 and its catalog
    data = person(hukou_type="urban", entries=[entry(2016, "ncms")])
    check(run(data, date(2016, 6, 1)), scheme="新农合", catalog="原新农合目录")
    # the entry's place does not matter for the scheme: urbmi in 昆明 for a rural hukou ->
    # 城镇居民医保
    data = person(hukou_type="rural", entries=[entry(2016, "urbmi", region=KUNMING)])
    check(run(data, date(2016, 6, 1)), scheme="城镇居民医保")
    # two urbmi entries (two places) are still only urbmi -> 城镇居民医保 for a rural hukou
    data = person(hukou_type="rural",
                  entries=[entry(2016, "urbmi"), entry(2016, "urbmi", region=SIMAO)])
    check(run(data, date(2016, 6, 1)), scheme="城镇居民医保")


# (2016 without an old-scheme entry, and with both urbmi and ncms: the hukou type decides;
# tests/suites/jinggu-scheme.test.yaml)


# ------------------------------------------------------------------ who belongs to 职工医保
def test_employee_in_2016_and_2018():
    data = person(hukou_type="urban", employment="employee",
                  entries=[entry(y, "employee", paid_on=f"{y}-01-15", concentrated=False)
                           for y in (2016, 2017, 2018)],
                  inpatient_in_scope_cost=8000)
    for on in (date(2016, 5, 1), date(2018, 5, 2)):
        result = run(data, on)
        # 二(二): the resident scheme covers everyone 除职工基本医疗保险应参保人员外 -> an
        # employee is in 职工医保 in any year, before or after the merger (urban hukou or not);
        # one entry for the year -> no duplicate; lives in 景谷 but in 职工医保 -> not eligible
        check(result, scheme="职工医保", duplicate_enrollment=False,
              resident_insurance_eligible=False)
        # catalog: the plan sets the catalogs of the resident schemes only (二(五)) -> not
        # applicable to 职工医保, in 2016 as in 2018
        check_not_applicable(result, "catalog")
        assert reason(result, "catalog") == NA_EMPLOYEE_CATALOG
        # payment: the ~75% is the resident scheme's level (二(四)); 职工医保 is paid by its own
        # fund -> not applicable, in 2016 too (not the 2016 "not in force" error: that is for
        # people the resident fund covers)
        check_not_applicable(result, "inpatient_fund_payment")
        assert reason(result, "inpatient_fund_payment") == NA_EMPLOYEE_PAYMENT
    # administered_by is by date for every record: 2016-05-01 <= 2017-06-30 -> 原渠道,
    # 2018-05-02 > 2017-06-30 -> 人社部门
    check(run(data, date(2016, 5, 1)), administered_by="原渠道")
    check(run(data, date(2018, 5, 2)), administered_by="人社部门")


def test_employee_scheme_entry_makes_zhigong_whatever_the_employment():
    # an employee-scheme entry for Y puts the person in 职工医保 (retirees and flexible workers
    # in 职工医保 stay there), whatever the employment status
    for employment in ("flexible", "retired", "student", "none"):
        data = person(employment=employment,
                      entries=[entry(2018, "employee", paid_on="2018-01-15",
                                     concentrated=False)],
                      inpatient_in_scope_cost=1000)
        result = run(data, date(2018, 6, 1))
        # 职工医保; lives in 景谷 but in 职工医保 -> not eligible (二(二) 除...外); one entry
        check(result, scheme="职工医保", resident_insurance_eligible=False,
              duplicate_enrollment=False)
        # the resident scheme's catalog and payment do not concern 职工医保
        check_not_applicable(result, "catalog", "inpatient_fund_payment")
    # in 2016 too: a rural-hukou retiree with an employee entry for 2016 is 职工医保, not 新农合
    data = person(employment="retired", hukou_type="rural",
                  entries=[entry(2016, "employee", paid_on="2016-01-15", concentrated=False)])
    result = run(data, date(2016, 6, 1))
    check(result, scheme="职工医保", resident_insurance_eligible=False)
    check_not_applicable(result, "catalog", "inpatient_fund_payment")


def test_the_employee_entry_must_be_for_the_benefit_year():
    # a flexible worker in 职工医保 for 2017 who moved to the resident scheme in 景谷 for 2018:
    # for 2018 the only entry is resident -> not 职工医保 -> 城乡居民医保, eligible, and the
    # resident fund pays 2000 x 75% = 1500.00
    data = person(employment="flexible",
                  entries=[entry(2017, "employee", paid_on="2017-01-15", concentrated=False),
                           entry(2018)],
                  inpatient_in_scope_cost=2000)
    check(run(data, date(2018, 6, 1)), scheme="城乡居民医保", resident_insurance_eligible=True,
          catalog="省级统一目录", inpatient_fund_payment=D("1500.00"))
    # for 2017 the employee entry counts -> 职工医保
    result = run(data, date(2017, 6, 1))
    check(result, scheme="职工医保", resident_insurance_eligible=False)
    check_not_applicable(result, "catalog", "inpatient_fund_payment")


def test_one_employee_entry_among_several_makes_zhigong():
    # 2018: 城乡居民医保 in 景谷 and 职工医保 in 昆明, employment none: one employee-scheme entry
    # makes the person 职工医保; two entries -> duplicate; the 景谷 resident entry does not
    # bring the resident fund's payment: 职工医保 -> not applicable
    data = person(entries=[entry(2018),
                           entry(2018, "employee", region=KUNMING, paid_on="2018-03-01",
                                 concentrated=False)],
                  inpatient_in_scope_cost=4000)
    result = run(data, date(2018, 9, 1))
    check(result, scheme="职工医保", resident_insurance_eligible=False,
          duplicate_enrollment=True, administered_by="人社部门")
    check_not_applicable(result, "catalog", "inpatient_fund_payment")
    assert reason(result, "inpatient_fund_payment") == NA_EMPLOYEE_PAYMENT


def test_unemployed_benefit_recipient_is_in_zhigong():
    # 领取失业保险金人员: the unemployment fund pays their 职工医保 premium (社会保险法 第四十八条),
    # so they are 职工医保 even with no entry, or with a resident entry in 景谷
    for entries in ([], [entry(2018)]):
        data = person(employment="unemployed_benefit", entries=entries,
                      inpatient_in_scope_cost=1000)
        result = run(data, date(2018, 6, 1))
        check(result, scheme="职工医保", resident_insurance_eligible=False)
        check_not_applicable(result, "catalog", "inpatient_fund_payment")
        # with no entry the reason is still 职工医保 (that case comes first), not "no entry"
        assert reason(result, "inpatient_fund_payment") == NA_EMPLOYEE_PAYMENT
    # 2016, rural hukou: 职工医保, not 新农合
    result = run(person(employment="unemployed_benefit", entries=[entry(2016, "ncms")]),
                 date(2016, 6, 1))
    check(result, scheme="职工医保")


def test_flexible_worker_without_an_employee_entry_is_a_resident():
    # flexible employment alone does not make 职工医保 (only employee and unemployed_benefit
    # do); with a resident entry in 景谷 for 2018 -> 城乡居民医保, eligible
    data = person(employment="flexible", entries=[entry(2018)])
    check(run(data, date(2018, 7, 1)), scheme="城乡居民医保", resident_insurance_eligible=True)


# ------------------------------------------------------------------ administration: the transition
def test_transition_ends_on_2017_06_30():
    data = person(entries=[entry(2016, "ncms"), entry(2017)])
    # 三(一)3 参保管理和医疗待遇暂由原渠道实施; 二(一) 过渡期至2017年6月30日 -> on 2017-06-30
    # (the last day, included) still the original channel
    check(run(data, date(2017, 6, 30)), administered_by="原渠道")
    # 2017-07-01 is after the transition: 二(一) 统一交由同级人力资源和社会保障部门管理
    check(run(data, date(2017, 7, 1)), administered_by="人社部门")


def test_administration_before_and_well_after_the_merger():
    data = person(entries=[entry(2016, "ncms"), entry(2017), entry(2025)])
    # 2016-12-31 <= 2017-06-30: the old schemes are still run by their own agencies -> 原渠道
    check(run(data, date(2016, 12, 31)), administered_by="原渠道")
    # 2017-01-01: the merged scheme applies (一) but is still run by the original channel
    # (三(一)3) -> scheme 城乡居民医保 and 原渠道 at the same time
    check(run(data, date(2017, 1, 1)), scheme="城乡居民医保", administered_by="原渠道")
    # 2025-03-01 > 2017-06-30 -> 人社部门
    check(run(data, date(2025, 3, 1)), administered_by="人社部门")


# ------------------------------------------------------------------ duplicate enrollment
def test_two_schemes_in_one_year_is_a_duplicate():
    data = person(entries=[entry(2017, "resident"),
                           entry(2017, "employee", region=KUNMING, paid_on="2017-03-01",
                                 concentrated=False)])
    # 二(二) 避免重复参保: two entries (城乡居民医保 in 景谷 and 职工医保 in 昆明) for the benefit
    # year 2017 -> 2 > 1 -> duplicate
    check(run(data, date(2017, 9, 1)), duplicate_enrollment=True)


def test_one_entry_per_year_is_not_a_duplicate():
    data = person(entries=[entry(2016, "ncms"), entry(2017), entry(2018)])
    # one entry for 2017 -> 1 > 1 is false
    check(run(data, date(2017, 9, 1)), duplicate_enrollment=False)
    # no entry at all for 2019 -> 0 > 1 is false: not insured is not a duplicate
    check(run(data, date(2019, 9, 1)), duplicate_enrollment=False)


def test_2016_urbmi_and_ncms_together_is_a_duplicate():
    # the duplicate the merger was meant to end: 城镇居民医保 and 新农合 both for 2016
    data = person(entries=[entry(2016, "urbmi"), entry(2016, "ncms"), entry(2017)])
    check(run(data, date(2016, 4, 1)), duplicate_enrollment=True)
    # asked for 2017, only the 2017 entry counts: 1 -> no duplicate (the year is the benefit year)
    check(run(data, date(2017, 4, 1)), duplicate_enrollment=False)


def test_same_scheme_in_two_places_is_a_duplicate():
    # "避免重复参保" is not limited to different schemes: 城乡居民医保 in 景谷 and again in 思茅区
    # for 2018 -> two entries > 1 -> duplicate
    data = person(entries=[entry(2018), entry(2018, region=SIMAO, paid_on="2018-02-01",
                                              concentrated=False)])
    check(run(data, date(2018, 5, 1)), duplicate_enrollment=True)
    # 职工医保 twice (two employers' places) for 2018 -> duplicate too
    data = person(employment="employee",
                  entries=[entry(2018, "employee", paid_on="2018-01-15", concentrated=False),
                           entry(2018, "employee", region=KUNMING, paid_on="2018-05-15",
                                 concentrated=False)])
    check(run(data, date(2018, 6, 1)), duplicate_enrollment=True, scheme="职工医保")


def test_two_identical_entries_are_a_duplicate():
    # the same entry recorded twice for 2018 (same scheme, place, date): still two entries -> true
    data = person(entries=[entry(2018), entry(2018)])
    check(run(data, date(2018, 5, 1)), duplicate_enrollment=True)


def test_duplicate_resident_entries_in_and_outside_jinggu_still_get_the_payment():
    # 城乡居民医保 in 景谷 and in 思茅区 for 2018: a duplicate, but one entry is a resident-scheme
    # entry in 景谷 and the person is not 职工医保 -> the 景谷 fund's level applies:
    # 3000 x 75% = 2250.00
    data = person(entries=[entry(2018, region=SIMAO), entry(2018, paid_on="2018-02-01")],
                  inpatient_in_scope_cost=3000)
    check(run(data, date(2018, 5, 1)), duplicate_enrollment=True,
          inpatient_fund_payment=D("2250.00"))


# ------------------------------------------------------------------ eligibility (二(二))
def test_resident_of_jinggu_is_eligible_whatever_the_hukou():
    # 覆盖县域内...其他所有城乡居民,参保不受城乡户籍限制: urban or rural hukou, hukou in 景谷 or
    # elsewhere (昆明) -> eligible when living in 景谷 and not 职工医保
    for hukou_type in ("urban", "rural"):
        for hukou in (JINGGU, KUNMING):
            data = person(hukou=hukou, hukou_type=hukou_type, entries=[entry(2018)])
            check(run(data, date(2018, 6, 1)), resident_insurance_eligible=True)


def test_names_of_the_county_are_recognised():
    # residence written 云南省普洱市景谷县 (the short form listed in county_names) -> eligible
    data = person(residence=JINGGU_SHORT, entries=[entry(2018)])
    check(run(data, date(2018, 6, 1)), resident_insurance_eligible=True)
    # a town of the county (…景谷傣族彝族自治县威远镇) starts with the full name -> eligible
    data = person(residence=WEIYUAN, entries=[entry(2018)])
    check(run(data, date(2018, 6, 1)), resident_insurance_eligible=True)


def test_non_resident_is_not_eligible():
    # hukou in 景谷 but living in 昆明: 县域内 means living in the county -> not eligible
    data = person(residence=KUNMING, entries=[entry(2018)])
    check(run(data, date(2018, 6, 1)), resident_insurance_eligible=False)
    # another county of 普洱市 is not 景谷 either
    data = person(residence=SIMAO, entries=[entry(2018)])
    check(run(data, date(2018, 6, 1)), resident_insurance_eligible=False)


def test_eligibility_does_not_depend_on_the_year_or_on_being_insured():
    # resides in 景谷 and not 职工医保, in any year from 2016 -> 2016 too
    data = person(entries=[entry(2016, "ncms")])
    check(run(data, date(2016, 6, 1)), resident_insurance_eligible=True)
    # no entry for 2020: eligibility is about coverage (应保尽保), not about having enrolled
    check(run(data, date(2020, 6, 1)), resident_insurance_eligible=True)


# ------------------------------------------------------------------ inpatient fund payment (二(四))
def test_inpatient_payment_rounded_to_the_cent():
    data = person(entries=[entry(2018)], inpatient_in_scope_cost="12345.67")
    # 12345.67 x 75% = 9259.2525 -> to the cent, half up: 9259.25 (the 0.0025 goes down)
    check(run(data, date(2018, 3, 1)), inpatient_fund_payment=D("9259.25"))


def test_inpatient_payment_half_cent_rounds_up():
    data = person(entries=[entry(2018)], inpatient_in_scope_cost="133.50")
    # 133.50 x 75% = 100.125 -> exactly half a cent: half up gives 100.13
    # (half-even and truncation would give 100.12)
    check(run(data, date(2018, 3, 1)), inpatient_fund_payment=D("100.13"))


def test_inpatient_payment_small_and_zero_amounts():
    # 1000.01 x 75% = 750.0075 -> 750.01
    data = person(entries=[entry(2017)], inpatient_in_scope_cost="1000.01")
    check(run(data, date(2017, 8, 1)), inpatient_fund_payment=D("750.01"))
    # 0 x 75% = 0.00: a real zero (no in-scope cost), not a default
    data = person(entries=[entry(2017)], inpatient_in_scope_cost=0)
    check(run(data, date(2017, 8, 1)), inpatient_fund_payment=D("0.00"))


def test_inpatient_payment_in_2016_is_not_in_force():
    # 2016, an ncms entry in 景谷: the resident fund covers the person, but the ~75% level of
    # 二(四) belongs to the merged scheme, from 2017-01-01 -> "not in force" (E501)
    data = person(entries=[entry(2016, "ncms"), entry(2017)], inpatient_in_scope_cost=1000)
    check_errors(run(data, date(2016, 8, 1)), inpatient_fund_payment="E501")
    # an urbmi entry in 景谷 for 2016, same
    data = person(hukou_type="urban", entries=[entry(2016, "urbmi")], inpatient_in_scope_cost=1000)
    check_errors(run(data, date(2016, 8, 1)), inpatient_fund_payment="E501")
    # 2017, the resident entry in 景谷: 1000 x 75% = 750.00
    data = person(entries=[entry(2016, "ncms"), entry(2017)], inpatient_in_scope_cost=1000)
    check(run(data, date(2017, 8, 1)), inpatient_fund_payment=D("750.00"))


# (not applicable without an entry for the benefit year, in 2018 and in 2016:
# tests/suites/jinggu-scheme.test.yaml)


def test_inpatient_payment_not_applicable_when_insured_elsewhere():
    # lives in 景谷 but insured in 城乡居民医保 in 昆明 for 2018: the 景谷 fund does not pay ->
    # not applicable; the catalog follows the scheme (城乡居民医保 -> 省级统一目录), not the place
    data = person(entries=[entry(2018, region=KUNMING)], inpatient_in_scope_cost=1000)
    result = run(data, date(2018, 8, 1))
    check_not_applicable(result, "inpatient_fund_payment")
    assert reason(result, "inpatient_fund_payment") == NA_ELSEWHERE
    check(result, scheme="城乡居民医保", catalog="省级统一目录", resident_insurance_eligible=True)
    # another county of 普洱市 (思茅区) is elsewhere too
    data = person(entries=[entry(2018, region=SIMAO)], inpatient_in_scope_cost=1000)
    check_not_applicable(run(data, date(2018, 8, 1)), "inpatient_fund_payment")
    # 2016, ncms in 思茅区: elsewhere -> not applicable (not the 2016 "not in force" error,
    # which concerns the 景谷 fund's members)
    data = person(entries=[entry(2016, "ncms", region=SIMAO)], inpatient_in_scope_cost=1000)
    result = run(data, date(2016, 8, 1))
    check_not_applicable(result, "inpatient_fund_payment")
    check(result, scheme="新农合", catalog="原新农合目录")


def test_inpatient_payment_for_an_old_scheme_entry_in_jinggu_from_2017():
    # a 2017 entry still written ncms (premium for 2017 collected by the old channel in 2016,
    # 三(二)1), in a town of 景谷: a resident-scheme entry in 景谷 -> 1000.02 x 75% = 750.015
    # -> half up: 750.02
    data = person(entries=[entry(2017, "ncms", region=WEIYUAN)], inpatient_in_scope_cost="1000.02")
    check(run(data, date(2017, 5, 1)), scheme="城乡居民医保", inpatient_fund_payment=D("750.02"))
    # the short form of the county name as 参保地 is recognised as well: 200 x 75% = 150.00
    data = person(entries=[entry(2018, region=JINGGU_SHORT)], inpatient_in_scope_cost=200)
    check(run(data, date(2018, 5, 1)), inpatient_fund_payment=D("150.00"))


# ------------------------------------------------------------------ catalog (二(五))
def test_catalog_before_and_after_2017():
    urban = person(hukou_type="urban", entries=[entry(2016, "urbmi"), entry(2017)])
    rural = person(hukou_type="rural", entries=[entry(2016, "ncms"), entry(2017)])
    # 二(五): 2016年...分别执行原城镇居民基本医疗保险药品、诊疗项目、医疗服务设施范围目录和
    # 新农合医疗保险诊疗目录 -> by the old scheme
    check(run(urban, date(2016, 11, 30)), catalog="原城镇居民目录")
    check(run(rural, date(2016, 11, 30)), catalog="原新农合目录")
    # 2017年1月1日起,按照省级统一政策规定执行 -> both the same from 2017-01-01
    check(run(urban, date(2017, 1, 1)), catalog="省级统一目录")
    check(run(rural, date(2017, 1, 1)), catalog="省级统一目录")


# ------------------------------------------------------------------ outside the text's dates
def test_before_2016_is_not_in_force():
    # the plan speaks of 2016 and of 2017 onwards; 2015 -> every output is "not in force"
    # (E501), never a guess
    data = person(enrollment_known_from=2010, entries=[entry(2015, "ncms")])
    result = run(data, date(2015, 8, 1))
    check_errors(result, **dict.fromkeys(OUTPUTS, "E501"))
    # the same for an employee, whose catalog and payment are "not applicable" from 2016:
    # before 2016 the plan says nothing, not even that -> E501
    data = person(enrollment_known_from=2010, employment="employee",
                  entries=[entry(2015, "employee", paid_on="2015-01-15", concentrated=False)])
    check_errors(run(data, date(2015, 12, 31)), **dict.fromkeys(OUTPUTS, "E501"))
    # and for someone with no entry at all (payment otherwise "not applicable")
    check_errors(run(person(enrollment_known_from=2010), date(2015, 1, 1)),
                 **dict.fromkeys(OUTPUTS, "E501"))
    # 2016-01-01, the first day: answered (rural hukou, no entry -> 新农合)
    check(run(person(), date(2016, 1, 1)), scheme="新农合", administered_by="原渠道")


# ------------------------------------------------------------------ the example records
EXAMPLES = {
    # file: [(as_of, expected values, outputs expected to be E501, outputs not applicable)],
    # worked out in the file's header comment
    "rural-resident.yaml": [
        (date(2018, 3, 1), dict(scheme="城乡居民医保", resident_insurance_eligible=True,
                                duplicate_enrollment=False, administered_by="人社部门",
                                catalog="省级统一目录", inpatient_fund_payment=D("9259.25")),
         [], []),
        (date(2016, 8, 1), dict(scheme="新农合", duplicate_enrollment=False,
                                administered_by="原渠道", catalog="原新农合目录",
                                resident_insurance_eligible=True),
         ["inpatient_fund_payment"], []),
    ],
    "urban-student-transition.yaml": [
        (date(2017, 6, 30), dict(scheme="城乡居民医保", resident_insurance_eligible=True,
                                 duplicate_enrollment=False, administered_by="原渠道",
                                 catalog="省级统一目录", inpatient_fund_payment=D("750.01")),
         [], []),
        (date(2017, 7, 1), dict(scheme="城乡居民医保", resident_insurance_eligible=True,
                                duplicate_enrollment=False, administered_by="人社部门",
                                catalog="省级统一目录", inpatient_fund_payment=D("750.01")),
         [], []),
        (date(2016, 10, 1), dict(scheme="城镇居民医保", catalog="原城镇居民目录",
                                 resident_insurance_eligible=True, duplicate_enrollment=False,
                                 administered_by="原渠道"),
         ["inpatient_fund_payment"], []),
    ],
    "employee.yaml": [
        (date(2018, 5, 2), dict(scheme="职工医保", resident_insurance_eligible=False,
                                duplicate_enrollment=False, administered_by="人社部门"),
         [], ["catalog", "inpatient_fund_payment"]),
    ],
    "migrant-duplicate.yaml": [
        (date(2017, 9, 1), dict(scheme="职工医保", resident_insurance_eligible=False,
                                duplicate_enrollment=True, administered_by="人社部门"),
         [], ["catalog", "inpatient_fund_payment"]),
        (date(2016, 9, 1), dict(scheme="新农合", resident_insurance_eligible=False,
                                duplicate_enrollment=False, administered_by="原渠道",
                                catalog="原新农合目录"),
         ["inpatient_fund_payment"], []),
    ],
    "rural-hukou-town-resident-moved.yaml": [
        (date(2016, 9, 1), dict(scheme="城镇居民医保", resident_insurance_eligible=False,
                                duplicate_enrollment=False, administered_by="原渠道",
                                catalog="原城镇居民目录"),
         ["inpatient_fund_payment"], []),
        (date(2018, 3, 1), dict(scheme="城乡居民医保", resident_insurance_eligible=False,
                                duplicate_enrollment=False, administered_by="人社部门",
                                catalog="省级统一目录"),
         [], ["inpatient_fund_payment"]),
    ],
}


def test_every_example_record_has_expectations():
    files = sorted(p.name for p in (ROOT / "examples" / "jinggu").glob("*.yaml"))
    assert files == sorted(EXAMPLES)
    assert 3 <= len(files) <= 6


@pytest.mark.parametrize("name, case", [(n, i) for n in sorted(EXAMPLES)
                                        for i in range(len(EXAMPLES[n]))])
def test_example_record(name, case):
    on, expected, errors, inapplicable = EXAMPLES[name][case]
    record, warnings = load_record(jinggu(), ROOT / "examples" / "jinggu" / name)
    assert list(warnings) == []
    result = evaluate(jinggu(), record, on)
    check(result, **expected)
    # the only errors in the examples: the 75% rate in 2016, before the merger (not in force)
    check_errors(result, **dict.fromkeys(errors, "E501"))
    check_not_applicable(result, *inapplicable)
    # every output is accounted for: a value, an error or not applicable
    assert sorted([*expected, *errors, *inapplicable]) == sorted(OUTPUTS)


# ------------------------------------------------------------------ properties
EMPLOYMENTS = ["employee", "flexible", "unemployed_benefit", "student", "retired", "none"]
SCHEMES = ["resident", "employee", "urbmi", "ncms"]
RESIDENCES = [JINGGU, JINGGU_SHORT, WEIYUAN, KUNMING, SIMAO]
REGIONS = [JINGGU, JINGGU_SHORT, WEIYUAN, KUNMING, SIMAO]


@st.composite
def people(draw):
    y = draw(st.integers(2015, 2030))
    entries = []
    for year in range(2015, 2031):
        for _ in range(draw(st.integers(0, 2))):
            entries.append(entry(year, draw(st.sampled_from(SCHEMES)),
                                 region=draw(st.sampled_from(REGIONS))))
    cost = D(draw(st.integers(0, 10_000_000))) / 100
    data = person(entries=entries,
                  enrollment_known_from=2015,
                  hukou_type=draw(st.sampled_from(["urban", "rural"])),
                  residence=draw(st.sampled_from(RESIDENCES)),
                  employment=draw(st.sampled_from(EMPLOYMENTS)),
                  inpatient_in_scope_cost=str(cost))
    on = date(y, draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    return data, on


NA = "not applicable"


def reference(data, on):
    """An oracle: the readings listed at the top of this file (the 景谷 integration plan, 一,
    二(一), 二(二), 二(四), 二(五), 三(一)3) written out directly in Python from the text,
    independently of the interpreter and of the policy file: it uses no yibao code, so it
    can check this engine or any later one (another evaluator, a compiled form) on the same
    records.

    `data` is a record as a YAML/JSON file gives it, `on` the as_of date; returns output
    name -> expected value, NA for "not applicable", or an error code ("E501").  Change it
    when the reading of the text changes, never to agree with an engine's output."""
    y = on.year
    if y < 2016:
        return dict.fromkeys(OUTPUTS, "E501")
    names = (JINGGU, JINGGU_SHORT)
    in_jinggu = lambda place: any(place.startswith(n) for n in names)  # noqa: E731
    this_year = [e for e in data["enrollment"] if e["year"] == y]
    kinds = {e["scheme"] for e in this_year}
    zhigong = data["employment"] in ("employee", "unemployed_benefit") or "employee" in kinds
    if zhigong:
        scheme = "职工医保"
    elif y >= 2017:
        scheme = "城乡居民医保"
    elif ("urbmi" in kinds) != ("ncms" in kinds):
        scheme = "城镇居民医保" if "urbmi" in kinds else "新农合"
    else:
        scheme = "城镇居民医保" if data["hukou_type"] == "urban" else "新农合"
    catalog = {"职工医保": NA, "城乡居民医保": "省级统一目录", "城镇居民医保": "原城镇居民目录",
               "新农合": "原新农合目录"}[scheme]
    covered = any(e["scheme"] in ("resident", "urbmi", "ncms") and in_jinggu(e["region"])
                  for e in this_year)
    if zhigong or not covered:
        payment = NA
    elif y == 2016:
        payment = "E501"
    else:
        payment = (D(data["inpatient_in_scope_cost"]) * D("0.75")).quantize(
            D("0.01"), rounding=ROUND_HALF_UP)
    return {
        "scheme": scheme,
        "resident_insurance_eligible": in_jinggu(data["residence"]) and not zhigong,
        "duplicate_enrollment": len(this_year) > 1,
        "administered_by": "原渠道" if on <= date(2017, 6, 30) else "人社部门",
        "catalog": catalog,
        "inpatient_fund_payment": payment,
    }


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people())
def test_agrees_with_a_direct_reading_of_the_plan(case):
    data, on = case
    result = run(data, on)
    for name, value in reference(data, on).items():
        if value == NA:
            check_not_applicable(result, name)
        elif value == "E501":
            check_errors(result, **{name: "E501"})
        else:
            check(result, **{name: value})
