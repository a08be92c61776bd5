"""The library's front door: what the CLI, the tests and the benchmarks call.

    policy = load_policy("policies/jiangxi-2024-34.policy")      # parse + check, whole chain
    record, warnings = load_record(policy, "examples/jiangxi/qingdao-case.yaml")
    record = record_from(policy, {"id": "P1", "birth_date": "1980-04-12", ...})  # a mapping
    regions = load_regions("examples/regions.yaml")
    result = evaluate(policy, record, date(2027, 6, 1), regions, explain=True)
    result.values["waiting_period_months"], result.errors, result.trees["..."]

Every function raises DiagnosticError (diagnostics.py) for bad input: the error carries all
the diagnostics found, each with its place.  Nothing here prints.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from .diagnostics import Diagnostic, DiagnosticError
from .source import SourceFile
from .types import Ty


def load_policy(path: str | Path, buffers: dict[str, str] | None = None):
    """Parse and check a policy file and the chain it extends; return the checked policy.

    `buffers` (path -> text) are read instead of the files at those paths: an editor's
    unsaved changes, to the policy or to a parent it extends."""
    from .loader import load_checked, read_from_disk, with_buffers

    return load_checked(Path(path), with_buffers(buffers) if buffers else read_from_disk)


def check_paths(paths) -> tuple[list[Diagnostic], dict[str, SourceFile], int]:
    """Check every policy file under `paths`; return (diagnostics, sources, files checked)."""
    from .loader import check_files

    return check_files([Path(p) for p in paths])


def load_record(policy, path: str | Path):
    """Read one YAML/JSON record and validate it against the policy's input declaration.

    Returns (record, warnings); raises DiagnosticError listing every problem."""
    from .records import load_record_file

    return load_record_file(policy, Path(path))


class Record(dict):
    """A runtime record from `record_from`: the dict `evaluate` takes, with the warnings
    its validation gave on `.warnings` (as a region table keeps its own)."""

    warnings: list[Diagnostic]


def record_from(policy, data: dict, where: str = "record") -> Record:
    """Validate a plain mapping as one record of the policy and convert it to the runtime
    record that `evaluate` takes: what `load_record` does to a file, without the file.

    `data` is what a YAML or JSON file would give: dates as ISO text ("2025-01-01") or
    date objects, numbers as int, Decimal, float or text, booleans, lists of entry mappings.
    `kind:` picks the policy's input of that kind (default its first `input`) and is kept
    on the record, as from a file.  `where` names the record in diagnostics in place of a
    file path; with no file there are no line numbers, but each diagnostic carries its data
    path (`enrollment[1].paid_on`).

    Raises DiagnosticError with every diagnostic a file with this content would give (in
    code order, not line order: there are no lines).  Returns
    the record, a dict; the warnings (an unknown field, say) are on its `.warnings`, a
    list, empty when there are none."""
    from .records import record_from_data

    converted, warnings = record_from_data(policy, data, where)
    record = Record(converted)
    record.warnings = warnings
    return record


def expectations(path: str | Path):
    """The `expect:` block of a record file: a list of expectations.Expectation (policy, on,
    regions, outputs, errors), [] when the file has none.  `exp.value(policy, name)` gives
    an expected output converted to its type.  The record loader skips the block."""
    from .expectations import read_expectations

    return read_expectations(Path(path))


def load_regions(path: str | Path, policy=None):
    """Read a region parameter file; raises DiagnosticError for a malformed one.  With the
    policy that will read it, also check the file against the policy's region parameters
    (names, enum keys, every value converted).  Warnings are on the table's `.warnings`."""
    from .regions import load_region_file

    return load_region_file(Path(path), policy)


def evaluate(policy, record: dict, as_of: dt.date, regions=None, outputs=None,
             explain: bool = False) -> Evaluation:
    """Evaluate `outputs` (default: every output of the policy) for one loaded record.

    The result's `.warnings` name each history entry dated after `as_of` (R480): such an
    entry is evaluated as recorded, never dropped, but never silently either."""
    from .evaluator import evaluate_outputs
    from .record_dates import future_entries

    result = evaluate_outputs(policy, record, as_of, regions, outputs, explain)
    result.warnings = future_entries(policy, record, as_of, getattr(record, "file", None),
                                     getattr(record, "places", None))
    return result


def explain_call(policy, record: dict, as_of: dt.date, regions, name: str, args: tuple):
    """One rule called with `args` (values of its parameter types), explained: an
    Evaluation keyed by the rule's name, with its tree (and the R480 warnings)."""
    from .evaluator import evaluate_call
    from .record_dates import future_entries

    result = evaluate_call(policy, record, as_of, regions, name, args)
    result.warnings = future_entries(policy, record, as_of, getattr(record, "file", None),
                                     getattr(record, "places", None))
    return result


def evaluate_measures(policy, records, as_of: dt.date, regions=None, names=None):
    """Population measures over runtime records: name -> population.MeasureResult."""
    from .population import evaluate_measures as run

    return run(policy, records, as_of, regions, names)


from .evaluator import EvalError, Evaluation  # noqa: E402  (re-exported for callers)

__all__ = ["Evaluation", "EvalError", "load_policy", "check_paths", "load_record",
           "record_from", "Record", "expectations", "load_regions", "evaluate", "explain_call",
           "evaluate_measures", "DiagnosticError", "Ty"]
