"""The policy AST: frozen dataclasses, each carrying the span of the text it came from.

Built by transformer.py from the parse tree; read by the checker, the evaluator and the
tools that follow (formatter, coverage, diff, SQL).  Nothing here knows about lark.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Union

from .source import Span


# ------------------------------------------------------------------ type syntax
@dataclass(frozen=True)
class TypeRef:
    span: Span = field(compare=False)


@dataclass(frozen=True)
class NamedType(TypeRef):
    name: str          # bool int decimal money percent date duration text, or an enum/record


@dataclass(frozen=True)
class OptionalType(TypeRef):
    inner: TypeRef


@dataclass(frozen=True)
class ListType(TypeRef):
    inner: TypeRef


@dataclass(frozen=True)
class HistoryType(TypeRef):
    """A list of records keyed by their `year` field: `history of Enrollment`."""
    record: str


# ------------------------------------------------------------------ expressions
# A node's id: (path of its file, its number in that file in source order), given by the
# transformer; stable for the same text, so checker findings and editor state key on it.
NodeId = tuple[str, int]


@dataclass(frozen=True)
class Expr:
    span: Span = field(compare=False)
    nid: NodeId | None = field(default=None, compare=False, kw_only=True, repr=False)


@dataclass(frozen=True)
class Literal(Expr):
    kind: str          # money percent date duration decimal int text bool none
    value: object      # Decimal for money/percent(as a fraction)/decimal, int, date, str, bool, None
    text: str = field(compare=False)   # as written, for the formatter (layout, not meaning)


@dataclass(frozen=True)
class NotApplicable(Expr):
    """The body of a case that says the output does not concern this person: `= not
    applicable because "…"`.  Only a case body may be one (the grammar allows no other)."""
    reason: str


@dataclass(frozen=True)
class Name(Expr):
    name: str


@dataclass(frozen=True)
class Attribute(Expr):
    target: Expr
    name: str


@dataclass(frozen=True)
class Index(Expr):
    target: Expr
    index: Expr


@dataclass(frozen=True)
class Call(Expr):
    function: str
    args: tuple[Expr, ...]
    function_span: Span | None = field(default=None, compare=False, kw_only=True)


@dataclass(frozen=True)
class OnDate(Expr):
    """`parameter on date`: a dated parameter read at another date than as_of."""
    target: Expr
    when: Expr


@dataclass(frozen=True)
class Unary(Expr):
    op: str            # "-" or "not"
    operand: Expr


@dataclass(frozen=True)
class Binary(Expr):
    op: str            # + - * / == != < <= > >= and or in "not in"
    left: Expr
    right: Expr


@dataclass(frozen=True)
class IsNone(Expr):
    operand: Expr
    negated: bool


@dataclass(frozen=True)
class IfThenElse(Expr):
    condition: Expr
    then: Expr
    otherwise: Expr


@dataclass(frozen=True)
class ListLiteral(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Exists(Expr):
    target: Expr


@dataclass(frozen=True)
class YearRange:
    span: Span = field(compare=False)
    low: Expr
    high: Expr


@dataclass(frozen=True)
class Aggregate(Expr):
    """`kind { var in source where cond => value default fallback }` over a bounded source."""
    kind: str          # count sum min max first last streak any all
    var: str
    source: Union[YearRange, Expr]
    where: Expr | None
    value: Expr | None
    default: Expr | None
    var_span: Span | None = field(default=None, compare=False, kw_only=True)


# ------------------------------------------------------------------ declarations
@dataclass(frozen=True)
class Attrs:
    label: str | None = None
    cite: str | None = None
    note: str | None = None
    key: str | None = None     # region parameters: the name region files use for it
    # `cite "…" in "文号"`: the document the article belongs to, when it is not the policy's own
    cite_document: str | None = None
    # Each attribute as written, in source order: (name, text, span of the whole attribute).
    written: tuple[tuple[str, str, Span], ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class HeaderEntry:
    span: Span = field(compare=False)
    key: str
    value: object      # str, date, or (date, date) for a range
    kind: str          # text name date range


@dataclass(frozen=True)
class Header:
    span: Span = field(compare=False)
    policy_id: str
    extends: str | None
    entries: tuple[HeaderEntry, ...]
    extends_span: Span | None = field(default=None, compare=False)  # the parent's id after `extends`

    def get(self, key: str):
        for entry in self.entries:
            if entry.key == key:
                return entry.value
        return None


@dataclass(frozen=True)
class Decl:
    span: Span = field(compare=False)
    name: str
    name_span: Span = field(compare=False)


@dataclass(frozen=True)
class EnumMember:
    span: Span = field(compare=False)
    name: str
    label: str | None
    value: str | None = None   # the text records and outputs use, when it differs from name

    @property
    def data(self) -> str:
        return self.value if self.value is not None else self.name


@dataclass(frozen=True)
class EnumDecl(Decl):
    label: str | None
    members: tuple[EnumMember, ...]
    override: bool = False


@dataclass(frozen=True)
class FieldDecl(Decl):
    type: TypeRef
    label: str | None
    default: Expr | None
    override: bool = False


@dataclass(frozen=True)
class RecordDecl(Decl):
    label: str | None
    fields: tuple[FieldDecl, ...]
    override: bool = False


@dataclass(frozen=True)
class InputDecl(Decl):
    """The record kind a policy reads (`person`, `fund_year`) and its fields."""
    fields: tuple[FieldDecl, ...]


@dataclass(frozen=True)
class DatedValue:
    span: Span = field(compare=False)
    start: _dt.date
    expr: Expr


@dataclass(frozen=True)
class ParameterDecl(Decl):
    type: TypeRef
    keys: tuple[str, ...]          # ("region",) for a region parameter, then enum keys
    attrs: Attrs
    required: bool
    values: tuple[DatedValue, ...]
    override: bool = False
    key_spans: tuple[Span, ...] = field(default=(), compare=False, kw_only=True)  # of `keys`


@dataclass(frozen=True)
class RuleParam:
    span: Span = field(compare=False)
    name: str
    type: TypeRef
    lower_bound: int | None


@dataclass(frozen=True)
class ExceptionCase:
    span: Span = field(compare=False)
    name: str
    ident: str                     # stable identity: rule#outer/inner
    attrs: Attrs
    guard: Expr
    body: Expr
    exceptions: tuple["ExceptionCase", ...]


@dataclass(frozen=True)
class RuleDecl(Decl):
    is_output: bool
    params: tuple[RuleParam, ...]
    type: TypeRef
    attrs: Attrs
    required: bool
    guard: Expr | None
    body: Expr | None
    exceptions: tuple[ExceptionCase, ...]
    override: bool = False
    record_kind: str | None = None  # `for fund_year`: the input kind whose fields it reads


@dataclass(frozen=True)
class Cell:
    """One cell of a decision-table row, tested against its column's input."""
    span: Span = field(compare=False)
    kind: str                      # any, equal (a list value means "one of"), compare, range
    op: str | None = None          # for compare: == != < <= > >=
    value: Expr | None = None      # equal/compare value; range low
    high: Expr | None = None       # range high
    nid: NodeId | None = field(default=None, compare=False, kw_only=True, repr=False)


