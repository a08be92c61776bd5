"""The `yibao` command line (cli.py).

Three groups of tests:
- argument handling that needs no interpreter (help, dates, missing files, languages);
- the commands' output and exit codes against a stand-in for interpreter/api.py, so the
  table, JSON and tree rendering and the error paths are pinned down independently of the
  evaluator;
- end to end on real policies (a small policy written here, the shipped national template
  and the Jiangxi examples).
"""
from __future__ import annotations

import datetime as dt
import importlib.resources
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from yibao import cli
from yibao.interpreter import types as T
from yibao.interpreter.diagnostics import Diagnostic, DiagnosticError
from yibao.interpreter.explanation import CaseOutcome, ExplainNode
from yibao.interpreter.formatting import display_width

REPO = Path(__file__).resolve().parent.parent
NATIONAL = REPO / "policies" / "national-2024-38.policy"
JIANGXI = REPO / "policies" / "jiangxi-2024-34.policy"
REGIONS = REPO / "examples" / "regions.yaml"
JIANGXI_EXAMPLES = sorted((REPO / "examples" / "jiangxi").glob("*.yaml"))


def run(*args, env=None):
    return CliRunner().invoke(cli.main, [str(a) for a in args], env=env)


@pytest.fixture
def files(tmp_path):
    """A policy, record and region file that exist (their contents do not matter here)."""
    policy = tmp_path / "p.policy"
    record = tmp_path / "r.yaml"
    regions = tmp_path / "regions.yaml"
    for f in (policy, record, regions):
        f.write_text("x\n", encoding="utf-8")
    return SimpleNamespace(policy=policy, record=record, regions=regions, dir=tmp_path)


# ------------------------------------------------------------------ help and arguments
@pytest.mark.parametrize("command, expected", [
    ([], ["check", "eval", "explain", "--lang", "Exit codes"]),
    (["check"], ["PATH...", "recursively"]),
    (["eval"], ["POLICY RECORD", "--on DATE", "--regions FILE", "[table|json]"]),
    (["explain"], ["POLICY RECORD OUTPUT", "--on DATE", "[text|json]"]),
])
def test_help(command, expected):
    result = run(*command, "--help")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Usage:")
    for text in expected:
        assert text in result.stdout


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("yibao ")


@pytest.mark.parametrize("value", ["2025-13-01", "2025-02-30", "tomorrow", "20250101", ""])
def test_bad_on_date(files, value):
    result = run("eval", files.policy, files.record, "--on", value)
    assert result.exit_code == 2
    assert "--on" in result.stderr
    assert f"'{value}'" in result.stderr
    assert "YYYY-MM-DD" in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output


def test_bad_on_date_in_explain(files):
    result = run("explain", files.policy, files.record, "x", "--on", "June 1")
    assert result.exit_code == 2
    assert "--on" in result.stderr and "'June 1'" in result.stderr


def test_missing_on_is_a_usage_error(files):
    result = run("eval", files.policy, files.record)
    assert result.exit_code == 2
    assert "--on" in result.stderr


@pytest.mark.parametrize("which", ["policy", "record", "regions"])
def test_missing_file_is_named(files, which):
    missing = files.dir / f"missing-{which}.yaml"
    paths = {"policy": files.policy, "record": files.record, "regions": files.regions}
    paths[which] = missing
    result = run("eval", paths["policy"], paths["record"], "--on", "2027-06-01",
                 "--regions", paths["regions"])
    assert result.exit_code == 2
    assert str(missing) in result.stderr
    assert {"policy": "policy file", "record": "record file",
            "regions": "region file"}[which] in result.stderr
    assert "Traceback" not in result.output


def test_every_missing_file_is_reported_at_once(files):
    result = run("explain", files.dir / "a.policy", files.dir / "b.yaml", "x",
                 "--on", "2027-06-01")
    assert result.exit_code == 2
    assert "a.policy" in result.stderr and "b.yaml" in result.stderr


def test_directory_given_as_a_file(files):
    result = run("eval", files.dir, files.record, "--on", "2027-06-01")
    assert result.exit_code == 2
    assert "directory" in result.stderr


