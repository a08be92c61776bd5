"""A fuzz campaign: inputs run in worker processes, each under a time and memory limit.

Each worker is a fork of the campaign process (the shipped policies, records and region
files already loaded) that takes input numbers from a shared counter and runs them one at
a time, in process.  Each command an input stands for (a check, an eval of one record on
one date, an explain of one output) must finish within `timeout` seconds: SIGALRM
(setitimer, restarted at each command) interrupts it and the input counts as a hang.  One
stuck where a signal cannot reach it (inside C code) is stopped by faulthandler's watchdog,
which dumps the stack to a log and ends the worker; the campaign then records the hang
from that log and starts a new worker.  A worker that dies of a signal (a segfault from a
too-deep C stack, say) is a crash found the same way.  Memory is capped with RLIMIT_AS so
a blow-up is a MemoryError.
"""
from __future__ import annotations

import decimal
import faulthandler
import multiprocessing
import os
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from .case import TARGETS
from .corpus import load_corpus
from .generate import make_case
from .runner import Defect, Prepared, Tracker, prepare, run_case
from .signatures import (exception_signature, printed_exception_type, project_name,
                         text_signature, traceback_frames)

OUTCOMES = ("ok", "diagnostics", "accepted", "crash", "hang", "slow")
MEMORY_LIMIT = 4 << 30           # bytes of address space per worker
WORKER_INPUTS = 4000             # a worker is replaced after this many inputs (fresh heap)


@dataclass
class Config:
    seed: int = 0
    runs: int = 1000
    seconds: float | None = None
    timeout: float = 5.0
    slow: float = 0.5
    workers: int = 2
    targets: tuple = TARGETS
    cli_share: float = 0.0       # share of inputs also run through the real CLI (CliRunner)
    start: int = 0               # first input number
    stop_at: float = float("inf")    # time.time() after which no input is started
    watchdog: float | None = None    # seconds before faulthandler ends a stuck worker

    @property
    def watchdog_seconds(self) -> float:
        return self.watchdog if self.watchdog is not None else self.timeout * 4 + 5


@dataclass
class Result:
    index: int
    target: str
    family: str
    outcome: str
    seconds: float
    signature: str | None = None
    detail: dict = field(default_factory=dict)
    cli_seconds: float = 0.0


class Hang(BaseException):
    """Raised by SIGALRM in the input that ran too long (not an Exception, so yibao's own
    `except Exception` cannot swallow it)."""


_armed = False    # a SIGALRM already pending when the timer is stopped must not count
_watchdog = None  # (seconds, log file) in a worker: faulthandler's last resort


def _alarm(signum, frame):
    if _armed:
        raise Hang()


def _arm(seconds: float) -> None:
    """Start (or restart) the timer of the command running now, and the watchdog."""
    global _armed
    _armed = seconds > 0
    signal.setitimer(signal.ITIMER_REAL, seconds)
    if _watchdog is not None:
        faulthandler.dump_traceback_later(_watchdog[0], exit=True, file=_watchdog[1])


def _disarm() -> None:
    global _armed
    signal.setitimer(signal.ITIMER_REAL, 0)
    _armed = False


# ------------------------------------------------------------------ one input
class _State:
    """Interpreter-wide settings an input may change, put back after each input."""

    def __init__(self):
        self.recursion = sys.getrecursionlimit()
        self.decimal = decimal.getcontext().copy()
        self.int_digits = sys.get_int_max_str_digits()

    def restore(self):
        sys.setrecursionlimit(self.recursion)
        decimal.setcontext(self.decimal.copy())
        sys.set_int_max_str_digits(self.int_digits)


def _tail(tb, frames: int):
    """The last `frames` entries of a traceback (formatting all 20000 of a RecursionError's
    would take seconds)."""
    entries = []
    while tb is not None:
        entries.append(tb)
        tb = tb.tb_next
    return entries[-frames] if len(entries) > frames else (entries[0] if entries else None)


def _detail(case, tracker: Tracker, error: BaseException | None = None) -> dict:
    detail = {"stage": tracker.stage, "lang": tracker.lang, "fmt": tracker.fmt,
              "record": tracker.record, "output": tracker.output,
              "date": tracker.date.isoformat() if tracker.date else None,
              "note": case.note, "size": case.size}
    if error is not None:
        detail["message"] = f"{type(error).__name__}: {str(error)[:300]}"
        lines = traceback.format_exception(type(error), error, _tail(error.__traceback__, 25),
                                           chain=False)
        detail["traceback"] = "".join(lines)[-6000:]
    return detail


