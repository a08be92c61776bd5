"""The policy AST: frozen dataclasses, each carrying the span of the text it came from.

Built by transformer.py from the parse tree; read by the checker, the evaluator and the
tools that follow (formatter, coverage, diff, SQL).  Nothing here knows about lark.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Union

from .source import Span


# ------------------------------------------------------------------ type syntax
@dataclass(frozen=True)
class TypeRef:
    span: Span


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
@dataclass(frozen=True)
class Expr:
    span: Span


@dataclass(frozen=True)
class Literal(Expr):
    kind: str          # money percent date duration decimal int text bool none
    value: object      # Decimal for money/percent(as a fraction)/decimal, int, date, str, bool, None
    text: str          # as written, for the formatter


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
    span: Span
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


# ------------------------------------------------------------------ declarations
@dataclass(frozen=True)
class Attrs:
    label: str | None = None
    cite: str | None = None
    note: str | None = None
    key: str | None = None     # region parameters: the name region files use for it


@dataclass(frozen=True)
class HeaderEntry:
    span: Span
    key: str
    value: object      # str, date, or (date, date) for a range
    kind: str          # text name date range


@dataclass(frozen=True)
class Header:
    span: Span
    policy_id: str
    extends: str | None
    entries: tuple[HeaderEntry, ...]
    extends_span: Span | None = None   # the parent's id after `extends`, for its problems

    def get(self, key: str):
        for entry in self.entries:
            if entry.key == key:
                return entry.value
        return None


@dataclass(frozen=True)
class Decl:
    span: Span
    name: str
    name_span: Span


@dataclass(frozen=True)
class EnumMember:
    span: Span
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
    span: Span
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


@dataclass(frozen=True)
class RuleParam:
    span: Span
    name: str
    type: TypeRef
    lower_bound: int | None


@dataclass(frozen=True)
class ExceptionCase:
    span: Span
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
    span: Span
    kind: str                      # any, equal (a list value means "one of"), compare, range
    op: str | None = None          # for compare: == != < <= > >=
    value: Expr | None = None      # equal/compare value; range low
    high: Expr | None = None       # range high


@dataclass(frozen=True)
class TableRow:
    span: Span
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
    hit: str
    rows: tuple[TableRow, ...]
    otherwise: Expr | None
    override: bool = False
    record_kind: str | None = None
    # What rules have and tables do not, so code that walks rules can walk tables too.
    is_output: bool = False
    required: bool = False
    guard: Expr | None = None
    body: Expr | None = None
    exceptions: tuple = ()


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
    span: Span
    name: str
    ident: str
    attrs: Attrs
    exceptions: tuple["AmendException", ...]


@dataclass(frozen=True)
class AmendDecl(Decl):
    """Changes the label, citation or note of an inherited declaration (and of its exception
    branches), not its meaning."""
    attrs: Attrs
    exceptions: tuple[AmendException, ...] = ()


@dataclass(frozen=True)
class Comment:
    span: Span
    text: str


Item = Union[EnumDecl, RecordDecl, InputDecl, ParameterDecl, RuleDecl, TableDecl, MeasureDecl,
             AmendDecl]


@dataclass(frozen=True)
class PolicyFile:
    path: str
    header: Header
    items: tuple[Item, ...]
    comments: tuple[Comment, ...]


def walk(expr: Expr):
    """Yield an expression and every expression inside it, depth first."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        yield node
        if isinstance(node, (Attribute, Exists)):
            stack.append(node.target)
        elif isinstance(node, Index):
            stack.extend((node.target, node.index))
        elif isinstance(node, Call):
            stack.extend(node.args)
        elif isinstance(node, OnDate):
            stack.extend((node.target, node.when))
        elif isinstance(node, Unary):
            stack.append(node.operand)
        elif isinstance(node, Binary):
            stack.extend((node.left, node.right))
        elif isinstance(node, IsNone):
            stack.append(node.operand)
        elif isinstance(node, IfThenElse):
            stack.extend((node.condition, node.then, node.otherwise))
        elif isinstance(node, ListLiteral):
            stack.extend(node.items)
        elif isinstance(node, Aggregate):
            if isinstance(node.source, YearRange):
                stack.extend((node.source.low, node.source.high))
            else:
                stack.append(node.source)
            stack.extend(e for e in (node.where, node.value, node.default) if e is not None)


__all__ = [name for name in dir() if not name.startswith("_")] + ["Decimal"]
