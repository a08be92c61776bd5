"""Who gets a different answer: the behavioural half of `yibao diff`.

Each candidate person (search.py) is evaluated under both policies; an output whose outcome
differs — another value, "not applicable" where there was a value, an error where there was
an answer — has a witness, the first (smallest) candidate showing each kind of change.
Every witness is written out as the record file a user would give `yibao eval`, read back,
and evaluated again under both policies before it is reported (a self-check: a witness the
CLI would not reproduce is a bug, raised, never printed).
"""
from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field

from ..datafile_yaml import read_yaml
from ..diagnostics import DiagnosticError
from ..explain_render import render_tree
from ..formatting import to_json, to_text
from ..model import Model
from ..records import record_from_data
from ..types import DATE, INT, MONEY, DURATION
from ..values import Duration
from .search import Domains, Shape, candidates, size

DEFAULT_BUDGET = 3000        # candidate persons per record kind
MIN_FOR_TRAITS = 10          # affected persons needed before saying what they share


@dataclass(frozen=True)
class Outcome:
    kind: str                 # value, not_applicable, error
    shown: str                # the value as eval's table shows it, the reason, or the code
    raw: object = None        # the runtime value, for the size of a change

    def same(self, other: "Outcome") -> bool:
        if self.kind != other.kind:
            return False
        if self.kind == "value":
            return self.shown == other.shown
        return self.kind == "not_applicable" or self.shown == other.shown


@dataclass
class Witness:
    output: str
    old: Outcome
    new: Outcome
    record: dict              # the candidate as a plain mapping
    text: str                 # the record file (YAML) that reproduces it
    delta: str | None         # +1000.00, +2 months, 定额资助 → 全额资助
    lines: list[str] = field(default_factory=list)    # the explanation lines that differ
    cases: tuple[str | None, str | None] = (None, None)   # the case of the output each used

    @property
    def transition(self) -> str:
        return f"{self.old.kind}->{self.new.kind}"


@dataclass
class OutputReport:
    name: str
    searched: int = 0
    affected: int = 0
    witnesses: list[Witness] = field(default_factory=list)
    # What the affected persons among those searched have in common: field -> values
    # they showed, and history -> the fewest entries any of them had.
    values_seen: dict = field(default_factory=dict)
    fewest_entries: dict = field(default_factory=dict)

    def note(self, data: dict, scalars: list[str], lists: list[str]) -> None:
        """Remember an affected person's traits (a field left out: its default)."""
        for key in lists:
            count = len(data.get(key) or ())
            self.fewest_entries[key] = min(self.fewest_entries.get(key, count), count)
        for key in scalars:
            value = data[key] if key in data else DEFAULT
            self.values_seen.setdefault(key, set()).add(_hashable(value))


DEFAULT = "(default)"


def _hashable(value):
    return value if not isinstance(value, (list, dict)) else repr(value)


@dataclass
class Traits:
    """What every affected person among those searched shared, where the others differed:
    (field, values) for a scalar field, (history, at least n entries)."""
    values: list[tuple[str, list]]
    entries: list[tuple[str, int]]


@dataclass
class Behaviour:
    on: dt.date
    outputs: dict[str, OutputReport]
    searched: int                       # candidates evaluated under both
    refused: int                        # candidates one of the policies did not accept
    only_old: list[str]                 # outputs one policy has and the other not
    only_new: list[str]
    traits: dict[str, Traits] = field(default_factory=dict)     # output -> shared traits


def outcome(model: Model, result, name: str) -> Outcome:
    if name in result.not_applicable:
        return Outcome("not_applicable", result.not_applicable[name].reason)
    if name in result.values:
        ty = model.output_type(name)
        return Outcome("value", to_text(result.values[name], ty), result.values[name])
    error = result.errors.get(name)
    return Outcome("error", getattr(error, "code", "?"))


