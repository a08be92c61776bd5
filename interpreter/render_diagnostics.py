"""Diagnostics in words: the one place that turns a Diagnostic (diagnostics.py, data only)
into text, in English or Chinese, reading every word from the catalog (messages.py).

    message, hint_texts    a diagnostic's message and hints in a language
    render, render_all     the block the CLI prints: `path:line:col: error[Y107]: ...`, the
                           source line with a caret under the place, `  = hint: ...`
    diagnostic_json        to_json() with the message and hints worded (check --format json)

This module imports diagnostics.py; diagnostics.py imports it back only inside
Diagnostic.message and hint_texts, when a text is asked for.
"""
from __future__ import annotations

import unicodedata
from itertools import groupby

from .diagnostics import CloseNames, Diagnostic, bounded, encodable
from .limits import MAX_DIAGNOSTICS_PER_FILE, MAX_QUOTED_LINE
from .messages import text_for
from .source import SourceFile

# The caret under a quoted line marks at most this many columns of a long span.
MAX_CARET_COLUMNS = MAX_QUOTED_LINE // 2


def message(diag: Diagnostic, lang: str = "en") -> str:
    """The message of `diag` in `lang`, its arguments cut to MAX_ARGUMENT_CHARS."""
    return text_for(diag.code, lang, bounded(diag.args))


def hint_texts(diag: Diagnostic, lang: str = "en") -> list[str]:
    """The hints of `diag` in `lang`."""
    # A "did you mean" that found nothing close says nothing.
    return [text_for(h.key, lang, bounded(h.args)) for h in diag.hints
            if all(v for _, v in h.args if isinstance(v, CloseNames))]


def diagnostic_json(diag: Diagnostic, lang: str = "en") -> dict:
    """to_json() with the message and hints worded in `lang`."""
    data = diag.to_json()
    data["message"] = encodable(message(diag, lang))
    data["hint_texts"] = [encodable(h) for h in hint_texts(diag, lang)]
    return data


def github_annotation(diag: Diagnostic, lang: str = "en") -> str:
    """One diagnostic as a GitHub Actions workflow command: `::error file=F,line=L,col=C,
    endLine=..,endColumn=..,title=CODE::message` (hints after the message).  Properties
    and message are escaped as the runner expects (%, CR, LF; and , : in properties)."""
    level = {"error": "error", "warning": "warning"}.get(diag.severity, "notice")
    props = []
    span = diag.span
    path = span.path if span is not None and span.path else diag.file
    if path:
        props.append(f"file={_escape_property(str(path))}")
    if span is not None and span.line > 0:
        props += [f"line={span.line}", f"col={span.column}", f"endLine={span.end_line}",
                  f"endColumn={span.end_column}"]
    props.append(f"title={_escape_property(diag.code)}")
    text = message(diag, lang)
    if diag.data_path:
        text = f"{diag.data_path}: {text}"
    hints = hint_texts(diag, lang)
    if hints:
        text += "\n" + "\n".join(f"hint: {h}" for h in hints)
    return f"::{level} {','.join(props)}::{_escape_data(text)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(diag: Diagnostic, lang: str = "en", sources: dict[str, SourceFile] | None = None) -> str:
    """One diagnostic as text: `path:line:col: error[E101]: message`, source line, caret, hints."""
    severity = text_for(f"diag.{diag.severity}", lang, {})
    span = diag.span
    if span is not None and span.line > 0:
        where = f"{span.path}:{span.line}:{span.column}"
    else:
        where = diag.file or (span.path if span else "")
    if diag.data_path:
        where = f"{where}: {diag.data_path}" if where else diag.data_path
    said = message(diag, lang)
    head = f"{where}: {severity}[{diag.code}]: {said}" if where else \
        f"{severity}[{diag.code}]: {said}"
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
    label = text_for("diag.hint", lang, {})
    lines.extend(f"  = {label}: {hint}" for hint in hint_texts(diag, lang))
    return encodable("\n".join(lines))


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
