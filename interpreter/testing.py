"""`yibao test`: policy tests written as data, not Python.

Two kinds of files hold cases:
- a suite, `NAME.test.yaml`: the policy, the date and the region file once, then `cases:`,
  each a record (inline, or the path of a record file) and what the policy must answer
  for it — `outputs` (name: value), `not_applicable` (names), `errors` (name: code);
  a case may name its own `policy`, `on` or `regions`;
- a record file with an `expect:` block (the examples'): each expectation is a case.

An expectation has the keys and checks of a record file's `expect:` block
(expectations.py), so a suite's case and an example's block are read, converted and
compared the same way.  A case that cannot run (a suite of the wrong shape, a record
that does not validate, a policy not found) fails with the diagnostics that say why;
nothing is skipped without a word.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .datafile import KEY, Places, join, read_data_file
from .diagnostics import Diagnostic, DiagnosticError
from .expectations import Expectation, _expectation, read_expectations
from .formatting import to_json

SUITE_SUFFIX = ".test.yaml"
SUITE_KEYS = ("policy", "on", "regions", "cases")
CASE_KEYS = ("name", "record", "policy", "on", "regions", "outputs", "errors",
             "not_applicable")
SKIPPED_FOLDERS = {".git", ".venv", "venv", "node_modules", "__pycache__", "site-packages"}
EXPLAIN_LINES = 12               # lines of the explanation shown under a failure


@dataclass
class Case:
    file: str
    line: int
    name: str                        # its name, or its data path (cases[3]) when unnamed
    expect: Expectation | None = None
    record: object = None            # a record file's path, or an inline mapping
    places: Places | None = None     # where an inline record's values are written
    at: str = ""                     # an inline record's data path in the suite
    problem: DiagnosticError | None = None


@dataclass
class Outcome:
    case: Case
    failures: list = field(default_factory=list)      # (output, expected, got)
    explanation: list[str] = field(default_factory=list)
    problem: DiagnosticError | None = None
    updates: list = field(default_factory=list)       # (output, the value got, as JSON)

    @property
    def passed(self) -> bool:
        return not self.failures and self.problem is None


# ------------------------------------------------------------------ finding cases
def files_with_cases(paths) -> list[Path]:
    """Suites and record files with an `expect:` block under `paths` (files or folders,
    searched recursively; hidden folders and virtual environments are not)."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_file():
            found.append(path)
            continue
        for folder, subfolders, files in os.walk(path):
            # never into hidden folders or virtual environments (pruned, not walked)
            subfolders[:] = sorted(d for d in subfolders
                                   if d not in SKIPPED_FOLDERS and not d.startswith("."))
            for name in sorted(files):
                candidate = Path(folder) / name
                if name.endswith(SUITE_SUFFIX) or (
                        candidate.suffix in (".yaml", ".yml") and _has_expect(candidate)):
                    found.append(candidate)
    return found


