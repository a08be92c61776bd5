"""`yibao run`: a population file through a policy, batch by batch, memory bounded.

Each row is validated against the policy's input shape; a row that does not validate goes
to the rejects file with its row number, id (when it has one) and every problem (field
path, code, message), and is not evaluated.  Every other row is evaluated and written with
its id and each output: a value; null for "not applicable"; null plus the error's code in
the output's `__error` column when the policy cannot answer (never a silent value).  The
count is kept: rows read = rows written + rows rejected, or the run stops with an internal
error.  The policy's population measures are accumulated over the written rows.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, DiagnosticError
from ..evaluator import evaluate_outputs, program_for
from ..formatting import to_json
from ..model import Model
from ..population import Measures
from ..records import record_from_data
from ..results import LEFT, EvalError
from ..values import NotApplicable
from .formats import Writer, cannot_write, read_rows

BATCH = 10_000                 # rows a batch, a record at a time
COLUMN_BATCH = 100_000         # rows a batch, a column at a time (the columns' work per
                               # batch is fixed: larger batches spread it thinner)
ERROR_SUFFIX = "__error"


@dataclass
class Summary:
    read: int = 0
    written: int = 0
    rejected: int = 0
    errors: Counter = field(default_factory=Counter)          # code -> outputs with it
    not_applicable: Counter = field(default_factory=Counter)  # output -> rows
    measures: dict = field(default_factory=dict)
    rejects_path: str | None = None
    engine: str = "interp"               # the engine that ran: interp or columnar
    interpreted: int = 0                 # rows the columnar engine left to the interpreter
    refused: object = None               # why the columnar engine was not used (CannotCompile)
    path: str = "rows"                   # rows: a record at a time; columns: arrow_runner.py
    vouched: int = 0                     # rows read a column at a time (the rest, by row)


def columns(model: Model, names: list[str]) -> list[tuple[str, object]]:
    """id, then each output and its error-code column."""
    found = [("id", None)]
    for name in names:
        found += [(name, model.output_type(name)), (name + ERROR_SUFFIX, None)]
    return found


def rejects_path_for(output: Path) -> Path:
    return output.with_name(output.name.split(".")[0] + ".rejects.jsonl")


def run(model: Model, input_path: Path, output_path: Path, as_of: dt.date, regions=None,
        outputs: list[str] | None = None, kind: str | None = None,
        batch_size: int | None = None,
        progress=None, engine: str = "interp", overrides: dict | None = None) -> Summary:
    """engine: interp (the reference), columnar (refused with CannotCompile for a policy it
    does not compile) or auto (columnar where it compiles, else the interpreter)."""
    kind = kind or model.default_kind
    names = outputs or model.outputs_for(kind)
    input_type = model.input_types[kind]
    summary = Summary()
    columnar, CannotCompile = _columnar(engine, model, as_of, regions, kind, names)
    summary.engine = "columnar" if columnar is not None else "interp"
    rejects = rejects_path_for(output_path)
    summary.rejects_path = str(rejects)
    writer = Writer(output_path, columns(model, names))
    measures = Measures(model, as_of, regions) if model.measures else None
    try:
        rejected_file = open(rejects, "w", encoding="utf-8")
    except OSError as err:
        writer.close()
        raise cannot_write(rejects, err) from None
    try:
        with rejected_file as rejected:
            if columnar is not None and _columns_all_the_way(model, input_path):
                from .arrow_runner import run_columns

                try:
                    run_columns(model, input_path, writer, rejected, summary, columnar, as_of,
                                regions, names, kind, batch_size or COLUMN_BATCH, progress,
                                overrides, measures)
                except CannotCompile as refusal:
                    if engine == "columnar" or summary.read:
                        raise
                    # refused at the first batch, before any row was written or rejected
                    summary = Summary(rejects_path=summary.rejects_path, refused=refusal)
                    columnar = None
                    measures = Measures(model, as_of, regions) if model.measures else None
                else:
                    summary.path = "columns"
            for batch in [] if summary.path == "columns" else \
                    read_rows(input_path, input_type, batch_size or BATCH):
                records = []
                for number, data in batch:
                    summary.read += 1
                    if overrides and isinstance(data, dict):
                        data = dict(data, **overrides)     # --set: every row, before checks
                    record = _validated(model, data, f"{input_path}:{number}", kind)
                    if isinstance(record, DiagnosticError):
                        summary.rejected += 1
                        rejected.write(_reject_line(number, data, record) + "\n")
                        continue
                    records.append(record)
                answered = [None] * len(records)
                if columnar is not None:
                    try:
                        answered = columnar.evaluate(records)
                    except CannotCompile as refusal:
                        if engine == "columnar":
                            raise
                        columnar, summary.engine, summary.refused = None, "interp", refusal
                rows = []
                for record, outcome in zip(records, answered):
                    outcome = _completed(model, record, outcome, as_of, regions, names,
                                         summary, columnar is not None)
                    rows.append(_row(model, record, outcome, names, summary))
                writer.write(rows)
                summary.written += len(rows)
                if measures is not None:
                    measures.add(records)
                if progress is not None:
                    progress(summary.read)
    finally:
        writer.close()
    if summary.read != summary.written + summary.rejected:
        raise AssertionError(f"rows read {summary.read} != written {summary.written} + "
                             f"rejected {summary.rejected}")
    if measures is not None:
        summary.measures = measures.results()
    return summary


def _columns_all_the_way(model: Model, input_path: Path) -> bool:
    """Parquet in, and measures the columns count (count and share; a sum's overflow is
    the interpreter's to place): read, evaluate and write a column at a time
    (arrow_runner.py)."""
    return input_path.suffix.lower() == ".parquet" and all(
        m.kind in ("count", "share") for m in program_for(model).ir.measures)


class _NeverRaised(Exception):
    """Stands for CannotCompile when the columnar engine is not used."""


def _columnar(engine: str, model, as_of, regions, kind, names):
    """The columnar engine and its refusal type, or (None, a never-raised type): under
    `auto` without numpy (the optional extra `population`), the interpreter runs."""
    if engine not in ("auto", "columnar"):
        return None, _NeverRaised
    try:
        from ..columnar.engine import CannotCompile, ColumnarEngine
    except ImportError:
        if engine == "columnar":
            raise DiagnosticError([Diagnostic.error("C623", None)]) from None
        return None, _NeverRaised
    return ColumnarEngine(model, as_of, regions, kind, names), CannotCompile


def _validated(model: Model, data, where: str, kind: str):
    if isinstance(data, DiagnosticError):
        return data
    if isinstance(data, dict) and "kind" not in data and kind != model.default_kind:
        data = dict(data, kind=kind)
    try:
        return record_from_data(model, data, where)[0]
    except DiagnosticError as err:
        return err


def _completed(model: Model, record: dict, outcome, as_of, regions, names, summary: Summary,
               counted: bool) -> dict:
    """The columns' outcomes with the interpreter's for what they left (every output of a
    record they could not read; else only the outputs marked LEFT)."""
    if outcome is None:
        if counted:
            summary.interpreted += 1
        return _interpreted(model, record, as_of, regions, names)
    left = [name for name in names if outcome[name] is LEFT]
    if left:
        summary.interpreted += 1
        outcome = dict(outcome, **_interpreted(model, record, as_of, regions, left))
    return outcome


def _interpreted(model: Model, record: dict, as_of, regions, names) -> dict:
    """The interpreter's outcomes: output -> value, NotApplicable, or its EvalError."""
    result = evaluate_outputs(model, record, as_of, regions, names)
    return {name: result.not_applicable.get(name, result.values.get(name, result.errors.get(name)))
            for name in names}


def _row(model: Model, record: dict, outcome: dict, names, summary: Summary) -> dict:
    row = {"id": str(record.get("id"))}
    for name in names:
        got = outcome[name]
        if isinstance(got, NotApplicable):
            row[name], row[name + ERROR_SUFFIX] = None, None
            summary.not_applicable[name] += 1
        elif isinstance(got, EvalError):
            row[name], row[name + ERROR_SUFFIX] = None, got.code
            summary.errors[got.code] += 1
        else:
            row[name] = to_json(got, model.output_type(name))
            row[name + ERROR_SUFFIX] = None
    return row


def _reject_line(number: int, data, error: DiagnosticError) -> str:
    from ..render_diagnostics import message

    record_id = data.get("id") if isinstance(data, dict) else None
    problems = [{"code": d.code, "path": d.data_path, "message": message(d, "en")}
                for d in error.diagnostics if d.is_error] or \
        [{"code": d.code, "path": d.data_path, "message": message(d, "en")}
         for d in error.diagnostics]
    return json.dumps({"row": number, "id": record_id if isinstance(record_id, str) else
                       None if record_id is None else str(record_id),
                       "problems": problems}, ensure_ascii=False)
