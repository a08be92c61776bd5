"""`yibao diff`: what changed between two policies, in rules and for people.

Every witness a report prints is checked here again through the real CLI (`yibao eval` on
the witness record, under both policies), independently of the diff's own self-check.
"""
import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from yibao import cli

from .conftest import ROOT, compare_golden

GOLDEN = ROOT / "tests" / "golden" / "diff"
JIANGXI = "policies/jiangxi-2024-34.policy"
SICHUAN = "policies/sichuan-2025.policy"
REGIONS = "examples/regions.yaml"


def diff(*args):
    return CliRunner().invoke(cli.main, ["diff", *args])


def report(*args):
    done = diff(*args, "--format", "json")
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def changes(data, kind=None):
    return {c["name"]: c for c in data["structural"] if c["meaning"]
            and (kind is None or c["kind"] == kind)}


def eval_json(policy, record_text, on, tmp_path, regions=REGIONS):
    path = tmp_path / "witness.yaml"
    path.write_text(record_text, encoding="utf-8")
    args = ["eval", str(policy), str(path), "--on", on, "--format", "json"]
    if regions:
        args += ["--regions", regions]
    done = CliRunner().invoke(cli.main, args)
    return json.loads(done.stdout) if done.stdout.strip() else {}, done


def check_witnesses(data, old, new, tmp_path, regions=REGIONS):
    """Each witness, evaluated by `yibao eval` under both policies, gives the outcomes the
    report says (a value as eval's table shows it; null for not applicable; absent with an
    error)."""
    for name, found in data["behaviour"]["outputs"].items():
        for witness in found["witnesses"]:
            for policy, side in ((old, "old"), (new, "new")):
                got, done = eval_json(policy, witness["record"], data["on"], tmp_path, regions)
                expected = witness[side]
                if expected["outcome"] == "error":
                    assert name not in got and expected["shown"] in done.output, (name, side)
                elif expected["outcome"] == "not_applicable":
                    assert got[name] is None, (name, side)
                else:
                    assert name in got, (name, side, done.output)


# ------------------------------------------------------------------ Jiangxi vs Sichuan
@pytest.fixture(scope="module")
def jiangxi_vs_sichuan():
    os.chdir(ROOT)
    return report(JIANGXI, SICHUAN, "--on", "2027-06-01", "--regions", REGIONS)


def test_the_step_and_the_cap_are_structural_changes(jiangxi_vs_sichuan):
    params = changes(jiangxi_vs_sichuan, "parameter")
    step = params["incentive_step"]
    # 赣府厅发〔2024〕34号 二(四): 3000 元; Sichuan 一(三): 4000 元, both from 2025
    assert (step["change"], step["old"], step["new"]) == (
        "values", [["2025-01-01", "3000.00"]], [["2025-01-01", "4000.00"]])
    assert (step["old_set_in"], step["new_set_in"]) == ("jiangxi-2024-34", "sichuan-2025")
    # the cap: Jiangxi's from the region file, Sichuan's one province-wide 300000 元
    assert params["critical_illness_base_cap"]["change"] == "removed"
    assert params["province_critical_illness_cap"]["new"] == [["2025-01-01", "300000.00"]]
    rules = changes(jiangxi_vs_sichuan)
    assert rules["original_critical_illness_cap"]["change"] == "logic"
    assert {"retroactive_benefits", "student_premium_due"} <= \
        {n for n, c in rules.items() if c["change"] == "added"}
    assert jiangxi_vs_sichuan["behaviour"]["only_new"] == ["retroactive_benefits",
                                                           "student_premium_due"]


def test_rewording_is_reported_apart_from_meaning(jiangxi_vs_sichuan):
    worded = {c["name"] for c in jiangxi_vs_sichuan["structural"] if not c["meaning"]}
    # the same template logic, re-cited to each province's articles
    assert {"waiting_period_months", "fixed_waiting_months"} <= worded
    assert "waiting_period_months" not in changes(jiangxi_vs_sichuan)


def test_the_witnesses_show_the_step_and_the_cap(jiangxi_vs_sichuan, tmp_path):
    outputs = jiangxi_vs_sichuan["behaviour"]["outputs"]
    incentive = outputs["continuous_incentive"]["witnesses"][0]
    # the smallest person with an increment: five resident years ending at 2027 (streak 5 >
    # 4 in 2027 only): 1 x 3000 -> 1 x 4000
    assert (incentive["old"]["shown"], incentive["new"]["shown"], incentive["change"]) == \
        ("3000.00", "4000.00", "+1000.00")
    entries = yaml.safe_load(incentive["record"])["enrollment"]
    assert [e["year"] for e in entries] == [2023, 2024, 2025, 2026, 2027]
    assert outputs["critical_illness_cap"]["affected"] > 0
    assert outputs["critical_illness_cap"]["witnesses"]
    # the waiting period is the same logic with the same numbers: no witness, bounds stated
    assert outputs["waiting_period_months"]["affected"] == 0
    assert jiangxi_vs_sichuan["behaviour"]["bounds"]["years"] == [2021, 2027]
    check_witnesses(jiangxi_vs_sichuan, JIANGXI, SICHUAN, tmp_path)


