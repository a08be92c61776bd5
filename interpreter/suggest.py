"""`yibao test --suggest`: for each branch no case took and each condition no pair of cases
showed deciding, a record that would.

The candidates are the behavioural diff's (diff/search.py): built from the policy's input
shape and the values the policy names, smallest first, bounded.  Each candidate is
evaluated with the coverage's probing closures (its own, so the suite's coverage is not
touched); a candidate is kept when it takes a branch not yet taken or, together with the
instances seen so far, shows a condition not yet shown.  Gaps are filled greedily in
candidate order, so the records suggested are few and small.  The expected outputs of a
suggested case are the author's to work out from the policy text: a suggestion gives the
record and says what it reaches, never what the policy answers.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .conditions import deciding_atom
from .coverage import PolicyCoverage, coverage_for
from .diagnostics import DiagnosticError

DEFAULT_BUDGET = 2000          # candidates tried per record kind


@dataclass
class Suggestion:
    record: dict                                   # the candidate, as a record file holds it
    kind: str
    on: dt.date
    branches: list = field(default_factory=list)   # coverage.Branch
    conditions: list = field(default_factory=list)  # (Decision, atom text)


@dataclass
class Suggestions:
    policy: str
    found: list[Suggestion]
    searched: int
    left_branches: list                            # gaps no candidate filled
    left_conditions: list


def suggest(model, covered: PolicyCoverage, budget: int = DEFAULT_BUDGET) -> Suggestions:
    """Candidates are tried at each date the cases used, then at each date a parameter
    changes and the day before it (a guard on the date, or on a dated parameter, decides
    only across dates), until every gap is filled or the budget of each is spent."""
    from .diff.search import Domains, Shape, candidates
    from .evaluator import evaluate_outputs
    from .records import record_from_data

    branches = {b.ident: b for b in covered.uncovered()}
    wanted = {(d.ident, i): (d, atom) for d in covered.decisions.values()
              for i, (atom, ok, can) in enumerate(zip(d.atoms, d.shown(), d.decidable))
              if can and not ok}
    # Every instance seen so far, with where it came from: None for the suite's cases, else
    # the candidate's Suggestion (kept or not: a condition may need two candidates, each
    # useless alone, such as (T,F,F) and (T,F,T) for `c` in `a and (b or not c)`).
    pool = {ident: dict.fromkeys(d.instances) for ident, d in covered.decisions.items()}
    scratch = coverage_for(model, covered.policy)
    kept: list[Suggestion] = []
    searched = 0
    regions = covered.regions
    for on, kind in [(d, k) for d in _dates(model, covered.dates) for k in model.input_types]:
        names = model.outputs_for(kind)
        if not names or not (branches or wanted):
            continue
        domains = Domains([model], on, regions)
        shape = Shape(model, kind, domains, set(model.read_fields_by_kind.get(kind, ())))
        for count, data in enumerate(candidates(shape)):
            if count >= budget or not (branches or wanted):
                break
            try:
                record = record_from_data(model, data, "candidate")[0]
            except DiagnosticError:
                continue
            searched += 1
            for decision in scratch.decisions.values():
                decision.instances.clear()
            scratch.taken.clear()
            result = evaluate_outputs(model, record, on, regions, outputs=names,
                                      program=scratch.program)
            scratch.add(result.trees)
            this = Suggestion(data, kind, on)
            for ident in [i for i in branches if i in scratch.taken]:
                this.branches.append(branches.pop(ident))
            for key in list(wanted):
                ident, index = key
                partner = _partner(scratch.decisions[ident].instances, pool[ident], index)
                if partner is not False:
                    this.conditions.append(wanted.pop(key))
                    if partner is not None and all(partner is not k for k in kept):
                        kept.append(partner)
            for ident, decision in scratch.decisions.items():
                for instance in decision.instances:
                    pool[ident].setdefault(instance, this)
            if this.branches or this.conditions:
                kept.append(this)
    return Suggestions(covered.policy, kept, searched, list(branches.values()),
                       list(wanted.values()))


def _dates(model, dates: list) -> list[dt.date]:
    from .evaluator import ir_for

    changes = sorted({start for param in ir_for(model).params for start, _ in param.values})
    extra = [day for start in changes
             for day in (start - dt.timedelta(days=1), start)]
    return list(dict.fromkeys(list(dates) + extra))


def _partner(new: set, pool: dict, index: int):
    """The origin of an instance in `pool` with which one of `new` shows atom `index`
    deciding alone (None: a suite case), or False when there is none."""
    for instance in new:
        for other, origin in pool.items():
            if deciding_atom(instance, other) == index:
                return origin
        if any(deciding_atom(instance, other) == index for other in new):
            return None                       # the candidate shows it on its own
    return False


