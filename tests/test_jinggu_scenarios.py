"""Scenario tests for the 景谷 county integration plan (policies/jinggu-2018.policy) that are
not plain data.

The scenarios that are one record, one date and the expected outputs are YAML suites, run
by `yibao test` and by pytest: tests/suites/jinggu-scheme.test.yaml (scheme and catalog,
2016 against 2017), jinggu-before-2017.test.yaml (the 2016 entry before the hukou type, the
old catalogs, dates before 2016), jinggu-zhigong.test.yaml (who belongs to 职工医保),
jinggu-administration.test.yaml (the transition; duplicate enrollment),
jinggu-eligibility.test.yaml and jinggu-inpatient-payment.test.yaml.  What stays here: the
example records checked whole (every output accounted for, no warning), and a property
against an oracle written directly from the readings below.

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
