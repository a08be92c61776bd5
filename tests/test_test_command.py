"""`yibao test`: suites (*.test.yaml) and record files with an `expect:` block run as
cases; a failure names its file and line with expected against got; a suite of the wrong
shape is reported at its place; JUnit XML for CI.  Expected values here are read off the
Jinggu plan as in tests/suites/jinggu-scheme.test.yaml (一, 二(五))."""
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from yibao import cli

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "tests" / "suites" / "jinggu-scheme.test.yaml"

RECORD = """      id: JG-1
      birth_date: 1970-05-20
      hukou: 云南省普洱市景谷傣族彝族自治县
      hukou_type: rural
      residence: 云南省普洱市景谷傣族彝族自治县
      employment: none
      enrollment_known_from: 2016
      enrollment:
        - {year: 2016, scheme: ncms, region: 云南省普洱市景谷傣族彝族自治县, paid_on: 2015-12-10, concentrated: true}
      inpatient_in_scope_cost: 0
"""


def invoke(*args):
    return CliRunner().invoke(cli.main, [str(a) for a in args])


@pytest.fixture
def project(tmp_path):
    """A folder with policies/ beside a tests/ folder, as a project has them."""
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    (tmp_path / "tests").mkdir()
    return tmp_path


def suite(project, text: str, name="s.test.yaml") -> Path:
    path = project / "tests" / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_suites_and_examples_pass():
    done = invoke("test", SUITE, ROOT / "examples")
    assert done.exit_code == 0, done.output
    passed = int(done.stdout.splitlines()[-1].split()[0])
    assert passed >= 4 + 40 and done.stdout.splitlines()[-1].endswith(" 0 failed")


def test_a_wrong_expectation_fails_with_its_line_expected_got_and_explanation(project):
    # 2016, ncms entry: 新农合 and the 新农合 catalog (二(五)); the suite says otherwise
    path = suite(project, "policy: jinggu-2018\non: 2016-10-01\ncases:\n"
                 "  - name: right\n    record:\n" + RECORD +
                 "    outputs: {scheme: 新农合}\n"
                 "  - name: wrong\n    record:\n" + RECORD +
                 "    outputs: {scheme: 新农合, catalog: 省级统一目录}\n")
    done = invoke("test", path.parent)
    assert done.exit_code == 1
    lines = done.stdout.splitlines()
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1)
                if text.strip() == "- name: wrong")
    assert lines[0] == f"FAIL {path}:{line}: wrong"
    assert lines[1] == "  catalog: expected 省级统一目录, got 原新农合目录"
    assert "explanation:" in lines[2] and "catalog = 原新农合目录" in lines[3]
    assert lines[-1] == "1 passed, 1 failed"


def test_errors_and_not_applicable_are_expectations_too(project):
    # 2015 is before the plan (2016): every output is "not in force" (E501); the 2016
    # inpatient rate is not in force either, and an employee's catalog is not applicable
    path = suite(project, "policy: jinggu-2018\ncases:\n"
                 "  - name: before the plan\n    on: 2015-06-01\n    record:\n" + RECORD +
                 "    errors: {scheme: E501}\n"
                 "  - name: employee catalog\n    on: 2017-06-01\n    record:\n" +
                 RECORD.replace("employment: none", "employment: employee") +
                 "    not_applicable: [catalog]\n"
                 "  - name: wrong code\n    on: 2015-06-01\n    record:\n" + RECORD +
                 "    errors: {scheme: E541}\n")
    done = invoke("test", path)
    assert done.exit_code == 1
    assert "  scheme: expected error E541, got error E501" in done.stdout
    assert done.stdout.splitlines()[-1] == "2 passed, 1 failed"


@pytest.mark.parametrize("text, code", [
    ("- just a list\n", "R483"),
    ("policy: jinggu-2018\non: 2016-10-01\ncases: []\n", "R485"),
    ("policy: jinggu-2018\non: 2016-10-01\nkases: []\ncases: [{record: {}}]\n", "R484"),
    ("policy: jinggu-2018\non: 2016-10-01\ncases:\n  - outputs: {scheme: 新农合}\n", "R487"),
    ("policy: jinggu-2018\non: 2016-10-01\ncases:\n  - record: x.yaml\n    output: {}\n",
     "R484"),
    ("policy: no-such-policy\non: 2016-10-01\ncases:\n  - record:\n" + RECORD +
     "    outputs: {scheme: 新农合}\n", "R488"),
    ("policy: jinggu-2018\non: 2016-10-01\ncases:\n  - record:\n" +
     RECORD.replace("hukou_type: rural", "hukou_type: farmer") +
     "    outputs: {scheme: 新农合}\n", "R428"),
    ("policy: jinggu-2018\non: 2016-10-01\ncases:\n  - record: missing.yaml\n"
     "    outputs: {scheme: 新农合}\n", "R433"),
])
def test_a_case_that_cannot_run_fails_saying_why_at_its_place(project, text, code):
    path = suite(project, text)
    done = invoke("test", path)
    assert done.exit_code == 1 and "Traceback" not in done.output, done.output
    assert f"[{code}]" in done.stdout and done.stdout.startswith(f"FAIL {path}:")
    assert done.stdout.splitlines()[-1].endswith("1 failed")


