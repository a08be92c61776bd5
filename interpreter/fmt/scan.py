"""What the formatter reads from the source text beside the AST: comments, strings as
written, braces and keywords the AST keeps no position for, blank lines.

The AST keeps a span for every node but not for every token (the `when` before a guard,
the `{` of a block), and it keeps strings unescaped.  These helpers find such tokens by
scanning forward from a known position, skipping whitespace, strings and comments the way
the lexer does, so a `{` inside a label or a comment is never taken for a brace.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# A string, a comment, or one character of code.  Strings and comments are the same
# patterns as the grammar's STRING and COMMENT terminals (and parser._STRING_OR_COMMENT).
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|[^\s]')
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


@dataclass(frozen=True)
class Note:
    """A comment of the source: where it starts and ends, its text (trailing whitespace
    is layout, not text, and is dropped), and whether code precedes it on its line (a
    trailing comment, which stays at the end of a printed line)."""
    start: int
    end: int
    text: str
    trailing: bool


def notes(text: str, comments) -> list[Note]:
    """The parser's comments (nodes.Comment) as Notes, in source order."""
    found = []
    for comment in comments:
        start, end = comment.span.start, comment.span.end
        line_start = text.rfind("\n", 0, start) + 1
        trailing = text[line_start:start].strip() != ""
        found.append(Note(start, end, comment.text.rstrip(), trailing))
    return sorted(found, key=lambda n: n.start)


def next_code(text: str, pos: int) -> int:
    """The offset of the next token at or after `pos` that is not a comment (len(text) if
    none): where a keyword the AST has no span for starts."""
    for match in _TOKEN.finditer(text, pos):
        if match.group()[0] != "#":
            return match.start()
    return len(text)


def open_brace(text: str, pos: int) -> int:
    """The offset of the first `{` at or after `pos` outside strings and comments."""
    for match in _TOKEN.finditer(text, pos):
        if match.group() == "{":
            return match.start()
    raise ValueError("no opening brace")     # the parser accepted the text: cannot happen


def close_brace(text: str, opening: int) -> int:
    """The offset of the `}` that closes the `{` at `opening`."""
    depth = 0
    for match in _TOKEN.finditer(text, opening):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0:
                return match.start()
    raise ValueError("no closing brace")


def past_parens(text: str, pos: int) -> int:
    """`pos` moved past the closing parentheses (and the whitespace before them) that
    follow it: an expression's span leaves out the parentheses around it."""
    while True:
        at = pos
        while at < len(text) and text[at] in " \t\r\n":
            at += 1
        if at < len(text) and text[at] == ")":
            pos = at + 1
        else:
            return pos


def strings(text: str, start: int, end: int) -> list[str]:
    """The string literals between `start` and `end`, as written (quotes and escapes
    kept), skipping comments."""
    return [m.group() for m in _TOKEN.finditer(text, start, end) if m.group()[0] == '"']


def blank_between(text: str, start: int, end: int) -> bool:
    """Whether the author left an empty line somewhere between `start` and `end`."""
    return start < end and _BLANK_LINE.search(text, start, end) is not None


def width(text: str) -> int:
    """Columns `text` takes in a terminal or an editor: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


TRAILING_SEP = "  "     # between code and the comment that ends its line
