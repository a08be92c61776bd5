"""The `yibao` command lines for an input: to run it through the real CLI (click's
CliRunner, in process) and to replay a saved failure from the shell."""
from __future__ import annotations

import shutil
from pathlib import Path

from .case import Case
from .corpus import REPO
from .runner import write_case

SHIPPED_REGIONS = "shipped-regions.yaml"


def materialise(case: Case, folder: Path, corpus) -> dict:
    """Write the case into `folder` with copies of the shipped files it uses, so the folder
    alone reproduces it.  Returns the paths: policy, records (list), regions (or None)."""
    write_case(case, folder)
    if case.policy_file is None:
        for pid in corpus.chain(case.policy_id):
            shutil.copyfile(REPO / "policies" / f"{pid}.policy", folder / f"{pid}.policy")
    records = []
    for ref in case.records:
        if ref.in_case:
            records.append(folder / ref.name)
        else:
            shutil.copyfile(ref.name, folder / Path(ref.name).name)
            records.append(folder / Path(ref.name).name)
    regions = None
    if case.regions is not None:
        where, name = case.regions
        if where == "case":
            regions = folder / name
        else:
            shutil.copyfile(REPO / name, folder / SHIPPED_REGIONS)
            regions = folder / SHIPPED_REGIONS
    return {"policy": folder / f"{case.policy_id}.policy", "records": records, "regions": regions}


def command_for(paths: dict, case: Case, detail: dict) -> list[str]:
    """The command that fails the way the library path failed, from how far it got."""
    lang = ["--lang", "zh"] if detail.get("lang") == "zh" else []
    stage = detail.get("stage")
    policy = str(paths["policy"])
    if stage in ("start", "check") or not paths["records"]:
        return ["yibao", *lang, "check", policy]
    record = detail.get("record")
    record_path = next((str(p) for p in paths["records"]
                        if record and Path(record).name == p.name), str(paths["records"][0]))
    date = detail.get("date") or _first_date(case, record_path)
    regions = ["--regions", str(paths["regions"])] if paths["regions"] else []
    if stage == "explain" and detail.get("output"):
        fmt = ["--format", "json"] if detail.get("fmt") == "json" else []
        return ["yibao", *lang, "explain", policy, record_path, detail["output"], "--on", date,
                *regions, *fmt]
    fmt = ["--format", "json"] if detail.get("fmt") == "json" else []
    return ["yibao", *lang, "eval", policy, record_path, "--on", date, *regions, *fmt]


def _first_date(case: Case, record_path: str) -> str:
    for ref in case.records:
        if Path(ref.name).name == Path(record_path).name and ref.dates:
            return ref.dates[0].isoformat()
    return case.records[0].dates[0].isoformat() if case.records else "2027-06-01"


def cli_commands(rng, case: Case, paths: dict, outputs: list[str]) -> list[list[str]]:
    """What a person would run on this input: check a policy; eval and explain a record."""
    commands = []
    lang = ["--lang", "zh"] if rng.random() < 0.5 else []
    if case.policy_file is not None:
        commands.append([*lang, "check", str(paths["policy"])])
    if paths["records"]:
        ref = case.records[0]
        record = str(paths["records"][0])
        date = rng.choice(ref.dates).isoformat()
        regions = ["--regions", str(paths["regions"])] if paths["regions"] else []
        fmt = rng.choice(("table", "json"))
        commands.append([*lang, "eval", str(paths["policy"]), record, "--on", date, *regions,
                         "--format", fmt])
        if outputs:
            commands.append([*lang, "explain", str(paths["policy"]), record, rng.choice(outputs),
                             "--on", date, *regions, "--format", rng.choice(("text", "json"))])
    return commands


def run_cli(argv: list[str]):
    """(exit code, stderr, exception or None) of `yibao ARGV` run by click's CliRunner."""
    from click.testing import CliRunner

    from yibao import cli

    result = CliRunner().invoke(cli.main, argv, catch_exceptions=True)
    error = result.exception if not isinstance(result.exception, SystemExit) else None
    return result.exit_code, result.stderr, error
