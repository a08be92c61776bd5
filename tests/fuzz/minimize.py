"""Shrink a failing input while it keeps failing with the same signature.

Greedy chunk removal: drop halves, quarters, ... single lines of the mutated file, keeping
each cut that preserves the signature; then the same with characters when the file is
small.  Bounded by a number of attempts and a time budget, so a hang (each attempt takes
the whole timeout) stops early with what it has.
"""
from __future__ import annotations

import signal
import time
from dataclasses import replace
from pathlib import Path

from .engine import Config, _State, _alarm, _disarm, execute


def _mutated_files(case, corpus) -> list[str]:
    """The case files that are not shipped text as is."""
    names = []
    for name, data in case.files.items():
        if name.endswith(".policy") and corpus.policies.get(name[:-7], "").encode("utf-8") == data:
            continue
        names.append(name)
    return names


def _pieces(data: bytes, by_line: bool) -> list[bytes]:
    if by_line:
        return data.splitlines(keepends=True)
    return [data[i:i + 1] for i in range(len(data))]


def minimize(case, index: int, signature: str, ready, corpus, folder: Path, timeout: float,
             budget_seconds: float = 30.0, max_tries: int = 600):
    """(smaller case, its Result); the case itself when nothing could be cut."""
    config = Config(timeout=timeout, slow=float("inf"))
    state = _State()
    old_handler = signal.signal(signal.SIGALRM, _alarm)
    deadline = time.monotonic() + budget_seconds
    tries = 0
    best_result = None

    def still_fails(candidate):
        nonlocal tries, best_result
        tries += 1
        result = execute(candidate, index, folder, ready, config, state, corpus)
        if result.signature == signature:
            best_result = result
            return True
        return False

    try:
        for name in _mutated_files(case, corpus):
            for by_line in (True, False):
                pieces = _pieces(case.files[name], by_line)
                if not by_line and len(pieces) > 4000:
                    break
                chunk = max(1, len(pieces) // 2)
                while chunk >= 1:
                    start = 0
                    while start < len(pieces):
                        if tries >= max_tries or time.monotonic() > deadline:
                            return case, best_result
                        kept = pieces[:start] + pieces[start + chunk:]
                        candidate = replace(case, files={**case.files, name: b"".join(kept)})
                        if still_fails(candidate):
                            pieces, case = kept, candidate
                        else:
                            start += chunk
                    chunk //= 2
    finally:
        _disarm()
        signal.signal(signal.SIGALRM, old_handler)
    return case, best_result
