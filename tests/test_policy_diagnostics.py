"""Golden messages for bad policy texts: code, line, column, caret and hint.

Each tests/golden/policies/NAME.policy is checked; the rendered diagnostics (English, and
Chinese for a few) must equal NAME.expected (NAME.zh.expected).  Reset all with
YIBAO_RESET_GOLDENS=1 and review the change in git diff.
"""
from pathlib import Path

import pytest

from yibao.interpreter.api import check_paths
from yibao.interpreter.render_diagnostics import render_all

from .conftest import ROOT, compare_golden

GOLDEN = Path("tests/golden/policies")
CASES = sorted(p.stem for p in (ROOT / GOLDEN).glob("*.policy"))
CHINESE = {"y107-unknown-name", "y309-required-left-unset", "y010-single-equals",
           "y317-nested-exception-outside-parent", "y318-dated-step-times-years",
           "y319-added-exception-exists", "y208-reading-not-applicable",
           "y028-keyword-as-name", "y027-full-width-digit"}


def rendered(name: str, lang: str) -> tuple[str, list]:
    diags, sources, count = check_paths([GOLDEN / f"{name}.policy"])
    assert count == 1
    return render_all(diags, lang, sources) + "\n", diags


@pytest.mark.parametrize("name", CASES)
def test_golden_messages(name, at_root):
    text, diags = rendered(name, "en")
    compare_golden(ROOT / GOLDEN / f"{name}.expected", text)
    if name == "golden-base" or name.startswith("ok-"):
        assert diags == [], "the shared parent and the ok- files must check clean"
    else:
        # The file name starts with the code it is about; that code must be reported.
        code = name.split("-")[0].upper()
        assert code in {d.code for d in diags}


@pytest.mark.parametrize("name", sorted(CHINESE))
def test_golden_messages_in_chinese(name, at_root):
    text, _ = rendered(name, "zh")
    compare_golden(ROOT / GOLDEN / f"{name}.zh.expected", text)


def test_there_are_enough_bad_policies():
    assert len([c for c in CASES if c != "golden-base" and not c.startswith("ok-")]) >= 15
