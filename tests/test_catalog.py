"""Every word a user reads is in the one catalog (interpreter/messages*.py), in both
languages, and is read from there: no module keeps its own translations, and only the
renderers (render_diagnostics.py, explain_render.py, cli.py) read the catalog."""
from __future__ import annotations

import ast
import re
import string
import subprocess
import sys

import pytest

from yibao.interpreter.diagnostics import ERROR, WARNING, Diagnostic
from yibao.interpreter.messages import CATALOGS, MESSAGES, text_for
from yibao.interpreter.messages_show import SHOW_MESSAGES

from .conftest import ROOT

# The modules that show text, and so may read the catalog.
# The language server's words are all shown by one module of its package.
READERS = {"interpreter/render_diagnostics.py", "interpreter/explain_render.py", "cli.py",
           "interpreter/lsp/render.py"}


def _code_files() -> list[str]:
    """The modules that are not the catalog: interpreter/*.py but messages*.py, and cli.py."""
    found = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "interpreter").glob("*.py")
                   if not p.name.startswith("messages"))
    # The language server's package shows words too (hovers, completions).
    found += sorted(p.relative_to(ROOT).as_posix()
                    for p in (ROOT / "interpreter" / "lsp").glob("*.py"))
    return [*found, "cli.py"]


def _tree(path: str) -> ast.Module:
    return ast.parse((ROOT / path).read_text(encoding="utf-8"), path)


def _literals(tree: ast.Module) -> list[str]:
    """Every string constant of a module, docstrings left out (they describe the output,
    e.g. explain's help shows `(see above)`), f-strings as their constant parts."""
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                       ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings]


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


# ------------------------------------------------------------------ the catalog itself
@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_key_has_an_english_and_a_chinese_text_with_the_same_placeholders(key):
    texts = MESSAGES[key]
    assert isinstance(texts, tuple) and len(texts) == 2, key
    en, zh = texts
    assert isinstance(en, str) and en.strip(), f"{key}: no English text"
    assert isinstance(zh, str) and zh.strip(), f"{key}: no Chinese text"
    assert _placeholders(en) == _placeholders(zh), key
    # A translation left in English is a missing one; a code (C605.unreadable's
    # "{detail}") has no words to translate.
    words = "".join(literal for literal, *_ in string.Formatter().parse(en))
    if re.search(r"[a-z]{3}", words):
        assert zh != en, f"{key}: the Chinese text is the English one"


def test_no_key_is_in_two_parts_of_the_catalog():
    keys = [key for part in CATALOGS for key in part]
    assert len(keys) == len(set(keys)) == len(MESSAGES)


def test_display_words_are_found_by_text_for_in_both_languages():
    assert text_for("show.see_above", "en", {}) == "(see above)"
    assert text_for("show.see_above", "zh", {}) == "(见上)"
    assert text_for("show.exception", "zh", {"name": "a/b"}) == "例外 a/b"
    # A message's own {code} argument wins over the key text_for is given.
    assert text_for("cli.error_cell", "en", {"code": "E501"}) == "(error E501)"
    assert text_for("cli.error_cell", "zh", {"code": "E501"}) == "(错误 E501)"


# ------------------------------------------------------------------ words stay in it
def _display_fragments() -> list[tuple[str, str]]:
    """(key, fragment) for each piece of a display word between its placeholders that is
    long enough to be unmistakable: a bare English word (`output`, `error`) is also a name
    in code (the severity ERROR is "error"), so English fragments need a space or a
    bracket; Chinese ones are checked from two characters."""
    out = []
    for key, texts in SHOW_MESSAGES.items():
        for text in texts:
            for fragment, *_ in string.Formatter().parse(text):
                fragment = fragment.strip()
                cjk = _CJK.search(fragment)
                if (cjk and len(fragment) >= 2) or (
                        len(fragment) >= 6 and re.search(r"[ ()]", fragment)):
                    out.append((key, fragment))
    return out


def _words_in(path: str) -> list[str]:
    """The display words written in a module: an English one as a whole literal (or the
    constant part of an f-string), since English phrases such as "policy file" are also
    parts of other, English-only texts; a Chinese one anywhere in a literal."""
    literals = [literal.strip() for literal in _literals(_tree(path))]
    return [f"{key}: {fragment!r}" for key, fragment in _display_fragments()
            if any(fragment in literal if _CJK.search(fragment) else fragment == literal
                   for literal in literals)]


@pytest.mark.parametrize("path", _code_files())
def test_no_display_word_is_written_outside_the_catalog(path):
    assert _words_in(path) == []


def test_the_word_scan_finds_a_word_written_in_code(tmp_path, monkeypatch):
    # The scan above must be able to fail: a module with the old private dict is caught.
    module = tmp_path / "old.py"
    module.write_text('_WORDS = {"en": {"see_above": "(see above)"}, '
                      '"zh": {"see_above": "(见上)"}}\n', encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert _words_in("old.py") == ["show.see_above: '(see above)'",
                                   "show.see_above: '(见上)'"]
    assert _language_tables(_tree("old.py")) == [1]


def _language_tables(tree: ast.Module) -> list[int]:
    """Lines of dict literals keyed by language ("en", "zh"): a module's own translations."""
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Dict)
            and {"en", "zh"} <= {k.value for k in node.keys if isinstance(k, ast.Constant)}]


@pytest.mark.parametrize("path", _code_files())
def test_no_module_keeps_its_own_translations(path):
    assert _language_tables(_tree(path)) == []


