"""Resolved types, as the checker computes them from the type syntax in nodes.py."""
from __future__ import annotations

from dataclasses import dataclass, field

from . import nodes


@dataclass(frozen=True)
class Ty:
    def __str__(self) -> str:  # pragma: no cover - overridden
        return "?"


@dataclass(frozen=True)
class Prim(Ty):
    name: str  # bool int decimal money percent date duration text none

    def __str__(self) -> str:
        return self.name


BOOL = Prim("bool")
INT = Prim("int")
DECIMAL = Prim("decimal")
MONEY = Prim("money")
PERCENT = Prim("percent")
DATE = Prim("date")
DURATION = Prim("duration")
TEXT = Prim("text")
NONE = Prim("none")
PRIMITIVES = {t.name: t for t in (BOOL, INT, DECIMAL, MONEY, PERCENT, DATE, DURATION, TEXT)}


@dataclass(frozen=True)
class EnumTy(Ty):
    """`members` are the values records and outputs carry, in declaration order (the order
    `max`, `min` and comparisons use); `names` are how policy text refers to them."""
    name: str
    members: tuple[str, ...]
    labels: tuple[str | None, ...] = ()
    names: tuple[str, ...] = ()

    def value_of(self, name: str) -> str | None:
        """The member a policy name refers to (by name, or by its value)."""
        names = self.names or self.members
        if name in names:
            return self.members[names.index(name)]
        return name if name in self.members else None

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class FieldInfo:
    name: str
    ty: Ty
    label: str | None
    default: nodes.Expr | None
    decl: nodes.FieldDecl | None = None

    @property
    def has_default(self) -> bool:
        return self.default is not None


@dataclass(frozen=True, eq=False)
class RecordTy(Ty):
    """A record shape; `fields` keeps declaration order."""
    name: str
    fields: dict[str, FieldInfo] = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return self.name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RecordTy) and other.name == self.name

    def __hash__(self) -> int:
        return hash(("record", self.name))


@dataclass(frozen=True)
class OptionalTy(Ty):
    inner: Ty

    def __str__(self) -> str:
        return f"optional {self.inner}"


@dataclass(frozen=True)
class ListTy(Ty):
    inner: Ty

    def __str__(self) -> str:
        return f"list of {self.inner}"


@dataclass(frozen=True)
class HistoryTy(Ty):
    """Entries of `record`, each with an int `year`; indexed by year."""
    record: RecordTy

    def __str__(self) -> str:
        return f"history of {self.record.name}"


def strip_optional(ty: Ty) -> Ty:
    return ty.inner if isinstance(ty, OptionalTy) else ty


def assignable(value: Ty, target: Ty) -> bool:
    """Can a value of type `value` stand where `target` is expected?"""
    if value == target:
        return True
    if value == NONE and isinstance(target, OptionalTy):
        return True
    if isinstance(target, OptionalTy):
        return assignable(value, target.inner)
    if value == INT and target in (DECIMAL,):
        return True
    if isinstance(value, ListTy) and isinstance(target, ListTy):
        return value.inner == NONE or assignable(value.inner, target.inner)
    if isinstance(value, ListTy) and value.inner == NONE and isinstance(target, HistoryTy):
        return True  # `default []` for a history
    return False
