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


# ------------------------------------------------------------------ YAML test suites
# pytest collects the policy test suites (*.test.yaml) as the `yibao test` command runs
# them: one item a case, failing with the same text the command prints.
def pytest_collect_file(parent, file_path):
    if file_path.name.endswith(".test.yaml"):
        return PolicySuite.from_parent(parent, path=file_path)
    return None


class PolicySuite(pytest.File):
    def collect(self):
        from yibao.interpreter.testing import cases_in

        for case in cases_in(self.path):
            yield PolicyCase.from_parent(self, name=f"{case.name} (line {case.line})",
                                         case=case)


class PolicyCaseFailed(Exception):
    """A case whose outcome is not what its suite says."""


class PolicyCase(pytest.Item):
    _runner = None

    def __init__(self, *, case, **kwargs):
        super().__init__(**kwargs)
        self.case = case

    def runtest(self):
        from yibao import cli
        from yibao.interpreter.cli_commands_test import describe
        from yibao.interpreter.testing import Runner

        if PolicyCase._runner is None:
            PolicyCase._runner = Runner()
        outcome = PolicyCase._runner.run(self.case)
        if not outcome.passed:
            raise PolicyCaseFailed(describe(cli, outcome, "en"))

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, PolicyCaseFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, self.case.line - 1, self.name