def hang_signature(hang: Hang, stage: str) -> str:
    """Where the time ran out: the stage and yibao's innermost module.  The line is left
    out: a slow loop is interrupted at a different line each time."""
    frames = [f for f in traceback_frames(hang.__traceback__) if f[2] != "_alarm"]
    ours = [name for file, _, _ in frames if (name := project_name(file)) is not None]
    if ours:
        return f"Hang in {stage} @ {ours[-1]}"
    where = "/".join(Path(frames[-1][0]).parts[-2:]) if frames else "?"
    return f"Hang in {stage} @ {where} (no yibao frame)"


def classify(case, tracker: Tracker, outcome, error) -> tuple:
    """(outcome, signature, detail) from what run_case returned or raised."""
    if error is None:
        if outcome == "accepted":
            reason = case.must_refuse or "a value read as something else"
            return outcome, f"Accepted: {reason}", _detail(case, tracker)
        return outcome, None, {}
    if isinstance(error, Hang):
        return "hang", hang_signature(error, tracker.stage), _detail(case, tracker, error)
    if isinstance(error, Defect):
        return "crash", error.signature, _detail(case, tracker, error)
    return "crash", exception_signature(error), _detail(case, tracker, error)


def execute(case, index: int, folder: Path, ready: Prepared, config: Config, state: _State,
            corpus=None) -> Result:
    """Run one input under the timer; never raises (but KeyboardInterrupt)."""
    tracker = Tracker(on_command=lambda: _arm(config.timeout))
    outcome, error = None, None
    start = time.perf_counter()
    try:
        try:
            _arm(config.timeout)
            outcome = run_case(case, folder, ready, tracker)
        finally:
            _disarm()       # before anything else: the rest must not be timed out
    except KeyboardInterrupt:
        raise
    except BaseException as caught:  # noqa: BLE001 - every exception is a finding, sorted below
        error = caught
    seconds = time.perf_counter() - start
    state.restore()
    outcome, signature, detail = classify(case, tracker, outcome, error)
    error = None      # let go of a RecursionError's thousands of frames
    if outcome in ("ok", "diagnostics") and seconds > config.slow:
        outcome, detail = "slow", _detail(case, tracker)
    result = Result(index, case.target, case.family, outcome, seconds, signature, detail)
    if config.cli_share and random.Random(f"{config.seed}/{index}/cli").random() < config.cli_share:
        _through_cli(case, index, folder, ready, config, state, corpus, result)
    return result


def _through_cli(case, index, folder, ready, config, state, corpus, result: Result) -> None:
    """Run the input's commands with click's CliRunner; exit 3 or an exception is a crash."""
    from .commands import cli_commands, materialise, run_cli

    rng = random.Random(f"{config.seed}/{index}/cli-commands")
    cli_folder = folder.parent / (folder.name + "-cli")
    if cli_folder.exists():
        shutil.rmtree(cli_folder)
    paths = materialise(case, cli_folder, corpus)
    outputs = list(ready.models[case.policy_id].outputs)
    start = time.perf_counter()
    try:
        for argv in cli_commands(rng, case, paths, outputs):
            _arm(config.timeout * 2)    # a command here also loads the policy afresh
            code, stderr, error = run_cli(argv)
            if error is not None or code not in (0, 1, 2) or "Traceback (most recent" in stderr:
                if error is not None:
                    signature = "cli " + exception_signature(error)
                else:
                    kind = printed_exception_type(stderr)
                    signature = f"cli exit {code}: " + text_signature(stderr, kind)
                if result.outcome not in ("crash", "hang"):
                    result.outcome, result.signature = "crash", signature
                    result.detail = {"note": case.note, "size": case.size, "argv": argv,
                                     "traceback": stderr[-6000:], "stage": "cli"}
                break
    except Hang:
        if result.outcome not in ("crash", "hang"):
            result.outcome, result.signature = "hang", "cli Hang"
            result.detail = {"note": case.note, "size": case.size, "stage": "cli"}
    finally:
        _disarm()
        result.cli_seconds = time.perf_counter() - start
        state.restore()