def test_junit_xml_names_each_case_and_its_failure(project, tmp_path):
    path = suite(project, "policy: jinggu-2018\non: 2016-10-01\ncases:\n"
                 "  - name: right\n    record:\n" + RECORD + "    outputs: {scheme: 新农合}\n"
                 "  - name: wrong\n    record:\n" + RECORD + "    outputs: {scheme: 城乡居民医保}\n")
    report = tmp_path / "junit.xml"
    assert invoke("test", path, "--junit", report).exit_code == 1
    root = ET.parse(report).getroot()
    assert (root.get("tests"), root.get("failures")) == ("2", "1")
    cases = root.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == ["right", "wrong"]
    assert cases[0].find("failure") is None
    assert "scheme: expected 城乡居民医保, got 新农合" in cases[1].find("failure").text


def test_nothing_to_test_is_said_and_exits_2(tmp_path):
    done = invoke("test", tmp_path)
    assert done.exit_code == 2 and "C637" in done.output
    assert invoke("test", tmp_path / "nowhere").exit_code == 2


# ------------------------------------------------------------------ coverage
COVERED = """policy: covered-policy
on: 2026-06-01
cases:
  - name: young
    record: {id: A, age: 10}
    outputs: {band: child}
  - name: old
    record: {id: B, age: 70}
    outputs: {band: senior}
"""

COVERED_POLICY = """policy covered-policy {
  title "覆盖率"
  status template
}

input person {
  id: text
  age: int
}

rule is_child: bool {
  = age < 18
}

output band: text {
  label "年龄段"
  = "adult"
  exception child {
    when is_child
    = "child"
  }
  exception senior {
    when age >= 65
    = "senior"
  }
}

rule never_read: int {
  = 1
}
"""


def test_coverage_counts_rules_reached_and_branches_taken(tmp_path):
    # branches: band (base), band#child, band#senior, is_child, never_read = 5; the two
    # cases take child and senior (and is_child, reached by both), never the base case or
    # never_read: 3 of 5 branches; rules reached: band and is_child, 2 of 3
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "covered-policy.policy").write_text(COVERED_POLICY,
                                                                 encoding="utf-8")
    path = tmp_path / "c.test.yaml"
    path.write_text(COVERED, encoding="utf-8")
    done = invoke("test", path, "--coverage")
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    # conditions: `is_child` seen true (young) and false (old), `age >= 65` false and
    # true: each of the two one-atom guards decided both ways, 2 of 2; no region file
    assert lines[1].split() == ["policy", "cases", "rules", "reached", "branches", "taken",
                                "conditions", "(MC/DC)", "region", "keys", "read"]
    assert lines[3].split() == ["covered-policy", "2", "2/3", "67%", "3/5", "60%", "2/2",
                                "100%", "-"]
    missing = [line for line in lines if line.startswith("  not taken: ")]
    assert len(missing) == 2
    policy_lines = COVERED_POLICY.splitlines()
    # each at its place: the base case of band at the output, never_read at its rule
    for line, ident in zip(missing, ("band", "never_read")):
        where, said = line.removeprefix("  not taken: ").split(": ", 1)
        number = int(where.rsplit(":", 1)[1])
        assert said.startswith(ident + " ") and ident in policy_lines[number - 1]
    assert invoke("test", path, "--coverage-min", "60").exit_code == 0
    below = invoke("test", path, "--coverage-min", "61")
    assert below.exit_code == 1 and "below --coverage-min 61%" in below.stdout


def test_coverage_of_the_shipped_suites_lists_what_no_case_takes():
    done = invoke("test", SUITE, "--coverage")
    assert done.exit_code == 0
    lines = done.stdout.splitlines()
    cases = sum(1 for line in SUITE.read_text(encoding="utf-8").splitlines()
                if line.startswith("  - name: "))
    assert lines[3].split()[:2] == ["jinggu-2018", str(cases)]
    # the cases are residents of 景谷 with no job: none is insured elsewhere or in the
    # employee scheme, so those exceptions are not taken; every case is in 2016 or 2017,
    # so the pre-integration exception of scheme is taken
    missing = [line for line in lines if "not taken" in line]
    assert any("inpatient_fund_payment#insured_elsewhere" in line for line in missing)
    assert any("scheme#employee " in line for line in missing)
    assert not any("scheme#before_integration" in line for line in missing)


