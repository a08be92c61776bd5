"""The editor files in editors/vscode/ stay in step with the language: the TextMate
grammar is valid JSON and highlights every keyword of grammar/yibao.lark, and the
extension's manifest points at files that exist."""
from __future__ import annotations

import json
import re

from .conftest import ROOT

VSCODE = ROOT / "editors" / "vscode"
TM_GRAMMAR = VSCODE / "syntaxes" / "yibao.tmLanguage.json"


def _lark_keywords() -> set[str]:
    """The quoted words of the grammar (its keywords), comments left out."""
    text = (ROOT / "grammar" / "yibao.lark").read_text(encoding="utf-8")
    code = "\n".join(line.split("//", 1)[0] for line in text.splitlines())
    return set(re.findall(r'"([^\W\d]\w*)"', code))


def _keyword_patterns() -> list[re.Pattern]:
    grammar = json.loads(TM_GRAMMAR.read_text(encoding="utf-8"))
    entries = grammar["repository"]["keywords"]["patterns"]
    # The patterns use only what Oniguruma and Python's re share (lookarounds,
    # alternation, classes), so Python can try them.
    return [re.compile(entry["match"]) for entry in entries]


def test_the_textmate_grammar_is_json_with_a_scope():
    grammar = json.loads(TM_GRAMMAR.read_text(encoding="utf-8"))
    assert grammar["scopeName"] == "source.yibao"
    for entry in grammar["patterns"]:
        assert entry["include"][1:] in grammar["repository"]


def test_every_keyword_of_the_grammar_is_highlighted():
    keywords = _lark_keywords()
    assert {"policy", "when", "exception", "override", "none"} <= keywords
    patterns = _keyword_patterns()
    missed = sorted(word for word in keywords
                    if not any(p.fullmatch(word) for p in patterns))
    assert missed == []


def test_keyword_patterns_match_whole_words_only():
    patterns = _keyword_patterns()
    for name in ("whenever", "rule_of", "参保when", "inputs"):
        assert not any(p.fullmatch(name) for p in patterns)
        assert not any(m.group() and m.start() > 0 for p in patterns
                       for m in p.finditer(name)), name


def test_the_manifest_points_at_files_that_exist():
    manifest = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    assert (VSCODE / manifest["main"]).is_file()
    (language,) = manifest["contributes"]["languages"]
    assert language["id"] == "yibao" and ".policy" in language["extensions"]
    assert (VSCODE / language["configuration"]).is_file()
    json.loads((VSCODE / language["configuration"]).read_text(encoding="utf-8"))
    for grammar in manifest["contributes"]["grammars"]:
        assert (VSCODE / grammar["path"]).is_file()
        assert grammar["language"] == "yibao"
    assert "yibao.server.command" in manifest["contributes"]["configuration"]["properties"]
    assert "vscode-languageclient" in manifest["dependencies"]
