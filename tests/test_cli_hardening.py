"""The command line under hostile conditions: standard output closed, full, a broken pipe or
unable to encode the results; an unsupported YIBAO_LANG; files that cannot be read; and
the same input giving the same bytes every time.

Each problem ends in a message naming it and an exit code, never a traceback:
2 for a closed or failing standard output (C608, C609, C610), 141 (SIGPIPE's code, quietly)
when the reader of the output went away.
"""
from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from yibao import cli
from yibao.interpreter.diagnostics import Diagnostic
from yibao.interpreter.source import FileProblem, file_kind

from .test_cli import FAKE_OUTPUTS, fake_api, files, run  # noqa: F401 - `files` is a fixture

ROOT = Path(__file__).resolve().parent.parent
JIANGXI = ["policies/jiangxi-2024-34.policy", "examples/jiangxi/qingdao-case.yaml",
           "--on", "2027-06-01", "--regions", "examples/regions.yaml"]
EXPLAIN = ["explain", JIANGXI[0], JIANGXI[1], "critical_illness_cap", *JIANGXI[2:]]


def yibao(*args, env=None, **kwargs) -> subprocess.CompletedProcess:
    """Run yibao in a fresh process from the repository root."""
    command = [sys.executable, "-c", "import sys; from yibao import cli; sys.argv[0] = 'yibao'; cli.main()"]
    full_env = dict(os.environ)
    full_env.pop("YIBAO_LANG", None)        # the tests say which language they want
    full_env.update(env or {})
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(command + [str(a) for a in args], cwd=ROOT, env=full_env,
                          timeout=120, **kwargs)


@pytest.fixture
def api(monkeypatch):
    """Install the stand-in API of test_cli.py; returns it for changes."""
    def install(**kwargs):
        stand_in, _ = fake_api(**kwargs)
        monkeypatch.setattr(cli, "_api", lambda: stand_in)
        return stand_in
    return install


def no_traceback(text) -> bool:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return "Traceback" not in text and "Exception ignored" not in text


# ------------------------------------------------------------------ standard output
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["eval", *JIANGXI], ["eval", *JIANGXI, "--format", "json"],
                                  EXPLAIN, ["--version"], ["--help"]])
def test_a_full_standard_output_is_reported_as_such(args):
    with open("/dev/full", "w") as full:
        done = yibao(*args, stdout=full)
    stderr = done.stderr.decode()
    assert done.returncode == 2, stderr
    assert "error[C608]" in stderr and "standard output" in stderr
    assert os.strerror(errno.ENOSPC) in stderr
    assert "C605" not in stderr and "cannot read" not in stderr
    assert no_traceback(stderr)


def _close_stdout():
    os.close(1)


@pytest.mark.parametrize("args", [["eval", *JIANGXI], ["check", "policies"], ["--version"],
                                  ["--help"]])
def test_a_closed_standard_output_is_refused(args):
    done = yibao(*args, stdout=subprocess.DEVNULL, preexec_fn=_close_stdout)
    stderr = done.stderr.decode()
    assert done.returncode == 2, stderr
    assert "error[C610]" in stderr and "standard output is closed" in stderr
    assert no_traceback(stderr)


def test_a_closed_standard_output_is_refused_in_chinese_when_asked():
    done = yibao("eval", *JIANGXI, "--lang", "zh", stdout=subprocess.DEVNULL,
                 preexec_fn=_close_stdout)
    assert done.returncode == 2
    assert "错误[C610]" in done.stderr.decode()


@pytest.mark.parametrize("args", [EXPLAIN, ["explain", *EXPLAIN[1:], "--format", "json"],
                                  ["--help"]])
def test_a_broken_pipe_ends_quietly_with_sigpipes_code(args):
    reader, writer = os.pipe()
    os.close(reader)            # nobody will read: the first write gets EPIPE
    try:
        done = yibao(*args, stdout=writer)
    finally:
        os.close(writer)
    assert done.returncode == cli.EXIT_BROKEN_PIPE == 141
    assert done.stderr == b""


def test_an_encoding_that_cannot_carry_the_results_gives_a_message():
    done = yibao("eval", *JIANGXI, env={"PYTHONIOENCODING": "ascii"})
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2
    assert done.stdout == b""           # nothing half written
    # the header `output  label  value` and the rule under it are ASCII; the first
    # Chinese character is in the label of the first output, on line 3
    assert "error[C609]" in stderr and "(ascii)" in stderr and "line 3" in stderr
    assert "PYTHONIOENCODING=utf-8" in stderr
    assert no_traceback(stderr)


