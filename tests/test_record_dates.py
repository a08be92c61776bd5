"""Entries dated after the evaluation date are evaluated as recorded, with a warning naming
each one (R480): a premium paid in the future never counts silently."""
import datetime as dt
from pathlib import Path

from yibao.interpreter.api import evaluate, load_policy, load_record, record_from
from yibao.interpreter.render_diagnostics import render_all

ROOT = Path(__file__).resolve().parent.parent

RECORD = """id: F1
birth_date: 1990-01-01
hukou: 江西省南昌市
residence: 江西省南昌市
employment: none
enrollment:
  - {year: 2026, scheme: resident, region: 江西省南昌市, paid_on: 2025-12-01, concentrated: true}
  - {year: 2027, scheme: resident, region: 江西省南昌市, paid_on: 2027-07-01, concentrated: false}
"""


def _jiangxi():
    return load_policy(ROOT / "policies" / "jiangxi-2024-34.policy")


def test_a_payment_after_the_evaluation_date_is_warned_and_still_counts(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text(RECORD, encoding="utf-8")
    policy = _jiangxi()
    record, _ = load_record(policy, path)
    result = evaluate(policy, record, dt.date(2027, 6, 1), outputs=["continuous_years"])
    # the 2027 entry (paid 2027-07-01) is counted: 2026 and 2027 -> 2
    assert result.values["continuous_years"] == 2
    (warning,) = result.warnings
    assert (warning.code, warning.severity) == ("R480", "warning")
    # located at the value, line 8 column 61 of the file
    assert (warning.span.line, warning.span.column) == (8, 61)
    text = render_all([warning], "en", {})
    assert "enrollment[1].paid_on" in text and "2027-07-01" in text and "2027-06-01" in text
    assert "晚于评估日期 2027-06-01" in render_all([warning], "zh", {})


def test_no_warning_on_or_before_the_date(tmp_path):
    policy = _jiangxi()
    data = {"id": "F2", "birth_date": "1990-01-01", "hukou": "江西省南昌市",
            "residence": "江西省南昌市", "employment": "none",
            "enrollment": [{"year": 2027, "scheme": "resident", "region": "江西省南昌市",
                            "paid_on": "2027-06-01", "concentrated": False}]}
    record = record_from(policy, data)
    assert evaluate(policy, record, dt.date(2027, 6, 1)).warnings == []
    later = evaluate(policy, record, dt.date(2027, 5, 31))
    assert [w.code for w in later.warnings] == ["R480"]
    assert later.warnings[0].data_path == "enrollment[0].paid_on"
