"""Scenario tests for the Sichuan draft (policies/sichuan-2025.policy).

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
from .builders import check, check_errors, check_not_applicable, claim, yrs

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
MIANYANG = "四川省绵阳市"
LIANGSHAN = "四川省凉山彝族自治州"
NANCHANG = "江西省南昌市"      # not a Sichuan pooling region


# ------------------------------------------------------------------ helpers
@lru_cache(maxsize=None)
def sichuan():
    return load_policy(ROOT / "policies" / "sichuan-2025.policy")


def entry(year, region=CHENGDU, scheme="resident", paid_on=None, concentrated=True):
    return builders.entry(year, region, scheme, paid_on, concentrated)


def person(years=(), entries=(), region=CHENGDU, **fields):
    return builders.person("SC-TEST", region, years, entries, **fields)


def run(data, on):
    policy = sichuan()
    record = record_from(policy, data, "scenario")
    return evaluate(policy, record, on, None)     # no region file: the cap is province-wide


# ------------------------------------------------------------------ continuous incentive (I1)
def test_first_increment_in_the_fifth_continuous_year():
    # insured from 2025 only (2016-2024 known and empty); a fund payment every year keeps the
    # zero-claim incentive at 0
    data = person(years=yrs(2025, 2029), claims=[claim(y, fund=100) for y in yrs(2025, 2029)])

    # 4th continuous year (2028): streaks 1, 2, 3, 4 in 2025..2028, none > 4 -> 0
    check(run(data, date(2028, 6, 1)), continuous_years=4, continuous_incentive=D(0),
          zero_claim_incentive=D(0),
          # 300000 + 0
          critical_illness_cap=D(300000))

    # 5th continuous year (2029): "满4年的,之后每连续参保1年" -> streak 5 > 4 in 2029 only:
    # 1 x 4000
    check(run(data, date(2029, 6, 1)), continuous_years=5, continuous_incentive=D(4000),
          zero_claim_incentive=D(0),
          # 300000 + min(4000, 60000)
          critical_illness_cap=D(304000))


def test_continuous_incentive_is_kept_after_a_break():
    # insured 2016-2026, not 2027, insured 2028; fund payments every year (no I2)
    data = person(years=[*yrs(2016, 2026), 2028], claims=[claim(y, fund=50) for y in yrs(2016, 2028)])
    check(
        run(data, date(2028, 6, 1)),
        # "连续参保年数重新计算": 2028 only
        continuous_years=1,
        # 2025 (streak 10), 2026 (11) earned; 2028 streak 1 no -> 2 x 4000, "予以保留"
        continuous_incentive=D(8000),
        # 2027 -> 1 x 4000
        break_penalty=D(4000),
        # 300000 + min(8000, 60000) - min(4000, 60000) = 304000
        critical_illness_cap=D(304000),
        # break 1, paid in the concentrated period: 3 + max(0, 1 - 1 - 0) = 3
        waiting_period_months=3,
        # 2028-01 + 3 -> 2028-04-01
        benefit_start_date=date(2028, 4, 1),
    )


# ------------------------------------------------------------------ zero-claim incentive (I2)
def test_zero_claim_incentive_accumulates():
    data = person(years=yrs(2016, 2030), claims=[claim(2026, fund=820)])
    check(
        run(data, date(2028, 5, 1)),
        # y in 2025..2027 zero-claim: 2025, 2027 (2026 had a fund payment) -> 2 x 4000
        zero_claim_incentive=D(8000),
        # 2025..2028 streaks 10..13 > 4: 4 x 4000
        continuous_incentive=D(16000),
        # "可叠加": 300000 + min(8000 + 16000, 60000) = 324000
        critical_illness_cap=D(324000),
    )


def test_zero_claim_incentive_is_cleared_after_the_quota_is_used():
    claims = [claim(2026, fund=820), claim(2028, fund=30000, illness=45000, used=True)]
    data = person(years=yrs(2016, 2030), claims=claims)
    # in 2028 itself the use is not yet behind: last use <= 2027 is none -> 2025, 2027 -> 8000
    check(run(data, date(2028, 5, 1)), zero_claim_incentive=D(8000))
    check(
        run(data, date(2030, 5, 1)),
        # "使用奖励额度后,前期积累的零报销激励额度清零": last use <= 2029 is 2028, so only
        # y in 2029..2029 counts: 2029 -> 4000 (without clearing: 2025, 2027, 2029 -> 12000)
        zero_claim_incentive=D(4000),
        # 2025..2030 streaks > 4: 6 x 4000
        continuous_incentive=D(24000),
        # 300000 + min(28000, 60000) = 328000
        critical_illness_cap=D(328000),
    )


def test_a_critical_illness_payment_alone_is_not_a_zero_claim_year():
    data = person(years=yrs(2016, 2027), claims=[claim(2025, illness=1000)])
    # y in 2025..2026: 2025 had a 大病 payment -> not zero; 2026 zero -> 1 x 4000
    check(run(data, date(2027, 6, 1)), zero_claim_incentive=D(4000))


# ------------------------------------------------------------------ the 20% limits (I4)
@pytest.mark.parametrize("year, increments, zero_claims, cap", [
    # insured 2016 onwards, never reimbursed: I1 counts 2025..Y (streak already > 4),
    # I2 counts 2025..Y-1.  Limit 20% x 300000 = 60000.
    (2031, 7, 6, D(352000)),    # 7 x 4000 + 6 x 4000 = 52000 < 60000 -> 352000
    (2032, 8, 7, D(360000)),    # 32000 + 28000 = 60000, exactly the limit -> 360000
    (2033, 9, 8, D(360000)),    # 36000 + 32000 = 68000 -> min(68000, 60000) -> 360000
    (2040, 16, 15, D(360000)),  # 64000 + 60000 = 124000 -> 60000 -> 360000
])
def test_increase_limited_to_20_percent_of_300000(year, increments, zero_claims, cap):
    result = run(person(years=yrs(2016, year)), date(year, 6, 1))
    check(result, continuous_incentive=D(4000) * increments,
          zero_claim_incentive=D(4000) * zero_claims, critical_illness_cap=cap)


@pytest.mark.parametrize("back, breaks, penalty, cap", [
    (2039, 14, D(56000), D(244000)),   # 2025..2038: 14 x 4000 = 56000 -> 300000 - 56000
    (2040, 15, D(60000), D(240000)),   # 2025..2039: 15 x 4000 = 60000, exactly the limit
    (2041, 16, D(64000), D(240000)),   # 16 x 4000 = 64000 -> min(64000, 60000) -> 240000
])
def test_decrease_limited_to_20_percent_of_300000(back, breaks, penalty, cap):
    # insured 2016-2024, nothing until `back`, paid in the concentrated period, all missed
    # years but one repaired (3 + max(0, breaks - 1 - (breaks - 1)) = 3 -> floor 6)
    data = person(years=[*yrs(2016, 2024), back], repaid_years=breaks - 1)
    result = run(data, date(back, 6, 1))
    check(result, break_years=breaks, break_penalty=penalty, critical_illness_cap=cap,
          continuous_incentive=D(0), zero_claim_incentive=D(0),
          # break >= 4: at least 6 months; from January of `back`
          waiting_period_months=6, benefit_start_date=date(back, 7, 1))


def test_increase_and_decrease_are_limited_separately():
    # insured 2016-2026, not 2027-2041 (15 years), back in 2042
    data = person(years=[*yrs(2016, 2026), 2042], repaid_years=14)
    check(
        run(data, date(2042, 6, 1)),
        # 2025 (streak 10), 2026 (11); 2042 streak 1 -> 2 x 4000
        continuous_incentive=D(8000),
        # insured zero-claim years in 2025..2041: 2025, 2026 -> 2 x 4000
        zero_claim_incentive=D(8000),
        # 2027..2041: 15 x 4000
        break_penalty=D(60000),
        # 300000 + min(16000, 60000) - min(60000, 60000) = 256000
        critical_illness_cap=D(256000),
    )


# ------------------------------------------------------------------ break penalty (I3)
def test_break_penalty_counts_every_break_year_and_persists():
    entries = [entry(2030, paid_on="2030-02-14", concentrated=False), entry(2031)]
    data = person(years=[*yrs(2016, 2025), 2027], entries=entries, claims=[claim(2027, fund=300)])

    check(
        run(data, date(2030, 8, 1)),
        continuous_years=1,
        # 2029, 2028 uninsured, 2027 insured -> 2
        break_years=2,
        # "每断保1年,降低...4000元": uninsured 2026, 2028, 2029 -> 3 x 4000 = 12000
        break_penalty=D(12000),
        # 2025 streak 10 -> yes; 2027 streak 1, 2030 streak 1 -> no: 4000 (kept)
        continuous_incentive=D(4000),
        # insured zero-claim years in 2025..2029: 2025 (2027 had a payment) -> 4000
        zero_claim_incentive=D(4000),
        # 300000 + min(8000, 60000) - min(12000, 60000) = 296000
        critical_illness_cap=D(296000),
        # late and after a break: 3 + max(0, 2 - 1 - 0) = 4
        waiting_period_months=4,
        # later of 2030-01 and 2030-02 is 2030-02; + 4 -> 2030-06-01
        benefit_start_date=date(2030, 6, 1),
    )
    check(
        run(data, date(2031, 8, 1)),
        # 2030, 2031 -> 2; no break before 2031
        continuous_years=2,
        break_years=0,
        # still 2026, 2028, 2029 -> 12000
        break_penalty=D(12000),
        # 2025 only (2031 streak 2) -> 4000
        continuous_incentive=D(4000),
        # zero-claim insured years in 2025..2030: 2025, 2030 -> 8000
        zero_claim_incentive=D(8000),
        # 300000 + 12000 - 12000 = 300000
        critical_illness_cap=D(300000),
        # concentrated, no break -> no waiting, from 2031-01-01
        waiting_period_months=0,
        benefit_start_date=date(2031, 1, 1),
    )


def test_breaks_before_2025_create_no_waiting_and_no_penalty():
    # uninsured 2016-2024 but only years >= 2025 count as breaks ("自2025年起")
    result = run(person(years=[2025]), date(2025, 3, 1))
    # break window 2025..2024 is empty -> 0; concentrated and no break -> no waiting
    check(result, continuous_years=1, break_years=0, break_penalty=D(0),
          waiting_period_months=0, benefit_start_date=date(2025, 1, 1),
          critical_illness_cap=D(300000))


# ------------------------------------------------------------------ Qingdao case (W1-W3)
QINGDAO = dict(years=yrs(2016, 2024), region=MIANYANG,
               entries=[entry(2027, MIANYANG, paid_on="2026-11-20")])


def test_qingdao_case():
    check(
        run(person(**QINGDAO), date(2027, 6, 1)),
        # 2027 insured, 2026 not
        continuous_years=1,
        # 2026, 2025 uninsured, 2024 insured
        break_years=2,
        # 2025, 2026 uninsured; 2027 streak 1
        continuous_incentive=D(0),
        zero_claim_incentive=D(0),
        # 2 x 4000
        break_penalty=D(8000),
        # 300000 + min(0, 60000) - min(8000, 60000) = 292000
        critical_illness_cap=D(292000),
        # in the concentrated period but after a break: 3 + max(0, 2 - 1 - 0) = 4
        waiting_period_months=4,
        # later of 2027-01 and 2026-11 is 2027-01; + 4 -> 2027-05-01
        benefit_start_date=date(2027, 5, 1),
        # "断保期间的医保待遇不予追溯"
        retroactive_benefits=False,
    )


def test_qingdao_case_with_one_year_repaired():
    check(
        run(person(**QINGDAO, repaid_years=1), date(2027, 6, 1)),
        # "每多缴纳1年可减少1个月变动待遇等待期": 3 + max(0, 2 - 1 - 1) = 3
        waiting_period_months=3,
        # 2027-01 + 3 -> 2027-04-01
        benefit_start_date=date(2027, 4, 1),
        # repair shortens only the variable waiting period: still 2 x 4000
        break_penalty=D(8000),
        critical_illness_cap=D(292000),
        # and the repaid years bring no benefits for 2025, 2026
        retroactive_benefits=False,
    )


@pytest.mark.parametrize("repaid, months, start", [
    # insured 2016-2024, not 2025-2028 (4 years), paid for 2029 in the concentrated period
    (0, 6, date(2029, 7, 1)),   # 3 + max(0, 4 - 1 - 0) = 6 (>= 6)
    (1, 6, date(2029, 7, 1)),   # 3 + 2 = 5 -> "连续断缴4年及以上的...不少于6个月" -> 6
    (3, 6, date(2029, 7, 1)),   # 3 + 0 = 3 -> 6
])
def test_four_year_break_floor(repaid, months, start):
    data = person(years=[*yrs(2016, 2024), 2029], repaid_years=repaid)
    check(run(data, date(2029, 3, 1)), break_years=4, waiting_period_months=months,
          # start: 2029-01 + months; penalty 4 x 4000 = 16000 -> 300000 - 16000
          benefit_start_date=start, break_penalty=D(16000), critical_illness_cap=D(284000))


def test_three_year_break_has_no_floor():
    # not 2025-2027 (3 years): 3 + max(0, 3 - 1 - 0) = 5, below the 4-year threshold
    data = person(years=[*yrs(2016, 2024), 2028])
    check(run(data, date(2028, 3, 1)), break_years=3, waiting_period_months=5,
          # 2028-01 + 5 -> 2028-06-01
          benefit_start_date=date(2028, 6, 1))


def test_late_payment_without_a_break():
    data = person(years=yrs(2016, 2026), entries=[entry(2027, paid_on="2027-03-10", concentrated=False)])
    # "未在居民医保集中参保期内参保": fixed 3 + max(0, 0 - 1 - 0) = 3;
    # later of 2027-01 and 2027-03 is 2027-03; + 3 -> 2027-06-01
    check(run(data, date(2027, 8, 1)), break_years=0, waiting_period_months=3,
          benefit_start_date=date(2027, 6, 1))


# ------------------------------------------------------------------ newborns
def test_newborn_has_no_waiting_and_benefits_from_birth():
    data = person(entries=[entry(2026, paid_on="2026-05-20", concentrated=False)],
                  birth_date="2026-05-03", payer_relation="父母")
    del data["enrollment_known_from"]      # default: the birth year
    check(
        run(data, date(2026, 8, 1)),
        continuous_years=1,
        # no year before the birth year counts
        break_years=0, break_penalty=D(0), continuous_incentive=D(0), zero_claim_incentive=D(0),
        critical_illness_cap=D(300000),
        # "除新生儿等特殊群体外" -> 0 although paid outside the concentrated period
        waiting_period_months=0,
        # the birth date
        benefit_start_date=date(2026, 5, 3),
        # 父母 is a 近亲属
        personal_account_payable=True,
    )


def test_newborn_exemption_is_for_the_birth_year_only():
    entries = [entry(2026, paid_on="2026-11-01", concentrated=False),
               entry(2027, paid_on="2027-02-10", concentrated=False)]
    data = person(entries=entries, birth_date="2026-10-08")
    # 2027 is not the birth year; no break; late -> fixed 3;
    # later of 2027-01 and 2027-02 is 2027-02; + 3 -> 2027-05-01
    check(run(data, date(2027, 6, 1)), continuous_years=2, break_years=0,
          waiting_period_months=3, benefit_start_date=date(2027, 5, 1))


# ------------------------------------------------------------------ students (一(一))
def student_record(entry_year=2025, program_years=4, lump_sum_paid=True):
    data = person(years=yrs(2016, 2030), employment="student")
    data["student"] = {"entry_year": entry_year, "program_years": program_years,
                       "lump_sum_paid": lump_sum_paid}
    return data


@pytest.mark.parametrize("year, due", [
    # entry 2025, 4 years, lump sum paid: 2025 <= Y < 2029 -> 0
    # ("按照入学当年缴费标准趸缴医保费,学制年度内调整个人缴费标准的,个人不再补缴")
    (2025, D(0)),
    (2027, D(0)),
    (2028, D(0)),     # the last program year: 2028 < 2025 + 4
    (2029, D(400)),   # after the program: 2029 >= 2029 -> the 2029 standard, 400 元
    (2030, D(400)),
])
def test_student_premium_by_program_year(year, due):
    check(run(student_record(), date(year, 6, 1)), student_premium_due=due)


def test_student_before_the_entry_year_owes_the_standard():
    # entry 2026: Y = 2025 < 2026 is not a program year -> the 2025 standard, 400 元
    check(run(student_record(entry_year=2026), date(2025, 6, 1)), student_premium_due=D(400))


def test_student_without_the_lump_sum_owes_the_standard():
    # lump_sum_paid false: within the program but nothing prepaid -> the 2025 standard, 400 元
    check(run(student_record(lump_sum_paid=False), date(2025, 6, 1)), student_premium_due=D(400))


def test_student_premium_does_not_concern_a_person_without_a_student_entry():
    # no `student` (default none): 按学制参保 does not concern them -> not applicable
    data = person(years=yrs(2016, 2025))
    assert "student" not in data
    check_not_applicable(run(data, date(2025, 6, 1)), "student_premium_due")
    # employment: student without a `student` entry is not paying by program length either
    data = person(years=yrs(2016, 2025), employment="student")
    check_not_applicable(run(data, date(2025, 6, 1)), "student_premium_due")


def test_student_rule_is_no_answer_before_2025():
    # the draft (2025) says nothing about benefit years before 2025: a located error
    # (student_rule_first_year not in force), never 0 or the 2024 standard
    result = run(student_record(entry_year=2023), date(2024, 6, 1))
    check_errors(result, student_premium_due="E501")


def test_student_new_entrant_waits_when_paying_at_entry():
    # the example student: paid the 2025 year at entry (2025-09-12), outside the
    # concentrated period, no break -> 3 months; 2025-09 + 3 -> 2025-12-01; premium due 0
    record, _ = load_record(sichuan(), ROOT / "examples" / "sichuan" / "student-by-program.yaml")
    result = evaluate(sichuan(), record, date(2025, 11, 1), None)
    check(result, waiting_period_months=3, benefit_start_date=date(2025, 12, 1),
          student_premium_due=D(0))


# ------------------------------------------------------------------ retroactive benefits
@pytest.mark.parametrize("years", [yrs(2016, 2027), [*yrs(2016, 2024), 2027]])
def test_benefits_are_never_retroactive(years):
    # "断保期间的医保待遇不予追溯": false, with or without a break
    check(run(person(years=years), date(2027, 6, 1)), retroactive_benefits=False)


# ------------------------------------------------------------------ province-wide cap, scope
def test_cap_is_the_same_in_every_sichuan_region():
    # "全省...统一设置为30万元": 成都 and 凉山 alike; I1 2025..2027 = 12000, I2 2025, 2026 = 8000
    # 300000 + min(20000, 60000) = 320000
    for region in (CHENGDU, LIANGSHAN):
        check(run(person(years=yrs(2016, 2027), region=region), date(2027, 6, 1)),
              critical_illness_cap=D(320000))


def test_person_insured_outside_sichuan_has_no_sichuan_cap():
    result = run(person(years=yrs(2016, 2027), region=NANCHANG), date(2027, 6, 1))
    # the original cap is Sichuan's only: no case of original_critical_illness_cap applies
    check_errors(result, critical_illness_cap="E541")
    # what does not need the cap is still computed: 2025..2027 streak > 4 -> 3 x 4000
    check(result, continuous_incentive=D(12000), waiting_period_months=0)


def test_person_not_insured_in_the_benefit_year():
    result = run(person(years=yrs(2016, 2026)), date(2027, 6, 1))
    # no 2027 entry: the resident scheme's waiting period, start date and cap do not
    # concern this person -> not applicable (neither a value nor an error)
    check_not_applicable(result, "waiting_period_months", "benefit_start_date",
                         "critical_illness_cap")
    # streak ending at 2027 is 0; 2026 insured -> no break years; not enrolled -> no subsidy
    check(result, continuous_years=0, break_years=0, local_subsidy_eligible=False)


# ------------------------------------------------------------------ before the mechanism
def test_as_of_before_2025_is_an_error_for_the_mechanism():
    result = run(person(years=yrs(2016, 2024)), date(2024, 12, 20))
    # incentive_step, mechanism_start_year, the waiting parameters, the province cap, the
    # non-retroactivity rule and the student rule are in force from 2025-01-01 only:
    # errors, never a silent 0 or false
    check_errors(result, **dict.fromkeys(
        ["break_years", "continuous_incentive", "zero_claim_incentive", "break_penalty",
         "critical_illness_cap", "waiting_period_months", "benefit_start_date",
         "retroactive_benefits"], "E501"))
    # no `student` entry: 按学制参保 does not concern this person in any year
    check_not_applicable(result, "student_premium_due")
    # continuous_years reads no parameter: 2016..2024 -> 9 (years before 2025 count)
    check(result, continuous_years=9)


# ------------------------------------------------------------------ enrollment rules 一(一), 一(二)
@pytest.mark.parametrize("employment, expected", [
    ("employee", True),             # 取消在就业地参加基本医保的户籍限制
    ("flexible", True),             # 灵活就业人员、农民工、新就业形态从业人员在就业地参保
    ("student", False),
    ("unemployed_benefit", False),
    ("none", False),
])
def test_employee_enrollment_open(employment, expected):
    data = person(years=yrs(2016, 2027), hukou="四川省达州市", employment=employment)
    check(run(data, date(2027, 6, 1)), employee_enrollment_open=expected)


@pytest.mark.parametrize("permit, expected", [
    (True, True),     # 切实落实持居住证参保政策
    (False, False),   # other hukou, no permit
])
def test_local_subsidy_eligible(permit, expected):
    data = person(years=yrs(2016, 2027), hukou="四川省达州市", residence_permit=permit)
    check(run(data, date(2027, 6, 1)), local_subsidy_eligible=expected)


@pytest.mark.parametrize("field, value, output, expected", [
    # 从失业保险基金中支付领取失业保险金人员的职工医保费
    ("employment", "unemployed_benefit", "premium_paid_by_unemployment_fund", True),
    ("employment", "flexible", "premium_paid_by_unemployment_fund", False),
    # 近亲属 (the text lists none; the national list is kept)
    ("payer_relation", "配偶", "personal_account_payable", True),
    ("payer_relation", "外孙子女", "personal_account_payable", True),
    ("payer_relation", "朋友", "personal_account_payable", False),
])
def test_financing_rules(field, value, output, expected):
    data = person(years=yrs(2016, 2027), **{field: value})
    check(run(data, date(2027, 6, 1)), **{output: expected})


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


def test_long_continuous_example_below_the_limit():
    record, _ = load_record(sichuan(), ROOT / "examples" / "sichuan" / "long-continuous.yaml")
    # 2031: I1 2025..2031 = 7 x 4000 = 28000, I2 2025..2030 = 6 x 4000 = 24000;
    # 52000 < 60000 -> 352000
    check(evaluate(sichuan(), record, date(2031, 3, 1), None), critical_illness_cap=D(352000))


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


# ------------------------------------------------------------------ revised readings (N)
@pytest.mark.parametrize("birth_date, expected", [
    ("2015-03-01", True),    # 12 on 2027-06-01: 学龄前儿童/中小学生 may enrol where they live
    ("2009-06-01", False),   # 18 on 2027-06-01 (the birthday itself): an adult needs a permit
    ("2009-06-02", True),    # 17 until 2027-06-02
])
def test_a_child_from_elsewhere_is_subsidised_where_it_lives(birth_date, expected):
    # hukou 绵阳, living and insured in 成都, no residence permit, not a student
    data = person(years=yrs(2016, 2027), region=CHENGDU, hukou="四川省绵阳市",
                  residence=CHENGDU, residence_permit=False, birth_date=birth_date,
                  enrollment_known_from=2016)
    check(run(data, date(2027, 6, 1)), local_subsidy_eligible=expected)


def test_an_employee_scheme_year_earns_no_sichuan_incentive():
    # resident 2016..2025, employee 2026, resident 2027 (成都)
    data = person(years=[*yrs(2016, 2025), 2027], region=CHENGDU,
                  entries=[{"year": 2026, "scheme": "employee", "region": CHENGDU,
                            "paid_on": "2025-12-10", "concentrated": True}])
    result = run(data, date(2027, 6, 1))
    # streak 2016..2027 = 12 (the employee year keeps it); I1: 2025 and 2027 resident with
    # streak > 4 -> 2 x 4000 = 8000; I2: 2025 resident zero-claim -> 4000 (2026 employee: no)
    # cap = 300000 + min(12000, 60000) = 312000
    check(result, continuous_years=12, continuous_incentive=D(8000),
          zero_claim_incentive=D(4000), critical_illness_cap=D(312000))