def test_an_encoding_problem_in_process_gives_a_message(files, api):
    api()
    result = CliRunner(charset="ascii").invoke(
        cli.main, ["eval", str(files.policy), str(files.record), "--on", "2027-06-01"])
    assert result.exit_code == 2
    assert "error[C609]" in result.stderr and "U+8FDE" in result.stderr    # 连 of 连续参保年数
    assert result.stdout == ""


@pytest.mark.parametrize("command", [
    ["eval"], ["eval", "--format", "json"], ["explain", "subsidy_region"],
    ["explain", "subsidy_region", "--format", "json"]])
def test_a_lone_surrogate_in_a_text_value_gives_a_message(files, api, monkeypatch, command):
    # a JSON record may carry "\ud800": half of a UTF-16 pair, which no encoding can write
    ty, label, _ = FAKE_OUTPUTS["subsidy_region"]
    monkeypatch.setitem(FAKE_OUTPUTS, "subsidy_region", (ty, label, "江西\ud800"))
    api()
    verb, *rest = command
    args = [verb, files.policy, files.record, *rest[:1 if verb == "explain" else 0],
            "--on", "2027-06-01", *rest[1 if verb == "explain" else 0:]]
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "error[C609]" in result.stderr and "\\ud800" in result.stderr
    assert "U+D800" in result.stderr and "surrogate" in result.stderr
    assert result.stdout == ""
    assert no_traceback(result.output)


# ------------------------------------------------------------------ YIBAO_LANG
@pytest.mark.parametrize("args, expected", [
    (["check", "{policy}"], "checked 1 file(s)"),
    (["--lang", "zh", "check", "{policy}"], "已检查 1 个文件"),
    (["check", "{policy}", "--lang", "zh"], "已检查 1 个文件"),
])
def test_an_unsupported_yibao_lang_warns_once_and_falls_back(files, api, args, expected):
    api(check_result=([], {}, 1))
    args = [a.format(policy=files.policy) for a in args]
    result = run(*args, env={"YIBAO_LANG": "fr"})
    assert result.exit_code == 0, result.output
    assert expected in result.stdout
    warnings = result.stderr.count("warning[C612]")
    if "--lang" in args:
        assert warnings == 0        # --lang decides: the variable is not used
    else:
        assert warnings == 1
        assert "YIBAO_LANG=fr" in result.stderr and "en, zh" in result.stderr


@pytest.mark.parametrize("value", ["zh", " ZH "])
def test_a_supported_yibao_lang_still_works(files, api, value):
    api(check_result=([], {}, 1))
    result = run("check", files.policy, env={"YIBAO_LANG": value})
    assert result.exit_code == 0 and "已检查 1 个文件" in result.stdout
    assert result.stderr == ""


def test_an_unsupported_yibao_lang_does_not_stop_a_real_evaluation():
    done = yibao("eval", *JIANGXI, "--format", "json", env={"YIBAO_LANG": "fr"})
    assert done.returncode == 0
    assert json.loads(done.stdout)["critical_illness_cap"] == "394000.00"
    assert done.stderr.decode().count("warning[C612]") == 1


# ------------------------------------------------------------------ region file warnings
def test_region_file_warnings_are_printed(files, api):
    stand_in = api()
    warning = Diagnostic.warning("R441", None, file=str(files.regions), data_path="favourite",
                                 key="favourite")
    stand_in.load_regions = lambda path, policy=None: type("Table", (), {"warnings": [warning]})()
    result = run("eval", files.policy, files.record, "--on", "2027-06-01",
                 "--regions", files.regions, "--format", "json")
    assert result.exit_code == 0
    assert "warning[R441]" in result.stderr and "favourite" in result.stderr
    json.loads(result.stdout)


def test_an_unused_key_of_a_real_region_file_is_a_warning(tmp_path):
    regions = tmp_path / "regions.yaml"
    text = (ROOT / "examples" / "regions.yaml").read_text(encoding="utf-8")
    regions.write_text(text + "\nfavourite_colour: blue\n", encoding="utf-8")
    done = yibao("eval", *JIANGXI[:4], "--regions", regions, "--format", "json")
    assert done.returncode == 0
    stderr = done.stderr.decode()
    assert "warning[" in stderr and "favourite_colour" in stderr


