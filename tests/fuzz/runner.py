"""Run one input the way the `yibao` command runs it, and sort the result into an outcome.

The library path follows cli.py step by step: check the policy and render its diagnostics,
load the record and the region file, evaluate every output of the record's kind and render
the table and the JSON document (`yibao eval`), then evaluate each output alone with its
explanation and render the tree as text and JSON (`yibao explain`), in English and in
Chinese.  Results are encoded as UTF-8 strictly, as writing them to stdout would; the
diagnostics go to stderr, which Python writes with backslash escapes for what it cannot
encode.

Outcomes:
  ok           everything ran (evaluation errors for single outputs included, once rendered)
  diagnostics  a clean refusal: DiagnosticError, every diagnostic with a code, a place, a
               catalogued message that renders in both languages
  accepted     input that must be refused (see Case.must_refuse and Case.suspect) loaded
  crash        any other exception, or a diagnostic that breaks the rules above
  hang / slow  decided by the caller (engine.py) from the time taken
"""
from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .case import Case
from .corpus import REPO


class Defect(Exception):
    """A rule broken without an exception from yibao: a diagnostic without a place or a
    catalogued message, an output neither computed nor failed.  Counted as a crash."""

    def __init__(self, kind: str, detail: str, where: str = ""):
        super().__init__(f"{kind}: {detail}")
        self.signature = f"{kind} {detail}" + (f" @ {where}" if where else "")


@dataclass
class Tracker:
    """How far an input got, so that a failure can be replayed with the right command."""
    stage: str = "start"        # check | record | regions | eval | explain
    lang: str = "en"
    fmt: str | None = None      # --format of the command that failed, when it matters
    record: str | None = None   # the record file (path) being evaluated
    date: dt.date | None = None
    output: str | None = None
    refused: list = field(default_factory=list)    # stages that ended in a clean refusal
    # Called where one `yibao` command would start (check; eval of a record on a date;
    # explain of one output): the engine restarts its timer there, so a hang means one
    # command ran too long, not the sum of the dozens an input stands for.
    on_command: object = None

    def command(self) -> None:
        if self.on_command is not None:
            self.on_command()


@dataclass
class Prepared:
    """What every input of a process shares: shipped policies, records and region files,
    each loaded once (as the CLI would load them afresh, with the same result)."""
    models: dict = field(default_factory=dict)      # policy id -> checked model
    records: dict = field(default_factory=dict)     # (policy id, path) -> (record, warnings)
    regions: dict = field(default_factory=dict)     # "examples/regions.yaml" -> RegionTable


def prepare(corpus) -> Prepared:
    from yibao.interpreter import api

    ready = Prepared()
    for policy_id in corpus.leaves:
        ready.models[policy_id] = api.load_policy(REPO / "policies" / f"{policy_id}.policy")
        for example in corpus.examples[policy_id]:
            ready.records[(policy_id, str(example.path))] = api.load_record(
                ready.models[policy_id], example.path)
    for name in corpus.region_texts:
        ready.regions[name] = api.load_regions(REPO / name)
    return ready


# ------------------------------------------------------------------ diagnostics
def _sources_for(diags, known) -> dict:
    """The known sources plus every file a diagnostic points into (cli._sources_for)."""
    from yibao.interpreter.source import FileProblem, SourceFile

    sources = dict(known or {})
    for diag in diags:
        path = getattr(diag.span, "path", None)
        if path and path not in sources and os.path.isfile(path):
            try:
                sources[path] = SourceFile.read(path)
            except FileProblem:
                pass
    return sources


def _format_check(key: str, args: dict, where: str) -> None:
    from yibao.interpreter.messages import MESSAGES

    if key not in MESSAGES:
        raise Defect("UncataloguedMessage", key, where)
    for lang, template in zip(("en", "zh"), MESSAGES[key]):
        try:
            template.format(code=key, **args)
        except (KeyError, IndexError) as err:
            raise Defect("MessageArgumentMissing", f"{key} ({lang}: {err})", where) from None


