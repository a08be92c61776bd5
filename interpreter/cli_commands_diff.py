"""The body of `yibao diff`: load two policies (files, or `REV:PATH` from git), compare them
in structure and in outcomes, and write the report as text, Markdown or JSON.

Called by cli.py inside its error handling, with the cli module as `cli` (its API, words
and printing).  The comparison itself is data (interpreter/diff/); this module only words
it, through the catalog (`cli._word`).
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .diff import behaviour as bh
from .diff import structural as st
from .diff.search import WINDOW
from .diff.sources import changed_policies, load_at, split_source
from .formatting import to_text
from .types import MONEY


def run(cli, lang: str, sources: tuple[str, ...], on: str | None, regions_path, fmt: str,
        records: str | None, fail_on_change: bool, use_git: bool, budget: int,
        population: str | None = None) -> int:
    as_of = cli.parse_date(on, "--on", lang) if on else dt.date.today()
    regions_file = cli.one_regions_file(regions_path)
    cli.require_files(lang, ("region_file", regions_file), ("record_file", population))
    if records and not Path(records).exists():
        cli.require_files(lang, ("path", records))
    pairs = _pairs(sources, use_git)
    api = cli._api()
    reports = []
    for old_source, new_source in pairs:
        old = load_at(api, *split_source(old_source))
        new = load_at(api, *split_source(new_source))
        regions = api.load_regions(regions_file, new) if regions_file else None
        changes = st.compare(old, new)
        behaviour = bh.compare(old, new, as_of, regions, budget)
        sample = bh.sample_impact(old, new, records, as_of, regions) if records else None
        if population:
            from .diff.population import population_impact

            sample = population_impact(old, new, population, as_of, regions)
        reports.append(_report(old_source, new_source, as_of, changes, behaviour, sample))
    if fmt == "json":
        cli._print(json.dumps(reports[0] if len(reports) == 1 else reports,
                              ensure_ascii=False, indent=2))
    else:
        render = _markdown if fmt == "markdown" else _text
        cli._print("\n\n".join(render(cli, lang, r) for r in reports))
    changed = any(r["changed"] for r in reports)
    return cli.EXIT_FAILURES if (fail_on_change and changed) else cli.EXIT_OK


def _pairs(sources: tuple[str, ...], use_git: bool) -> list[tuple[str, str]]:
    from .diagnostics import Diagnostic, DiagnosticError

    if use_git:
        rev = sources[0] if sources and not sources[0].endswith(".policy") else "HEAD"
        paths = list(sources[1:] if sources and sources[0] == rev else sources)
        changed = changed_policies(rev, paths)
        return [(f"{rev}:{_relative(p)}", p) for p in changed if Path(p).exists()]
    if len(sources) != 2:
        raise DiagnosticError([Diagnostic.error("C619", None)])
    return [(sources[0], sources[1])]


def _relative(path: str) -> str:
    from .diff.sources import git

    top = Path(git("rev-parse", "--show-toplevel").strip())
    return Path(path).resolve().relative_to(top).as_posix()


# ------------------------------------------------------------------ the report as data
def _report(old: str, new: str, on: dt.date, changes, behaviour, sample) -> dict:
    outputs = {}
    for name, found in behaviour.outputs.items():
        traits = behaviour.traits.get(name)
        outputs[name] = {
            "searched": found.searched, "affected": found.affected,
            "witnesses": [_witness(w) for w in bh.smallest_first(found.witnesses)],
            "traits": {"values": [[k, [_plain(v) for v in vs]] for k, vs in traits.values],
                       "entries": [list(e) for e in traits.entries]} if traits else None,
        }
    changed = any(c.meaning for c in changes) or any(o["affected"] for o in outputs.values()) \
        or bool(behaviour.only_old or behaviour.only_new)
    report = {
        "old": old, "new": new, "on": on.isoformat(), "changed": changed,
        "structural": [_change(c) for c in changes],
        "behaviour": {
            "bounds": {"years": [on.year - WINDOW, on.year], "searched": behaviour.searched,
                       "refused": behaviour.refused},
            "outputs": outputs, "only_old": behaviour.only_old, "only_new": behaviour.only_new,
        },
    }
    if sample is not None:
        report["sample"] = {
            "path": sample.path, "read": sample.read, "rejected": sample.rejected,
            "outputs": {name: {"changed": s.changed,
                               **({"sum": _money(sum(s.money)), "min": _money(min(s.money)),
                                   "max": _money(max(s.money))} if s.money else {})}
                        for name, s in sample.outputs.items()},
        }
    return report


def _change(c: st.Change) -> dict:
    return {"kind": c.kind, "name": c.name, "change": c.change, "meaning": c.meaning,
            "old": c.old, "new": c.new, "old_set_in": c.old_set_in, "new_set_in": c.new_set_in,
            "cases": c.cases, "words": list(c.words)}


def _witness(w: bh.Witness) -> dict:
    return {"old": {"outcome": w.old.kind, "shown": w.old.shown},
            "new": {"outcome": w.new.kind, "shown": w.new.shown},
            "change": w.delta, "record": w.text, "explanation": w.lines,
            "cases": {"old": w.cases[0], "new": w.cases[1]}}


def _plain(value):
    return value.isoformat() if isinstance(value, (dt.date,)) else \
        value if isinstance(value, (str, int, bool)) or value is None else str(value)


def _money(value) -> str:
    return to_text(value, MONEY)


# ------------------------------------------------------------------ text
def _text(cli, lang: str, report: dict) -> str:
    w = lambda key, **args: cli._word(lang, key, **args)   # noqa: E731 - a short alias
    lines = [w("diff_title", old=report["old"], new=report["new"], on=report["on"])]
    meaning = [c for c in report["structural"] if c["meaning"]]
    words = [c["name"] for c in report["structural"] if not c["meaning"]]
    groups = (("diff_parameters", ("parameter",)),
              ("diff_rules", ("rule", "output", "table")),
              ("diff_other", ("measure", "enum", "input")))
    for title, kinds in groups:
        items = [c for c in meaning if c["kind"] in kinds]
        if items:
            lines += ["", w(title)] + [_change_line(w, c) for c in items]
    if not meaning:
        lines += ["", w("diff_no_structural")]
    if words:
        unique = list(dict.fromkeys(words))
        lines += ["", w("diff_words", count=len(unique), names=", ".join(unique))]
    lines += ["", *_outcome_lines(w, report)]
    if "sample" in report:
        lines += ["", *_sample_lines(w, report["sample"])]
    return "\n".join(lines)


def _change_line(w, c: dict) -> str:
    mark = {"added": "+", "removed": "-"}.get(c["change"], "~")
    label = w({"added": "diff_added", "removed": "diff_removed", "logic": "diff_logic",
               "type": "diff_type", "values": "diff_values"}[c["change"]])
    where = c["new_set_in"] if c["old_set_in"] in (None, c["new_set_in"]) else \
        f"{c['old_set_in'] or '-'} → {c['new_set_in'] or '-'}"
    text = f"  {mark} {c['kind']} {c['name']}: {label}"
    if c["change"] == "values":
        text += f": {_shown(c['old'])} → {_shown(c['new'])}"
    elif c["change"] in ("added", "removed", "type") and (c["old"] or c["new"]):
        text += f": {_shown(c['new'] if c['change'] == 'added' else c['old'])}" \
            if c["change"] != "type" else f": {c['old']} → {c['new']}"
    if c["cases"]:
        text += "; " + w("diff_cases", cases=", ".join(f"{k} ({v})" for k, v in
                                                        c["cases"].items()))
    return text + f"  [{w('diff_set_in', where=where)}]"


def _shown(value) -> str:
    if isinstance(value, list) and value and isinstance(value[0], (list, tuple)):
        return ", ".join(f"{v} (from {d})" if d else v for d, v in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


OUTCOME_WORDS = {"value": "diff_kind_value", "not_applicable": "diff_kind_not_applicable",
                 "error": "diff_kind_error"}


def _outcome_lines(w, report: dict) -> list[str]:
    b = report["behaviour"]
    first, last = b["bounds"]["years"]
    lines = [w("diff_outcomes", searched=b["bounds"]["searched"],
               bounds=w("diff_bounds", first=first, last=last))]
    for name in b["only_old"]:
        lines.append("  " + w("diff_only", output=name, policy=report["old"]))
    for name in b["only_new"]:
        lines.append("  " + w("diff_only", output=name, policy=report["new"]))
    for name, found in b["outputs"].items():
        if not found["affected"]:
            lines.append("  " + w("diff_unchanged", output=name, searched=found["searched"]))
            continue
        lines.append("  " + w("diff_affected", output=name, affected=found["affected"],
                              searched=found["searched"]))
        shared = _traits(w, found["traits"]) if found["traits"] else ""
        if shared:
            lines.append("    " + w("diff_traits", traits=shared))
        for witness in found["witnesses"]:
            lines.append("    " + w("diff_witness",
                                    old_kind=w(OUTCOME_WORDS[witness["old"]["outcome"]]),
                                    new_kind=w(OUTCOME_WORDS[witness["new"]["outcome"]]),
                                    old=witness["old"]["shown"], new=witness["new"]["shown"]))
            if witness["change"]:
                lines.append("      " + w("diff_change", delta=witness["change"]))
            cases = witness["cases"]
            if cases["old"] != cases["new"]:
                lines.append("      " + w("diff_case_path", old=cases["old"] or "-",
                                          new=cases["new"] or "-"))
            lines += ["      " + line for line in witness["record"].splitlines()]
            if witness["explanation"]:
                lines.append("      " + w("diff_explanation"))
                lines += ["        " + line for line in witness["explanation"]]
    return lines


def _traits(w, traits: dict) -> str:
    parts = [f"{k} ∈ {{{', '.join(str(v) for v in vs)}}}" for k, vs in traits["values"]]
    parts += [w("diff_at_least", count=n, field=k) for k, n in traits["entries"]]
    return "; ".join(parts)


def _sample_lines(w, sample: dict) -> list[str]:
    lines = [w("diff_sample", path=sample["path"], read=sample["read"],
               rejected=sample["rejected"])]
    for name, s in sample["outputs"].items():
        money = w("diff_money", sum=s["sum"], min=s["min"], max=s["max"]) if "sum" in s else ""
        lines.append("  " + w("diff_sample_row", output=name, changed=s["changed"],
                              money=money))
    return lines


# ------------------------------------------------------------------ markdown
def _markdown(cli, lang: str, report: dict) -> str:
    w = lambda key, **args: cli._word(lang, key, **args)   # noqa: E731 - a short alias
    lines = [f"### {w('diff_title', old=report['old'], new=report['new'], on=report['on'])}",
             ""]
    rows = [(name, found) for name, found in report["behaviour"]["outputs"].items()
            if found["affected"]]
    if rows:
        lines += [w("diff_summary_head"), "|---|---|---|---|"]
        for name, found in rows:
            kinds = ", ".join(f"{x['old']['outcome']} → {x['new']['outcome']}"
                              for x in found["witnesses"])
            example = found["witnesses"][0]
            shown = example["change"] or f"{example['old']['shown']} → {example['new']['shown']}"
            lines.append(f"| `{name}` | {kinds} | {found['affected']} ({found['searched']}) "
                         f"| {shown} |")
    elif not report["changed"]:
        lines.append(w("diff_nothing"))
    lines += ["", f"<details><summary>{w('diff_details')}</summary>", "", "```",
              _text(cli, lang, report),
              "```", "", "</details>"]
    return "\n".join(lines)
