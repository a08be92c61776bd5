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
    reason: str | None = None  # why not: the guard that was false, as written in the policy
    overridden_by: str | None = None   # not evaluated: the ident of the exception that won
    # A table row that did not match: (input name, its value shown as text, the cell as
    # written); the words around them are the renderer's, in the reader's language.
    mismatch: tuple[str, str, str] | None = None


@dataclass(slots=True)
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
    # Where a parameter's value came from: the date it holds from and, for a region
    # parameter, (the region asked for, the region-file entry that gave it).  Data, so the
    # renderer words it in the reader's language.
    since: object = None
    region: tuple[str, str] | None = None
    # The date a dated value was read at, when it is not the evaluation date (`step on
    # date(y, 1, 1)`): the value is the one in force on that day.
    read_on: object = None
    # ids of the children, made on the first add_once: a rule used for each of 5000 entries
    # would otherwise make every later use scan all the children (quadratic)
    _child_ids: set | None = field(default=None, repr=False, compare=False)
    # keys of the leaves (fields, parameters) already shown under this node
    _leaf_keys: set | None = field(default=None, repr=False, compare=False)

    def add(self, child: "ExplainNode") -> None:
        self.children.append(child)
        if self._child_ids is not None:
            self._child_ids.add(id(child))

    def has_leaf(self, key) -> bool:
        """Whether a leaf with this key is already shown here; remembers it if not.  A field
        or parameter read several times under one rule is shown once."""
        if self._leaf_keys is None:
            self._leaf_keys = set()
        if key in self._leaf_keys:
            return True
        self._leaf_keys.add(key)
        return False

    def add_once(self, child: "ExplainNode") -> None:
        """Add `child` unless this very node is already a child (a memoised rule used again
        under the same parent appears once)."""
        if self._child_ids is None:
            self._child_ids = {id(c) for c in self.children}
        if id(child) not in self._child_ids:
            self.add(child)
