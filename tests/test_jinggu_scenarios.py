"""Scenario tests for the 景谷 county integration plan (policies/jinggu-2018.policy).

Every expected value is worked out by hand from the source text (shared/sources/
jinggu-2018-integration.txt: 一, 二(一), 二(二), 二(四), 二(五), 三(一)3) and the readings of
shared/spec/policies.md, section J; the reasoning or arithmetic is in the comment above each
assertion.  The benefit year Y is year(as_of).  Readings chosen in the policy file:
  - switch year 2017 (一 从2017年1月1日起); before it urban hukou -> 城镇居民医保, rural -> 新农合;
  - 职工医保应参保人员 = employment `employee` only (flexible, retired, student are not);
  - 景谷 is recognised when `residence` equals one of 云南省普洱市景谷傣族彝族自治县 /
    云南省普洱市景谷县;
  - duplicate enrollment looks at the benefit year's entries: more than one is a duplicate;
  - the transition ends on 2017-06-30 inclusive (过渡期至2017年6月30日), judged on as_of;
  - inpatient payment = 75% (a target, 保持在75%左右) of the in-scope cost, rounded to the
    cent half up, for a person in 城乡居民医保 with a resident enrollment for Y;
  - questions outside the plan (an employee's catalog, administration, payment; eligibility
    before 2017; anything before 2016) are errors, never a silent false or zero.
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

from .builders import check, check_errors

ROOT = Path(__file__).resolve().parent.parent
D = Decimal
date = dt.date

OUTPUTS = ["scheme", "resident_insurance_eligible", "duplicate_enrollment", "administered_by",
           "catalog", "inpatient_fund_payment"]

JINGGU = "云南省普洱市景谷傣族彝族自治县"
JINGGU_SHORT = "云南省普洱市景谷县"
KUNMING = "云南省昆明市"
SIMAO = "云南省普洱市思茅区"


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


# ------------------------------------------------------------------ scheme: 2016 vs 2017
def test_urban_hukou_2016_then_2017():
    data = person(hukou_type="urban",
                  entries=[entry(2016, "urbmi"), entry(2017, "resident")])
    # 2016 < 2017 and urban hukou: the plan merges 城镇居民医保 and 新农合 only from 2017-01-01
    # (一), so in 2016 an urban resident is still in 城镇居民医保; its catalog is the original
    # urban one (二(五): 2016年...分别执行原城镇居民基本医疗保险...目录)
    result = run(data, date(2016, 10, 1))
    check(result, scheme="城镇居民医保", catalog="原城镇居民目录")
    # 2017 >= 2017: 一 从2017年1月1日起...全县执行...城乡居民基本医疗保险政策; 二(五)
    # 2017年1月1日起,按照省级统一政策规定执行
    result = run(data, date(2017, 1, 1))
    check(result, scheme="城乡居民医保", catalog="省级统一目录")


def test_rural_hukou_2016_then_2017():
    data = person(hukou_type="rural",
                  entries=[entry(2016, "ncms"), entry(2017, "resident")])
    # 2016, rural hukou: 新农合, with the 新农合医疗保险诊疗目录 (二(五))
    result = run(data, date(2016, 12, 31))
    check(result, scheme="新农合", catalog="原新农合目录")
    # 2017: the same person is in the merged scheme, whatever the hukou type
    result = run(data, date(2017, 3, 15))
    check(result, scheme="城乡居民医保", catalog="省级统一目录")


def test_scheme_follows_the_year_not_the_enrollment_entry():
    # A rural-hukou person whose 2016 entry says urbmi: the spec's reading (J) derives the
    # scheme from the hukou type before 2017, not from the entry -> 新农合 and its catalog
    data = person(hukou_type="rural", entries=[entry(2016, "urbmi")])
    result = run(data, date(2016, 6, 1))
    check(result, scheme="新农合", catalog="原新农合目录")


# ------------------------------------------------------------------ an employee
def test_employee_in_2016_and_2018():
    data = person(hukou_type="urban", employment="employee",
                  entries=[entry(y, "employee", paid_on=f"{y}-01-15", concentrated=False)
                           for y in (2016, 2017, 2018)],
                  inpatient_in_scope_cost=8000)
    for on in (date(2016, 5, 1), date(2018, 5, 2)):
        result = run(data, on)
        # 二(二): the resident scheme covers everyone 除职工基本医疗保险应参保人员外 -> an
        # employee is in 职工医保 in any year, before or after the merger (urban hukou or not);
        # one entry for the year -> no duplicate
        check(result, scheme="职工医保", duplicate_enrollment=False)
    # policies.md J states administered_by by date and inpatient_fund_payment as 75% × cost
    # for every record: 2016 -> 原渠道, 2018 -> 人社部门; the 75% rate is in force from the
    # merger (2017-01-01), so in 2016 it is "not in force" (E501), in 2018 8000 × 75% = 6000.00
    check(run(data, date(2016, 5, 1)), administered_by="原渠道")
    check_errors(run(data, date(2016, 5, 1)), inpatient_fund_payment="E501")
    check(run(data, date(2018, 5, 2)), administered_by="人社部门",
          inpatient_fund_payment=D("6000.00"))
    # catalog: from 2017 省级统一目录 for everyone (J); before 2017 the old scheme's catalog, and
    # 职工医保 has none among the two old catalogs -> E541
    check(run(data, date(2018, 5, 2)), catalog="省级统一目录")
    check_errors(run(data, date(2016, 5, 1)), catalog="E541")
    # 2018, resident of 景谷 but an employee: not in the resident scheme's coverage (二(二))
    check(run(data, date(2018, 5, 2)), resident_insurance_eligible=False)


def test_flexible_worker_is_not_an_employee_for_this_plan():
    # reading: only employment `employee` is 职工基本医疗保险应参保人员; a flexible worker
    # living in 景谷 falls in 其他所有城乡居民 -> resident scheme and eligible
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


def test_one_scheme_per_year_is_not_a_duplicate():
    data = person(entries=[entry(2016, "ncms"), entry(2017), entry(2018)])
    # one entry for 2017 -> 1 > 1 is false
    check(run(data, date(2017, 9, 1)), duplicate_enrollment=False)


def test_2016_urbmi_and_ncms_together_is_a_duplicate():
    # the duplicate the merger was meant to end: 城镇居民医保 and 新农合 both for 2016
    data = person(entries=[entry(2016, "urbmi"), entry(2016, "ncms"), entry(2017)])
    check(run(data, date(2016, 4, 1)), duplicate_enrollment=True)
    # asked for 2017, only the 2017 entry counts: 1 -> no duplicate (the year is the benefit year)
    check(run(data, date(2017, 4, 1)), duplicate_enrollment=False)


def test_same_scheme_twice_in_one_year_is_not_more_than_one_scheme():
    # policies.md J: "more than one scheme recorded for the same year" (parameter
    # duplicate_counts_same_scheme = false): 城乡居民医保 in 景谷 and again in 思茅区 for 2018
    # is one scheme -> not a duplicate
    data = person(entries=[entry(2018), entry(2018, region=SIMAO, paid_on="2018-02-01",
                                              concentrated=False)])
    check(run(data, date(2018, 5, 1)), duplicate_enrollment=False)


# ------------------------------------------------------------------ eligibility (二(二))
def test_resident_of_jinggu_is_eligible_whatever_the_hukou():
    # 覆盖县域内...其他所有城乡居民,参保不受城乡户籍限制: urban or rural hukou, hukou in 景谷 or
    # elsewhere (昆明) -> eligible when living in 景谷 and not an employee
    for hukou_type in ("urban", "rural"):
        for hukou in (JINGGU, KUNMING):
            data = person(hukou=hukou, hukou_type=hukou_type, entries=[entry(2018)])
            check(run(data, date(2018, 6, 1)), resident_insurance_eligible=True)


def test_short_form_of_the_county_name_is_recognised():
    # residence written 云南省普洱市景谷县 (the short form listed in county_names) -> eligible
    data = person(residence=JINGGU_SHORT, entries=[entry(2018)])
    check(run(data, date(2018, 6, 1)), resident_insurance_eligible=True)


def test_non_resident_is_not_eligible():
    # hukou in 景谷 but living in 昆明: 县域内 means living in the county -> not eligible
    data = person(residence=KUNMING, entries=[entry(2018)])
    check(run(data, date(2018, 6, 1)), resident_insurance_eligible=False)
    # another county of 普洱市 is not 景谷 either
    data = person(residence=SIMAO, entries=[entry(2018)])
    check(run(data, date(2018, 6, 1)), resident_insurance_eligible=False)


def test_employee_resident_is_not_eligible():
    # lives in 景谷 but is 职工基本医疗保险应参保人员 (除...外) -> not eligible
    data = person(employment="employee", entries=[entry(2018, "employee")])
    check(run(data, date(2018, 6, 1)), resident_insurance_eligible=False)


def test_eligibility_does_not_depend_on_the_year():
    # policies.md J: resides in 景谷县 and not an employee, in any year -> 2016 too
    data = person(entries=[entry(2016, "ncms")])
    check(run(data, date(2016, 6, 1)), resident_insurance_eligible=True)


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


def test_inpatient_payment_is_75_percent_from_the_merger():
    # 2016: the ~75% target of 二(四) is in force from the merger (2017-01-01) -> E501
    data = person(entries=[entry(2016, "ncms"), entry(2017)], inpatient_in_scope_cost=1000)
    check_errors(run(data, date(2016, 8, 1)), inpatient_fund_payment="E501")
    # 2017: 1000 x 75% = 750.00
    check(run(data, date(2017, 8, 1)), inpatient_fund_payment=D("750.00"))
    # 2018, no enrollment entry for 2018: policies.md J reads only the cost -> 750.00
    check(run(data, date(2018, 8, 1)), inpatient_fund_payment=D("750.00"))


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
    # the text describes the pre-merger arrangement only for 2016; 2015 -> the parameters
    # (integration year, transition end) are not in force: E501, never a guess
    data = person(enrollment_known_from=2010, entries=[entry(2015, "ncms")])
    result = run(data, date(2015, 8, 1))
    check_errors(result, scheme="E501", administered_by="E501", catalog="E501",
                 resident_insurance_eligible="E501", duplicate_enrollment="E501")


# ------------------------------------------------------------------ the example records
EXAMPLES = {
    # file: [(as_of, expected values, outputs expected to be errors E501)], worked out in
    # the file's header comment
    "rural-resident.yaml": [
        (date(2018, 3, 1), dict(scheme="城乡居民医保", resident_insurance_eligible=True,
                                duplicate_enrollment=False, administered_by="人社部门",
                                catalog="省级统一目录", inpatient_fund_payment=D("9259.25")), []),
        (date(2016, 8, 1), dict(scheme="新农合", duplicate_enrollment=False,
                                administered_by="原渠道", catalog="原新农合目录",
                                resident_insurance_eligible=True),
         ["inpatient_fund_payment"]),
    ],
    "urban-student-transition.yaml": [
        (date(2017, 6, 30), dict(scheme="城乡居民医保", resident_insurance_eligible=True,
                                 duplicate_enrollment=False, administered_by="原渠道",
                                 catalog="省级统一目录", inpatient_fund_payment=D("750.01")), []),
        (date(2017, 7, 1), dict(scheme="城乡居民医保", resident_insurance_eligible=True,
                                duplicate_enrollment=False, administered_by="人社部门",
                                catalog="省级统一目录", inpatient_fund_payment=D("750.01")), []),
        (date(2016, 10, 1), dict(scheme="城镇居民医保", catalog="原城镇居民目录",
                                 resident_insurance_eligible=True), []),
    ],
    "employee.yaml": [
        (date(2018, 5, 2), dict(scheme="职工医保", resident_insurance_eligible=False,
                                duplicate_enrollment=False, administered_by="人社部门",
                                catalog="省级统一目录", inpatient_fund_payment=D("6000.00")), []),
    ],
    "migrant-duplicate.yaml": [
        (date(2017, 9, 1), dict(scheme="城乡居民医保", resident_insurance_eligible=False,
                                duplicate_enrollment=True, administered_by="人社部门",
                                catalog="省级统一目录", inpatient_fund_payment=D("100.13")), []),
    ],
}


def test_every_example_record_has_expectations():
    files = sorted(p.name for p in (ROOT / "examples" / "jinggu").glob("*.yaml"))
    assert files == sorted(EXAMPLES)
    assert 3 <= len(files) <= 5


@pytest.mark.parametrize("name, case", [(n, i) for n in sorted(EXAMPLES)
                                        for i in range(len(EXAMPLES[n]))])
def test_example_record(name, case):
    on, expected, errors = EXAMPLES[name][case]
    record, warnings = load_record(jinggu(), ROOT / "examples" / "jinggu" / name)
    assert list(warnings) == []
    result = evaluate(jinggu(), record, on)
    check(result, **expected)
    # the only errors left in the examples: the 75% rate before the merger (not in force)
    check_errors(result, **dict.fromkeys(errors, "E501"))
    # every output is either expected as a value, or expected as an error (when the full set
    # is listed) -- no output is silently left out
    if len(expected) + len(errors) == len(OUTPUTS):
        assert sorted([*expected, *errors]) == sorted(OUTPUTS)


# ------------------------------------------------------------------ properties
EMPLOYMENTS = ["employee", "flexible", "unemployed_benefit", "student", "retired", "none"]
SCHEMES = ["resident", "employee", "urbmi", "ncms"]
RESIDENCES = [JINGGU, JINGGU_SHORT, KUNMING, SIMAO]


@st.composite
def people(draw):
    y = draw(st.integers(2016, 2030))
    entries = []
    for year in range(2016, 2031):
        for _ in range(draw(st.integers(0, 2))):
            entries.append(entry(year, draw(st.sampled_from(SCHEMES))))
    cost = D(draw(st.integers(0, 10_000_000))) / 100
    data = person(entries=entries,
                  hukou_type=draw(st.sampled_from(["urban", "rural"])),
                  residence=draw(st.sampled_from(RESIDENCES)),
                  employment=draw(st.sampled_from(EMPLOYMENTS)),
                  inpatient_in_scope_cost=str(cost))
    on = date(y, draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    return data, on


def reference(data, on):
    """An oracle: shared/spec/policies.md section J (the reading of the 景谷 integration plan,
    一, 二(一), 二(二), 二(四), 二(五), 三(一)3, with the readings listed at the top of this
    file) written out directly in Python from the policy text, independently of the
    interpreter and of the policy file: it uses no yibao code, so it can check this engine or
    any later one (another evaluator, a compiled form) on the same records.

    `data` is a record as a YAML/JSON file gives it, `on` the as_of date; returns output
    name -> expected value, None marking an output that must be an error.  Change it when
    the reading of the text changes, never to agree with an engine's output."""
    y = on.year
    employee = data["employment"] == "employee"
    if employee:
        scheme = "职工医保"
    elif y >= 2017:
        scheme = "城乡居民医保"
    else:
        scheme = "城镇居民医保" if data["hukou_type"] == "urban" else "新农合"
    if y >= 2017:
        catalog = "省级统一目录"
    else:
        catalog = {"城镇居民医保": "原城镇居民目录", "新农合": "原新农合目录"}.get(scheme)
    payment = None
    if y >= 2017:
        payment = (D(data["inpatient_in_scope_cost"]) * D("0.75")).quantize(
            D("0.01"), rounding=ROUND_HALF_UP)
    schemes = {e["scheme"] for e in data["enrollment"] if e["year"] == y}
    return {
        "scheme": scheme,
        "resident_insurance_eligible": data["residence"] in (JINGGU, JINGGU_SHORT)
        and not employee,
        "duplicate_enrollment": len(schemes) > 1,
        "administered_by": "原渠道" if on <= date(2017, 6, 30) else "人社部门",
        "catalog": catalog,
        "inpatient_fund_payment": payment,
    }


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people())
def test_agrees_with_a_direct_reading_of_section_j(case):
    data, on = case
    result = run(data, on)
    for name, value in reference(data, on).items():
        if value is None:
            # catalog of an employee before 2017 has no case (E541); the 75% rate before the
            # merger is not in force (E501)
            check_errors(result, **{name: "E501" if name == "inpatient_fund_payment" else "E541"})
        else:
            check(result, **{name: value})
