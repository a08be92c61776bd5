"""Scenario tests for 锡政办发〔2019〕73号 (policies/wuxi-2019-73.policy) that are not plain
data.

The scenarios that are one record, one date and the expected outputs are YAML suites, run
by `yibao test` and by pytest: tests/suites/wuxi-pooling.test.yaml (the dated regimes),
wuxi-citywide-card.test.yaml (who has the 一卡通用 card) and wuxi-deficit.test.yaml (who
covers a county's deficit, 三(三)).  What stays here: a reading of the policy changed by one
parameter (a child policy written by the test), and the example files' record kinds (only
the outputs of the record's kind are computed; a person output cannot be asked of a fund
year) -- checks a suite cannot express.

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

from .builders import check, check_not_applicable

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "wuxi"
D = Decimal
date = dt.date

PERSON_OUTPUTS = {"pooling_level", "unified_contribution", "unified_benefits",
                  "unified_maternity_benefits", "citywide_card"}
FUND_OUTPUTS = {"deficit_covered_by"}

JIANGYIN = "江苏省无锡市江阴市"

COUNTY_GOVT = "市(县)政府"   # records.md value; the policy names the member 市县政府


# ------------------------------------------------------------------ helpers
@lru_cache(maxsize=None)
def wuxi():
    return load_policy(ROOT / "policies" / "wuxi-2019-73.policy")


def fund(region=JIANGYIN, year=2021, plan=True, subsidy=True, contribution=True,
         deficit="1200000.00", surplus="5000000.00"):
    return {"id": "WX-FUND-TEST", "kind": "fund_year", "region": region, "year": year,
            "plan_completed": plan, "subsidy_in_place": subsidy,
            "contribution_policy_executed": contribution,
            "deficit": deficit, "city_surplus_available": surplus}


def run_fund(data, on=date(2023, 3, 1), policy=None):
    policy = policy or wuxi()
    record = record_from(policy, data, "scenario")
    assert record["kind"] == "fund_year"               # picked by the data's kind: fund_year
    return evaluate(policy, record, on)


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
    # 宜兴 2023, deficit 0 -> nothing to cover (see "no deficit is not applicable" in
    # tests/suites/wuxi-deficit.test.yaml)
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
