"""Scenario tests for 赣府厅发〔2024〕34号 (policies/jiangxi-2024-34.policy) that are not plain data.

The scenarios that are one record, one date and the expected outputs are YAML suites, run
by `yibao test` and by pytest: tests/suites/jiangxi-incentives.test.yaml (I1-I4),
jiangxi-waiting-period.test.yaml (the waiting period, newborns, breaks and repair) and
jiangxi-enrollment.test.yaml (二(一), 二(二), the region file's caps, the benefit year); the
small test cap is in tests/suites/jiangxi-test-regions.yaml (the same values as
TEST_REGIONS below).  What stays here: errors checked by their text or without a code, a
not-applicable reason checked in part, the example records checked whole (every output, no
warning, no error), properties over generated histories against an oracle, and a policy
whose step changes (written by the test).

Every expected value is worked out by hand from the source text (shared/sources/
jiangxi-2024-34.txt, 二(一), 二(二), 二(四)) and the readings of docs/readings/national-2024-38.md,
section N; the arithmetic is in the comment above each assertion.  Step = 3000 元.

Region values: examples/regions.yaml (illustrative) gives the original 大病保险 cap
  江西省 (province default) 300000, 江西省南昌市 400000, 江西省赣州市 350000,
  江西省上饶市 300000 from 2025-01-01 and 320000 from 2027-01-01.
The tests also write their own small region file (TEST_REGIONS below) with a small cap
(江西省测试市, 30000 元, so the 20% limit of 6000 元 binds after two steps) and without a
province default (so that a region missing from the file can be asked for).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yibao.interpreter.api import evaluate, load_policy, load_record, load_regions, record_from

from . import builders
from .builders import check, check_not_applicable, region_file, yrs

ROOT = Path(__file__).resolve().parent.parent
D = Decimal
date = dt.date

OUTPUTS = [
    "continuous_years", "break_years", "continuous_incentive", "zero_claim_incentive",
    "break_penalty", "critical_illness_cap", "waiting_period_months", "benefit_start_date",
    "employee_enrollment_open", "local_subsidy_eligible", "premium_paid_by_unemployment_fund",
    "personal_account_payable",
]

NANCHANG = "江西省南昌市"
GANZHOU = "江西省赣州市"
JIUJIANG = "江西省九江市"      # no city entry in examples/regions.yaml: the 江西省 default applies
SMALL = "江西省测试市"         # only in TEST_REGIONS: original cap 30000 元

# Test values, not real caps; SMALL's is small so that the 20% limit binds after two steps.
TEST_REGIONS = {
    NANCHANG: {"critical_illness_base_cap": {date(2025, 1, 1): 400000}, "note": "test value"},
    SMALL: {"critical_illness_base_cap": {date(2025, 1, 1): 30000},
            "note": "test value, small so that the 20% limit binds after two steps"},
}
# The original caps the region files give, for the properties' reference computation.
TEST_CAPS = {NANCHANG: D(400000), SMALL: D(30000)}


# ------------------------------------------------------------------ helpers
@lru_cache(maxsize=None)
def jiangxi():
    return load_policy(ROOT / "policies" / "jiangxi-2024-34.policy")


@lru_cache(maxsize=None)
def example_regions():
    return load_regions(ROOT / "examples" / "regions.yaml")


@lru_cache(maxsize=None)
def own_regions():
    return load_regions(region_file(TEST_REGIONS))


def entry(year, region=NANCHANG, scheme="resident", paid_on=None, concentrated=True):
    return builders.entry(year, region, scheme, paid_on, concentrated)


def person(years=(), entries=(), region=NANCHANG, **fields):
    return builders.person("JX-TEST", region, years, entries, **fields)


def run(data, on, regions=None):
    policy = jiangxi()
    record = record_from(policy, data, "scenario")
    return evaluate(policy, record, on, regions if regions is not None else example_regions())


def error_text(err) -> str:
    parts = [str(err), repr(err)]
    parts += [str(v) for v in getattr(err, "__dict__", {}).values()]
    return " ".join(parts)


# ------------------------------------------------------------------ region file
def test_region_missing_from_the_region_file_is_an_error():
    # TEST_REGIONS has neither 江西省九江市 nor a 江西省 default
    data = person(years=yrs(2016, 2027), region=JIUJIANG)
    result = run(data, date(2027, 6, 1), own_regions())
    assert "critical_illness_cap" in result.errors
    assert "critical_illness_cap" not in result.values
    text = error_text(result.errors["critical_illness_cap"])
    assert JIUJIANG in text
    assert "critical_illness_base_cap" in text
    # the outputs that do not need the region value are still computed:
    # break 0, concentrated -> 0 months from 2027-01-01; 2025..2027 streak > 4 -> 9000
    check(result, waiting_period_months=0, benefit_start_date=date(2027, 1, 1),
          continuous_incentive=D(9000))


def test_region_of_another_province_is_missing_from_the_example_file():
    data = person(years=yrs(2016, 2027), region="湖北省武汉市")
    result = run(data, date(2027, 6, 1))
    assert "critical_illness_cap" in result.errors
    assert "湖北省武汉市" in error_text(result.errors["critical_illness_cap"])


# ------------------------------------------------------------------ dates before 2025
def test_as_of_before_2025_is_an_error_for_the_mechanism():
    data = person(years=yrs(2016, 2024))
    result = run(data, date(2024, 12, 20))
    # incentive_step, mechanism_start_year, the waiting parameters and the region cap are
    # all in force from 2025-01-01 only: errors, never a silent 0
    for name in ["break_years", "continuous_incentive", "zero_claim_incentive",
                 "break_penalty", "critical_illness_cap", "waiting_period_months",
                 "benefit_start_date"]:
        assert name in result.errors, f"{name} should be an error before 2025"
        assert name not in result.values
    # continuous_years reads no parameter: 2016..2024 -> 9 (years before 2025 count)
    check(result, continuous_years=9)


# ------------------------------------------------------------------ the example records
EXAMPLES = {
    # file: (as_of, expected values as worked out in the file's header comment)
    "qingdao-case.yaml": (date(2027, 6, 1), dict(
        continuous_years=1, break_years=2, continuous_incentive=D(0),
        zero_claim_incentive=D(0), break_penalty=D(6000), critical_illness_cap=D(394000),
        waiting_period_months=4, benefit_start_date=date(2027, 5, 1),
        employee_enrollment_open=False, local_subsidy_eligible=True,
        premium_paid_by_unemployment_fund=False, personal_account_payable=False)),
    "long-continuous.yaml": (date(2030, 3, 1), dict(
        continuous_years=15, break_years=0, continuous_incentive=D(18000),
        zero_claim_incentive=D(12000), break_penalty=D(0), critical_illness_cap=D(380000),
        waiting_period_months=0, benefit_start_date=date(2030, 1, 1),
        employee_enrollment_open=True, local_subsidy_eligible=True,
        premium_paid_by_unemployment_fund=False, personal_account_payable=True)),
    "newborn.yaml": (date(2027, 6, 1), dict(
        continuous_years=1, break_years=0, continuous_incentive=D(0),
        zero_claim_incentive=D(0), break_penalty=D(0), critical_illness_cap=D(400000),
        waiting_period_months=0, benefit_start_date=date(2027, 3, 15),
        employee_enrollment_open=False, local_subsidy_eligible=True,
        premium_paid_by_unemployment_fund=False, personal_account_payable=True)),
    "claims-incentive.yaml": (date(2028, 2, 1), dict(
        continuous_years=10, break_years=0, continuous_incentive=D(12000),
        zero_claim_incentive=D(3000), break_penalty=D(0), critical_illness_cap=D(335000),
        waiting_period_months=0, benefit_start_date=date(2028, 1, 1),
        employee_enrollment_open=False, local_subsidy_eligible=True,
        premium_paid_by_unemployment_fund=False, personal_account_payable=False)),
    "migrant-worker.yaml": (date(2027, 6, 1), dict(
        continuous_years=2, break_years=0, continuous_incentive=D(0),
        zero_claim_incentive=D(3000), break_penalty=D(3000), critical_illness_cap=D(400000),
        waiting_period_months=0, benefit_start_date=date(2027, 1, 1),
        employee_enrollment_open=True, local_subsidy_eligible=True,
        premium_paid_by_unemployment_fund=False, personal_account_payable=False)),
    "long-break-repaired.yaml": (date(2030, 3, 1), dict(
        continuous_years=1, break_years=5, continuous_incentive=D(0),
        zero_claim_incentive=D(0), break_penalty=D(15000), critical_illness_cap=D(285000),
        waiting_period_months=6, benefit_start_date=date(2030, 7, 1),
        employee_enrollment_open=False, local_subsidy_eligible=True,
        premium_paid_by_unemployment_fund=True, personal_account_payable=True)),
}


def test_every_example_record_has_expectations():
    files = sorted(p.name for p in (ROOT / "examples" / "jiangxi").glob("*.yaml"))
    assert files == sorted(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_record(name):
    on, expected = EXAMPLES[name]
    record, warnings = load_record(jiangxi(), ROOT / "examples" / "jiangxi" / name)
    assert list(warnings) == []
    result = evaluate(jiangxi(), record, on, example_regions())
    assert result.errors == {}
    assert sorted(expected) == sorted(OUTPUTS)
    check(result, **expected)


# ------------------------------------------------------------------ properties
REGIONS_FOR_PROPERTIES = [NANCHANG, SMALL]
MONEY_AMOUNTS = [0, 100, 820.5, 35000]


@st.composite
def histories(draw, insured_in_benefit_year=True):
    """A person, a benefit year Y in 2025..2030 and an as_of date in Y.  Some years have two
    entries (a resident and an employee one, or one scheme in two places)."""
    y = draw(st.integers(2025, 2030))
    birth_year = draw(st.one_of(st.integers(1950, 2015), st.integers(2016, y)))
    birth = date(birth_year, draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    known_from = draw(st.sampled_from([2016, 2018, 2020, 2024]))
    years = draw(st.sets(st.integers(max(2016, birth_year), 2030)))
    if insured_in_benefit_year:
        years.add(y)
    entries = []
    for year in sorted(years):
        for _ in range(draw(st.sampled_from([1, 1, 1, 2]))):
            paid = date(year - 1, 9, 1) + dt.timedelta(days=draw(st.integers(0, 486)))
            entries.append(entry(year, draw(st.sampled_from(REGIONS_FOR_PROPERTIES)),
                                 scheme=draw(st.sampled_from(["resident", "employee"])),
                                 paid_on=paid.isoformat(), concentrated=draw(st.booleans())))
    # Two non-resident entries for one year leave the benefit-year entry undecided (an
    # error, tested on its own): keep at most one employee entry where there is no resident.
    kept, seen = [], {}
    for e in entries:
        if e["scheme"] == "employee" and seen.get(e["year"]) == "employee":
            continue
        if e["scheme"] == "resident" or e["year"] not in seen:
            seen[e["year"]] = e["scheme"]
        kept.append(e)
    claims = []
    for year in sorted(draw(st.sets(st.integers(2016, 2030)))):
        claims.append({"year": year,
                       "fund_paid": draw(st.sampled_from(MONEY_AMOUNTS)),
                       "critical_illness_paid": draw(st.sampled_from(MONEY_AMOUNTS)),
                       "incentive_used": draw(st.booleans())})
    data = person(entries=kept, birth_date=birth.isoformat(), enrollment_known_from=known_from,
                  claims=claims, repaid_years=draw(st.integers(0, 6)),
                  hukou=draw(st.sampled_from([NANCHANG, GANZHOU, NANCHANG + "东湖区"])),
                  residence=draw(st.sampled_from([NANCHANG, GANZHOU])),
                  residence_permit=draw(st.booleans()),
                  employment=draw(st.sampled_from(["none", "student", "employee"])),
                  payer_relation=draw(st.sampled_from([None, "父母", "朋友"])))
    on = date(y, draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    return data, on


NOT_APPLICABLE = "not applicable"


def reference(data, on):
    """An oracle: the reading of 赣府厅发〔2024〕34号 二(一), 二(二), 二(四) as the template
    encodes it (docs/readings/national-2024-38.md), written out directly in Python,
    independently of the interpreter and of the policy file: it uses no yibao code, so it
    can check this engine or any later one (another evaluator, a compiled form).

    `data` is a record as a YAML/JSON file gives it (dates as ISO text), `on` the as_of date;
    returns output name -> expected value, or NOT_APPLICABLE.  The original caps come from
    TEST_CAPS.  Change it when the reading of the text changes, never to agree with an
    engine's output."""
    y = on.year
    birth = date.fromisoformat(data["birth_date"])
    known = max(data["enrollment_known_from"], birth.year)
    entries: dict[int, list] = {}
    for e in data["enrollment"]:
        entries.setdefault(e["year"], []).append(e)
    # The birth year without an entry is never a break: counting starts the year after.
    first = known + 1 if known == birth.year and not entries.get(birth.year) else known
    claims = {c["year"]: c for c in data["claims"]}
    step = D(3000)           # 二(四): 3000 元 in every year from 2025

    def insured(year):       # any entry, either scheme
        return year >= first and bool(entries.get(year))

    def resident(year):      # a resident-scheme entry for the year
        return insured(year) and any(e["scheme"] == "resident" for e in entries[year])

    def streak(year):        # employee years keep the streak
        n = 0
        while year >= first and insured(year):
            n, year = n + 1, year - 1
        return n

    def zero(year):
        c = claims.get(year)
        return resident(year) and (c is None or (c["fund_paid"] == 0 and c["critical_illness_paid"] == 0))

    def same_pool(a, b):
        return a.startswith(b) or b.startswith(a)

    window = max(2025, first)
    breaks, year = 0, y - 1
    while year >= window and not insured(year):
        breaks, year = breaks + 1, year - 1
    last_use = max((c["year"] for c in data["claims"] if c["incentive_used"] and c["year"] < y),
                   default=0)
    i1 = step * sum(1 for x in range(2025, y + 1) if resident(x) and streak(x) > 4)
    i2 = step * sum(1 for x in range(max(2025, last_use + 1), y) if zero(x))
    i3 = step * sum(1 for x in range(window, y) if not insured(x))
    out = {"continuous_years": streak(y), "break_years": breaks, "continuous_incentive": i1,
           "zero_claim_incentive": i2, "break_penalty": i3,
           "employee_enrollment_open": data["employment"] in ("employee", "flexible"),
           "premium_paid_by_unemployment_fund": data["employment"] == "unemployed_benefit",
           "personal_account_payable": resident(y) and data["payer_relation"] in (
               "配偶", "父母", "子女", "兄弟姐妹", "祖父母", "外祖父母", "孙子女", "外孙子女")}
    schemes = [e["scheme"] for e in entries.get(y, [])]
    if not insured(y) or "resident" not in schemes:
        # no entry, or the employee scheme decides: the resident benefits do not concern them
        out["local_subsidy_eligible"] = False
        for name in ("critical_illness_cap", "waiting_period_months", "benefit_start_date"):
            out[name] = NOT_APPLICABLE
        return out
    e = next(e for e in entries[y] if e["scheme"] == "resident")   # the resident entry decides
    region = e["region"]
    out["local_subsidy_eligible"] = same_pool(region, data["hukou"]) or (
        same_pool(region, data["residence"])
        and (data["hukou"] == data["residence"] or data["residence_permit"]
             or data["employment"] == "student"))
    orig = TEST_CAPS[region]
    limit = orig * D("0.20")
    out["critical_illness_cap"] = orig + min(i1 + i2, limit) - min(i3, limit)
    paid = date.fromisoformat(e["paid_on"])
    born_now = birth.year == y
    newborn = born_now or (not entries.get(birth.year) and y == birth.year + 1
                           and (paid - birth).days <= 90)
    if newborn or (e["concentrated"] and breaks == 0):
        months = 0
    else:
        months = 3 + max(0, breaks - 1 - data["repaid_years"])
        if breaks >= 4:
            months = max(months, 6)
    out["waiting_period_months"] = months
    if months == 0:
        out["benefit_start_date"] = birth if born_now else date(y, 1, 1)
    else:
        start = max(date(y, 1, 1), date(paid.year, paid.month, 1))
        index = start.year * 12 + start.month - 1 + months
        out["benefit_start_date"] = date(index // 12, index % 12 + 1, 1)
    return out


PROPERTY_SETTINGS = settings(max_examples=150, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(histories())
def test_cap_stays_within_20_percent_of_the_original(case):
    data, on = case
    result = run(data, on, own_regions())
    resident = [e for e in data["enrollment"] if e["year"] == on.year and e["scheme"] == "resident"]
    if not resident:      # the cap does not concern someone in the employee scheme
        check_not_applicable(result, "critical_illness_cap")
        return
    orig = TEST_CAPS[resident[0]["region"]]
    cap = result.values["critical_illness_cap"]
    assert orig * D("0.8") <= cap <= orig * D("1.2")


@PROPERTY_SETTINGS
@given(histories())
def test_long_breaks_wait_at_least_six_months(case):
    data, on = case
    result = run(data, on, own_regions())
    birth = date.fromisoformat(data["birth_date"])
    newborn = birth.year in (on.year, on.year - 1)     # born this year or last (the window)
    if result.values["break_years"] >= 4 and not newborn and \
            "waiting_period_months" not in result.not_applicable:
        assert result.values["waiting_period_months"] >= 6


@PROPERTY_SETTINGS
@given(histories(), st.integers(0, 6))
def test_repairing_more_years_never_lengthens_the_wait(case, more):
    data, on = case
    fewer = run(data, on, own_regions())
    if "waiting_period_months" in fewer.not_applicable:
        return
    data = dict(data, repaid_years=data["repaid_years"] + more)
    assert run(data, on, own_regions()).values["waiting_period_months"] <= \
        fewer.values["waiting_period_months"]


@PROPERTY_SETTINGS
@given(histories(insured_in_benefit_year=False))
def test_agrees_with_a_direct_reading_of_section_n(case):
    data, on = case
    result = run(data, on, own_regions())
    expected = reference(data, on)
    assert sorted(expected) == sorted(OUTPUTS)
    for name in OUTPUTS:
        if expected[name] == NOT_APPLICABLE:
            check_not_applicable(result, name)
        else:
            check(result, **{name: expected[name]})


# ------------------------------------------------------------------ revised readings (N)
def test_an_employee_scheme_person_has_no_cap_or_wait_but_keeps_the_amounts():
    # resident 2016..2025, nothing in 2026, employee 2027
    data = person(years=yrs(2016, 2025), entries=[entry(2027, scheme="employee")],
                  payer_relation="父母")
    result = run(data, date(2027, 6, 1))
    # I1: 2025 resident, streak 2016..2025 = 10 > 4 -> 3000; 2026 none; 2027 employee -> 3000
    # I2: 2025 resident, no claims -> 3000 (priced on 2026-01-01: 3000); 2026 not insured
    # I3: 2026 uninsured -> 3000; break_years: 2026 before 2027 -> 1
    check(result, continuous_incentive=D(3000), zero_claim_incentive=D(3000),
          break_penalty=D(3000), break_years=1, continuous_years=1,
          # the 个人账户 pays a resident-scheme premium: no resident entry for 2027 -> false
          personal_account_payable=False, local_subsidy_eligible=False)
    check_not_applicable(result, "critical_illness_cap", "waiting_period_months",
                         "benefit_start_date")
    assert "城乡居民大病保险" in result.not_applicable["critical_illness_cap"].reason


def test_amounts_are_priced_at_the_step_in_force_when_earned(tmp_path):
    # A copy of Jiangxi whose step rises from 3000 to 5000 on 2027-01-01.
    text = (ROOT / "policies" / "jiangxi-2024-34.policy").read_text(encoding="utf-8")
    text = text.replace("  from 2025-01-01: 3000 元\n", "  from 2025-01-01: 3000 元\n  from 2027-01-01: 5000 元\n")
    text = text.replace("policy jiangxi-2024-34 extends", "policy step-raised extends")
    folder = tmp_path / "p"
    folder.mkdir()
    for name in ("national-2024-38", "records-contract"):
        (folder / f"{name}.policy").write_text(
            (ROOT / "policies" / f"{name}.policy").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "step-raised.policy").write_text(text, encoding="utf-8")
    policy = load_policy(folder / "step-raised.policy")
    # resident 2016..2026 with no claims, nothing in 2027, resident 2028
    data = person(years=list(yrs(2016, 2026)) + [2028])
    result = evaluate(policy, record_from(policy, data, "scenario"), date(2028, 6, 1),
                      example_regions())
    # I1: 2025 (streak 10), 2026 (11) at 3000 each = 6000; 2027 none; 2028 streak 1 -> none
    # I2: zero-claim 2025 priced 2026-01-01 (3000); 2026 priced 2027-01-01 (5000); 2027 not
    #     insured -> 8000
    # I3: 2027 uninsured, priced 2027-01-01 -> 5000
    check(result, continuous_incentive=D(6000), zero_claim_incentive=D(8000),
          break_penalty=D(5000))
