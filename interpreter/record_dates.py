"""Entries dated after the evaluation date.

A record may hold an enrollment paid after the date the question is asked for (`paid_on`
later than `--on`): a data error, or a question asked for the wrong day.  Such an entry is
evaluated as recorded — the record is the record — but the user is told, entry by entry
(R480), so that a premium paid in the future never counts silently.
"""
from __future__ import annotations

import datetime as dt

from .datafile import Places
from .diagnostics import Diagnostic, Hint
from .types import DATE, HistoryTy
from .values import History


def future_entries(policy, record: dict, as_of: dt.date, file: str | None = None,
                   places: Places | None = None) -> list[Diagnostic]:
    """A warning for each date of a history entry later than `as_of`."""
    kind = record.get("kind") or policy.default_kind
    input_type = policy.input_types.get(kind)
    if input_type is None:
        return []
    found = []
    for name, info in input_type.fields.items():
        history = record.get(name)
        if not isinstance(info.ty, HistoryTy) or not isinstance(history, History):
            continue
        dated = [f for f, fi in info.ty.record.fields.items() if fi.ty == DATE]
        for i, entry in enumerate(history.entries):
            for field in dated:
                value = entry.get(field)
                if isinstance(value, dt.date) and value > as_of:
                    path = f"{name}[{i}].{field}"
                    span = places.get(path) if places is not None else None
                    found.append(Diagnostic.warning(
                        "R480", span, hints=[Hint.of("hint.R480")], data_path=path,
                        file=file or "record", date=value.isoformat(), on=as_of.isoformat(),
                        year=entry.get("year", "?")))
    return found
