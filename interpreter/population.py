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
    program = program_for(model)
    compiled = program.measures
    if compiled is None:
        build = program.builder
        compiled = program.measures = {
            m.name: (m, build.maybe(m.value), build.maybe(m.where)) for m in program.ir.measures}
    wanted = list(names) if names is not None else list(compiled)
    records = list(records)
    previous = pinned(EVALUATION)    # the same pinned arithmetic as evaluate_outputs
    try:
        with deep_recursion():
            return {name: _measure(program, compiled[name], records, as_of, regions)
                    for name in wanted}
    finally:
        setcontext(previous)


def _measure(program, compiled, records, as_of, regions) -> MeasureResult:
    """One measure over the records of its kind."""
    measure, value, where = compiled
    name, kind, default_kind = measure.name, measure.record_kind, program.ir.default_kind
    result = MeasureResult(name, None, 0, 0, measure.target_op, measure.target)
    span = measure.name_span
    add = adder(measure.sum_kind, span, lambda: f"the sum of {name}")
    total = None
    for record in records:
        if (record.get("kind") or default_kind) != kind:
            continue
        ctx = Context(program, record, kind, as_of, regions)
        try:
            included = where(ctx, {}) if where is not None else True
            if not included:
                continue
            if measure.kind == "sum":
                amount = value(ctx, {})
                # A total that overflows is reported with the record that made it so.
                total = amount if total is None else add(total, amount)
            elif measure.kind == "share":
                result.counted += bool(value(ctx, {}))
            else:
                result.counted += 1
        except EvalError as err:
            result.errors.append((str(record.get("id", "?")), err))
            continue
        except RecursionError:
            result.errors.append((str(record.get("id", "?")), ctx.depth_error(name, span)))
            continue
        result.population += 1
    result.value = _value(measure.kind, result,
                          total if total is not None else zero(measure.sum_kind), span)
    if measure.target is not None and result.value is not None:
        result.met = COMPARE[measure.target_op](result.value, measure.target)
    return result


def _value(kind: str, result: MeasureResult, total, span):
    if kind == "count":
        return result.counted
    if kind == "sum":
        return total
    if result.population == 0:
        return None
    return divide(result.counted, result.population, span, lambda: "share")
