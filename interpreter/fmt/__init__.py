"""`yibao fmt`: the canonical text of a policy file.

format_source parses the text with the language's own parser and prints the AST in the
canonical layout (docs/formatting.md), putting every comment back by its position: the
parser keeps comments, literals as written and spans beside the tree, so nothing the
author wrote but layout is lost.  The printer is split by job: scan.py reads what the AST
does not hold (comments, strings as written, brace positions), exprs.py prints
expressions, decls.py declarations, lines.py threads the comments between the lines.
"""
from __future__ import annotations

from ..parser import parse_source
from ..source import SourceFile
from .decls import Printer
from .scan import notes

__all__ = ["format_source"]


def format_source(text: str, path: str = "<text>") -> str:
    """The canonical text of a policy; raises diagnostics.DiagnosticError, with the
    parser's located syntax diagnostics, when `text` does not parse."""
    policy = parse_source(SourceFile.from_text(path, text))
    return Printer(text, notes(text, policy.comments)).file(policy)