REGIONAL_POLICY = """policy regional-policy {
  title "地区键"
  status template
}

input person {
  id: text
  region: text
}

parameter premium: money by region {
  label "个人缴费标准"
}

output due: money {
  = premium(region)
}
"""

REGION_FILE = """regions:
  甲省甲市:
    premium: {2026-01-01: 380}
  甲省乙市:
    premium: {2026-01-01: 400}
  甲省:
    premium: {2026-01-01: 350}
"""


def test_coverage_counts_the_region_keys_the_cases_read(tmp_path):
    # three entries set premium; 甲市 reads its own, 丙市 falls back to the province:
    # 2 of 3 read, 乙市's entry never is
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "regional-policy.policy").write_text(REGIONAL_POLICY,
                                                                  encoding="utf-8")
    (tmp_path / "regions.yaml").write_text(REGION_FILE, encoding="utf-8")
    path = tmp_path / "r.test.yaml"
    path.write_text("policy: regional-policy\non: 2026-06-01\nregions: regions.yaml\n"
                    "cases:\n"
                    "  - name: own city\n    record: {id: A, region: 甲省甲市}\n"
                    "    outputs: {due: 380}\n"
                    "  - name: the province's\n    record: {id: B, region: 甲省丙市}\n"
                    "    outputs: {due: 350}\n", encoding="utf-8")
    done = invoke("test", path, "--coverage")
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines()[3].split()[-2:] == ["2/3", "67%"]
    assert [line for line in done.stdout.splitlines() if "region key not read" in line] == \
        [f"  region key not read: premium for 甲省乙市 ({tmp_path / 'regions.yaml'})"]


# ------------------------------------------------------------------ conditions (MC/DC)
GUARDED_POLICY = """policy guarded-policy {
  title "条件覆盖"
  status template
}

input person {
  id: text
  a: bool
  b: bool
  c: bool
}

output answer: text {
  = "no"
  exception both {
    when a and (b or not c)
    = "yes"
  }
}
"""


