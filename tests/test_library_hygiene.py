"""yibao as a library leaves the host process as it found it: the recursion limit, the
decimal context, and no state carried from one parse to the next."""
import datetime as dt
import decimal
import sys
import threading

from yibao.interpreter.api import evaluate, load_policy
from yibao.interpreter.explain_render import render_tree, tree_to_json
from yibao.interpreter.parser import parse_source
from yibao.interpreter.source import SourceFile

from .test_evaluator import HEADER, person

RECURSIVE = """
rule depth(y: int >= 1000): int {
  = if y == 1000 then 0 else depth(y - 1) + 1
}

output deep: int {
  = depth(1900)   # 900 nested calls: more than Python's default stack allows
}
"""


def test_library_calls_do_not_change_the_recursion_limit(tmp_path):
    before = sys.getrecursionlimit()
    path = tmp_path / "unit-test.policy"
    path.write_text(HEADER.format(pid="unit-test") + RECURSIVE, encoding="utf-8")
    policy = load_policy(path)
    result = evaluate(policy, person(), dt.date(2027, 6, 1), outputs=["deep"], explain=True)
    assert result.values["deep"] == 900            # 1900 - 1000 steps down
    render_tree(result.trees["deep"])
    tree_to_json(result.trees["deep"])
    assert sys.getrecursionlimit() == before


def test_library_calls_do_not_change_the_decimal_context(tmp_path):
    path = tmp_path / "unit-test.policy"
    path.write_text(HEADER.format(pid="unit-test") + RECURSIVE, encoding="utf-8")
    host = decimal.Context(prec=7, rounding=decimal.ROUND_FLOOR)
    decimal.setcontext(host)
    try:
        evaluate(load_policy(path), person(), dt.date(2027, 6, 1), outputs=["deep"])
        assert decimal.getcontext() is host
    finally:
        decimal.setcontext(decimal.DefaultContext)


def _comments_of(text: str, path: str) -> list[str]:
    policy = parse_source(SourceFile.from_text(path, "policy hygiene-test {\n  title \"t\"\n}\n" + text))
    return [c.text for c in policy.comments]


def test_each_parse_keeps_only_its_own_comments():
    assert _comments_of("# one\n", "a.policy") == ["# one"]
    assert _comments_of("# two\n# three\n", "b.policy") == ["# two", "# three"]
    # A `#` inside a string is text, not a comment.
    assert _comments_of('enum E "标签 # 不是注释" {\n  a\n}\n', "c.policy") == []


