"""`yibao run --engine spark`: the same run on a Spark cluster (local[2] by default).

Spark reads the population (Parquet as rows, JSON Lines and CSV as lines) and hands each
partition's Arrow batches to the workers, where yibao itself validates and evaluates them
(the columnar engine where the policy compiles, else the interpreter): the outcomes are
the interpreter's by the same construction as on one machine.  The policy files and the
region file travel with the job as text, so any worker can load them, wherever it runs.
Results are written by Spark (a directory of part files, as Spark writes); rejects go to a
directory beside it; the counts and the measures' running totals come back to the driver,
which checks rows read = written + rejected and reports the measures against their
targets.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
from decimal import Decimal
from pathlib import Path

from .runner import Summary, columns

KIND = "__row"          # result, reject or stats: one schema for everything a batch yields
PAYLOAD = "__payload"   # a reject's problems, or a batch's counts and measure totals (JSON)


def _policy_texts(model) -> dict[str, str]:
    """Every file of the policy's extends chain, path -> text."""
    return {path: source.text for path, source in (model.sources or {}).items()}


def run_on_spark(model, policy_path: Path, input_path: Path, output_path: Path, as_of: dt.date,
                 regions_path: Path | None, names: list[str], kind: str, batch_size: int,
                 master: str, overrides: dict | None = None) -> Summary:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    from .formats import arrow_schema, format_of

    from ..diagnostics import Diagnostic, DiagnosticError

    if format_of(input_path, "INPUT") == "csv":
        raise DiagnosticError([Diagnostic.error("C634", None, path=str(input_path))])
    spark = (SparkSession.builder.master(master).appName("yibao run")
             .config("spark.ui.enabled", "false")
             .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(batch_size))
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        kind_in = format_of(input_path, "INPUT")
        if kind_in == "parquet":
            frame = spark.read.parquet(str(input_path))
        else:
            frame = spark.read.text(str(input_path))
        out_columns = columns(model, names)
        schema = arrow_schema(out_columns + [(KIND, None), (PAYLOAD, None)])
        job = {
            "policy": str(policy_path), "texts": _policy_texts(model),
            "regions": regions_path.read_text(encoding="utf-8") if regions_path else None,
            "regions_name": regions_path.name if regions_path else None,
            "on": as_of.isoformat(), "names": names, "kind": kind,
            "columns": [name for name, _ in out_columns], "input": kind_in,
            "overrides": _plain(overrides or {}),
        }
        shipped = spark.sparkContext.broadcast(json.dumps(job, ensure_ascii=False))
        spark_schema = _spark_schema(schema)

        def evaluate(batches):
            yield from _worker(json.loads(shipped.value), batches)
        rows = frame.mapInArrow(evaluate, spark_schema).cache()
        results = rows.filter(F.col(KIND) == "result").select(*[n for n, _ in out_columns])
        _write(results, output_path)
        rejects = rows.filter(F.col(KIND) == "reject").select(F.col(PAYLOAD).alias("value"))
        rejects_dir = output_path.with_name(output_path.name.split(".")[0] + ".rejects")
        rejects.write.mode("overwrite").text(str(rejects_dir))
        stats = [json.loads(r[PAYLOAD]) for r in
                 rows.filter(F.col(KIND) == "stats").select(PAYLOAD).collect()]
        summary = _combine(model, stats, as_of)
        summary.rejects_path = str(rejects_dir)
        summary.engine = f"spark ({master})"
        return summary
    finally:
        spark.stop()


def _plain(values: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, dt.date) else str(v) if isinstance(v, Decimal)
            else v for k, v in values.items()}


def _spark_schema(arrow_schema):
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(arrow_schema)


def _write(frame, path: Path) -> None:
    suffix = path.suffix.lower()
    writer = frame.write.mode("overwrite")
    if suffix == ".parquet":
        writer.parquet(str(path))
    elif suffix == ".csv":
        writer.option("header", True).csv(str(path))
    else:
        writer.json(str(path))


