"""The document outline (textDocument/documentSymbol): the declarations of the file, each
with its exceptions, table rows, enum members or fields below it.

Built from the file as parsed (nodes.PolicyFile), not from the merged model, so that the
outline shows what this file says, in its order; after a syntax error it is the last good
parse, its places carried onto the current text.
"""
from __future__ import annotations

from lsprotocol import types

from .. import nodes
from .analysis import View
from .render import describe

K = types.SymbolKind
_KINDS = {nodes.EnumDecl: ("enum", K.Enum), nodes.RecordDecl: ("record", K.Struct),
          nodes.InputDecl: ("input", K.Interface), nodes.ParameterDecl: ("parameter", K.Constant),
          nodes.TableDecl: ("table", K.Class), nodes.MeasureDecl: ("measure", K.Number),
          nodes.AmendDecl: ("amend", K.Module)}


def outline(view: View, lang: str) -> list[types.DocumentSymbol]:
    policy = view.analysis.policy_file(view.state.path)
    if policy is None:
        return []
    model = view.model
    found = []
    for item in policy.items:
        if isinstance(item, nodes.RuleDecl):
            word, kind = ("output", K.Method) if item.is_output else ("rule", K.Function)
        else:
            word, kind = _KINDS.get(type(item), ("rule", K.Object))
        detail = describe(word, lang)
        type_ref = getattr(item, "type", None)
        if type_ref is not None:
            detail += f": {model.source_text(type_ref)}"
        label = getattr(item, "label", None) or getattr(getattr(item, "attrs", None),
                                                        "label", None)
        if label:
            detail += f" — {label}"
        symbol = _symbol(view, item.name, detail, kind, item.span, item.name_span,
                         _children(view, item, lang))
        if symbol is not None:
            found.append(symbol)
    return found


def _children(view: View, item, lang: str) -> list[types.DocumentSymbol]:
    made: list = []
    if isinstance(item, nodes.EnumDecl):
        made = [_symbol(view, m.name, m.label or "", K.EnumMember, m.span, None, [])
                for m in item.members]
    elif isinstance(item, (nodes.RecordDecl, nodes.InputDecl)):
        made = [_symbol(view, f.name, view.model.source_text(f.type) +
                        (f" — {f.label}" if f.label else ""), K.Field, f.span, f.name_span, [])
                for f in item.fields]
    elif isinstance(item, nodes.TableDecl):
        made = [_symbol(view, row.name, describe("row", lang), K.Key, row.span, None, [])
                for row in item.rows]
    elif isinstance(item, (nodes.RuleDecl, nodes.AmendDecl)):
        made = _exceptions(view, item.exceptions + getattr(item, "added", ()) +
                           getattr(item, "replaced", ()), lang)
    return [s for s in made if s is not None]


def _exceptions(view: View, cases, lang: str) -> list[types.DocumentSymbol]:
    found = []
    for case in cases:
        label = case.attrs.label
        detail = describe("exception", lang) + (f" — {label}" if label else "")
        inner = _exceptions(view, case.exceptions + getattr(case, "added", ()) +
                            getattr(case, "replaced", ()), lang)
        symbol = _symbol(view, case.name, detail, K.Event, case.span, None, inner)
        if symbol is not None:
            found.append(symbol)
    return found


def _symbol(view: View, name: str, detail: str, kind, span, name_span,
            children) -> types.DocumentSymbol | None:
    whole = view.range(span, fuzzy=True)
    if whole is None:
        return None
    chosen = view.range(name_span, fuzzy=True) if name_span is not None else None
    # The protocol wants the name's range inside the whole range; where an edit has moved
    # one and not the other, the whole range will do.
    if chosen is None or not _contains(whole, chosen):
        chosen = types.Range(start=whole.start, end=whole.start)
    return types.DocumentSymbol(name=name, detail=detail, kind=kind, range=whole,
                                selection_range=chosen, children=children or None)


def _contains(outer: types.Range, inner: types.Range) -> bool:
    def key(p):
        return (p.line, p.character)
    return key(outer.start) <= key(inner.start) and key(inner.end) <= key(outer.end)
