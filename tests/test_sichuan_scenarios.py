"""Scenario tests for the Sichuan draft (policies/sichuan-2025.policy) that are not plain data.

The scenarios that are one record, one date and the expected outputs are YAML suites, run by
`yibao test` and by pytest: tests/suites/sichuan-incentives.test.yaml (I1-I4: the
incentives, the break penalty and their 20% limits), sichuan-waiting-period.test.yaml (the
waiting period, newborns, no retroactive benefits), sichuan-students.test.yaml (按学制参保)
and sichuan-scope.test.yaml (the province-wide cap, dates before the mechanism, the
enrollment and financing rules).  What stays here: the example records checked whole (every
output, no warning, no error), a property over generated histories, and the citations.

Every expected value is worked out by hand from the source text (shared/sources/
sichuan-2025-draft.txt, 一(一), 一(二), 一(三) 第二段/第三段) and the readings of
docs/readings/national-2024-38.md; the arithmetic is in the comment above each assertion.

Sichuan's numbers: step 4000 元 (连续参保激励, 零报销激励 and 断保降低 alike); one
province-wide original 大病保险 cap of 300000 元 (一(三)第二段 "全省城乡居民大病保险年度封顶线
统一设置为30万元"), so each 20% limit is 60000 元 and no region file is needed.  The
individual premium standard is the template's national minimum: 2023 380, 2024 400,
2025 400 元 (and 400 元 after 2025 until a new value is added).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yibao.interpreter.api import evaluate, load_policy, load_record, record_from

from . import builders
from .builders import check, check_not_applicable, claim

ROOT = Path(__file__).resolve().parent.parent
D = Decimal
date = dt.date

OUTPUTS = [
    "continuous_years", "break_years", "continuous_incentive", "zero_claim_incentive",
    "break_penalty", "critical_illness_cap", "waiting_period_months", "benefit_start_date",
    "employee_enrollment_open", "local_subsidy_eligible", "premium_paid_by_unemployment_fund",
    "personal_account_payable", "retroactive_benefits", "student_premium_due",
]

CHENGDU = "四川省成都市"


# ------------------------------------------------------------------ helpers
@lru_cache(maxsize=None)
def sichuan():
    return load_policy(ROOT / "policies" / "sichuan-2025.policy")


def person(years=(), entries=(), region=CHENGDU, **fields):
    return builders.person("SC-TEST", region, years, entries, **fields)


def run(data, on):
    policy = sichuan()
    record = record_from(policy, data, "scenario")
    return evaluate(policy, record, on, None)     # no region file: the cap is province-wide


# ------------------------------------------------------------------ the example records
NOT_APPLICABLE = object()    # the outcome "not applicable", in EXAMPLES

EXAMPLES = {
    # file: (as_of, expected values as worked out in the file's header comment)
    "student-by-program.yaml": (date(2027, 3, 1), dict(
        continuous_years=12, break_years=0, continuous_incentive=D(12000),
        zero_claim_incentive=D(4000), break_penalty=D(0), critical_illness_cap=D(316000),
        waiting_period_months=0, benefit_start_date=date(2027, 1, 1),
        employee_enrollment_open=False, local_subsidy_eligible=True,
        premium_paid_by_unemployment_fund=False, personal_account_payable=True,
        retroactive_benefits=False, student_premium_due=D(0))),
    "long-continuous.yaml": (date(2033, 3, 1), dict(
        continuous_years=18, break_years=0, continuous_incentive=D(36000),
        zero_claim_incentive=D(32000), break_penalty=D(0), critical_illness_cap=D(360000),
        waiting_period_months=0, benefit_start_date=date(2033, 1, 1),
        employee_enrollment_open=False, local_subsidy_eligible=True,
        premium_paid_by_unemployment_fund=False, personal_account_payable=False,
        retroactive_benefits=False, student_premium_due=NOT_APPLICABLE)),
    "qingdao-case.yaml": (date(2027, 6, 1), dict(
        continuous_years=1, break_years=2, continuous_incentive=D(0),
        zero_claim_incentive=D(0), break_penalty=D(8000), critical_illness_cap=D(292000),
        waiting_period_months=4, benefit_start_date=date(2027, 5, 1),
        employee_enrollment_open=False, local_subsidy_eligible=True,
        premium_paid_by_unemployment_fund=False, personal_account_payable=False,
        retroactive_benefits=False, student_premium_due=NOT_APPLICABLE)),
    "newborn.yaml": (date(2026, 8, 1), dict(
        continuous_years=1, break_years=0, continuous_incentive=D(0),
        zero_claim_incentive=D(0), break_penalty=D(0), critical_illness_cap=D(300000),
        waiting_period_months=0, benefit_start_date=date(2026, 5, 3),
        employee_enrollment_open=False, local_subsidy_eligible=True,
        premium_paid_by_unemployment_fund=False, personal_account_payable=True,
        retroactive_benefits=False, student_premium_due=NOT_APPLICABLE)),
    "migrant-long-break.yaml": (date(2029, 6, 1), dict(
        continuous_years=1, break_years=4, continuous_incentive=D(0),
        zero_claim_incentive=D(0), break_penalty=D(16000), critical_illness_cap=D(284000),
        waiting_period_months=6, benefit_start_date=date(2029, 8, 1),
        employee_enrollment_open=True, local_subsidy_eligible=True,
        premium_paid_by_unemployment_fund=False, personal_account_payable=False,
        retroactive_benefits=False, student_premium_due=NOT_APPLICABLE)),
}


def test_every_example_record_has_expectations():
    files = sorted(p.name for p in (ROOT / "examples" / "sichuan").glob("*.yaml"))
    assert files == sorted(EXAMPLES)


def test_outputs_are_the_records_md_names():
    assert sorted(sichuan().outputs) == sorted(OUTPUTS)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_record(name):
    on, expected = EXAMPLES[name]
    record, warnings = load_record(sichuan(), ROOT / "examples" / "sichuan" / name)
    assert list(warnings) == []
    result = evaluate(sichuan(), record, on, None)
    assert result.errors == {}
    assert sorted(expected) == sorted(OUTPUTS)
    check_not_applicable(result, *[n for n, v in expected.items() if v is NOT_APPLICABLE])
    check(result, **{n: v for n, v in expected.items() if v is not NOT_APPLICABLE})


# ------------------------------------------------------------------ a property
@st.composite
def histories(draw):
    """A person insured in Y in a Sichuan region, with random years and claims."""
    y = draw(st.integers(2025, 2045))
    years = draw(st.sets(st.integers(2016, y - 1))) | {y}
    claims = [claim(c, fund=draw(st.sampled_from([0, 100, 820.5])),
                    illness=draw(st.sampled_from([0, 35000])), used=draw(st.booleans()))
              for c in sorted(draw(st.sets(st.integers(2016, y))))]
    data = person(years=sorted(years), claims=claims, repaid_years=draw(st.integers(0, 6)))
    return data, date(y, draw(st.integers(1, 12)), draw(st.integers(1, 28)))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_cap_moves_in_4000_steps_within_20_percent(case):
    data, on = case
    values = run(data, on).values
    cap = values["critical_illness_cap"]
    # 300000 +- at most 20% (60000) either way
    assert D(240000) <= cap <= D(360000)
    # every amount is a whole number of 4000 元 steps, and the cap is the formula of I4
    for name in ("continuous_incentive", "zero_claim_incentive", "break_penalty"):
        assert values[name] % 4000 == 0
    up = min(values["continuous_incentive"] + values["zero_claim_incentive"], D(60000))
    down = min(values["break_penalty"], D(60000))
    assert cap == D(300000) + up - down


# ------------------------------------------------------------------ citations
def test_every_output_and_waiting_branch_cites_the_sichuan_text():
    record, _ = load_record(sichuan(), ROOT / "examples" / "sichuan" / "qingdao-case.yaml")
    result = evaluate(sichuan(), record, date(2027, 6, 1), None, explain=True)
    document = "四川省医疗保障局征求意见稿(2025-07-15)"
    for name in OUTPUTS:
        tree = result.trees[name]
        assert tree.document == document, name
        # each citation names a Sichuan article: 一(一), 一(二) or 一(三)
        assert any(a in tree.cite for a in ("一(一)", "一(二)", "一(三)")), (name, tree.cite)
        for case in tree.cases:
            if case.cite:
                assert case.cite.startswith(document), (name, case.ident, case.cite)