# ------------------------------------------------------------------ workers
def _limit_memory() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _worker(slot, config, corpus, ready, counter, current, results, workdir, log_path):
    global _watchdog
    _limit_memory()
    signal.signal(signal.SIGALRM, _alarm)
    log = open(log_path, "w")
    faulthandler.enable(file=log)
    _watchdog = (config.watchdog_seconds, log)
    folder = Path(workdir) / f"w{slot}"
    state = _State()
    for _ in range(WORKER_INPUTS):
        with counter.get_lock():
            index = counter.value
            if index >= config.start + config.runs or time.time() > config.stop_at:
                break
            counter.value = index + 1
        current.value = index
        faulthandler.dump_traceback_later(config.watchdog_seconds, exit=True, file=log)   # until armed
        try:
            case = make_case(corpus, config.seed, index, config.targets)
        except Exception as error:  # noqa: BLE001 - a bug in the fuzzer: loud, not fatal
            result = Result(index, "?", "?", "crash", 0.0,
                            f"fuzzer bug: {exception_signature(error)}",
                            {"message": repr(error), "traceback": traceback.format_exc()})
        else:
            try:
                result = execute(case, index, folder, ready, config, state, corpus)
            except Exception as error:  # noqa: BLE001 - a bug in the fuzzer: loud, not fatal
                result = Result(index, case.target, case.family, "crash", 0.0,
                                f"fuzzer bug: {exception_signature(error)}",
                                {"message": repr(error), "traceback": traceback.format_exc()[-6000:]})
        faulthandler.cancel_dump_traceback_later()
        current.value = -1
        results.put(result)
    log.close()
    os._exit(0)   # skip atexit handlers inherited from the parent (pytest's among them)


@dataclass
class Slot:
    number: int
    process: object = None
    current: object = None


def _death(slot: Slot, index: int, exitcode: int, log_path: str, config: Config, corpus) -> Result:
    """The result for the input a worker died on."""
    case = make_case(corpus, config.seed, index, config.targets)
    log = Path(log_path).read_text(errors="replace") if Path(log_path).exists() else ""
    dump = log.split("Timeout (")[-1] if "Timeout (" in log else log
    if exitcode == 1 and "Timeout (" in log:
        outcome, kind = "hang", "Hang (watchdog)"
    else:
        outcome = "crash"
        kind = f"WorkerDied(signal {-exitcode})" if exitcode < 0 else f"WorkerDied(exit {exitcode})"
    signature = text_signature(dump, kind, newest_first=True)
    detail = {"note": case.note, "size": case.size, "stage": "?", "traceback": dump[-6000:]}
    return Result(index, case.target, case.family, outcome, config.timeout, signature, detail)


def run_campaign(config: Config, on_result=None, workdir: str | None = None):
    """Run inputs start .. start+runs-1 (or until `seconds` pass); returns the Results."""
    corpus = load_corpus()
    ready = prepare(corpus)
    if config.seconds:
        config.stop_at = time.time() + config.seconds
    context = multiprocessing.get_context("fork")
    counter = context.Value("q", config.start)
    results = context.SimpleQueue()
    own_workdir = workdir is None
    workdir = workdir or tempfile.mkdtemp(prefix="yibao-fuzz-")
    slots = [Slot(i) for i in range(max(1, config.workers))]
    collected: list[Result] = []

    def work_left() -> bool:
        return counter.value < config.start + config.runs and time.time() <= config.stop_at

    def start(slot: Slot) -> None:
        slot.current = context.Value("q", -1, lock=False)
        log_path = os.path.join(workdir, f"faulthandler-{slot.number}.log")
        slot.process = context.Process(
            target=_worker, args=(slot.number, config, corpus, ready, counter, slot.current,
                                  results, workdir, log_path), daemon=True)
        slot.process.start()

    def drain() -> None:
        while not results.empty():
            result = results.get()
            collected.append(result)
            if on_result:
                on_result(result)

    try:
        for slot in slots:
            start(slot)
        while any(slot.process is not None for slot in slots):
            drain()
            for slot in slots:
                process = slot.process
                if process is None or process.is_alive():
                    continue
                process.join()
                drain()
                index = slot.current.value
                if process.exitcode != 0 and index >= 0:
                    log_path = os.path.join(workdir, f"faulthandler-{slot.number}.log")
                    result = _death(slot, index, process.exitcode, log_path, config, corpus)
                    collected.append(result)
                    if on_result:
                        on_result(result)
                slot.process = None
                if work_left():
                    start(slot)
            time.sleep(0.02)
        drain()
    finally:
        for slot in slots:
            if slot.process is not None and slot.process.is_alive():
                slot.process.kill()
                slot.process.join()
        if own_workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    collected.sort(key=lambda r: r.index)
    return collected, corpus


def replay(seed: int, index: int, targets=TARGETS, timeout: float = 5.0, folder=None):
    """Run one input in this process, with its full traceback: for debugging a signature."""
    corpus = load_corpus()
    ready = prepare(corpus)
    case = make_case(corpus, seed, index, targets)
    folder = Path(folder or tempfile.mkdtemp(prefix="yibao-replay-"))
    config = Config(seed=seed, timeout=timeout, slow=float("inf"))
    old = signal.signal(signal.SIGALRM, _alarm)
    try:
        result = execute(case, index, folder, ready, config, _State(), corpus)
    finally:
        signal.signal(signal.SIGALRM, old)
    return case, result
