"""Counting results, and the tables a campaign prints."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .engine import OUTCOMES, Result

FINDING_OUTCOMES = ("crash", "hang", "accepted")


@dataclass
class Finding:
    """One distinct signature: how often, where, and its smallest example."""
    signature: str
    outcome: str
    count: int = 0
    where: Counter = field(default_factory=Counter)     # "target/family" -> count
    example: Result | None = None                        # the smallest input seen

    def add(self, result: Result) -> None:
        self.count += 1
        self.where[f"{result.target}/{result.family}"] += 1
        if self.example is None or result.detail.get("size", 0) < self.example.detail.get("size", 0):
            self.example = result


@dataclass
class Summary:
    counts: dict = field(default_factory=lambda: defaultdict(Counter))   # (target, family) -> outcomes
    seconds: Counter = field(default_factory=Counter)                    # target -> seconds
    cli_seconds: Counter = field(default_factory=Counter)
    cli_runs: Counter = field(default_factory=Counter)
    findings: dict = field(default_factory=dict)                         # signature -> Finding
    slowest: list = field(default_factory=list)
    total: int = 0

    def add(self, result: Result) -> None:
        self.total += 1
        self.counts[(result.target, result.family)][result.outcome] += 1
        self.seconds[result.target] += result.seconds
        if result.cli_seconds:
            self.cli_seconds[result.target] += result.cli_seconds
            self.cli_runs[result.target] += 1
        if result.outcome in FINDING_OUTCOMES and result.signature:
            finding = self.findings.setdefault(result.signature,
                                               Finding(result.signature, result.outcome))
            finding.add(result)
        if result.outcome == "slow":
            self.slowest.append(result)
            self.slowest.sort(key=lambda r: -r.seconds)
            del self.slowest[10:]

    def outcome_total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())

    def ordered_findings(self) -> list[Finding]:
        rank = {o: i for i, o in enumerate(FINDING_OUTCOMES)}
        return sorted(self.findings.values(), key=lambda f: (rank[f.outcome], -f.count, f.signature))


def summarise(results) -> Summary:
    summary = Summary()
    for result in results:
        summary.add(result)
    return summary


def _table(headers, rows, right_from: int = 1) -> list[str]:
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    def line(row):
        return "  ".join(str(c).rjust(w) if i >= right_from else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(row, widths))).rstrip()
    return [line(headers), "  ".join("-" * w for w in widths), *[line(r) for r in rows]]


def counts_table(summary: Summary) -> str:
    headers = ("target", "family", "inputs", *OUTCOMES)
    rows = []
    for target in sorted({t for t, _ in summary.counts}):
        families = sorted(f for t, f in summary.counts if t == target)
        for family in families:
            c = summary.counts[(target, family)]
            rows.append((target, family, sum(c.values()), *(c[o] for o in OUTCOMES)))
        total = Counter()
        for family in families:
            total.update(summary.counts[(target, family)])
        rows.append((target, "(all)", sum(total.values()), *(total[o] for o in OUTCOMES)))
    grand = Counter()
    for c in summary.counts.values():
        grand.update(c)
    rows.append(("all", "", sum(grand.values()), *(grand[o] for o in OUTCOMES)))
    return "\n".join(_table(headers, rows, right_from=2))


def speed_table(summary: Summary, wall: float, workers: int) -> str:
    headers = ("target", "inputs", "seconds in inputs", "inputs/s per worker",
               "CLI runs", "CLI s/input")
    rows = []
    for target in sorted(summary.seconds):
        n = sum(sum(c.values()) for (t, _), c in summary.counts.items() if t == target)
        seconds = summary.seconds[target]
        cli_n = summary.cli_runs[target]
        rows.append((target, n, f"{seconds:.1f}", f"{n / seconds:.1f}" if seconds else "-",
                     cli_n, f"{summary.cli_seconds[target] / cli_n:.3f}" if cli_n else "-"))
    rate = summary.total / wall if wall else 0
    return "\n".join(_table(headers, rows)) + \
        f"\n{summary.total} inputs in {wall:.1f} s wall with {workers} worker(s): {rate:.1f} inputs/s"


def findings_table(summary: Summary, saved: dict | None = None) -> str:
    if not summary.findings:
        return "no crashes, hangs or silently accepted inputs"
    lines = []
    for number, finding in enumerate(summary.ordered_findings(), 1):
        where = ", ".join(f"{w} x{n}" for w, n in finding.where.most_common(3))
        example = finding.example
        lines.append(f"{number:>3}. [{finding.outcome}] x{finding.count}  {finding.signature}")
        lines.append(f"     seen in: {where}")
        lines.append(f"     smallest: input {example.index} ({example.detail.get('size', '?')} bytes): "
                     f"{example.detail.get('note', '')[:150]}")
        message = example.detail.get("message")
        if message:
            lines.append(f"     error: {message[:200]}")
        if saved and finding.signature in saved:
            info = saved[finding.signature]
            lines.append(f"     saved: {info['folder']}")
            lines.append(f"     run:   {info['command']}")
            if info.get("verified"):
                lines.append(f"     CLI:   {info['verified']}")
    return "\n".join(lines)


def slow_table(summary: Summary, seed: int) -> str:
    if not summary.slowest:
        return "no slow inputs"
    return "\n".join(f"  {r.seconds:6.2f} s  input {r.index} ({r.target}/{r.family}): "
                     f"{r.detail.get('note', '')[:110]}  [--seed {seed} --replay {r.index}]"
                     for r in summary.slowest)
