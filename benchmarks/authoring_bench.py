"""How fast are the authoring tools?  Prints markdown tables; rerun at will.

    python -P benchmarks/authoring_bench.py            # a few seconds
    python -P benchmarks/authoring_bench.py --rules 5000

The yardstick is the parser alone (text to AST), which every tool pays first and none
can beat; each tool's time is quoted as a multiple of it, since the machines are noisy:
- `yibao fmt` (format_source: parse, then print the canonical layout);
- the language server's check of a changed buffer (parse and check the whole extends
  chain, lints included: what runs on every keystroke);
- each on a text never seen before in the process (a new comment per run, as after a
  keystroke), so no cache answers;
- for each shipped policy, and for a generated policy of N rules (each with a label, a
  citation, an exception and a comment) that is far larger than any real one.
Then `yibao test` over the examples and the shipped suites, without and with coverage
(branches, MC/DC probes, region keys), in cases per second.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
import _checkout  # noqa: E402,F401  (this checkout is the yibao package from here on)

from yibao.interpreter.fmt import format_source  # noqa: E402
from yibao.interpreter.lsp.analysis import analyse  # noqa: E402
from yibao.interpreter.parser import parse_source  # noqa: E402
from yibao.interpreter.source import SourceFile  # noqa: E402


def median_ms(fn, runs: int) -> float:
    """Median wall time of fn(k) for k = 0..runs-1, in ms."""
    times = []
    for k in range(runs):
        start = time.perf_counter()
        fn(k)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def edited(text: str, k: int) -> str:
    """The text as after keystroke k: a new comment at the end, so that nothing cached
    for an earlier text (the loader keeps parses by content) can answer for it."""
    return text + f"\n# edit {k}\n"


def generated_policy(rules: int) -> str:
    parts = ['policy bench-large {\n  title "生成的大政策"\n  status template\n}\n\n'
             "input person {\n  id: text\n  age: int\n}\n"]
    for i in range(rules):
        before = f"r{i - 1}" if i else "age"
        parts.append(
            f"\n# 第 {i} 条\nrule r{i}: int {{\n  label \"规则 {i}\"\n  cite \"第{i}条\"\n"
            f"  = {before} + 1\n  exception big {{\n    when {before} > 100 and age < 60\n"
            f"    = {before}\n  }}\n}}\n")
    parts.append(f"\noutput result: int {{\n  = r{rules - 1}\n}}\n")
    return "".join(parts)


def tool_rows(files: list[tuple[str, str, str]], runs: int) -> list[str]:
    """One row per (name, path, text): lines, parse, fmt and the server's check."""
    rows = []
    for name, path, text in files:
        parse = median_ms(lambda k: parse_source(SourceFile.from_text(path, edited(text, k))),
                          runs)
        fmt = median_ms(lambda k: format_source(edited(text, k), path), runs)
        check = median_ms(lambda k: analyse(path, {path: edited(text, k)}), runs)
        rows.append(f"| {name} | {text.count(chr(10)):,} | {parse:.1f} | {fmt:.1f} | "
                    f"{fmt / parse:.1f}× | {check:.1f} | {check / parse:.1f}× |")
    return rows


def test_rows(runs: int) -> list[str]:
    from yibao.interpreter.testing import Runner, cases_in, files_with_cases

    cases = [case for path in files_with_cases([str(REPO / "examples"),
                                                str(REPO / "tests" / "suites")])
             for case in cases_in(path)]
    rows = []
    plain = None
    for coverage in (False, True):
        def run(_k=0):
            runner = Runner(coverage=coverage)
            outcomes = [runner.run(case) for case in cases]
            assert all(o.passed for o in outcomes)
        run()                                   # warm: policies parsed and cached once
        ms = median_ms(run, runs)
        plain = plain or ms
        rows.append(f"| {'with' if coverage else 'without'} coverage | {len(cases)} | "
                    f"{ms:.0f} | {len(cases) / ms * 1000:,.0f} | {ms / plain:.2f}× |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=2000,
                        help="rules in the generated policy (default 2000)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    files = [(p.stem, str(p), p.read_text(encoding="utf-8"))
             for p in sorted((REPO / "policies").glob("*.policy"))]
    with tempfile.TemporaryDirectory() as folder:
        large = Path(folder) / "bench-large.policy"
        text = generated_policy(args.rules)
        large.write_text(text, encoding="utf-8")
        files.append((f"generated, {args.rules:,} rules", str(large), text))
        print(f"# Authoring tools ({args.runs} runs each, median; × is times the parse)\n")
        print("| policy | lines | parse ms | fmt ms | fmt ×parse | server check ms | "
              "check ×parse |")
        print("|---|---|---|---|---|---|---|")
        for row in tool_rows(files, args.runs):
            print(row)
    print("\n# yibao test over examples/ and tests/suites/\n")
    print("| run | cases | ms | cases/s | ×without |")
    print("|---|---|---|---|---|")
    for row in test_rows(max(1, args.runs // 2)):
        print(row)


if __name__ == "__main__":
    main()
