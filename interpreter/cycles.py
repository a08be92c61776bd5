"""Checks on the graphs a policy's names make: rules that use each other, records that
contain each other, input-field defaults that read each other, and chains of rule uses
too long to evaluate.

Every walk here is iterative: a policy of 20,000 rules calling each other in a ring is a
long list of declarations, not a reason for a deep Python stack.
"""
from __future__ import annotations

from . import nodes
from .diagnostics import Diagnostic, Hint
from .limits import MAX_CALL_DEPTH
from .model import Model
from .types import HistoryTy, ListTy, OptionalTy, RecordTy

# A cycle or chain longer than this is shown by its first and last few names.
SHOWN_NAMES = 12


def find_cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """The cycles a depth-first search of `graph` meets, each as [a, b, ..., a], in the
    order of the graph's keys and edges; a cycle through the same names as one already
    found is not repeated."""
    state: dict[str, int] = {}      # 1 while on the current path, 2 when finished
    cycles: list[list[str]] = []
    reported: set[frozenset] = set()
    for root in graph:
        if root in state:
            continue
        path, position = [root], {root: 0}
        state[root] = 1
        pending = [iter(graph.get(root, ()))]
        while pending:
            nxt = next(pending[-1], None)
            if nxt is None:
                pending.pop()
                done = path.pop()
                del position[done]
                state[done] = 2
                continue
            seen = state.get(nxt)
            if seen == 1:
                cycle = path[position[nxt]:] + [nxt]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    cycles.append(cycle)
            elif seen is None:
                state[nxt] = 1
                position[nxt] = len(path)
                path.append(nxt)
                pending.append(iter(graph.get(nxt, ())))
    return cycles


def chain_text(names: list[str]) -> str:
    """`a -> b -> c`, with the middle of a very long chain left out."""
    if len(names) <= SHOWN_NAMES:
        return " -> ".join(names)
    half = SHOWN_NAMES // 2
    return " -> ".join(names[:half]) + f" -> … ({len(names) - 2 * half} more) … -> " + \
        " -> ".join(names[-half:])


def _call_graph(model: Model) -> dict[str, list[str]]:
    """Rule -> the other rules it uses (calling itself is check_recursion's business)."""
    return {name: sorted({callee for callee, _ in calls if callee != name})
            for name, calls in model.calls.items()}


def check_cycles(model: Model, diags: list[Diagnostic]) -> None:
    """Rules may not depend on themselves through other rules (self-recursion is checked
    separately, in check_recursion)."""
    for cycle in find_cycles(_call_graph(model)):
        decl = model.callable(cycle[0]).decl
        diags.append(Diagnostic.error("Y310", decl.name_span, cycle=chain_text(cycle)))


def check_call_depth(model: Model, diags: list[Diagnostic]) -> None:
    """A chain of uses (a uses b uses c ...) longer than MAX_CALL_DEPTH would nest
    evaluation that deep; it is reported once, at the rule that starts it.  Rules on a
    cycle are left out: the cycle is the error there (Y310)."""
    graph = _call_graph(model)
    on_cycles = {name for cycle in find_cycles(graph) for name in cycle}
    graph = {name: [c for c in callees if c not in on_cycles]
             for name, callees in graph.items() if name not in on_cycles}
    length: dict[str, int] = {}     # rules in the longest chain starting here
    following: dict[str, str] = {}  # the next rule on that chain
    on_path: set[str] = set()
    for root in graph:
        if root in length:
            continue
        on_path.add(root)
        pending = [(root, iter(graph.get(root, ())))]
        while pending:
            name, callees = pending[-1]
            nxt = next(callees, None)
            if nxt is None:
                pending.pop()
                on_path.discard(name)
                best = max((c for c in graph.get(name, ()) if c in length),
                           key=lambda c: length[c], default=None)
                length[name] = 1 + (length[best] if best is not None else 0)
                if best is not None:
                    following[name] = best
            elif nxt not in length and nxt not in on_path:   # a cycle is Y310's business
                on_path.add(nxt)
                pending.append((nxt, iter(graph.get(nxt, ()))))
    too_long = {name for name, n in length.items() if n > MAX_CALL_DEPTH}
    inner = {c for name in too_long for c in graph.get(name, ())}
    for name in graph:
        if name in too_long and name not in inner:
            chain = [name]
            while chain[-1] in following:
                chain.append(following[chain[-1]])
            diags.append(Diagnostic.error(
                "Y315", model.callable(name).decl.name_span, hints=[Hint.of("hint.Y315")],
                name=name, length=length[name], chain=chain_text(chain), limit=MAX_CALL_DEPTH))


def check_record_containment(model: Model, diags: list[Diagnostic]) -> None:
    """A record may not contain itself, directly or through other records, lists or
    optionals: records describe finite data, and reading or comparing one must end."""
    graph = {name: [inner.name for info in record.fields.values()
                    for inner in [_record_inside(info.ty)] if inner is not None]
             for name, record in model.records.items()}
    for cycle in find_cycles(graph):
        decl = model.record_decls[cycle[0]]
        diags.append(Diagnostic.error("Y153", decl.name_span, hints=[Hint.of("hint.Y153")],
                                      name=cycle[0], cycle=chain_text(cycle)))


def _record_inside(ty) -> RecordTy | None:
    while isinstance(ty, (OptionalTy, ListTy)):
        ty = ty.inner
    if isinstance(ty, HistoryTy):
        return ty.record
    return ty if isinstance(ty, RecordTy) else None


def check_default_cycles(defaults: dict[str, tuple[nodes.Expr, set[str]]],
                         diags: list[Diagnostic]) -> None:
    """The defaults of one record kind's fields (field -> (default, fields it reads)) may
    not read each other in a cycle: evaluating any of them would never end.  A default
    that reads its own field is Y134, reported where the defaults are typed."""
    graph = {name: sorted(r for r in reads if r != name and r in defaults)
             for name, (_, reads) in defaults.items()}
    for cycle in find_cycles(graph):
        diags.append(Diagnostic.error("Y154", defaults[cycle[0]][0].span,
                                      hints=[Hint.of("hint.Y154")], cycle=chain_text(cycle)))
