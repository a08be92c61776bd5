"""Candidate persons for the behavioural diff, smallest first.

The search is bounded and exhaustive within its bounds, never random: candidates are built
from the input shape the policies declare and from the values the policies themselves
name, so the boundaries the rules test are among them.

The domains:
* a bool: false, true; an enum: each member; an optional value: none, then its values;
* text: the region file's region names, the text literals and text parameter values of
  both policies, then a place neither names (外省外市);
* a whole number: 0..6, the policies' small int literals, and years around the benefit
  year; an amount: 0, 1 and every money literal or money parameter value of both policies;
* a date: in the benefit year Y and the years before it (a birthday 40 years back, early
  and late in Y − 1 and Y), and the parameters' start dates;
* a history (one entry per year): the years Y − 6 .. Y — no entries; the year Y alone with
  each value of each entry field varied one at a time; every continuous run ending at Y;
  every pattern of insured and uninsured years in the window; a run with one year's entry
  changed; claims in one year;
* a list of records (identities): none, one with each value of each field varied, two.

"Smallest" is the order of generation: fewest history entries first, then fewest fields
differing from the base person, then values in domain order (smallest numbers, earliest
in the policy).  `bounds()` describes the bounds in words for the report.
"""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from .. import ir
from ..evaluator import ir_for
from ..model import Model
from ..types import (BOOL, DATE, DECIMAL, INT, MONEY, PERCENT, TEXT, EnumTy, HistoryTy, ListTy,
                     OptionalTy, RecordTy, Ty)

WINDOW = 6                 # years before the benefit year a history reaches back
OUTSIDE = "外省外市"          # a place no policy names


class Domains:
    """The candidate values of each type, taken from both policies and the region file."""

    def __init__(self, models: list[Model], as_of: dt.date, regions=None):
        self.year = as_of.year
        texts, ints, amounts, dates = [], [], [], []
        if regions is not None:
            texts.extend(regions.regions)
        for model in models:
            program = ir_for(model)
            for rule in program.rules:
                for node in _walk(rule.body):
                    _literal(node, texts, ints, amounts)
            for param in program.params:
                for start, value in param.values:
                    dates.append(start)
                    _value(value, param.ty, texts, ints, amounts)
        y = self.year
        self.texts = _unique(texts + [OUTSIDE])
        self.ints = _unique([0, 1, 2, 3, 4, 5, 6] + sorted(i for i in ints if 0 <= i <= 100)
                            + [y - k for k in range(WINDOW + 2)])
        self.amounts = _unique([Decimal(0), Decimal(1)] + sorted(a for a in amounts if a >= 0))
        self.dates = _unique([dt.date(y - 40, 4, 12), dt.date(y, 3, 1), dt.date(y - 1, 11, 20),
                              dt.date(y - 1, 12, 10), dt.date(y, 2, 15), dt.date(y - 10, 6, 1)]
                             + sorted(d for d in dates if y - 50 <= d.year <= y + 1))

    def of(self, ty: Ty, model: Model, field: str = "") -> list:
        if isinstance(ty, OptionalTy):
            return [None] + self.of(ty.inner, model, field)
        if ty == BOOL:
            return [False, True]
        if isinstance(ty, EnumTy):
            return list(ty.members)
        if ty == TEXT:
            return list(self.texts)
        if ty == INT:
            if field.endswith("year") or field.endswith("_from"):
                return [self.year - k for k in range(WINDOW + 2)] + [0]
            return list(self.ints)
        if ty in (MONEY, DECIMAL, PERCENT):
            return list(self.amounts)
        if ty == DATE:
            return list(self.dates)
        return []


def _unique(values: list) -> list:
    return list(dict.fromkeys(values))


def _walk(node):
    if node is None:
        return
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(ir.children(current))


def _literal(node, texts, ints, amounts) -> None:
    if isinstance(node, ir.Const):
        _value(node.value, node.ty, texts, ints, amounts)


