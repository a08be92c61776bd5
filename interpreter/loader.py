"""Find, parse and check a policy file with the chain it extends.

A policy `extends X` finds X as `X.policy` beside itself.  The whole chain is parsed and
checked together, so errors in a parent are reported when checking a child.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from . import nodes
from .checker import run_passes
from .diagnostics import Diagnostic, DiagnosticError, Hint, did_you_mean
from .limits import MAX_CHAIN, MAX_POLICY_BYTES, deep_recursion
from .model import Model, Origin
from .parser import file_problem, nesting_too_deep, parse_source
from .source import FileProblem, SourceFile


# Where policy text comes from: a function from a path to its SourceFile, raising
# source.FileProblem when it cannot give one.  The disk by default; an editor passes its
# unsaved buffers in front of the disk (with_buffers), so what is checked is what is shown.
TextProvider = Callable[[Path], SourceFile]


def read_from_disk(path: Path) -> SourceFile:
    return SourceFile.read(path, MAX_POLICY_BYTES)


def with_buffers(buffers: dict[str, str], fallback: TextProvider = read_from_disk
                 ) -> TextProvider:
    """A provider giving `buffers` (path -> text, as an editor holds them) before the
    fallback.  Paths are compared resolved, so `./a.policy` finds `a.policy`."""
    held = {str(Path(p).resolve()): text for p, text in buffers.items()}

    def provide(path: Path) -> SourceFile:
        text = held.get(str(Path(path).resolve()))
        if text is None:
            return fallback(path)
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_POLICY_BYTES:
            raise FileProblem("too_large", str(path), size=size, limit=MAX_POLICY_BYTES)
        return SourceFile.from_text(str(path), text.removeprefix("\ufeff"))
    return provide


def load_chain(path: Path, sources: dict[str, SourceFile],
               read: TextProvider = read_from_disk) -> list[nodes.PolicyFile]:
    """Parse `path` and its ancestors; root first.  Raises DiagnosticError."""
    chain: list[nodes.PolicyFile] = []
    seen: list[str] = []
    current = path
    extended_at = None   # where the child names the parent being read
    while True:
        source = _read_first(current, read) if extended_at is None else \
            _read_parent(current, extended_at, seen[-1], parent, read)
        sources[source.path] = source
        policy = parse_source(source)
        if current.stem != policy.header.policy_id:
            raise DiagnosticError([Diagnostic.error(
                "Y140", _id_span(policy), hints=[Hint.of("hint.Y140", stem=current.stem)],
                policy=policy.header.policy_id, filename=current.name)])
        chain.append(policy)
        seen.append(policy.header.policy_id)
        parent = policy.header.extends
        if parent is None:
            break
        extended_at = policy.header.extends_span or _id_span(policy)
        if parent in seen or len(chain) >= MAX_CHAIN:
            raise DiagnosticError([Diagnostic.error("Y313", extended_at,
                                                    chain=" -> ".join(seen + [parent]))])
        current = current.parent / f"{parent}.policy"
    chain.reverse()
    return chain


def _read_first(path: Path, read: TextProvider) -> SourceFile:
    try:
        return read(path)
    except FileProblem as problem:
        raise DiagnosticError([file_problem(problem)]) from None


def _read_parent(path: Path, extended_at, child: str, parent: str,
                 read: TextProvider) -> SourceFile:
    """A parent policy's text.  One that is missing or cannot be read (a directory, a FIFO,
    too large, a name too long for the system) is reported at the child's `extends`, where
    the fix is chosen; text that is not UTF-8 is reported at its first bad byte, in the
    parent.  (No exists() first: it raises for a name too long, and would race the read.)"""
    try:
        return read(path)
    except FileProblem as problem:
        if problem.reason == "missing":
            siblings = [p.stem for p in path.parent.glob("*.policy") if p.stem != child]
            problem_diag = Diagnostic.error("Y141", extended_at, parent=parent, path=str(path),
                                            hints=did_you_mean(parent, siblings))
        else:
            span = None if problem.reason == "not_utf8" else extended_at
            problem_diag = file_problem(problem, span)
        raise DiagnosticError([problem_diag]) from None


def _id_span(policy: nodes.PolicyFile):
    return policy.header.span


def build_model(path: Path, read: TextProvider = read_from_disk
                ) -> tuple[Model, list[Diagnostic]]:
    with deep_recursion():   # long expressions are checked by recursive descent
        return _build_model(path, read)


def _build_model(path: Path, read: TextProvider) -> tuple[Model, list[Diagnostic]]:
    sources: dict[str, SourceFile] = {}
    try:
        chain = load_chain(path, sources, read)
    except DiagnosticError as err:
        err.sources = sources
        raise
    leaf = chain[-1]
    origins = {p.header.policy_id: Origin(p.header.policy_id, p.header.get("document"))
               for p in chain}
    model = Model(leaf.header.policy_id, str(path), leaf.header, chain, origins, sources)
    try:
        diags = run_passes(model)
    except RecursionError:
        err = DiagnosticError([nesting_too_deep(leaf.header.span)])
        err.sources = sources
        raise err from None
    model.warnings = [d for d in diags if not d.is_error]
    return model, diags


def load_checked(path: Path, read: TextProvider = read_from_disk) -> Model:
    """A checked model, or DiagnosticError listing every error (and warning) found."""
    model, diags = build_model(path, read)
    if any(d.is_error for d in diags):
        err = DiagnosticError(diags)
        err.sources = model.sources
        raise err
    return model


def check_files(paths: list[Path]) -> tuple[list[Diagnostic], dict[str, SourceFile], int]:
    """Check each policy file (directories recurse); never raises for policy problems."""
    files: list[Path] = []
    diags: list[Diagnostic] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(p.rglob("*.policy")))
        elif p.exists():
            files.append(p)
        else:
            diags.append(Diagnostic.error("Y001", None, file=str(p), path=str(p)))
    sources: dict[str, SourceFile] = {}
    seen: set[tuple] = set()
    for f in files:
        try:
            model, found = build_model(f)
            sources.update(model.sources)
        except DiagnosticError as err:
            found = err.diagnostics
            sources.update(getattr(err, "sources", {}))
        for d in found:
            key = (d.code, d.span, d.args)  # a parent's problems show once, not per child
            if key not in seen:
                seen.add(key)
                diags.append(d)
    return diags, sources, len(files)
