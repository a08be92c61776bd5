"""One set of person histories run through Jiangxi (赣府厅发〔2024〕34号) and the Sichuan draft.

Both extend the national template and differ in two numbers only:
  - the step: Jiangxi 3000 元, Sichuan 4000 元 (连续参保激励, 零报销激励, 断保降低 alike);
  - the original 大病保险 cap: Jiangxi per pooling region (examples/regions.yaml,
    illustrative: 江西省 default 300000 元, used by 江西省九江市; 江西省南昌市 400000 元),
    Sichuan 300000 元 province-wide.
So the year counts behind the incentives, the waiting period, the benefit start date and the
enrollment rules must be equal; the three step amounts scale by 4000/3000; the cap differs as
worked out by hand below.

Regions: each history is written once, as a function of the pooling region; Jiangxi runs it
with a Jiangxi city, Sichuan with a Sichuan city (hukou = residence = that region).  Running a
record through the other province's policy is an error for the cap (Jiangxi: no region value;
Sichuan: not a Sichuan pooling region), which the last test shows.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest

from yibao.interpreter.api import evaluate, load_policy, load_regions, record_from

from .builders import claim, entry, yrs

ROOT = Path(__file__).resolve().parent.parent
D = Decimal
date = dt.date

JIUJIANG = "江西省九江市"      # examples/regions.yaml: no city entry -> 江西省 default 300000
NANCHANG = "江西省南昌市"      # examples/regions.yaml: 400000
CHENGDU = "四川省成都市"

# outputs that do not depend on the step or the cap: equal in both policies
SAME = ["continuous_years", "break_years", "waiting_period_months", "benefit_start_date",
        "employee_enrollment_open", "local_subsidy_eligible",
        "premium_paid_by_unemployment_fund", "personal_account_payable"]
# outputs that are step x a year count
STEPPED = ["continuous_incentive", "zero_claim_incentive", "break_penalty"]


@lru_cache(maxsize=None)
def policies():
    return {"jiangxi": load_policy(ROOT / "policies" / "jiangxi-2024-34.policy"),
            "sichuan": load_policy(ROOT / "policies" / "sichuan-2025.policy")}


@lru_cache(maxsize=None)
def regions():
    return load_regions(ROOT / "examples" / "regions.yaml")




@dataclass
class History:
    """One person's history, placed in any pooling region."""
    years: list                      # insured years, paid in the concentrated period
    late: dict = field(default_factory=dict)     # year -> paid_on, outside the period
    claims: list = field(default_factory=list)
    repaid_years: int = 0
    employment: str = "none"
    payer_relation: str | None = None

    def record(self, region):
        entries = [entry(y, region) for y in self.years]
        entries += [entry(y, region, paid_on=p, concentrated=False) for y, p in self.late.items()]
        return {
            "id": "CMP", "birth_date": "1975-03-02", "hukou": region, "residence": region,
            "residence_permit": False, "employment": self.employment,
            "payer_relation": self.payer_relation, "enrollment_known_from": 2016,
            "enrollment": sorted(entries, key=lambda e: e["year"]),
            "repaid_years": self.repaid_years, "claims": self.claims,
        }


def run(which, data, on):
    policy = policies()[which]
    record = record_from(policy, data, "comparison")
    return evaluate(policy, record, on, regions())




