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
        not read at all (two entries in a year...).  Outputs are independent in the
        interpreter, so an output left to it may be computed alone.  Raises CannotCompile
        for a construct the engine does not compile."""
        n = len(records)
        if n == 0:
            return []
        batch = Batch(self.program, self.model, self.kind, records, self.as_of)
        columns = Columns(self.program, self.checker, batch)
        out = {}
        for name in self.names:
            value, na, err = columns.rule(name, ())
            reason = columns.memo[("reason", name, ())]
            left = np.zeros(n, dtype=bool) if err is None else err.copy()
            if self.model.output_type(name) == MONEY and value.kind == "fix" and \
                    value.scale > 2 and value.data is not None:
                q = 10 ** (value.scale - 2)
                left |= ~na & (np.asarray(columns.arr(value)) % q != 0)          # E510
            values = _python_values(value, na, reason, n, self.model.output_type(name))
            out[name] = (values, left.tolist())
        unread = batch.fallback.tolist()        # marked while the columns were read
        rows: list[dict | None] = []
        for i in range(n):
            if unread[i]:
                rows.append(None)
                continue
            rows.append({name: (LEFT if left[i] else values[i])
                         for name, (values, left) in out.items()})
        return rows


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
