"""Every example record carries its expected outputs, and the program must give them.

Each file under examples/<province>/ (except region files) has an `expect:` block beside
the comment that works the answers out by hand from the policy text (format:
docs/data-files.md, "Expected outputs").  One test per (file, expectation): load the policy
it names, the record and the region file, evaluate every output on the date, and compare
each listed output exactly -- converted to the output's type as a record value of that type
is (money as Decimal, dates as dates, enums as their text) -- and each listed error by its
code.  A record without an `expect:` block fails: every example states its answers.
"""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from yibao import cli
from yibao.interpreter import api

from .builders import check
from .conftest import ROOT

EXAMPLES = ROOT / "examples"


def _example_files():
    return sorted(path for path in EXAMPLES.glob("*/*.yaml") if path.name != "regions.yaml")


def _cases():
    """(file, index of its expectation) for every example; (file, None) for one without an
    expect block or with one that cannot be read, so that its test fails saying why."""
    cases = []
    for path in _example_files():
        name = f"{path.parent.name}/{path.stem}"
        try:
            expectations = api.expectations(path)
        except api.DiagnosticError:
            expectations = []
        if not expectations:
            cases.append(pytest.param(path, None, id=name))
        dates = [expect.on.isoformat() for expect in expectations]
        for index, on in enumerate(dates):
            # a file with several expectations: one id per date (per position if dates repeat)
            tail = "" if len(dates) == 1 else f"@{on}" if dates.count(on) == 1 else f"@{index}"
            cases.append(pytest.param(path, index, id=name + tail))
    return cases


_POLICIES: dict = {}


def _policy(name: str):
    if name not in _POLICIES:
        _POLICIES[name] = api.load_policy(ROOT / "policies" / f"{name}.policy")
    return _POLICIES[name]


@pytest.mark.parametrize("path, index", _cases())
def test_example_gives_its_expected_outputs(path, index):
    expectations = api.expectations(path)      # a malformed block raises, naming its place
    assert index is not None and expectations, f"{path.relative_to(ROOT)} has no expect: block"
    expect = expectations[index]
    policy = _policy(expect.policy)
    record, warnings = api.load_record(policy, path)
    assert list(warnings) == []
    regions = api.load_regions(expect.regions, policy) if expect.regions else None
    result = api.evaluate(policy, record, expect.on, regions)
    expected = {name: expect.value(policy, name) for name in expect.outputs}
    check(result, **expected)
    for name, value in expected.items():     # exactly: an int is no bool, a date no text
        assert type(result.values[name]) is type(value), \
            f"{name}: expected a {type(value).__name__}, got {result.values[name]!r}"
    for name, code in expect.errors.items():
        wanted = f"{name}: expected error {code}"
        assert name not in result.values, f"{wanted}, got {result.values[name]!r}"
        assert name in result.errors, f"{wanted}, got no such output"
        got = result.errors[name]
        assert got.code == code, f"{wanted}, got {got.code}: {got}"
    for name in expect.not_applicable:
        assert name in policy.outputs, f"{policy.policy_id} has no output {name}"
        assert name in result.not_applicable, \
            f"{name}: expected not applicable, got " + (
                repr(result.values[name]) if name in result.values else
                str(result.errors[name]) if name in result.errors else "nothing")
        if (expect.reasons or {}).get(name) is not None:
            assert result.not_applicable[name].reason == expect.reasons[name]


def test_every_province_has_examples():
    folders = {path.parent.name for path in _example_files()}
    assert folders >= {"jiangxi", "sichuan", "shandong", "wuxi", "jinggu"}


# ------------------------------------------------------------------ the expect: block
RECORD = """\
id: X-1
birth_date: 2027-03-15
hukou: 江西省南昌市
residence: 江西省南昌市
employment: none
payer_relation: 父母
enrollment:
  - {year: 2027, scheme: resident, region: 江西省南昌市, paid_on: 2027-04-02, concentrated: false}
"""


def test_the_loader_skips_the_expect_block(tmp_path):
    jiangxi = _policy("jiangxi-2024-34")
    plain = tmp_path / "plain.yaml"
    plain.write_text(RECORD, encoding="utf-8")
    marked = tmp_path / "marked.yaml"
    marked.write_text(RECORD + "expect:\n  policy: jiangxi-2024-34\n  on: 2027-06-01\n"
                      "  outputs: {continuous_years: 1}\n", encoding="utf-8")
    assert api.expectations(plain) == []
    record, warnings = api.load_record(jiangxi, marked)
    assert warnings == [] and "expect" not in record
    assert record == api.load_record(jiangxi, plain)[0]