def test_check_missing_path(tmp_path):
    result = run("check", tmp_path / "nope.policy")
    assert result.exit_code == 2
    assert "nope.policy" in result.stderr


def test_messages_in_chinese(files):
    as_group_option = run("--lang", "zh", "eval", files.policy, files.record, "--on", "2025-02-30")
    from_env = run("eval", files.policy, files.record, "--on", "2025-02-30",
                   env={"YIBAO_LANG": "zh"})
    after_command = run("eval", files.policy, files.record, "--on", "2025-02-30", "--lang", "zh")
    for result in (as_group_option, from_env, after_command):
        assert result.exit_code == 2
        assert "错误[C602]" in result.stderr
        assert "不是日期" in result.stderr
    english = run("eval", files.policy, files.record, "--on", "2025-02-30")
    assert "error[C602]" in english.stderr and "不是日期" not in english.stderr


def test_missing_file_in_chinese(files):
    result = run("--lang", "zh", "eval", files.dir / "none.policy", files.record,
                 "--on", "2027-06-01")
    assert result.exit_code == 2
    assert "找不到政策文件" in result.stderr and "none.policy" in result.stderr


def test_unknown_language_is_a_usage_error(files):
    result = run("--lang", "fr", "check", files.policy)
    assert result.exit_code == 2


# ------------------------------------------------------------------ against a stand-in API
CATEGORY = T.EnumTy("Category", ("全额资助", "定额资助"))
FAKE_OUTPUTS = {
    # name: (type, label, value)
    "continuous_years": (T.INT, "连续参保年数", 6),
    "critical_illness_cap": (T.MONEY, "大病保险最高支付限额", Decimal("306000")),
    "share": (T.PERCENT, "比例", Decimal("0.2")),
    "benefit_start_date": (T.DATE, "待遇享受起始日", dt.date(2027, 4, 1)),
    "assistance_category": (CATEGORY, "资助类别", "全额资助"),
    "personal_account_payable": (T.BOOL, None, False),
    "subsidy_region": (T.OptionalTy(T.TEXT), "资助标准所依据的身份认定地", None),
}


class FakeEvalError(Exception):
    def __init__(self, diagnostic):
        super().__init__(diagnostic.code)
        self.diagnostic = diagnostic


class FakePolicy:
    policy_id = "fake-policy"
    default_kind = "person"
    sources: dict = {}

    def __init__(self, warnings=()):
        self.outputs = list(FAKE_OUTPUTS)
        self.warnings = list(warnings)

    def output_type(self, name):
        return FAKE_OUTPUTS[name][0]

    def outputs_for(self, kind):
        return list(self.outputs) if kind == self.default_kind else []

    def output_label(self, name):
        return FAKE_OUTPUTS[name][1]


def fake_api(*, failing=(), record_warnings=(), record_error=None, crash=None,
             check_result=None):
    calls = {}

    def load_record(policy, path):
        if record_error is not None:
            raise record_error
        return {"id": "X"}, list(record_warnings)

    def evaluate(policy, record, as_of, regions=None, outputs=None, explain=False):
        calls["evaluate"] = dict(as_of=as_of, regions=regions, outputs=outputs, explain=explain)
        if crash is not None:
            raise crash
        names = outputs or policy.outputs
        values = {n: FAKE_OUTPUTS[n][2] for n in names if n not in failing}
        errors = {n: FakeEvalError(Diagnostic.error("E501", None, rule=n, field="enrollment"))
                  for n in names if n in failing}
        trees = {}
        if explain:
            for n in names:
                trees[n] = ExplainNode(
                    "output", n, values.get(n), str(FAKE_OUTPUTS[n][0]),
                    label=FAKE_OUTPUTS[n][1], cite="第三条", document="测试〔2024〕1号",
                    case=f"{n}#exempt",
                    cases=[CaseOutcome(n, None, None, True),
                           CaseOutcome(f"{n}#exempt", "免除", "第三条第二款", True)],
                    children=[ExplainNode("parameter", "base", Decimal("3000"), "money",
                                          label="基数", since=dt.date(2027, 6, 1))])
        return SimpleNamespace(values=values, errors=errors, trees=trees, not_applicable={})

    def check_paths(paths):
        calls["check_paths"] = paths
        return check_result

    api = SimpleNamespace(
        load_policy=lambda path: FakePolicy(),
        load_record=load_record,
        load_regions=lambda path, policy=None: {"regions": str(path)},
        evaluate=evaluate,
        check_paths=check_paths,
    )
    return api, calls