def _guarded(tmp_path, rows: list[tuple]) -> Path:
    """A suite of one case per (a, b, c), its expected answer worked out by hand from the
    guard: yes exactly when a holds and so does b or not c."""
    (tmp_path / "policies").mkdir(exist_ok=True)
    (tmp_path / "policies" / "guarded-policy.policy").write_text(GUARDED_POLICY,
                                                                 encoding="utf-8")
    cases = "".join(
        f"  - name: {a} {b} {c}\n    record: {{id: P{i}, a: {str(a).lower()}, "
        f"b: {str(b).lower()}, c: {str(c).lower()}}}\n"
        f"    outputs: {{answer: {'yes' if a and (b or not c) else 'no'}}}\n"
        for i, (a, b, c) in enumerate(rows))
    path = tmp_path / "g.test.yaml"
    path.write_text("policy: guarded-policy\non: 2026-06-01\ncases:\n" + cases,
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("rows, shown", [
    # (T,T,·) yes and (F,·,·) no differ in a alone (b, c unevaluated on one side): a shown
    ([(True, True, False), (False, True, False)], ["a"]),
    # + (T,F,T) no: against (T,T,·) yes only b differs (c unevaluated there): b shown
    ([(True, True, False), (False, True, False), (True, False, True)], ["a", "b"]),
    # + (T,F,F) yes: against (T,F,T) no only c differs: c shown, all three
    ([(True, True, False), (False, True, False), (True, False, True), (True, False, False)],
     ["a", "b", "c"]),
    # the same outcome everywhere shows nothing
    ([(False, True, True), (False, False, False)], []),
])
def test_condition_coverage_counts_atoms_shown_to_decide_alone(tmp_path, rows, shown):
    done = invoke("test", _guarded(tmp_path, rows), "--coverage")
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines()[3].split()[6] == f"{len(shown)}/3"
    missing = [line for line in done.stdout.splitlines()
               if line.startswith("  condition not shown to decide alone: ")]
    assert sorted(line.split("`")[1] for line in missing) == \
        sorted({"a", "b", "c"} - set(shown))
    assert all("answer#both: " in line and "`when a and (b or not c)`" in line
               for line in missing)


def test_suggest_proposes_records_that_close_the_gaps(tmp_path):
    import yaml

    path = _guarded(tmp_path, [(True, True, False)])
    done = invoke("test", path, "--suggest")
    assert done.exit_code == 0, done.output
    assert "no record among those searched" not in done.stdout
    text = done.stdout[done.stdout.index("  - name: suggested 1"):]
    suggested = yaml.safe_load(text)
    assert suggested and all(case["outputs"] == {} for case in suggested)
    # the suggested records, with answers worked out from the guard, close every gap
    rows = [(True, True, False)] + [(s["record"]["a"], s["record"]["b"], s["record"]["c"])
                                    for s in suggested]
    again = invoke("test", _guarded(tmp_path, rows), "--coverage")
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[3].split()[4:8] == ["2/2", "100%", "3/3", "100%"]


# ------------------------------------------------------------------ --update
def test_update_rewrites_values_in_place_and_leaves_other_kinds_to_the_author(project):
    # a 2016 rural ncms case expected wrongly as 城乡居民医保 (a value for a value: rewritten
    # to 新农合); one expecting a value where the plan is not in force (2015: E501, another
    # kind: left, reported)
    text = ("policy: jinggu-2018\non: 2016-10-01\ncases:\n"
            "  - name: value\n    record:\n" + RECORD +
            "    outputs: {scheme: 城乡居民医保}   # the author's note stays\n"
            "  - name: kind\n    on: 2015-06-01\n    record:\n" + RECORD +
            "    outputs: {scheme: 新农合}\n")
    path = suite(project, text)
    done = invoke("test", path, "--update")
    assert done.exit_code == 1
    assert done.stdout.startswith(f"FAIL {path}:")          # the case left to the author
    assert "rewrote 1 expected value(s)" in done.stdout and "1 case(s) need a hand" in done.stdout
    after = path.read_text(encoding="utf-8")
    assert after == text.replace("outputs: {scheme: 城乡居民医保}   #",
                                 "outputs: {scheme: 新农合}   #", 1)
    rerun = invoke("test", path)
    assert rerun.stdout.splitlines()[-1] == "1 passed, 1 failed"


def test_update_writes_scalars_that_read_back_as_written():
    from yibao.interpreter.testing import _scalar

    assert [_scalar(v) for v in (True, 3, "303000.00", "2026-05-03", "新农合")] == \
        ["true", "3", "303000.00", "2026-05-03", "新农合"]
    # text that plain YAML would read as something else, or that YAML cannot start with
    assert [_scalar(v) for v in ("yes", "a: b", "- x", "#c")] == \
        ['"yes"', '"a: b"', '"- x"', '"#c"']


def test_not_applicable_may_name_the_reason_the_policy_must_give(project):
    # asked for 2018 with entries for 2016 only: no entry for the benefit year, so the
    # inpatient payment does not concern the fund that year (三(一)3, and the reading
    # "待遇年度没有参保记录:城乡居民医保基金不支付" in the policy); a wrong reason fails
    # showing both
    right = "待遇年度没有参保记录:城乡居民医保基金不支付"
    path = suite(project, "policy: jinggu-2018\non: 2018-08-01\ncases:\n"
                 "  - name: right reason\n    record:\n" + RECORD +
                 f"    not_applicable: {{inpatient_fund_payment: \"{right}\"}}\n"
                 "  - name: wrong reason\n    record:\n" + RECORD +
                 "    not_applicable: {inpatient_fund_payment: \"另一个理由\"}\n")
    done = invoke("test", path)
    assert done.exit_code == 1
    assert ('  inpatient_fund_payment: expected not applicable because "另一个理由", '
            f'got not applicable because "{right}"') in done.stdout
    assert done.stdout.splitlines()[-1] == "1 passed, 1 failed"
    blank = suite(project, "policy: jinggu-2018\non: 2018-08-01\ncases:\n"
                  "  - record:\n" + RECORD + "    not_applicable: {inpatient_fund_payment: 3}\n",
                  name="b.test.yaml")
    refused = invoke("test", blank)
    assert refused.exit_code == 1 and "[R479]" in refused.stdout
    # null: any reason will do (the wrong reason case above, with null, passes)
    any_reason = suite(project, "policy: jinggu-2018\non: 2018-08-01\ncases:\n"
                       "  - record:\n" + RECORD +
                       "    not_applicable: {inpatient_fund_payment: null}\n",
                       name="n.test.yaml")
    assert invoke("test", any_reason).exit_code == 0


def test_a_record_that_reads_with_a_warning_fails_its_case(project):
    # a misspelt optional field would otherwise be dropped with a warning and the case
    # pass on the field's default
    misspelt = RECORD.replace("inpatient_in_scope_cost: 0", "inpatient_in_scope_cots: 0")
    path = suite(project, "policy: jinggu-2018\non: 2016-10-01\ncases:\n"
                 "  - name: misspelt\n    record:\n" + misspelt +
                 "    outputs: {scheme: 新农合}\n")
    done = invoke("test", path)
    assert done.exit_code == 1
    assert "warning[R412]" in done.stdout and "inpatient_in_scope_cots" in done.stdout
    assert done.stdout.splitlines()[-1] == "0 passed, 1 failed"