def render_diagnostics(diags, sources, tracker: Tracker, raised_at: str = "") -> None:
    """Check every diagnostic and render them all, in both languages, as the CLI does."""
    from yibao.interpreter.render_diagnostics import render_all

    for diag in diags:
        if not isinstance(diag.code, str) or not diag.code:
            raise Defect("DiagnosticWithoutCode", repr(diag.code), raised_at)
        if diag.span is None and not diag.file:
            raise Defect("UnlocatedDiagnostic", diag.code, raised_at)
        _format_check(diag.code, dict(diag.args), raised_at)
        for hint in diag.hints:
            _format_check(hint.key, dict(hint.args), raised_at)
    sources = _sources_for(diags, sources)
    for lang in ("en", "zh"):
        tracker.lang = lang
        # Diagnostics go to stderr, which Python writes with errors="backslashreplace": a
        # lone surrogate shows as \ud800 there, never an error.  Results go to stdout, strict.
        render_all(diags, lang, sources).encode("utf-8", "backslashreplace")
    tracker.lang = "en"


def encoded(text: str, what: str) -> bytes:
    """Text for stdout as the terminal gets it: a lone surrogate cannot be written."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise Defect("UnencodableOutput", what) from None


def _raised_at(err: BaseException) -> str:
    from .signatures import frame_signature, traceback_frames

    return frame_signature(traceback_frames(err.__traceback__))


def refused(err, tracker: Tracker, stage: str, sources=None) -> None:
    """A DiagnosticError: a clean refusal when its diagnostics are well formed."""
    render_diagnostics(err.diagnostics, {**(sources or {}), **getattr(err, "sources", {})},
                       tracker, _raised_at(err))
    tracker.refused.append(stage)


# ------------------------------------------------------------------ evaluation
def _contains_text(value, text: str) -> bool:
    from yibao.interpreter.values import History

    if isinstance(value, str):
        return text in value
    if isinstance(value, History):
        value = value.entries
    if isinstance(value, dict):
        return any(_contains_text(v, text) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_contains_text(v, text) for v in value)
    return False


def evaluate_like_cli(model, record, as_of, regions, sources, tracker: Tracker) -> None:
    """`yibao eval` (table and JSON), then `yibao explain` (text and JSON) of each output."""
    from yibao.cli import render_table
    from yibao.interpreter import api
    from yibao.interpreter.diagnostics import DiagnosticError
    from yibao.interpreter.explain_render import render_tree, tree_to_json
    from yibao.interpreter.formatting import to_json, to_text

    kind = record.get("kind") or model.default_kind
    outputs = model.outputs_for(kind)
    tracker.command()
    tracker.stage, tracker.date, tracker.output, tracker.fmt = "eval", as_of, None, None
    try:
        result = api.evaluate(model, record, as_of, regions)
    except DiagnosticError as err:
        refused(err, tracker, "eval", sources)
        return
    errors = result.errors or {}
    rows, document, diags = {"en": [], "zh": []}, {}, []
    for name in outputs:
        tracker.output = name
        if name in result.values and name not in errors:
            ty = model.output_type(name)
            tracker.fmt = "table"
            text = to_text(result.values[name], ty)
            tracker.fmt = "json"
            document[name] = to_json(result.values[name], ty)
            label = model.output_label(name) or ""
            rows["en"].append((name, label, text))
            rows["zh"].append((name, label, text))
        elif name in result.not_applicable:
            if name in result.values or name in errors:
                raise Defect("NotApplicableAndAnotherOutcome", name)
            document[name] = None
            reason = result.not_applicable[name].reason
            label = model.output_label(name) or ""
            rows["en"].append((name, label, f"— not applicable: {reason}"))
            rows["zh"].append((name, label, f"— 不适用:{reason}"))
        elif name in errors:
            diag = getattr(errors[name], "diagnostic", None)
            if diag is None:
                raise Defect("EvalErrorWithoutDiagnostic", type(errors[name]).__name__)
            diags.append(diag)
            rows["en"].append((name, model.output_label(name) or "", f"(error {diag.code})"))
            rows["zh"].append((name, model.output_label(name) or "", f"(错误 {diag.code})"))
        else:
            raise Defect("OutputNeitherComputedNorFailed", name)
    tracker.output, tracker.fmt = None, "json"
    encoded(json.dumps(document, ensure_ascii=False, indent=2), "eval JSON")
    tracker.fmt = "table"
    for lang in ("en", "zh"):
        tracker.lang = lang
        encoded(render_table(rows[lang], lang), "eval table")
    tracker.lang, tracker.fmt = "en", None
    render_diagnostics(diags, sources, tracker)

    tracker.stage = "explain"
    for name in outputs:
        # one `yibao explain` per output, evaluating that output alone as the command does
        tracker.command()
        tracker.output, tracker.fmt = name, None
        try:
            result = api.evaluate(model, record, as_of, regions, outputs=[name], explain=True)
        except DiagnosticError as err:
            refused(err, tracker, "explain", sources)
            continue
        tree = (result.trees or {}).get(name)
        error = (result.errors or {}).get(name)
        if tree is None and error is None:
            raise Defect("NoExplanation", name)   # `yibao explain` exits 3 on this
        if tree is not None:
            # The CLI renders one of these per command: each rendering after the first is a
            # command of its own (without the evaluation, which the first one carries).
            tracker.fmt = "text"
            for lang in ("en", "zh"):
                if lang == "zh":
                    tracker.command()
                tracker.lang = lang
                encoded(render_tree(tree, lang), "explain tree")
            tracker.command()
            tracker.lang, tracker.fmt = "en", "json"
            encoded(json.dumps(tree_to_json(tree), ensure_ascii=False), "explain JSON")
        if error is not None:
            tracker.fmt = None
            render_diagnostics([error.diagnostic], sources, tracker)
    tracker.output, tracker.fmt = None, None


# ------------------------------------------------------------------ one input
def write_case(case: Case, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if old.is_file() and old.name not in case.files:
            old.unlink()
    for name, data in case.files.items():
        (folder / name).write_bytes(data)


def run_case(case: Case, folder: Path, ready: Prepared, tracker: Tracker) -> str:
    """Run one case (its files written into `folder`); returns ok, diagnostics or accepted.
    Raises whatever yibao raised that is not a clean refusal."""
    from yibao.interpreter import api
    from yibao.interpreter.diagnostics import DiagnosticError
    from yibao.interpreter.loader import build_model

    write_case(case, folder)
    sources = {}
    if case.policy_file is not None:
        tracker.stage = "check"
        try:
            model, diags = build_model(folder / case.policy_file)
        except DiagnosticError as err:
            refused(err, tracker, "check")
            return "diagnostics"
        sources = model.sources
        render_diagnostics(diags, sources, tracker)
        if any(d.is_error for d in diags):
            tracker.refused.append("check")
            return "diagnostics"
        if case.must_refuse:
            return "accepted"
    else:
        model = ready.models[case.policy_id]
        sources = model.sources

    regions = None
    if case.regions is not None:
        where, name = case.regions
        tracker.stage = "regions"
        if where == "shipped":
            regions = ready.regions[name]
        else:
            try:
                regions = api.load_regions(folder / name)
            except DiagnosticError as err:
                refused(err, tracker, "regions", sources)
                return "diagnostics"
            if case.must_refuse:
                return "accepted"

    for ref in case.records:
        tracker.command()
        tracker.stage, tracker.date, tracker.output = "record", None, None
        tracker.record = str(folder / ref.name) if ref.in_case else ref.name
        if ref.in_case or case.policy_file is not None:
            try:
                record, warnings = api.load_record(model, tracker.record)
            except DiagnosticError as err:
                refused(err, tracker, "record", sources)
                continue
        else:
            record, warnings = ready.records[(case.policy_id, ref.name)]
        render_diagnostics(warnings, sources, tracker)
        if ref.in_case and case.must_refuse:
            return "accepted"
        suspect = case.suspect if ref.in_case else None
        if suspect is not None and suspect.field in record and \
                not _contains_text(record[suspect.field], suspect.text):
            return "accepted"
        for as_of in ref.dates:
            evaluate_like_cli(model, record, as_of, regions, sources, tracker)
    return "diagnostics" if tracker.refused else "ok"
