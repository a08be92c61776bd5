"""Saving one example of each finding as files the real CLI reproduces it with.

    DIR/01-recursionerror-records-py-_walk-node/
        finding.txt        signature, counts, the input's seed and number, the traceback
        command.txt        the `yibao` command that shows the failure (run from the cwd)
        <files>            the policy chain, the record, the region file it needs
        original/          the unshrunk input, when --minimize made it smaller
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from .commands import command_for, materialise
from .corpus import REPO
from .generate import make_case

FINDING_FILE = "finding.txt"
COMMAND_FILE = "command.txt"


def _slug(signature: str) -> str:
    words = re.sub(r"[^A-Za-z0-9]+", "-", signature.lower()).strip("-")
    return words[:60].rstrip("-") or "finding"


def yibao_executable() -> list[str]:
    """The CLI of the checkout being fuzzed: `python cli.py` puts cli.py's folder first on
    sys.path, so it imports that checkout's interpreter even beside another installation."""
    if (REPO / "cli.py").exists():
        return [sys.executable, str(REPO / "cli.py")]
    return [shutil.which("yibao") or "yibao"]


def verify(argv: list[str], timeout: float) -> str:
    """Run the saved command in a fresh process: its exit code, and whether it printed a
    traceback, or that it ran out of time."""
    start = time.monotonic()
    try:
        done = subprocess.run(yibao_executable() + argv[1:], capture_output=True, text=True,
                              timeout=timeout, errors="replace")
    except subprocess.TimeoutExpired:
        return f"still running after {timeout:.0f} s (killed)"
    took = time.monotonic() - start
    traceback = " with a traceback" if "Traceback (most recent call last)" in done.stderr else ""
    last = (done.stderr.strip().splitlines() or [""])[-1][:160]
    return f"exit {done.returncode}{traceback} after {took:.1f} s: {last}"


def save_findings(summary, corpus, config, directory: Path, *, check_cli: bool = False,
                  shrink: bool = False, ready=None, shrink_seconds: float = 20.0) -> dict:
    """Write each finding's smallest example under `directory`; signature -> info.
    With `shrink`, each example is first minimized for up to `shrink_seconds`."""
    directory.mkdir(parents=True, exist_ok=True)
    saved = {}
    for number, finding in enumerate(summary.ordered_findings(), 1):
        example = finding.example
        case = make_case(corpus, config.seed, example.index, config.targets)
        detail = example.detail
        folder = directory / f"{number:02d}-{_slug(finding.signature)}"
        if folder.exists():
            shutil.rmtree(folder)
        original_size = case.size
        if shrink and finding.outcome != "accepted" and ready is not None:
            shrunk = _shrink_in_child(case, example.index, finding.signature, ready, corpus,
                                      config.timeout, shrink_seconds)
            if shrunk is not None and sum(map(len, shrunk[0].values())) < original_size:
                materialise(case, folder / "original", corpus)
                case, detail = replace(case, files=shrunk[0]), shrunk[1]
        paths = materialise(case, folder, corpus)
        argv = command_for(paths, case, detail) if detail.get("stage") != "cli" else \
            ["yibao", *detail.get("argv", [])]
        if detail.get("stage") == "cli":
            argv = [_moved(a, paths) for a in argv]
        command = shlex.join(argv)
        (folder / COMMAND_FILE).write_text(command + "\n", encoding="utf-8")
        info = {"folder": str(folder), "command": command}
        if check_cli:
            info["verified"] = verify(argv, max(10.0, config.timeout * 5))
        lines = [f"signature: {finding.signature}", f"outcome:   {finding.outcome}",
                 f"count:     {finding.count} ({', '.join(f'{w} x{n}' for w, n in finding.where.most_common())})",
                 f"input:     --seed {config.seed} --replay {example.index} "
                 f"({original_size} bytes; saved {case.size})",
                 f"mutation:  {example.detail.get('note', '')}",
                 f"stage:     {detail.get('stage')} lang={detail.get('lang')} fmt={detail.get('fmt')} "
                 f"output={detail.get('output')} date={detail.get('date')}",
                 f"command:   {command}"]
        if info.get("verified"):
            lines.append(f"CLI:       {info['verified']}")
        if detail.get("traceback"):
            lines += ["", detail["traceback"]]
        (folder / FINDING_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
        saved[finding.signature] = info
    return saved


def _shrink_in_child(case, index, signature, ready, corpus, timeout, budget):
    """Minimize in a forked process, killed if it overstays: an input stuck in C code
    cannot be interrupted by the alarm, and must not stop the campaign's own process.
    Returns (files, detail) of the smaller input, or None."""
    import multiprocessing

    from .engine import _limit_memory
    from .minimize import minimize

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child():
        _limit_memory()
        scratch = Path(tempfile.mkdtemp(prefix="yibao-shrink-"))
        try:
            smaller, result = minimize(case, index, signature, ready, corpus, scratch, timeout,
                                       budget_seconds=budget)
            send.send((smaller.files, result.detail) if result is not None else None)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
            os._exit(0)

    process = context.Process(target=child, daemon=True)
    process.start()
    send.close()
    shrunk = None
    if receive.poll(budget + timeout * 3 + 10):
        try:
            shrunk = receive.recv()
        except EOFError:    # the child ended without an answer
            pass
    process.kill()
    process.join()
    return shrunk


def _moved(arg: str, paths: dict) -> str:
    """A path of the worker's scratch folder, as the saved folder's copy."""
    name = Path(arg).name
    for path in [paths["policy"], *paths["records"], paths["regions"]]:
        if path is not None and path.name == name and ("/" in arg):
            return str(path)
    return arg
