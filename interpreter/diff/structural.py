"""What changed between two checked policies, declaration by declaration, on meaning.

Both policies are compared as merged (template, province, amendments) and lowered: two
texts that differ only in layout, comments or the order of declarations lower to equal
IR and give no change.  A change of logic (a parameter's dated values, a rule's cases, a
table's rows, a type) is reported apart from a change of words (label, citation, note),
and each item says which policy of each chain set it.  Data only; the words are the
renderer's.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import ir
from ..evaluator import ir_for
from ..formatting import to_text
from ..model import Model
from ..parameters_in_force import declared_in

# what changed
ADDED, REMOVED, VALUES, LOGIC, TYPE, WORDS = "added", "removed", "values", "logic", "type", "words"


@dataclass
class Change:
    kind: str                     # parameter, rule, output, table, measure, enum, input
    name: str
    change: str                   # ADDED REMOVED VALUES LOGIC TYPE WORDS
    old: object = None            # shown values: dated values as [(date, text)], a type, ...
    new: object = None
    old_set_in: str | None = None     # the policy of each chain that set it
    new_set_in: str | None = None
    cases: dict = field(default_factory=dict)     # case ident -> ADDED/REMOVED/LOGIC/WORDS
    words: tuple[str, ...] = ()   # which of label, cite, note, document changed

    @property
    def meaning(self) -> bool:
        """A change of what the policy decides (not only of its words)."""
        return self.change != WORDS


def compare(old: Model, new: Model) -> list[Change]:
    """Every declaration added, removed or changed, parameters first, then rules and
    outputs, tables, measures, enums and inputs, each in the new policy's order."""
    a, b = ir_for(old), ir_for(new)
    return (_parameters(old, new, a, b) + _rules(old, new, a, b) + _measures(a, b)
            + _enums(old, new) + _inputs(old, new))


def _order(old_names, new_names) -> list[str]:
    return list(dict.fromkeys(list(new_names) + list(old_names)))


# ------------------------------------------------------------------ parameters
def _parameters(old: Model, new: Model, a: ir.Program, b: ir.Program) -> list[Change]:
    changes = []
    for name in _order(old.params, new.params):
        was, now = old.params.get(name), new.params.get(name)
        if was is None or now is None:
            present = now or was
            changes.append(Change("parameter", name, ADDED if now is not None else REMOVED,
                                  None if now is not None else _dated(present),
                                  _dated(present) if now is not None else None,
                                  declared_in(old, was) if was else None,
                                  declared_in(new, now) if now else None))
            continue
        where = (declared_in(old, was), declared_in(new, now))
        pa, pb = a.param(name), b.param(name)
        if was.ty != now.ty or was.by_region != now.by_region or was.key_types != now.key_types:
            changes.append(Change("parameter", name, TYPE, _type_of(was), _type_of(now),
                                  *where))
        elif pa.values != pb.values or pa.key != pb.key:
            changes.append(Change("parameter", name, VALUES, _dated(was), _dated(now), *where))
        words = _words(was.attrs, now.attrs, pa.document, pb.document)
        if words:
            changes.append(Change("parameter", name, WORDS, None, None, *where, words=words))
    return changes


def _dated(param) -> list[tuple[str, str]]:
    if param.by_region:
        return [("", "region file")]
    return [(start.isoformat(), to_text(value, param.ty)) for start, value in param.values]


def _type_of(param) -> str:
    keys = ", ".join(str(k) for k in param.key_types)
    where = f" by region{', ' + keys if keys else ''}" if param.by_region else ""
    return f"{param.ty}{where}"


def _words(was, now, old_document=None, new_document=None) -> tuple[str, ...]:
    found = tuple(w for w in ("label", "cite", "note") if getattr(was, w) != getattr(now, w))
    if old_document != new_document:
        found += ("document",)
    return found


# ------------------------------------------------------------------ rules and tables
def _rules(old: Model, new: Model, a: ir.Program, b: ir.Program) -> list[Change]:
    changes = []
    old_rules = {r.name: r for r in a.rules}
    new_rules = {r.name: r for r in b.rules}
    for name in _order(old_rules, new_rules):
        was, now = old_rules.get(name), new_rules.get(name)
        kind = _kind(now or was)
        if was is None or now is None:
            changes.append(Change(kind, name, ADDED if now is not None else REMOVED,
                                  old_set_in=_rule_set_in(old, name) if was else None,
                                  new_set_in=_rule_set_in(new, name) if now else None))
            continue
        where = (_rule_set_in(old, name), _rule_set_in(new, name))
        if was.ty != now.ty or was.params != now.params or was.is_output != now.is_output:
            changes.append(Change(kind, name, TYPE, _signature(was), _signature(now), *where))
            continue
        cases = _case_changes(was.body, now.body)
        if any(c != WORDS for c in cases.values()) or \
                (_logic(was.body) != _logic(now.body) and not cases) or \
                was.lower_bounds != now.lower_bounds:
            changes.append(Change(kind, name, LOGIC, *(None, None), *where,
                                  cases={k: v for k, v in cases.items() if v != WORDS}))
        words = _rule_words(old, new, name, was, now)
        worded_cases = {k: v for k, v in cases.items() if v == WORDS}
        if words or worded_cases:
            changes.append(Change(kind, name, WORDS, None, None, *where, cases=worded_cases,
                                  words=words))
    return changes


