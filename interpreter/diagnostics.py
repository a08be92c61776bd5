"""Diagnostics are data: a code, a severity, where, the message arguments and hints.

Checkers and loaders collect them; the CLI renders them once, in Chinese or English, with
the offending source line and a caret.  This module holds no words: the wording (message,
hints, the rendered block, the JSON with its message) is render_diagnostics.py, the one
diagnostics module that reads the catalog (messages.py).  It imports this module, never
the reverse at import time, so data can be made and passed around without any wording.
"""
from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches

from .source import Span
from .words import Words  # noqa: F401  (diagnostics' data, re-exported)

ERROR = "error"
WARNING = "warning"

# Text quoted into a message (a token, a literal, a name) is cut to this many characters, so
# one hostile token cannot make a message megabytes long; every argument is bounded by
# MAX_ARGUMENT_CHARS however it was made.
QUOTED_CHARS = 40
MAX_ARGUMENT_CHARS = 200


def shorten(text: str, limit: int = QUOTED_CHARS) -> str:
    """`text`, or its start and end around `…` when it is longer than `limit` characters."""
    if len(text) <= limit:
        return text
    head = (limit - 1) * 2 // 3
    return text[:head] + "…" + text[len(text) - (limit - 1 - head):]


def bounded(args) -> dict:
    """(name, value) pairs as a dict, each text value cut to MAX_ARGUMENT_CHARS."""
    return {k: shorten(v, MAX_ARGUMENT_CHARS) if isinstance(v, str) else v for k, v in args}


def encodable(text: str) -> str:
    """`text` with any lone surrogate written as its escape (`\\ud800`): a record may hold
    one (YAML's "\\ud800"), and a message quoting it must still be printable as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


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

    # Delegates kept for the many callers that ask a diagnostic for its text; the wording
    # is render_diagnostics.py's, imported here only when asked for (it imports us).
    def message(self, lang: str = "en") -> str:
        """The message in `lang` (render_diagnostics.message)."""
        from .render_diagnostics import message

        return message(self, lang)

    def hint_texts(self, lang: str = "en") -> list[str]:
        """The hints worded in `lang` (render_diagnostics.hint_texts)."""
        from .render_diagnostics import hint_texts

        return hint_texts(self, lang)

    def to_json(self) -> dict:
        """The diagnostic as data for machines, without any wording: its code, severity,
        place (file, 1-based line and column, end; a data path in a record or region file),
        its arguments as text and its hints as keys with arguments.
        render_diagnostics.diagnostic_json adds the message in a language."""
        span = self.span
        place = {"file": self.file or (span.path if span else None),
                 "line": span.line if span and span.line > 0 else None,
                 "column": span.column if span and span.line > 0 else None,
                 "end_line": span.end_line if span and span.line > 0 else None,
                 "end_column": span.end_column if span and span.line > 0 else None}
        return {"code": self.code, "severity": self.severity, **place,
                "data_path": self.data_path,
                "args": {k: _json_arg(v) for k, v in bounded(self.args).items()},
                "hints": [{"key": h.key, "args": {k: _json_arg(v) for k, v in
                                                 bounded(h.args).items()}}
                          for h in self.hints]}

    def sort_key(self):
        span = self.span
        return (self.file or (span.path if span else ""), span.line if span else 0,
                span.column if span else 0, self.code)


class DiagnosticError(Exception):
    """Raised when a stage cannot go on; carries everything it found."""

    def __init__(self, diagnostics):
        self.diagnostics = list(diagnostics)
        super().__init__(self.diagnostics)

    def __str__(self) -> str:
        # Worded only when shown (a traceback, a log), in English: the CLI renders the
        # diagnostics themselves, in the user's language.
        return "; ".join(d.message() for d in self.diagnostics[:3])


def _json_arg(value):
    """A message argument as JSON: numbers and booleans as they are, the rest as text."""
    if value is None or isinstance(value, (bool, int)):
        return value
    return encodable(shorten(str(value), MAX_ARGUMENT_CHARS))
