"""Completion (textDocument/completion): what may be written at the cursor.

After `Name.` the members of an enum, or the fields of a record when the name before the
dot is a record-typed value (an input field, an aggregate's variable, a rule's parameter,
a rule that gives a record; `hist[y].` an entry of a history); elsewhere the keywords of
the grammar and every name in scope: the chain's declarations (inherited ones included),
the input fields, enum members and the built-ins.  The client filters by what is typed.

While the text after the cursor is being written it rarely parses (`person.` is a syntax
error), so the names come from the document's last good check.
"""
from __future__ import annotations

import re

from lsprotocol import types

from .. import nodes
from ..model import Model
from ..parser import grammar_keywords
from ..typecheck import BUILTIN_FUNCTIONS, BUILTIN_VALUES
from ..types import HistoryTy, RecordTy, strip_optional
from .analysis import View
from .locate import declaration_target
from .positions import LineIndex
from .render import describe, keyword_word

CK = types.CompletionItemKind
_ITEM_KINDS = {"parameter": CK.Constant, "rule": CK.Function, "output": CK.Method,
               "table": CK.Class, "measure": CK.Value}

# `owner.` or `owner[...]`. just before the cursor, and what is typed after the dot.
_AFTER_DOT = re.compile(r"([^\W\d]\w*)\s*(\[[^\[\]]*\])?\s*\.\s*(\w*)$")


def complete(view: View | None, index: LineIndex, position: types.Position,
             lang: str) -> list[types.CompletionItem]:
    line = index.line_text(position.line)
    column = index.offset(position) - index.starts[min(position.line, index.line_count - 1)]
    before = line[:column]
    dotted = _AFTER_DOT.search(before)
    if dotted is not None:
        if view is None:
            return []
        owner, indexed = dotted.group(1), dotted.group(2) is not None
        return _after_dot(view, owner, indexed, position, lang)
    items = [types.CompletionItem(label=word, kind=CK.Keyword, detail=keyword_word(lang))
             for word in sorted(grammar_keywords())]
    if view is not None:
        items.extend(_names_in_scope(view.model, lang))
    return items


def _names_in_scope(model: Model, lang: str) -> list[types.CompletionItem]:
    items = []
    for name in [*model.params, *model.callables, *model.measures]:
        target = declaration_target(model, name)
        label = getattr(target.info, "attrs", None)
        label = label.label if label is not None else None
        items.append(_item(name, _ITEM_KINDS.get(target.kind, CK.Variable),
                           describe(target.kind, lang), target.type_text, label))
    for name, decl in model.enum_decls.items():
        items.append(_item(name, CK.Enum, describe("enum", lang), None, decl.label))
    for name, decl in model.record_decls.items():
        items.append(_item(name, CK.Struct, describe("record", lang), None, decl.label))
    seen = set()
    for kind, fields in model.inputs.items():
        for name, field in fields.items():
            if name not in seen:
                seen.add(name)
                items.append(_item(name, CK.Field, describe("field", lang, owner=kind),
                                   model.source_text(field.type), field.label))
    for enum, decl in model.enum_decls.items():
        for member in decl.members:
            if member.name not in seen:
                seen.add(member.name)
                items.append(_item(member.name, CK.EnumMember,
                                   describe("member", lang, owner=enum), None, member.label))
    for name, ty in BUILTIN_VALUES.items():
        items.append(_item(name, CK.Variable, describe("builtin", lang), str(ty), None))
    for name in BUILTIN_FUNCTIONS:
        items.append(_item(name, CK.Function, describe("function", lang), None, None))
    return items


def _after_dot(view: View, owner: str, indexed: bool, position: types.Position,
               lang: str) -> list[types.CompletionItem]:
    model = view.model
    if owner in model.enum_decls and not indexed:
        decl = model.enum_decls[owner]
        return [_item(m.name, CK.EnumMember, describe("member", lang, owner=owner), None,
                      m.label) for m in decl.members]
    record = _record_of(view, owner, indexed, position)
    if record is None:
        return []
    items = [_item(name, CK.Field, describe("field", lang, owner=record.name), str(info.ty),
                   info.label) for name, info in record.fields.items()]
    if model.is_history_record(record) and "year" not in record.fields:
        items.append(_item("year", CK.Field, describe("field", lang, owner=record.name),
                           "int", None))
    return items


