"""`yibao fmt`: the canonical layout (golden pairs in tests/fmt/: NAME.policy formats to
NAME.formatted; reset with YIBAO_RESET_GOLDENS=1 and review in git diff), its properties
over every policy we have and over generated ones, and the command."""
from __future__ import annotations

import collections
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yibao import cli
from yibao.interpreter.diagnostics import DiagnosticError
from yibao.interpreter.fmt import format_source
from yibao.interpreter.parser import parse_source
from yibao.interpreter.source import SourceFile

from .conftest import ROOT, compare_golden

GOLDENS = sorted((ROOT / "tests/fmt").glob("*.policy"))
CORPUS = [*sorted((ROOT / "policies").glob("*.policy")), *GOLDENS,
          *sorted((ROOT / "tests/fmt").glob("*.formatted")),
          *sorted((ROOT / "tests/golden/policies").glob("ok-*.policy")),
          ROOT / "tests/golden/policies/golden-base.policy"]


def _parse(text: str):
    return parse_source(SourceFile.from_text("<text>", text))


def _comments(text: str) -> collections.Counter:
    return collections.Counter(c.text.rstrip() for c in _parse(text).comments)


def _owners(text: str) -> list[tuple[int, str]]:
    """Each comment with the declaration it is in or leads (-1: the header)."""
    policy = _parse(text)
    ends = [policy.header.span.end] + [item.span.end for item in policy.items]
    out = []
    for c in policy.comments:
        owner = next((i - 1 for i, end in enumerate(ends) if c.span.start < end), len(ends))
        out.append((owner, c.text.rstrip()))
    return out


def _check_properties(text: str) -> str:
    once = format_source(text)
    assert format_source(once) == once, "formatting is not idempotent"
    assert _parse(once) == _parse(text), "the formatted text means something else"
    assert _comments(once) == _comments(text), "a comment was lost or changed"
    assert _owners(once) == _owners(text), "a comment moved to another declaration"
    return once


# ------------------------------------------------------------------ goldens and properties
@pytest.mark.parametrize("path", GOLDENS, ids=lambda p: p.stem)
def test_golden(path):
    compare_golden(path.with_suffix(".formatted"),
                   format_source(path.read_text(encoding="utf-8"), str(path)))


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_properties_hold_for_every_policy_we_have(path):
    _check_properties(path.read_text(encoding="utf-8"))


def test_the_shipped_policies_are_formatted():
    for path in sorted((ROOT / "policies").glob("*.policy")):
        text = path.read_text(encoding="utf-8")
        assert format_source(text, str(path)) == text, f"run: yibao fmt {path}"


def test_goldens_cover_comments_in_every_place():
    text = (ROOT / "tests/fmt/comments.formatted").read_text(encoding="utf-8")
    for where in ("before the title", "end of the title line", "before an enum",
                  "end of a member", "before the enum's closing brace", "after the condition",
                  "first operand", "own line between operands", "between exceptions",
                  "before a row", "end of a row", "before otherwise", "at the end of the file",
                  "inside a call", "inside an aggregate"):
        assert f"# {where}" in text


def test_chinese_text_and_literals_are_printed_as_written():
    text = ('policy a-b {\n  title "标题 〔2024〕 “引号” \\"转义\\""\n}\n\n'
            'parameter 额度: money {\n  label "额度(元)"\n  from 2025-01-01: 3000元\n}\n\n'
            'parameter 比例: percent {\n  from 2025-01-01: 7.50%\n}\n')
    assert format_source(text) == text


def test_layout_whitespace_inside_a_literal_is_one_space():
    text = "policy a-b {\n}\nparameter x: money {\n  from 2025-01-01: 3000 \t 元\n}\n"
    assert "from 2025-01-01: 3000 元\n" in format_source(text)


def test_a_syntax_error_raises_the_parsers_located_diagnostic():
    with pytest.raises(DiagnosticError) as caught:
        format_source("policy a-b {\n}\nrule x: int {\n  = 1 = 2\n}\n", "bad.policy")
    span = caught.value.diagnostics[0].span
    assert (span.path, span.line, span.column) == ("bad.policy", 4, 7)


def test_a_long_sum_needs_no_deep_recursion():
    terms = " + ".join(["1"] * 150)
    out = _check_properties(f"policy a-b {{\n}}\nrule x: int {{\n  = {terms}\n}}\n")
    assert max(len(line) for line in out.splitlines()) <= 100


# ------------------------------------------------------------------ generated programs
_NAMES = st.sampled_from(["a", "b", "benefit_year", "甲", "参保年度", "x1"])
_ATOMS = st.one_of(
    _NAMES, st.integers(0, 99).map(str), st.sampled_from(
        ["3000 元", "¥5", "20%", "1.5", "2025-01-01", "3 个月", '"文本"', "true", "none"]))


def _combine(kids):
    """An expression of expressions, each bracketed so that any combination parses; the
    formatter then has to drop the brackets precedence does not need."""
    p = kids.map(lambda e: f"({e})")
    binary = st.sampled_from(["or", "and", "==", "<", "+", "-", "*", "/", "in", "not in"])
    return st.one_of(
        st.tuples(p, binary, p).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        p.map(lambda e: f"not {e}"), p.map(lambda e: f"-{e}"),
        st.tuples(p, p, p).map(lambda t: f"if {t[0]} then {t[1]} else {t[2]}"),
        st.tuples(st.sampled_from(["sum", "any", "count", "max"]), p, p, p).map(
            lambda t: f"{t[0]} {{ v in {t[1]} where {t[2]} => {t[3]} default 0 }}"),
        st.tuples(p, p).map(lambda t: f"{t[0]} .. {t[1]}").map(
            lambda r: f"count {{ y in {r} }}"),
        st.lists(kids, max_size=3).map(lambda xs: f"f({', '.join(xs)})"),
        st.lists(kids, max_size=3).map(lambda xs: f"[{', '.join(xs)}]"),
        p.map(lambda e: f"{e}.字段"), st.tuples(p, kids).map(lambda t: f"{t[0]}[{t[1]}]"),
        p.map(lambda e: f"exists {e}"), st.tuples(p, p).map(lambda t: f"{t[0]} on {t[1]}"),
        p.map(lambda e: f"{e} is not none"))


