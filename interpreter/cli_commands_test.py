"""The body of `yibao test`, called by its definition in cli_registry.py inside cli.py's
error handling, with the cli module as `cli`.

Each failing case is shown as `FILE:LINE: NAME` with what was expected and what came,
then the first lines of the explanation of what came; a case that cannot run is shown
with the diagnostics that say why.  The last line is `N passed, M failed`.  Exit 0 when
every case passed, 1 when one failed, 2 when there is nothing to test.
"""
from __future__ import annotations

from pathlib import Path


def run(cli, lang: str, paths: tuple[str, ...], junit_path: str | None,
        coverage: bool = False, coverage_min: float | None = None,
        update: bool = False, suggest: bool = False) -> int:
    from .testing import Runner, cases_in, files_with_cases, junit

    given = list(paths) or ["."]
    missing = [p for p in given if not Path(p).exists()]
    if missing:
        raise cli.Failure([cli._cli_error("C601", what=cli._word(lang, "path"), path=p)
                           for p in missing])
    cases = [case for path in files_with_cases(given) for case in cases_in(path)]
    if not cases:
        raise cli.Failure([cli._cli_error("C637", paths=", ".join(given))])
    runner = Runner(coverage=coverage or suggest or coverage_min is not None)
    outcomes = [runner.run(case) for case in cases]
    render = lambda outcome: describe(cli, outcome, lang)   # noqa: E731
    if update:
        from .testing import rewrite

        count, left = rewrite(outcomes)
        for outcome in left:
            cli._print(render(outcome))
        cli._print(cli._word(lang, "test_updated", count=count, left=len(left)))
        return cli.EXIT_OK if not left else cli.EXIT_FAILURES
    for outcome in outcomes:
        if not outcome.passed:
            cli._print(render(outcome))
    passed = sum(outcome.passed for outcome in outcomes)
    if junit_path:
        from .batch.formats import cannot_write

        try:
            Path(junit_path).write_text(junit(outcomes, render), encoding="utf-8")
        except OSError as err:
            raise cannot_write(Path(junit_path), err) from None
    cli._print(cli._word(lang, "test_summary", passed=passed, failed=len(outcomes) - passed))
    below = []
    if runner.coverage is not None:
        found_all = sorted(runner.coverage.values(), key=lambda c: c.policy)
        if found_all:
            cli._print(_coverage_table(cli, lang, found_all))
        for found in found_all:
            if coverage:
                _uncovered(cli, lang, found)
            if suggest and found.dates:
                _suggestions(cli, lang, runner, found)
            if coverage_min is not None and found.branch_share * 100 < coverage_min:
                below.append(found)
        for found in below:
            cli._print(cli._word(lang, "test_coverage_below", policy=found.policy,
                                 share=found.branch_share * 100, minimum=coverage_min))
    return cli.EXIT_OK if passed == len(outcomes) and not below else cli.EXIT_FAILURES


def _coverage_table(cli, lang: str, found_all) -> str:
    """One row per policy: cases, then each measure as covered/total and its share."""
    from .text_table import aligned

    def share(done: int, total: int) -> str:
        return f"{done}/{total} {100 * done / total:.0f}%" if total else "-"
    header = [cli._word(lang, key) for key in ("cov_policy", "cov_cases", "cov_rules",
                                               "cov_branches", "cov_conditions",
                                               "cov_region_keys")]
    rows = [(found.policy, str(found.cases),
             share(len(found.reached & set(found.rules)), len(found.rules)),
             share(len(found.taken & set(found.branches)), len(found.branches)),
             share(*found.conditions()),
             share(len(found.regions_read & found.region_keys), len(found.region_keys)))
            for found in found_all]
    return aligned(header, rows)