# ------------------------------------------------------------------ on a worker
_LOADED: dict = {}


def _load(job: dict):
    """The policy, region table and engine, loaded once per worker process."""
    key = (job["policy"], job["on"], job["regions"])
    if key not in _LOADED:
        import tempfile

        from ..api import load_policy, load_regions
        from .runner import _columnar

        model = load_policy(job["policy"], buffers=job["texts"])
        regions = None
        if job["regions"] is not None:
            folder = Path(tempfile.mkdtemp(prefix="yibao-regions-"))
            file = folder / job["regions_name"]
            file.write_text(job["regions"], encoding="utf-8")
            regions = load_regions(file, model)
        on = dt.date.fromisoformat(job["on"])
        engine, refused = _columnar("auto", model, on, regions, job["kind"], job["names"])
        _LOADED[key] = [model, regions, on, engine, refused]
    return _LOADED[key]


def _worker(job: dict, batches):
    import pyarrow as pa

    from ..datafile_json import read_json
    from ..diagnostics import DiagnosticError
    from ..population import Measures
    from .formats import arrow_schema, _arrow_value, _without_nulls
    from .runner import _completed, _reject_line, _row, _validated, columns

    loaded = _load(job)
    model, regions, on, engine, refused = loaded
    names, kind = job["names"], job["kind"]
    out_columns = columns(model, names)
    schema = arrow_schema(out_columns + [(KIND, None), (PAYLOAD, None)])
    if job["input"] == "parquet" and engine is not None and not job["overrides"] and \
            all(m.kind in ("count", "share") for m in engine.program.measures):
        try:
            yield from _worker_columns(job, loaded, batches, schema)
            return
        except refused:
            loaded[3] = None                    # refused at its first batch: the rows way
    for batch in batches:
        summary = Summary()
        raw_rows = batch.to_pylist()
        records, rows = [], []
        rejected = []
        for number, raw in enumerate(raw_rows, 1):
            summary.read += 1
            if job["input"] == "parquet":
                data = _without_nulls(raw)
            elif job["input"] == "jsonl":
                line = raw["value"]
                if not line.strip():
                    summary.read -= 1
                    continue
                try:
                    found = read_json(line, "row")
                    data = DiagnosticError(list(found.problems)) if found.problems else \
                        found.data
                except DiagnosticError as unreadable:
                    data = unreadable
            else:                       # refused on the driver before the job starts
                continue
            if job["overrides"] and isinstance(data, dict):
                data = dict(data, **job["overrides"])
            record = _validated(model, data, "row", kind)
            if not isinstance(record, dict):
                summary.rejected += 1
                rejected.append(_reject_line(None, data, record))
                continue
            records.append(record)
        answered = [None] * len(records)
        if loaded[3] is not None:
            try:
                answered = loaded[3].evaluate(records)
            except loaded[4]:
                loaded[3] = None
        for record, outcome in zip(records, answered):
            outcome = _completed(model, record, outcome, on, regions, names, summary,
                                 loaded[3] is not None)
            rows.append(_row(model, record, outcome, names, summary))
        summary.written = len(rows)
        measures = Measures(model, on, regions) if model.measures else None
        if measures is not None:
            measures.add(records)
        stats = {"read": summary.read, "written": summary.written,
                 "rejected": summary.rejected, "errors": dict(summary.errors),
                 "not_applicable": dict(summary.not_applicable),
                 "measures": _totals(measures) if measures is not None else {}}
        table = {name: [_arrow_value(row.get(name), ty) for row in rows]
                 for name, ty in out_columns}
        for name, ty in out_columns:
            table[name] += [None] * (len(rejected) + 1)
        table[KIND] = ["result"] * len(rows) + ["reject"] * len(rejected) + ["stats"]
        table[PAYLOAD] = [None] * len(rows) + rejected + [json.dumps(stats)]
        yield pa.RecordBatch.from_pydict(table, schema=schema)


