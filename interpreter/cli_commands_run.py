"""The bodies of `yibao run` and `yibao generate`, called by their definitions in
cli_registry.py inside cli.py's error handling, with the cli module as `cli`.

The summary goes to stderr (the results are in the output file): rows read = written +
rejected, the outputs without a value by error code, the outputs not applicable, and each
population measure against its target.  A progress bar is drawn only on a terminal.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from .batch.formats import format_of


def run(cli, lang: str, policy_path: str, input_path: str, on: str, regions_path,
        output: str, outputs: str | None, kind: str | None, batch_size: int,
        engine: str = "auto", sets: tuple[str, ...] = (), master: str = "local[2]") -> int:
    from .batch.runner import run as run_population
    from .diagnostics import Diagnostic, DiagnosticError

    as_of = cli.parse_date(on, "--on", lang)
    regions_file = cli.one_regions_file(regions_path)
    cli.require_files(lang, ("policy_file", policy_path), ("record_file", input_path),
                      ("region_file", regions_file))
    source, target = Path(input_path), Path(output)
    format_of(source, "INPUT")
    format_of(target, "-o")
    if target.exists() and target.resolve() == source.resolve():
        raise DiagnosticError([Diagnostic.error("C625", None, path=str(target))])
    api = cli._api()
    policy = api.load_policy(policy_path)
    sources = getattr(policy, "sources", {}) or {}
    cli._emit(list(getattr(policy, "warnings", []) or []), lang, sources)
    regions = api.load_regions(regions_file, policy) if regions_file else None
    kind = check_kind(policy, kind)
    names = _outputs(cli, policy, outputs, kind)
    overrides = _overrides(sets)
    from .columnar.vals import CannotCompile

    started = time.perf_counter()
    if engine == "spark":
        summary = _on_spark(policy, policy_path, source, target, as_of, regions_file, names,
                            kind, batch_size, master, overrides)
        _summary(cli, lang, policy, summary, target, time.perf_counter() - started)
        return cli.EXIT_OK
    try:
        with _progress(source) as progress:
            summary = run_population(policy, source, target, as_of, regions, names, kind,
                                     batch_size, progress, engine, overrides)
    except CannotCompile as refusal:
        raise DiagnosticError([Diagnostic.error("C627", refusal.span, what=refusal.what)]) \
            from None
    seconds = time.perf_counter() - started
    if summary.refused is not None:
        cli._emit([cli._cli_warning("C626", what=summary.refused.what)]
                  if summary.refused.span is None else
                  [Diagnostic.warning("C626", summary.refused.span, what=summary.refused.what)],
                  lang, sources)
    _summary(cli, lang, policy, summary, target, seconds)
    return cli.EXIT_OK


def check_kind(policy, kind: str | None) -> str:
    """The record kind asked for, which the policy must read (E582) and answer about
    (E583)."""
    from .diagnostics import Diagnostic, DiagnosticError

    kind = kind or policy.default_kind
    if kind not in policy.input_types:
        raise DiagnosticError([Diagnostic.error("E582", None, kind=kind,
                                                kinds=", ".join(policy.input_types) or "-")])
    if not policy.outputs_for(kind):
        kinds = sorted({policy.rule_kind(name) for name in policy.outputs})
        raise DiagnosticError([Diagnostic.error("E583", None, policy=policy.policy_id,
                                                kind=kind, kinds=", ".join(kinds) or "-")])
    return kind


def _outputs(cli, policy, wanted: str | None, kind: str | None) -> list[str] | None:
    if not wanted:
        return None
    from .diagnostics import Diagnostic, DiagnosticError, close_names

    names = [n.strip() for n in wanted.split(",") if n.strip()]
    known = policy.outputs_for(kind or policy.default_kind)
    for name in names:
        if name not in known:
            close = close_names(name, known, n=1, cutoff=0.5)
            raise DiagnosticError([Diagnostic.error(
                "C603", None, hints=[cli._hint("C690", name=close[0])] if close else [],
                name=name, policy=policy.policy_id, outputs=", ".join(known))])
    return names


def _on_spark(policy, policy_path, source, target, as_of, regions_file, names, kind,
             batch_size, master, overrides):
    from .diagnostics import Diagnostic, DiagnosticError

    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise DiagnosticError([Diagnostic.error("C635", None)]) from None
    from .batch.spark_runner import run_on_spark

    kind = kind or policy.default_kind
    return run_on_spark(policy, Path(policy_path), source, target, as_of,
                        Path(regions_file) if regions_file else None,
                        names or policy.outputs_for(kind), kind, batch_size or 10_000, master,
                        overrides)


def _overrides(sets) -> dict:
    """--set FIELD=VALUE: a top-level field given to every row (read as a record file
    reads it; each row is then validated with it)."""
    from .diagnostics import Diagnostic, DiagnosticError
    from .sweep import parse

    found = {}
    for text in sets:
        variation = parse(text)
        if variation.year is not None or len(variation.values) != 1:
            raise DiagnosticError([Diagnostic.error("C633", None, text=text)])
        found[variation.field] = variation.values[0]
    return found


class _progress:
    """A rich progress bar on stderr when it is a terminal; otherwise nothing."""

    def __init__(self, source: Path):
        self.source, self.bar = source, None

    def __enter__(self):
        if not sys.stderr.isatty():
            return None
        try:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
        except ImportError:
            return None
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(),
                            TextColumn("{task.completed:,} rows"), TimeElapsedColumn(),
                            transient=True)
        self.bar.start()
        task = self.bar.add_task(self.source.name, total=None)
        return lambda done: self.bar.update(task, completed=done)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False


def _summary(cli, lang: str, policy, summary, target: Path, seconds: float) -> None:
    from .formatting import to_text

    w = lambda key, **args: cli._word(lang, key, **args)   # noqa: E731 - a short alias
    lines = [w("run_rows", read=summary.read, written=summary.written,
               rejected=summary.rejected),
             w("run_output", path=target)]
    if summary.rejected:
        lines.append(w("run_rejects", path=summary.rejects_path))
    if summary.errors:
        lines.append(w("run_errors", codes=", ".join(f"{code} {count}" for code, count in
                                                     sorted(summary.errors.items()))))
    if summary.not_applicable:
        lines.append(w("run_not_applicable", counts=", ".join(
            f"{name} {count}" for name, count in summary.not_applicable.items())))
    for name, measure in summary.measures.items():
        ty = policy.measures[name].ty
        value = to_text(measure.value, ty) if measure.value is not None else w("run_no_value")
        if measure.target_op is not None:
            verdict = w("run_met") if measure.met else w("run_not_met")
            lines.append(w("run_measure", name=name, value=value, op=measure.target_op,
                           target=to_text(measure.target, ty), verdict=verdict))
        else:
            lines.append(w("run_measure_plain", name=name, value=value))
        if measure.errors:
            lines.append(w("run_measure_errors", count=len(measure.errors), name=name,
                           first=measure.errors[0][0]))
    lines.append(w("run_engine", engine=summary.engine, interpreted=summary.interpreted))
    if getattr(summary, "path", "rows") == "columns":
        lines.append(w("run_columns", vouched=summary.vouched, read=summary.read))
    rate = summary.read / seconds if seconds > 0 else 0.0
    lines.append(w("run_rate", count=summary.read, seconds=seconds, rate=rate))
    cli._write_stderr("\n".join(lines) + "\n")


# ------------------------------------------------------------------ generate
def generate(cli, lang: str, policy_path: str, count: int, seed: int, output: str,
             on: str | None, regions_path, kind: str | None) -> int:
    import datetime as dt

    from .batch.formats import Writer, format_of as kind_of_file
    from .batch.generate import Generator

    as_of = cli.parse_date(on, "--on", lang) if on else dt.date.today()
    regions_file = cli.one_regions_file(regions_path)
    cli.require_files(lang, ("policy_file", policy_path), ("region_file", regions_file))
    target = Path(output)
    kind_of_file(target, "-o")
    api = cli._api()
    policy = api.load_policy(policy_path)
    regions = api.load_regions(regions_file, policy) if regions_file else None
    kind = kind or policy.default_kind
    if kind not in policy.input_types:
        check_kind(policy, kind)                    # E582, naming the kinds it reads
    generator = Generator(policy, as_of, seed, regions, kind)
    from .batch.formats import cannot_write

    try:
        _write_records(target, generator.records(count))
    except OSError as err:
        raise cannot_write(target, err) from None
    cli._write_stderr(cli._word(lang, "generate_done", count=count, policy=policy.policy_id,
                                path=target) + "\n")
    return cli.EXIT_OK


def _write_records(target: Path, records) -> None:
    """Records as JSON Lines (dates as ISO text, amounts as exact decimal text) or as
    Parquet (nested lists of structs, dates as dates, amounts as decimals)."""
    import datetime as dt
    import json
    from decimal import Decimal

    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return f"{value:.2f}"
        return value

    if format_of(target, "-o") == "parquet":
        from .batch.formats import need_pyarrow

        pq = need_pyarrow()
        import pyarrow as pa

        rows = [_for_arrow(r) for r in records]
        # every column any record has (from_pylist would take the first row's keys only)
        names = list(dict.fromkeys(key for row in rows for key in row))
        pq.write_table(pa.table({name: pa.array([row.get(name) for row in rows])
                                 for name in names}), target)
        return
    with open(target, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(plain(record), ensure_ascii=False) + "\n")


def _for_arrow(value):
    from decimal import Decimal

    if isinstance(value, dict):
        return {k: _for_arrow(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_for_arrow(v) for v in value]
    if isinstance(value, Decimal):
        return value.quantize(Decimal("0.01"))
    return value
