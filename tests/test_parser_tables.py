"""The parser's tables ship with the package as JSON; nothing is unpickled or read from a
shared temporary directory (another local user could plant a file there)."""
import builtins
import json
import pickle
import tempfile
from pathlib import Path

import pytest

from yibao.interpreter import parser
from yibao.interpreter.source import SourceFile

from .conftest import RESET_GOLDENS, ROOT

TABLES = ROOT / "grammar" / parser.TABLES_FILE


def test_shipped_tables_match_the_grammar():
    if RESET_GOLDENS:
        parser.write_tables(TABLES)
    stored = json.loads(TABLES.read_text(encoding="utf-8"))["fingerprint"]
    grammar = (ROOT / "grammar" / "yibao.lark").read_text(encoding="utf-8")
    wanted = parser.tables_fingerprint(grammar)
    assert stored["grammar_sha256"] == wanted["grammar_sha256"], \
        "grammar/yibao.lark changed: regenerate the tables with YIBAO_RESET_GOLDENS=1"
    assert stored["options"] == wanted["options"]


@pytest.mark.parametrize("origin", ["tables", "grammar"])
def test_the_parser_is_made_without_pickle_or_temp_files(monkeypatch, origin):
    stored = json.loads(TABLES.read_text(encoding="utf-8"))["fingerprint"]
    if origin == "tables" and stored["lark"] != parser.lark.__version__:
        pytest.skip(f"tables were made with lark {stored['lark']}; this is lark "
                    f"{parser.lark.__version__}, so the parser is built from the grammar")
    if origin == "grammar":   # as when the tables do not match (another lark version)
        monkeypatch.setattr(parser, "_stored_tables", lambda grammar: None)
    opened: list[str] = []
    real_open = builtins.open

    def watching_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    def no_unpickling(*args, **kwargs):
        raise AssertionError("the parser must never unpickle anything")

    monkeypatch.setattr(builtins, "open", watching_open)
    monkeypatch.setattr(pickle, "load", no_unpickling)
    monkeypatch.setattr(pickle, "loads", no_unpickling)
    parser._parser.cache_clear()
    try:
        parser._parser()
        assert parser.parser_origin == origin
    finally:
        monkeypatch.undo()
        parser._parser.cache_clear()
    temp = str(Path(tempfile.gettempdir()).resolve())
    assert not [p for p in opened if str(Path(p).resolve()).startswith(temp)]


def test_tables_for_another_grammar_are_not_used():
    assert parser._stored_tables("start: \"x\"\n") is None


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "policies").glob("*.policy")))
def test_tables_parse_exactly_as_the_grammar_does(name):
    text = (ROOT / "policies" / name).read_text(encoding="utf-8")
    from_tables = parser._parser().parse(text)
    built = parser.Lark(parser._grammar_text(), **parser._BUILD_OPTIONS,
                        propagate_positions=True)
    assert from_tables == built.parse(text)
    assert parser.parse_source(SourceFile.from_text(name, text)).header.policy_id == name[:-7]
