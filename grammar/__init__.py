"""The grammar of the yibao policy language, shipped as package data.

`yibao.lark` sits beside this file; it is read with importlib.resources so that a
non-editable install (a wheel) works the same as a checkout:

    from yibao.grammar import grammar_text
    text = grammar_text()          # the text of yibao.lark
"""
from __future__ import annotations

from importlib import resources

GRAMMAR_FILE = "yibao.lark"


def grammar_text(name: str = GRAMMAR_FILE) -> str:
    """The text of a grammar file shipped in this package."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