def compare(old: Model, new: Model, as_of: dt.date, regions=None,
            budget: int = DEFAULT_BUDGET) -> Behaviour:
    from ..api import evaluate

    domains = Domains([old, new], as_of, regions)
    reports: dict[str, OutputReport] = {}
    everyone = OutputReport("")          # the traits of every person searched
    searched = refused = 0
    only_old = [n for n in old.outputs if n not in new.outputs]
    only_new = [n for n in new.outputs if n not in old.outputs]
    for kind in new.input_types:
        names = [n for n in new.outputs_for(kind) if n in old.outputs
                 and old.rule_kind(n) == kind]
        if not names or kind not in old.input_types:
            continue
        for name in names:
            reports[name] = OutputReport(name)
        read = set(old.read_fields_by_kind.get(kind, ())) | \
            set(new.read_fields_by_kind.get(kind, ()))
        shape = Shape(new, kind, domains, read)
        scalars = [n for n, _, _ in shape.scalars]
        lists = [n for n, _ in shape.histories + shape.lists]
        for count, data in enumerate(candidates(shape)):
            if count >= budget:
                break
            try:
                a = record_from_data(old, data, "candidate")[0]
                b = record_from_data(new, data, "candidate")[0]
            except DiagnosticError:
                refused += 1
                continue
            searched += 1
            everyone.note(data, scalars, lists)
            ra = evaluate(old, a, as_of, regions, outputs=names)
            rb = evaluate(new, b, as_of, regions, outputs=names)
            for name in names:
                report = reports[name]
                report.searched += 1
                x, y = outcome(old, ra, name), outcome(new, rb, name)
                if x.same(y):
                    continue
                report.affected += 1
                report.note(data, scalars, lists)
                seen = {w.transition for w in report.witnesses}
                if f"{x.kind}->{y.kind}" not in seen:
                    report.witnesses.append(Witness(name, x, y, data, "", _delta(x, y, new,
                                                                                 name)))
    for report in reports.values():
        for witness in report.witnesses:
            _verify(old, new, as_of, regions, witness)
    traits = {name: _traits(report, everyone) for name, report in reports.items()
              if report.affected >= MIN_FOR_TRAITS}
    return Behaviour(as_of, reports, searched, refused, only_old, only_new, traits)


def _traits(report: OutputReport, everyone: OutputReport) -> Traits:
    """The fields on which every affected person fell in a narrower set than everyone
    searched (at most three values), and the histories they all had more entries in."""
    values = []
    for key, seen in report.values_seen.items():
        overall = everyone.values_seen.get(key, set())
        if len(seen) < len(overall) and len(seen) <= 3:
            values.append((key, sorted(seen, key=str)))
    values = sorted(values, key=lambda kv: len(kv[1]))[:3]
    entries = [(key, count) for key, count in report.fewest_entries.items()
               if count > everyone.fewest_entries.get(key, 0)]
    return Traits(values, entries)


def _delta(old: Outcome, new: Outcome, model: Model, name: str) -> str | None:
    """The size of a change between two values: a signed amount, number of months or
    days, or `a → b`."""
    if old.kind != "value" or new.kind != "value":
        return f"{old.shown} → {new.shown}"
    ty = model.output_type(name)
    a, b = old.raw, new.raw
    if ty == MONEY:
        diff = b - a
        return ("+" if diff >= 0 else "") + to_text(diff, MONEY)
    if ty == INT:
        return f"{b - a:+d}"
    if ty == DATE:
        months = (b.year - a.year) * 12 + b.month - a.month
        if a.day == b.day:
            return f"{months:+d} months"
        return f"{(b - a).days:+d} days"
    if ty == DURATION and isinstance(a, Duration):
        return f"{b.months - a.months:+d} months"
    return f"{old.shown} → {new.shown}"


# ------------------------------------------------------------------ witnesses
def record_text(data: dict) -> str:
    """A candidate as a YAML record file (the examples' layout: one entry per line)."""
    lines = []
    for key, value in data.items():
        if isinstance(value, list):
            if not value:
                lines.append(f"{key}: []")
                continue
            lines.append(f"{key}:")
            lines.extend(f"  - {_flow(item)}" for item in value)
        elif isinstance(value, dict):
            lines.append(f"{key}: {_flow(value)}")
        else:
            lines.append(f"{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def _flow(mapping: dict) -> str:
    return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in mapping.items()) + "}"


