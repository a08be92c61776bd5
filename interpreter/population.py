"""Population measures: aggregates over many records, each checked against its target.

A measure's conditions are ordinary expressions about one record (they may use the
policy's rules), evaluated per record with the reference evaluator; the measure then
counts, shares or sums over the records of its kind.  A record whose condition cannot be
evaluated is left out of the measure and reported, never counted as false.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import setcontext

from .arithmetic import EVALUATION, adder, divide, pinned
from .closures import zero
from .limits import deep_recursion
from .evaluator import Context, EvalError, program_for
from .model import Model
from .tables import COMPARE


@dataclass
class MeasureResult:
    name: str
    value: object                        # None when the population is empty
    counted: int                         # records that met the condition (count, share)
    population: int                      # records in the population (share: the `among`)
    target_op: str | None = None
    target: object = None
    met: bool | None = None              # None when there is no target or no value
    errors: list[tuple[str, EvalError]] = field(default_factory=list)   # (record id, error)


def evaluate_measures(model: Model, records, as_of: dt.date, regions=None,
                      names=None) -> dict[str, MeasureResult]:
    """Every measure (or `names`) over `records` (runtime records, as load_record gives)."""
    measures = Measures(model, as_of, regions, names)
    measures.add(records)
    return measures.results()


class Measures:
    """Measures accumulated batch by batch (`add`), for populations read in a stream: a
    count, a share and a sum only ever need their running totals."""

    MAX_ERRORS_KEPT = 100        # the first errors are kept with their record ids; all counted

    def __init__(self, model: Model, as_of: dt.date, regions=None, names=None):
        self.program = program = program_for(model)
        compiled = program.measures
        if compiled is None:
            build = program.builder
            compiled = program.measures = {
                m.name: (m, build.maybe(m.value), build.maybe(m.where))
                for m in program.ir.measures}
        self.compiled = {name: compiled[name] for name in
                         (list(names) if names is not None else list(compiled))}
        self.as_of, self.regions = as_of, regions
        self.found = {name: MeasureResult(name, None, 0, 0, m.target_op, m.target)
                      for name, (m, _, _) in self.compiled.items()}
        self.totals: dict[str, object] = {}
        self.error_count = {name: 0 for name in self.compiled}

    def add(self, records) -> None:
        previous = pinned(EVALUATION)    # the same pinned arithmetic as evaluate_outputs
        try:
            with deep_recursion():
                for record in records:
                    for name, compiled in self.compiled.items():
                        self._one(name, compiled, record)
        finally:
            setcontext(previous)

    def add_counts(self, name: str, counted: int, population: int) -> None:
        """Records counted elsewhere (over columns) for a count or share measure."""
        result = self.found[name]
        result.counted += counted
        result.population += population

    def _one(self, name: str, compiled, record) -> None:
        measure, value, where = compiled
        kind = measure.record_kind
        if (record.get("kind") or self.program.ir.default_kind) != kind:
            return
        result, span = self.found[name], measure.name_span
        ctx = Context(self.program, record, kind, self.as_of, self.regions)
        try:
            included = where(ctx, {}) if where is not None else True
            if not included:
                return
            if measure.kind == "sum":
                amount = value(ctx, {})
                total = self.totals.get(name)
                # A total that overflows is reported with the record that made it so.
                self.totals[name] = amount if total is None else adder(
                    measure.sum_kind, span, lambda: f"the sum of {name}")(total, amount)
            elif measure.kind == "share":
                result.counted += bool(value(ctx, {}))
            else:
                result.counted += 1
        except EvalError as err:
            self._error(name, record, err)
            return
        except RecursionError:
            self._error(name, record, ctx.depth_error(name, span))
            return
        result.population += 1

    def _error(self, name: str, record, err) -> None:
        self.error_count[name] += 1
        if len(self.found[name].errors) < self.MAX_ERRORS_KEPT:
            self.found[name].errors.append((str(record.get("id", "?")), err))

    def results(self) -> dict[str, MeasureResult]:
        for name, (measure, _, _) in self.compiled.items():
            result = self.found[name]
            total = self.totals.get(name)
            result.value = _value(measure.kind, result,
                                  total if total is not None else zero(measure.sum_kind),
                                  measure.name_span)
            if measure.target is not None and result.value is not None:
                result.met = COMPARE[measure.target_op](result.value, measure.target)
        return self.found


def _value(kind: str, result: MeasureResult, total, span):
    if kind == "count":
        return result.counted
    if kind == "sum":
        return total
    if result.population == 0:
        return None
    return divide(result.counted, result.population, span, lambda: "share")
