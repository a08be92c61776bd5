"""Fuzz yibao with mutated policies, records and region files; print what broke.

    python benchmarks/fuzz.py --runs 100000 --seed 1 --save /tmp/fuzz-findings
    python benchmarks/fuzz.py --seconds 300 --targets records,regions
    python benchmarks/fuzz.py --seed 1 --replay 4711          # one input, with its traceback

Every input is a function of (--seed, its number), so a campaign repeats exactly and any
input can be replayed alone.  Inputs run in process, in --workers forked workers, each
under a time limit (a hang) and a 4 GiB address-space cap (a MemoryError).  The
engine is tests/fuzz/ (shared with the CI slice, tests/test_fuzz_slice.py).  An input
stands for several commands (a check, an eval per record and date, an explain per output);
--timeout applies to each, --slow to the whole input.

Prints the inputs run per target and mutator family with their outcomes (ok, diagnostics =
a clean refusal, accepted = input that must be refused was taken, crash, hang, slow), the
speed per target, and each distinct failure signature with a count and its smallest
example; --save writes those examples as files plus the `yibao` command that reproduces
them (--verify runs that command, --minimize shrinks the input first).

Exit status: 0 when no crash and no hang was found, 1 otherwise, 2 for bad arguments.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
import _checkout  # noqa: E402,F401  (this checkout is the yibao package from here on)

from tests.fuzz.case import TARGETS  # noqa: E402
from tests.fuzz.engine import Config, replay, run_campaign  # noqa: E402
from tests.fuzz.report import (counts_table, findings_table, slow_table, speed_table,  # noqa: E402
                               summarise)


def _targets(text: str) -> tuple:
    chosen = tuple(t.strip() for t in text.split(",") if t.strip())
    unknown = [t for t in chosen if t not in TARGETS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"targets are {', '.join(TARGETS)}; got {text!r}")
    return chosen


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:]))
    parser.add_argument("--seed", type=int, default=0, help="campaign seed (default %(default)s)")
    parser.add_argument("--runs", type=int, default=100_000, help="inputs to run (default %(default)s)")
    parser.add_argument("--seconds", type=float, default=None,
                        help="stop starting inputs after this many seconds")
    parser.add_argument("--start", type=int, default=0, help="number of the first input")
    # The largest inputs the limits allow (a 512 KiB policy, a 16 MiB record, 20,000 history
    # entries explained) take up to about 3 s per command on a busy 2-core machine: work in
    # proportion to their size.  5 s separates those from a hang; --slow lists them all.
    parser.add_argument("--timeout", type=float, default=5.0,
                        help="seconds one command of an input (a check, an eval of a record on "
                             "a date, an explain of one output) may take before the input is a "
                             "hang (default %(default)s)")
    parser.add_argument("--slow", type=float, default=0.5,
                        help="seconds after which a finished input counts as slow (default %(default)s)")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1),
                        help="worker processes (default %(default)s)")
    parser.add_argument("--targets", type=_targets, default=TARGETS,
                        help="comma-separated: policies,records,regions (default all)")
    parser.add_argument("--cli-share", type=float, default=0.0,
                        help="share of inputs also run through the real CLI with click's "
                             "CliRunner (default %(default)s; slower)")
    parser.add_argument("--save", type=Path, default=None, metavar="DIR",
                        help="write one reproducing example per finding under DIR")
    parser.add_argument("--verify", action="store_true",
                        help="with --save: run each saved command in a fresh process")
    parser.add_argument("--minimize", action="store_true",
                        help="with --save: shrink each example first")
    parser.add_argument("--minimize-seconds", type=float, default=20.0,
                        help="time to shrink one example (default %(default)s)")
    parser.add_argument("--replay", type=int, default=None, metavar="INDEX",
                        help="run input INDEX of --seed alone and print its result")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)
    if args.runs < 0 or args.timeout <= 0 or args.workers < 1:
        parser.error("--runs must be >= 0, --timeout > 0 and --workers >= 1")
    return args


def run_replay(args) -> int:
    case, result = replay(args.seed, args.replay, args.targets, args.timeout)
    print(f"input {args.replay} of seed {args.seed}: {case.target}/{case.family}: {case.note}")
    print(f"files: {', '.join(f'{n} ({len(d)} bytes)' for n, d in case.files.items())}")
    print(f"outcome: {result.outcome} in {result.seconds:.3f} s")
    if result.signature:
        print(f"signature: {result.signature}")
    if result.detail.get("traceback"):
        print(result.detail["traceback"])
    if args.save:
        from tests.fuzz.commands import command_for, materialise
        from tests.fuzz.corpus import load_corpus

        paths = materialise(case, args.save, load_corpus())
        print("saved in", args.save, "\nrun:", " ".join(command_for(paths, case, result.detail)))
    return 1 if result.outcome in ("crash", "hang") else 0


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.replay is not None:
        return run_replay(args)
    config = Config(seed=args.seed, runs=args.runs, seconds=args.seconds, timeout=args.timeout,
                    slow=args.slow, workers=args.workers, targets=args.targets,
                    cli_share=args.cli_share, start=args.start)
    print(f"fuzzing yibao: seed {config.seed}, inputs {config.start}..{config.start + config.runs - 1}"
          f"{f', at most {config.seconds:.0f} s' if config.seconds else ''}, "
          f"targets {','.join(config.targets)}, {config.workers} worker(s), "
          f"timeout {config.timeout} s", flush=True)
    started = time.time()
    last = [started]
    from tests.fuzz.report import Summary

    live = Summary()

    def progress(result):
        live.add(result)
        now = time.time()
        if not args.quiet and now - last[0] >= 30:
            last[0] = now
            print(f"  {live.total} inputs, {now - started:.0f} s: "
                  f"{live.outcome_total('crash')} crash, {live.outcome_total('hang')} hang, "
                  f"{len(live.findings)} distinct", file=sys.stderr, flush=True)

    results, corpus = run_campaign(config, on_result=progress)
    wall = time.time() - started
    summary = summarise(results)
    saved = None
    if args.save:
        from tests.fuzz.runner import prepare
        from tests.fuzz.saving import save_findings

        ready = prepare(corpus) if args.minimize else None
        saved = save_findings(summary, corpus, config, args.save, check_cli=args.verify,
                              shrink=args.minimize, ready=ready,
                              shrink_seconds=args.minimize_seconds)
    print()
    print(counts_table(summary))
    print()
    print(speed_table(summary, wall, config.workers))
    print()
    print(f"distinct findings: {len(summary.findings)}")
    print(findings_table(summary, saved))
    print()
    print(f"slowest inputs (over {config.slow} s, not hangs):")
    print(slow_table(summary, config.seed))
    failed = summary.outcome_total("crash") + summary.outcome_total("hang")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
