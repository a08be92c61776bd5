"""The checked policy: a policy file merged with the chain it extends, names resolved, typed.

Built by inherit.py (declarations, in the order of the chain) and filled in by the checker
passes (types of declarations, what every name in every expression refers to).  The
evaluator and later back ends read only this.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import nodes
from .source import SourceFile
from .types import EnumTy, HistoryTy, OptionalTy, RecordTy, Ty


@dataclass
class Origin:
    """Which policy of the chain a declaration (or its citation) comes from."""
    policy_id: str
    document: str | None     # 文号, for citations


@dataclass
class Param:
    decl: nodes.ParameterDecl
    origin: Origin
    attrs: nodes.Attrs
    ty: Ty | None = None
    key_types: tuple[Ty, ...] = ()          # enum key types after `region`
    values: tuple[tuple[object, object], ...] = ()   # (start date, runtime value), sorted

    @property
    def by_region(self) -> bool:
        return bool(self.decl.keys) and self.decl.keys[0] == "region"


@dataclass
class Rule:
    decl: nodes.RuleDecl
    origin: Origin                    # the policy whose text `attrs.cite` points into
    attrs: nodes.Attrs
    ty: Ty | None = None
    param_types: tuple[Ty, ...] = ()
    defined_in: Origin | None = None  # the policy that wrote the definition
    # Exception branches whose label/citation a later policy amended: ident -> (attrs, origin)
    case_attrs: dict[str, tuple[nodes.Attrs, Origin]] = field(default_factory=dict)

    def case_citation(self, exc: nodes.ExceptionCase) -> tuple[nodes.Attrs, Origin]:
        return self.case_attrs.get(exc.ident, (exc.attrs, self.defined_in or self.origin))

    @property
    def inapplicable_cases(self) -> list[nodes.ExceptionCase | nodes.RuleDecl]:
        """The cases that say `not applicable` (the rule itself when its base case does)."""
        found = []
        if isinstance(self.decl.body, nodes.NotApplicable):
            found.append(self.decl)

        def walk(cases):
            for case in cases:
                if isinstance(case.body, nodes.NotApplicable):
                    found.append(case)
                walk(case.exceptions)
        walk(self.decl.exceptions)
        return found

    @property
    def read_ty(self) -> Ty | None:
        """The type another rule reads this one at: a rule that may be not applicable reads
        as optional, `none` where it does not apply (the reader must test for it, as for
        any optional value)."""
        if self.ty is None or isinstance(self.ty, OptionalTy) or not self.inapplicable_cases:
            return self.ty
        return OptionalTy(self.ty)


@dataclass
class Table:
    """A decision table: called like a rule with its inputs, never an output, and with rows
    where a rule has cases; kept apart from rules so neither pretends to be the other."""
    decl: nodes.TableDecl
    origin: Origin
    attrs: nodes.Attrs
    ty: Ty | None = None
    param_types: tuple[Ty, ...] = ()
    defined_in: Origin | None = None

    @property
    def read_ty(self) -> Ty | None:
        return self.ty          # a table always gives a value (or an error)


@dataclass
class Measure:
    decl: nodes.MeasureDecl
    origin: Origin
    attrs: nodes.Attrs
    ty: Ty | None = None


@dataclass(frozen=True)
class Ref:
    """What a name in an expression refers to."""
    kind: str        # local rule param field builtin enum_member type
    name: str
    enum: str | None = None


@dataclass
class Model:
    policy_id: str
    path: str
    header: nodes.Header
    chain: list[nodes.PolicyFile]                 # root template first, this file last
    origins: dict[str, Origin]                    # policy id -> origin
    sources: dict[str, SourceFile]
    enums: dict[str, EnumTy] = field(default_factory=dict)
    enum_decls: dict[str, nodes.EnumDecl] = field(default_factory=dict)
    record_decls: dict[str, nodes.RecordDecl] = field(default_factory=dict)
    records: dict[str, RecordTy] = field(default_factory=dict)
    # The record kinds a policy reads (`person`, `fund_year`), each with its fields; the
    # first declared is the default kind, read by rules without `for KIND`.
    inputs: dict[str, dict[str, nodes.FieldDecl]] = field(default_factory=dict)
    input_types: dict[str, RecordTy] = field(default_factory=dict)
    read_fields_by_kind: dict[str, frozenset[str]] = field(default_factory=dict)
    params: dict[str, Param] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)
    measures: dict[str, Measure] = field(default_factory=dict)
    # The checker's findings, keyed by the node ids the transformer gives (nodes.NodeId).
    cell_tests: dict[nodes.NodeId, str] = field(default_factory=dict)   # Cell -> cell_test
    refs: dict[nodes.NodeId, Ref] = field(default_factory=dict)         # Name -> what it is
    expr_types: dict[nodes.NodeId, Ty] = field(default_factory=dict)    # Expr -> its type
    warnings: list = field(default_factory=list)              # checker warnings
    reads: dict[str, set[str]] = field(default_factory=dict)   # rule -> names it reads
    calls: dict[str, list] = field(default_factory=dict)   # rule -> [(callee, Call|None)]
    # Indexes the checker builds once the types are resolved, so that looking a name up
    # does not scan every enum or every field (a policy may declare thousands).
    _members: dict[str, dict[str, str]] | None = field(default=None, repr=False)
    _owners: dict[str, list[EnumTy]] = field(default_factory=dict, repr=False)
    _history_records: frozenset[str] | None = field(default=None, repr=False)

    def member_value(self, enum: EnumTy, name: str) -> str | None:
        """What EnumTy.value_of answers (the member a policy name refers to, by name or by
        value), from an index."""
        return self._member_index().get(enum.name, {}).get(name)

    def enums_with_member(self, name: str) -> list[EnumTy]:
        """The enums with a member `name` (by name or by value), in declaration order."""
        self._member_index()
        return self._owners.get(name, [])

    def _member_index(self) -> dict[str, dict[str, str]]:
        if self._members is None or len(self._members) != len(self.enums):
            self._members, self._owners = {}, {}
            for enum in self.enums.values():
                lookup = {value: value for value in enum.members}
                names = enum.names or enum.members
                for i in reversed(range(len(names))):   # the first of a repeated name wins
                    lookup[names[i]] = enum.members[i]
                self._members[enum.name] = lookup
                for name in lookup:
                    self._owners.setdefault(name, []).append(enum)
        return self._members

    def source_text(self, node) -> str:
        """A node as written in its file, on one line (for messages)."""
        source = self.sources.get(node.span.path)
        if source is None:
            return "?"
        return " ".join(source.text[node.span.start:node.span.end].split())

    def is_history_record(self, record: RecordTy) -> bool:
        """Entries of a `history of R` carry an int `year` besides R's fields."""
        if self._history_records is None:
            self._history_records = frozenset(
                info.ty.record.name for kind in self.input_types.values()
                for info in kind.fields.values() if isinstance(info.ty, HistoryTy))
        return record.name in self._history_records

    @property
    def default_kind(self) -> str:
        return next(iter(self.inputs), "person")

    @property
    def input_fields(self) -> dict[str, nodes.FieldDecl]:
        return self.inputs.get(self.default_kind, {})

    @property
    def input_type(self) -> RecordTy:
        """The default record kind's shape (what `yibao eval` reads without `kind:`)."""
        return self.input_types.get(self.default_kind) or RecordTy(self.default_kind, {})

    @property
    def read_fields(self) -> frozenset[str]:
        return self.read_fields_by_kind.get(self.default_kind, frozenset())

    def callable(self, name: str) -> Rule | Table | None:
        """The rule or table a call `name(...)` (or a bare rule name) refers to."""
        return self.rules.get(name) or self.tables.get(name)

    @property
    def callables(self) -> dict[str, Rule | Table]:
        """Rules, then tables, each in declaration order."""
        return {**self.rules, **self.tables}

    def rule_kind(self, name: str) -> str:
        decl = (self.rules.get(name) or self.tables.get(name) or self.measures[name]).decl
        return decl.record_kind or self.default_kind

    def outputs_for(self, kind: str) -> list[str]:
        return [name for name in self.outputs if self.rule_kind(name) == kind]

    @property
    def status(self) -> str | None:
        return self.header.get("status")

    @property
    def document(self) -> str | None:
        return self.header.get("document")

    @property
    def outputs(self) -> list[str]:
        return [name for name, rule in self.rules.items() if rule.decl.is_output]

    def output_type(self, name: str) -> Ty:
        return self.rules[name].ty

    def output_label(self, name: str) -> str | None:
        return self.rules[name].attrs.label
