"""The third outcome: "not applicable, because ...", declared by a case, kept apart from a
value and from an error in the language, the checker, evaluation, explanations and the CLI."""
import json

import pytest
from click.testing import CliRunner

from yibao import cli
from yibao.interpreter.api import evaluate
from yibao.interpreter.diagnostics import DiagnosticError

from .builders import check, check_errors, check_not_applicable
from .test_evaluator import ON, entry, person, policy_of

CAP = """
output cap: money {
  label "封顶线"
  = 100 元
  exception not_insured {
    when not exists entries[benefit_year]
    = not applicable because "本年未参保"
  }
}
"""

READER = CAP + """
output doubled: money {
  when cap is not none
  = cap * 2
  exception no_cap {
    when cap is none
    = not applicable because "无封顶线"
  }
}
"""

INSURED = person(entries=[entry(2027)])


def test_a_case_can_say_not_applicable_and_the_others_still_give_values(tmp_path):
    policy = policy_of(tmp_path, CAP)
    check(evaluate(policy, INSURED, ON), cap=100)
    result = evaluate(policy, person(), ON)
    check_not_applicable(result, "cap")
    assert result.not_applicable["cap"].reason == "本年未参保"
    assert result.errors == {} and "cap" not in result.values


def test_a_reader_sees_not_applicable_as_none(tmp_path):
    policy = policy_of(tmp_path, READER)
    check(evaluate(policy, INSURED, ON), cap=100, doubled=200)
    result = evaluate(policy, person(), ON)
    check_not_applicable(result, "cap", "doubled")
    assert result.not_applicable["doubled"].reason == "无封顶线"


def test_reading_a_rule_that_may_not_apply_without_a_test_is_refused(tmp_path):
    with pytest.raises(DiagnosticError) as caught:
        policy_of(tmp_path, CAP + "output doubled: money {\n  = cap * 2\n}\n")
    codes = [d.code for d in caught.value.diagnostics]
    assert codes == ["Y208"], codes
    assert "optional money" in caught.value.diagnostics[0].message("en")


def test_no_case_applying_stays_an_error(tmp_path):
    # Only the declared case is "not applicable"; a guard that fails everywhere else is E541.
    policy = policy_of(tmp_path, """
output cap: money {
  when exists entries[benefit_year]
  = 100 元
  exception too_young {
    when year(birth_date) > 2020
    = not applicable because "未成年"
  }
}
""")
    check_errors(evaluate(policy, person(), ON), cap="E541")
    check_not_applicable(evaluate(policy, person(birth_date=ON), ON), "cap")


def test_two_exceptions_agree_only_on_the_same_outcome(tmp_path):
    policy = policy_of(tmp_path, """
output cap: money {
  = 100 元
  exception not_insured {
    when not exists entries[benefit_year]
    = not applicable because "本年未参保"
  }
  exception young {
    when year(birth_date) > 2020
    = 50 元
  }
  exception also_not_insured {
    when not exists entries[benefit_year]
    = not applicable because "本年未参保"
  }
}
""")
    # Two "not applicable" cases for the same reason agree.
    check_not_applicable(evaluate(policy, person(), ON), "cap")
    # "Not applicable" and a value conflict: neither is chosen silently.
    check_errors(evaluate(policy, person(birth_date=ON), ON), cap="E540")


def _cli(tmp_path, *args):
    policy_of(tmp_path, READER)
    record = tmp_path / "p.yaml"
    record.write_text("id: P1\nbirth_date: 1990-05-01\nentries: []\n", encoding="utf-8")
    return CliRunner().invoke(cli.main, [args[0], str(tmp_path / "unit-test.policy"),
                                         str(record), *args[1:], "--on", "2027-06-01"])


def test_eval_shows_a_dash_with_the_reason_and_exits_0(tmp_path):
    result = _cli(tmp_path, "eval")
    assert result.exit_code == 0, result.output
    assert "— not applicable: 本年未参保" in result.output
    assert "— not applicable: 无封顶线" in result.output
    result = _cli(tmp_path, "eval", "--lang", "zh")
    assert "— 不适用:本年未参保" in result.output


def test_eval_json_gives_null(tmp_path):
    result = _cli(tmp_path, "eval", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"cap": None, "doubled": None}


def test_explain_shows_why(tmp_path):
    result = _cli(tmp_path, "explain", "doubled")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "doubled = — not applicable: 无封顶线"
    assert any("✓ exception no_cap" in line for line in lines)
    assert any(line.lstrip("│└├─ ").startswith("cap = — not applicable: 本年未参保")
               for line in lines)
    data = json.loads(_cli(tmp_path, "explain", "doubled", "--format", "json").output)
    assert data["value"] is None and data["not_applicable"] == "无封顶线"
    assert data["children"][0]["not_applicable"] == "本年未参保"


def test_an_expect_block_can_name_outputs_that_do_not_apply(tmp_path):
    from yibao.interpreter.api import expectations

    record = tmp_path / "p.yaml"
    record.write_text("id: P1\nbirth_date: 1990-05-01\nexpect:\n  policy: x\n  on: 2027-06-01\n"
                      "  not_applicable: [cap]\n", encoding="utf-8")
    (expect,) = expectations(record)
    assert expect.not_applicable == ("cap",) and expect.outputs == {}
    record.write_text("id: P1\nbirth_date: 1990-05-01\nexpect:\n  policy: x\n  on: 2027-06-01\n"
                      "  outputs: {cap: 1}\n  not_applicable: [cap]\n", encoding="utf-8")
    with pytest.raises(DiagnosticError) as caught:
        expectations(record)
    assert caught.value.diagnostics[0].code == "R479"
