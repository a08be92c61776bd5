"""The body of `yibao sweep` (its definition is in cli_registry.py): one record over every
combination of varied fields, as a table, CSV, JSON, or a PNG plot of numeric outputs."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path


def run(cli, lang: str, policy_path: str, record_path: str, on: str, regions_path,
        varies: tuple[str, ...], fmt: str, outputs: str | None, plot: str | None) -> int:
    from .datafile import read_data_file
    from .diagnostics import Diagnostic, DiagnosticError
    from .evaluator import evaluate_outputs
    from .formatting import to_json, to_text
    from .records import record_from_data
    from .sweep import apply, combinations, parse

    as_of = cli.parse_date(on, "--on", lang)
    regions_file = cli.one_regions_file(regions_path)
    cli.require_files(lang, ("policy_file", policy_path), ("record_file", record_path),
                      ("region_file", regions_file))
    if not varies:
        raise DiagnosticError([Diagnostic.error("C628", None, text="(no --vary)")])
    variations = [parse(v) for v in varies]
    api = cli._api()
    policy = api.load_policy(policy_path)
    regions = api.load_regions(regions_file, policy) if regions_file else None
    found = read_data_file(Path(record_path), "record")
    if found.problems:
        raise DiagnosticError(list(found.problems))
    data = {k: v for k, v in found.data.items() if k != "expect"}
    kind = data.get("kind") or policy.default_kind
    names = [n.strip() for n in outputs.split(",")] if outputs else policy.outputs_for(kind)
    for name in names:
        if name not in policy.outputs_for(kind):
            raise DiagnosticError([Diagnostic.error(
                "C603", None, name=name, policy=policy.policy_id,
                outputs=", ".join(policy.outputs_for(kind)))])
    header = [v.label for v in variations] + names
    rows, raw_rows = [], []
    for values in combinations(variations):
        changed = apply(data, variations, values, record_path)
        record, _ = record_from_data(policy, changed, record_path)     # refuses, located
        result = evaluate_outputs(policy, record, as_of, regions, names)
        shown, raw = [_plain(v) for v in values], list(values)
        for name in names:
            if name in result.not_applicable:
                shown.append("—")
                raw.append(None)
            elif name in result.values:
                ty = policy.output_type(name)
                shown.append(to_text(result.values[name], ty))
                raw.append(to_json(result.values[name], ty))
            else:
                shown.append(cli._word(lang, "error_cell", code=result.errors[name].code))
                raw.append(None)
        rows.append(shown)
        raw_rows.append(raw)
    if plot:
        _plot(Path(plot), variations, names, raw_rows, policy)
    if fmt == "json":
        cli._print(json.dumps([dict(zip(header, [_json(v) for v in raw]))
                               for raw in raw_rows], ensure_ascii=False, indent=2))
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        cli._print(out.getvalue().rstrip("\n"))
    else:
        cli._print(cli.render_table([tuple(r) for r in rows], lang, header=tuple(header)))
    return cli.EXIT_OK


def _plain(value) -> str:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _json(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _plot(path: Path, variations, names, raw_rows, policy) -> None:
    """Numeric outputs against the first varied field, one line per value of the second."""
    from .diagnostics import Diagnostic, DiagnosticError
    from .types import DECIMAL, INT, MONEY

    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise DiagnosticError([Diagnostic.error("C631", None)]) from None
    numeric = [n for n in names if policy.output_type(n) in (INT, MONEY, DECIMAL)]
    if not numeric:
        raise DiagnosticError([Diagnostic.error("C632", None)])
    k = len(variations)
    figure, axes = plt.subplots(len(numeric), 1, figsize=(7, 2.6 * len(numeric)),
                                squeeze=False)
    for axis, name in zip(axes[:, 0], numeric):
        column = k + names.index(name)
        groups: dict = {}
        for raw in raw_rows:
            key = _plain(raw[1]) if k > 1 else ""
            groups.setdefault(key, []).append((raw[0], raw[column]))
        for key, points in groups.items():
            xs = [_x(p[0]) for p in points if p[1] is not None]
            ys = [float(p[1]) for p in points if p[1] is not None]
            axis.plot(xs, ys, marker="o", label=f"{variations[1].label}={key}" if k > 1 else None)
        axis.set_ylabel(name)
        axis.set_xlabel(variations[0].label)
        if k > 1:
            axis.legend(fontsize="small")
    figure.tight_layout()
    try:
        figure.savefig(path, dpi=110)
    except OSError as err:
        from .batch.formats import cannot_write
        raise cannot_write(path, err) from None
    finally:
        plt.close(figure)


def _x(value):
    return value.toordinal() if hasattr(value, "toordinal") else value