def _kind(rule: ir.Rule) -> str:
    if isinstance(rule.body, ir.Table):
        return "table"
    return "output" if rule.is_output else "rule"


def _signature(rule: ir.Rule) -> str:
    params = f"({', '.join(rule.params)})" if rule.params else ""
    return f"{rule.name}{params}: {rule.ty}"


def _rule_set_in(model: Model, name: str) -> str | None:
    rule = model.callable(name)
    if rule is None:
        return None
    origin = getattr(rule, "defined_in", None) or rule.origin
    return origin.policy_id


def _rule_words(old: Model, new: Model, name, was: ir.Rule, now: ir.Rule) -> tuple[str, ...]:
    return _words(old.callable(name).attrs, new.callable(name).attrs, was.document,
                  now.document)


def _logic(body):
    """A rule body without its words: cases as (ident, guard, value, exceptions), rows as
    (ident, cells, result).  Spans are already outside equality."""
    if body is None:
        return None
    if isinstance(body, ir.Table):
        return (body.hit, tuple((r.ident, r.cells, r.result) for r in body.rows),
                body.otherwise, body.order)
    return (body.ident, body.guard, body.body, tuple(_logic(e) for e in body.exceptions))


def _flat_cases(body) -> dict:
    """ident -> (logic of the case alone, its words) for every case or table row."""
    found = {}
    if body is None:
        return found
    if isinstance(body, ir.Table):
        for row in body.rows:
            found[row.ident] = ((row.cells, row.result), (row.name, row.cite))
        found["otherwise"] = ((body.otherwise, body.hit), ())
        return found

    def walk(case: ir.Case):
        nested = tuple(e.ident for e in case.exceptions)
        found[case.ident] = ((case.guard, case.body, nested),
                             (case.citation.label, case.citation.cite))
        for exc in case.exceptions:
            walk(exc)
    walk(body)
    return found


def _case_changes(was, now) -> dict:
    a, b = _flat_cases(was), _flat_cases(now)
    changes = {}
    for ident in _order(a, b):
        if ident not in a:
            changes[ident] = ADDED
        elif ident not in b:
            changes[ident] = REMOVED
        elif a[ident][0] != b[ident][0]:
            changes[ident] = LOGIC
        elif a[ident][1] != b[ident][1]:
            changes[ident] = WORDS
    return changes


# ------------------------------------------------------------------ measures, enums, inputs
def _measures(a: ir.Program, b: ir.Program) -> list[Change]:
    old = {m.name: m for m in a.measures}
    new = {m.name: m for m in b.measures}
    changes = []
    for name in _order(old, new):
        was, now = old.get(name), new.get(name)
        if was is None or now is None:
            changes.append(Change("measure", name, ADDED if now is not None else REMOVED))
        elif was != now:
            changes.append(Change("measure", name, LOGIC))
    return changes


def _enums(old: Model, new: Model) -> list[Change]:
    changes = []
    for name in _order(old.enums, new.enums):
        was, now = old.enums.get(name), new.enums.get(name)
        if was is None or now is None:
            changes.append(Change("enum", name, ADDED if now is not None else REMOVED))
        elif tuple(was.members) != tuple(now.members):
            changes.append(Change("enum", name, VALUES, list(was.members), list(now.members)))
    return changes


def _inputs(old: Model, new: Model) -> list[Change]:
    changes = []
    for kind in _order(old.input_types, new.input_types):
        was, now = old.input_types.get(kind), new.input_types.get(kind)
        if was is None or now is None:
            changes.append(Change("input", kind, ADDED if now is not None else REMOVED))
            continue
        a = {n: str(f.ty) for n, f in was.fields.items()}
        b = {n: str(f.ty) for n, f in now.fields.items()}
        if a != b:
            changes.append(Change("input", kind, VALUES,
                                  sorted(f"{n}: {t}" for n, t in a.items() if b.get(n) != t),
                                  sorted(f"{n}: {t}" for n, t in b.items() if a.get(n) != t)))
    return changes
