"""Diagnostics are data: a code, a severity, where, the message arguments and hints.

Checkers and loaders collect them; the CLI renders them once, in Chinese or English, with
the offending source line and a caret.  Message texts live in messages.py, keyed by code.
"""
from __future__ import annotations

from dataclasses import dataclass

from .messages import text_for
from .source import SourceFile, Span

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Hint:
    key: str
    args: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, key: str, **args) -> "Hint":
        return cls(key, tuple(args.items()))


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: str
    span: Span | None
    args: tuple[tuple[str, object], ...] = ()
    hints: tuple[Hint, ...] = ()
    data_path: str | None = None    # for record and region files: `enrollment[2].paid_on`
    file: str | None = None         # a file with no span (a record without positions)

    @classmethod
    def error(cls, code: str, span: Span | None, hints=(), data_path=None, file=None, **args):
        return cls(code, ERROR, span, tuple(args.items()), tuple(hints), data_path, file)

    @classmethod
    def warning(cls, code: str, span: Span | None, hints=(), data_path=None, file=None, **args):
        return cls(code, WARNING, span, tuple(args.items()), tuple(hints), data_path, file)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def message(self, lang: str = "en") -> str:
        return text_for(self.code, lang, dict(self.args))

    def hint_texts(self, lang: str = "en") -> list[str]:
        return [text_for(h.key, lang, dict(h.args)) for h in self.hints]

    def sort_key(self):
        span = self.span
        return (self.file or (span.path if span else ""), span.line if span else 0,
                span.column if span else 0, self.code)


class DiagnosticError(Exception):
    """Raised when a stage cannot go on; carries everything it found."""

    def __init__(self, diagnostics):
        self.diagnostics = list(diagnostics)
        super().__init__("; ".join(d.message() for d in self.diagnostics[:3]))


def render(diag: Diagnostic, lang: str = "en", sources: dict[str, SourceFile] | None = None) -> str:
    """One diagnostic as text: `path:line:col: error[E101]: message`, source line, caret, hints."""
    severity = {"en": {ERROR: "error", WARNING: "warning"},
                "zh": {ERROR: "错误", WARNING: "警告"}}[lang][diag.severity]
    span = diag.span
    if span is not None and span.line > 0:
        where = f"{span.path}:{span.line}:{span.column}"
    else:
        where = diag.file or (span.path if span else "")
    if diag.data_path:
        where = f"{where}: {diag.data_path}" if where else diag.data_path
    head = f"{where}: {severity}[{diag.code}]: {diag.message(lang)}" if where else \
        f"{severity}[{diag.code}]: {diag.message(lang)}"
    lines = [head]
    source = (sources or {}).get(span.path) if span is not None else None
    if source is not None and span.line > 0:
        text = source.line_text(span.line)
        gutter = f"{span.line:>4} | "
        lines.append(gutter + text)
        end = span.end_column - 1 if span.end_line == span.line else len(text)
        width = len(_pad(text[span.column - 1:end], end - span.column + 1))
        lines.append(" " * (len(gutter) - 2) + "| " + _pad(text, span.column - 1) + "^" * max(1, width))
    label = "hint" if lang == "en" else "提示"
    lines.extend(f"  = {label}: {hint}" for hint in diag.hint_texts(lang))
    return "\n".join(lines)


def _pad(text: str, columns: int) -> str:
    """Spaces under `columns` characters of `text`, two wide under full-width characters."""
    out = []
    for ch in text[:columns]:
        if ch == "\t":
            out.append("\t")
        elif _is_wide(ch):
            out.append("  ")
        else:
            out.append(" ")
    return "".join(out)


def _is_wide(ch: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(ch) in ("W", "F")


def render_all(diags, lang: str = "en", sources=None) -> str:
    ordered = sorted(diags, key=lambda d: d.sort_key())
    return "\n\n".join(render(d, lang, sources) for d in ordered)
