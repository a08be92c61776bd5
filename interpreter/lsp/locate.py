"""What a place in a policy names: the declaration, field, member or variable behind the
name under the cursor, found from a checked model.

The checker has already resolved every name in every expression (model.refs, keyed by
the node ids the transformer gives) and typed every expression (model.expr_types), so
this module only finds the node at the cursor and reads what the checker decided: a name
means here what it means to `yibao check`, inherited declarations and overrides included
(model.params and the others hold the declaration that wins in the chain).  Where the
checker recorded nothing (a name it could not resolve, a line edited since the last good
check) the name is looked up among the policy's declarations by its spelling.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import nodes
from ..model import Measure, Model, Param, Rule, Table
from ..typecheck import BUILTIN_FUNCTIONS, BUILTIN_VALUES
from ..types import RecordTy, strip_optional


@dataclass(frozen=True)
class Target:
    """A thing a name refers to.  `span` is where it is declared (its name), if anywhere;
    `info` the model's record of it (Param, Rule, FieldDecl, EnumMember, ...)."""
    kind: str       # parameter rule output table measure enum record input field member
                    # local policy builtin function
    name: str
    span: object = None
    info: object = None
    owner: str | None = None     # the enum of a member, the record or input of a field
    type_text: str | None = None


# ------------------------------------------------------------------ by position
def target_at(model: Model, policy: nodes.PolicyFile, offset: int) -> Target | None:
    """What the name at character `offset` of `policy` (a file of the model's chain)
    refers to, or None where there is no name."""
    header = policy.header
    if header.extends and _inside(header.extends_span, offset):
        return policy_target(model, policy, header.extends)
    for item in policy.items:
        if not _inside(item.span, offset):
            continue
        path = _path_to(item, offset)
        return _interpret(model, policy, path, offset)
    return None


def _inside(span, offset: int) -> bool:
    return span is not None and span.start <= offset <= span.end


def _path_to(root, offset: int) -> list:
    """The nodes from `root` down to the innermost one whose span holds `offset`."""
    path = [root]
    while True:
        inner = [c for c in nodes.children(path[-1]) if _inside(getattr(c, "span", None), offset)]
        if not inner:
            return path
        # At the boundary of two nodes (`a+b` with the cursor after `a`), the one that
        # starts there is not the one meant: prefer a node the cursor is strictly inside.
        strict = [c for c in inner if c.span.start <= offset < c.span.end]
        path.append((strict or inner)[0])


def _interpret(model: Model, policy, path: list, offset: int) -> Target | None:
    decl = path[0]
    for depth in range(len(path) - 1, -1, -1):
        node = path[depth]
        found = _node_target(model, policy, node, path[:depth], decl, offset)
        if found is not _NOTHING:
            return found
    return None


_NOTHING = object()


