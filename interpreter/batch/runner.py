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

from ..diagnostics import DiagnosticError
from ..evaluator import evaluate_outputs
from ..formatting import to_json
from ..model import Model
from ..population import Measures
from ..records import record_from_data
from .formats import Writer, read_rows

BATCH = 10_000
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


def columns(model: Model, names: list[str]) -> list[tuple[str, object]]:
    """id, then each output and its error-code column."""
    found = [("id", None)]
    for name in names:
        found += [(name, model.output_type(name)), (name + ERROR_SUFFIX, None)]
    return found


def rejects_path_for(output: Path) -> Path:
    return output.with_name(output.name.split(".")[0] + ".rejects.jsonl")


def run(model: Model, input_path: Path, output_path: Path, as_of: dt.date, regions=None,
        outputs: list[str] | None = None, kind: str | None = None, batch_size: int = BATCH,
        progress=None) -> Summary:
    kind = kind or model.default_kind
    names = outputs or model.outputs_for(kind)
    input_type = model.input_types[kind]
    summary = Summary()
    rejects = rejects_path_for(output_path)
    summary.rejects_path = str(rejects)
    writer = Writer(output_path, columns(model, names))
    measures = Measures(model, as_of, regions) if model.measures else None
    try:
        with open(rejects, "w", encoding="utf-8") as rejected:
            for batch in read_rows(input_path, input_type, batch_size):
                rows, records = [], []
                for number, data in batch:
                    summary.read += 1
                    record = _validated(model, data, f"{input_path}:{number}", kind)
                    if isinstance(record, DiagnosticError):
                        summary.rejected += 1
                        rejected.write(_reject_line(number, data, record) + "\n")
                        continue
                    rows.append(_evaluated(model, record, as_of, regions, names, summary))
                    records.append(record)
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


def _validated(model: Model, data, where: str, kind: str):
    if isinstance(data, DiagnosticError):
        return data
    if isinstance(data, dict) and "kind" not in data and kind != model.default_kind:
        data = dict(data, kind=kind)
    try:
        return record_from_data(model, data, where)[0]
    except DiagnosticError as err:
        return err


def _evaluated(model: Model, record: dict, as_of, regions, names, summary: Summary) -> dict:
    result = evaluate_outputs(model, record, as_of, regions, names)
    row = {"id": str(record.get("id"))}
    for name in names:
        if name in result.not_applicable:
            row[name], row[name + ERROR_SUFFIX] = None, None
            summary.not_applicable[name] += 1
        elif name in result.values:
            row[name] = to_json(result.values[name], model.output_type(name))
            row[name + ERROR_SUFFIX] = None
        else:
            code = result.errors[name].code
            row[name], row[name + ERROR_SUFFIX] = None, code
            summary.errors[code] += 1
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
