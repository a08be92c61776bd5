"""A message argument made of words: data until the renderer puts it in a language.

Lives apart from diagnostics.py so that the file reader (source.py), which diagnostics.py
itself imports, can say what a path is ("a directory") without any wording.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Words:
    """A message argument made of words the reader's language decides: each item is a
    catalog key (`word.*`), or a literal written as it is (a quoted `'{'`, a keyword), as
    `("", text)`.  The renderer joins them with ", " after translating the keys; str() (for
    JSON and logs) gives the English-independent data: the keys and literals."""
    items: tuple[tuple[str, str], ...]      # (catalog key, "") or ("", literal text)
    more: bool = False                      # some were left out: the renderer adds "…"

    def __str__(self) -> str:
        shown = [key or text for key, text in self.items] + (["…"] if self.more else [])
        return ", ".join(shown)