def _uncovered(cli, lang: str, found) -> None:
    """Under --coverage: each branch no case took, each condition no pair of cases showed
    deciding, and each region key no case read, with its place and citation."""
    branches = found.uncovered()
    conditions = found.conditions_not_shown()
    undecidable = found.conditions_undecidable()
    regions = found.regions_not_read()
    if not (branches or conditions or undecidable or regions):
        return
    cli._print(cli._word(lang, "test_coverage_of", policy=found.policy))
    for branch in branches:
        cli._print(cli._word(lang, "test_uncovered", where=_relative(branch.where),
                             ident=branch.ident, label=branch.label or "",
                             cite=branch.cite or "-"))
    for decision, atom in conditions:
        cli._print(cli._word(lang, "test_condition_not_shown",
                             where=_relative(decision.where), ident=decision.ident,
                             atom=atom, guard=decision.guard, cite=decision.cite or "-"))
    for decision, atom in undecidable:
        cli._print(cli._word(lang, "test_condition_undecidable",
                             where=_relative(decision.where), ident=decision.ident,
                             atom=atom, guard=decision.guard))
    for parameter, region in regions:
        cli._print(cli._word(lang, "test_region_not_read", parameter=parameter, region=region,
                             file=_relative(found.region_file.get((parameter, region)))))


def _suggestions(cli, lang: str, runner, found) -> None:
    """Records that would take the branches and show the conditions no case did, as cases
    to paste into a suite (the record in full, what it reaches as comments), then the
    gaps no candidate filled."""
    from .diff.behaviour import record_text
    from .suggest import suggest

    model = next(p for p in runner.policies.values() if p.policy_id == found.policy)
    if not found.uncovered() and not found.conditions_not_shown():
        return
    made = suggest(model, found)
    cli._print(cli._word(lang, "suggest_heading", policy=found.policy,
                         searched=made.searched))
    for number, item in enumerate(made.found, 1):
        lines = [f"  - name: {cli._word(lang, 'suggest_case', number=number)}"]
        lines += ["    # " + cli._word(lang, "suggest_takes", ident=b.ident,
                                      where=_relative(b.where)) for b in item.branches]
        lines += ["    # " + cli._word(lang, "suggest_shows", atom=atom, guard=d.guard,
                                      where=_relative(d.where))
                  for d, atom in item.conditions]
        lines.append(f"    on: {item.on.isoformat()}")
        lines.append("    record:")
        lines += ["      " + line for line in record_text(item.record).splitlines()]
        lines.append("    outputs: {}    # " + cli._word(lang, "suggest_fill"))
        cli._print("\n".join(lines))
    for branch in made.left_branches:
        cli._print(cli._word(lang, "suggest_none", ident=branch.ident,
                             where=_relative(branch.where)))
    for decision, atom in made.left_conditions:
        cli._print(cli._word(lang, "suggest_none_condition", atom=atom, guard=decision.guard,
                             where=_relative(decision.where)))


def describe(cli, outcome, lang: str) -> str:
    """A failing case as text: `FAIL FILE:LINE: NAME`, each difference (expected, got),
    the diagnostics of a case that could not run, and the explanation of what came."""
    from .render_diagnostics import render

    def worded(side):
        if isinstance(side, str):
            return side
        kind, code = side                   # code: an error's code, or a reason
        if kind == "code":
            return cli._word(lang, "test_error", code=code)
        if kind == "inapplicable":
            return cli._word(lang, "test_not_applicable") if code is None else \
                cli._word(lang, "test_not_applicable_because", reason=code)
        return cli._word(lang, "test_nothing")
    case = outcome.case
    lines = [cli._word(lang, "test_fail", file=case.file, line=case.line, name=case.name)]
    if outcome.problem is not None:
        lines += ["  " + line for diag in outcome.problem.diagnostics
                  for line in render(diag, lang).splitlines()]
    lines += ["  " + cli._word(lang, "test_expected", name=output, expected=worded(want),
                               got=worded(got))
              for output, want, got in outcome.failures]
    if outcome.explanation:
        lines += ["  " + cli._word(lang, "test_explanation")] + \
            [f"    {line}" for line in outcome.explanation]
    return "\n".join(lines)


def _relative(where: str | None) -> str:
    """FILE or FILE:LINE with FILE relative to the working directory when it is below it."""
    import os

    if not where:
        return "-"
    path, _, line = where.rpartition(":")
    if not line.isdigit():
        path, line = where, ""
    shown = os.path.relpath(path)
    return (path if shown.startswith("..") else shown) + (f":{line}" if line else "")
