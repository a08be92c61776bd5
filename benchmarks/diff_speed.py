"""How long does `yibao diff` take?  Prints a markdown table; rerun at will.

    python benchmarks/diff_speed.py          # 3 rounds
    python benchmarks/diff_speed.py --rounds 1

Measures, for the code in this checkout, Jiangxi vs Sichuan on 2027-06-01 with
examples/regions.yaml (the pair the issue names, target under 2 s on the 2-core machine):
- the whole command as a user runs it: a fresh `python cli.py diff ...` process;
- in process: loading both policies, the structural comparison, the behavioural search
  (candidates, evaluation under both, witnesses re-checked with explanations);
- the yardstick: evaluating the same persons under both policies with nothing else — what
  a hand-written loop over the same candidates would cost at least — so the ratio says
  what the search and the reporting add on top of the evaluations themselves.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
import _checkout  # noqa: E402,F401  (this checkout is the yibao package from here on)

OLD, NEW = "policies/jiangxi-2024-34.policy", "policies/sichuan-2025.policy"
ON = dt.date(2027, 6, 1)


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds

    from yibao.interpreter.api import evaluate, load_policy, load_regions
    from yibao.interpreter.diff import behaviour, structural
    from yibao.interpreter.diff.search import Domains, Shape, candidates
    from yibao.interpreter.records import record_from_data

    rows = {"cli": [], "load": [], "structural": [], "behaviour": [], "yardstick": []}
    searched = 0
    for _ in range(rounds):
        cmd = [sys.executable, "-P", str(REPO / "cli.py"), "diff", OLD, NEW, "--on",
               ON.isoformat(), "--regions", "examples/regions.yaml", "--format", "json"]
        seconds, done = timed(lambda: subprocess.run(cmd, cwd=REPO, capture_output=True))
        assert done.returncode == 0, done.stderr
        rows["cli"].append(seconds)
        seconds, (old, new, regions) = timed(lambda: (
            load_policy(REPO / OLD), load_policy(REPO / NEW),
            load_regions(REPO / "examples" / "regions.yaml")))
        rows["load"].append(seconds)
        rows["structural"].append(timed(lambda: structural.compare(old, new))[0])
        seconds, found = timed(lambda: behaviour.compare(old, new, ON, regions))
        rows["behaviour"].append(seconds)
        searched = found.searched
        # the yardstick: the same persons, validated and evaluated under both, nothing more
        read = set(old.read_fields_by_kind["person"]) | set(new.read_fields_by_kind["person"])
        people = list(candidates(Shape(new, "person", Domains([old, new], ON, regions), read)))

        def evaluate_all():
            for data in people[:behaviour.DEFAULT_BUDGET]:
                a = record_from_data(old, data, "x")[0]
                b = record_from_data(new, data, "x")[0]
                evaluate(old, a, ON, regions)
                evaluate(new, b, ON, regions)
        rows["yardstick"].append(timed(evaluate_all)[0])

    med = {k: statistics.median(v) for k, v in rows.items()}
    print(f"# yibao diff: {OLD} vs {NEW}, --on {ON}, {searched} persons searched, "
          f"median of {rounds}\n")
    print("| step | seconds | note |")
    print("|---|---|---|")
    print(f"| whole command (fresh process) | {med['cli']:.2f} | target < 2 s |")
    print(f"| load both policies and the region file | {med['load']:.2f} | |")
    print(f"| structural comparison | {med['structural']:.3f} | |")
    print(f"| behavioural search and witnesses | {med['behaviour']:.2f} | |")
    print(f"| yardstick: evaluate the same persons under both | {med['yardstick']:.2f} | "
          f"search / yardstick = {med['behaviour'] / med['yardstick']:.2f} |")


if __name__ == "__main__":
    main()
