"""Find, parse and check a policy file with the chain it extends.

A policy `extends X` finds X as `X.policy` beside itself.  The whole chain is parsed and
checked together, so errors in a parent are reported when checking a child.
"""
from __future__ import annotations

from pathlib import Path

from . import nodes
from .checker import run_passes
from .diagnostics import Diagnostic, DiagnosticError, Hint
from .limits import allow_deep_recursion
from .model import Model, Origin
from .parser import nesting_too_deep, parse_source, read_source
from .source import SourceFile

MAX_CHAIN = 16  # extends chains are short (template -> province -> city); this stops loops


def load_chain(path: Path, sources: dict[str, SourceFile]) -> list[nodes.PolicyFile]:
    """Parse `path` and its ancestors; root first.  Raises DiagnosticError."""
    chain: list[nodes.PolicyFile] = []
    seen: list[str] = []
    current = path
    while True:
        source = read_source(current)
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
        if parent in seen or len(chain) >= MAX_CHAIN:
            raise DiagnosticError([Diagnostic.error("Y313", _id_span(policy),
                                                    chain=" -> ".join(seen + [parent]))])
        parent_path = current.parent / f"{parent}.policy"
        if not parent_path.exists():
            siblings = [p.stem for p in current.parent.glob("*.policy")]
            from .inherit import did_you_mean

            raise DiagnosticError([Diagnostic.error(
                "Y141", _id_span(policy), hints=did_you_mean(parent, siblings),
                parent=parent, path=str(parent_path))])
        current = parent_path
    chain.reverse()
    return chain


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
