"""The explanation tree an evaluation can record: what each value was made of."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CaseOutcome:
    """One base case or exception branch of a rule, and whether it applied."""
    ident: str            # stable identity: `rule`, `rule#exception`, `rule#outer/inner`
    label: str | None
    cite: str | None
    applied: bool | None  # None: its guard was not evaluated (an exception above it won)
    reason: str | None = None  # why not: the guard that was false


@dataclass
class ExplainNode:
    kind: str             # rule output parameter field builtin
    name: str
    value: object
    type: str             # the static type, as text
    label: str | None = None
    cite: str | None = None
    document: str | None = None   # 文号 of the policy whose text the citation points into
    args: tuple = ()
    case: str | None = None       # ident of the case whose value was used
    cases: list[CaseOutcome] = field(default_factory=list)
    children: list["ExplainNode"] = field(default_factory=list)
    detail: str | None = None     # e.g. the region and date a region parameter was read for
