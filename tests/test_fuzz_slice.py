"""A seeded slice of the fuzz campaign, and checks that the fuzzer itself sorts right.

The slice runs 2000 mutated policies, records and region files (all three targets, in two
worker processes, well under a minute) through the engine benchmarks/fuzz.py uses
(tests/fuzz/), and asserts that none crashed and none hung.  On failure it prints the
table of counts and each distinct signature, with the folder holding a reproducing example
and the `yibao` command to run on it.  The whole campaign (10^5 inputs):

    .venv/bin/python -P benchmarks/fuzz.py --runs 100000 --seed 1 --save /tmp/fuzz-findings

The slice uses the campaign's timeout (5 s per command): the largest inputs the limits
allow take up to about 3 s on a busy 2-core machine, in proportion to their size, while a
real hang runs past any limit.
"""
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT
from .fuzz import engine
from .fuzz.corpus import load_corpus
from .fuzz.data_text import Pairs, Raw, read_seed, to_json, to_yaml
from .fuzz.engine import Config, Result, run_campaign
from .fuzz.generate import make_case
from .fuzz.report import counts_table, findings_table, summarise
from .fuzz.runner import Defect, Tracker, render_diagnostics

# cli_share: about 40 of the inputs also go through the real CLI (click's CliRunner)
SLICE = dict(seed=20250701, runs=2000, timeout=5.0, workers=2, cli_share=0.02)


def test_fuzz_slice_finds_no_crash_and_no_hang(tmp_path):
    config = Config(**SLICE)
    results, corpus = run_campaign(config)
    summary = summarise(results)
    assert sorted(r.index for r in results) == list(range(config.runs))   # none lost
    assert {r.target for r in results} == {"policies", "records", "regions"}
    failures = summary.outcome_total("crash") + summary.outcome_total("hang")
    if failures:
        from .fuzz.saving import save_findings

        saved = save_findings(summary, corpus, config, tmp_path / "findings")
        pytest.fail(f"{failures} of {config.runs} fuzz inputs crashed or hung "
                    f"(replay one: python -P benchmarks/fuzz.py --seed {config.seed} "
                    f"--replay N)\n\n{counts_table(summary)}\n\n{findings_table(summary, saved)}",
                    pytrace=False)


# ------------------------------------------------------------------ saved failures
# tests/regressions/NN-name/: the input files of one failure the fuzzer found, written
# small by hand, and case.txt: `exit:` the exit codes a correct yibao may give, `says:` a
# text its messages must contain (the place of the problem), `run:` the command, whose
# arguments name files of the folder or of the repository (policies/, examples/).
REGRESSIONS = Path(__file__).resolve().parent / "regressions"


def _regressions():
    return sorted(p for p in REGRESSIONS.iterdir() if (p / "case.txt").is_file()) \
        if REGRESSIONS.is_dir() else []


def _read_case(folder: Path) -> dict:
    fields = {}
    for line in (folder / "case.txt").read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(":")
        if not line.startswith("#") and value:
            fields[key.strip()] = value.strip()
    return fields


def _argument(folder: Path, text: str) -> str:
    for base in (folder, ROOT):
        if "/" in text or base is folder:
            if (base / text).is_file():
                return str(base / text)
    return text