def _worker_columns(job: dict, loaded, batches, schema):
    """Parquet batches a column at a time (arrow_runner.ColumnStep), as on one machine;
    rows are not numbered in rejects (a worker does not know where its rows are)."""
    import pyarrow as pa

    from .arrow_runner import ColumnStep

    from ..population import Measures

    model, regions, on, engine, _ = loaded
    for batch in batches:
        measures = Measures(model, on, regions) if model.measures else None
        step = ColumnStep(model, engine, on, regions, job["names"], job["kind"], "row",
                          measures=measures)
        table, rejects, part = step.take(batch, None)
        stats = {"read": part.read, "written": part.written, "rejected": part.rejected,
                 "errors": dict(part.errors), "not_applicable": dict(part.not_applicable),
                 "measures": _totals(measures) if measures is not None else {},
                 "vouched": part.vouched}
        tail = len(rejects) + 1
        arrays = [pa.concat_arrays([column.combine_chunks() if column.num_chunks else
                                    pa.array([], type=column.type),
                                    pa.nulls(tail, type=column.type)])
                  for column in table.columns]
        arrays.append(pa.array(["result"] * table.num_rows + ["reject"] * len(rejects) +
                               ["stats"]))
        arrays.append(pa.array([None] * table.num_rows + rejects + [json.dumps(stats)],
                               type=pa.string()))
        yield pa.RecordBatch.from_arrays(arrays, schema=schema)


def _totals(measures) -> dict:
    found = {}
    for name, result in measures.found.items():
        total = measures.totals.get(name)
        found[name] = {"counted": result.counted, "population": result.population,
                       "total": str(total) if total is not None else None,
                       "errors": measures.error_count[name]}
    return found


# ------------------------------------------------------------------ back on the driver
def _combine(model, stats: list[dict], as_of: dt.date) -> Summary:
    from ..arithmetic import divide
    from ..population import MeasureResult
    from ..tables import COMPARE

    summary = Summary()
    totals: dict = {}
    for part in stats:
        summary.read += part["read"]
        summary.written += part["written"]
        summary.rejected += part["rejected"]
        summary.vouched += part.get("vouched", 0)
        summary.errors.update(part["errors"])
        summary.not_applicable.update(part["not_applicable"])
        for name, t in part["measures"].items():
            acc = totals.setdefault(name, {"counted": 0, "population": 0, "total": None,
                                           "errors": 0})
            acc["counted"] += t["counted"]
            acc["population"] += t["population"]
            acc["errors"] += t["errors"]
            if t["total"] is not None:
                value = Decimal(t["total"])
                acc["total"] = value if acc["total"] is None else acc["total"] + value
    if summary.read != summary.written + summary.rejected:
        raise AssertionError(f"rows read {summary.read} != written {summary.written} + "
                             f"rejected {summary.rejected}")
    if summary.vouched:
        summary.path = "columns"
    for measure in model.measures.values() if isinstance(model.measures, dict) else ():
        name = measure.decl.name
        t = totals.get(name, {"counted": 0, "population": 0, "total": None, "errors": 0})
        result = MeasureResult(name, None, t["counted"], t["population"])
        program_measure = _program_measure(model, name)
        if program_measure.kind == "count":
            result.value = t["counted"]
        elif program_measure.kind == "sum":
            result.value = t["total"] if t["total"] is not None else Decimal(0)
        elif t["population"]:
            result.value = divide(t["counted"], t["population"], None, lambda: "share")
        result.target_op, result.target = program_measure.target_op, program_measure.target
        if result.target is not None and result.value is not None:
            result.met = COMPARE[result.target_op](result.value, result.target)
        summary.measures[name] = result
    return summary


def _program_measure(model, name: str):
    from ..evaluator import ir_for

    return next(m for m in ir_for(model).measures if m.name == name)
