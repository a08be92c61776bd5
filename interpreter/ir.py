"""The lowered form of a checked policy: what every back end reads.

`lower.py` builds it from the checked model and is the one place where meaning is decided.
Here every name is already resolved (a field with its default, a rule call, a parameter read
at a date, a region parameter, a local, an enum constant), every operator is already chosen
by the types of its operands (`Arith.kind`), constants are values, a rule's cases are a
default tree held as data, and every place an evaluation can fail is a node of its own
(`Entry`, `RegionParam`, `Param`, `Arith`, ...).  Spans ride along as metadata, out of
equality, so that two policies that differ only in layout lower to equal programs.

Semantics, written once (the closure evaluator, `closures.py`, implements exactly this;
any other engine must agree with it):

* Values: bool, int (within int64), exact Decimal for decimal/money/percent (a percent is
  held as its fraction), dates, `Duration` (whole months), text, enum members as the text
  records use, lists as tuples, records as dicts, histories as `History`.  `none` is None.
* Arithmetic is exact.  int results beyond int64 are errors (E565), decimal results are
  exact or an error (E563/E564/E567), division rounds to 34 significant digits half-even
  (E562 on a zero divisor).  Money outputs must be whole cents (E510).  All of it runs in
  one pinned decimal context (arithmetic.EVALUATION), never the host's.
* `and`/`or` evaluate left to right and stop as soon as the result is known; the right
  side's errors arise only when it is evaluated.  `if` evaluates one branch.
* Aggregates visit their source in order (a year range low to high; `streak` from the high
  year down) and stop as soon as their result is known: `any` at the first item whose
  condition holds, `all` at the first whose condition fails, `streak` at the first year
  whose condition fails.  An item's error (a missing history year, say) arises only if the
  item is reached.  `count`, `sum`, `collect`, `min`, `max`, `first`, `last` visit every
  item.  `min`/`max`/`first`/`last` over nothing give their `default`, evaluated only then.
  Enums order by declaration (the first member is the least), in `max(a, b)`,
  `max { ... }` and tables under `hit max`/`hit min` alike.
* A rule is a default tree (Catala's default calculus): the exceptions of a case are tried
  first, every one of them; those that apply must agree (E540), and one that applies wins
  over its parent.  With none applying, the case's own guard decides: true gives its body,
  false gives "no case" to the parent.  A rule whose root gives no case is an error (E541).
  A case whose body is `NotApplicable` gives the outcome "not applicable" with its reason:
  an output shows it as such (JSON null); another rule reading it sees none.  Two applying
  exceptions agree only if both give the same value, or both not applicable for one reason.
* A table matches each row's cells against its inputs (all rows, or up to the first match
  under `hit first`), then its hit policy picks: `unique` (two matches: E590), `first`,
  `max`/`min` (by the result's order), `collect sum` (nothing matched: zero).  With no match
  the `otherwise` value is taken, else E543.
* A rule's value is computed once per evaluation and arguments; an error is remembered too.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Union

from .source import Span
from .types import Ty

class _Missing:
    """The default of a field that has none (one instance, so IR nodes compare by value)."""
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self):
        return "MISSING"      # unpickles as this module's one instance


MISSING = _Missing()


@dataclass(frozen=True)
class Expr:
    ty: Ty | None                                   # the checked type of the value
    span: Span | None = field(compare=False, repr=False, kw_only=True, default=None)


# ------------------------------------------------------------------ leaves
@dataclass(frozen=True)
class Const(Expr):
    value: object


@dataclass(frozen=True)
class Local(Expr):
    name: str


@dataclass(frozen=True)
class AsOf(Expr):
    """The evaluation date."""


@dataclass(frozen=True)
class BenefitYear(Expr):
    """The year of the evaluation date."""


@dataclass(frozen=True)
class InputField(Expr):
    """A field of the record being evaluated; a missing one takes the kind's default
    (Program.field_defaults), else none when optional, else E523."""
    name: str
    shown: bool = True        # recorded in explanations (histories are not: their entries are)


@dataclass(frozen=True)
class RuleCall(Expr):
    """A rule's value.  `inapplicable`: the rule may be not applicable, which a reader sees
    as none (its type is optional there, so the checker has made the reader test it)."""
    rule: str
    args: tuple[Expr, ...] = ()
    inapplicable: bool = False


@dataclass(frozen=True)
class NotApplicable(Expr):
    """The body of a case saying the output does not concern this person, with the reason:
    the rule's value is then a values.NotApplicable, neither a value nor an error."""
    reason: str