def _node_target(model: Model, policy, node, ancestors: list, decl, offset: int):
    """The target of `node` at `offset`, None for "nothing here", or _NOTHING to go on to
    the node's parent."""
    if isinstance(node, nodes.Name):
        return _name_target(model, node, ancestors, decl)
    if isinstance(node, nodes.Attribute):
        if offset < node.span.end - len(node.name):
            return _NOTHING
        return _attribute_target(model, node)
    if isinstance(node, nodes.Call):
        if node.function_span is not None and _inside(node.function_span, offset):
            return value_target(model, node.function)
        return _NOTHING
    if isinstance(node, nodes.Aggregate):
        if node.var_span is not None and _inside(node.var_span, offset):
            return Target("local", node.var, node.var_span,
                          type_text=_type_of_var(model, node))
        return _NOTHING
    if isinstance(node, nodes.NamedType):
        return type_target(model, node.name)
    if isinstance(node, nodes.HistoryType):
        return type_target(model, node.record)
    if isinstance(node, nodes.EnumMember):
        if offset <= node.span.start + len(node.name) and isinstance(decl, nodes.EnumDecl):
            return Target("member", node.name, node.span, node, decl.name)
        return None
    if isinstance(node, nodes.FieldDecl):
        if _inside(node.name_span, offset):
            owner = decl.name if isinstance(decl, (nodes.RecordDecl, nodes.InputDecl)) else None
            kind = decl.name if isinstance(decl, nodes.InputDecl) else None
            return field_target(model, owner, node.name, input_kind=kind) or \
                Target("field", node.name, node.name_span, node, owner)
        return _NOTHING
    if isinstance(node, nodes.RuleParam):
        if offset <= node.span.start + len(node.name):
            return Target("local", node.name, node.span, node,
                          type_text=_source(model, node.type))
        return _NOTHING
    if isinstance(node, (nodes.ExceptionCase, nodes.TableRow)):
        # `exception NAME {` and `row NAME:` keep no span of their own for the name: it is
        # the first occurrence of the name after the keyword.
        span = _name_after_keyword(model, node)
        if span is not None and _inside(span, offset):
            kind = "exception" if isinstance(node, nodes.ExceptionCase) else "row"
            return Target(kind, node.name, span, node, getattr(decl, "name", None))
        return _NOTHING
    if isinstance(node, nodes.ParameterDecl):
        for key, span in zip(node.keys, node.key_spans):
            if _inside(span, offset):
                return type_target(model, key)   # `by region, Scheme`: an enum
    if isinstance(node, nodes.Decl) and _inside(node.name_span, offset):
        if isinstance(node, nodes.InputDecl):
            return Target("input", node.name, node.name_span, node)
        return declaration_target(model, node.name, type_space=isinstance(
            node, (nodes.EnumDecl, nodes.RecordDecl)))
    return _NOTHING


def _name_target(model: Model, node: nodes.Name, ancestors: list, decl) -> Target | None:
    ref = model.refs.get(node.nid)
    if ref is None:
        return value_target(model, node.name)
    if ref.kind == "local":
        ty = model.expr_types.get(node.nid)
        for outer in reversed(ancestors):
            if isinstance(outer, nodes.Aggregate) and outer.var == node.name:
                return Target("local", node.name, outer.var_span,
                              type_text=str(ty) if ty else None)
        for param in getattr(decl, "params", ()):
            if param.name == node.name:
                return Target("local", node.name, param.span, param,
                              type_text=_source(model, param.type))
        return Target("local", node.name, type_text=str(ty) if ty else None)
    if ref.kind == "field":
        kind = _kind_of(model, decl)
        return field_target(model, kind, node.name, input_kind=kind)
    if ref.kind == "enum_member":
        return member_target(model, ref.enum, ref.name)
    return value_target(model, node.name)


def _attribute_target(model: Model, node: nodes.Attribute) -> Target | None:
    ref = model.refs.get(node.nid)
    if ref is not None and ref.kind == "enum_member":
        return member_target(model, ref.enum, ref.name)
    ty = model.expr_types.get(node.target.nid)
    record = strip_optional(ty) if ty is not None else None
    record = getattr(record, "record", record)      # a history's entries
    if isinstance(record, RecordTy):
        return field_target(model, record.name, node.name,
                            input_kind=record.name if record.name in model.inputs else None)
    if isinstance(node.target, nodes.Name) and node.target.name in model.enums:
        return member_target(model, node.target.name, node.name)
    return None


def _name_after_keyword(model: Model, node):
    source = model.sources.get(node.span.path)
    if source is None:
        return None
    start = source.text.find(node.name, node.span.start, node.span.end)
    return source.span(start, start + len(node.name)) if start >= 0 else None


def _kind_of(model: Model, decl) -> str:
    """The record kind whose fields the names in `decl` read."""
    if isinstance(decl, nodes.InputDecl):
        return decl.name
    return getattr(decl, "record_kind", None) or model.default_kind


def _type_of_var(model: Model, node: nodes.Aggregate) -> str | None:
    for inner in nodes.walk(node):
        if isinstance(inner, nodes.Name) and inner.name == node.var:
            ty = model.expr_types.get(inner.nid)
            if ty is not None:
                return str(ty)
    return None


def _source(model: Model, node) -> str:
    return model.source_text(node) if node is not None else ""


