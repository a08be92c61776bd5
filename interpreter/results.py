"""What an evaluation gives back: the values, and why the others have none."""
from __future__ import annotations

from dataclasses import dataclass, field

from .diagnostics import Diagnostic, Hint
from .explanation import ExplainNode
from .values import NotApplicable


@dataclass
class Evaluation:
    values: dict[str, object]                 # output name -> runtime value (values.py)
    errors: dict[str, "EvalError"]           # output name -> why it has no value
    trees: dict[str, ExplainNode] = field(default_factory=dict)   # when explain=True
    # Outputs whose explanation stopped recording at MAX_EXPLAIN_STEPS nodes (their values
    # are complete; their trees are not).
    cut: set[str] = field(default_factory=set)
    # Outputs the policy says do not concern this person, with the reason (values.py).
    not_applicable: dict[str, "NotApplicable"] = field(default_factory=dict)
    # About the record and the date rather than one output: entries dated after as_of (R480).
    warnings: list[Diagnostic] = field(default_factory=list)


class _Left:
    """An output a faster engine leaves to the interpreter (its error to report, or a value
    beyond what it holds exactly): the interpreter computes that output alone."""

    def __repr__(self) -> str:
        return "LEFT"


LEFT = _Left()


class EvalError(Exception):
    """Why a value could not be computed; `.diagnostic` says where and names the rule."""

    def __init__(self, code: str, span, hints=(), **args):
        self.code = code
        self.span = span
        self.hints = list(hints)
        self.args_ = dict(args)
        self.rule: str | None = None
        self.cite: str | None = None
        super().__init__(code)

    @property
    def diagnostic(self) -> Diagnostic:
        args = dict(self.args_)
        args.setdefault("rule", self.rule or "?")
        hints = list(self.hints)
        if self.cite:
            hints.append(Hint.of("hint.cite", rule=self.rule, cite=self.cite))
        return Diagnostic.error(self.code, self.span, hints=hints, **args)

    def __str__(self) -> str:
        return self.diagnostic.message("en")