def _imports_catalog(tree: ast.Module) -> bool:
    return any(isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1]
               == "messages" for node in ast.walk(tree))


def test_only_the_renderers_read_the_catalog():
    readers = {path for path in _code_files() if _imports_catalog(_tree(path))}
    assert readers == READERS


def test_every_display_word_is_used_and_every_word_asked_for_exists():
    """explain_render asks `_word("x", ...)` for show.x and cli `_word(lang, "x", ...)`
    for cli.x (a file kind may be passed along as a string first); the renderer asks
    diag.<severity> and diag.hint.  The command bodies cli.py runs from
    interpreter/cli_commands_*.py ask through it, as `cli._word(lang, "x", ...)`: they
    read the catalog only through cli.py, so READERS has no new member."""
    asked = set()
    for node in ast.walk(_tree("interpreter/explain_render.py")):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_word":
            asked.add("show." + node.args[0].value)
    cli_modules = ["cli.py", *(path for path in _code_files()
                               if path.startswith("interpreter/cli_commands_"))]
    cli_literals = {literal for path in cli_modules for literal in _literals(_tree(path))}
    for node in (node for path in cli_modules for node in ast.walk(_tree(path))):
        if isinstance(node, ast.Call) and "_word" in (getattr(node.func, "id", None),
                                                      getattr(node.func, "attr", None)) \
                and isinstance(node.args[1], ast.Constant):
            asked.add("cli." + node.args[1].value)
    kinds = {key for key in SHOW_MESSAGES if key.startswith("cli.")
             and key[len("cli."):] in cli_literals}
    # The language server asks `lsp.x` for the kind of a name (a literal such as
    # "parameter" in its modules, passed along) and for its headings (`_word("cite")`).
    lsp_literals = {literal for path in _code_files() if path.startswith("interpreter/lsp/")
                    for literal in _literals(_tree(path))}
    kinds |= {key for key in SHOW_MESSAGES if key.startswith("lsp.")
              and key[len("lsp."):] in lsp_literals}
    asked |= {f"diag.{ERROR}", f"diag.{WARNING}", "diag.hint"}
    # Words carried as data (words.Words): the token kinds a syntax error expected, and
    # what a path that is not a regular file is (file_kind("directory") -> word.directory).
    from yibao.interpreter.parser import TOKEN_WORDS

    asked |= {key for key, _ in TOKEN_WORDS.values() if key}
    asked.add("word.other_text")            # tables.describe, for an "other" text input
    for module in ("interpreter/source.py", "interpreter/datafile.py"):
        for node in ast.walk(_tree(module)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "file_kind" \
                    and node.args and isinstance(node.args[0], ast.Constant):
                asked.add("word." + node.args[0].value)
    assert asked <= set(SHOW_MESSAGES), asked - set(SHOW_MESSAGES)
    assert set(SHOW_MESSAGES) == asked | kinds, set(SHOW_MESSAGES) - asked - kinds


# ------------------------------------------------------------------ data apart from words
def test_diagnostics_data_loads_without_any_wording():
    """diagnostics.py imports neither the renderer nor the catalog: the renderer imports
    it, and is loaded only when a text is asked for."""
    code = ("import sys, yibao.interpreter.diagnostics as d\n"
            "d.Diagnostic.error('Y107', None, name='x').to_json()\n"
            "print(sorted(m for m in sys.modules if m.startswith('yibao.interpreter.')))\n")
    done = subprocess.run([sys.executable, "-P", "-c", code], capture_output=True,
                          text=True, check=True)
    loaded = done.stdout.strip()
    assert "diagnostics" in loaded
    assert "render_diagnostics" not in loaded and "messages" not in loaded


def test_to_json_has_no_words_and_the_renderer_adds_them():
    from yibao.interpreter.render_diagnostics import diagnostic_json, render

    diag = Diagnostic.warning("C613", None, output="cap", limit="1,000")
    data = diag.to_json()
    assert "message" not in data and "hint_texts" not in data
    assert diagnostic_json(diag, "zh")["message"] == diag.message("zh") != diag.message("en")
    assert render(diag, "zh").startswith("警告[C613]: cap 的解释")
    assert render(diag, "en").startswith("warning[C613]: the explanation of cap")


def test_words_carried_as_data_are_worded_in_the_readers_language(tmp_path):
    """What a syntax error expected, and what a path that is not a file is, reach the
    message as data (words.Words) and are translated when it is shown."""
    from yibao.interpreter.diagnostics import DiagnosticError
    from yibao.interpreter.parser import parse_source
    from yibao.interpreter.source import FileProblem, SourceFile, read_text

    text = 'policy words-test {\n  title "t"\n}\n\noutput x: int {\n  = 1 +\n}\n'
    with pytest.raises(DiagnosticError) as err:
        parse_source(SourceFile.from_text("w.policy", text))
    (diag,) = err.value.diagnostics
    english, chinese = diag.hint_texts("en")[0], diag.hint_texts("zh")[0]
    # After `1 +` a number is among what may come next: "a number" / "数字".
    assert "a number" in english and "数字" in chinese and "a number" not in chinese
    with pytest.raises(FileProblem) as problem:
        read_text(tmp_path)
    kind = problem.value.args_["kind"]
    assert text_for("C605.not_a_file", "en", {"kind": kind}) == \
        "it is a directory, not a regular file"
    assert "目录" in text_for("C605.not_a_file", "zh", {"kind": kind})
