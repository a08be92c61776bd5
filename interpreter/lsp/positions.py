"""Where things are, in the two ways of counting the server meets.

yibao counts positions in characters (code points): a Span has 1-based lines and columns
and 0-based character offsets (source.py).  LSP counts 0-based lines and columns in code
units of the encoding agreed at `initialize`: UTF-16 unless the client offers another.
Chinese text is in the Basic Multilingual Plane, one UTF-16 unit a character, so a column
that is right for `参保` would still be wrong for a rarer character outside it (𠀀, an
emoji), which UTF-16 counts as two units.  Every conversion goes through this module.
"""
from __future__ import annotations

from bisect import bisect_right

from lsprotocol import types

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def units(char: str, encoding: str) -> int:
    """How many code units `char` takes in the client's encoding."""
    if encoding == UTF32:
        return 1
    point = ord(char)
    if encoding == UTF8:
        return len(char.encode("utf-8", "surrogatepass"))
    return 2 if point > 0xFFFF else 1


class LineIndex:
    """One text's line starts, to turn character offsets into LSP positions and back."""

    def __init__(self, text: str, encoding: str = UTF16):
        self.text = text
        self.encoding = encoding
        starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                starts.append(i + 1)
        self.starts = starts

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def line_text(self, line: int) -> str:
        """The 0-based line `line`, without its line break."""
        if line < 0 or line >= len(self.starts):
            return ""
        end = self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[line]:end].rstrip("\r")

    def position(self, offset: int) -> types.Position:
        """The LSP position of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1
        before = self.text[self.starts[line]:offset]
        if self.encoding == UTF32:
            return types.Position(line=line, character=len(before))
        return types.Position(line=line, character=sum(units(c, self.encoding) for c in before))

    def offset(self, position: types.Position) -> int:
        """The character offset of an LSP position; a column past the line's end is its end
        (the protocol says so), a line past the text's end is the text's end."""
        if position.line >= len(self.starts):
            return len(self.text)
        if position.line < 0:
            return 0
        start = self.starts[position.line]
        line = self.line_text(position.line)
        counted = 0
        for i, ch in enumerate(line):
            if counted >= position.character:
                return start + i
            counted += units(ch, self.encoding)
        return start + len(line)

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(start=self.position(start), end=self.position(max(start, end)))

    def end(self) -> types.Position:
        return self.position(len(self.text))


def span_offsets(span, index: LineIndex) -> tuple[int, int]:
    """A Span's character offsets in `index`'s text, found from its 1-based line and
    column (a Span made by the loader also carries offsets, but one built by hand for a
    file problem may carry only lines and columns)."""
    if span is None or span.line <= 0:
        return 0, 0
    start = _offset_of(index, span.line, span.column)
    end = _offset_of(index, span.end_line, span.end_column)
    return start, max(start, end)


def _offset_of(index: LineIndex, line: int, column: int) -> int:
    line0 = min(max(line - 1, 0), index.line_count - 1)
    return min(index.starts[line0] + max(column - 1, 0),
               index.starts[line0] + len(index.line_text(line0)))


class LineMap:
    """Lines of an old text matched to lines of a new one (difflib, on whole lines).

    After a syntax error the server answers from the last text that parsed; the places
    it knows are in that text.  Lines the edit left as they were keep their columns and
    move only up or down, so mapping whole lines is enough to keep hover, definition and
    the outline right around the edit; a line that changed maps to nothing."""

    def __init__(self, old: str, new: str):
        from difflib import SequenceMatcher

        self.identity = old == new
        self._old_to_new: dict[int, int] = {}
        self._new_to_old: dict[int, int] = {}
        if self.identity:
            return
        a, b = old.split("\n"), new.split("\n")
        for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
            for k in range(block.size):
                self._old_to_new[block.a + k] = block.b + k
                self._new_to_old[block.b + k] = block.a + k

    def to_new(self, line: int) -> int | None:
        return line if self.identity else self._old_to_new.get(line)

    def to_old(self, line: int) -> int | None:
        return line if self.identity else self._new_to_old.get(line)
