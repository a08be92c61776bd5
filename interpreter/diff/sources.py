"""A policy as it is in the working tree, or as it was at a git revision (`REV:PATH`).

At a revision, every `.policy` file of the policy's folder is read from git (`git show
REV:folder/x.policy`) and given to the loader in place of the files on disk, so the whole
`extends` chain comes from that revision.  Git is run without a shell, with the revision
and paths as separate arguments; nothing from the user is ever executed.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

from ..diagnostics import Diagnostic, DiagnosticError

_REVISION = re.compile(r"^(?P<rev>[^:\s][^:]*):(?P<path>.+\.policy)$")


def split_source(text: str) -> tuple[str | None, str]:
    """`REV:PATH` -> (REV, PATH); a plain path (or a Windows drive path) -> (None, PATH)."""
    found = _REVISION.match(text)
    if found is None or Path(text).exists() or re.match(r"^[A-Za-z]:[\\/]", text):
        return None, text
    return found.group("rev"), found.group("path")


def git(*args: str, cwd: Path | None = None) -> str:
    """Run git; raise DiagnosticError C620 with git's own message when it fails."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              timeout=60, check=False)
    except FileNotFoundError:
        raise DiagnosticError([Diagnostic.error("C620", None, command="git " + " ".join(args),
                                                reason="git is not installed")]) from None
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()
        raise DiagnosticError([Diagnostic.error("C620", None, command="git " + " ".join(args),
                                                reason=reason[-1] if reason else "failed")])
    return done.stdout


def load_at(api, rev: str | None, path: str):
    """The checked policy at PATH in the working tree, or at revision REV."""
    if rev is None:
        return api.load_policy(path)
    target = Path(path)
    top = Path(git("rev-parse", "--show-toplevel", cwd=target.parent.resolve()
                   if target.parent.exists() else None).strip())
    folder = (target.parent.resolve() if target.parent.exists() else top / target.parent)
    relative = folder.relative_to(top).as_posix()
    listing = git("ls-tree", "--name-only", f"{rev}:{relative}" if relative != "." else
                  f"{rev}:", cwd=top)
    buffers = {}
    for name in listing.splitlines():
        if name.endswith(".policy"):
            spec = f"{rev}:{relative}/{name}" if relative != "." else f"{rev}:{name}"
            buffers[str(folder / name)] = git("show", spec, cwd=top)
    if str(folder / target.name) not in buffers:
        raise DiagnosticError([Diagnostic.error("C621", None, rev=rev, path=path)])
    return api.load_policy(folder / target.name, buffers=buffers)


def changed_policies(rev: str, paths: list[str]) -> list[str]:
    """The .policy files that differ between REV and the working tree (under `paths`)."""
    out = git("diff", "--name-only", rev, "--", *(paths or ["."]))
    top = Path(git("rev-parse", "--show-toplevel").strip())
    return [str(top / line) for line in out.splitlines() if line.endswith(".policy")]
