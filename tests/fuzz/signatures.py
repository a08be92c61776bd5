"""Crash signatures: the exception type and the innermost frame of yibao's own code.

Two crashes with the same signature are taken to be one bug.  A frame is yibao's when its
file is in the interpreter package or is cli.py, wherever they are installed.  For a
RecursionError the innermost frame is wherever the stack happened to run out, so the
signature names the recursive function instead: the first (by file and line) of yibao's
frames that occur more than once on the stack.
"""
from __future__ import annotations

import re
from pathlib import Path

def _project_roots() -> tuple[str, ...]:
    roots = []
    try:
        from yibao import interpreter
        roots.append(str(Path(interpreter.__file__).resolve().parent) + "/")
    except ImportError:
        pass
    try:
        from yibao import cli
        roots.append(str(Path(cli.__file__).resolve()))
    except ImportError:
        pass
    return tuple(roots)


_ROOTS: tuple[str, ...] | None = None


def project_name(filename: str) -> str | None:
    """`interpreter/records.py` or `cli.py` for yibao's own files, else None."""
    global _ROOTS
    if _ROOTS is None:
        _ROOTS = _project_roots()
    try:
        resolved = str(Path(filename).resolve())
    except (OSError, ValueError):
        return None
    for root in _ROOTS:
        if root.endswith("/") and resolved.startswith(root):
            return "interpreter/" + resolved[len(root):]
        if resolved == root:
            return "cli.py"
    return None


def frame_signature(frames) -> str:
    """`file:line function` of the telling project frame; frames are (file, line, name),
    outermost first."""
    ours = [(name, line, func) for file, line, func in frames
            if (name := project_name(file)) is not None]
    if not ours:
        if not frames:
            return "(no frame)"
        file, line, func = frames[-1]   # not in yibao: the innermost frame, shortened
        short = "/".join(Path(file).parts[-2:])
        return f"{short}:{line} {func} (no yibao frame)"
    file, line, func = ours[-1]
    return f"{file}:{line} {func}"


def recursion_signature(frames) -> str | None:
    ours = [(name, int(line), func) for file, line, func in frames
            if (name := project_name(file)) is not None]
    counts: dict = {}
    for frame in ours:
        counts[frame] = counts.get(frame, 0) + 1
    repeated = sorted(f for f, n in counts.items() if n > 1)
    if not repeated:
        return None
    file, line, func = repeated[0]
    return f"{file}:{line} {func} (recursing)"


def traceback_frames(tb) -> list:
    """(file, line, function) of each traceback entry, outermost first; no source lines
    are read, so a RecursionError's 20000 entries take milliseconds."""
    frames = []
    while tb is not None:
        code = tb.tb_frame.f_code
        frames.append((code.co_filename, tb.tb_lineno, code.co_name))
        tb = tb.tb_next
    return frames


def exception_signature(error: BaseException) -> str:
    frames = traceback_frames(error.__traceback__)
    where = None
    if isinstance(error, RecursionError):
        where = recursion_signature(frames)
    return f"{type(error).__name__} @ {where or frame_signature(frames)}"


def frames_from_text(text: str, newest_first: bool = False):
    """(file, line, name) frames from a printed traceback or a faulthandler dump, outermost
    first.  faulthandler prints `File "x", line 3 in f` (no comma), newest first."""
    frames = [(m.group(1), m.group(2), m.group(3).strip())
              for m in re.finditer(r'^\s*File "(.+)", line (\d+),? in (.+)$', text, re.M)]
    return frames[::-1] if newest_first else frames


def text_signature(text: str, kind: str, newest_first: bool = False) -> str:
    """The signature of a traceback printed by the CLI (kind: its last line's type)."""
    frames = frames_from_text(text, newest_first)
    where = recursion_signature(frames) if kind == "RecursionError" else None
    return f"{kind} @ {where or frame_signature(frames)}"


def printed_exception_type(text: str) -> str:
    """The exception type of the last traceback printed in `text`."""
    tail = text.split("Traceback (most recent call last):")[-1]
    for line in tail.splitlines():
        match = re.match(r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Iteration))\b", line)
        if match:
            return match.group(1).rsplit(".", 1)[-1]
    return "Exception"
