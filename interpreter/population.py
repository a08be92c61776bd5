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
from .compiler import _sum_kind, _zero
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
        compiler = program.compiler
        compiled = program.measures = {
            name: (m, _closure(compiler, m.decl.value), _closure(compiler, m.decl.where),
                   _constant(m.decl.target))
            for name, m in model.measures.items()}
    wanted = list(names) if names is not None else list(model.measures)
    records = list(records)
    previous = pinned(EVALUATION)    # the same pinned arithmetic as evaluate_outputs
    try:
        return {name: _measure(model, program, compiled[name], name, records, as_of, regions)
                for name in wanted}
    finally:
        setcontext(previous)


def _measure(model, program, compiled, name, records, as_of, regions) -> MeasureResult:
    """One measure over the records of its kind."""
    measure, value, where, target = compiled
    kind = model.rule_kind(name)
    result = MeasureResult(name, None, 0, 0, measure.decl.target_op, target)
    span = measure.decl.name_span
    ty = model.measures[name].ty
    add = adder(_sum_kind(ty), span, lambda: f"the sum of {name}")
    total = None
    for record in records:
        if (record.get("kind") or model.default_kind) != kind:
            continue
        ctx = Context(program, record, kind, as_of, regions, False)
        try:
            included = where(ctx, {}) if where is not None else True
            if not included:
                continue
            if measure.decl.kind == "sum":
                amount = value(ctx, {})
                # A total that overflows is reported with the record that made it so.
                total = amount if total is None else add(total, amount)
            elif measure.decl.kind == "share":
                result.counted += bool(value(ctx, {}))
            else:
                result.counted += 1
        except EvalError as err:
            result.errors.append((str(record.get("id", "?")), err))
            continue
        except RecursionError:
            result.errors.append((str(record.get("id", "?")),
                                  ctx.depth_error(name, measure.decl.name_span)))
            continue
        result.population += 1
    result.value = _value(measure.decl.kind, result, total if total is not None else _zero(ty),
                          span)
    if target is not None and result.value is not None:
        result.met = COMPARE[measure.decl.target_op](result.value, target)
    return result


def _value(kind: str, result: MeasureResult, total, span):
    if kind == "count":
        return result.counted
    if kind == "sum":
        return total
    if result.population == 0:
        return None
    return divide(result.counted, result.population, span, lambda: "share")


def _closure(compiler, expr):
    return compiler.expr(expr) if expr is not None else None


def _constant(expr):
    from .checker import constant_value

    return constant_value(expr) if expr is not None else None
