"""Scenario tests for 赣府厅发〔2024〕34号 (policies/jiangxi-2024-34.policy).

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
SHANGRAO = "江西省上饶市"
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


# ------------------------------------------------------------------ Qingdao case (W1-W3)
QINGDAO = dict(
    years=yrs(2016, 2024),
    entries=[entry(2027, paid_on="2026-11-20", concentrated=True)],
)


def test_qingdao_case():
    result = run(person(**QINGDAO), date(2027, 6, 1))
    check(
        result,
        # 2027 insured, 2026 not: the streak ending at 2027 is 1
        continuous_years=1,
        # 2026, 2025 uninsured, 2024 insured: 2 (both >= 2025)
        break_years=2,
        # y in 2025..2027 insured with streak > 4: 2025, 2026 not insured; 2027 streak 1 -> none
        continuous_incentive=D(0),
        # y in 2025..2026 insured and zero-claim: none insured -> 0
        zero_claim_incentive=D(0),
        # uninsured y in 2025..2026: 2 x 3000 = 6000
        break_penalty=D(6000),
        # 南昌 400000; limit 20% = 80000; 400000 + min(0, 80000) - min(6000, 80000) = 394000
        critical_illness_cap=D(394000),
        # paid in the concentrated period but after a break: 3 + max(0, 2 - 1 - 0) = 4
        waiting_period_months=4,
        # later of 2027-01 and 2026-11 is 2027-01; + 4 months -> 2027-05-01
        benefit_start_date=date(2027, 5, 1),
    )


def test_qingdao_case_with_one_year_repaired():
    result = run(person(**QINGDAO, repaid_years=1), date(2027, 6, 1))
    check(
        result,
        break_years=2,
        # 3 + max(0, 2 - 1 - 1) = 3
        waiting_period_months=3,
        # 2027-01 + 3 months -> 2027-04-01
        benefit_start_date=date(2027, 4, 1),
        # repair shortens only the variable waiting period: still 2 x 3000 = 6000
        break_penalty=D(6000),
        # 400000 - 6000 = 394000
        critical_illness_cap=D(394000),
    )


# ------------------------------------------------------------------ continuous incentive (I1)
def test_first_increment_in_the_fifth_continuous_year():
    # insured from 2025 only (2016-2024 known and empty); a fund payment every year so that
    # the zero-claim incentive stays 0
    claims = [{"year": y, "fund_paid": 100, "critical_illness_paid": 0, "incentive_used": False}
              for y in yrs(2025, 2029)]
    data = person(years=yrs(2025, 2029), claims=claims)

    # 4th continuous year (2028): streaks 1, 2, 3, 4 in 2025..2028, none > 4 -> 0
    result = run(data, date(2028, 6, 1))
    check(result, continuous_years=4, continuous_incentive=D(0), zero_claim_incentive=D(0),
          # 400000 + 0
          critical_illness_cap=D(400000))

    # 5th continuous year (2029): streak 5 > 4 in 2029 only -> 1 x 3000
    result = run(data, date(2029, 6, 1))
    check(result, continuous_years=5, continuous_incentive=D(3000), zero_claim_incentive=D(0),
          # 400000 + min(3000, 80000)
          critical_illness_cap=D(403000))


def test_breaks_before_2025_create_no_waiting_and_no_penalty():
    # same person in 2025: uninsured 2016-2024 but only years >= 2025 count as breaks
    result = run(person(years=[2025]), date(2025, 3, 1))
    # break window 2025..2024 is empty -> 0; concentrated and no break -> no waiting
    check(result, continuous_years=1, break_years=0, break_penalty=D(0),
          waiting_period_months=0, benefit_start_date=date(2025, 1, 1),
          critical_illness_cap=D(400000))


def test_long_continuous_person_switching_schemes_without_a_gap():
    entries = ([entry(y, GANZHOU, scheme="employee", paid_on=f"{y}-01-15", concentrated=False)
                for y in yrs(2016, 2020)]
               + [entry(y, GANZHOU) for y in yrs(2021, 2030)])
    claims = [{"year": 2027, "fund_paid": 1200.50, "critical_illness_paid": 0,
               "incentive_used": False}]
    result = run(person(entries=entries, region=GANZHOU, claims=claims), date(2030, 3, 1))
    check(
        result,
        # employee 2016-2020 then resident 2021-2030 without a gap: 15
        continuous_years=15,
        break_years=0,
        # 2025..2030 streaks 10..15 all > 4: 6 x 3000 = 18000
        continuous_incentive=D(18000),
        # 2025..2029 zero-claim except 2027: 2025, 2026, 2028, 2029 -> 4 x 3000 = 12000
        zero_claim_incentive=D(12000),
        break_penalty=D(0),
        # 赣州 350000, limit 70000: 350000 + min(30000, 70000) = 380000
        critical_illness_cap=D(380000),
        waiting_period_months=0,
        benefit_start_date=date(2030, 1, 1),
    )


def test_continuous_incentive_is_kept_after_a_break():
    # insured 2016-2026, not 2027, insured 2028; fund payments every year (no I2)
    claims = [{"year": y, "fund_paid": 50, "critical_illness_paid": 0, "incentive_used": False}
              for y in yrs(2016, 2028)]
    data = person(years=[*yrs(2016, 2026), 2028], claims=claims)
    result = run(data, date(2028, 6, 1))
    check(
        result,
        # the streak restarts: 2028 only
        continuous_years=1,
        # 2025 (streak 10) and 2026 (11) earned; 2028 streak 1 no -> 2 x 3000, kept
        continuous_incentive=D(6000),
        # 2027 -> 1 x 3000
        break_penalty=D(3000),
        # 400000 + min(6000, 80000) - min(3000, 80000) = 403000
        critical_illness_cap=D(403000),
        # break 1 year, paid in the concentrated period: 3 + max(0, 1 - 1 - 0) = 3
        waiting_period_months=3,
        # 2028-01 + 3 -> 2028-04-01
        benefit_start_date=date(2028, 4, 1),
    )


# ------------------------------------------------------------------ zero-claim incentive (I2)
ZERO_CLAIM_CLAIMS = [
    {"year": 2026, "fund_paid": 820.00, "critical_illness_paid": 0, "incentive_used": False},
]
ILLNESS_2028 = {"year": 2028, "fund_paid": 30000.00, "critical_illness_paid": 45000.00,
                "incentive_used": True}


def test_zero_claim_incentive_accumulates():
    data = person(years=yrs(2016, 2030), claims=ZERO_CLAIM_CLAIMS)
    result = run(data, date(2028, 5, 1))
    check(
        result,
        # y in 2025..2027 zero-claim: 2025, 2027 (2026 had a fund payment) -> 2 x 3000
        zero_claim_incentive=D(6000),
        # 2025..2028 streaks 10..13 > 4: 4 x 3000 = 12000
        continuous_incentive=D(12000),
        # 400000 + min(18000, 80000) = 418000
        critical_illness_cap=D(418000),
    )


def test_quota_use_in_the_benefit_year_itself_clears_nothing_yet():
    data = person(years=yrs(2016, 2030), claims=ZERO_CLAIM_CLAIMS + [ILLNESS_2028])
    result = run(data, date(2028, 5, 1))
    # the last quota use counted is one in a year <= 2027: none -> no reset;
    # 2025, 2027 -> 6000 as above
    check(result, zero_claim_incentive=D(6000))


def test_zero_claim_incentive_is_cleared_by_a_year_with_incentive_used():
    data = person(years=yrs(2016, 2030), claims=ZERO_CLAIM_CLAIMS + [ILLNESS_2028])
    result = run(data, date(2030, 5, 1))
    check(
        result,
        # last quota use <= 2029 is 2028: count y in 2029..2029 zero-claim: 2029 -> 3000
        # (without the reset it would be 2025, 2027, 2029 -> 9000)
        zero_claim_incentive=D(3000),
        # 2025..2030 all streak > 4: 6 x 3000 = 18000
        continuous_incentive=D(18000),
        # 400000 + min(21000, 80000) = 421000
        critical_illness_cap=D(421000),
    )


def test_claims_may_be_left_out():
    data = person(years=yrs(2016, 2027))
    del data["claims"]     # optional in records.md, default []: every year is zero-claim
    result = run(data, date(2027, 6, 1))
    # y in 2025..2026 insured, no claims -> 2 x 3000 = 6000
    check(result, zero_claim_incentive=D(6000))


def test_a_critical_illness_payment_alone_is_not_a_zero_claim_year():
    claims = [{"year": 2025, "fund_paid": 0, "critical_illness_paid": 1000, "incentive_used": False}]
    result = run(person(years=yrs(2016, 2027), claims=claims), date(2027, 6, 1))
    # y in 2025..2026: 2025 had a 大病 payment -> not zero; 2026 zero -> 1 x 3000
    check(result, zero_claim_incentive=D(3000))


# ------------------------------------------------------------------ the 20% limits (I4)
def test_increase_limited_to_20_percent_small_cap():
    result = run(person(years=yrs(2016, 2027), region=SMALL), date(2027, 6, 1), own_regions())
    check(
        result,
        # 2025, 2026, 2027 streaks 10..12: 3 x 3000 = 9000
        continuous_incentive=D(9000),
        # 2025, 2026 zero-claim: 2 x 3000 = 6000
        zero_claim_incentive=D(6000),
        # 30000 + min(15000, 20% x 30000 = 6000) - 0 = 36000
        critical_illness_cap=D(36000),
    )


def test_increase_limited_to_20_percent_after_many_years():
    result = run(person(years=yrs(2016, 2040)), date(2040, 6, 1))
    check(
        result,
        # 2025..2040 all with a streak > 4: 16 x 3000 = 48000
        continuous_incentive=D(48000),
        # 2025..2039 all zero-claim: 15 x 3000 = 45000
        zero_claim_incentive=D(45000),
        # 400000 + min(93000, 80000) = 480000
        critical_illness_cap=D(480000),
    )


def test_decrease_limited_to_20_percent_small_cap():
    data = person(years=[*yrs(2016, 2024), 2028], region=SMALL)
    result = run(data, date(2028, 6, 1), own_regions())
    check(
        result,
        break_years=3,
        # 2025, 2026, 2027: 3 x 3000 = 9000
        break_penalty=D(9000),
        # 2028 streak 1 -> 0; no insured year in 2025..2027 -> 0
        continuous_incentive=D(0),
        zero_claim_incentive=D(0),
        # 30000 + 0 - min(9000, 6000) = 24000
        critical_illness_cap=D(24000),
    )


def test_increase_and_decrease_are_limited_separately():
    data = person(years=[*yrs(2016, 2026), 2030], region=SMALL)
    result = run(data, date(2030, 6, 1), own_regions())
    check(
        result,
        # 2025 (streak 10), 2026 (11); 2030 streak 1 -> 2 x 3000
        continuous_incentive=D(6000),
        # zero-claim insured years in 2025..2029: 2025, 2026 -> 6000
        zero_claim_incentive=D(6000),
        # 2027, 2028, 2029 -> 9000
        break_penalty=D(9000),
        # 30000 + min(12000, 6000) - min(9000, 6000) = 30000
        # (netting first would give 30000 + min(3000, 6000) = 33000)
        critical_illness_cap=D(30000),
        # break 3: 3 + max(0, 3 - 1 - 0) = 5; 2030-01 + 5 -> 2030-06-01
        waiting_period_months=5,
        benefit_start_date=date(2030, 6, 1),
    )


def test_only_the_increase_limit_binds():
    data = person(years=[*yrs(2016, 2027), 2029], region=SMALL)
    result = run(data, date(2029, 6, 1), own_regions())
    check(
        result,
        # 2025, 2026, 2027 (streaks 10..12); 2029 streak 1 -> 3 x 3000
        continuous_incentive=D(9000),
        # 2025, 2026, 2027 zero-claim; 2028 uninsured -> 9000
        zero_claim_incentive=D(9000),
        # 2028 -> 3000
        break_penalty=D(3000),
        # 30000 + min(18000, 6000) - min(3000, 6000) = 33000
        # (netting first would give 30000 + min(15000, 6000) = 36000)
        critical_illness_cap=D(33000),
    )


# ------------------------------------------------------------------ break penalty (I3)
def test_break_penalty_counts_every_break_year_and_persists():
    claims = [{"year": 2027, "fund_paid": 300, "critical_illness_paid": 0, "incentive_used": False}]
    entries = [entry(2030, GANZHOU, paid_on="2030-02-14", concentrated=False),
               entry(2031, GANZHOU)]
    data = person(years=[*yrs(2016, 2025), 2027], entries=entries, region=GANZHOU, claims=claims)

    result = run(data, date(2030, 8, 1))
    check(
        result,
        continuous_years=1,
        # 2029, 2028 uninsured, 2027 insured -> 2
        break_years=2,
        # uninsured 2026, 2028, 2029 -> 3 x 3000 = 9000
        break_penalty=D(9000),
        # 2025 streak 10 -> yes; 2027 streak 1, 2030 streak 1 -> no: 3000 (kept)
        continuous_incentive=D(3000),
        # insured zero-claim years in 2025..2029: 2025 (2027 had a payment) -> 3000
        zero_claim_incentive=D(3000),
        # 赣州 350000, limit 70000: 350000 + min(6000, 70000) - min(9000, 70000) = 347000
        critical_illness_cap=D(347000),
        # late and after a break: 3 + max(0, 2 - 1 - 0) = 4
        waiting_period_months=4,
        # later of 2030-01 and 2030-02 is 2030-02; + 4 -> 2030-06-01
        benefit_start_date=date(2030, 6, 1),
    )

    result = run(data, date(2031, 8, 1))
    check(
        result,
        # 2030, 2031 -> 2; 2030 insured -> no break
        continuous_years=2,
        break_years=0,
        # still 2026, 2028, 2029 -> 9000
        break_penalty=D(9000),
        # 2025 only (2031 streak 2) -> 3000
        continuous_incentive=D(3000),
        # zero-claim insured years in 2025..2030: 2025, 2030 -> 6000
        zero_claim_incentive=D(6000),
        # 350000 + 9000 - 9000 = 350000
        critical_illness_cap=D(350000),
        # concentrated, no break -> 0 from 2031-01-01
        waiting_period_months=0,
        benefit_start_date=date(2031, 1, 1),
    )


# ------------------------------------------------------------------ newborns (W1, W3)
@pytest.mark.parametrize("known_from", [None, 2016])
def test_newborn_has_no_waiting_and_benefits_from_birth(known_from):
    data = person(entries=[entry(2027, paid_on="2027-04-02", concentrated=False)],
                  birth_date="2027-03-15", payer_relation="父母")
    if known_from is None:
        del data["enrollment_known_from"]      # default: the birth year
    else:
        data["enrollment_known_from"] = known_from   # years before birth still never count
    result = run(data, date(2027, 6, 1))
    check(
        result,
        continuous_years=1,
        # first countable year is 2027 (birth year): no break years
        break_years=0,
        break_penalty=D(0),
        continuous_incentive=D(0),
        zero_claim_incentive=D(0),
        # 400000 + 0 - 0
        critical_illness_cap=D(400000),
        # newborn: 除新生儿等特殊群体外 -> 0, although paid outside the concentrated period
        waiting_period_months=0,
        # the birth date
        benefit_start_date=date(2027, 3, 15),
        # 父母 is a listed close relative
        personal_account_payable=True,
    )


def test_newborn_exemption_is_for_the_birth_year_only():
    entries = [entry(2026, paid_on="2026-11-01", concentrated=False),
               entry(2027, paid_on="2027-02-10", concentrated=False)]
    data = person(entries=entries, birth_date="2026-10-08")
    result = run(data, date(2027, 6, 1))
    # 2027 is not the birth year; no break; paid outside the concentrated period -> fixed 3;
    # later of 2027-01 and 2027-02 is 2027-02; + 3 -> 2027-05-01
    check(result, continuous_years=2, break_years=0, waiting_period_months=3,
          benefit_start_date=date(2027, 5, 1))


# ------------------------------------------------------------------ late payment (W2, W3)
def test_late_payment_without_a_break():
    data = person(years=yrs(2016, 2026),
                  entries=[entry(2027, paid_on="2027-03-10", concentrated=False)])
    result = run(data, date(2027, 8, 1))
    check(
        result,
        break_years=0,
        # outside the concentrated period: 3 + max(0, 0 - 1 - 0) = 3
        waiting_period_months=3,
        # later of 2027-01 and 2027-03 is 2027-03; + 3 -> 2027-06-01
        benefit_start_date=date(2027, 6, 1),
    )


def test_late_payment_before_the_benefit_year_counts_from_january():
    data = person(years=yrs(2016, 2026),
                  entries=[entry(2027, paid_on="2026-12-28", concentrated=False)])
    result = run(data, date(2027, 8, 1))
    # 3 months; later of 2027-01 and 2026-12 is 2027-01; + 3 -> 2027-04-01
    check(result, waiting_period_months=3, benefit_start_date=date(2027, 4, 1))


# ------------------------------------------------------------------ long breaks and repair
# insured 2016-2024, not 2025-2029, paid for 2030 in the concentrated period (2029-12-01)
@pytest.mark.parametrize("repaid, months, start", [
    (0, 7, date(2030, 8, 1)),   # 3 + max(0, 5 - 1 - 0) = 7 (>= 6)
    (1, 6, date(2030, 7, 1)),   # 3 + max(0, 5 - 1 - 1) = 6
    (2, 6, date(2030, 7, 1)),   # 3 + 2 = 5 -> break 5 >= 4 -> floor 6
    (3, 6, date(2030, 7, 1)),   # 3 + 1 = 4 -> floor 6
    (4, 6, date(2030, 7, 1)),   # 3 + 0 = 3 -> floor 6
    (5, 6, date(2030, 7, 1)),   # 3 + max(0, -1) = 3 -> floor 6
])
def test_five_year_break_partly_repaired(repaid, months, start):
    data = person(years=yrs(2016, 2024), region=JIUJIANG,
                  entries=[entry(2030, JIUJIANG, paid_on="2029-12-01")], repaid_years=repaid)
    result = run(data, date(2030, 3, 1))
    # start: later of 2030-01 and 2029-12 is 2030-01; + months
    check(result, break_years=5, waiting_period_months=months, benefit_start_date=start,
          # 5 x 3000, whatever was repaid
          break_penalty=D(15000),
          # 九江 has no entry: 江西省 default 300000; 300000 - min(15000, 60000) = 285000
          critical_illness_cap=D(285000))


@pytest.mark.parametrize("insured, repaid, months", [
    # break 3 (2025-2027), below the long-break threshold: no floor
    ([*yrs(2016, 2024), 2028], 0, 5),   # 3 + max(0, 3 - 1 - 0) = 5
    ([*yrs(2016, 2024), 2028], 1, 4),   # 3 + 1 = 4
    ([*yrs(2016, 2024), 2028], 2, 3),   # 3 + 0 = 3
    ([*yrs(2016, 2024), 2028], 3, 3),   # 3 + max(0, -1) = 3
    # break exactly 4 (2025-2028): floor applies
    ([*yrs(2016, 2024), 2029], 0, 6),   # 3 + max(0, 4 - 1 - 0) = 6
    ([*yrs(2016, 2024), 2029], 3, 6),   # 3 + 0 = 3 -> floor 6
])
def test_break_threshold_for_the_floor(insured, repaid, months):
    y = insured[-1]
    result = run(person(years=insured, repaid_years=repaid), date(y, 6, 1))
    check(result, waiting_period_months=months)


def test_breaks_before_enrollment_known_from_do_not_count():
    # the record is complete only from 2027: 2025, 2026 are unknown, neither insured nor breaks
    data = person(years=[2027], enrollment_known_from=2027)
    result = run(data, date(2027, 6, 1))
    # window max(2025, 2027)..2026 empty -> break 0, penalty 0; concentrated -> no wait
    check(result, break_years=0, break_penalty=D(0), waiting_period_months=0,
          benefit_start_date=date(2027, 1, 1), critical_illness_cap=D(400000))


# ------------------------------------------------------------------ enrollment rules 二(一), 二(二)
@pytest.mark.parametrize("employment, expected", [
    ("employee", True),             # 就业人员 ... 不受户籍限制
    ("flexible", True),             # 灵活就业人员、农民工、新就业形态人员在就业地参加职工医保
    ("student", False),
    ("retired", False),
    ("unemployed_benefit", False),
    ("none", False),
])
def test_employee_enrollment_open(employment, expected):
    data = person(years=yrs(2016, 2027), hukou=GANZHOU, employment=employment)
    check(run(data, date(2027, 6, 1)), employee_enrollment_open=expected)


@pytest.mark.parametrize("hukou, permit, scheme, region, expected", [
    (GANZHOU, True, "resident", NANCHANG, True),     # 持居住证参加当地居民医保
    (GANZHOU, False, "resident", NANCHANG, False),   # other hukou, no permit
    (NANCHANG, False, "resident", NANCHANG, True),   # hukou == residence: a local resident
    (GANZHOU, True, "employee", NANCHANG, False),    # not the resident scheme
    (GANZHOU, False, "resident", GANZHOU, True),     # insured at the hukou place: a local
    (GANZHOU + "章贡区", False, "resident", GANZHOU, True),   # a county under its city: same pooling region
    ("江西省九江市", False, "resident", GANZHOU, False),  # neither hukou nor residence region
])
def test_local_subsidy_eligible(hukou, permit, scheme, region, expected):
    data = person(entries=[entry(y, region, scheme=scheme) for y in yrs(2016, 2027)],
                  hukou=hukou, residence=NANCHANG, residence_permit=permit)
    check(run(data, date(2027, 6, 1)), local_subsidy_eligible=expected)


@pytest.mark.parametrize("employment, expected", [
    ("student", True),    # 二(一) 鼓励大学生在学籍地参加居民医保: no permit needed at school
    ("none", False),      # an adult from elsewhere with no permit
])
def test_a_student_at_school_is_subsidised_as_a_local(employment, expected):
    data = person(years=yrs(2020, 2027), hukou=GANZHOU, residence=NANCHANG,
                  residence_permit=False, employment=employment)
    check(run(data, date(2027, 6, 1)), local_subsidy_eligible=expected)


@pytest.mark.parametrize("employment, expected", [
    ("unemployed_benefit", True),   # 从失业保险基金中支付领取失业保险金人员的职工医保费
    ("flexible", False),
    ("employee", False),
])
def test_premium_paid_by_unemployment_fund(employment, expected):
    data = person(years=yrs(2016, 2027), employment=employment)
    check(run(data, date(2027, 6, 1)), premium_paid_by_unemployment_fund=expected)


@pytest.mark.parametrize("relation, expected", [
    ("父母", True),       # listed: 配偶、父母、子女、兄弟姐妹、祖父母、外祖父母、孙子女、外孙子女
    ("配偶", True),
    ("外孙子女", True),
    ("朋友", False),      # another word
    ("叔伯", False),      # a relative, but not one of the listed close relatives
    (None, False),        # paid by the person
])
def test_personal_account_payable(relation, expected):
    data = person(years=yrs(2016, 2027), payer_relation=relation)
    check(run(data, date(2027, 6, 1)), personal_account_payable=expected)


# ------------------------------------------------------------------ region file
def test_province_entry_applies_to_a_city_without_its_own():
    result = run(person(years=yrs(2016, 2027), region=JIUJIANG), date(2027, 6, 1))
    # 九江 -> 江西省 default 300000; limit 60000; I1: 2025..2027 -> 9000; I2: 2025, 2026 -> 6000
    # 300000 + min(15000, 60000) = 315000
    check(result, critical_illness_cap=D(315000))


def test_dated_region_value():
    data = person(years=yrs(2016, 2027), region=SHANGRAO)
    # 2026: 上饶 300000 (from 2025-01-01); I1: 2025, 2026 -> 6000; I2: 2025 -> 3000
    # 300000 + min(9000, 60000) = 309000
    check(run(data, date(2026, 6, 1)), critical_illness_cap=D(309000))
    # 2027: 上饶 320000 (from 2027-01-01); I1: 2025..2027 -> 9000; I2: 2025, 2026 -> 6000
    # 320000 + min(15000, 64000) = 335000
    check(run(data, date(2027, 6, 1)), critical_illness_cap=D(335000))


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


def test_person_not_insured_in_the_benefit_year():
    data = person(years=yrs(2016, 2026))
    result = run(data, date(2027, 6, 1))
    # no 2027 entry: the resident scheme's cap, waiting period and start date do not concern
    # this person -> not applicable (not an error, not a value)
    check_not_applicable(result, "waiting_period_months", "benefit_start_date",
                         "critical_illness_cap")
    # streak ending at 2027 is 0; 2026 insured -> no break years before 2027;
    # not enrolled in 2027 -> no local subsidy
    check(result, continuous_years=0, break_years=0, local_subsidy_eligible=False)


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


def test_migrant_worker_in_the_year_after_the_lapse():
    record, _ = load_record(jiangxi(), ROOT / "examples" / "jiangxi" / "migrant-worker.yaml")
    result = evaluate(jiangxi(), record, date(2026, 6, 1), example_regions())
    # 2025 uninsured -> break 1; late (March 2026): 3 + max(0, 1 - 1 - 0) = 3;
    # later of 2026-01 and 2026-03 is 2026-03; + 3 -> 2026-06-01
    check(result, break_years=1, waiting_period_months=3, benefit_start_date=date(2026, 6, 1))


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
def test_employee_years_keep_the_streak_but_earn_no_incentive():
    # resident 2016..2024, employee 2025..2026, resident 2027 (all in 南昌, cap 400000)
    data = person(years=yrs(2016, 2024), entries=[
        entry(2025, scheme="employee"), entry(2026, scheme="employee"), entry(2027)])
    result = run(data, date(2027, 6, 1))
    # streak ending 2027: 2016..2027 all insured (employee years count) -> 12
    # I1: y in 2025..2027 with a resident entry and streak > 4: 2025, 2026 employee -> no;
    #     2027 resident, streak 12 -> 1 year x 3000 = 3000
    # I2: y in 2025..2026 resident and zero claims: both employee -> 0
    # cap: 400000 + min(3000 + 0, 80000) - 0 = 403000; concentrated, no break -> no wait
    check(result, continuous_years=12, continuous_incentive=D(3000), zero_claim_incentive=D(0),
          break_penalty=D(0), critical_illness_cap=D(403000), waiting_period_months=0,
          benefit_start_date=date(2027, 1, 1))


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


def test_with_two_entries_for_the_year_the_resident_entry_decides():
    # 2027: an employee entry in 赣州 paid in March, and a resident entry in 南昌 paid late
    # (2027-02-15, outside the concentrated period) after a 2026 break
    data = person(years=yrs(2016, 2025), entries=[
        entry(2027, GANZHOU, scheme="employee", paid_on="2027-03-01", concentrated=True),
        entry(2027, NANCHANG, paid_on="2027-02-15", concentrated=False)],
        payer_relation="配偶")
    result = run(data, date(2027, 6, 1))
    # the resident entry (南昌, not concentrated, Feb) decides: break 1 -> 3 + max(0, 1-1-0) = 3
    # months; later of 2027-01 and 2027-02 is 2027-02, + 3 -> 2027-05-01
    # cap from 南昌 (400000): I1 2025 (streak 10) -> 3000; 2027 streak 1 -> no
    # I2: 2025 resident zero -> 3000; I3: 2026 -> 3000
    # cap = 400000 + min(6000, 80000) - min(3000, 80000) = 403000
    check(result, waiting_period_months=3, benefit_start_date=date(2027, 5, 1),
          critical_illness_cap=D(403000), personal_account_payable=True)


def test_a_baby_enrolled_the_year_after_birth_within_90_days_has_no_break_and_no_wait():
    # born 2026-11-20, no 2026 entry; paid for 2027 on 2027-01-25 (66 days after birth),
    # outside the concentrated period
    data = person(entries=[entry(2027, paid_on="2027-01-25", concentrated=False)],
                  birth_date="2026-11-20", enrollment_known_from=2016)
    result = run(data, date(2027, 6, 1))
    # the birth year without an entry is never a break -> break_years 0, no penalty;
    # 2026-11-20 -> 2027-01-25 is 10 + 31 + 25 = 66 days <= 90 -> newborn: 0 months,
    # benefits from 1 January 2027 (not the birth date: that is for the birth year)
    check(result, break_years=0, break_penalty=D(0), continuous_years=1,
          waiting_period_months=0, benefit_start_date=date(2027, 1, 1))


def test_a_baby_paid_after_the_window_waits_the_fixed_months():
    # born 2026-09-01, no 2026 entry; paid 2027-03-10: 29 + 31 + 31 + 31 + 28 + 10 = 160 days
    data = person(entries=[entry(2027, paid_on="2027-03-10", concentrated=False)],
                  birth_date="2026-09-01", enrollment_known_from=2016)
    result = run(data, date(2027, 6, 1))
    # not a newborn (> 90 days), not concentrated: 3 + max(0, 0 - 1 - 0) = 3 months;
    # later of 2027-01 and 2027-03 -> 2027-03, + 3 -> 2027-06-01; still no break
    check(result, break_years=0, waiting_period_months=3, benefit_start_date=date(2027, 6, 1))


def test_the_window_is_counted_to_the_day():
    # born 2026-10-01: to 10-31 is 30 days, to 11-30 is 60, to 12-30 is 90
    def wait(paid_on):
        data = person(entries=[entry(2027, paid_on=paid_on, concentrated=False)],
                      birth_date="2026-10-01", enrollment_known_from=2016)
        return run(data, date(2027, 6, 1)).values["waiting_period_months"]
    assert wait("2026-12-30") == 0      # day 90: within the window
    assert wait("2026-12-31") == 3      # day 91: outside it


def test_a_newborn_in_its_birth_year_starts_on_the_birth_date():
    data = person(entries=[entry(2027, paid_on="2027-05-01", concentrated=False)],
                  birth_date="2027-04-20", enrollment_known_from=2016)
    check(run(data, date(2027, 6, 1)), waiting_period_months=0,
          benefit_start_date=date(2027, 4, 20))


def test_repair_shortens_only_the_variable_wait():
    # insured 2016..2024, uninsured 2025..2029, paid late for 2030, repaid 4 years
    data = person(years=yrs(2016, 2024), repaid_years=4,
                  entries=[entry(2030, paid_on="2030-02-10", concentrated=False)])
    result = run(data, date(2030, 6, 1))
    # break 5 (2025..2029): 3 + max(0, 5 - 1 - 4) = 3, but break >= 4 -> at least 6 months;
    # the penalty is untouched by repair: 5 x 3000 = 15000; the streak restarts: 1
    # start: later of 2030-01 and 2030-02 -> 2030-02 + 6 -> 2030-08-01
    check(result, break_years=5, waiting_period_months=6, break_penalty=D(15000),
          continuous_years=1, benefit_start_date=date(2030, 8, 1))


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
