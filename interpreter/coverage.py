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
from .conditions import Decision, ProbingBuilder, decisions_of


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
    decisions: dict[str, Decision] = field(default_factory=dict)     # case ident -> `when`
    program: object = None     # evaluator.Program whose guards record into `decisions`
    dates: list = field(default_factory=list)    # every date a case was evaluated at
    regions: object = None     # the region file of the first case (for --suggest)
    # Region keys: (region parameter, region-file entry) for the entries of the region
    # files the cases used that set a parameter the policy reads, and those a case read.
    region_keys: set = field(default_factory=set)
    regions_read: set = field(default_factory=set)
    region_file: dict = field(default_factory=dict)     # key -> the file offering it

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
            elif node.kind == "parameter" and node.region is not None:
                self.regions_read.add((node.name, node.region[1]))
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

    def add_regions(self, table, program: ir.Program) -> None:
        """The keys a region file offers this policy: each entry that sets a region
        parameter the policy reads (under the name region files use for it)."""
        by_key = {p.key: p.name for p in program.params if p.by_region}
        for region in table.regions:
            for key in table.parameters_of(region):
                if key in by_key:
                    self.region_keys.add((by_key[key], region))
                    self.region_file.setdefault((by_key[key], region), table.path)

    def regions_not_read(self) -> list[tuple[str, str]]:
        return sorted(self.region_keys - self.regions_read)

    def conditions(self) -> tuple[int, int]:
        """(atoms shown to decide on their own, atoms that can) over every `when`; an atom
        that cannot decide alone where it stands (conditions.decidable_atoms) is listed
        apart, not counted."""
        shown = [ok for decision in self.decisions.values()
                 for ok, can in zip(decision.shown(), decision.decidable) if can]
        return sum(shown), len(shown)

    def conditions_undecidable(self) -> list[tuple[Decision, str]]:
        """Each (decision, atom) that no record could show deciding alone: whenever it
        would, an exception of the case applies and the `when` is not looked at."""
        return [(decision, atom) for decision in self.decisions.values()
                for atom, can in zip(decision.atoms, decision.decidable) if not can]

    @property
    def condition_share(self) -> float:
        shown, total = self.conditions()
        return shown / total if total else 1.0

    def conditions_not_shown(self) -> list[tuple[Decision, str]]:
        """Each (decision, atom) no pair of instances showed deciding on its own."""
        return [(decision, atom) for decision in self.decisions.values()
                for atom, ok, can in zip(decision.atoms, decision.shown(), decision.decidable)
                if can and not ok]


def coverage_for(model, policy_id: str) -> PolicyCoverage:
    """The rules, branches and conditions of a checked policy, none yet covered, with the
    probing closures that record its conditions."""
    from .evaluator import Program, ir_for

    program = ir_for(model)
    found = PolicyCoverage(policy_id)
    found.decisions = decisions_of(program, lambda node: _text(model, node))
    found.program = Program(program, explain=True,
                            builder=ProbingBuilder(True, found.decisions))
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


def _text(model, node) -> str | None:
    span = node.span
    source = model.sources.get(span.path) if span is not None else None
    if source is None or span.end <= span.start:
        return None
    return " ".join(source.text[span.start:span.end].split())


def _where(span) -> str | None:
    return f"{span.path}:{span.line}" if span is not None and span.line > 0 else None


def _cases(case: ir.Case):
    yield case
    for exception in case.exceptions:
        yield from _cases(exception)
