"""The output of the formatter as lines, and the comments threaded between them.

The printer (decls.py) walks the declarations in source order and hands this module one
statement at a time: its place in the source (start and end offsets), its indentation and
its printed lines.  Every comment of the file is emitted exactly once, in source order,
by the rules of docs/formatting.md:
  * a comment on a line of its own goes before the statement that follows it, at that
    statement's indentation (before a closing brace: at the indentation of the block's
    contents, so it stays inside the block);
  * a comment after code on its line stays at the end of the printed line of the
    statement it followed;
  * a comment inside a statement that an expression cannot keep at a line break goes on
    its own line just before the statement;
  * blank lines: one between declarations always; inside a block, one where the author
    left one or more, never right after `{` or right before `}`.
"""
from __future__ import annotations

from .scan import TRAILING_SEP, Note, blank_between


class Lines:
    def __init__(self, text: str, notes: list[Note]):
        self.text = text
        self.notes = notes
        self.next_note = 0          # the first comment not yet emitted
        self.pos = 0                # source offset: the end of what was emitted last
        self.out: list[str] = []
        self.commented = False      # the last line already ends with a comment
        self.opened = True          # nothing emitted since a `{` (or the file's start)

    # ------------------------------------------------------------ comments
    def pending(self, before: int) -> list[Note]:
        """Take the comments not yet emitted that start before offset `before`."""
        taken = []
        while self.next_note < len(self.notes) and self.notes[self.next_note].start < before:
            taken.append(self.notes[self.next_note])
            self.next_note += 1
        return taken

    def lead(self, start: int, indent: int, blank: str = "keep") -> None:
        """Emit the comments before the statement at `start`, then the blank line wanted
        before the statement: "keep" one if the author left one, "one" always (between
        declarations: before the comments that lead the declaration), "none" never."""
        first = True
        for note in self.pending(start):
            if note.trailing and self.out and self.out[-1] and not self.commented:
                self.out[-1] += TRAILING_SEP + note.text
                self.commented = True
                self.pos = note.end
                continue
            self._blank_before(note.start, "one" if blank == "one" and first else "keep")
            first = False
            self._emit(" " * indent + note.text)
            self.commented = True
            self.pos = note.end
        if blank != "none":
            self._blank_before(start, "one" if blank == "one" and first else "keep")

    def _blank_before(self, start: int, rule: str) -> None:
        if not self.out or self.out[-1] == "":
            return
        if rule == "one" or (not self.opened and blank_between(self.text, self.pos, start)):
            self.out.append("")

    # ------------------------------------------------------------ statements
    def begin(self, start: int, end: int, indent: int, blank: str = "keep") -> list[Note]:
        """Start the statement that covers the source from `start` to `end`: emit what
        comes before it, and return the comments inside it, for its printer to place at
        its line breaks or hand to `hoist`."""
        self.lead(start, indent, blank)
        return self.pending(end)

    def hoist(self, notes: list[Note], indent: int) -> None:
        """Comments inside a statement that no line break of it can hold: on their own
        lines before it."""
        for note in notes:
            self._emit(" " * indent + note.text)

    def put(self, lines: list[str], end: int, opens: bool = False) -> None:
        """The statement's printed lines (whole lines, indented); `opens` if it ends in
        `{`, after which no blank line is kept."""
        for line in lines:
            self._emit(line)
        self.commented = False
        self.opened = opens
        self.pos = max(self.pos, end)

    def _emit(self, line: str) -> None:
        self.out.append(line.rstrip())
        self.opened = False

    def finish(self) -> str:
        """The comments after the last declaration, then the text, ending in one newline."""
        self.lead(len(self.text) + 1, 0)
        while self.out and self.out[-1] == "":
            self.out.pop()
        return "\n".join(self.out) + "\n"
