"""After a syntax error, every later declaration is parsed on its own, so that each broken
declaration is reported in one run (and in the editor as the author types), each at its
own line, column and offset."""
from __future__ import annotations

import pytest

from yibao.interpreter.diagnostics import DiagnosticError
from yibao.interpreter.parser import (MAX_LATER_SYNTAX_ERRORS, parse_source)
from yibao.interpreter.source import SourceFile

HEADER = 'policy a-b {\n  title "x"\n}\n\n'


def _errors(text: str):
    with pytest.raises(DiagnosticError) as raised:
        parse_source(SourceFile.from_text("p.policy", text))
    return raised.value.diagnostics


def test_each_broken_declaration_is_reported_at_its_place():
    text = HEADER + ("rule one: int {\n  = 1 +\n}\n\n"
                     "rule two: int {\n  = 2\n}\n\n"
                     "rule three: bool {\n  = a && b\n}\n\n"
                     "# a comment at column 0\n"
                     'output four: int {\n  label "四"\n  = if x then 1\n}\n')
    found = _errors(text)
    assert [(d.code, d.span.line, d.span.column) for d in found] == \
        [("Y021", 7, 1), ("Y020", 14, 7), ("Y021", 21, 1)]
    # offsets are the file's own: the span's text is what was written there
    assert [text[d.span.start:d.span.end] for d in found] == ["}", "&", "}"]


def test_one_broken_declaration_is_one_error():
    text = HEADER + "rule one: int {\n  = 1 +\n}\n\nrule two: int {\n  = 2\n}\n"
    assert [d.span.line for d in _errors(text)] == [7]


def test_a_broken_header_is_the_only_error():
    text = 'policy a-b {\n  title\n}\n\nrule one: int {\n  = 1 +\n}\n'
    assert len(_errors(text)) == 1
    # a declaration before the header: the file does not start with one (Y017), once
    text = "rule {\n" + HEADER + "rule one: int {\n  = 1 +\n}\n\nrule two: int {\n  = 2 +\n}\n"
    assert [d.code for d in _errors(text)] == ["Y017"]


def test_a_missing_brace_is_not_reported_again_by_the_declarations_after_it():
    # `one` never closes; the parse stops at `rule two`, and two and three parse alone
    text = HEADER + "rule one: int {\n  = 1\n\nrule two: int {\n  = 2\n}\n\n" \
        "rule three: int {\n  = 3\n}\n"
    found = _errors(text)
    assert len(found) == 1 and found[0].span.line == 8


def test_the_errors_after_the_first_are_bounded():
    text = HEADER + "".join(f"rule r{i}: int {{\n  = {i} +\n}}\n\n" for i in range(60))
    assert len(_errors(text)) == 1 + MAX_LATER_SYNTAX_ERRORS
