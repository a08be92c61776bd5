"""The documents the editor holds, and what checking them found.

Each time a policy document opens, changes or is saved, it is checked as `yibao check`
checks a file (loader.build_model: the whole extends chain, every checker pass and lint),
with every open policy buffer read in place of its file on disk, so that an unsaved edit
to a parent is seen by its children.  Checking a file of the shipped chains takes tens of
milliseconds, so it is done on every change, without a queue.

The parser stops at the first syntax error (lark raises; parser.py words that one
error), so a text with a syntax error has no model.  The last text that did check is kept
as the document's `good` analysis: hover, definition, completion and the outline answer
from it while the syntax error is being fixed, its places carried onto the new text line
by line (positions.LineMap).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from .. import nodes
from ..diagnostics import Diagnostic, DiagnosticError
from ..loader import build_model, with_buffers
from ..model import Model
from ..source import SourceFile
from .positions import UTF16, LineIndex, LineMap, span_offsets


def uri_to_path(uri: str) -> str | None:
    return to_fs_path(uri) if uri.startswith("file:") else None


def path_to_uri(path: str) -> str:
    return from_fs_path(str(Path(path).resolve())) or path


def same_file(a: str, b: str) -> bool:
    return a == b or Path(a).resolve() == Path(b).resolve()


@dataclass
class Analysis:
    """One check of one document: what was read, what was found."""
    path: str                                   # the document, as the loader was given it
    text: str                                   # its text when checked
    model: Model | None                         # None when it did not parse (or load)
    diagnostics: list[Diagnostic]
    sources: dict[str, SourceFile] = field(default_factory=dict)

    def policy_file(self, path: str) -> nodes.PolicyFile | None:
        """The parsed file of the chain at `path`."""
        if self.model is None:
            return None
        for policy in self.model.chain:
            if same_file(policy.path, path):
                return policy
        return None

    @property
    def own_file(self) -> nodes.PolicyFile | None:
        return self.model.chain[-1] if self.model is not None else None


def analyse(path: str, buffers: dict[str, str]) -> Analysis:
    """Check the policy at `path` reading `buffers` (path -> text) before the disk."""
    text = buffers.get(path, "")
    try:
        model, diags = build_model(Path(path), with_buffers(buffers))
    except DiagnosticError as err:
        return Analysis(path, text, None, list(err.diagnostics), getattr(err, "sources", {}))
    return Analysis(path, text, model, list(diags), dict(model.sources))


@dataclass
class DocState:
    uri: str
    path: str
    latest: Analysis | None = None
    good: Analysis | None = None                # the last analysis that built a model


class Documents:
    """Every open policy document: its text (kept by pygls's workspace), and its checks."""

    def __init__(self):
        self.states: dict[str, DocState] = {}
        self.texts: dict[str, str] = {}         # path -> text of each open document
        self.encoding = UTF16

    def set_text(self, uri: str, text: str) -> DocState | None:
        path = uri_to_path(uri)
        if path is None:
            return None
        state = self.states.setdefault(uri, DocState(uri, path))
        self.texts[path] = text
        return state

    def close(self, uri: str) -> None:
        state = self.states.pop(uri, None)
        if state is not None:
            self.texts.pop(state.path, None)

    def check(self, state: DocState) -> Analysis:
        analysis = analyse(state.path, dict(self.texts))
        state.latest = analysis
        if analysis.model is not None:
            state.good = analysis
        return analysis

    def view(self, uri: str) -> "View | None":
        """What a request about `uri` answers from: its last good check, seen through the
        document's current text."""
        state = self.states.get(uri)
        if state is None or state.good is None:
            return None
        return View(state, state.good, self)

    def current_text(self, path: str, analysed: Analysis) -> str:
        """The text of `path` as the editor shows it now: the open buffer, else what was
        read when it was checked."""
        for open_path, text in self.texts.items():
            if same_file(open_path, path):
                return text
        source = _source_for(analysed, path)
        return source.text if source is not None else ""


def _source_for(analysis: Analysis, path: str) -> SourceFile | None:
    source = analysis.sources.get(path)
    if source is not None:
        return source
    for known, src in analysis.sources.items():
        if same_file(known, path):
            return src
    return None


class View:
    """A good analysis of a document seen through the texts the editor holds now: places
    go from the analysed texts to the current ones (and back for the cursor)."""

    def __init__(self, state: DocState, analysis: Analysis, documents: Documents):
        self.state = state
        self.analysis = analysis
        self.model: Model = analysis.model
        self.documents = documents
        self._maps: dict[str, tuple[LineIndex, LineIndex, LineMap]] = {}

    @property
    def stale(self) -> bool:
        return self.analysis is not self.state.latest

    def _texts(self, path: str) -> tuple[LineIndex, LineIndex, LineMap]:
        found = self._maps.get(path)
        if found is None:
            source = _source_for(self.analysis, path)
            old = source.text if source is not None else ""
            new = self.documents.current_text(path, self.analysis)
            enc = self.documents.encoding
            found = self._maps[path] = (LineIndex(old, enc), LineIndex(new, enc),
                                        LineMap(old, new))
        return found

    def current_index(self, path: str | None = None) -> LineIndex:
        return self._texts(path or self.state.path)[1]

    def cursor_offset(self, position: types.Position) -> int | None:
        """The cursor's character offset in the analysed text of the document, or None
        when its line was changed since."""
        old, new, lines = self._texts(self.state.path)
        line = lines.to_old(position.line)
        if line is None:
            return None
        column = new.offset(position) - new.starts[position.line]
        return old.starts[line] + min(column, len(old.line_text(line)))

    def nearest_offset(self, position: types.Position) -> int | None:
        """The start of the cursor's line in the analysed text or, when that line is new
        (being typed), of the nearest line above that is not: a place in the declaration
        being written, to find the variables in scope there."""
        _, _, lines = self._texts(self.state.path)
        old = self._texts(self.state.path)[0]
        for line in range(position.line, -1, -1):
            found = lines.to_old(line)
            if found is not None:
                return old.starts[found]
        return None

    def location(self, span) -> types.Location | None:
        """Where `span` (a place in an analysed text) is now; None if its line changed."""
        found = self.range(span)
        return types.Location(uri=path_to_uri(span.path), range=found) if found else None

    def range(self, span, fuzzy: bool = False) -> types.Range | None:
        """`span` in the current text of its file.  With `fuzzy`, an end (or start) whose
        line changed is moved to the nearest line that did not (for the outline, where a
        declaration being edited should still be listed)."""
        if span is None or span.line <= 0:
            return None
        old, new, lines = self._texts(span.path)
        start, end = span_offsets(span, old)
        first = self._carry(old, new, lines, start, fuzzy, -1)
        last = self._carry(old, new, lines, end, fuzzy, +1)
        if first is None or last is None or last < first:
            return None
        return new.range(first, last)

    @staticmethod
    def _carry(old: LineIndex, new: LineIndex, lines: LineMap, offset: int, fuzzy: bool,
               step: int) -> int | None:
        line = _line_of(old, offset)
        column = offset - old.starts[line]
        moved = lines.to_new(line)
        if moved is not None:
            return new.starts[moved] + min(column, len(new.line_text(moved)))
        if not fuzzy:
            return None
        probe = line
        while 0 <= probe < old.line_count:
            probe -= step      # back towards the inside of the span
            moved = lines.to_new(probe) if 0 <= probe < old.line_count else None
            if moved is not None:
                return new.starts[moved] + (len(new.line_text(moved)) if step > 0 else 0)
        return 0 if step < 0 else len(new.text)

    def word_at(self, position: types.Position) -> tuple[str, str | None]:
        """The name under the cursor in the current text, and the name before a `.` just
        in front of it (`Scheme.` in `Scheme.urban`), or None."""
        index = self.current_index()
        return word_at(index, position)


def _line_of(index: LineIndex, offset: int) -> int:
    from bisect import bisect_right

    return bisect_right(index.starts, max(0, min(offset, len(index.text)))) - 1


def word_at(index: LineIndex, position: types.Position) -> tuple[str, str | None]:
    if not 0 <= position.line < index.line_count:
        return "", None
    line = index.line_text(position.line)
    at = index.offset(position) - index.starts[position.line]
    start = at
    while start > 0 and _is_name_char(line[start - 1]):
        start -= 1
    end = at
    while end < len(line) and _is_name_char(line[end]):
        end += 1
    owner = None
    if start > 0 and line[start - 1] == ".":
        before = start - 1
        begin = before
        while begin > 0 and _is_name_char(line[begin - 1]):
            begin -= 1
        owner = line[begin:before] or None
    return line[start:end], owner


def _is_name_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"