def _value(value, ty, texts, ints, amounts) -> None:
    if isinstance(value, tuple):
        for item in value:
            _value(item, getattr(ty, "inner", None), texts, ints, amounts)
    elif isinstance(ty, EnumTy):
        return
    elif isinstance(value, bool):
        return
    elif isinstance(value, str) and ty in (TEXT, None):
        texts.append(value)
    elif isinstance(value, int):
        ints.append(value)
    elif isinstance(value, Decimal) and ty == MONEY:
        amounts.append(value)


# ------------------------------------------------------------------ the base person
class Shape:
    """The fields of one input kind, split by how candidates vary them."""

    def __init__(self, model: Model, kind: str, domains: Domains, read: set[str]):
        self.model, self.domains = model, domains
        record = model.input_types[kind]
        self.kind = kind
        self.scalars, self.histories, self.lists, self.records = [], [], [], []
        for name, info in record.fields.items():
            if name not in read:        # neither policy reads it: it cannot make a difference
                continue
            ty = info.ty
            if isinstance(ty, HistoryTy):
                self.histories.append((name, ty.record))
            elif isinstance(ty, ListTy) and isinstance(ty.inner, RecordTy):
                self.lists.append((name, ty.inner))
            elif isinstance(strip(ty), RecordTy):
                self.records.append((name, ty))
            elif name != "id":
                self.scalars.append((name, ty, info.default is not None))

    def base(self) -> dict:
        """The smallest valid person: every field without a default at its first value."""
        data = {"id": "W-0001"}
        if self.kind != self.model.default_kind:
            data["kind"] = self.kind
        for name, ty, has_default in self.scalars:
            if not has_default:
                data[name] = self.first(ty, name)
        for name, _ in self.histories:
            data[name] = []
        return data

    def first(self, ty: Ty, name: str):
        if name == "birth_date":
            return self.domains.dates[0]
        values = [v for v in self.domains.of(ty, self.model, name) if v is not None]
        return values[0] if values else None

    def entry(self, record: RecordTy, year: int, **changes) -> dict:
        """One history entry for `year`: the first value of each field, paid on 10 December
        of the year before (a premium paid for the year, in time)."""
        found = {"year": year}
        for name, info in record.fields.items():
            if info.default is not None:
                continue
            if info.ty == DATE:
                found[name] = dt.date(year - 1, 12, 10)
            else:
                found[name] = self.first(info.ty, name)
        found.update(changes)
        return found

    def item(self, record: RecordTy) -> dict:
        found = {}
        for name, info in record.fields.items():
            if info.default is not None:
                continue
            found[name] = (self.domains.dates[0] if info.ty == DATE
                           else self.first(info.ty, name))
        return found


def strip(ty):
    return ty.inner if isinstance(ty, OptionalTy) else ty


def candidates(shape: Shape):
    """Candidate records (plain mappings), smallest first; each once."""
    seen = set()
    for data in _stages(shape):
        key = repr(sorted(data.items(), key=lambda kv: kv[0]))
        if key in seen:
            continue
        seen.add(key)
        yield data