def test_an_expected_value_is_converted_to_its_output_type(tmp_path):
    jiangxi = _policy("jiangxi-2024-34")
    path = tmp_path / "r.yaml"
    path.write_text(RECORD + "expect:\n  - policy: jiangxi-2024-34\n    on: 2027-06-01\n"
                    "    regions: ../regions.yaml\n"
                    "    outputs: {break_penalty: 300, benefit_start_date: 2027-03-15,\n"
                    "              waiting_period_months: 0, personal_account_payable: true}\n"
                    "    errors: {critical_illness_cap: R462}\n", encoding="utf-8")
    [expect] = api.expectations(path)
    assert (expect.policy, expect.on.isoformat()) == ("jiangxi-2024-34", "2027-06-01")
    assert expect.regions == tmp_path / "../regions.yaml"
    values = {name: expect.value(jiangxi, name) for name in expect.outputs}
    assert [type(v).__name__ for v in values.values()] == ["Decimal", "date", "int", "bool"]
    assert str(values["break_penalty"]) == "300.00"
    assert expect.errors == {"critical_illness_cap": "R462"}
    path.write_text(RECORD + "expect:\n  policy: jiangxi-2024-34\n  on: 2027-06-01\n"
                    "  outputs: {waiting_period_months: four}\n", encoding="utf-8")
    [expect] = api.expectations(path)
    with pytest.raises(api.DiagnosticError):       # a value that does not fit its output
        expect.value(jiangxi, "waiting_period_months")


@pytest.mark.parametrize("block, code", [
    pytest.param("expect: 3\n", "R470", id="scalar"),
    pytest.param("expect: []\n", "R470", id="empty-list"),
    pytest.param("expect: {on: 2027-06-01, outputs: {a: 1}}\n", "R473", id="no-policy"),
    pytest.param("expect: {policy: p, on: 2027-02-30, outputs: {a: 1}}\n", "R474",
                 id="bad-date"),
    pytest.param("expect: {policy: p, on: 2027-06-01}\n", "R476", id="nothing-expected"),
    pytest.param("expect: {policy: p, on: 2027-06-01, output: {a: 1}}\n", "R472",
                 id="unknown-key"),
    pytest.param("expect: {policy: p, on: 2027-06-01, outputs: {a: 1}, errors: {a: E501}}\n",
                 "R477", id="value-and-error"),
])
def test_a_malformed_expect_block_is_refused_at_its_place(tmp_path, block, code):
    path = tmp_path / "r.yaml"
    path.write_text(RECORD + block, encoding="utf-8")
    with pytest.raises(api.DiagnosticError) as refused:
        api.expectations(path)
    (diag,) = refused.value.diagnostics
    assert diag.code == code and diag.file == str(path)
    assert diag.span is not None and diag.span.line == 9      # the line of `expect:`
    assert diag.message("zh") != diag.message("en")


def _without_expect(text: str) -> str:
    """A record file's text with its top-level expect block taken out."""
    kept, inside = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("expect:"):
            inside = True
        elif inside and line[:1] not in (" ", "-", "#", "\n"):
            inside = False
        if not inside:
            kept.append(line)
    return "".join(kept)


@pytest.mark.parametrize("command", [
    pytest.param(["eval"], id="eval"),
    pytest.param(["eval", "--format", "json"], id="eval-json"),
    pytest.param(["explain", "waiting_period_months"], id="explain"),
    pytest.param(["explain", "waiting_period_months", "--format", "json"], id="explain-json"),
])
def test_the_cli_answers_the_same_with_or_without_the_block(tmp_path, command):
    source = EXAMPLES / "jiangxi" / "qingdao-case.yaml"
    text = source.read_text(encoding="utf-8")
    bare = _without_expect(text)
    assert "expect:" in text and "expect:" not in bare and "id: JX-QD-0001" in bare
    outputs = []
    for folder, content in (("with", text), ("without", bare)):
        (tmp_path / folder).mkdir()
        record = tmp_path / folder / source.name
        record.write_text(content, encoding="utf-8")
        args = [command[0], str(ROOT / "policies" / "jiangxi-2024-34.policy"), str(record),
                *command[1:], "--on", "2027-06-01", "--regions", str(EXAMPLES / "regions.yaml")]
        result = CliRunner().invoke(cli.main, args)
        outputs.append((result.exit_code, result.output))
    assert outputs[0][0] == 0
    assert outputs[0] == outputs[1]
