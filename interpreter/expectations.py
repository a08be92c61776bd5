"""The `expect:` block of a record file: what a policy should answer for that record.

Example records carry their hand-worked expected outputs this way, and tests check them
(tests/test_examples.py).  The record loader skips the block (records.py reserves the key,
like `kind`); it is read here with the same data-file reader as the record itself.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import localcontext
from pathlib import Path

from .arithmetic import LOADING
from .datafile import KEY, Places, join, read_data_file
from .diagnostics import Diagnostic, DiagnosticError
from .convert import Mismatch, _date, convert_value
_EXPECT_KEYS = ("policy", "on", "regions", "outputs", "errors", "not_applicable")


@dataclass(frozen=True)
class Expectation:
    """One entry of a record file's `expect:` block: what a policy should answer for the
    record on a date.  Values stay as the file writes them until `value()` converts one."""
    file: str
    at: str                     # its data path: "expect", or "expect[1]" in a list
    policy: str                 # a policy file stem under policies/
    on: dt.date
    regions: Path | None        # the region file, resolved against the record's folder
    outputs: dict               # output name -> the value as written
    errors: dict                # output name -> the code of the error it must give instead
    places: Places
    not_applicable: tuple[str, ...] = ()   # outputs the policy must find not applicable
    reasons: dict = None                   # output -> the reason it must give (when written)

    def value(self, model, name: str):
        """The expected value of output `name`, converted to the output's type the way a
        record value of that type is.  Raises DiagnosticError for a value that does not fit."""
        path = join(join(self.at, "outputs"), name)
        if name not in model.outputs:
            _bad_expectation(self.file, self.places, path, "R478", policy=model.policy_id,
                             name=name)
        with localcontext(LOADING):
            return convert_value(self.outputs[name], model.output_type(name), path, name,
                                 file=self.file, places=self.places)


def read_expectations(path: Path) -> list[Expectation]:
    """The `expect:` block of a record file (read as the record itself is): one mapping or a
    list of them, [] when there is none.  Raises DiagnosticError when the file cannot be
    read, and for a block of the wrong shape (R470-R477, located)."""
    path = Path(path)
    found = read_data_file(path, "record")
    if found.problems:
        raise DiagnosticError(sorted(found.problems, key=Diagnostic.sort_key))
    file, places = str(path), found.places
    block = found.data.get("expect") if isinstance(found.data, dict) else None
    if block is None:
        return []
    if isinstance(block, dict):
        entries = [("expect", block)]
    elif isinstance(block, list) and block:
        entries = [(f"expect[{i}]", item) for i, item in enumerate(block)]
    else:
        _bad_expectation(file, places, "expect", "R470")
    return [_expectation(file, places, at, item, path.parent) for at, item in entries]


def _expectation(file, places, at, item, folder: Path) -> Expectation:
    def bad(where, code, **args):
        _bad_expectation(file, places, join(at, where) if where else at, code, **args)

    if not isinstance(item, dict):
        bad("", "R471")
    for key in item:
        if key not in _EXPECT_KEYS:
            bad(key, "R472", key=key, keys=", ".join(_EXPECT_KEYS))
    policy, regions = item.get("policy"), item.get("regions")
    if not isinstance(policy, str) or not policy.strip():
        bad("policy", "R473")
    try:
        on = _date(item.get("on"))
    except Mismatch:
        bad("on", "R474")
    if regions is not None and not isinstance(regions, str):
        bad("regions", "R475")
    outputs, errors = item.get("outputs", {}), item.get("errors", {})
    inapplicable = item.get("not_applicable", [])
    if not isinstance(outputs, dict) or not isinstance(errors, dict) or \
            not (outputs or errors or inapplicable):
        bad("", "R476")
    for name, code in errors.items():
        if not isinstance(code, str) or name in outputs:
            bad(join("errors", name), "R477")
    reasons = {}
    if isinstance(inapplicable, dict):       # name: the reason the policy must give
        for name, reason in inapplicable.items():    # null: any reason will do
            if reason is not None and (not isinstance(reason, str) or not reason.strip()):
                bad(join("not_applicable", name), "R479")
        reasons = {name: reason for name, reason in inapplicable.items() if reason is not None}
        inapplicable = list(inapplicable)
    if not isinstance(inapplicable, list):
        bad("not_applicable", "R479")
    for i, name in enumerate(inapplicable):
        if not isinstance(name, str) or name in outputs or name in errors:
            bad(join("not_applicable", name) if reasons else f"not_applicable[{i}]", "R479")
    return Expectation(file, at, policy, on, folder / regions if regions else None,
                       dict(outputs), dict(errors), places, tuple(inapplicable), reasons)


def _bad_expectation(file, places, path, code, **args):
    """Raise DiagnosticError `code` at `path`, or at the nearest enclosing place the file
    has (a missing key is shown at its mapping)."""
    place, span = path, None
    while place and span is None:
        span = places.get(place + KEY) or places.get(place)
        place = place.rpartition(".")[0]
    raise DiagnosticError([Diagnostic.error(code, span, data_path=path, file=file, **args)])