def test_parses_in_two_threads_do_not_mix_their_comments():
    found: dict[str, list[str]] = {}

    def parse(name: str, count: int) -> None:
        text = "".join(f"# {name} {i}\n" for i in range(count))
        for _ in range(20):
            found[name] = _comments_of(text, f"{name}.policy")

    threads = [threading.Thread(target=parse, args=(n, 50)) for n in ("left", "right")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert found["left"] == [f"# left {i}" for i in range(50)]
    assert found["right"] == [f"# right {i}" for i in range(50)]


def test_unsaved_buffers_are_checked_in_place_of_the_files(tmp_path):
    from yibao.interpreter.diagnostics import DiagnosticError

    path = tmp_path / "unit-test.policy"
    saved = HEADER.format(pid="unit-test") + "output one: int {\n  = 1\n}\n"
    path.write_text(saved, encoding="utf-8")
    edited = saved.replace("= 1", "= 2")
    policy = load_policy(path, buffers={str(path): edited})
    on = dt.date(2027, 6, 1)
    assert evaluate(policy, person(), on, outputs=["one"]).values["one"] == 2
    assert evaluate(load_policy(path), person(), on, outputs=["one"]).values["one"] == 1
    broken = saved.replace("= 1", "= 1 +")
    try:
        load_policy(path, buffers={str(path): broken})
    except DiagnosticError as err:
        assert err.diagnostics[0].span.path == str(path)
    else:
        raise AssertionError("the unsaved syntax error was not reported")


def test_check_json_gives_each_diagnostic_as_data(tmp_path):
    import json

    from yibao import cli
    from click.testing import CliRunner

    path = tmp_path / "unit-test.policy"
    path.write_text(HEADER.format(pid="unit-test") + "output one: int {\n  = unknown_name\n}\n",
                    encoding="utf-8")
    done = CliRunner().invoke(cli.main, ["check", str(path), "--format", "json"])
    assert done.exit_code == 1
    report = json.loads(done.stdout.splitlines()[0])
    assert (report["files"], report["errors"]) == (1, 1)
    (diag,) = report["diagnostics"]
    assert diag["code"] == "Y107" and diag["severity"] == "error"
    # The name is on the second line of the rule, after `  = ` (columns count from 1).
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[diag["line"] - 1][diag["column"] - 1:].startswith("unknown_name")
    assert diag["args"]["name"] == "unknown_name" and "unknown_name" in diag["message"]
    zh = CliRunner().invoke(cli.main, ["--lang", "zh", "check", str(path), "--format", "json"])
    assert json.loads(zh.stdout.splitlines()[0])["diagnostics"][0]["message"] != diag["message"]


def test_check_github_gives_workflow_commands_github_shows_on_the_lines(tmp_path):
    from yibao import cli
    from click.testing import CliRunner

    path = tmp_path / "unit-test.policy"
    path.write_text(HEADER.format(pid="unit-test") +
                    "output one: int {\n  = unknown_name\n}\n"
                    "rule unused_rule: int {\n  = 1\n}\n", encoding="utf-8")
    done = CliRunner().invoke(cli.main, ["check", str(path), "--format", "github"])
    assert done.exit_code == 1
    commands = [line for line in done.stdout.splitlines() if line.startswith("::")]
    error = next(c for c in commands if c.startswith("::error "))
    props, said = error[len("::error "):].split("::", 1)
    fields = dict(p.split("=", 1) for p in props.split(","))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert fields["title"] == "Y107" and "unknown_name" in said
    assert lines[int(fields["line"]) - 1][int(fields["col"]) - 1:].startswith("unknown_name")
    assert fields["file"] == str(path).replace(":", "%3A").replace(",", "%2C")
    assert any(c.startswith("::warning ") for c in commands)        # the unused rule
    assert all("\n" not in c for c in commands)     # one line each: newlines are escaped


def test_github_commands_escape_what_the_runner_reads_as_syntax():
    from yibao.interpreter.diagnostics import Diagnostic
    from yibao.interpreter.render_diagnostics import github_annotation

    diag = Diagnostic.error("C601", None, what="path", path="a,b:100%\nc")
    line = github_annotation(diag)
    assert line.startswith("::error title=C601::") and "\n" not in line
    assert "100%25" in line and "%0A" in line


def test_region_values_are_converted_once_when_the_file_is_bound_to_the_policy():
    from yibao.interpreter.api import load_regions
    from yibao.interpreter.regions import UNCONVERTED

    policy = load_policy("policies/jiangxi-2024-34.policy")
    bound = load_regions("examples/regions.yaml", policy)
    loose = load_regions("examples/regions.yaml")
    on = dt.date(2027, 6, 1)
    name = "critical_illness_base_cap"
    raw, value, matched, _ = bound.converted(name, "江西省南昌市", on)
    assert value is not UNCONVERTED and value == decimal.Decimal(str(raw))
    assert type(value) is decimal.Decimal
    assert loose.converted(name, "江西省南昌市", on)[1] is UNCONVERTED
    assert bound.bound_to == policy.policy_id and loose.bound_to is None


def test_every_subpackage_is_installed():
    """A folder of modules under interpreter/ that pyproject.toml does not list is left out
    of the installed package (found once by CI: `yibao diff` failed with
    ModuleNotFoundError only when installed)."""
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    listed = set(tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
                 ["tool"]["setuptools"]["packages"])
    folders = {"yibao.interpreter." + p.parent.name
               for p in (root / "interpreter").glob("*/__init__.py")}
    assert folders <= listed, folders - listed
