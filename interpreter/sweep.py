"""`yibao sweep`: one record evaluated over every combination of varied fields.

A variation names a field — a top-level field (`repaid_years`) or a field of the entry of
one year of a history (`enrollment[2027].paid_on`) — and its values: a list
(`0,1,2`, `true,false`, `2027-01-15,2027-03-15`) or a range `A..B`, of whole numbers one
by one or of dates month by month (`2027-01-15..2027-12-15`).  Each value is read as a
record file reads it (YAML 1.2 core), and each combination is validated as a record before
it is evaluated: a combination the policy refuses is reported, never silently skipped.
"""
from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass

from .diagnostics import Diagnostic, DiagnosticError

MAX_COMBINATIONS = 10_000
_PATH = re.compile(r"^(?P<field>[^\W\d]\w*)(\[(?P<year>\d{4})\]\.(?P<sub>[^\W\d]\w*))?$")


@dataclass
class Variation:
    text: str                # as given: FIELD=VALUES
    field: str
    year: int | None         # for an entry of a history
    sub: str | None
    values: list             # raw values, as a record file would hold them

    @property
    def label(self) -> str:
        return self.text.split("=", 1)[0]


def parse(text: str) -> Variation:
    if "=" not in text:
        raise _bad("C628", text=text)
    path, values_text = text.split("=", 1)
    found = _PATH.match(path.strip())
    if found is None or not values_text.strip():
        raise _bad("C628", text=text)
    year = int(found.group("year")) if found.group("year") else None
    return Variation(text, found.group("field"), year, found.group("sub"),
                     _values(values_text.strip(), text))


def _values(text: str, whole: str) -> list:
    if ".." in text and "," not in text:
        low, high = (part.strip() for part in text.split("..", 1))
        a, b = _endpoint(low), _endpoint(high)
        if isinstance(a, int) and isinstance(b, int) and not isinstance(a, bool) and a <= b:
            return list(range(a, b + 1))
        if isinstance(a, dt.date) and isinstance(b, dt.date) and a <= b:
            found, month = [], 0
            while True:
                index = a.year * 12 + a.month - 1 + month
                try:
                    day = dt.date(index // 12, index % 12 + 1, a.day)
                except ValueError:
                    raise _bad("C628", text=whole) from None
                if day > b:
                    return found
                found.append(day)
                month += 1
        raise _bad("C628", text=whole)
    return [_scalar(part.strip()) for part in text.split(",")]


def _endpoint(text: str):
    """A range's end: a whole number or a date (YYYY-MM-DD)."""
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    return None


def _scalar(text: str):
    """A value written on the command line, read as a YAML record file reads a scalar."""
    from .datafile_yaml import read_yaml

    found = read_yaml(f"v: {text}\n", "--vary")
    if found is None or found.problems or not isinstance(found.data, dict):
        return text
    return found.data.get("v", text)


def combinations(variations: list[Variation]):
    total = 1
    for v in variations:
        total *= len(v.values)
    if total > MAX_COMBINATIONS:
        raise _bad("C630", count=total, limit=MAX_COMBINATIONS)
    return itertools.product(*(v.values for v in variations))


def apply(data: dict, variations: list[Variation], values: tuple, file: str) -> dict:
    """A copy of the raw record with each varied field set."""
    changed = dict(data)
    for variation, value in zip(variations, values):
        if variation.year is None:
            changed[variation.field] = value
            continue
        entries = changed.get(variation.field)
        if not isinstance(entries, list):
            raise _bad("C629", path=variation.label, file=file)
        copied, hit = [], False
        for entry in entries:
            if isinstance(entry, dict) and entry.get("year") == variation.year:
                entry, hit = dict(entry, **{variation.sub: value}), True
            copied.append(entry)
        if not hit:
            raise _bad("C629", path=variation.label, file=file)
        changed[variation.field] = copied
    return changed


def _bad(code: str, **args) -> DiagnosticError:
    return DiagnosticError([Diagnostic.error(code, None, **args)])