@pytest.fixture
def use_api(monkeypatch):
    def install(**kwargs):
        api, calls = fake_api(**kwargs)
        monkeypatch.setattr(cli, "_api", lambda: api)
        return calls
    return install


def test_eval_json_shape(files, use_api):
    calls = use_api()
    result = run("eval", files.policy, files.record, "--on", "2027-06-01",
                 "--regions", files.regions, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == list(FAKE_OUTPUTS)            # every output, in the policy's order
    assert data == {
        "continuous_years": 6,
        "critical_illness_cap": "306000.00",
        "share": "20%",
        "benefit_start_date": "2027-04-01",
        "assistance_category": "全额资助",
        "personal_account_payable": False,
        "subsidy_region": None,
    }
    assert "全额资助" in result.stdout                   # not \u-escaped
    assert calls["evaluate"]["as_of"] == dt.date(2027, 6, 1)
    assert calls["evaluate"]["regions"] == {"regions": str(files.regions)}
    assert calls["evaluate"]["explain"] is False


def test_eval_without_regions_passes_none(files, use_api):
    calls = use_api()
    result = run("eval", files.policy, files.record, "--on", "2027-06-01", "--format", "json")
    assert result.exit_code == 0
    assert calls["evaluate"]["regions"] is None


def test_eval_outputs_that_fail(files, use_api):
    use_api(failing=("critical_illness_cap",))
    result = run("eval", files.policy, files.record, "--on", "2027-06-01", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert "critical_illness_cap" not in data
    assert data["continuous_years"] == 6
    assert "E501" in result.stderr


def test_eval_table(files, use_api):
    use_api(failing=("share",))
    result = run("eval", files.policy, files.record, "--on", "2027-06-01")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["output", "label", "value"]
    rows = {line.split()[0]: line for line in lines[2:]}
    assert set(rows) == set(FAKE_OUTPUTS)
    assert rows["critical_illness_cap"].endswith("306000.00")
    assert rows["assistance_category"].endswith("全额资助")
    assert rows["personal_account_payable"].endswith("false")
    assert rows["share"].endswith("(error E501)")
    assert rows["subsidy_region"].endswith("none")
    # the label and value columns start at the same display column on every line,
    # Chinese characters counting two
    value_columns = set()
    label_columns = set()
    for name, (_, label, _) in FAKE_OUTPUTS.items():
        line = rows[name]
        value_start = line.rindex("  ") + 2
        value_columns.add(display_width(line[:value_start]))
        if label:
            label_columns.add(display_width(line[:line.index(label)]))
    assert len(value_columns) == 1 and len(label_columns) == 1
    header_value = display_width(lines[0][:lines[0].index("value")])
    assert value_columns == {header_value}


def test_eval_table_in_chinese(files, use_api):
    use_api()
    result = run("--lang", "zh", "eval", files.policy, files.record, "--on", "2027-06-01")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split() == ["输出", "名称", "值"]


def test_warnings_go_to_stderr(files, use_api):
    use_api(record_warnings=[Diagnostic.warning("R499", None, file=str(files.record),
                                                data_path="favourite_colour")])
    result = run("eval", files.policy, files.record, "--on", "2027-06-01", "--format", "json")
    assert result.exit_code == 0
    assert "favourite_colour" in result.stderr and "warning[R499]" in result.stderr
    json.loads(result.stdout)                      # stdout is nothing but the JSON


def test_record_that_does_not_load(files, use_api):
    error = DiagnosticError([Diagnostic.error("R401", None, file=str(files.record),
                                              data_path="birth_date")])
    use_api(record_error=error)
    result = run("eval", files.policy, files.record, "--on", "2027-06-01")
    assert result.exit_code == 2
    assert "error[R401]" in result.stderr and "birth_date" in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output


def test_internal_error_exit_code(files, use_api):
    use_api(crash=ZeroDivisionError("boom"))
    result = run("eval", files.policy, files.record, "--on", "2027-06-01")
    assert result.exit_code == 3
    assert "internal error" in result.stderr and "ZeroDivisionError" in result.stderr


def test_explain_tree(files, use_api):
    calls = use_api()
    result = run("explain", files.policy, files.record, "critical_illness_cap",
                 "--on", "2027-06-01")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == ("critical_illness_cap = 306000.00  — 大病保险最高支付限额  "
                        "[测试〔2024〕1号 第三条]")
    assert any("✓ exception exempt  — 免除  [第三条第二款]" in l for l in lines)
    assert any("○ base case" in l for l in lines)
    assert lines[-1] == "└─ base = 3000.00  — 基数  (from 2027-06-01)"
    assert calls["evaluate"]["outputs"] == ["critical_illness_cap"]
    assert calls["evaluate"]["explain"] is True


def test_explain_json(files, use_api):
    use_api()
    result = run("explain", files.policy, files.record, "benefit_start_date",
                 "--on", "2027-06-01", "--format", "json")
    assert result.exit_code == 0
    tree = json.loads(result.stdout)
    assert tree["name"] == "benefit_start_date" and tree["value"] == "2027-04-01"
    assert tree["case"] == "benefit_start_date#exempt"
    assert tree["children"][0]["value"] == "3000.00"


def test_explain_unknown_output(files, use_api):
    use_api()
    result = run("explain", files.policy, files.record, "critical_ilness_cap",
                 "--on", "2027-06-01")
    assert result.exit_code == 2
    assert "critical_ilness_cap" in result.stderr
    assert "did you mean 'critical_illness_cap'?" in result.stderr
    for name in FAKE_OUTPUTS:                        # the outputs are listed
        assert name in result.stderr
    assert result.stdout == ""


def test_explain_unknown_output_in_chinese(files, use_api):
    use_api()
    result = run("--lang", "zh", "explain", files.policy, files.record, "continuous_yeras",
                 "--on", "2027-06-01")
    assert result.exit_code == 2
    assert "未知的输出" in result.stderr and "'continuous_years'" in result.stderr


def test_explain_output_that_fails(files, use_api):
    use_api(failing=("continuous_years",))
    result = run("explain", files.policy, files.record, "continuous_years", "--on", "2027-06-01")
    assert result.exit_code == 1
    assert "E501" in result.stderr


def test_check_exit_codes(files, use_api):
    error = Diagnostic.error("Y107", None, file=str(files.policy), name="sharee")
    warning = Diagnostic.warning("Y150", None, file=str(files.policy))
    use_api(check_result=([error, warning], {}, 1))
    result = run("check", files.policy)
    assert result.exit_code == 1
    assert "error[Y107]" in result.stderr and "warning[Y150]" in result.stderr
    assert "1 error(s), 1 warning(s)" in result.stdout

    use_api(check_result=([warning], {}, 3))
    result = run("check", files.dir)
    assert result.exit_code == 0
    assert "checked 3 file(s): 0 error(s), 1 warning(s)" in result.stdout

    use_api(check_result=([], {}, 0))
    result = run("check", files.dir)
    assert result.exit_code == 2
    assert "no policy files" in result.stderr


# ------------------------------------------------------------------ the installed package
def test_grammar_ships_as_package_data():
    resource = importlib.resources.files("yibao.grammar").joinpath("yibao.lark")
    assert resource.is_file()
    from yibao.grammar import grammar_text

    assert "start:" in grammar_text()


@pytest.mark.skipif(not os.environ.get("YIBAO_EXPECT_INSTALLED"),
                    reason="only under .ci/run, which installs the package non-editable")
def test_tests_import_the_installed_package():
    from yibao import grammar
    from yibao import interpreter

    for module in (cli, interpreter, grammar):
        location = Path(module.__file__).resolve()
        assert REPO not in location.parents, f"{module.__name__} imported from the checkout"
        assert "site-packages" in location.parts


def test_nothing_is_installed_outside_the_yibao_namespace():
    """`cli`, `interpreter` and `grammar` are common names: installed at the top of
    site-packages they would clash with other distributions."""
    from importlib.metadata import files

    tops = {Path(str(f)).parts[0] for f in files("yibao") or ()
            if not str(f).startswith(("yibao-", "__editable__", "../"))}
    assert tops <= {"yibao", "__pycache__"}, tops


def _console_script():
    candidate = Path(sys.executable).parent / "yibao"
    return candidate if candidate.exists() else None


@pytest.mark.skipif(_console_script() is None,
                    reason="the yibao console script is not installed beside this Python")
def test_console_script_runs(tmp_path):
    done = subprocess.run([str(_console_script()), "--help"], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "explain" in done.stdout


# ------------------------------------------------------------------ end to end
MINI_POLICY = """\
policy cli-test-1 {
  title "命令行测试政策"
  document "测试〔2024〕1号"
  issuer "测试"
  region "全国"
  status draft
}

enum Category "资助类别" {
  全额资助 "全额资助"
  定额资助 "定额资助"
}

record Enrollment "参保记录" {
  region: text "参保地"
}

input person {
  id: text "人员编号"
  birth_date: date "出生日期"
  enrollment: history of Enrollment "参保记录"
  paid: money "已缴保费" default 0 元
}

parameter subsidy_share: percent {
  label "资助比例"
  cite "第一条"
  from 2020-01-01: 20%
}

parameter base: money {
  label "资助基数"
  cite "第二条"
  from 2020-01-01: 3000 元
}

output amount: money {
  label "资助金额"
  cite "第三条"
  = base * subsidy_share
}

output rate: percent {
  label "资助比例"
  cite "第一条"
  = subsidy_share
}

output born: date {
  label "出生日期"
  cite "第四条"
  = birth_date
}

output age_years: int {
  label "年龄(按年度)"
  cite "第四条"
  = benefit_year - year(birth_date)
}

output category: Category {
  label "资助类别"
  cite "第五条"
  = 定额资助
  exception paid_in_full {
    label "已缴保费"
    cite "第五条第二款"
    when paid > 0 元
    = 全额资助
  }
}

output insured_now: bool {
  label "本年度参保"
  cite "第六条"
  = exists enrollment[benefit_year]
}
"""

MINI_RECORD = """\
id: T-1
birth_date: 1990-05-01
enrollment:
  - year: 2027
    region: 江西省南昌市
paid: 380
"""


@pytest.fixture
def mini(tmp_path):
    policy = tmp_path / "cli-test-1.policy"
    policy.write_text(MINI_POLICY, encoding="utf-8")
    record = tmp_path / "person.yaml"
    record.write_text(MINI_RECORD, encoding="utf-8")
    return SimpleNamespace(policy=policy, record=record, dir=tmp_path)


def test_check_shipped_policies():
    result = run("check", REPO / "policies")
    assert result.exit_code == 0, result.output
    count = len(list((REPO / "policies").rglob("*.policy")))
    assert f"checked {count} file(s): 0 error(s)" in result.stdout


def test_check_reports_errors_with_place(mini):
    broken = mini.policy.read_text(encoding="utf-8").replace("= base * subsidy_share",
                                                            "= base * subsidy_sharee")
    mini.policy.write_text(broken, encoding="utf-8")
    result = run("check", mini.dir)
    assert result.exit_code == 1
    assert re.search(rf"{re.escape(str(mini.policy))}:\d+:\d+: error\[Y\d+\]", result.stderr)
    assert "subsidy_sharee" in result.stderr
    assert "1 error(s)" in result.stdout


def test_check_directory_without_policies(tmp_path):
    result = run("check", tmp_path)
    assert result.exit_code == 2


def test_explain_unknown_output_on_a_real_policy(mini):
    result = run("explain", mini.policy, mini.record, "amont", "--on", "2027-06-01")
    assert result.exit_code == 2
    assert "did you mean 'amount'?" in result.stderr
    assert "amount, rate, born, age_years, category, insured_now" in result.stderr


def test_eval_json_end_to_end(mini):
    result = run("eval", mini.policy, mini.record, "--on", "2027-06-01", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "amount": "600.00",
        "rate": "20%",
        "born": "1990-05-01",
        "age_years": 37,
        "category": "全额资助",
        "insured_now": True,
    }


def test_eval_table_end_to_end(mini):
    result = run("eval", mini.policy, mini.record, "--on", "2026-06-01")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2 + 6
    rows = {line.split()[0]: line for line in lines[2:]}
    assert rows["amount"].split()[-1] == "600.00"
    assert rows["insured_now"].split()[-1] == "false"     # no enrollment entry for 2026
    assert rows["age_years"].split()[-1] == "36"
    columns = {display_width(row[:row.index(label)])
               for row, label in ((rows["amount"], "资助金额"), (rows["category"], "资助类别"))}
    assert len(columns) == 1


def test_explain_end_to_end(mini):
    result = run("explain", mini.policy, mini.record, "category", "--on", "2027-06-01")
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first == "category = 全额资助  — 资助类别  [测试〔2024〕1号 第五条]"
    assert "exception paid_in_full" in result.stdout


@pytest.mark.skipif(not (JIANGXI.exists() and REGIONS.exists() and JIANGXI_EXAMPLES),
                    reason="the Jiangxi policy and examples are not written yet")
@pytest.mark.parametrize("record", JIANGXI_EXAMPLES or [None],
                         ids=lambda p: p.name if p else "none")
def test_eval_json_on_jiangxi_examples(record):
    result = run("eval", JIANGXI, record, "--on", "2027-06-01", "--regions", REGIONS,
                 "--format", "json")
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    kinds = {
        "continuous_years": int, "break_years": int, "waiting_period_months": int,
        "continuous_incentive": "money", "zero_claim_incentive": "money",
        "break_penalty": "money", "critical_illness_cap": "money",
        "benefit_start_date": "date",
        "employee_enrollment_open": bool, "local_subsidy_eligible": bool,
        "premium_paid_by_unemployment_fund": bool, "personal_account_payable": bool,
    }
    if result.exit_code == 0:
        assert set(kinds) <= set(data)
    else:
        assert result.stderr.strip()
    for name, value in data.items():
        kind = kinds.get(name)
        if value is None:   # not applicable (a record not insured in 2027 has no cap or wait)
            assert name in ("critical_illness_cap", "waiting_period_months",
                            "benefit_start_date"), name
            continue
        if kind == "money":
            assert isinstance(value, str) and re.fullmatch(r"-?\d+\.\d{2}", value), (name, value)
        elif kind == "date":
            assert isinstance(value, str) and dt.date.fromisoformat(value), (name, value)
        elif kind is int:
            assert isinstance(value, int) and not isinstance(value, bool), (name, value)
        elif kind is bool:
            assert isinstance(value, bool), (name, value)


QINGDAO = REPO / "examples" / "jiangxi" / "qingdao-case.yaml"


@pytest.mark.skipif(not (JIANGXI.exists() and REGIONS.exists() and QINGDAO.exists()),
                    reason="the Jiangxi policy or the Qingdao example is not written yet")
def test_readme_example_values():
    """The README's first command, in JSON: the values the example file says to expect."""
    result = run("eval", JIANGXI, QINGDAO, "--on", "2027-06-01", "--regions", REGIONS,
                 "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["continuous_years"] == 1
    assert data["break_years"] == 2
    assert data["break_penalty"] == "6000.00"
    assert data["critical_illness_cap"] == "394000.00"
    assert data["waiting_period_months"] == 4
    assert data["benefit_start_date"] == "2027-05-01"
    assert data["local_subsidy_eligible"] is True


def test_a_fund_year_record_under_a_policy_without_fund_year_outputs_is_refused(at_root):
    result = run("eval", "policies/jiangxi-2024-34.policy",
                 "examples/wuxi/fund-jiangyin-2021-surplus.yaml", "--on", "2021-06-01")
    assert result.exit_code == 2
    assert "E583" in result.output and "fund_year" in result.output


def test_check_strict_fails_on_warnings(at_root):
    path = "tests/golden/policies/y150-unused-rule.policy"   # warnings only, no error
    assert run("check", path).exit_code == 0
    strict = run("check", "--strict", path)
    assert strict.exit_code == 1
    assert "Y150" in strict.output
    assert run("check", "--strict", "policies").exit_code == 0