@pytest.mark.parametrize("folder", _regressions(), ids=lambda p: p.name)
def test_saved_failure_now_ends_in_a_message(folder):
    fields = _read_case(folder)
    words = shlex.split(fields["run"])
    assert words[0] == "yibao"
    allowed = {int(code) for code in fields["exit"].split()}
    # A fresh process with a hard timeout: some of these hung inside C code, where no
    # signal reaches.  -P -m cli runs the installed command, as the other CLI tests do.
    try:
        done = subprocess.run([sys.executable, "-P", "-m", "yibao.cli",
                               *[_argument(folder, w) for w in words[1:]]],
                              capture_output=True, text=True, errors="replace", timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{folder.name}: still running after 30 s")
    assert "Traceback (most recent call last)" not in done.stderr, done.stderr[-3000:]
    assert done.returncode in allowed, done.stderr[-3000:]
    if "says" in fields:
        assert fields["says"] in done.stderr


# ------------------------------------------------------------------ the fuzzer itself
def test_inputs_depend_only_on_seed_and_number():
    corpus = load_corpus()
    first = [make_case(corpus, 7, i) for i in (0, 1, 250)]
    again = [make_case(corpus, 7, i) for i in (250, 1, 0)][::-1]
    assert [c.files for c in first] == [c.files for c in again]
    other = [make_case(corpus, 8, i) for i in (0, 1, 250)]
    assert [c.files for c in first] != [c.files for c in other]


def test_data_spelling_keeps_raw_text_and_repeated_keys():
    tree = read_seed("a: 010\nb: {2025-01-01: 1.50}\n")
    assert tree == {"a": "010", "b": {"2025-01-01": "1.50"}}
    tree["c"] = Pairs([(Raw("k"), Raw("1")), (Raw("k"), "two")])
    assert to_yaml(tree) == 'a: 010\nb:\n  2025-01-01: 1.50\nc:\n  k: 1\n  k: "two"\n'
    assert to_yaml(tree, block_depth=1) == 'a: 010\nb: {2025-01-01: 1.50}\nc: {k: 1, k: "two"}\n'
    assert to_json(tree, indent=None) == '{"a": "010","b": {"2025-01-01": 1.50},"c": {"k": 1,"k": "two"}}'


def test_a_diagnostic_without_a_place_is_not_a_clean_refusal():
    from yibao.interpreter.diagnostics import Diagnostic

    placed = Diagnostic.error("E582", None, file="r.yaml", kind="x", kinds="person")
    render_diagnostics([placed], {}, Tracker())          # located: fine
    with pytest.raises(Defect, match="UnlocatedDiagnostic: E582"):
        render_diagnostics([Diagnostic.error("E582", None, kind="x", kinds="person")], {}, Tracker())
    with pytest.raises(Defect, match="UncataloguedMessage"):
        render_diagnostics([Diagnostic.error("Z999", None, file="r.yaml")], {}, Tracker())


def _fake_execute(behaviour):
    """An engine.execute that does `behaviour(index)` instead of running the input."""
    def execute(case, index, folder, ready, config, state, corpus=None):
        start = time.perf_counter()
        engine._arm(config.timeout)
        try:
            behaviour(index)
            outcome, signature = "ok", None
        except engine.Hang:
            outcome, signature = "hang", "Hang"
        except Exception as error:  # noqa: BLE001
            outcome, signature = "crash", type(error).__name__
        finally:
            engine._disarm()
        return Result(index, case.target, case.family, outcome, time.perf_counter() - start,
                      signature)
    return execute


def test_a_worker_that_dies_or_sticks_is_counted_and_replaced(monkeypatch):
    def behaviour(index):
        if index == 2:
            os.kill(os.getpid(), signal.SIGSEGV)          # a crash no exception reports
        if index == 4:
            signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])   # deaf to the timer
            time.sleep(30)
        if index == 6:
            while True:                                  # an ordinary endless loop
                pass
        if index == 7:
            raise ValueError("boom")

    monkeypatch.setattr(engine, "execute", _fake_execute(behaviour))
    monkeypatch.setattr(engine, "prepare", lambda corpus: None)
    results, _ = run_campaign(Config(seed=1, runs=9, timeout=0.3, watchdog=1.5, workers=2))
    by_index = {r.index: r for r in results}
    assert sorted(by_index) == list(range(9))
    assert by_index[2].outcome == "crash" and by_index[2].signature.startswith("WorkerDied(signal 11)")
    assert by_index[4].outcome == "hang" and by_index[4].signature.startswith("Hang (watchdog)")
    assert (by_index[6].outcome, by_index[6].signature) == ("hang", "Hang")
    assert (by_index[7].outcome, by_index[7].signature) == ("crash", "ValueError")
    assert {by_index[i].outcome for i in (0, 1, 3, 5, 8)} == {"ok"}


def test_a_traceback_from_the_real_cli_is_a_crash(monkeypatch, tmp_path):
    from yibao.interpreter import api

    from .fuzz.runner import prepare

    corpus = load_corpus()
    ready = prepare(corpus)
    case = next(c for c in (make_case(corpus, 3, i, ("records",)) for i in range(50))
                if c.family == "type-swap")

    def broken(path):
        raise ValueError("boom")

    monkeypatch.setattr(api, "load_policy", broken)     # what `yibao eval` calls first
    result = Result(0, case.target, case.family, "ok", 0.0)
    engine._through_cli(case, 0, tmp_path / "w", ready, Config(seed=3), engine._State(), corpus,
                        result)
    assert result.outcome == "crash"
    assert result.signature.startswith("cli exit 3: ValueError @ ")
    assert "boom" in result.detail["traceback"]


def test_the_time_limit_applies_to_each_command_of_an_input(monkeypatch, tmp_path):
    def commands(seconds):
        def run(case, folder, ready, tracker):
            for pause in seconds:
                tracker.command()
                time.sleep(pause)
            return "ok"
        return run

    case = make_case(load_corpus(), 1, 0)
    config = Config(timeout=0.2, slow=10.0)
    old = signal.signal(signal.SIGALRM, engine._alarm)
    try:
        monkeypatch.setattr(engine, "run_case", commands([0.12, 0.12, 0.12]))
        assert engine.execute(case, 0, tmp_path, None, config, engine._State()).outcome == "ok"
        monkeypatch.setattr(engine, "run_case", commands([0.05, 0.3]))
        hung = engine.execute(case, 0, tmp_path, None, config, engine._State())
    finally:
        signal.signal(signal.SIGALRM, old)
    assert hung.outcome == "hang" and hung.signature.startswith("Hang in start @ ")