def test_markdown_report_golden(at_root):
    done = diff(JIANGXI, SICHUAN, "--on", "2027-06-01", "--regions", REGIONS,
                "--format", "markdown")
    assert done.exit_code == 0
    compare_golden(GOLDEN / "jiangxi-vs-sichuan.md", done.stdout)
    assert done.stdout.startswith("### policies/jiangxi-2024-34.policy → ")
    assert "| `critical_illness_cap` |" in done.stdout


# ------------------------------------------------------------------ copies of one policy
def chain_copy(tmp_path, name, edit):
    """A folder with the national template, the record contract and an edited Jiangxi
    copy named `name`."""
    folder = tmp_path / name
    folder.mkdir()
    for stem in ("national-2024-38", "records-contract"):
        (folder / f"{stem}.policy").write_text(
            (ROOT / "policies" / f"{stem}.policy").read_text(encoding="utf-8"), encoding="utf-8")
    text = (ROOT / JIANGXI).read_text(encoding="utf-8")
    text = edit(text).replace("policy jiangxi-2024-34 extends", f"policy {name} extends")
    path = folder / f"{name}.policy"
    path.write_text(text, encoding="utf-8")
    return path


def raised_from_2027(text):
    return text.replace("  from 2025-01-01: 3000 元\n",
                        "  from 2025-01-01: 3000 元\n  from 2027-01-01: 4000 元\n")


def test_a_step_raised_from_2027_changes_nothing_before(tmp_path, at_root):
    raised = chain_copy(tmp_path, "step-raised", raised_from_2027)
    before = report(JIANGXI, str(raised), "--on", "2026-06-01", "--regions", REGIONS)
    step = changes(before, "parameter")["incentive_step"]
    assert step["new"] == [["2025-01-01", "3000.00"], ["2027-01-01", "4000.00"]]
    # in 2026 every amount is still priced at 3000: no person differs
    assert all(o["affected"] == 0 for o in before["behaviour"]["outputs"].values())
    after = report(JIANGXI, str(raised), "--on", "2028-06-01", "--regions", REGIONS)
    outputs = after["behaviour"]["outputs"]
    witness = outputs["continuous_incentive"]["witnesses"][0]
    # five resident years 2024..2028: only 2028 earns (streak 5), priced 2028-01-01:
    # 3000 -> 4000
    assert witness["change"] == "+1000.00"
    # a break in 2025 or 2026 is priced as before: every break_penalty witness has an
    # uninsured year from 2027 (the smallest: no entries at all, 2025..2027 -> 3 breaks:
    # 9000 -> 3000 + 3000 + 4000 = 10000)
    penalty = outputs["break_penalty"]["witnesses"][0]
    assert (penalty["old"]["shown"], penalty["new"]["shown"]) == ("9000.00", "10000.00")
    check_witnesses(after, JIANGXI, raised, tmp_path)


def test_a_layout_only_change_is_no_change(tmp_path, at_root):
    def relayout(text):
        # comments, blank lines and indentation only; the declarations keep their meaning
        return "# reformatted\n" + text.replace("\n}\n", "\n}\n\n# --\n").replace(
            "  label ", "    label ")
    same = chain_copy(tmp_path, "re-laid", relayout)
    done = diff(JIANGXI, str(same), "--on", "2027-06-01", "--regions", REGIONS,
                "--format", "json", "--fail-on-change")
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert data["changed"] is False and changes(data) == {}
    assert all(o["affected"] == 0 for o in data["behaviour"]["outputs"].values())


def newborns_wait_a_month(text):
    return text + """
amend waiting_period_months {
  override exception newborn {
    cite "二(四)第三段"
    when waiting_period_in_force and resident_benefits_concern and is_newborn
    = 1
  }
}
"""


def test_a_changed_exception_has_a_witness_that_hits_it(tmp_path, at_root):
    changed = chain_copy(tmp_path, "newborn-month", newborns_wait_a_month)
    data = report(JIANGXI, str(changed), "--on", "2027-06-01", "--regions", REGIONS)
    rule = changes(data)["waiting_period_months"]
    assert rule["cases"] == {"waiting_period_months#newborn": "logic"}
    witness = data["behaviour"]["outputs"]["waiting_period_months"]["witnesses"][0]
    # a newborn's wait goes from 0 to 1 month
    assert (witness["old"]["shown"], witness["new"]["shown"], witness["change"]) == \
        ("0", "1", "+1")
    record = yaml.safe_load(witness["record"])
    assert record["birth_date"].year in (2026, 2027)      # born this year or last
    assert any("newborn" in line for line in witness["explanation"])
    check_witnesses(data, JIANGXI, changed, tmp_path)
    assert diff(JIANGXI, str(changed), "--on", "2027-06-01", "--regions", REGIONS,
                "--fail-on-change").exit_code == 1