# ------------------------------------------------------------------ by name
def policy_target(model: Model, policy: nodes.PolicyFile, parent_id: str) -> Target:
    """The parent a file extends: its header in the chain, else the file beside it."""
    for file in model.chain:
        if file.header.policy_id == parent_id:
            return Target("policy", parent_id, file.header.span, file.header)
    path = str(Path(policy.path).parent / f"{parent_id}.policy")
    return Target("policy", parent_id, _file_start(path))


def _file_start(path: str):
    from ..source import Span

    return Span(path, 1, 1, 1, 1, 0, 0)


def value_target(model: Model, name: str) -> Target | None:
    """A name in value position: a parameter, rule, table or measure, else a built-in,
    an input field, an enum member or a type."""
    found = declaration_target(model, name)
    if found is not None:
        return found
    if name in BUILTIN_VALUES:
        return Target("builtin", name, type_text=str(BUILTIN_VALUES[name]))
    if name in BUILTIN_FUNCTIONS:
        return Target("function", name)
    for kind in model.inputs:
        found = field_target(model, kind, name, input_kind=kind)
        if found is not None:
            return found
    owners = model.enums_with_member(name)
    if owners:
        return member_target(model, owners[0].name, name)
    return declaration_target(model, name, type_space=True)


def declaration_target(model: Model, name: str, type_space: bool = False) -> Target | None:
    if type_space:
        return type_target(model, name)
    info = model.params.get(name) or model.callable(name) or model.measures.get(name)
    if info is None:
        return None
    decl = info.decl
    if isinstance(info, Param):
        kind = "parameter"
    elif isinstance(info, Rule):
        kind = "output" if decl.is_output else "rule"
    elif isinstance(info, Table):
        kind = "table"
    else:
        assert isinstance(info, Measure)
        kind = "measure"
    return Target(kind, name, decl.name_span, info, type_text=_source(model, decl.type))


def type_target(model: Model, name: str) -> Target | None:
    if name in model.enum_decls:
        decl = model.enum_decls[name]
        return Target("enum", name, decl.name_span, decl)
    if name in model.record_decls:
        decl = model.record_decls[name]
        return Target("record", name, decl.name_span, decl)
    if name in model.inputs:
        decl = input_decl(model, name)
        return Target("input", name, decl.name_span if decl else None, decl)
    return None


def input_decl(model: Model, kind: str) -> nodes.InputDecl | None:
    """The first `input KIND` of the chain (a child may add fields in its own)."""
    for policy in model.chain:
        for item in policy.items:
            if isinstance(item, nodes.InputDecl) and item.name == kind:
                return item
    return None


def field_target(model: Model, owner: str | None, name: str,
                 input_kind: str | None = None) -> Target | None:
    decl = None
    if input_kind is not None:
        decl = model.inputs.get(input_kind, {}).get(name)
    if decl is None and owner in model.record_decls:
        decl = next((f for f in model.record_decls[owner].fields if f.name == name), None)
    if decl is None:
        return None
    return Target("field", name, decl.name_span, decl, owner,
                  type_text=_source(model, decl.type))


def member_target(model: Model, enum: str | None, name: str) -> Target | None:
    decl = model.enum_decls.get(enum) if enum else None
    if decl is None:
        return None
    for member in decl.members:
        if name in (member.name, member.data):
            return Target("member", member.name, member.span, member, enum)
    return None


def target_named(model: Model, word: str, owner: str | None) -> Target | None:
    """The name `word` (after `owner.`, if given) looked up by spelling alone: where the
    checker left no record for the place (an edited line, an unresolved name)."""
    if not word:
        return None
    if owner:
        if owner in model.enums:
            return member_target(model, owner, word)
        for kind in model.inputs:
            field = model.inputs[kind].get(owner)
            ty = model.input_types.get(kind).fields.get(owner) if field else None
            record = strip_optional(ty.ty) if ty else None
            record = getattr(record, "record", record)
            if isinstance(record, RecordTy):
                return field_target(model, record.name, word)
    return value_target(model, word)
