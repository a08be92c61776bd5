"""How fast is one evaluation?  Prints a markdown table; rerun at will.

    python benchmarks/eval_one.py            # full run (several seconds)
    python benchmarks/eval_one.py --quick    # about a second, noisier

Measures, for the code in this checkout:
- parse + check of each policy in policies/ (api.load_policy), the first load in the process
  and the median of repeated loads;
- per-person evaluation after the policy is loaded, without and with the explanation tree:
  every example record that belongs to a policy (examples/<name>/*.yaml goes with
  policies/<name>-*.policy) is evaluated once per round; the time of a round divided by the
  number of records, median over the rounds, in µs per person;
- cold start of `yibao eval` (and of `yibao --help` and of `python -c pass` for scale): the
  wall time of a fresh process, median of N runs.

Targets printed beside the measurements: one person ≤ 0.2 ms without explanation after
load; `yibao eval` cold start ≤ 0.3 s.
"""
from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
import _checkout  # noqa: E402,F401  (this checkout is the yibao package from here on)

TARGET_PERSON_US = 200.0      # ≤ 0.2 ms per person, no explanation, after load
TARGET_COLD_S = 0.3           # ≤ 0.3 s for `yibao eval` from a fresh process


def median_time(fn, runs: int) -> float:
    """Median wall time of `fn()` in seconds over `runs` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def fmt_us(seconds: float) -> str:
    return f"{seconds * 1e6:.0f} µs"


def fmt_s(seconds: float) -> str:
    return f"{seconds:.3f} s"


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "**over**"


class Report:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []
        self.notes: list[str] = []

    def row(self, what: str, result: str, target: str = "", status: str = "") -> None:
        self.rows.append((what, result, target, status))

    def note(self, text: str) -> None:
        self.notes.append(text)

    def markdown(self, title: str) -> str:
        lines = [f"## {title}", "",
                 "| measurement | result | target | |", "|---|---:|---:|---|"]
        lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in self.rows]
        if self.notes:
            lines += ["", *[f"- {n}" for n in self.notes]]
        return "\n".join(lines)


def example_records(policy_path: Path) -> list[Path]:
    """examples/<name>/*.yaml|json for policies/<name>-*.policy."""
    name = policy_path.stem.split("-")[0]
    folder = REPO / "examples" / name
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.suffix in (".yaml", ".yml", ".json") and p.stem != "regions")


def region_file_for(policy_path: Path) -> Path:
    """examples/<name>/regions.yaml when a policy has its own, else examples/regions.yaml."""
    own = REPO / "examples" / policy_path.stem.split("-")[0] / "regions.yaml"
    return own if own.exists() else REPO / "examples" / "regions.yaml"


def bench_loading(api, policies: list[Path], runs: int, report: Report) -> dict:
    loaded = {}
    for path in policies:
        rel = path.relative_to(REPO)
        try:
            start = time.perf_counter()
            policy = api.load_policy(path)
            first = time.perf_counter() - start
        except Exception as error:  # noqa: BLE001 - a benchmark reports, it does not stop
            report.note(f"{rel}: does not load ({type(error).__name__}: {error})")
            continue
        loaded[path] = policy
        again = median_time(lambda: api.load_policy(path), runs)
        report.row(f"parse + check `{rel}`: first load in process", fmt_ms(first))
        report.row(f"parse + check `{rel}`: median of {runs} reloads", fmt_ms(again))
    return loaded


def bench_persons(api, loaded: dict, as_of: dt.date, rounds: int, report: Report) -> None:
    for path, policy in loaded.items():
        rel = path.relative_to(REPO)
        regions_file = region_file_for(path)
        try:
            regions = api.load_regions(regions_file) if regions_file.exists() else None
        except Exception as error:  # noqa: BLE001
            report.note(f"{regions_file.relative_to(REPO)} does not load: "
                        f"{type(error).__name__}: {error}")
            regions = None
        records = []
        paths = example_records(path)
        if not paths:
            report.note(f"`{rel}`: no example records in examples/{path.stem.split('-')[0]}/; "
                        "per-person time not measured")
            continue
        for record_path in paths:
            try:
                record, _warnings = api.load_record(policy, record_path)
                api.evaluate(policy, record, as_of, regions)            # warm up, and check
                api.evaluate(policy, record, as_of, regions, explain=True)
            except Exception as error:  # noqa: BLE001
                report.note(f"{record_path.relative_to(REPO)} left out for {rel}: "
                            f"{type(error).__name__}: {error}")
                continue
            records.append(record)
        if not records:
            report.note(f"`{rel}`: no example record evaluates; per-person time not measured")
            continue
        for explain in (False, True):
            def one_round(explain=explain):
                for record in records:
                    api.evaluate(policy, record, as_of, regions, explain=explain)

            per_person = median_time(one_round, rounds) / len(records)
            what = (f"eval one person, `{rel}` ({len(records)} records), "
                    f"{'with' if explain else 'without'} explanation")
            if explain:
                report.row(what, fmt_us(per_person))
            else:
                report.row(what, fmt_us(per_person), f"≤ {TARGET_PERSON_US:.0f} µs",
                           verdict(per_person * 1e6, TARGET_PERSON_US))


def bench_cold_start(loaded: dict, as_of: dt.date, runs: int, report: Report) -> None:
    cli = [sys.executable, str(REPO / "cli.py")]
    regions_file = REPO / "examples" / "regions.yaml"

    def timed(argv, label: str, target: float | None) -> None:
        failed = []

        def once():
            done = subprocess.run(argv, capture_output=True, cwd=REPO)
            if done.returncode not in (0, 1):  # 1: some outputs had errors, still a full run
                failed.append(done.returncode)

        seconds = median_time(once, runs)
        if failed:
            report.note(f"{label}: exit status {failed[0]} (timed anyway)")
        if target is None:
            report.row(f"cold start: {label}", fmt_s(seconds))
        else:
            report.row(f"cold start: {label}", fmt_s(seconds), f"≤ {target} s",
                       verdict(seconds, target))

    timed([sys.executable, "-c", "pass"], "`python -c pass` (for scale)", None)
    timed(cli + ["--help"], "`yibao --help`", None)
    candidates = [(p, r) for p in loaded for r in example_records(p)]
    if not candidates:
        report.note("no example record: `yibao eval` cold start not measured")
        return
    policy_path, record_path = candidates[0]
    argv = cli + ["eval", str(policy_path.relative_to(REPO)), str(record_path.relative_to(REPO)),
                  "--on", as_of.isoformat()]
    if regions_file.exists():
        argv += ["--regions", str(regions_file.relative_to(REPO))]
    timed(argv, f"`yibao eval {policy_path.name} {record_path.name}`", TARGET_COLD_S)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs: fast and noisier")
    parser.add_argument("--on", default="2027-06-01", help="evaluation date (default %(default)s)")
    args = parser.parse_args(argv)
    as_of = dt.date.fromisoformat(args.on)
    load_runs, rounds, cold_runs = (3, 30, 3) if args.quick else (10, 300, 10)

    from yibao.interpreter import api

    report = Report()
    policies = sorted((REPO / "policies").glob("*.policy"))
    loaded = bench_loading(api, policies, load_runs, report)
    bench_persons(api, loaded, as_of, rounds, report)
    bench_cold_start(loaded, as_of, cold_runs, report)

    title = (f"yibao benchmarks — {dt.date.today().isoformat()}, Python "
             f"{platform.python_version()}, {platform.machine()}, as of {as_of.isoformat()}"
             f"{', quick' if args.quick else ''}")
    print(report.markdown(title))
    return 0


if __name__ == "__main__":
    sys.exit(main())
