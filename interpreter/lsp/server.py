"""The language server's wiring: which LSP messages it answers, and with what.

    serve(lang, forced)    run over stdin/stdout until the client says exit

Documents are checked as they open and change (analysis.py); the answers are made by
locate.py (what a name is), render.py (words), completion.py and symbols.py.  The
formatter is interpreter/fmt's, used as `yibao fmt` uses it.
"""
from __future__ import annotations

import logging

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from ..diagnostics import Diagnostic, DiagnosticError
from .analysis import (Analysis, DocState, Documents, View, path_to_uri, same_file,
                       uri_to_path, word_at)
from .completion import complete
from .locate import target_at, target_named
from .positions import UTF8, UTF16, UTF32, LineIndex, span_offsets
from .render import hover_markdown, language_of, lsp_diagnostic
from .symbols import outline

NAME = "yibao"
VERSION = "0.1.0"
_ENCODINGS = {"utf-8": UTF8, "utf-16": UTF16, "utf-32": UTF32}
log = logging.getLogger(__name__)


class YibaoServer(LanguageServer):
    def __init__(self, lang: str, forced: bool):
        super().__init__(NAME, VERSION, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.lang = lang
        self.forced = forced                # --lang given: the client's locale does not win
        self.documents = Documents()
        # What each check published, by the file it is about, so that a check of a child
        # and of its open parent do not erase each other's findings about the parent:
        # target uri -> checked document's uri -> diagnostics.
        self.published: dict[str, dict[str, list[types.Diagnostic]]] = {}


def build(lang: str = "en", forced: bool = False) -> YibaoServer:
    server = YibaoServer(lang, forced)

    @server.feature(types.INITIALIZE)
    def initialize(ls: YibaoServer, params: types.InitializeParams) -> None:
        chosen = language_of(params.locale)
        if chosen and not ls.forced:
            ls.lang = chosen
        encoding = str(getattr(ls.workspace.position_encoding, "value",
                               ls.workspace.position_encoding) or "utf-16")
        ls.documents.encoding = _ENCODINGS.get(encoding, UTF16)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: YibaoServer, params: types.DidOpenTextDocumentParams) -> None:
        _changed(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: YibaoServer, params: types.DidChangeTextDocumentParams) -> None:
        _changed(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: YibaoServer, params: types.DidSaveTextDocumentParams) -> None:
        _changed(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: YibaoServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.documents.close(uri)
        for target in list(ls.published):
            if ls.published[target].pop(uri, None) is not None:
                _publish(ls, target)
        # Children still open read the parent from disk again.
        _recheck_dependents(ls, uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def files_changed(ls: YibaoServer, params: types.DidChangeWatchedFilesParams) -> None:
        # A parent changed on disk (a checkout, another editor): the open documents that
        # read it from disk are checked again.  Open ones are read from their buffers.
        changed = [p for p in (uri_to_path(c.uri) for c in params.changes) if p]
        for state in list(ls.documents.states.values()):
            reads = state.latest.sources if state.latest is not None else {}
            if any(same_file(p, c) for p in reads for c in changed):
                _check(ls, state)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: YibaoServer, params: types.HoverParams) -> types.Hover | None:
        view = ls.documents.view(params.text_document.uri)
        target = _target(view, params.position) if view is not None else None
        if target is None:
            return None
        text = hover_markdown(view.model, target, ls.lang)
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown,
                                                        value=text))

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: YibaoServer, params: types.DefinitionParams) -> types.Location | None:
        view = ls.documents.view(params.text_document.uri)
        target = _target(view, params.position) if view is not None else None
        if target is None or target.span is None:
            return None
        return view.location(target.span)

    @server.feature(types.TEXT_DOCUMENT_COMPLETION,
                    types.CompletionOptions(trigger_characters=["."]))
    def completion(ls: YibaoServer, params: types.CompletionParams) -> types.CompletionList:
        uri = params.text_document.uri
        index = LineIndex(ls.workspace.get_text_document(uri).source, ls.documents.encoding)
        items = complete(ls.documents.view(uri), index, params.position, ls.lang)
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def document_symbol(ls: YibaoServer, params: types.DocumentSymbolParams
                        ) -> list[types.DocumentSymbol]:
        view = ls.documents.view(params.text_document.uri)
        return outline(view, ls.lang) if view is not None else []

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    def formatting(ls: YibaoServer, params: types.DocumentFormattingParams
                   ) -> list[types.TextEdit] | None:
        return _format(ls, params.text_document.uri)

    return server


