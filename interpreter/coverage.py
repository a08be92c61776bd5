"""Coverage of a policy by its tests: which rules the cases reached, and which branches
(a rule's base case, each exception, each table row) applied for at least one case.

Read off the explanation trees of the cases' evaluations (explanation.py): a rule node
is a rule reached; each CaseOutcome with `applied` true is a branch taken.  A rule
without a choice to make (one case, no guard) has its one branch taken whenever it is
reached.  The branches a policy has come from its lowered IR (ir.py), so a branch no
case reaches is listed with its citation.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import ir


@dataclass
class Branch:
    rule: str
    ident: str                 # `rule`, `rule#exception`, `rule#outer/inner`, or a row's
    label: str | None
    cite: str | None
    where: str | None          # FILE:LINE of the case in the policy that wrote it


@dataclass
class PolicyCoverage:
    policy: str
    rules: dict[str, int | None] = field(default_factory=dict)      # name -> line
    branches: dict[str, Branch] = field(default_factory=dict)        # ident -> branch
    reached: set = field(default_factory=set)                        # rule names
    taken: set = field(default_factory=set)                          # branch idents
    cases: int = 0

    def add(self, trees) -> None:
        """One case's explanation trees (output -> ExplainNode)."""
        self.cases += 1
        seen: set[int] = set()
        stack = list(trees.values())
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if node.kind in ("rule", "output") and node.name in self.rules:
                self.reached.add(node.name)
                if not node.cases:                     # nothing to choose: its one case
                    self.taken.update(i for i, b in self.branches.items()
                                      if b.rule == node.name)
                for outcome in node.cases:
                    if outcome.applied:
                        self.taken.add(outcome.ident)
            stack.extend(node.children)

    @property
    def rule_share(self) -> float:
        return len(self.reached & set(self.rules)) / len(self.rules) if self.rules else 1.0

    @property
    def branch_share(self) -> float:
        return len(self.taken & set(self.branches)) / len(self.branches) \
            if self.branches else 1.0

    def uncovered(self) -> list[Branch]:
        return [b for i, b in self.branches.items() if i not in self.taken]


def coverage_for(program: ir.Program, policy_id: str) -> PolicyCoverage:
    """The rules and branches of a lowered policy, none yet covered."""
    found = PolicyCoverage(policy_id)
    for rule in program.rules:
        if rule.body is None:
            continue                                   # required, left unset: nothing to run
        found.rules[rule.name] = rule.name_span.line if rule.name_span else None
        if isinstance(rule.body, ir.Table):
            for row in rule.body.rows:
                found.branches[row.ident] = Branch(rule.name, row.ident, row.name, row.cite,
                                                   _where(rule.body.span))
        else:
            for case in _cases(rule.body):
                found.branches[case.ident] = Branch(
                    rule.name, case.ident, case.citation.label, case.citation.cite,
                    _where(case.span or rule.name_span))
    return found


def _where(span) -> str | None:
    return f"{span.path}:{span.line}" if span is not None and span.line > 0 else None


def _cases(case: ir.Case):
    yield case
    for exception in case.exceptions:
        yield from _cases(exception)