@dataclass(frozen=True)
class Param(Expr):
    """A dated parameter read at `when` (the evaluation date when None): E501/E502 if the
    date is before its first value."""
    name: str
    when: Expr | None = None


@dataclass(frozen=True)
class RegionParam(Expr):
    """A parameter read from the region file (under `key`) for a region and enum keys at a
    date: E531 with no region file; E530/E532-E536 from the lookup."""
    name: str
    key: str
    region: Expr
    keys: tuple[Expr, ...] = ()
    when: Expr | None = None


# ------------------------------------------------------------------ structure
@dataclass(frozen=True)
class FieldOf(Expr):
    """`target.name` of a nested record: E522 when the target is none; a missing field
    takes `default` (a value), else none when `optional`, else E523."""
    target: Expr
    name: str
    default: object = MISSING
    optional: bool = False
    path: str | None = None            # `enrollment[].paid_on`, for messages and explanations
    history_path: str | None = None    # set when the target is a history entry


@dataclass(frozen=True)
class Entry(Expr):
    """`history[year]`: E520 when no entry has that year, E521 when several do."""
    target: Expr
    year: Expr
    path: str


@dataclass(frozen=True)
class HasEntry(Expr):
    """`exists history[year]`."""
    target: Expr
    year: Expr
    path: str


@dataclass(frozen=True)
class ListOf(Expr):
    items: tuple[Expr, ...]


# ------------------------------------------------------------------ operators
@dataclass(frozen=True)
class Not(Expr):
    operand: Expr


@dataclass(frozen=True)
class Logic(Expr):
    op: str                    # and or: short-circuit
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Member(Expr):
    item: Expr
    items: Expr
    negated: bool = False


@dataclass(frozen=True)
class Compare(Expr):
    op: str                    # == != < <= > >= (ordering only numbers, dates, durations)
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Arith(Expr):
    """An arithmetic operation chosen by type.  kind:
    int_add int_sub int_mul            whole numbers, E565 beyond int64
    dec_add dec_sub dec_mul            exact decimals (money, percent, decimal)
    divide                             exact division rounded to 34 digits; E562 on zero
    date_add_months date_sub_months    a date moved by a duration, E560 off the calendar
    duration_add duration_sub          duration ± duration (whole months, E565)
    duration_times_int int_times_duration   a duration scaled by a whole number"""
    kind: str
    left: Expr
    right: Expr
    text: str                  # the operation as written, for its messages


@dataclass(frozen=True)
class Negate(Expr):
    kind: str                  # int duration decimal
    operand: Expr
    text: str


@dataclass(frozen=True)
class IsNone(Expr):
    operand: Expr
    negated: bool = False


@dataclass(frozen=True)
class If(Expr):
    condition: Expr
    then: Expr
    otherwise: Expr


@dataclass(frozen=True)
class Builtin(Expr):
    """A builtin function: year month day month_start months years starts_with round date
    max min.  `order` is set for max/min of enum members."""
    function: str
    args: tuple[Expr, ...]
    text: str
    order: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Years:
    """The years low..high inclusive (E570 over MAX_YEARS_IN_RANGE)."""
    low: Expr
    high: Expr


@dataclass(frozen=True)
class Aggregate(Expr):
    kind: str                  # count sum min max first last streak any all collect
    var: str
    source: Union[Years, Expr]
    where: Expr | None
    value: Expr | None
    default: Expr | None
    text: str
    sum_kind: str | None = None              # int duration decimal, for sum
    order: tuple[str, ...] | None = None     # for min/max of enum members


