"""A message argument made of words: data until the renderer puts it in a language.

Lives apart from diagnostics.py so that the file reader (source.py), which diagnostics.py
itself imports, can say what a path is ("a directory") without any wording.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Words:
    """A message argument made of words the reader's language decides.  Each item is
    (catalog key, literal): the literal as written (a quoted `'{'`, a keyword, `years = `)
    followed by the key's text in the reader's language, when there is a key.  The
    renderer joins the items with ", "; str() (for JSON and logs) gives the
    language-independent data: each literal with its key."""
    items: tuple[tuple[str, str], ...]      # (catalog key or "", literal text or "")
    more: bool = False                      # some were left out: the renderer adds "…"

    def __str__(self) -> str:
        shown = [text + key for key, text in self.items] + (["…"] if self.more else [])
        return ", ".join(shown)
