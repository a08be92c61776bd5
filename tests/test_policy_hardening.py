"""Hostile and malformed policy text: every defect the red team found in the front end is
a located diagnostic here, never a crash, a hang or a silent reinterpretation.

Expected places are counted by hand from the texts below: the header takes lines 1-4, so a
body's first line is line 5.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from yibao import cli
from yibao.interpreter import limits
from yibao.interpreter.render_diagnostics import render_all
from yibao.interpreter.loader import build_model, check_files
from yibao.interpreter.api import load_policy
from yibao.interpreter.diagnostics import DiagnosticError
from yibao.interpreter.parser import grammar_keywords
from yibao.interpreter.transformer import KEYWORDS

from .conftest import ROOT

HEADER = 'policy {pid} {{\n  title "x"\n  status draft\n}}\n'
PERSON = "input person {\n  id: text\n  years: int default 0\n}\n"   # lines 5-8


def check_policy_text(tmp_path: Path, body: str, pid: str = "hard-test"):
    """Write `body` under a policy header to a file and check it as a policy; return
    (diagnostics, sources)."""
    path = tmp_path / f"{pid}.policy"
    path.write_text(HEADER.format(pid=pid) + body, encoding="utf-8")
    diags, sources, count = check_files([path])
    assert count == 1
    return diags, sources


def codes(diags) -> list[str]:
    return [d.code for d in diags]


def only(diags, code: str):
    """The one diagnostic with `code` (and no other errors)."""
    assert [d.code for d in diags if d.is_error] == [code], render_all(diags)
    return next(d for d in diags if d.code == code)


def at(diag) -> tuple[int, int]:
    return diag.span.line, diag.span.column


# ---------------------------------------------------------------- 1. ASCII digits only
@pytest.mark.parametrize("body, where, char", [
    ("output o: int {\n  = １２\n}\n", (6, 5), "１"),                      # full-width
    ("output o: int {\n  = 1٢\n}\n", (6, 6), "٢"),                         # Arabic-Indic
    ("output o: int {\n  = ১২ + 1\n}\n", (6, 5), "১"),                     # Bengali
    ("output o: bool {\n  = as_of < 2025-０1-01\n}\n", (6, 18), "０"),     # in a date
    ("output o: money {\n  = ３０００ 元\n}\n", (6, 5), "３"),               # in money
    ("rule f(y: int >= ２０１６): int {\n  = y\n}\n", (5, 18), "２"),       # a rule's bound
])
def test_a_digit_that_is_not_ascii_is_a_located_syntax_error(tmp_path, body, where, char):
    diags, sources = check_policy_text(tmp_path, body)
    diag = only(diags, "Y027")
    assert at(diag) == where
    assert char in diag.message("en")
    assert "write digits as ASCII 0-9" in render_all([diag], "en", sources)


def test_names_may_still_use_the_letters_of_other_scripts(tmp_path):
    diags, _ = check_policy_text(tmp_path, PERSON + "output 参保年数_ab: int {\n  = years\n}\n")
    assert diags == []


# ---------------------------------------------------------------- 2. literal limits
@pytest.mark.parametrize("literal, code", [
    ("9223372036854775807", None),            # INT_MAX itself
    ("9223372036854775808", "Y032"),          # one more
    ("0009223372036854775807", "Y032"),       # 22 digits as written
    ("1" * 5000, "Y032"),                     # int() would raise ValueError past 4300
    ("0.123456789012345678", None),           # 18 digits after the point
    ("0.1234567890123456789", "Y034"),        # 19
    ("123456789.123456789", None),            # 18 significant digits
    ("123456789.1234567891", "Y033"),         # 19
    ("1234567890123456789.0", "Y035"),        # 19 digits before the point
    ("999999999999999 元", None),              # below 10^15 元
    ("1000000000000000 元", "Y036"),           # 10^15 元
    ("¥1000000000000000", "Y036"),
    ("12.34 元", None),
    ("12.345 元", "Y038"),                     # money is whole cents
    ("12.5%", None),
    ("1.0000000000000000001%", "Y034"),
    ("768614336404564650 年", None),           # x 12 = 9223372036854775800 <= INT_MAX
    ("768614336404564651 年", "Y037"),         # x 12 = 9223372036854775812 > INT_MAX
    ("99999999999999999999 个月", "Y037"),      # 20 digits
])
def test_literals_beyond_the_limits_are_refused_where_written(tmp_path, literal, code):
    diags, _ = check_policy_text(tmp_path,
                                 f"parameter p: int {{\n  from 2025-01-01: {literal}\n}}\n")
    errors = [d for d in diags if d.code.startswith("Y03")]
    if code is None:
        assert errors == []
    else:
        assert codes(errors) == [code]
        assert at(errors[0]) == (6, 20)
        assert len(errors[0].message("en")) < 200    # a 5000-digit literal is not quoted


def test_a_negated_constant_that_is_not_a_number_is_a_type_error_not_a_crash(tmp_path):
    diags, _ = check_policy_text(tmp_path,
                                 "parameter p: date {\n  from 2025-01-01: -(2025-01-01)\n}\n")
    assert codes(d for d in diags if d.is_error) == ["Y132"]


# ---------------------------------------------------------------- 3. keywords as names
KEYWORD_NAMES = [
    ("rule if: int {\n  = 1\n}\n", (5, 6)),
    ("output where: int {\n  = 1\n}\n", (5, 8)),
    ("rule max: int {\n  = 1\n}\n", (5, 6)),
    ("parameter sum: int {\n  from 2025-01-01: 1\n}\n", (5, 11)),
    ("enum hit {\n  a\n}\n", (5, 6)),
    ("enum E {\n  if\n}\n", (6, 3)),
    ("record row {\n  a: int\n}\n", (5, 8)),
    ("record R {\n  when: int\n}\n", (6, 3)),
    ("input person {\n  and: int\n}\n", (6, 3)),
    ("input table {\n  id: text\n}\n", (5, 7)),
    ("table first(y: int): int {\n  hit unique\n  row a: 1 => 1\n  otherwise => 0\n}\n",
     (5, 7)),
    ("table t(y: int): int {\n  hit unique\n  row unique: 1 => 1\n  otherwise => 0\n}\n",
     (7, 7)),
    ("table t(count: int): int {\n  hit unique\n  row a: 1 => 1\n  otherwise => 0\n}\n",
     (5, 9)),
    ("measure among: int {\n  = count\n}\n", (5, 9)),
    ("rule r: int {\n  = 1\n  exception then {\n    when true\n    = 2\n  }\n}\n", (7, 13)),
    ("rule r(of: int): int {\n  = of\n}\n", (5, 8)),
    ("rule r: int {\n  = count { all in [1, 2] }\n}\n", (6, 13)),
]


@pytest.mark.parametrize("body, where", KEYWORD_NAMES)
def test_a_keyword_cannot_name_a_declaration(tmp_path, body, where):
    diags, sources = check_policy_text(tmp_path, body)
    found = [d for d in diags if d.code == "Y028"]
    assert len(found) == 1, render_all(diags, "en", sources)
    assert at(found[0]) == where
    assert "keyword" in found[0].message("en") and found[0].hint_texts("en")


def test_from_and_none_may_name_record_fields_and_enum_members(tmp_path):
    body = ("enum Employment {\n  none\n  from\n}\n"
            "record Identity {\n  from: date\n  none: optional date\n}\n")
    diags, _ = check_policy_text(tmp_path, body)
    assert "Y028" not in codes(diags)


def test_the_refused_words_are_exactly_the_grammars_words():
    assert KEYWORDS == grammar_keywords()


def test_the_shipped_policies_use_no_keyword_as_a_name(at_root):
    goldens = [p for p in (ROOT / "tests/golden/policies").glob("*.policy")
               if not p.name.startswith("y028")]
    diags, _, count = check_files([ROOT / "policies", *goldens])
    assert count > 7 + 20
    assert "Y028" not in codes(diags)


def test_a_declared_name_that_is_also_a_built_in_function_means_the_declaration(tmp_path):
    # Evaluation resolves `round(...)` to the parameter `round`; the checker used to type it
    # as the built-in, and evaluation then failed on an assertion.
    body = ("parameter round: money {\n  from 2025-01-01: 1 元\n}\n"
            "output o: money {\n  = round(100.50 元)\n}\n")
    assert at(only(check_policy_text(tmp_path, body)[0], "Y156")) == (9, 5)
    body = ("rule year(y: int): int {\n  = y\n}\ninput person {\n  id: text\n  d: date\n"
            "  n: int default year(d)\n}\noutput o: int {\n  = n + year(1)\n}\n")
    # after `  n: int default `
    assert at(only(check_policy_text(tmp_path, body)[0], "Y103")) == (11, 18)


def test_on_date_needs_a_name_that_resolves_to_a_parameter(tmp_path):
    # The field `rate` hides the parameter `rate`; evaluation would read the parameter.
    body = ("input person {\n  id: text\n  rate: int\n}\n"
            "parameter rate: percent {\n  from 2025-01-01: 1%\n}\n"
            "output o: int {\n  = rate on 2025-01-01\n}\n")
    assert at(only(check_policy_text(tmp_path, body)[0], "Y207")) == (13, 5)


# ---------------------------------------------------------------- 4. reversed ranges
def test_an_in_force_range_that_ends_before_it_starts_is_an_error(tmp_path):
    path = tmp_path / "rev-range.policy"
    path.write_text('policy rev-range {\n  title "x"\n  in_force 2025-01-01 until 2024-12-31\n'
                    '  status draft\n}\n', encoding="utf-8")
    diags, _, _ = check_files([path])
    diag = only(diags, "Y151")
    assert at(diag) == (3, 3)
    path.write_text(path.read_text(encoding="utf-8").replace("2024-12-31", "2025-01-01"),
                    encoding="utf-8")
    assert "Y151" not in codes(check_files([path])[0])   # one day is a range


@pytest.mark.parametrize("column, cell, reversed_", [
    ("int", "5 .. 1", True),
    ("int", "1 .. 1", False),
    ("date", "2025-01-01 .. 2024-01-01", True),
    ("Level", "高 .. 低", True),            # enums are ordered as declared: 低 < 高
    ("Level", "低 .. 高", False),
])
def test_a_reversed_range_in_a_table_cell_is_an_error(tmp_path, column, cell, reversed_):
    body = ("enum Level {\n  低\n  高\n}\n"
            f"table t(x: {column}): int {{\n  hit first\n  row a: {cell} => 1\n"
            "  otherwise => 0\n}\n")
    diags, _ = check_policy_text(tmp_path, body)
    if reversed_:
        assert at(only(diags, "Y237")) == (11, 10)
    else:
        assert "Y237" not in codes(diags)


# ---------------------------------------------------------------- 5. types that cannot be
@pytest.mark.parametrize("type_text, column", [
    ("optional optional int", 12),
    ("list of optional optional int", 20),
])
def test_optional_of_an_optional_type_is_an_error(tmp_path, type_text, column):
    diags, _ = check_policy_text(tmp_path, f"record R {{\n  a: {type_text}\n}}\n")
    assert at(only(diags, "Y152")) == (6, column - 6)


@pytest.mark.parametrize("body, cycle", [
    ("record A {\n  a: optional A\n}\n", "A -> A"),
    ("record A {\n  b: list of B\n}\nrecord B {\n  a: A\n}\n", "A -> B -> A"),
    ("record A {\n  h: history of A\n}\n", "A -> A"),
])
def test_a_record_that_contains_itself_is_an_error_naming_the_cycle(tmp_path, body, cycle):
    diag = only(check_policy_text(tmp_path, body)[0], "Y153")
    assert at(diag) == (5, 8)
    assert cycle in diag.message("en")


def test_records_may_share_a_record_they_contain(tmp_path):
    body = ("record B {\n  x: int\n}\nrecord A {\n  b: B\n  bs: list of B\n}\n"
            "record C {\n  b: optional B\n}\n")
    assert [d for d in check_policy_text(tmp_path, body)[0] if d.is_error] == []


# ---------------------------------------------------------------- 6. streak needs where
def test_streak_without_where_is_refused_like_any_and_all(tmp_path):
    body = PERSON + "output o: int {\n  = streak { y in 2020 .. 2025 }\n}\n"
    diag = only(check_policy_text(tmp_path, body)[0], "Y218")
    assert at(diag) == (10, 5)
    assert "`streak` needs a `where` condition" in diag.message("en")


# ---------------------------------------------------------------- 7. defaults in a cycle
@pytest.mark.parametrize("fields, cycle", [
    ("  a: int default b\n  b: int default a\n", "a -> b -> a"),
    ("  a: int default b + 1\n  b: int default c\n  c: int default a\n", "a -> b -> c -> a"),
])
def test_field_defaults_that_refer_to_each_other_are_an_error(tmp_path, fields, cycle):
    body = "input person {\n  id: text\n" + fields + "}\n"
    diag = only(check_policy_text(tmp_path, body)[0], "Y154")
    assert at(diag) == (7, 18)                     # after `  a: int default `
    assert cycle in diag.message("en")


def test_a_default_that_reads_a_default_is_fine_and_self_reference_stays_y134(tmp_path):
    body = "input person {\n  id: text\n  a: int default b\n  b: int default 1\n}\n"
    assert [d for d in check_policy_text(tmp_path, body)[0] if d.is_error] == []
    body = "input person {\n  id: text\n  a: int default a\n}\n"
    assert codes(d for d in check_policy_text(tmp_path, body)[0] if d.is_error) == ["Y134"]


# ---------------------------------------------------------------- 8. deep nesting, located
def test_deep_nesting_is_reported_where_the_limit_is_crossed(tmp_path):
    # The declaration is level 1, its body level 2 and the k-th `not` level k + 2, so the
    # first past the limit (200) is the 199th `not`: column 5 + 4 * 198.
    body = "output o: bool {\n  = " + "not " * 3000 + "true\n}\n"
    diag = only(check_policy_text(tmp_path, body)[0], "Y026")
    assert at(diag) == (6, 5 + 4 * 198)
    assert str(limits.MAX_SYNTAX_DEPTH) in diag.message("en")


def test_deep_types_and_several_deep_declarations_each_get_one_message(tmp_path):
    body = ("record R {\n  a: " + "list of " * 300 + "int\n}\n"
            "output o: int {\n  = " + "-" * 5000 + "1\n}\n")
    diags = check_policy_text(tmp_path, body)[0]
    assert codes(diags) == ["Y026", "Y026"]
    assert [d.span.line for d in diags] == [6, 9]


@pytest.mark.parametrize("opening, closing", [("(", ")"), ("[", "]")])
def test_brackets_nested_past_the_limit_are_refused_at_the_bracket(tmp_path, opening, closing):
    # Parentheses make no node of the parse tree, so only the bracket count sees them.
    # Line 5 is `output o: int {` (its brace is level 1); line 6 is `  = ((((...`, whose
    # first bracket, at column 5, is level 2: level 201 is the 200th, at column 204.
    body = f"output o: int {{\n  = {opening * 300}1{closing * 300}\n}}\n"
    diag = only(check_policy_text(tmp_path, body)[0], "Y026")
    assert at(diag) == (6, 4 + limits.MAX_SYNTAX_DEPTH)
    # a bracket inside a string or a comment is text, not nesting
    body = f'output o: text {{\n  = "{opening * 300}"   # {opening * 300}\n}}\n'
    assert [d for d in check_policy_text(tmp_path, body)[0] if d.is_error] == []


def test_a_file_full_of_nesting_is_refused_at_the_depth_limit(tmp_path):
    # as deep as a policy file can hold: one unary minus per byte
    body = "output o: int {\n  = " + "-" * (limits.MAX_POLICY_BYTES - 200) + "1\n}\n"
    assert codes(check_policy_text(tmp_path, body)[0]) == ["Y026"]


# ---------------------------------------------------------------- 9. cycles and call chains
def rules_chain(count: int, ring: bool) -> str:
    """Output q0 uses rule q1, which uses q2 ... up to the last; in a ring that one uses q0
    again.  One short line per rule, numbered in base 36 (q0 .. q9, qa ..; no keyword starts
    with q), so that 20,000 rules fit in a policy file (limits.MAX_POLICY_BYTES)."""
    def name(i: int) -> str:
        digits = ""
        while True:
            i, d = divmod(i, 36)
            digits = "0123456789abcdefghijklmnopqrstuvwxyz"[d] + digits
            if i == 0:
                return "q" + digits
    last = "q0" if ring else "1"
    return "".join(f"{'output' if i == 0 else 'rule'} {name(i)}:int{{={name(i + 1) if i + 1 < count else last}}}\n"
                   for i in range(count))


def test_a_ring_of_twenty_thousand_rules_is_one_located_cycle(tmp_path):
    diags, _ = check_policy_text(tmp_path, rules_chain(20_000, ring=True))
    diag = only(diags, "Y310")
    assert at(diag) == (5, 8)                       # q0, where the search closes the ring
    message = diag.message("en")
    assert message.startswith("rules depend on each other in a cycle: q0 -> q1 -> ")
    assert "(19989 more)" in message and len(message) < 300


@pytest.mark.parametrize("count, refused", [(limits.MAX_CALL_DEPTH, False),
                                            (limits.MAX_CALL_DEPTH + 1, True)])
def test_a_chain_of_uses_longer_than_the_limit_is_refused_at_its_start(tmp_path, count,
                                                                       refused):
    diags, _ = check_policy_text(tmp_path, rules_chain(count, ring=False))
    if not refused:
        assert [d for d in diags if d.is_error] == []
        return
    diag = only(diags, "Y315")
    assert at(diag) == (5, 8)                       # q0, the outermost rule
    assert f"chain of {count} rules" in diag.message("en")


# ---------------------------------------------------------------- 10. parent files
def child_of(tmp_path: Path) -> Path:
    child = tmp_path / "child-one.policy"
    child.write_text('policy child-one extends parent-one {\n  title "x"\n  status draft\n}\n',
                     encoding="utf-8")
    return child


def test_a_parent_that_is_a_directory_is_reported_at_extends(tmp_path):
    (tmp_path / "parent-one.policy").mkdir()
    diag = only(check_files([child_of(tmp_path)])[0], "Y005")
    assert (diag.span.path, *at(diag)) == (str(tmp_path / "child-one.policy"), 1, 26)
    assert "directory" in diag.message("en")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_parent_that_is_a_fifo_is_reported_at_extends_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "parent-one.policy")
    diag = only(check_files([child_of(tmp_path)])[0], "Y005")
    assert at(diag) == (1, 26) and "FIFO" in diag.message("en")


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null here")
def test_a_parent_that_is_a_device_is_reported_at_extends(tmp_path):
    (tmp_path / "parent-one.policy").symlink_to("/dev/null")
    diag = only(check_files([child_of(tmp_path)])[0], "Y005")
    assert at(diag) == (1, 26) and "device" in diag.message("en")


def test_a_parent_too_large_is_reported_at_extends(tmp_path):
    (tmp_path / "parent-one.policy").write_bytes(b"#" * (limits.MAX_POLICY_BYTES + 1))
    assert at(only(check_files([child_of(tmp_path)])[0], "Y004")) == (1, 26)


def test_a_parent_that_is_not_utf8_is_reported_at_its_bad_byte(tmp_path):
    (tmp_path / "parent-one.policy").write_bytes(
        'policy parent-one {\n  title "参保"\n}\n'.encode("gbk"))
    diag = only(check_files([child_of(tmp_path)])[0], "Y002")
    assert (diag.span.path, *at(diag)) == (str(tmp_path / "parent-one.policy"), 2, 10)


def test_a_parent_name_too_long_for_the_system_is_reported_at_extends(tmp_path):
    parent = "p-" + "x" * 300
    child = tmp_path / "child-one.policy"
    child.write_text(f'policy child-one extends {parent} {{\n  title "x"\n  status draft\n}}\n',
                     encoding="utf-8")
    diag = only(check_files([child])[0], "Y003")
    assert at(diag) == (1, 26)


def test_the_extends_chain_is_limited(tmp_path):
    def write_chain(length: int) -> Path:
        for i in range(length):
            parent = f" extends chain-{i + 1}" if i + 1 < length else ""
            (tmp_path / f"chain-{i}.policy").write_text(
                f'policy chain-{i}{parent} {{\n  title "x"\n  status template\n}}\n',
                encoding="utf-8")
        return tmp_path / "chain-0.policy"
    assert [d for d in check_files([write_chain(limits.MAX_CHAIN)])[0] if d.is_error] == []
    diag = only(check_files([write_chain(limits.MAX_CHAIN + 1)])[0], "Y313")
    assert diag.span.path.endswith(f"chain-{limits.MAX_CHAIN - 1}.policy")


# ---------------------------------------------------------------- 11. small diagnostics
def test_a_long_line_is_quoted_around_the_span_with_the_caret_under_it(tmp_path):
    label = "参" * 40_000                       # 80,000 columns of full-width text
    body = f'output o: int {{ label "{label}" = nowhere }}\n'
    diags, sources = check_policy_text(tmp_path, body)
    diag = only(diags, "Y107")
    text = render_all([diag], "en", sources)
    assert len(text) < 1000
    quoted, caret = text.splitlines()[1:3]
    assert quoted.startswith("   5 | …") and quoted.endswith("}")
    # the caret sits under `nowhere`: count the display columns before it by hand
    before = quoted[len("   5 | "):quoted.index("nowhere")]
    columns = sum(2 if ch == "参" else 1 for ch in before)
    assert caret == "     | " + " " * columns + "^" * len("nowhere")


def test_a_long_span_gets_a_bounded_caret_and_long_tokens_are_cut(tmp_path):
    name = "x" * 100_000
    diags, sources = check_policy_text(tmp_path, f"{name}\n")
    diag = only(diags, "Y021")
    assert len(diag.message("en")) < 100
    text = render_all([diag], "en", sources)
    assert len(text) < 1000 and "…" in text


def test_diagnostics_shown_per_file_are_capped_but_all_are_counted(tmp_path):
    body = "".join(f"output o{i}: int {{\n  = nowhere{i}\n}}\n" for i in range(300))
    diags, sources = check_policy_text(tmp_path, body)
    assert codes(diags) == ["Y107"] * 300
    text = render_all(diags, "en", sources)
    assert text.count("error[Y107]") == limits.MAX_DIAGNOSTICS_PER_FILE
    assert text.endswith("error[Y099]: 100 more diagnostic(s) in this file are not shown "
                         "(100 error(s), 0 warning(s)); only the first 200 are")
    result = CliRunner().invoke(cli.main, ["check", str(tmp_path / "hard-test.policy")])
    assert result.exit_code == 1
    assert "300 error(s), 0 warning(s)" in result.stdout


# ---------------------------------------------------------------- 12. table analysis
def table_text(rows: list[str], hit: str = "unique", otherwise: bool = True) -> str:
    return (PERSON + f"table t(y: int): int {{\n  hit {hit}\n" + "".join(rows) +
            ("  otherwise => 0\n" if otherwise else "") + "}\noutput o: int {\n  = t(years)\n}\n")


def test_a_thousand_row_table_is_analysed_once_and_found_sound(tmp_path):
    # its speed against the row-by-row analysis is measured in benchmarks/hostile_inputs.py
    rows = [f"  row r{i}: {i} .. {i} => {i}\n" for i in range(1000)]
    diags, _ = check_policy_text(tmp_path, table_text(rows))
    assert diags == []


def test_identical_rows_give_ten_overlaps_and_a_count_of_the_rest(tmp_path):
    diags, _ = check_policy_text(tmp_path,
                                 table_text([f"  row r{i}: - => 1\n" for i in range(2000)]))
    assert codes(diags) == ["Y230"] * limits.MAX_TABLE_FINDINGS + ["Y238"]
    # every pair overlaps: 2000 * 1999 / 2 = 1999000 pairs, 10 of them listed
    assert dict(diags[-1].args)["count"] == 1_999_000 - 10
    assert [dict(d.args)["second"] for d in diags[:3]] == ["r1", "r2", "r3"]


def test_rows_that_never_apply_are_listed_up_to_the_cap(tmp_path):
    rows = ["  row first_row: - => 0\n"] + [f"  row r{i}: - => {i}\n" for i in range(25)]
    diags, _ = check_policy_text(tmp_path, table_text(rows, hit="first"))
    assert codes(diags) == ["Y233"] * limits.MAX_TABLE_FINDINGS + ["Y239"]
    assert dict(diags[-1].args)["count"] == 25 - 10


def test_a_table_over_the_row_limit_is_refused(tmp_path, monkeypatch):
    from yibao.interpreter import checker

    monkeypatch.setattr(checker, "MAX_TABLE_ROWS", 3)
    diags, _ = check_policy_text(tmp_path, table_text([f"  row r{i}: - => 1\n" for i in range(4)]))
    diag = only(diags, "Y155")
    assert at(diag) == (9, 7) and dict(diag.args)["rows"] == 4


def test_an_optional_list_column_is_analysed_and_evaluated_without_a_crash(tmp_path):
    import datetime as dt

    from yibao.interpreter.api import evaluate

    body = ("enum 身份 {\n  甲\n  乙\n}\ninput person {\n  id: text\n"
            "  held: optional list of 身份\n}\n"
            "table t(held: optional list of 身份): int {\n  hit first\n  row a: 甲 => 1\n"
            "  row b: [甲, 乙] => 2\n  otherwise => 0\n}\noutput o: int {\n  = t(held)\n}\n")
    diags, _ = check_policy_text(tmp_path, body)
    assert [d for d in diags if d.is_error] == []
    policy = load_policy(tmp_path / "hard-test.policy")
    on = dt.date(2026, 1, 1)
    assert evaluate(policy, {"id": "A", "held": None}, on).values["o"] == 0
    assert evaluate(policy, {"id": "A", "held": ("乙",)}, on).values["o"] == 2


def reference_analysis(table, columns, cells) -> list[tuple]:
    """Every finding, worked out the slow, obvious way: try each combination of
    representative inputs against each row; then the caps, as documented."""
    import itertools

    from yibao.interpreter.tables import describe, matches, representatives

    constants = [[v for row in cells for v in _cell_constants(row[c])]
                 for c in range(len(columns))]
    domains = [representatives(col, consts) for col, consts in zip(columns, constants)]
    fired, pairs, found = set(), [], []
    for vector in itertools.product(*domains):
        hits = [r for r, row in enumerate(cells)
                if all(matches(t, op, key, given, value, high)
                       for (t, op, key, value, high), given in zip(row, vector))]
        fired.update(hits[:1] if table.hit == "first" else hits)
        if table.hit == "unique":
            for pair in itertools.combinations(hits, 2):
                if pair not in [p for p, _ in pairs]:
                    pairs.append((pair, describe(table.params, vector)))
        if not hits and table.otherwise is None and not any(f[0] == "Y231" for f in found):
            found.append(("Y231", describe(table.params, vector)))
    cap = limits.MAX_TABLE_FINDINGS
    found += [("Y230", a, b, example) for (a, b), example in pairs[:cap]]
    if len(pairs) > cap:
        found.append(("Y238", len(pairs) - cap))
    never = [r for r in range(len(cells)) if r not in fired]
    found += [("Y233" if table.hit == "first" else "Y232", r) for r in never[:cap]]
    if len(never) > cap:
        found.append(("Y239", len(never) - cap))
    return sorted(found, key=repr)


def _cell_constants(cell):
    test, _, _, value, high = cell
    if test == "any":
        return []
    values = list(value) if isinstance(value, tuple) else [value]
    return [v for v in values + ([high] if high is not None else []) if v is not None]


def findings(table, columns, cells) -> list[tuple]:
    from yibao.interpreter.tables import analyse

    diags = []
    analyse(table, columns, cells, diags)
    rows = {row.name: r for r, row in enumerate(table.rows)}
    out = []
    for d in diags:
        args = dict(d.args)
        if d.code == "Y230":
            out.append(("Y230", rows[args["first"]], rows[args["second"]], args["example"]))
        elif d.code == "Y231":
            out.append(("Y231", args["example"]))
        elif d.code in ("Y232", "Y233"):
            out.append((d.code, rows[args["row"]]))
        else:
            out.append((d.code, args["count"]))
    return sorted(out, key=repr)


def test_the_fast_analysis_finds_what_trying_every_row_finds():
    import random
    from types import SimpleNamespace

    from yibao.interpreter.tables import ordinal
    from yibao.interpreter.types import BOOL, INT, EnumTy, ListTy, OptionalTy

    level = EnumTy("Level", ("低", "中", "高"))
    kinds = [INT, OptionalTy(INT), level, BOOL, ListTy(level), OptionalTy(ListTy(level))]
    generator = random.Random(20250101)

    def cell(column):
        ordered = column in (INT, OptionalTy(INT), level)
        pick = generator.choice(["any", "equal", "one_of"] + ["compare", "range"] * ordered)
        values = list(level.members) if level in (column, getattr(column, "inner", None)) \
            else [True, False] if column == BOOL else list(range(6))
        if isinstance(column, ListTy) or isinstance(getattr(column, "inner", None), ListTy):
            values = list(level.members)
            pick = generator.choice(["any", "contains", "intersects"])
        if pick == "any":
            return ("any", None, None, None, None)
        if pick == "compare":
            return ("compare", generator.choice(["==", "!=", "<", "<=", ">", ">="]),
                    ordinal(column), generator.choice(values), None)
        if pick == "range":
            low, high = sorted(generator.sample(range(len(values)), 2))
            return ("range", None, ordinal(column), values[low], values[high])
        if pick in ("one_of", "intersects"):
            return (pick, None, None, tuple(generator.sample(values, 2)), None)
        if column == OptionalTy(INT) and generator.random() < 0.2:
            return ("equal", None, None, None, None)      # a `none` cell
        return (pick, None, None, generator.choice(values), None)

    for case in range(300):
        columns = generator.sample(kinds, generator.choice([1, 2]))
        count = generator.randint(1, 14)
        cells = [[cell(column) for column in columns] for _ in range(count)]
        table = SimpleNamespace(
            name="t", name_span=None, hit=generator.choice(["unique", "first", "max"]),
            otherwise=generator.choice([None, object()]),
            params=[SimpleNamespace(name=f"x{c}") for c in range(len(columns))],
            rows=[SimpleNamespace(name=f"r{r}", span=None) for r in range(count)])
        assert findings(table, columns, cells) == reference_analysis(table, columns, cells), \
            f"case {case}: {columns} {cells} hit {table.hit}"


# ---------------------------------------------------------------- 13. large policies
def test_many_unknown_names_among_many_declarations_check_in_linear_time(tmp_path):
    # Each "did you mean" reads every declared name; worked out for all 3000 unknown names
    # among 6000 declarations this took over a minute.  Only shown messages work it out.
    body = PERSON + "".join(
        f"parameter p{i}: int {{\n  from 2025-01-01: {i}\n}}\n"
        f"output o{i}: int {{\n  = p{i}x + years\n}}\n" for i in range(3000))
    diags, sources = check_policy_text(tmp_path, body)
    assert codes(d for d in diags if d.is_error) == ["Y107"] * 3000
    assert "did you mean p0, " in render_all(diags[:1], "en", sources)


def test_a_suggestion_worked_out_late_still_pickles_as_its_text(tmp_path):
    import pickle

    body = PERSON + "output o: int {\n  = yeras\n}\n"
    (diag,) = [d for d in check_policy_text(tmp_path, body)[0] if d.is_error]
    copy = pickle.loads(pickle.dumps(diag))     # e.g. from a worker process
    assert copy.hint_texts("en") == diag.hint_texts("en") == ["did you mean years?"]


# ---------------------------------------------------------------- 14. encodings
def test_a_policy_starting_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "bom-one.policy"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER.format(pid="bom-one") + PERSON +
                                        "output o: int {\n  = years\n}\n").encode("utf-8"))
    model, diags = build_model(path)
    assert diags == [] and model.outputs == ["o"]


def test_a_policy_in_gbk_is_reported_at_its_first_bad_byte_with_a_hint(tmp_path):
    path = tmp_path / "gbk-one.policy"
    path.write_bytes('policy gbk-one {\n  title "参保"\n  status draft\n}\n'.encode("gbk"))
    diags, sources, _ = check_files([path])
    diag = only(diags, "Y002")
    assert at(diag) == (2, 10)                     # after `  title "`
    assert "byte 26" in diag.message("en")       # 17 + 9 bytes before it
    assert "GBK" in diag.hint_texts("en")[0]


@pytest.mark.parametrize("guard, column", [
    ("when age = 60", 14),            # 4 spaces, `when age ` -> the `=` is column 14
    ("when age >= 18 and age = 60", 28),
])
def test_a_single_equals_in_when_is_reported_on_its_own_line(tmp_path, guard, column):
    text = ("policy eq-test {\n  title \"t\"\n}\n\ninput person {\n  id: text\n  age: int\n}\n\n"
            "output x: int {\n  = 1\n  exception old {\n    " + guard + "\n    = 2\n  }\n}\n")
    path = tmp_path / "eq-test.policy"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DiagnosticError) as err:
        load_policy(path)
    (diag,) = err.value.diagnostics
    assert diag.code == "Y010" and (diag.span.line, diag.span.column) == (13, column)


OPTIONAL_RECORD = """policy opt-test {
  title "t"
  status draft
}

