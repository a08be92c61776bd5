"""`yibao run` over Parquet populations of the Sichuan policy, against the same rules
written by hand in numpy, in one run.  Prints a markdown table.

    python benchmarks/population_bench.py                  # 10^4, 10^5, 10^6 persons
    python benchmarks/population_bench.py --sizes 10000    # one size
    python benchmarks/population_bench.py --large          # and 10^7

Each size is a Parquet file of seeded records (`yibao generate`'s generator: 20,000
distinct persons, repeated with new ids up to the size, so histories, gaps, second
entries in a year and errors keep their shares).  For each:
- read: the whole file read by pyarrow, nothing else (the floor for any reader);
- columnar: `yibao run --engine columnar` Parquet to Parquet, every output, in a fresh
  process (startup included), and that process's peak memory;
- interp: the same run on the reference interpreter, a record at a time (up to 10^5);
- spark local[2]: the same run with `--engine spark` on this machine (up to 10^6, when
  pyspark and a Java runtime are there), Spark's startup included;
- numpy by hand: five of the outputs (continuous years, break years, the three
  accumulated amounts) written by hand: read the leaf columns it needs, fold the
  histories into person x year arrays, compute, write Parquet — the yardstick;
- compute only: the columnar engine's evaluation of every output over columns already
  read, and the hand-written numpy compute over its arrays, persons per second.
Rates are persons per second; ratios are how many times slower than the yardstick, in
this run, on this machine.
"""
from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
import _checkout  # noqa: E402,F401  (this checkout is the yibao package from here on)

ON = dt.date(2027, 6, 1)
POLICY = REPO / "policies" / "sichuan-2025.policy"
DISTINCT = 20_000
STEP = 4000                    # Sichuan's incentive step in 2025-2027, 元


def hand_numpy(insured, resident, zero_claim, first_year, y0):
    """continuous years, break years and the three amounts, by hand (whole 元)."""
    n, w = insured.shape
    year = y0 + np.arange(w)
    insured = insured & (year[None, :] >= first_year[:, None])
    streak = np.zeros((n, w), dtype=np.int64)
    run = np.zeros(n, dtype=np.int64)
    for j in range(w):
        run = np.where(insured[:, j], run + 1, 0)
        streak[:, j] = run
    y = ON.year - y0
    continuous = streak[:, y]
    gap = ~insured & (year[None, :] >= np.maximum(2025, first_year)[:, None])
    breaks = np.zeros(n, dtype=np.int64)
    going = np.ones(n, dtype=bool)
    for j in range(y - 1, -1, -1):
        going &= gap[:, j]
        breaks += going
    window = (year >= 2025)[None, :]
    i1 = STEP * ((resident & insured & (streak > 4) & window)[:, :y + 1]).sum(1)
    i2 = STEP * ((resident & insured & zero_claim & window)[:, :y]).sum(1)
    i3 = STEP * ((gap & window)[:, :y]).sum(1)
    return continuous, breaks, i1, i2, i3


def hand_columns(path: Path):
    """The arrays hand_numpy needs, read from the Parquet leaf columns it uses."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=["birth_date", "enrollment_known_from",
                                         "enrollment", "claims"])
    n, y0, w = table.num_rows, ON.year - 20, 21
    birth = table["birth_date"].combine_chunks().cast("int32").to_numpy().astype(np.int64)
    birth_year = (birth.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970)
    known = pc.fill_null(table["enrollment_known_from"].combine_chunks(), 0).to_numpy()
    first = np.maximum(known, birth_year)
    insured = np.zeros((n, w), dtype=bool)
    resident = np.zeros((n, w), dtype=bool)
    zero = np.ones((n, w), dtype=bool)
    for name in ("enrollment", "claims"):
        lists = table[name].combine_chunks()
        person = np.repeat(np.arange(n), np.diff(lists.offsets.to_numpy()))
        entries = lists.flatten()
        year = entries.field("year").to_numpy() - y0
        keep = (year >= 0) & (year < w)
        if name == "enrollment":
            insured[person[keep], year[keep]] = True
            is_resident = pc.equal(entries.field("scheme"), "resident").to_numpy(
                zero_copy_only=False)
            resident[person[keep & is_resident], year[keep & is_resident]] = True
        else:
            paid = pc.or_(pc.fill_null(pc.not_equal(entries.field("fund_paid"), 0), False),
                          pc.fill_null(pc.not_equal(entries.field("critical_illness_paid"), 0),
                                       False)).to_numpy(zero_copy_only=False)
            zero[person[keep & paid], year[keep & paid]] = False
    return insured, resident, zero, first, y0


def hand_end_to_end(source: Path, target: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    ids = pq.read_table(source, columns=["id"])["id"]
    results = hand_numpy(*hand_columns(source))
    names = ("continuous_years", "break_years", "continuous_incentive",
             "zero_claim_incentive", "break_penalty")
    pq.write_table(pa.table([ids] + [pa.array(r) for r in results], names=("id",) + names),
                   target)


def population(size: int, folder: Path) -> Path:
    """A Parquet file of `size` persons (DISTINCT generated ones, repeated, new ids)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from yibao.interpreter.api import load_policy
    from yibao.interpreter.batch.generate import Generator

    base = folder / "distinct.parquet"
    if not base.exists():
        policy = load_policy(POLICY)
        rows = list(Generator(policy, ON, 1, None).records(DISTINCT))
        pq.write_table(pa.Table.from_pylist(rows), base)
    distinct = pq.read_table(base)
    path = folder / f"people-{size}.parquet"
    writer = None
    for start in range(0, size, DISTINCT):
        part = distinct.slice(0, min(DISTINCT, size - start))
        ids = pa.array([f"P{start + i:09d}" for i in range(part.num_rows)])
        part = part.set_column(part.schema.get_field_index("id"), "id", ids)
        writer = writer or pq.ParquetWriter(path, part.schema)
        writer.write_table(part)
    writer.close()
    return path