def _has_expect(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8") as handle:
            return any(line.startswith("expect:") for line in handle)
    except (OSError, UnicodeDecodeError):
        return False


def cases_in(path: Path) -> list[Case]:
    """The cases of one file; a file that cannot be read is one case that cannot run."""
    file = str(path)
    try:
        if path.name.endswith(SUITE_SUFFIX):
            return _suite_cases(path)
        expectations = read_expectations(path)
    except DiagnosticError as err:
        return [Case(file, 1, path.name, problem=err)]
    return [Case(file, _line(e.places, e.at), f"{path.stem} {e.at}", expect=e, record=path)
            for e in expectations]


def _suite_cases(path: Path) -> list[Case]:
    found = read_data_file(path, "record")
    if found.problems:
        raise DiagnosticError(sorted(found.problems, key=Diagnostic.sort_key))
    file, places, suite = str(path), found.places, found.data
    if not isinstance(suite, dict):
        _bad(file, places, "", "R483")
    for key in suite:
        if key not in SUITE_KEYS:
            _bad(file, places, key, "R484", key=key, keys=", ".join(SUITE_KEYS))
    entries = suite.get("cases")
    if not isinstance(entries, list) or not entries:
        _bad(file, places, "cases", "R485")
    defaults = {key: suite[key] for key in ("policy", "on", "regions") if key in suite}
    cases = []
    for index, entry in enumerate(entries):
        at = f"cases[{index}]"
        line = _line(places, at)
        name = entry.get("name") if isinstance(entry, dict) else None
        name = name if isinstance(name, str) and name.strip() else at    # its data path
        try:
            cases.append(_suite_case(file, places, at, entry, defaults, path.parent, line, name))
        except DiagnosticError as err:
            cases.append(Case(file, line, name, problem=err))
    return cases


def _suite_case(file, places, at, entry, defaults, folder, line, name) -> Case:
    if not isinstance(entry, dict):
        _bad(file, places, at, "R486")
    for key in entry:
        if key not in CASE_KEYS:
            _bad(file, places, join(at, key), "R484", key=key, keys=", ".join(CASE_KEYS))
    record = entry.get("record")
    if isinstance(record, str) and record.strip():
        record = folder / record
    elif not isinstance(record, dict):
        _bad(file, places, join(at, "record"), "R487")
    wanted = dict(defaults)
    wanted.update({k: v for k, v in entry.items() if k not in ("name", "record")})
    expect = _expectation(file, places, at, wanted, folder)
    return Case(file, line, name, expect=expect, record=record, places=places,
                at=join(at, "record"))


def _line(places: Places, at: str) -> int:
    span = places.get(at) or places.get(at + KEY)
    return span.line if span is not None else 1


def _bad(file, places, path, code, **args):
    span = places.get(path + KEY) or places.get(path) if path else None
    raise DiagnosticError([Diagnostic.error(code, span, data_path=path or None, file=file,
                                            **args)])


# ------------------------------------------------------------------ running
class _Within(Places):
    """The places of an inline record: its paths are under `prefix` in the suite."""

    def __init__(self, places: Places, prefix: str):
        super().__init__(places.file)
        self.outer, self.prefix = places, prefix

    def get(self, path: str, default=None):
        return self.outer.get(self._full(path), default)

    def written(self, path: str):
        return self.outer.written(self._full(path))

    def _full(self, path: str) -> str:
        if not path:
            return self.prefix
        return self.prefix + path if path.startswith(("[", "#")) else join(self.prefix, path)


class Runner:
    """Runs cases, loading each policy and region file once."""

    def __init__(self, coverage: bool = False):
        self.policies: dict = {}
        self.regions: dict = {}
        self.coverage: dict | None = {} if coverage else None    # policy path -> coverage

    def run(self, case: Case) -> Outcome:
        if case.problem is not None:
            return Outcome(case, problem=case.problem)
        from .api import load_regions
        from .records import load_record_file, record_from_data

        expect = case.expect
        try:
            policy = self._policy(expect.policy, Path(case.file))
            if isinstance(case.record, dict):
                record, warnings = record_from_data(policy, case.record, case.file,
                                                    _Within(case.places, case.at))
            else:
                record, warnings = load_record_file(policy, case.record)
            regions = None
            if expect.regions is not None:
                key = (id(policy), str(expect.regions))
                if key not in self.regions:
                    self.regions[key] = load_regions(expect.regions, policy)
                    if self.coverage is not None:
                        from .evaluator import ir_for

                        self._covered(policy).add_regions(self.regions[key], ir_for(policy))
                regions = self.regions[key]
            expected = {name: expect.value(policy, name) for name in expect.outputs}
        except DiagnosticError as err:
            return Outcome(case, problem=err)
        from .evaluator import evaluate_outputs

        program = None
        if self.coverage is not None:
            covered = self._covered(policy)
            if not covered.dates:
                covered.regions = regions
            if expect.on not in covered.dates:
                covered.dates.append(expect.on)
            program = covered.program
        result = evaluate_outputs(policy, record, expect.on, regions, program=program)
        if self.coverage is not None:
            covered.add(result.trees)
        # A test's record must read cleanly: a misspelt optional field (R412) would
        # otherwise pass unnoticed, so a warning from reading it fails the case.  Entries
        # dated after the case's date (R480) are not: a suite often asks one history at
        # several dates, and they are evaluated as recorded, as `yibao eval` does.
        updatable: list = []
        differing = _differences(policy, expect, expected, result, updatable)
        outcome = Outcome(case, failures=differing,
                          problem=DiagnosticError(list(warnings)) if warnings else None,
                          updates=[(name, to_json(value, policy.output_type(name)))
                                   for name, value in updatable])
        if differing:
            outcome.explanation = _explained(policy, record, expect.on, regions,
                                             list(dict.fromkeys(n for n, _, _ in differing)))
        return outcome

    def _covered(self, policy):
        from .coverage import coverage_for

        key = id(policy)
        if key not in self.coverage:
            self.coverage[key] = coverage_for(policy, policy.policy_id)
        return self.coverage[key]

    def _policy(self, name: str, file: Path):
        path = policy_path(name, file)
        if path is None:
            raise DiagnosticError([Diagnostic.error("R488", None, file=str(file),
                                                    policy=name)])
        if path not in self.policies:
            from .api import load_policy
            self.policies[path] = load_policy(path)
        return self.policies[path]


def policy_path(name: str, file: Path) -> Path | None:
    """`policies/NAME.policy` in the test file's folder or the nearest one above it."""
    for folder in [file.resolve().parent, *file.resolve().parents]:
        candidate = folder / "policies" / f"{name}.policy"
        if candidate.is_file():
            return candidate
    return None


def _differences(policy, expect: Expectation, expected: dict, result,
                 updatable: list) -> list[tuple]:
    """(output, expected, got) for each expectation the result does not meet; each side
    a value's text, or ("code", CODE), ("inapplicable", REASON or None), ("absent", None),
    worded when the outcome is shown (cli_commands_test.describe)."""
    from .formatting import to_text

    def got(name):
        if name in result.not_applicable:
            return ("inapplicable", result.not_applicable[name].reason)
        if name in result.errors:
            return ("code", result.errors[name].code)
        if name in result.values:
            return to_text(result.values[name], policy.output_type(name))
        return ("absent", None)
    found = []
    for name, value in expected.items():
        value_got = result.values.get(name)
        if name not in result.values or type(value_got) is not type(value) or \
                value_got != value:
            found.append((name, to_text(value, policy.output_type(name)), got(name)))
            if name in result.values:             # a value for a value: --update can say it
                updatable.append((name, value_got))
    for name, code in expect.errors.items():
        error = result.errors.get(name)
        if error is None or error.code != code:
            found.append((name, ("code", code), got(name)))
    reasons = expect.reasons or {}
    for name in expect.not_applicable:
        wanted = reasons.get(name)
        if name not in result.not_applicable:
            found.append((name, ("inapplicable", wanted), got(name)))
        elif wanted is not None and result.not_applicable[name].reason != wanted:
            found.append((name, ("inapplicable", wanted),
                          ("inapplicable", result.not_applicable[name].reason)))
    return found


def _explained(policy, record, on, regions, names: list[str]) -> list[str]:
    """The first lines of the explanation of each output that differs."""
    from .api import evaluate
    from .explain_render import render_tree

    names = [name for name in names if name in policy.outputs]
    explained = evaluate(policy, record, on, regions, outputs=names, explain=True)
    lines = []
    for name in names:
        tree = explained.trees.get(name)
        if tree is None:
            continue
        text = render_tree(tree, "en").splitlines()
        lines += text[:EXPLAIN_LINES] + (["  …"] if len(text) > EXPLAIN_LINES else [])
    return lines


# ------------------------------------------------------------------ --update
def rewrite(outcomes: list[Outcome]) -> tuple[int, list[Outcome]]:
    """Write the values got over the expected values that differ, in place in each file
    (the rest of the file as it was, comments included).  Only an expected value that
    came out as another value is rewritten; an expectation of another kind (a value
    that came out as an error or not applicable, an error or "not applicable" that did
    not) is left for the author.  Returns (values rewritten, outcomes with something
    left)."""
    edits: dict[str, list] = {}
    left = []
    for outcome in outcomes:
        case, expect = outcome.case, outcome.case.expect
        if outcome.problem is not None or len(outcome.updates) < len(outcome.failures):
            left.append(outcome)
        for name, written in outcome.updates:
            span = expect.places.get(join(join(expect.at, "outputs"), name))
            if span is not None:
                edits.setdefault(case.file, []).append((span.start, span.end,
                                                        _scalar(written)))
    count = 0
    for file, changes in edits.items():
        text = Path(file).read_text(encoding="utf-8")
        for start, end, new in sorted(set(changes), reverse=True):
            text = text[:start] + new + text[end:]
            count += 1
        Path(file).write_text(text, encoding="utf-8")
    return count, left


def _scalar(value) -> str:
    """A value in the JSON form eval gives, as a YAML scalar that reads back the same:
    amounts and dates plain (as the examples write them), other text quoted when plain
    text would read as something else."""
    import json
    import re

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if re.fullmatch(r"-?\d+(\.\d+)?|\d{4}-\d{2}-\d{2}", text):
        return text
    if re.fullmatch(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#,\[\]{}]*", text) and \
            text.lower() not in ("true", "false", "null", "yes", "no", "on", "off", "~") \
            and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


# ------------------------------------------------------------------ reports
def junit(outcomes: list[Outcome], render) -> str:
    """JUnit XML: a testsuite per file, a testcase per case, a failure with its text."""
    from xml.sax.saxutils import quoteattr

    by_file: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        by_file.setdefault(outcome.case.file, []).append(outcome)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<testsuites tests="{len(outcomes)}" '
             f'failures="{sum(not o.passed for o in outcomes)}">']
    for file, found in by_file.items():
        parts.append(f'  <testsuite name={quoteattr(file)} tests="{len(found)}" '
                     f'failures="{sum(not o.passed for o in found)}">')
        for outcome in found:
            case = outcome.case
            parts.append(f'    <testcase classname={quoteattr(file)} '
                         f'name={quoteattr(case.name)} file={quoteattr(file)} '
                         f'line="{case.line}">')
            if not outcome.passed:
                text = render(outcome)
                parts.append(f'      <failure message={quoteattr(text.splitlines()[0])}>'
                             f'{_xml_text(text)}</failure>')
            parts.append("    </testcase>")
        parts.append("  </testsuite>")
    parts.append("</testsuites>")
    return "\n".join(parts) + "\n"


def _xml_text(text: str) -> str:
    from xml.sax.saxutils import escape
    return escape(text)


__all__ = ["Case", "Outcome", "Runner", "cases_in", "files_with_cases", "junit", "rewrite"]