def _scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        return str(value) if not isinstance(value, dt.date) else value.isoformat()
    text = str(value)
    if isinstance(value, str):
        # quoted unless it is plain text YAML reads back as the same string
        if not text or text[0] in "-?:,[]{}#&*!|>'\"%@`0123456789 " or ":" in text or \
                "#" in text or text in ("null", "true", "false", "~"):
            return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def _verify(old: Model, new: Model, as_of, regions, witness: Witness) -> None:
    """Write the witness out, read it back as `yibao eval` would, and evaluate it again
    under both policies: the outcomes must be the ones found."""
    from ..api import evaluate

    text = record_text(witness.record)
    found = read_yaml(text, "witness.yaml")
    if found.problems:
        raise DiagnosticError(list(found.problems))
    a = record_from_data(old, found.data, "witness.yaml", found.places)[0]
    b = record_from_data(new, found.data, "witness.yaml", found.places)[0]
    ra = evaluate(old, a, as_of, regions, outputs=[witness.output], explain=True)
    rb = evaluate(new, b, as_of, regions, outputs=[witness.output], explain=True)
    x, y = outcome(old, ra, witness.output), outcome(new, rb, witness.output)
    if not (x.same(witness.old) and y.same(witness.new)) or x.same(y):
        raise AssertionError(f"witness for {witness.output} does not reproduce: "
                             f"{x} / {y} against {witness.old} / {witness.new}")
    witness.text = text
    old_tree, new_tree = ra.trees.get(witness.output), rb.trees.get(witness.output)
    witness.lines = _tree_difference(old_tree, new_tree)
    witness.cases = (getattr(old_tree, "case", None), getattr(new_tree, "case", None))


def _tree_difference(old_tree, new_tree, limit: int = 14) -> list[str]:
    """The explanation lines only one side has (`-` old, `+` new), citations left out."""
    def lines(tree):
        if tree is None:
            return []
        return [line.split("  [")[0].rstrip() for line in render_tree(tree, "en").splitlines()]
    found = [line for line in difflib.unified_diff(lines(old_tree), lines(new_tree), n=0,
                                                   lineterm="")
             if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    return found[:limit]


def smallest_first(witnesses: list[Witness]) -> list[Witness]:
    return sorted(witnesses, key=lambda w: size(w.record))


# ------------------------------------------------------------------ a sample of records
@dataclass
class SampleOutput:
    changed: int = 0
    money: list = field(default_factory=list)      # the changes of money values

    def count(self, old: Outcome, new: Outcome, ty) -> None:
        """One record's two outcomes of this output: a change is counted, and for money
        values its size kept."""
        if old.same(new):
            return
        self.changed += 1
        if old.kind == new.kind == "value" and ty == MONEY:
            self.money.append(new.raw - old.raw)


@dataclass
class Sample:
    path: str
    read: int = 0
    rejected: int = 0
    outputs: dict[str, SampleOutput] = field(default_factory=dict)


def sample_impact(old: Model, new: Model, path, as_of: dt.date, regions=None) -> Sample:
    """How many records of a folder (record files) or a JSON Lines file change in each
    output, and the sum, least and greatest change of money outputs.  Every row read is
    either evaluated or counted as rejected (refused by either policy)."""
    from pathlib import Path

    from ..api import evaluate, load_record

    path = Path(path)
    sample = Sample(str(path))
    names = [n for n in new.outputs if n in old.outputs]
    for name in names:
        sample.outputs[name] = SampleOutput()

    def rows():
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml",
                                                                          ".json")):
                if file.name.startswith("regions"):
                    continue
                yield lambda model, f=file: load_record(model, f)[0]
        else:
            with open(path, encoding="utf-8") as handle:
                for number, line in enumerate(handle, 1):
                    if line.strip():
                        yield lambda model, text=line, n=number: _json_record(
                            model, text, f"{path}:{n}")

    for load in rows():
        sample.read += 1
        try:
            a, b = load(old), load(new)
        except (DiagnosticError, ValueError):
            sample.rejected += 1
            continue
        kind = a.get("kind") or old.default_kind
        here = [n for n in names if old.rule_kind(n) == kind and new.rule_kind(n) == kind]
        ra = evaluate(old, a, as_of, regions, outputs=here)
        rb = evaluate(new, b, as_of, regions, outputs=here)
        for name in here:
            sample.outputs[name].count(outcome(old, ra, name), outcome(new, rb, name),
                                       new.output_type(name))
    return sample


def _json_record(model: Model, text: str, where: str) -> dict:
    """One JSON Lines row, read exactly (amounts as decimals, never floats) and validated."""
    from ..datafile_json import read_json

    found = read_json(text, where)
    if found.problems:
        raise DiagnosticError(list(found.problems))
    return record_from_data(model, found.data, where, found.places)[0]
