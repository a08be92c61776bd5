"""Diagnostics are data: a code, a severity, where, the message arguments and hints.

Checkers and loaders collect them; the CLI renders them once, in Chinese or English, with
the offending source line and a caret.  Message texts live in messages.py, keyed by code.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from difflib import get_close_matches
from itertools import groupby

from .limits import MAX_DIAGNOSTICS_PER_FILE, MAX_QUOTED_LINE
from .messages import text_for
from .source import SourceFile, Span

ERROR = "error"
WARNING = "warning"

# Text quoted into a message (a token, a literal, a name) is cut to this many characters, so
# one hostile token cannot make a message megabytes long; every argument is bounded by
# MAX_ARGUMENT_CHARS however it was made.
QUOTED_CHARS = 40
MAX_ARGUMENT_CHARS = 200
# The caret under a quoted line marks at most this many columns of a long span.
MAX_CARET_COLUMNS = MAX_QUOTED_LINE // 2


def shorten(text: str, limit: int = QUOTED_CHARS) -> str:
    """`text`, or its start and end around `…` when it is longer than `limit` characters."""
    if len(text) <= limit:
        return text
    head = (limit - 1) * 2 // 3
    return text[:head] + "…" + text[len(text) - (limit - 1 - head):]


def _bounded(args) -> dict:
    return {k: shorten(v, MAX_ARGUMENT_CHARS) if isinstance(v, str) else v for k, v in args}


def close_names(name: str, candidates, n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The names among `candidates` most like `name`, best first: the one similarity every
    "did you mean" in yibao uses (policy names, record fields, region parameters, outputs)."""
    return get_close_matches(name, list(candidates), n=n, cutoff=cutoff)


def did_you_mean(name: str, candidates) -> list[Hint]:
    """A "did you mean" hint, worked out when shown (see CloseNames): `candidates` is a
    collection that no longer changes, or a function returning the names."""
    return [Hint.of("hint.did_you_mean", names=CloseNames(name, candidates))]


class CloseNames:
    """The names among `candidates` close to `name` ("did you mean ...?"), found only when
    a message is shown.  Each search reads every candidate, so a policy with thousands of
    unknown names among thousands of declared ones would otherwise take minutes to check,
    for suggestions of which only the first few hundred are ever shown.

    `candidates` is an iterable of names or a function returning one; it is read at most
    once, so it must not change after the diagnostic is made."""

    def __init__(self, name: str, candidates):
        self.name = name
        self._candidates = candidates
        self._found: list[str] | None = None

    def found(self) -> list[str]:
        if self._found is None:
            pool = self._candidates() if callable(self._candidates) else self._candidates
            self._found = close_names(self.name, pool)
            self._candidates = None
        return self._found

    def __str__(self) -> str:
        return shorten(", ".join(self.found()), MAX_ARGUMENT_CHARS)

    def __bool__(self) -> bool:
        return bool(self.found())

    def __eq__(self, other) -> bool:
        return isinstance(other, CloseNames) and (self.name, self.found()) == (
            other.name, other.found())

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"CloseNames({self.name!r}: {self.found()!r})"

    def __reduce__(self):
        # Pickled (to another process) as what it found: the candidates may be a function.
        return CloseNames, (self.name, tuple(self.found()))


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
        return text_for(self.code, lang, _bounded(self.args))

    def hint_texts(self, lang: str = "en") -> list[str]:
        # A "did you mean" that found nothing close says nothing.
        return [text_for(h.key, lang, _bounded(h.args)) for h in self.hints
                if all(v for _, v in h.args if isinstance(v, CloseNames))]

    def to_json(self) -> dict:
        """The diagnostic as data for machines, without any wording: its code, severity,
        place (file, 1-based line and column, end; a data path in a record or region file),
        its arguments as text and its hints as keys with arguments.  diagnostic_json adds
        the message in a language."""
        span = self.span
        place = {"file": self.file or (span.path if span else None),
                 "line": span.line if span and span.line > 0 else None,
                 "column": span.column if span and span.line > 0 else None,
                 "end_line": span.end_line if span and span.line > 0 else None,
                 "end_column": span.end_column if span and span.line > 0 else None}
        return {"code": self.code, "severity": self.severity, **place,
                "data_path": self.data_path,
                "args": {k: _json_arg(v) for k, v in _bounded(self.args).items()},
                "hints": [{"key": h.key, "args": {k: _json_arg(v) for k, v in
                                                 _bounded(h.args).items()}}
                          for h in self.hints]}

    def sort_key(self):
        span = self.span
        return (self.file or (span.path if span else ""), span.line if span else 0,
                span.column if span else 0, self.code)


