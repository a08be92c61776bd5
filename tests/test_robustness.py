"""Bad policy text of any kind ends in diagnostics, never in a Python exception.

Mutations of real policy files (characters deleted, duplicated, swapped or inserted)
are parsed and checked; the only acceptable outcomes are a checked policy or a
DiagnosticError whose diagnostics all carry a code and a place.
"""
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yibao.interpreter.diagnostics import DiagnosticError
from yibao.interpreter.render_diagnostics import render_all
from yibao.interpreter.loader import build_model
from yibao.interpreter.parser import parse_source
from yibao.interpreter.source import SourceFile

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = (ROOT / "policies/national-2024-38.policy").read_text(encoding="utf-8")
INSERTS = ["=", "==", "{", "}", "(", ")", "[", "]", ",", ":", "..", "=>", '"', "#", "-", "元",
           "%", "2025-02-30", "override ", "exception e { when true = 1 }", "rule ", "&&",
           "not ", "y", "9999999999999999999", "\n", "为"]


@st.composite
def mutated(draw):
    text = TEMPLATE
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["delete", "insert", "duplicate"]))
        if action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 12)):]
        elif action == "insert":
            text = text[:at] + draw(st.sampled_from(INSERTS)) + text[at:]
        else:
            end = min(len(text), at + draw(st.integers(1, 40)))
            text = text[:at] + text[at:end] + text[at:]
    return text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_policy_text_gives_located_diagnostics(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("mutant")
    (folder / "records-contract.policy").write_text(
        (ROOT / "policies/records-contract.policy").read_text(encoding="utf-8"), encoding="utf-8")
    path = folder / "national-2024-38.policy"
    path.write_text(text, encoding="utf-8")
    try:
        model, diags = build_model(path)
    except DiagnosticError as err:
        diags = err.diagnostics
        sources = getattr(err, "sources", {})
    else:
        sources = model.sources
    for d in diags:
        assert d.code and (d.span is not None or d.file is not None)
    render_all(diags, "en", sources)   # rendering never fails either
    render_all(diags, "zh", sources)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_crashes_the_parser(text):
    try:
        parse_source(SourceFile.from_text("x.policy", text))
    except DiagnosticError as err:
        assert all(d.code.startswith("Y") for d in err.diagnostics)


def test_long_expressions_check_and_absurd_ones_are_refused(tmp_path):
    # A sum parses left-deep: n terms nest n levels.  150 terms are well inside
    # limits.MAX_SYNTAX_DEPTH (200) and check; 3000 are refused with Y026, located at the
    # sum (its first term, line 6 column 5) and naming the limit -- not at 1:1.
    for terms, expected in ((150, []), (3000, ["Y026"])):
        path = tmp_path / "deep-one.policy"
        path.write_text('policy deep-one {\n  title "x"\n  status draft\n}\n'
                        f'output x: int {{\n  = {" + ".join(["1"] * terms)}\n}}\n',
                        encoding="utf-8")
        try:
            _, diags = build_model(path)
        except DiagnosticError as err:
            diags = err.diagnostics
        assert [d.code for d in diags] == expected
    (too_deep,) = diags
    assert (too_deep.span.line, too_deep.span.column) == (6, 5)
    assert "more than 200 levels" in too_deep.message("en")
