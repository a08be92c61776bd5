"""`yibao diff --population FILE`: how many people of a population file each change
affects, and by how much, evaluated in batches with the fastest engine each policy
compiles for (the columnar engine's outcomes are the interpreter's, person by person)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..batch.formats import read_rows
from ..batch.runner import BATCH, Summary, _columnar, _completed, _validated
from ..model import Model
from ..results import EvalError
from ..values import NotApplicable
from .behaviour import Outcome, Sample, SampleOutput


def _outcome(model: Model, name: str, got) -> Outcome:
    from ..formatting import to_text

    if isinstance(got, NotApplicable):
        return Outcome("not_applicable", got.reason)
    if isinstance(got, EvalError):
        return Outcome("error", got.code)
    return Outcome("value", to_text(got, model.output_type(name)), got)


def population_impact(old: Model, new: Model, path, as_of: dt.date, regions=None) -> Sample:
    """Rows read = rows compared + rows rejected (a row either policy refuses)."""
    path = Path(path)
    kind = new.default_kind
    names = [n for n in new.outputs_for(kind) if n in old.outputs_for(kind)]
    sample = Sample(str(path))
    for name in names:
        sample.outputs[name] = SampleOutput()
    engines = [_columnar("auto", model, as_of, regions, kind, names) for model in (old, new)]
    for batch in read_rows(path, new.input_types[kind], BATCH):
        pairs = []
        for number, data in batch:
            sample.read += 1
            a = _validated(old, data, f"{path}:{number}", kind)
            b = _validated(new, data, f"{path}:{number}", kind)
            if not isinstance(a, dict) or not isinstance(b, dict):
                sample.rejected += 1
                continue
            pairs.append((a, b))
        answers = []
        for side, (model, (engine, refused)) in enumerate(zip((old, new), engines)):
            rows = [None] * len(pairs)
            if engine is not None:
                try:
                    rows = engine.evaluate([p[side] for p in pairs])
                except refused:
                    engines[side] = (None, refused)
            summary = Summary()
            answers.append([_completed(model, p[side], row, as_of, regions, names, summary,
                                       False) for row, p in zip(rows, pairs)])
        for x_row, y_row in zip(*answers):
            for name in names:
                sample.outputs[name].count(_outcome(old, name, x_row[name]),
                                           _outcome(new, name, y_row[name]),
                                           new.output_type(name))
    return sample