@dataclass(frozen=True)
class TableRow:
    span: Span = field(compare=False)
    name: str
    ident: str                     # stable identity: table#row
    cells: tuple[Cell, ...]
    result: Expr
    cite: str | None


@dataclass(frozen=True)
class TableDecl(Decl):
    """A decision table: called like a rule with its inputs; `hit` says what several
    matching rows give (unique, first, max, min, collect sum)."""
    params: tuple[RuleParam, ...]
    type: TypeRef
    attrs: Attrs
    hit: str                       # the words after `hit`, one space apart
    rows: tuple[TableRow, ...]
    otherwise: Expr | None
    override: bool = False
    record_kind: str | None = None
    hit_span: Span | None = field(default=None, compare=False, kw_only=True)


@dataclass(frozen=True)
class MeasureDecl(Decl):
    """A population measure: `count where C`, `share C among F` or `sum E where C` over the
    records of one kind, with an optional target (`target >= 99%`)."""
    type: TypeRef
    attrs: Attrs
    kind: str                      # count share sum
    value: Expr | None             # share: the condition counted; sum: the amount
    where: Expr | None             # count/sum: filter; share: the population (`among`)
    target_op: str | None
    target: Expr | None
    override: bool = False
    record_kind: str | None = None


@dataclass(frozen=True)
class AmendException:
    """Inside an `amend`: an inherited exception named, with new attributes, and the
    exceptions added under it or replaced among its children."""
    span: Span = field(compare=False)
    name: str
    ident: str
    attrs: Attrs
    exceptions: tuple["AmendException", ...]
    added: tuple["ExceptionCase", ...] = ()
    replaced: tuple["ExceptionCase", ...] = ()


@dataclass(frozen=True)
class AmendDecl(Decl):
    """Changes the label, citation or note of an inherited declaration (and of its exception
    branches); for a rule, it may also add exceptions and replace named ones (`override
    exception`), which changes its meaning case by case without copying the rule."""
    attrs: Attrs
    exceptions: tuple[AmendException, ...] = ()
    added: tuple["ExceptionCase", ...] = ()
    replaced: tuple["ExceptionCase", ...] = ()


@dataclass(frozen=True)
class Comment:
    span: Span = field(compare=False)
    text: str


Item = Union[EnumDecl, RecordDecl, InputDecl, ParameterDecl, RuleDecl, TableDecl, MeasureDecl,
             AmendDecl]


@dataclass(frozen=True)
class PolicyFile:
    path: str = field(compare=False)
    header: Header
    items: tuple[Item, ...]
    comments: tuple[Comment, ...]


# Fields that hold no nodes, skipped when looking for children.
_LEAF_FIELDS = frozenset(("span", "name_span", "extends_span", "nid", "path", "name", "text",
                          "kind", "op", "ident", "label", "cite", "note", "function_span",
                          "var_span", "hit_span", "key_spans", "written"))
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def children(node) -> list:
    """The AST nodes directly inside `node`, in field order (so source order), derived from
    the dataclass fields rather than written out per node type."""
    names = _CHILD_FIELDS.get(type(node))
    if names is None:
        names = _CHILD_FIELDS[type(node)] = tuple(
            f.name for f in fields(node) if f.name not in _LEAF_FIELDS)
    found = []
    for name in names:
        value = getattr(node, name)
        if isinstance(value, tuple):
            found.extend(v for v in value if _is_node(v))
        elif _is_node(value):
            found.append(value)
    return found


def _is_node(value) -> bool:
    return type(value).__module__ == __name__


def walk(expr: Expr):
    """Yield an expression and every expression inside it, depth first."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if isinstance(node, Expr):
            yield node
        stack.extend(reversed(children(node)))


def number(policy: "PolicyFile") -> None:
    """Give every expression and table cell of a freshly built file its id, in source order.
    The one mutation of a frozen node, done by the transformer before anyone else sees it."""
    n = 0
    stack = [policy]
    while stack:
        node = stack.pop()
        if isinstance(node, (Expr, Cell)):
            object.__setattr__(node, "nid", (policy.path, n))
            n += 1
        stack.extend(reversed(children(node)))


__all__ = [name for name in dir() if not name.startswith("_")] + ["Decimal"]