def _stages(shape: Shape):
    d, base, y = shape.domains, shape.base(), shape.domains.year
    yield dict(base)
    yield from _scalar_variants(shape, base)
    for name, record in shape.histories[:1]:      # the main history (enrollment)
        one = dict(base, **{name: [shape.entry(record, y)]})
        yield one
        for field, info in record.fields.items():
            values = [dt.date(y - 1, 12, 10), dt.date(y, 2, 15), dt.date(y, 7, 1)] \
                if info.ty == DATE else d.of(info.ty, shape.model, field)
            for value in values:
                yield dict(base, **{name: [shape.entry(record, y, **{field: value})]})
        yield from _scalar_variants(shape, one)
        yield from _list_variants(shape, one)
        yield from _record_variants(shape, one)
        for k in range(1, WINDOW + 1):
            run = dict(base, **{name: [shape.entry(record, x) for x in range(y - k, y + 1)]})
            yield run
        full = dict(base, **{name: [shape.entry(record, x) for x in range(y - WINDOW, y + 1)]})
        yield from _scalar_variants(shape, full)
        for pattern in itertools.product((True, False), repeat=WINDOW + 1):
            years = [y - WINDOW + i for i, on in enumerate(pattern) if on]
            yield dict(base, **{name: [shape.entry(record, x) for x in years]})
        for changed in range(y - WINDOW, y + 1):
            for field, info in record.fields.items():
                if info.ty in (BOOL,) or isinstance(info.ty, EnumTy):
                    for value in d.of(info.ty, shape.model, field)[1:]:
                        entries = [shape.entry(record, x, **({field: value} if x == changed
                                                             else {}))
                                   for x in range(y - WINDOW, y + 1)]
                        yield dict(base, **{name: entries})
        for other, other_record in shape.histories[1:]:     # claims and the like
            for year in range(y - WINDOW, y + 1):
                for field, info in other_record.fields.items():
                    for value in d.of(info.ty, shape.model, field)[1:3]:
                        entry = {"year": year, field: value}
                        yield dict(full, **{other: [entry]})
        yield from _list_variants(shape, full)
    yield from _list_variants(shape, base)
    yield from _record_variants(shape, base)
    if shape.histories:
        name, record = shape.histories[0]
        yield from _pairs(shape, dict(base, **{name: [shape.entry(record, y)]}))
    else:
        yield from _pairs(shape, base)


def _scalar_variants(shape: Shape, start: dict):
    for name, ty, _ in shape.scalars:
        for value in shape.domains.of(ty, shape.model, name):
            if value is None:
                continue
            yield dict(start, **{name: value})


def _list_variants(shape: Shape, start: dict):
    for name, record in shape.lists:
        first = shape.item(record)
        yield dict(start, **{name: [first]})
        for field, info in record.fields.items():
            values = shape.domains.of(info.ty, shape.model, field)
            for value in values:
                yield dict(start, **{name: [dict(first, **{field: value})]})
        fields = [f for f, info in record.fields.items() if info.default is None]
        for a, b in itertools.combinations(fields, 2):
            for va in shape.domains.of(record.fields[a].ty, shape.model, a)[:4]:
                for vb in shape.domains.of(record.fields[b].ty, shape.model, b)[:8]:
                    yield dict(start, **{name: [dict(first, **{a: va, b: vb})]})
        for field in fields:
            values = shape.domains.of(record.fields[field].ty, shape.model, field)[:6]
            for va, vb in itertools.combinations(values, 2):
                yield dict(start, **{name: [dict(first, **{field: va}),
                                            dict(first, **{field: vb})]})


def _record_variants(shape: Shape, start: dict):
    for name, ty in shape.records:
        record = strip(ty)
        first = shape.item(record)
        yield dict(start, **{name: first})
        for field, info in record.fields.items():
            for value in shape.domains.of(info.ty, shape.model, field):
                yield dict(start, **{name: dict(first, **{field: value})})


def _pairs(shape: Shape, start: dict):
    """Two fields changed at once, each over the first values of its domain and its last
    (for text, the place no policy names)."""
    scalars = [(n, t) for n, t, _ in shape.scalars]
    for (a, ta), (b, tb) in itertools.combinations(scalars, 2):
        for va in _edges(shape.domains.of(ta, shape.model, a)):
            for vb in _edges(shape.domains.of(tb, shape.model, b)):
                if va is not None and vb is not None:
                    yield dict(start, **{a: va, b: vb})


def _edges(values: list, first: int = 3) -> list:
    return values[:first] + values[-1:] if len(values) > first else values


def size(data: dict) -> tuple[int, int]:
    """How big a record is: (history and list entries, fields written)."""
    entries = sum(len(v) for v in data.values() if isinstance(v, list))
    return entries, len(data)