_EXPR = st.recursive(_ATOMS, _combine, max_leaves=12)
# What goes between two tokens: any layout, or a comment (which ends its line).
_SEP = st.sampled_from([" ", " ", "  ", "\n", "\n\n  ", "\t", " # 注释\n", "\n# own line\n"])


@st.composite
def _programs(draw) -> str:
    parts = ["policy gen-x {", "title", '"生成"', "}",
             "rule", "r", ":", "int", "{", "label", '"规则"', "when", draw(_EXPR), "=",
             draw(_EXPR), "exception", "e", "{", "when", draw(_EXPR), "=", draw(_EXPR), "}",
             "}", "parameter", "p", ":", "int", "{", "from", "2025-01-01", ":", draw(_EXPR),
             "}"]
    text = parts[0]
    for part in parts[1:]:
        # Tokens inside a generated expression keep their spaces; comments and line
        # breaks are drawn between the program's own tokens.
        text += draw(_SEP) + part
    return text + draw(st.sampled_from(["\n", "\n# the end\n", "  # last\n"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_programs())
def test_properties_hold_for_generated_programs(text):
    _check_properties(text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_EXPR, st.lists(st.sampled_from([" # 甲\n", "\n# 乙\n", "\n"]), max_size=4), st.data())
def test_comments_inside_expressions_are_kept(expr, comments, data):
    tokens = expr.split(" ")
    for comment in comments:
        at = data.draw(st.integers(1, max(1, len(tokens) - 1)))
        tokens.insert(at, comment)
    body = " ".join(tokens)
    text = f"policy gen-x {{\n}}\nrule r: int {{\n  = {body}\n}}\n"
    try:
        _parse(text)
    except DiagnosticError:     # a comment drawn inside a string or before `..`'s operand
        return
    _check_properties(text)


# ------------------------------------------------------------------ the command
MESSY = "policy a-b {\n}\nrule x: int {  = 1 }\n"
TIDY = "policy a-b { }\n\nrule x: int {\n  = 1\n}\n"
BAD = "policy a-b {\n}\nrule x: int {\n  = 1 = 2\n}\n"


def _yibao(*args, stdin=None):
    return CliRunner().invoke(cli.main, [str(a) for a in args], input=stdin)


def test_fmt_rewrites_changed_files_in_place_and_says_so(tmp_path):
    (tmp_path / "messy.policy").write_text(MESSY, encoding="utf-8")
    (tmp_path / "tidy.policy").write_text(TIDY, encoding="utf-8")
    done = _yibao("fmt", tmp_path)
    assert done.exit_code == 0, done.output
    assert (tmp_path / "messy.policy").read_text(encoding="utf-8") == TIDY
    assert "1 file(s) reformatted, 1 unchanged" in done.stdout
    again = _yibao("fmt", tmp_path / "messy.policy")
    assert again.exit_code == 0 and "0 file(s) reformatted, 1 unchanged" in again.stdout


def test_fmt_check_lists_what_would_change_and_writes_nothing(tmp_path):
    messy = tmp_path / "messy.policy"
    messy.write_text(MESSY, encoding="utf-8")
    done = _yibao("fmt", "--check", tmp_path)
    assert done.exit_code == 1
    assert f"would reformat {messy}" in done.stdout
    assert messy.read_text(encoding="utf-8") == MESSY
    messy.write_text(TIDY, encoding="utf-8")
    assert _yibao("fmt", "--check", tmp_path).exit_code == 0


def test_fmt_diff_prints_a_unified_diff(tmp_path):
    messy = tmp_path / "messy.policy"
    messy.write_text(MESSY, encoding="utf-8")
    done = _yibao("fmt", "--diff", messy)
    assert done.exit_code == 0
    assert f"--- {messy}" in done.stdout and "-rule x: int {  = 1 }" in done.stdout
    assert "+  = 1" in done.stdout
    assert messy.read_text(encoding="utf-8") == MESSY
    assert _yibao("fmt", "--diff", "--check", messy).exit_code == 1


def test_fmt_reads_standard_input_and_writes_standard_output():
    done = _yibao("fmt", "-", stdin=MESSY)
    assert done.exit_code == 0
    assert done.stdout == TIDY


def test_fmt_reports_a_syntax_error_located_and_formats_the_others(tmp_path):
    bad = tmp_path / "bad.policy"
    bad.write_text(BAD, encoding="utf-8")
    messy = tmp_path / "messy.policy"
    messy.write_text(MESSY, encoding="utf-8")
    done = _yibao("fmt", tmp_path)
    assert done.exit_code == 2
    assert f"{bad}:4:7: error[Y010]" in done.stderr
    assert bad.read_text(encoding="utf-8") == BAD
    assert messy.read_text(encoding="utf-8") == TIDY
    assert "1 could not be formatted" in done.stdout


def test_fmt_needs_a_path_and_takes_standard_input_alone(tmp_path):
    assert "C645" in _yibao("fmt").stderr
    both = _yibao("fmt", "-", tmp_path, stdin=MESSY)
    assert both.exit_code == 2 and "C646" in both.stderr
    missing = _yibao("fmt", tmp_path / "nothing.policy")
    assert missing.exit_code == 2 and "C601" in missing.stderr