# ------------------------------------------------------------------ files that cannot be read
@pytest.mark.parametrize("problem, expected", [
    (FileProblem("too_large", "big.yaml", size=70_000_000, limit=67_108_864),
     "cannot read big.yaml: 70000000 bytes, more than the limit of 67108864"),
    (FileProblem("not_utf8", "gbk.yaml", offset=7, line=2, column=3, gbk=True),
     "cannot read gbk.yaml: not UTF-8 text: the first bad byte is at line 2, column 3"),
    (FileProblem("not_a_file", "fifo", kind=file_kind("fifo")),
     "cannot read fifo: it is a FIFO, not a regular file"),
    (PermissionError(errno.EACCES, "Permission denied", "locked.yaml"),
     "cannot read locked.yaml: Permission denied"),
])
def test_a_file_that_cannot_be_read_is_named(files, api, problem, expected):
    api(record_error=problem)
    result = run("eval", files.policy, files.record, "--on", "2027-06-01")
    assert result.exit_code == 2
    assert f"error[C605]: {expected}" in result.stderr
    if getattr(problem, "args_", {}).get("gbk"):
        assert "GBK" in result.stderr
    assert no_traceback(result.output)


def test_a_system_error_without_a_file_is_not_called_a_file_read(files, api):
    api(record_error=OSError(errno.EIO, "Input/output error"))
    result = run("eval", files.policy, files.record, "--on", "2027-06-01")
    assert result.exit_code == 2
    assert "error[C611]" in result.stderr and "Input/output error" in result.stderr
    assert "C605" not in result.stderr and "?" not in result.stderr


# ------------------------------------------------------------------ determinism
CORPUS = [
    ("policies/jiangxi-2024-34.policy", "examples/jiangxi/qingdao-case.yaml", "2027-06-01",
     "examples/regions.yaml", "critical_illness_cap"),
    ("policies/jiangxi-2024-34.policy", "examples/jiangxi/long-break-repaired.yaml",
     "2027-06-01", "examples/regions.yaml", "waiting_period_months"),
    ("policies/sichuan-2025.policy", "examples/sichuan/migrant-long-break.yaml", "2027-06-01",
     None, None),
    ("policies/shandong-2024-assistance.policy", "examples/shandong/two-identities.yaml",
     "2026-06-01", "examples/shandong/regions.yaml", None),
    ("policies/wuxi-2019-73.policy", "examples/wuxi/fund-jiangyin-2022-subsidy-short.yaml",
     "2021-06-01", None, None),
]


def _commands():
    for policy, record, on, regions, output in CORPUS:
        base = [policy, record, "--on", on] + (["--regions", regions] if regions else [])
        yield ["eval", *base]
        yield ["eval", *base, "--format", "json"]
        yield ["--lang", "zh", "eval", *base]
        if output is None:
            from yibao.interpreter.api import load_policy

            output = load_policy(ROOT / policy).outputs[-1]
        yield ["explain", policy, record, output, *base[2:]]
        yield ["explain", policy, record, output, *base[2:], "--format", "json"]
    yield ["check", "policies"]


def test_the_same_input_gives_the_same_bytes(at_root):
    for args in _commands():
        first = CliRunner().invoke(cli.main, args)
        second = CliRunner().invoke(cli.main, args)
        assert first.exit_code in (0, 1), (args, first.output)
        assert first.stdout_bytes == second.stdout_bytes, args
        assert first.stderr_bytes == second.stderr_bytes, args
        assert first.exit_code == second.exit_code


@pytest.mark.parametrize("args", [["eval", *JIANGXI, "--format", "json"],
                                  ["explain", *EXPLAIN[1:], "--format", "json"],
                                  ["check", "policies"]])
def test_output_does_not_depend_on_hash_order(args):
    # string hashing (and so set and dict-of-set order) differs with PYTHONHASHSEED
    runs = [yibao(*args, env={"PYTHONHASHSEED": seed}) for seed in ("0", "1", "4242")]
    assert {r.returncode for r in runs} == {0}
    assert len({r.stdout for r in runs}) == 1 and len({r.stderr for r in runs}) == 1


def test_a_second_regions_file_is_refused_not_silently_preferred():
    args = ["eval", *JIANGXI[:2], "--on", "2027-06-01", "--regions", "examples/regions.yaml",
            "--regions", "examples/shandong/regions.yaml"]
    done = CliRunner().invoke(cli.main, args)
    assert done.exit_code == 2
    assert "C614" in done.output and "examples/shandong/regions.yaml" in done.output
    once = CliRunner().invoke(cli.main, args[:-2])
    assert once.exit_code == 0, once.output