def _record_of(view: View, owner: str, indexed: bool, position: types.Position):
    """The record type of the value named `owner` (of its entries, if indexed)."""
    ty = _type_of_name(view, owner, position)
    ty = strip_optional(ty) if ty is not None else None
    if isinstance(ty, HistoryTy):
        return ty.record if indexed else None
    return ty if isinstance(ty, RecordTy) and not indexed else None


def _type_of_name(view: View, name: str, position: types.Position):
    model = view.model
    # An aggregate being written: `any { e in enrollment where e.` -- the variable is
    # new, so the checker never saw it; its type is that of an entry of its source.
    entry = _aggregate_entry(view, name, position)
    if entry is not None:
        return entry
    # A variable of the expression being written (an aggregate's `e`, a rule's parameter):
    # the type the checker gave the same name nearest above the cursor in this file.
    here = view.nearest_offset(position)
    local = _nearest_local(view, name, here)
    if local is not None:
        return local
    for kind in model.input_types.values():
        if name in kind.fields:
            return kind.fields[name].ty
    rule = model.callable(name)
    if rule is not None:
        return rule.ty
    return None


def _aggregate_entry(view: View, name: str, position: types.Position):
    index = view.current_index()
    line = min(position.line, index.line_count - 1)
    before = index.text[max(0, index.starts[line] - _LOOK_BACK):index.offset(position)]
    found = None
    for found in re.finditer(r"\{\s*" + re.escape(name) + r"\s+in\s+([^\W\d]\w*)", before):
        pass
    if found is None:
        return None
    source = _type_of_name(view, found.group(1), position) if found.group(1) != name else None
    source = strip_optional(source) if source is not None else None
    if isinstance(source, HistoryTy):
        return source.record
    inner = getattr(source, "inner", None)    # a list of records
    return inner if isinstance(inner, RecordTy) else None


# How far back (in characters) an aggregate's opening is looked for: a declaration's worth.
_LOOK_BACK = 2000


def _nearest_local(view: View, name: str, offset: int | None):
    policy = view.analysis.policy_file(view.state.path)
    if policy is None:
        return None
    model = view.model
    best, best_distance = None, None
    for item in policy.items:
        for param, ty in _params_of(model, item):
            if param.name == name and ty is not None:
                distance = _distance(param.span.start, offset, item)
                if best_distance is None or distance < best_distance:
                    best, best_distance = ty, distance
        for expr in _expressions(item):
            for node in nodes.walk(expr):
                if isinstance(node, nodes.Name) and node.name == name:
                    ref = model.refs.get(node.nid)
                    ty = model.expr_types.get(node.nid)
                    if ref is None or ref.kind != "local" or ty is None:
                        continue
                    distance = _distance(node.span.start, offset, item)
                    if best_distance is None or distance < best_distance:
                        best, best_distance = ty, distance
    return best


def _params_of(model: Model, item):
    callable_ = model.callable(item.name) if isinstance(item, (nodes.RuleDecl,
                                                              nodes.TableDecl)) else None
    if callable_ is None or callable_.decl is not item:
        return []
    return list(zip(item.params, callable_.param_types))


def _distance(start: int, offset: int | None, item) -> int:
    """How far a use is from the cursor; a use in the declaration holding the cursor
    first, above it before below."""
    if offset is None:
        return abs(start)
    inside = item.span.start <= offset <= item.span.end
    gap = offset - start if start <= offset else (start - offset) * 2
    return gap if inside else 10**9 + gap


def _expressions(item):
    stack = list(nodes.children(item))
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.Expr):
            yield node
        else:
            stack.extend(nodes.children(node))


def _item(name: str, kind, what: str, type_text: str | None,
          label: str | None) -> types.CompletionItem:
    detail = what + (f": {type_text}" if type_text else "")
    return types.CompletionItem(label=name, kind=kind, detail=detail,
                                documentation=label or None,
                                label_details=types.CompletionItemLabelDetails(
                                    description=label) if label else None)