class DiagnosticError(Exception):
    """Raised when a stage cannot go on; carries everything it found."""

    def __init__(self, diagnostics):
        self.diagnostics = list(diagnostics)
        super().__init__("; ".join(d.message() for d in self.diagnostics[:3]))


def _json_arg(value):
    """A message argument as JSON: numbers and booleans as they are, the rest as text."""
    if value is None or isinstance(value, (bool, int)):
        return value
    return _encodable(shorten(str(value), MAX_ARGUMENT_CHARS))


def diagnostic_json(diag: Diagnostic, lang: str = "en") -> dict:
    """to_json() with the message and hints worded in `lang`."""
    data = diag.to_json()
    data["message"] = _encodable(diag.message(lang))
    data["hint_texts"] = [_encodable(h) for h in diag.hint_texts(lang)]
    return data


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
        end = span.end_column - 1 if span.end_line == span.line else len(text)
        quoted, before, marked = _quote(text, span.column - 1, end)
        gutter = f"{span.line:>4} | "
        lines.append(gutter + quoted)
        lines.append(" " * (len(gutter) - 2) + "| " + _pad(before, len(before)) +
                     "^" * max(1, len(_pad(marked, len(marked)))))
    label = "hint" if lang == "en" else "提示"
    lines.extend(f"  = {label}: {hint}" for hint in diag.hint_texts(lang))
    return _encodable("\n".join(lines))


def _encodable(text: str) -> str:
    """`text` with any lone surrogate written as its escape (`\\ud800`): a record may hold
    one (YAML's "\\ud800"), and a message quoting it must still be printable as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def _quote(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The part of a source line to show, what comes before the caret in it, and what the
    caret marks.  A line wider than MAX_QUOTED_LINE columns is cut around the span and
    marked with `…` where cut; the caret marks at most MAX_CARET_COLUMNS columns."""
    start = min(max(start, 0), len(text))
    end = min(max(end, start), len(text))
    if len(text) <= MAX_QUOTED_LINE and _width(text) <= MAX_QUOTED_LINE:
        return text, text[:start], text[start:end]
    # Keep the span's start and some context before it; then fill the rest of the width.
    budget = MAX_QUOTED_LINE - 2                  # room for a `…` at either end
    low, used = start, 0
    while low > 0 and used + _char_width(text[low - 1]) <= budget // 3:
        low -= 1
        used += _char_width(text[low])
    high = start
    while high < len(text) and used + _char_width(text[high]) <= budget:
        used += _char_width(text[high])
        high += 1
    marked_end = min(end, high)
    marked, width = start, 0
    while marked < marked_end and width + _char_width(text[marked]) <= MAX_CARET_COLUMNS:
        width += _char_width(text[marked])
        marked += 1
    head = "…" if low > 0 else ""
    tail = "…" if high < len(text) else ""
    return head + text[low:high] + tail, head + text[low:start], text[start:marked]


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
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _char_width(ch: str) -> int:
    return 2 if _is_wide(ch) else 1


def _width(text: str) -> int:
    return sum(_char_width(ch) for ch in text)


def render_all(diags, lang: str = "en", sources=None) -> str:
    """Every diagnostic in place order; past MAX_DIAGNOSTICS_PER_FILE in one file, a last
    diagnostic (Y099) counts the rest.  Only what is shown is capped: callers count
    errors and choose exit codes from the full list."""
    blocks: list[str] = []
    for where, group in groupby(sorted(diags, key=lambda d: d.sort_key()), key=_file_of):
        group = list(group)
        blocks.extend(render(d, lang, sources) for d in group[:MAX_DIAGNOSTICS_PER_FILE])
        rest = group[MAX_DIAGNOSTICS_PER_FILE:]
        if rest:
            errors = sum(1 for d in rest if d.is_error)
            summary = (Diagnostic.error if errors else Diagnostic.warning)(
                "Y099", None, file=where or None, count=len(rest), errors=errors,
                warnings=len(rest) - errors, limit=MAX_DIAGNOSTICS_PER_FILE)
            blocks.append(render(summary, lang, sources))
    return "\n\n".join(blocks)


def _file_of(diag: Diagnostic) -> str:
    """The file a diagnostic is about: the same first key sort_key orders by."""
    return diag.sort_key()[0]
