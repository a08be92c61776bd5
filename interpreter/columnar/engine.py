"""The columnar engine: a batch of records evaluated a column at a time, checked against
the interpreter's semantics by construction — a person the columns cannot answer exactly
(any error site reached, a history with two entries a year, a number beyond the columns'
exact range) is handed to the interpreter, which gives its own outcome, error included.

`ColumnarEngine.evaluate(records)` gives, per record, its outcomes (output -> value or
values.NotApplicable) or None for a record the interpreter must evaluate.
"""
from __future__ import annotations

import datetime as dt

import numpy as np

from ..evaluator import Context, ir_for, program_for
from ..model import Model
from ..results import LEFT
from ..types import MONEY
from ..values import NotApplicable
from .batch import Batch
from .compiler import Columns
from .errors import AMBIGUOUS, ERROR_CODES, _and, _then, codes_of, failed
from .vals import CannotCompile, V


class ColumnarEngine:
    def __init__(self, model: Model, as_of: dt.date, regions, kind: str, names: list[str]):
        self.model, self.as_of, self.regions = model, as_of, regions
        self.kind, self.names = kind, names
        self.program = ir_for(model)
        self.checker = Context(program_for(model), {}, kind, as_of, regions)

    def evaluate(self, records: list[dict]) -> list[dict | None]:
        """Per record: output -> outcome, with LEFT for an output the interpreter must give
        (its error, or a value beyond the columns); None for a record the columns could
        not read at all (a history out of year order...).  Outputs are independent in the
        interpreter, so an output left to it may be computed alone.  Raises CannotCompile
        for a construct the engine does not compile."""
        n = len(records)
        if n == 0:
            return []
        batch = Batch(self.program, self.model, self.kind, records, self.as_of)
        outcomes = self.outcomes(batch)
        # every error is left to the interpreter here, which makes it in full (message,
        # place); arrow_runner.py writes the codes the columns name
        out = {name: (o.python(), (o.codes != 0).tolist()) for name, o in outcomes.items()}
        unread = batch.fallback.tolist()        # marked while the columns were read
        rows: list[dict | None] = []
        for i in range(n):
            if unread[i]:
                rows.append(None)
                continue
            rows.append({name: (LEFT if left[i] else values[i])
                         for name, (values, left) in out.items()})
        return rows

    def outcomes(self, batch) -> dict[str, "Outcome"]:
        """Every output over a batch (batch.py's, or arrow_batch.py's), as columns."""
        columns = Columns(self.program, self.checker, batch)
        batch.evaluator = columns              # for the measures over the same columns
        n = batch.n
        found = {}
        for name in self.names:
            value, na, err = columns.rule(name, ())
            reason = columns.memo[("reason", name, ())]
            codes = np.zeros(n, dtype=np.int16) if err is None else \
                np.array(np.broadcast_to(codes_of(err), (n,)), dtype=np.int16)
            ty = self.model.output_type(name)
            if ty == MONEY and value.kind == "fix" and value.scale > 2 and \
                    value.data is not None:
                q = 10 ** (value.scale - 2)
                inexact = ~na & (np.asarray(columns.arr(value)) % q != 0)          # E510
                codes[inexact & (codes == 0)] = AMBIGUOUS
            found[name] = Outcome(value, np.zeros(n, dtype=bool) if na is None else na,
                                  codes, reason, ty, n)
        return found


    def measures(self, batch, measures) -> dict:
        """Count and share measures (ir.Measure) over a batch whose outcomes were made:
        name -> (included, counted, failed) person masks — `failed` persons must be
        counted by the interpreter (an error to record, or one it must decide)."""
        columns = batch.evaluator
        n, found = batch.n, {}
        for m in measures:
            if m.kind not in ("count", "share"):
                raise CannotCompile(f"a {m.kind} measure", m.name_span)
            if m.where is not None:
                w, w_err = columns.ev(m.where, {})
                included = np.broadcast_to(np.asarray(columns.arr(w), dtype=bool), (n,))
            else:
                included, w_err = np.ones(n, dtype=bool), None
            counted, err = included, w_err
            if m.kind == "share":
                v, v_err = columns.ev(m.value, {})
                counted = included & np.broadcast_to(np.asarray(columns.arr(v), dtype=bool),
                                                     (n,))
                err = _then(w_err, _and(v_err, included))
            stopped = failed(err)
            found[m.name] = (included, counted,
                             np.zeros(n, dtype=bool) if stopped is None else
                             np.broadcast_to(stopped, (n,)))
        return found


class Outcome:
    """One output over a batch: its values (V), where it is not applicable (and why),
    its errors as codes (errors.py): an error the columns name, or AMBIGUOUS where the
    interpreter must give the outcome (its first error, a value beyond the columns)."""

    def __init__(self, value: V, na, codes, reason, ty, n: int):
        self.value, self.na, self.codes, self.reason = value, na, codes, reason
        self.ty, self.n = ty, n
        self.left = codes == AMBIGUOUS           # the interpreter decides
        self.failed = codes > 0                  # an error the columns name (error_codes)

    def error_codes(self) -> list:
        """Per person: the error's code, or None."""
        names = np.array([None] + ERROR_CODES[1:], dtype=object)
        return names[np.where(self.failed, self.codes, 0)].tolist()

    def python(self) -> list:
        """The interpreter's values, person by person (NotApplicable where it does not
        apply; whatever where it is left)."""
        return _python_values(self.value, self.na, self.reason, self.n, self.ty)

    def python_at(self, rows) -> list:
        """The same for some persons only."""
        v = self.value
        data = None if v.data is None else np.broadcast_to(np.asarray(v.data), (self.n,))[rows]
        none = None if v.none is None else np.broadcast_to(np.asarray(v.none), (self.n,))[rows]
        reason = self.reason[rows] if isinstance(self.reason, np.ndarray) and \
            np.ndim(self.reason) else np.full(len(rows), self.reason, dtype=object)
        return _python_values(V(data, v.kind, v.scale, none), self.na[rows], reason,
                              len(rows), self.ty)


def _python_values(v: V, na, reason, n: int, ty) -> list:
    """A column as the interpreter's values, person by person (NotApplicable where the
    output does not apply)."""
    if v.data is None:                 # no person has a value (each is masked or not applicable)
        values = [None] * n
    else:
        values = _converted(v, np.broadcast_to(np.asarray(v.data), (n,)))
    if v.none is not None:
        none = np.broadcast_to(np.asarray(v.none), (n,)).tolist()
        values = [None if gone else x for x, gone in zip(values, none)]
    if na is not None:
        flags = np.asarray(na).tolist()
        values = [NotApplicable(reason[i]) if flags[i] else x for i, x in enumerate(values)]
    return values


def _converted(v: V, data) -> list:
    import datetime as dt
    from decimal import Decimal

    from ..values import Duration

    if v.kind == "fix":
        values = [Decimal(int(x)).scaleb(-v.scale) for x in np.asarray(data).tolist()]
    elif v.kind == "date":
        top = dt.date.max.toordinal()       # beyond it: a person masked by an error
        values = [dt.date.fromordinal(int(x)) if 1 <= x <= top else None
                  for x in np.asarray(data).tolist()]
    elif v.kind == "dur":
        values = [Duration(int(x)) for x in np.asarray(data).tolist()]
    elif v.kind in ("int", "bool"):
        values = np.asarray(data).tolist()
    else:
        values = list(data)
    return values


__all__ = ["ColumnarEngine", "CannotCompile", "LEFT"]