def serve(lang: str = "en", forced: bool = False) -> None:
    build(lang, forced).start_io()


# ------------------------------------------------------------------ checking and publishing
def _changed(ls: YibaoServer, uri: str) -> None:
    document = ls.workspace.get_text_document(uri)
    state = ls.documents.set_text(uri, document.source)
    if state is None:               # not a file: nothing on disk to check it against
        return
    _check(ls, state)
    _recheck_dependents(ls, uri)


def _check(ls: YibaoServer, state: DocState) -> None:
    analysis = ls.documents.check(state)
    found: dict[str, list[types.Diagnostic]] = {state.uri: []}
    for diag in analysis.diagnostics:
        path = _file_of(diag, state)
        where = _range(ls, analysis, path, diag)
        found.setdefault(path_to_uri(path), []).append(lsp_diagnostic(diag, where, ls.lang))
    for target in set(found) | {t for t, by in ls.published.items() if state.uri in by}:
        ls.published.setdefault(target, {})[state.uri] = found.get(target, [])
        _publish(ls, target)


def _recheck_dependents(ls: YibaoServer, uri: str) -> None:
    """Check again the open documents that read `uri`'s file as a parent."""
    changed = ls.documents.states.get(uri)
    path = changed.path if changed is not None else None
    for other in list(ls.documents.states.values()):
        if other.uri == uri or other.latest is None:
            continue
        reads = other.latest.sources or {}
        if path is None or any(same_file(p, path) for p in reads if not same_file(p, other.path)):
            _check(ls, other)


def _file_of(diag: Diagnostic, state: DocState) -> str:
    if diag.span is not None and diag.span.line > 0 and diag.span.path:
        return diag.span.path
    return diag.file or state.path


def _range(ls: YibaoServer, analysis: Analysis, path: str, diag: Diagnostic) -> types.Range:
    source = analysis.sources.get(path)
    text = source.text if source is not None else (
        analysis.text if same_file(path, analysis.path) else "")
    index = LineIndex(text, ls.documents.encoding)
    start, end = span_offsets(diag.span, index)
    if end == start and diag.span is not None and diag.span.line > 0:
        end = start + 1 if start < len(text) and text[start] != "\n" else start
    return index.range(start, end)


def _publish(ls: YibaoServer, target: str) -> None:
    merged: list[types.Diagnostic] = []
    seen = set()
    for diags in ls.published.get(target, {}).values():
        for d in diags:
            key = (d.code, d.message, d.range.start.line, d.range.start.character,
                   d.range.end.line, d.range.end.character)
            if key not in seen:
                seen.add(key)
                merged.append(d)
    if not ls.published.get(target):
        ls.published.pop(target, None)
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=target, diagnostics=merged))


# ------------------------------------------------------------------ requests
def _target(view: View, position: types.Position):
    """What the name at the cursor refers to: found by place in the last good check,
    else (an edited line, an unresolved name) by its spelling."""
    offset = view.cursor_offset(position)
    policy = view.analysis.policy_file(view.state.path)
    if offset is not None and policy is not None:
        found = target_at(view.model, policy, offset)
        if found is not None:
            return found
    word, owner = word_at(view.current_index(), position)
    return target_named(view.model, word, owner)


def _format(ls: YibaoServer, uri: str) -> list[types.TextEdit] | None:
    try:
        from ..fmt import format_source
    except ImportError:             # the formatter is not installed with this version
        return None
    document = ls.workspace.get_text_document(uri)
    text = document.source
    state = ls.documents.states.get(uri)
    try:
        formatted = format_source(text, state.path if state is not None else "<text>")
    except DiagnosticError:         # a syntax error: the diagnostics already say where
        return []
    if formatted == text:
        return []
    index = LineIndex(text, ls.documents.encoding)
    return [types.TextEdit(range=types.Range(start=types.Position(line=0, character=0),
                                             end=index.end()), new_text=formatted)]
