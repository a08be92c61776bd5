"""Find, parse and check a policy file with the chain it extends.

A policy `extends X` finds X as `X.policy` beside itself.  The whole chain is parsed and
checked together, so errors in a parent are reported when checking a child.
"""
from __future__ import annotations

from pathlib import Path

from . import nodes
from .checker import run_passes
from .diagnostics import Diagnostic, DiagnosticError, Hint
from .inherit import did_you_mean
from .limits import MAX_CHAIN, MAX_POLICY_BYTES, allow_deep_recursion
from .model import Model, Origin
from .parser import file_problem, nesting_too_deep, parse_source, read_source
from .source import FileProblem, SourceFile


def load_chain(path: Path, sources: dict[str, SourceFile]) -> list[nodes.PolicyFile]:
    """Parse `path` and its ancestors; root first.  Raises DiagnosticError."""
    chain: list[nodes.PolicyFile] = []
    seen: list[str] = []
    current = path
    extended_at = None   # where the child names the parent being read
    while True:
        source = read_source(current) if extended_at is None else \
            _read_parent(current, extended_at, seen[-1], parent)
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


def _read_parent(path: Path, extended_at, child: str, parent: str) -> SourceFile:
    """A parent policy's text.  One that is missing or cannot be read (a directory, a FIFO,
    too large, a name too long for the system) is reported at the child's `extends`, where
    the fix is chosen; text that is not UTF-8 is reported at its first bad byte, in the
    parent.  (No exists() first: it raises for a name too long, and would race the read.)"""
    try:
        return SourceFile.read(path, MAX_POLICY_BYTES)
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


def build_model(path: Path) -> tuple[Model, list[Diagnostic]]:
    allow_deep_recursion()   # long expressions are checked by recursive descent
    sources: dict[str, SourceFile] = {}
    try:
        chain = load_chain(path, sources)
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


def load_checked(path: Path) -> Model:
    """A checked model, or DiagnosticError listing every error (and warning) found."""
    model, diags = build_model(path)
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
