"""`yibao run` over a million persons of every shipped policy, as an analyst runs it.
Prints a markdown table.

    python benchmarks/million_run.py                       # 10^6 persons each
    python benchmarks/million_run.py --size 100000 --policies sichuan-2025

Each population is a Parquet file: 20,000 distinct seeded records (`yibao generate`'s
generator) repeated with new ids up to the size, and one row in every 1,000 spoiled
(tests/builders.spoiled: a blank id, a null birth date, an enum not declared, a history
out of order, an entry twice, a null entry, an entry without a year, another kind) so
that rejects and the row way are part of the run.  Each run is a fresh process with
`--engine auto` (the columnar engine where the policy compiles, else the interpreter).
The table gives rows per second, the process's peak memory, the summary's count line,
the measures, and a check: 1,000 rows spread over the file, run again through the
interpreter alone, must give the very same output rows.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO))
import _checkout  # noqa: E402,F401  (this checkout is the yibao package from here on)
from population_bench import PEAK_AT_EXIT, peak_mb  # noqa: E402

POLICIES = {     # policy: (--on, region file or None, record kind)
    "jiangxi-2024-34": ("2027-06-01", "examples/regions.yaml", "person"),
    "sichuan-2025": ("2027-06-01", None, "person"),
    "wuxi-2019-73": ("2021-06-01", None, "person"),
    "jinggu-2018": ("2017-03-01", None, "person"),
    "shandong-2024-assistance": ("2026-06-01", "examples/shandong/regions.yaml", "person"),
}
DISTINCT = 20_000
SPOIL_EVERY = 1_000
SAMPLE = 1_000


def population(policy_id: str, size: int, folder: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tests.builders import spoiled
    from yibao.interpreter.api import load_policy, load_regions
    from yibao.interpreter.batch.generate import Generator

    on, regions_path, kind = POLICIES[policy_id]
    policy = load_policy(REPO / "policies" / f"{policy_id}.policy")
    regions = load_regions(REPO / regions_path, policy) if regions_path else None
    rows = list(Generator(policy, dt.date.fromisoformat(on), 1, regions, kind)
                .records(min(DISTINCT, size)))
    bad = spoiled(rows[: len(rows) // SPOIL_EVERY * 7])    # spoiled() spoils one row in 7
    rows[: len(bad)] = bad
    for row in rows:
        row.setdefault("kind", None)
    distinct = pa.Table.from_pylist(rows)
    path = folder / f"{policy_id}.parquet"
    writer = pq.ParquetWriter(path, distinct.schema)
    for start in range(0, size, len(rows)):
        part = distinct.slice(0, min(len(rows), size - start))
        ids = pa.array([f"P{start + i:09d}" if i % 7 != 3 or i >= len(bad) else
                        part["id"][i].as_py() for i in range(part.num_rows)])
        writer.write_table(part.set_column(part.schema.get_field_index("id"), "id", ids))
    writer.close()
    return path


def yibao(*args: str) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK_AT_EXIT +
                           "from yibao.cli import main; sys.exit(main())", *args],
                          capture_output=True, text=True, cwd=REPO / "benchmarks")
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return time.perf_counter() - start, done.stderr


def sample_agrees(policy_id: str, source: Path, output: Path, folder: Path, common) -> bool:
    """SAMPLE rows spread over the file, through the interpreter alone: the same rows?"""
    import pyarrow.parquet as pq

    table = pq.read_table(source)
    step = max(1, table.num_rows // SAMPLE)
    picked = table.take(list(range(0, table.num_rows, step))[:SAMPLE])
    small = folder / "sample.parquet"
    pq.write_table(picked, small)
    yibao("run", *common(small), "--engine", "interp", "-o", str(folder / "sample-out.parquet"))
    expected = pq.read_table(folder / "sample-out.parquet").to_pylist()
    wanted = {r["id"] for r in expected}
    got = [r for r in pq.read_table(output).to_pylist() if r["id"] in wanted]
    key = lambda r: json.dumps(r, sort_keys=True, default=str)        # noqa: E731
    # ids repeat only among spoiled rows; every sampled row's output must be among them
    got_keys = {key(r) for r in got}
    return all(key(r) in got_keys for r in expected)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--policies", default=",".join(POLICIES))
    args = parser.parse_args()
    print(f"# yibao run over {args.size:,} persons a policy, Parquet to Parquet, --engine auto\n")
    print("| policy | engine | rows/s | seconds | peak MB | rows | measures | "
          f"{SAMPLE:,} rows vs the interpreter alone |")
    print("|---|---|---|---|---|---|---|---|")
    for policy_id in args.policies.split(","):
        on, regions_path, kind = POLICIES[policy_id]
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            source = population(policy_id, args.size, folder)
            output = folder / "out.parquet"

            def common(path):
                return [str(REPO / "policies" / f"{policy_id}.policy"), str(path), "--on", on,
                        "--kind", kind] + (["--regions", str(REPO / regions_path)]
                                           if regions_path else [])
            seconds, said = yibao("run", *common(source), "--engine", "auto", "-o", str(output))
            lines = said.splitlines()
            peak = peak_mb(said)
            rows = next(line for line in lines if line.startswith("rows read"))
            engine = next(line for line in lines if line.startswith("engine:")).split(";")[0]
            measures = "; ".join(line.removeprefix("measure ") for line in lines
                                 if line.startswith("measure ")) or "-"
            agrees = sample_agrees(policy_id, source, output, folder, common)
            print(f"| {policy_id} | {engine.removeprefix('engine: ')} | "
                  f"{args.size / seconds:,.0f} | {seconds:,.0f} | {peak:,.0f} | {rows} | "
                  f"{measures} | {'identical' if agrees else 'DIFFERENT'} |", flush=True)


if __name__ == "__main__":
    main()
