"""`yibao params`: every parameter of a policy (its extends chain merged) in force on a date.

The expected values are read from the policy files: the national template
(policies/national-2024-38.policy) sets the waiting period (3 months) and the national
individual premium standard (380 元 from 2023, 400 元 from 2024); Jiangxi
(policies/jiangxi-2024-34.policy) overrides the template's required incentive step with
3000 元 and declares the region parameter critical_illness_base_cap, whose values are in
examples/regions.yaml (江西省南昌市 400000 from 2025; 江西省上饶市 300000, then 320000 from
2027); Sichuan (policies/sichuan-2025.policy) sets the step to 4000 元.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from yibao import cli

REPO = Path(__file__).resolve().parent.parent
NATIONAL = REPO / "policies" / "national-2024-38.policy"
JIANGXI = REPO / "policies" / "jiangxi-2024-34.policy"
SICHUAN = REPO / "policies" / "sichuan-2025.policy"
REGIONS = REPO / "examples" / "regions.yaml"
KEYS = ["name", "label", "type", "value", "since", "cite", "document", "set_in", "region",
        "keys", "status", "first"]


def run(*args):
    return CliRunner().invoke(cli.main, [str(a) for a in args])


def params_json(policy, on, *more) -> list[dict]:
    result = run("params", policy, "--on", on, *more, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def one(rows, name, region=None) -> dict:
    found = [row for row in rows if row["name"] == name and row["region"] == region]
    assert len(found) == 1, (name, region, found)
    return found[0]


def text_row(stdout: str, name: str) -> str:
    """The line of the text table whose first cell is `name`."""
    lines = [line for line in stdout.splitlines() if line.split("  ")[0].strip() == name]
    assert len(lines) == 1, (name, stdout)
    return lines[0]


# ------------------------------------------------------------------ values and where set
def test_jiangxi_values_dates_and_where_each_was_set():
    rows = params_json(JIANGXI, "2025-06-01", "--regions", REGIONS)
    assert all(list(row) == KEYS for row in rows)
    step = one(rows, "incentive_step")
    assert (step["value"], step["type"], step["since"], step["status"]) == \
        ("3000.00", "money", "2025-01-01", "in_force")
    # Required in the template, set by Jiangxi's override: cited from Jiangxi's text.
    assert step["set_in"] == "jiangxi-2024-34"
    assert step["document"] == "赣府厅发〔2024〕34号" and step["cite"].startswith("二(四)")
    waiting = one(rows, "fixed_waiting_months")
    assert (waiting["value"], waiting["type"], waiting["since"]) == (3, "int", "2025-01-01")
    # Set in the template; Jiangxi only amends its citation, which then points into
    # Jiangxi's document.
    assert waiting["set_in"] == "national-2024-38"
    assert waiting["document"] == "赣府厅发〔2024〕34号"
    share = one(rows, "adjustment_limit_share")
    assert (share["value"], share["set_in"]) == ("20%", "national-2024-38")
    relatives = one(rows, "close_relatives")
    assert relatives["type"] == "list of text" and "配偶" in relatives["value"]
    assert all(row["first"] is None for row in rows if row["status"] == "in_force")


def test_the_override_keeps_the_templates_place_in_the_order():
    names = [row["name"] for row in params_json(JIANGXI, "2025-06-01")]
    assert names[0] == "incentive_step"          # the template's first parameter
    assert len(names) == len(set(names))


@pytest.mark.parametrize("on, value, since", [
    ("2023-06-01", "380.00", "2023-01-01"),
    ("2024-06-01", "400.00", "2024-01-01"),
])
def test_the_value_in_force_is_the_one_of_the_date(on, value, since):
    premium = one(params_json(JIANGXI, on), "individual_premium_standard")
    assert (premium["value"], premium["since"], premium["set_in"]) == \
        (value, since, "national-2024-38")


def test_sichuan_sets_its_own_step():
    rows = params_json(SICHUAN, "2025-06-01")
    step = one(rows, "incentive_step")
    assert (step["value"], step["set_in"]) == ("4000.00", "sichuan-2025")
    assert step["document"].startswith("四川省")
    waiting = one(rows, "fixed_waiting_months")
    assert (waiting["value"], waiting["set_in"]) == (3, "national-2024-38")
    assert one(rows, "province_critical_illness_cap")["set_in"] == "sichuan-2025"


def test_text_table_rows():
    result = run("params", JIANGXI, "--on", "2025-06-01")
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0].split()
    assert header == ["parameter", "label", "value", "from", "set", "in", "citation"]
    step = text_row(result.stdout, "incentive_step")
    assert "3000.00" in step and "2025-01-01" in step and "jiangxi-2024-34" in step
    # The citation as explanations write it: the document, then the article.
    assert "赣府厅发〔2024〕34号 二(四)" in step
    waiting = text_row(result.stdout, "fixed_waiting_months")
    assert waiting.split()[:3] == ["fixed_waiting_months", "固定待遇等待期(月)", "3"]
    assert "national-2024-38" in waiting
    premium = text_row(result.stdout, "individual_premium_standard")
    assert "400.00" in premium and "20%" in text_row(result.stdout, "adjustment_limit_share")


# ------------------------------------------------------------------ not in force, unset
def test_a_date_before_the_first_value_shows_not_in_force():
    result = run("params", JIANGXI, "--on", "2024-06-01")
    assert result.exit_code == 0, result.output
    line = text_row(result.stdout, "fixed_waiting_months")
    assert "not in force on 2024-06-01" in line and "2025-01-01" in line
    # Others still have their values: the premium standard of 2024.
    assert "400.00" in text_row(result.stdout, "individual_premium_standard")
    waiting = one(params_json(JIANGXI, "2024-06-01"), "fixed_waiting_months")
    assert (waiting["status"], waiting["value"], waiting["since"], waiting["first"]) == \
        ("not_in_force", None, None, "2025-01-01")


def test_a_templates_required_parameter_is_shown_unset():
    step = one(params_json(NATIONAL, "2025-06-01"), "incentive_step")
    assert (step["status"], step["value"], step["set_in"]) == \
        ("unset", None, "national-2024-38")
    result = run("params", NATIONAL, "--on", "2025-06-01")
    assert "required" in text_row(result.stdout, "incentive_step")


# ------------------------------------------------------------------ region parameters
def test_region_parameters_without_a_region_file():
    cap = one(params_json(JIANGXI, "2025-06-01"), "critical_illness_base_cap")
    assert (cap["status"], cap["value"], cap["set_in"]) == \
        ("region_file", None, "region_file")
    result = run("params", JIANGXI, "--on", "2025-06-01")
    line = text_row(result.stdout, "critical_illness_base_cap")
    assert "from the region file" in line and "region file" in line


def test_region_parameters_one_row_per_region_of_the_file():
    rows = params_json(JIANGXI, "2027-06-01", "--regions", REGIONS)
    caps = [row for row in rows if row["name"] == "critical_illness_base_cap"]
    assert [row["region"] for row in caps] == ["江西省", "江西省南昌市", "江西省赣州市",
                                               "江西省上饶市"]
    nanchang = one(rows, "critical_illness_base_cap", "江西省南昌市")
    assert (nanchang["value"], nanchang["since"], nanchang["set_in"], nanchang["keys"]) == \
        ("400000.00", "2025-01-01", "region_file", [])
    # 上饶's value changes in 2027: the one in force on the date, from its own date.
    shangrao = one(rows, "critical_illness_base_cap", "江西省上饶市")
    assert (shangrao["value"], shangrao["since"]) == ("320000.00", "2027-01-01")
    assert one(params_json(JIANGXI, "2026-06-01", "--regions", REGIONS),
               "critical_illness_base_cap", "江西省上饶市")["value"] == "300000.00"
    result = run("params", JIANGXI, "--on", "2027-06-01", "--regions", REGIONS)
    line = text_row(result.stdout, "critical_illness_base_cap(江西省南昌市)")
    assert "400000.00" in line and "2025-01-01" in line and "region file" in line


def test_a_region_value_not_yet_in_force():
    rows = params_json(JIANGXI, "2024-06-01", "--regions", REGIONS)
    nanchang = one(rows, "critical_illness_base_cap", "江西省南昌市")
    assert (nanchang["status"], nanchang["value"], nanchang["first"]) == \
        ("not_in_force", None, "2025-01-01")


def test_enum_keyed_region_parameters_one_row_per_key():
    """Shandong's fixed_subsidy is `by region, 身份类别`: one row per region and category
    the file sets.  Expected from the file itself (read here with PyYAML), whose values
    other work may change: the value of the latest date on or before the day."""
    import datetime as dt
    from decimal import Decimal

    import yaml

    shandong = REPO / "policies" / "shandong-2024-assistance.policy"
    region_file = REPO / "examples" / "shandong" / "regions.yaml"
    on = dt.date(2026, 6, 1)
    expected, in_file = {}, set()
    for region, entry in yaml.safe_load(region_file.read_text(encoding="utf-8"))["regions"] \
            .items():
        for category, dated in (entry.get("fixed_subsidy") or {}).items():
            in_file.add((region, category))
            held = [day for day in dated if day <= on]
            if held:
                expected[(region, category)] = f"{Decimal(str(dated[max(held)])):.2f}"
    assert expected, "the Shandong region file sets no fixed_subsidy in force"
    rows = params_json(shandong, on.isoformat(), "--regions", region_file)
    got = {(row["region"], *row["keys"]): row["value"] for row in rows
           if row["name"] == "fixed_subsidy" and row["status"] == "in_force"}
    assert got == expected
    assert all(len(row["keys"]) == 1 and row["set_in"] == "region_file"
               for row in rows if row["name"] == "fixed_subsidy")
    # A category the file gives no value for (泰安's 返贫致贫人口) has no row, never 0.
    assert {(row["region"], *row["keys"]) for row in rows
            if row["name"] == "fixed_subsidy"} == in_file


# ------------------------------------------------------------------ language
def test_chinese_output():
    result = run("--lang", "zh", "params", JIANGXI, "--on", "2024-06-01",
                 "--regions", REGIONS)
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0]
    assert header.split()[0] == "参数" and "设定于" in header and "依据" in header
    assert "尚未生效" in text_row(result.stdout, "fixed_waiting_months")
    assert "地区参数文件" in text_row(result.stdout, "critical_illness_base_cap(江西省南昌市)")
    assert "not in force" not in result.stdout


# ------------------------------------------------------------------ errors, as eval's
def test_a_missing_policy_file():
    result = run("params", REPO / "policies" / "no-such.policy", "--on", "2025-06-01")
    assert result.exit_code == 2
    assert "C601" in result.stderr and "policy file not found" in result.stderr
    assert "no-such.policy" in result.stderr and result.stdout == ""


def test_a_bad_date_and_a_missing_region_file():
    bad = run("params", JIANGXI, "--on", "2025-02-30")
    assert bad.exit_code == 2 and "C602" in bad.stderr and "--on" in bad.stderr
    missing = run("params", JIANGXI, "--on", "2025-06-01", "--regions", "nowhere.yaml")
    assert missing.exit_code == 2 and "region file not found" in missing.stderr
    twice = run("params", JIANGXI, "--on", "2025-06-01", "--regions", REGIONS,
                "--regions", REGIONS)
    assert twice.exit_code == 2 and "C614" in twice.stderr


def test_help():
    result = run("params", "--help")
    assert result.exit_code == 0
    for text in ("POLICY", "--on DATE", "--regions FILE", "[text|json]", "set_in"):
        assert text in result.stdout
    assert "params" in run("--help").stdout


def test_a_policy_of_its_own(tmp_path):
    """Dated values and a policy without parameters, independent of the shipped ones."""
    header = 'policy {pid} {{\n  title "t"\n  status draft\n}}\n\n'
    dated = tmp_path / "own-params.policy"
    dated.write_text(header.format(pid="own-params")
                     + 'parameter rate: percent {\n  label "费率"\n  cite "第一条"\n'
                     '  from 2020-01-01: 5%\n  from 2022-07-01: 7.5%\n}\n\n'
                     'output x: percent {\n  = rate\n}\n', encoding="utf-8")
    rows = params_json(dated, "2022-06-30")
    assert rows == [{"name": "rate", "label": "费率", "type": "percent", "value": "5%",
                     "since": "2020-01-01", "cite": "第一条", "document": None,
                     "set_in": "own-params", "region": None, "keys": [],
                     "status": "in_force", "first": None}]
    assert one(params_json(dated, "2022-07-01"), "rate")["value"] == "7.5%"
    empty = tmp_path / "no-params.policy"
    empty.write_text(header.format(pid="no-params") + "output x: int {\n  = 1\n}\n",
                     encoding="utf-8")
    assert params_json(empty, "2025-01-01") == []
    result = run("params", empty, "--on", "2025-01-01")
    assert result.exit_code == 0 and "no-params declares no parameters" in result.stdout


def test_run_as_a_module_a_failure_is_still_exit_2():
    """Under `python -m yibao.cli` the cli module is __main__: the command bodies must
    raise its Failure, not a second copy's (which would be an internal error, exit 3)."""
    done = subprocess.run([sys.executable, "-P", "-m", "yibao.cli", "params",
                           "no-such.policy", "--on", "2025-06-01"],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "C601" in done.stderr and "Traceback" not in done.stderr