# ------------------------------------------------------------------ a sample of records
def test_the_sample_counts_every_row(tmp_path, at_root):
    lines = tmp_path / "people.jsonl"
    good = {"id": "S1", "birth_date": "1980-01-01", "hukou": "江西省南昌市",
            "residence": "江西省南昌市", "employment": "none",
            "enrollment": [{"year": y, "scheme": "resident", "region": "江西省南昌市",
                            "paid_on": f"{y - 1}-12-10", "concentrated": True}
                           for y in range(2016, 2028)]}
    lines.write_text(json.dumps(good, ensure_ascii=False) + "\n"
                     + json.dumps({"id": "S2"}) + "\n", encoding="utf-8")
    data = report(JIANGXI, SICHUAN, "--on", "2027-06-01", "--regions", REGIONS,
                  "--records", str(lines))
    sample = data["sample"]
    assert (sample["read"], sample["rejected"]) == (2, 1)     # rows in = evaluated + rejected
    # S1: I1 2025..2027 (streak 10..12): 3 x 3000 -> 3 x 4000; I2 2025, 2026: 2 x 3000 -> 2 x 4000
    assert sample["outputs"]["continuous_incentive"] == {
        "changed": 1, "sum": "3000.00", "min": "3000.00", "max": "3000.00"}
    assert sample["outputs"]["zero_claim_incentive"]["sum"] == "2000.00"
    assert sample["outputs"]["waiting_period_months"] == {"changed": 0}


# ------------------------------------------------------------------ git revisions
@pytest.fixture
def repo(tmp_path):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")
    folder = tmp_path / "repo" / "policies"
    folder.mkdir(parents=True)
    for stem in ("national-2024-38", "records-contract", "jiangxi-2024-34"):
        (folder / f"{stem}.policy").write_text(
            (ROOT / "policies" / f"{stem}.policy").read_text(encoding="utf-8"), encoding="utf-8")

    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path / "repo", env=env, check=True,
                       capture_output=True)
    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "first")
    path = folder / "jiangxi-2024-34.policy"
    path.write_text(raised_from_2027(path.read_text(encoding="utf-8")), encoding="utf-8")
    return tmp_path / "repo", git


def test_a_revision_of_the_same_file_is_compared(repo, monkeypatch, tmp_path):
    root, _ = repo
    monkeypatch.chdir(root)
    data = report("HEAD:policies/jiangxi-2024-34.policy", "policies/jiangxi-2024-34.policy",
                  "--on", "2028-06-01", "--regions", str(ROOT / REGIONS))
    assert changes(data, "parameter")["incentive_step"]["new"][-1] == ["2027-01-01", "4000.00"]
    assert data["behaviour"]["outputs"]["continuous_incentive"]["affected"] > 0


def test_git_mode_compares_every_changed_policy(repo, monkeypatch):
    root, _ = repo
    monkeypatch.chdir(root)
    data = report("--git", "--on", "2028-06-01", "--regions", str(ROOT / REGIONS))
    assert data["old"] == "HEAD:policies/jiangxi-2024-34.policy"
    assert "incentive_step" in changes(data)


@pytest.mark.parametrize("args, code", [
    ((JIANGXI,), "C619"),                                   # one policy only
    (("NOSUCHREV:policies/jiangxi-2024-34.policy", JIANGXI), "C620"),
])
def test_bad_sources_are_refused(args, code, at_root):
    done = diff(*args, "--on", "2027-06-01")
    assert done.exit_code == 2, done.output
    assert code in done.output and "Traceback" not in done.output


def test_the_population_count_agrees_with_the_sample_count(tmp_path, at_root):
    people = tmp_path / "people.jsonl"
    assert CliRunner().invoke(cli.main, ["generate", JIANGXI, "400", "--seed", "12", "--on",
                                         "2027-06-01", "--regions", REGIONS, "-o",
                                         str(people)]).exit_code == 0
    by_record = report(JIANGXI, SICHUAN, "--on", "2027-06-01", "--regions", REGIONS,
                       "--records", str(people))["sample"]
    by_engine = report(JIANGXI, SICHUAN, "--on", "2027-06-01", "--regions", REGIONS,
                       "--population", str(people))["sample"]
    assert by_engine == by_record
    assert by_engine["read"] == 400 and by_engine["outputs"]["continuous_incentive"]["changed"] > 0