# Each case: the history, the date, the Jiangxi region, the hand values of the outputs that
# must be equal, the hand year counts (n1 continuous-incentive years, n2 zero-claim years,
# n3 break years counted for the penalty) and the hand caps of each policy.
CASES = {
    # insured 2016-2027, never reimbursed
    "continuous-2027": dict(
        history=History(years=yrs(2016, 2027), employment="flexible", payer_relation="子女"),
        on=date(2027, 6, 1), jx_region=JIUJIANG,
        same=dict(continuous_years=12, break_years=0, waiting_period_months=0,
                  benefit_start_date=date(2027, 1, 1), employee_enrollment_open=True,
                  local_subsidy_eligible=True, premium_paid_by_unemployment_fund=False,
                  personal_account_payable=True),
        # n1: 2025, 2026, 2027 (streaks 10..12 > 4); n2: 2025, 2026; n3: none
        counts=(3, 2, 0),
        # JX: 300000 + min(9000 + 6000, 60000) = 315000
        # SC: 300000 + min(12000 + 8000, 60000) = 320000
        caps=(D(315000), D(320000))),
    # the same history eight years on: Sichuan reaches its 20% limit, Jiangxi not yet
    "continuous-2032": dict(
        history=History(years=yrs(2016, 2032)),
        on=date(2032, 6, 1), jx_region=JIUJIANG,
        same=dict(continuous_years=17, break_years=0, waiting_period_months=0,
                  benefit_start_date=date(2032, 1, 1)),
        # n1: 2025..2032 = 8; n2: 2025..2031 = 7
        counts=(8, 7, 0),
        # JX: 24000 + 21000 = 45000 < 60000 -> 345000
        # SC: 32000 + 28000 = 60000 = limit -> 360000
        caps=(D(345000), D(360000))),
    # and eleven years on: both limits bind, the caps are equal although every step differs
    "continuous-2035": dict(
        history=History(years=yrs(2016, 2035)),
        on=date(2035, 6, 1), jx_region=JIUJIANG,
        same=dict(continuous_years=20, break_years=0, waiting_period_months=0,
                  benefit_start_date=date(2035, 1, 1)),
        # n1: 2025..2035 = 11; n2: 2025..2034 = 10
        counts=(11, 10, 0),
        # JX: 33000 + 30000 = 63000 -> 60000 -> 360000
        # SC: 44000 + 40000 = 84000 -> 60000 -> 360000
        caps=(D(360000), D(360000))),
    # Qingdao: insured 2016-2024, not 2025, 2026, back for 2027 in the concentrated period
    "qingdao": dict(
        history=History(years=[*yrs(2016, 2024), 2027]),
        on=date(2027, 6, 1), jx_region=JIUJIANG,
        same=dict(continuous_years=1, break_years=2,
                  # 3 + max(0, 2 - 1 - 0) = 4; 2027-01 + 4
                  waiting_period_months=4, benefit_start_date=date(2027, 5, 1)),
        counts=(0, 0, 2),
        # JX: 300000 - 6000; SC: 300000 - 8000
        caps=(D(294000), D(292000))),
    # breaks and claims: insured 2016-2025, 2027, late for 2030 (2030-02-14); a fund
    # payment in 2027
    "breaks-and-claims": dict(
        history=History(years=[*yrs(2016, 2025), 2027], late={2030: "2030-02-14"},
                        claims=[claim(2027, fund=300)], employment="unemployed_benefit"),
        on=date(2030, 8, 1), jx_region=JIUJIANG,
        same=dict(continuous_years=1, break_years=2,
                  # late and after a 2-year break: 3 + max(0, 2 - 1 - 0) = 4; 2030-02 + 4
                  waiting_period_months=4, benefit_start_date=date(2030, 6, 1),
                  employee_enrollment_open=False, premium_paid_by_unemployment_fund=True),
        # n1: 2025 (streak 10); n2: 2025 (2027 had a payment); n3: 2026, 2028, 2029
        counts=(1, 1, 3),
        # JX: 300000 + min(6000, 60000) - min(9000, 60000) = 297000
        # SC: 300000 + min(8000, 60000) - min(12000, 60000) = 296000
        caps=(D(297000), D(296000))),
    # zero-claim years cleared by a use of the incentive quota in 2028
    "quota-used": dict(
        history=History(years=yrs(2016, 2030),
                        claims=[claim(2026, fund=820), claim(2028, fund=30000, illness=45000, used=True)]),
        on=date(2030, 5, 1), jx_region=JIUJIANG,
        same=dict(continuous_years=15, break_years=0, waiting_period_months=0,
                  benefit_start_date=date(2030, 1, 1)),
        # n1: 2025..2030 = 6; n2: after the 2028 use only 2029 -> 1
        counts=(6, 1, 0),
        # JX: 300000 + 18000 + 3000 = 321000; SC: 300000 + 24000 + 4000 = 328000
        caps=(D(321000), D(328000))),
    # a 15-year break 2025-2039, back for 2040, nothing repaid
    "long-break": dict(
        history=History(years=[*yrs(2016, 2024), 2040]),
        on=date(2040, 3, 1), jx_region=JIUJIANG,
        same=dict(continuous_years=1, break_years=15,
                  # 3 + max(0, 15 - 1 - 0) = 17 (>= 6); 2040-01 + 17 -> 2041-06-01
                  waiting_period_months=17, benefit_start_date=date(2041, 6, 1)),
        counts=(0, 0, 15),
        # JX: 15 x 3000 = 45000 < 60000 -> 255000
        # SC: 15 x 4000 = 60000 = limit -> 240000
        caps=(D(255000), D(240000))),
    # a Jiangxi city with its own original cap: 南昌 400000 (limit 80000) against 300000
    "nanchang-cap": dict(
        history=History(years=yrs(2016, 2030)),
        on=date(2030, 6, 1), jx_region=NANCHANG,
        same=dict(continuous_years=15, break_years=0, waiting_period_months=0,
                  benefit_start_date=date(2030, 1, 1)),
        # n1: 2025..2030 = 6; n2: 2025..2029 = 5
        counts=(6, 5, 0),
        # JX: 400000 + min(18000 + 15000, 80000) = 433000
        # SC: 300000 + min(24000 + 20000, 60000) = 344000
        caps=(D(433000), D(344000))),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_outputs_differ_only_by_step_and_cap(name):
    case = CASES[name]
    history, on = case["history"], case["on"]
    jx = run("jiangxi", history.record(case["jx_region"]), on)
    sc = run("sichuan", history.record(CHENGDU), on)
    assert jx.errors == {} and sc.errors == {}, (jx.errors, sc.errors)

    # the outputs that read neither the step nor the cap are equal, and equal to the hand values
    for out in SAME:
        assert jx.values[out] == sc.values[out], out
    for out, value in case["same"].items():
        assert jx.values[out] == value, out
        assert sc.values[out] == value, out

    # the step amounts are 3000 x n in Jiangxi and 4000 x n in Sichuan, for the same n
    for out, n in zip(STEPPED, case["counts"]):
        assert jx.values[out] == D(3000) * n, out
        assert sc.values[out] == D(4000) * n, out
        assert sc.values[out] * 3 == jx.values[out] * 4, out

    # the caps, by hand
    jx_cap, sc_cap = case["caps"]
    assert jx.values["critical_illness_cap"] == jx_cap
    assert sc.values["critical_illness_cap"] == sc_cap


def test_sichuan_has_exactly_two_more_outputs():
    jx, sc = set(policies()["jiangxi"].outputs), set(policies()["sichuan"].outputs)
    assert jx <= sc
    assert sc - jx == {"retroactive_benefits", "student_premium_due"}


def test_same_outputs_cover_everything_but_step_and_cap():
    jx = set(policies()["jiangxi"].outputs)
    assert jx == set(SAME) | set(STEPPED) | {"critical_illness_cap"}


def test_each_policy_refuses_the_other_provinces_region():
    history = CASES["continuous-2027"]["history"]
    on = CASES["continuous-2027"]["on"]
    # a Sichuan record through Jiangxi: examples/regions.yaml has no 四川省 value
    jx = run("jiangxi", history.record(CHENGDU), on)
    assert "critical_illness_cap" in jx.errors and "critical_illness_cap" not in jx.values
    # a Jiangxi record through Sichuan: 江西省九江市 is not a Sichuan pooling region
    sc = run("sichuan", history.record(JIUJIANG), on)
    assert sc.errors["critical_illness_cap"].code == "E541"
    # the step amounts do not read the region: still 3000 x 3 and 4000 x 3
    assert jx.values["continuous_incentive"] == D(9000)
    assert sc.values["continuous_incentive"] == D(12000)
