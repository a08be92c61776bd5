"""`yibao explain` of any rule with its arguments, the day each dated value was read at,
and the warnings about entries dated after --on."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from yibao import cli

ROOT = Path(__file__).resolve().parent.parent
JIANGXI = str(ROOT / "policies" / "jiangxi-2024-34.policy")
REGIONS = str(ROOT / "examples" / "regions.yaml")
QINGDAO = str(ROOT / "examples" / "jiangxi" / "qingdao-case.yaml")
LONG = str(ROOT / "examples" / "jiangxi" / "long-continuous.yaml")


def explain(target, record=QINGDAO, on="2027-06-01", *extra):
    return CliRunner().invoke(cli.main, ["explain", JIANGXI, record, target, "--on", on,
                                         "--regions", REGIONS, *extra])


def test_a_rule_with_an_argument_is_explained():
    # qingdao-case: insured 2016..2024 -> the streak ending at 2024 is 9
    done = explain("streak_at(2024)")
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines()[0].startswith("streak_at(2024) = 9  — 截至该年度的连续参保年数")
    # 2025 and 2026 are not insured: the streak ending at 2026 is 0
    assert explain("streak_at(2026)").stdout.startswith("streak_at(2026) = 0")
    data = json.loads(explain("insured(2026)", QINGDAO, "2027-06-01", "--format",
                              "json").stdout)
    assert (data["name"], data["args"], data["value"]) == ("insured", [2026], False)


def test_a_rule_without_arguments_is_explained_by_its_name():
    done = explain("first_counted_year")
    assert done.exit_code == 0 and done.stdout.startswith("first_counted_year = 2016")


@pytest.mark.parametrize("target, code", [
    ("streak_at()", "C615"),             # one argument missing
    ("streak_at(2024, 2025)", "C615"),
    ("streak_at(abc)", "C616"),          # not a whole number
    ("streak_at(2024", "C618"),          # not a call
    ("streka_at(2024)", "C603"),         # no such rule
    ("same_pooling_region(1)", "C615"),
])
def test_a_target_that_cannot_be_read_is_refused(target, code):
    done = explain(target)
    assert done.exit_code == 2, done.output
    assert f"error[{code}]" in done.output
    assert "Traceback" not in done.output


def test_a_dated_value_read_at_another_day_says_so():
    # long-continuous: I1 years 2025..2028 are priced at the step on 1 January of each
    done = explain("continuous_incentive", LONG, "2028-06-01")
    lines = [l for l in done.stdout.splitlines() if "incentive_step = 3000.00" in l]
    days = sorted(l.split("value on ")[1][:10] for l in lines)
    assert days == ["2025-01-01", "2026-01-01", "2027-01-01", "2028-01-01"]
    zh = explain("continuous_incentive", LONG, "2028-06-01", "--lang", "zh").stdout
    assert "取 2025-01-01 的值:自 2025-01-01 起" in zh


def test_eval_warns_about_entries_paid_after_the_date():
    # long-continuous has entries for 2029 (paid 2028-12-05) and 2030 (paid 2029-12-05)
    done = CliRunner().invoke(cli.main, ["eval", JIANGXI, LONG, "--on", "2028-06-01",
                                         "--regions", REGIONS])
    assert done.exit_code == 0
    assert done.stderr.count("warning[R480]") == 2
    assert "enrollment[13].paid_on" in done.stderr and "2028-12-05" in done.stderr


@pytest.mark.parametrize("target, words", [
    ("streak_at()", "需要 1 个参数"),
    ("streak_at(abc)", "不是 int 类型的值"),
    ("streak_at(2024", "无法把 'streak_at(2024' 读作输出或规则调用"),
])
def test_the_refusals_are_worded_in_chinese_too(target, words):
    done = explain(target, QINGDAO, "2027-06-01", "--lang", "zh")
    assert done.exit_code == 2 and words in done.output


def test_an_argument_that_cannot_be_written_is_refused_with_the_way_round():
    shandong = str(ROOT / "policies" / "shandong-2024-assistance.policy")
    record = str(ROOT / "examples" / "shandong" / "two-identities.yaml")
    regions = str(ROOT / "examples" / "shandong" / "regions.yaml")
    for lang, words in (("en", "cannot be written on the command line"),
                        ("zh", "无法在命令行中写出")):
        done = CliRunner().invoke(cli.main, ["--lang", lang, "explain", shandong, record,
                                             "identity_counts(x)", "--on", "2026-06-01",
                                             "--regions", regions])
        assert done.exit_code == 2 and "C617" in done.output and words in done.output


def test_an_expect_block_with_a_bad_not_applicable_is_refused_in_both_languages(tmp_path):
    from yibao.interpreter.api import expectations
    from yibao.interpreter.diagnostics import DiagnosticError
    from yibao.interpreter.render_diagnostics import message

    record = tmp_path / "p.yaml"
    record.write_text("id: P1\nbirth_date: 1990-05-01\nexpect:\n  policy: x\n  on: 2027-06-01\n"
                      "  not_applicable: cap\n", encoding="utf-8")
    with pytest.raises(DiagnosticError) as caught:
        expectations(record)
    (diag,) = caught.value.diagnostics
    assert diag.code == "R479" and diag.span.line == 6
    assert "not_applicable lists" in message(diag, "en")
    assert "不适用的输出名称" in message(diag, "zh")