record Student {
  entry_year: int
}

input person {
  id: text
  student: optional Student
}

output narrowed: int {
  = if student is not none then student.entry_year else 0
}
"""


def test_a_field_of_an_optional_record_needs_a_test_first(tmp_path):
    path = tmp_path / "opt-test.policy"
    path.write_text(OPTIONAL_RECORD, encoding="utf-8")
    load_policy(path)                           # read under `is not none`: accepted
    path.write_text(OPTIONAL_RECORD + "\noutput bare: int {\n  = student.entry_year\n}\n",
                    encoding="utf-8")
    with pytest.raises(DiagnosticError) as err:
        load_policy(path)
    (diag,) = err.value.diagnostics
    # Reported at `student`, the value that may be missing: OPTIONAL_RECORD is 17 lines, then
    # a blank line, `output bare` on 18 + 1 = 19, and `  = student...` on 20 (column 5).
    assert diag.code == "Y222" and (diag.span.line, diag.span.column) == (20, 5)
    assert "student" in diag.message("en") and "entry_year" in diag.message("en")


DROPPING_PARENT = """policy drop-parent {
  title "父"
  status template
}

input person {
  id: text
  newborn: bool default false
  old: bool default false
}

output wait: int {
  = 3
  exception newborn {
    when newborn
    = 0
  }
  exception old {
    when old
    = 1
  }
}
"""


def _override_of_wait(tmp_path, exceptions: str) -> list:
    (tmp_path / "drop-parent.policy").write_text(DROPPING_PARENT, encoding="utf-8")
    child = tmp_path / "drop-child.policy"
    child.write_text('policy drop-child extends drop-parent {\n  title "子"\n  status draft\n}\n\n'
                     "override output wait: int {\n  = 6\n" + exceptions + "}\n",
                     encoding="utf-8")
    diags, _, _ = check_files([child])
    return [d for d in diags if d.span is None or d.span.path == str(child)]


def test_an_override_that_drops_inherited_exceptions_is_warned(tmp_path):
    kept_one = "  exception old {\n    when old\n    = 1\n  }\n"
    (diag,) = _override_of_wait(tmp_path, kept_one)
    assert (diag.code, diag.severity) == ("Y316", "warning")
    assert "newborn" in diag.message("en") and "old" not in dict(diag.args)["exceptions"]
    both = kept_one + "  exception newborn {\n    when newborn\n    = 0\n  }\n"
    assert _override_of_wait(tmp_path, both) == []
