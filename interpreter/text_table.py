"""Rows of text as aligned columns, for the command line's tables."""
from __future__ import annotations

from .formatting import display_width, pad


def aligned(header, rows) -> str:
    """The header, a rule of dashes, then the rows; wide (CJK) characters count twice and
    the last column is not padded."""
    table = [tuple(header), *rows]
    last = len(header) - 1
    widths = [max(display_width(row[i]) for row in table) for i in range(last)]
    lines = ["  ".join([*(pad(row[i], widths[i]) for i in range(last)), row[last]]).rstrip()
             for row in table]
    rule = [*("-" * width for width in widths), "-" * max(display_width(header[last]), 5)]
    lines.insert(1, "  ".join(rule))
    return "\n".join(lines)
