import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# One flag rewrites every golden file; the change is then reviewed in `git diff`.
RESET_GOLDENS = os.environ.get("YIBAO_RESET_GOLDENS") == "1"


@pytest.fixture
def at_root(monkeypatch):
    """Run from the repository root so paths in messages read `policies/...`."""
    monkeypatch.chdir(ROOT)
    return ROOT


def compare_golden(expected_path: Path, actual: str) -> None:
    if RESET_GOLDENS or not expected_path.exists():
        expected_path.write_text(actual, encoding="utf-8")
        if not RESET_GOLDENS:
            pytest.fail(f"{expected_path} did not exist; written now: review it and rerun")
        return
    assert actual == expected_path.read_text(encoding="utf-8")