# The process's own peak (VmHWM: ru_maxrss would carry the parent's over exec), on stderr.
PEAK_AT_EXIT = ("import atexit, sys; import _checkout; atexit.register(lambda: print('peak KiB', "
                "[l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0], "
                "file=sys.stderr)); ")


def peak_mb(stderr: str) -> float:
    return int(next(line for line in stderr.splitlines()
                    if line.startswith("peak KiB")).split()[-1]) / 1024


def yibao_run(source: Path, target: Path, engine: str) -> tuple[float, float]:
    """(seconds, peak MB) of `yibao run` in a fresh process (for Spark, the driver's)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK_AT_EXIT +
                           "from yibao.cli import main; sys.exit(main())", "run",
                           str(POLICY), str(source), "--on", ON.isoformat(),
                           "-o", str(target), "--engine", engine],
                          capture_output=True, text=True, cwd=REPO / "benchmarks")
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return seconds, peak_mb(done.stderr)


def has_spark() -> bool:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return subprocess.run(["java", "-version"], capture_output=True).returncode == 0


def compute_only(source: Path) -> float:
    """Seconds of the columnar engine's evaluation of every output, columns read."""
    import pyarrow.parquet as pq

    from yibao.interpreter.api import load_policy
    from yibao.interpreter.columnar.arrow_batch import ArrowBatch
    from yibao.interpreter.columnar.engine import ColumnarEngine

    policy = load_policy(POLICY)
    names = policy.outputs_for("person")
    engine = ColumnarEngine(policy, ON, None, "person", names)
    table = pq.read_table(source)
    total = 0.0
    for batch in table.to_batches(max_chunksize=100_000):
        start = time.perf_counter()
        engine.outcomes(ArrowBatch(engine.program, policy, "person", batch, ON))
        total += time.perf_counter() - start
    return total


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--large", action="store_true", help="also 10^7 persons")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")] + ([10_000_000] if args.large else [])
    import pyarrow.parquet as pq

    print(f"# yibao run: sichuan-2025, --on {ON}, Parquet to Parquet, persons per second\n")
    print("| persons | read only | columnar | interp | spark local[2] | "
          "numpy by hand (5 outputs) | columnar / numpy | compute: columnar | "
          "compute: numpy | columnar / numpy | peak MB (columnar run) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for size in sizes:
            source = population(size, folder)
            read = timed(lambda: pq.read_table(source))
            columnar, peak = yibao_run(source, folder / "out.parquet", "columnar")
            interp = yibao_run(source, folder / "out-i.parquet", "interp")[0] \
                if size <= 100_000 else None
            spark = yibao_run(source, folder / "out-s.parquet", "spark")[0] \
                if size <= 1_000_000 and has_spark() else None
            hand = timed(lambda: hand_end_to_end(source, folder / "hand.parquet"))
            arrays = hand_columns(source)
            hand_compute = timed(lambda: hand_numpy(*arrays))
            col_compute = compute_only(source) if size <= 1_000_000 else None
            rate = lambda s: f"{size / s:,.0f}" if s else "-"            # noqa: E731
            print(f"| {size:,} | {rate(read)} | {rate(columnar)} | {rate(interp)} | "
                  f"{rate(spark)} | "
                  f"{rate(hand)} | {columnar / hand:.0f}× | {rate(col_compute)} | "
                  f"{rate(hand_compute)} | "
                  f"{f'{col_compute / hand_compute:.0f}×' if col_compute else '-'} | "
                  f"{peak:,.0f} |")
            (folder / f"people-{size}.parquet").unlink()


if __name__ == "__main__":
    main()
