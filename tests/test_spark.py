"""`yibao run --engine spark` in local mode: the same rows, outcomes and measures as the
interpreter (a small sample: a Spark session takes seconds to start).  Under .ci/run
(YIBAO_REQUIRE_SPARK=1) a missing pyspark fails instead of skipping."""
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from yibao import cli

if os.environ.get("YIBAO_REQUIRE_SPARK") != "1":
    pytest.importorskip("pyspark")

ROOT = Path(__file__).resolve().parent.parent
SHANDONG = str(ROOT / "policies" / "shandong-2024-assistance.policy")
SHANDONG_REGIONS = str(ROOT / "examples" / "shandong" / "regions.yaml")


def invoke(*args):
    return CliRunner().invoke(cli.main, list(args))


def test_spark_gives_the_interpreters_rows_rejects_and_measure(tmp_path):
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    people = tmp_path / "people.jsonl"
    assert invoke("generate", SHANDONG, "300", "--seed", "21", "--on", "2026-06-01",
                  "--regions", SHANDONG_REGIONS, "-o", str(people)).exit_code == 0
    with open(people, "a", encoding="utf-8") as handle:       # two rows that do not validate
        handle.write('{"id": "BAD-1", "birth_date": "1950-02-30", "enrollment": []}\n')
        handle.write("{not json\n")
    interp = invoke("run", SHANDONG, str(people), "--on", "2026-06-01", "--regions",
                    SHANDONG_REGIONS, "--engine", "interp", "-o", str(tmp_path / "i.parquet"))
    spark = invoke("run", SHANDONG, str(people), "--on", "2026-06-01", "--regions",
                   SHANDONG_REGIONS, "--engine", "spark", "-o", str(tmp_path / "s.parquet"))
    assert interp.exit_code == 0 and spark.exit_code == 0, spark.output
    assert "rows read 302 = written 300 + rejected 2" in spark.stderr
    assert "engine: spark (local[2])" in spark.stderr
    expected = {r["id"]: r for r in pq.read_table(tmp_path / "i.parquet").to_pylist()}
    got = {r["id"]: r for r in ds.dataset(tmp_path / "s.parquet", format="parquet")
           .to_table().to_pylist()}
    assert got == expected and len(got) == 300
    # the measure, combined from the workers' totals, is the interpreter's
    measure = [line for line in interp.stderr.splitlines() if line.startswith("measure ")]
    assert measure and measure[0] in spark.stderr
    rejects = [json.loads(line) for path in sorted((tmp_path / "s.rejects").glob("part-*"))
               for line in path.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["id"] or "" for r in rejects) == ["", "BAD-1"]


@pytest.mark.parametrize("policy_id, on, regions", [
    ("sichuan-2025", "2027-06-01", None),
    ("shandong-2024-assistance", "2026-06-01", SHANDONG_REGIONS),      # with its measure
])
def test_spark_workers_read_parquet_a_column_at_a_time_and_agree(policy_id, on, regions,
                                                                 tmp_path):
    """A policy over Parquet: the workers take their batches through the column path
    (arrow_runner.ColumnStep), spoiled rows included, and write what the interpreter
    writes on one machine; Shandong's measure, counted over the workers' columns, is
    the interpreter's."""
    import datetime as dt

    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    from yibao.interpreter.api import load_policy, load_regions
    from yibao.interpreter.batch.generate import Generator

    from .builders import spoiled

    path = ROOT / "policies" / f"{policy_id}.policy"
    policy = load_policy(path)
    table = load_regions(regions, policy) if regions else None
    rows = spoiled(list(Generator(policy, dt.date.fromisoformat(on), 3, table).records(400)))
    for row in rows:
        row.setdefault("kind", None)
    people = tmp_path / "people.parquet"
    pq.write_table(pa.Table.from_pylist(rows), people)
    common = ("run", str(path), str(people), "--on", on) + \
        (("--regions", regions) if regions else ())
    interp = invoke(*common, "--engine", "interp", "-o", str(tmp_path / "i.parquet"))
    spark = invoke(*common, "--engine", "spark", "-o", str(tmp_path / "s.parquet"))
    assert interp.exit_code == 0 and spark.exit_code == 0, spark.output
    summary = [line for line in interp.stderr.splitlines() if line.startswith("rows read")]
    assert summary and summary[0] in spark.stderr and "rejected 0" not in summary[0]
    def ordered(rows):          # ids repeat among the spoiled rows: order by everything
        return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, default=str))
    expected = ordered(pq.read_table(tmp_path / "i.parquet").to_pylist())
    got = ordered(ds.dataset(tmp_path / "s.parquet", format="parquet").to_table().to_pylist())
    assert got == expected and len(got) > 300
    assert "rows read a column at a time: " in spark.stderr     # the workers' column path
    errors = [line for line in interp.stderr.splitlines() if line.startswith("outputs without")]
    assert errors and errors[0] in spark.stderr
    measures = [line for line in interp.stderr.splitlines() if line.startswith("measure ")]
    assert all(line in spark.stderr for line in measures)
    assert bool(measures) == (policy_id.startswith("shandong"))