# ------------------------------------------------------------------ rules
@dataclass(frozen=True)
class Citation:
    label: str | None
    cite: str | None           # the article, with the document it points into


@dataclass(frozen=True)
class Case:
    """A node of a rule's default tree."""
    ident: str
    citation: Citation
    guard: Expr | None
    guard_text: str | None
    body: Expr
    exceptions: tuple["Case", ...]
    span: Span | None = field(compare=False, repr=False, kw_only=True, default=None)


@dataclass(frozen=True)
class CellTest:
    """One cell of a row as a test on the row's input `param`: any, equal, one_of, compare,
    range (tables.matches)."""
    param: str
    test: str
    op: str | None
    order: tuple[str, ...] | None
    value: Expr | None
    high: Expr | None
    text: str


@dataclass(frozen=True)
class Row:
    ident: str
    name: str
    cite: str | None
    cells: tuple[CellTest, ...]
    result: Expr


@dataclass(frozen=True)
class Table:
    hit: str                   # unique first max min "collect sum"
    rows: tuple[Row, ...]
    otherwise: Expr | None
    order: tuple[str, ...] | None        # results' enum order, for max/min
    sum_kind: str
    span: Span | None = field(compare=False, repr=False, kw_only=True, default=None)


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str                  # the record kind it is about
    ty: Ty | None
    is_output: bool
    params: tuple[str, ...]
    lower_bounds: tuple[int | None, ...]
    body: Union[Case, Table, None]       # None: a required rule left unset (E542)
    citation: Citation
    document: str | None
    span: Span | None = field(compare=False, repr=False, kw_only=True, default=None)
    name_span: Span | None = field(compare=False, repr=False, kw_only=True, default=None)


@dataclass(frozen=True)
class ParamValues:
    """A parameter: its dated values (start, value) in order, or where region files keep it."""
    name: str
    ty: Ty | None
    values: tuple[tuple[dt.date, object], ...]
    by_region: bool
    key: str                   # the name region files use
    citation: Citation
    document: str | None


@dataclass(frozen=True)
class Measure:
    name: str
    kind: str                  # count share sum
    record_kind: str
    ty: Ty | None
    value: Expr | None
    where: Expr | None
    target_op: str | None
    target: object
    sum_kind: str
    name_span: Span | None = field(compare=False, repr=False, kw_only=True, default=None)


@dataclass(frozen=True)
class InputKind:
    """A record kind the policy reads: its fields' types, the defaults of those that have
    one (as expressions: they may read other fields), and which are optional."""
    name: str
    fields: tuple[str, ...]
    defaults: tuple[tuple[str, Expr], ...]
    optional: frozenset[str]
    histories: frozenset[str]            # fields whose default `[]` becomes an empty history


@dataclass(frozen=True)
class Program:
    policy_id: str
    default_kind: str
    kinds: tuple[InputKind, ...]
    rules: tuple[Rule, ...]
    params: tuple[ParamValues, ...]
    measures: tuple[Measure, ...]

    def rule(self, name: str) -> Rule:
        return self._index("_rules", self.rules)[name]

    def param(self, name: str) -> ParamValues:
        return self._index("_params", self.params)[name]

    def kind(self, name: str) -> InputKind:
        return self._index("_kinds", self.kinds)[name]

    @property
    def outputs(self) -> list[str]:
        return [r.name for r in self.rules if r.is_output]

    def _index(self, attr: str, items) -> dict:
        found = self.__dict__.get(attr)
        if found is None:
            found = {item.name: item for item in items}
            object.__setattr__(self, attr, found)   # a cache, not part of the value
        return found


def children(node) -> list:
    """The IR nodes directly inside `node`, in field order (for walks that need no type
    switch)."""
    found = []
    for name in getattr(node, "__dataclass_fields__", ()):
        value = getattr(node, name)
        if isinstance(value, (Expr, Years, Case, Table, Row, CellTest)):
            found.append(value)
        elif isinstance(value, tuple):
            found.extend(v for v in value if isinstance(v, (Expr, Years, Case, Row, CellTest)))
    return found
