"""Persons per second over a population, for the Sichuan policy.  Prints a markdown table.

    python benchmarks/population_bench.py              # 10^4 and 10^5 persons
    python benchmarks/population_bench.py --sizes 10000

For each size, seeded records (`yibao generate`'s generator, validated once, outside the
timings) are evaluated:
- interp: the reference evaluator, person by person (every output);
- columnar: the columnar engine on the same records (every output; the persons it leaves
  to the interpreter — errors to report, two entries in a year — are evaluated by the
  interpreter inside the timing);
- numpy yardstick: the same national rules for five outputs (continuous years, break
  years, the three accumulated amounts) written by hand in numpy over per-year columns,
  the columns built outside the timing; a floor for what compute over columns costs.
Also the validation of the records (reading is not included) and the process's peak
memory so far (it holds the records of every size measured).
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import resource
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
import _checkout  # noqa: E402,F401  (this checkout is the yibao package from here on)

ON = dt.date(2027, 6, 1)


def hand_numpy(years_insured, resident, zero_claim, first_year, y0):
    """continuous years, break years and the three amounts (step 4000), by hand."""
    n, w = years_insured.shape
    year = y0 + np.arange(w)
    counted = year[None, :] >= first_year[:, None]
    insured = years_insured & counted
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
    i1 = 4000 * ((resident & insured & (streak > 4) & window)[:, :y + 1]).sum(1)
    i2 = 4000 * ((resident & insured & zero_claim & window)[:, :y]).sum(1)
    i3 = 4000 * ((gap & window)[:, :y]).sum(1)
    return continuous, breaks, i1, i2, i3


def columns_for(records):
    y0 = ON.year - 20
    n, w = len(records), 21
    insured = np.zeros((n, w), dtype=bool)
    resident = np.zeros((n, w), dtype=bool)
    zero = np.ones((n, w), dtype=bool)
    first = np.zeros(n, dtype=np.int64)
    for i, r in enumerate(records):
        first[i] = max(r.get("enrollment_known_from", r["birth_date"].year), r["birth_date"].year)
        for e in r["enrollment"].entries:
            j = e["year"] - y0
            if 0 <= j < w:
                insured[i, j] = True
                resident[i, j] |= e["scheme"] == "resident"
        for c in r.get("claims").entries if r.get("claims") is not None else ():
            j = c["year"] - y0
            if 0 <= j < w and (c.get("fund_paid", 0) or c.get("critical_illness_paid", 0)):
                zero[i, j] = False
    return insured, resident, zero, first, y0


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]

    from yibao.interpreter.api import load_policy
    from yibao.interpreter.batch.generate import Generator
    from yibao.interpreter.columnar.engine import LEFT, ColumnarEngine
    from yibao.interpreter.evaluator import evaluate_outputs
    from yibao.interpreter.records import record_from_data

    policy = load_policy(REPO / "policies" / "sichuan-2025.policy")
    names = policy.outputs_for("person")
    print(f"# yibao populations: sichuan-2025, --on {ON}, {len(names)} outputs\n")
    print("| persons | validate (persons/s) | interp (persons/s) | columnar (persons/s) | "
          "left to interp | numpy by hand, 5 outputs (persons/s) | columnar / numpy | "
          "process peak MB |")
    print("|---|---|---|---|---|---|---|---|")
    for size in sizes:
        raw = list(Generator(policy, ON, 1, None).records(size))
        records = []
        validate = timed(lambda: records.extend(record_from_data(policy, d, "g")[0]
                                                for d in raw))
        engine = ColumnarEngine(policy, ON, None, "person", names)
        interp = timed(lambda: [evaluate_outputs(policy, r, ON, None, names)
                                for r in records])
        left = []

        def columnar():
            for start in range(0, size, 10_000):
                chunk = records[start:start + 10_000]
                rows = engine.evaluate(chunk)
                for r, row in zip(chunk, rows):
                    wanted = names if row is None else [n for n in names if row[n] is LEFT]
                    if wanted:
                        left.append(1)
                        evaluate_outputs(policy, r, ON, None, wanted)
        col = timed(columnar)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # KiB on Linux
        arrays = columns_for(records)
        hand = timed(lambda: hand_numpy(*arrays))
        print(f"| {size:,} | {size / validate:,.0f} | {size / interp:,.0f} | "
              f"{size / col:,.0f} | {sum(left):,} | {size / hand:,.0f} | "
              f"{col / hand:.0f}× slower | {peak:.0f} |")


if __name__ == "__main__":
    main()
