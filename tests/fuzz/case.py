"""One fuzz input: the files it consists of and how the CLI would be asked about them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

TARGETS = ("policies", "records", "regions")


@dataclass(frozen=True)
class RecordRef:
    """A record to evaluate: a file of the case (`in_case`) or a shipped example."""
    name: str                       # file name in the case folder, or the example's path
    dates: tuple[dt.date, ...]
    in_case: bool = False


@dataclass
class Case:
    target: str                     # policies | records | regions
    family: str                     # the mutator family that made it
    policy_id: str                  # the policy evaluated (the leaf of the chain)
    files: dict = field(default_factory=dict)   # name -> bytes, written into one folder
    policy_file: str | None = None  # the policy to load from the folder; None: the shipped one
    records: tuple = ()             # RecordRef, in order
    regions: tuple | None = None    # ("case", name) | ("shipped", "examples/regions.yaml")
    note: str = ""                  # what the mutation did, for people
    # Set when the mutation makes input that must be refused (a non-ASCII digit read as a
    # number, an impossible date, a duplicate key): a clean load is then "accepted".
    must_refuse: str | None = None
    # A record field and the text put in it, which must not come back converted (Suspect).
    suspect: object = None

    @property
    def size(self) -> int:
        return sum(len(data) for data in self.files.values())
