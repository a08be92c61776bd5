"""The seeds the fuzzer mutates: the shipped policies, example records and region files.

Read from the checkout (policies/ and examples/) once per campaign.  Which records go with
which policy, and on which dates, follows the README and the examples' own comments
("Expected with --on 2027-06-01"); a record without such a comment is evaluated on its
folder's usual date.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
POLICIES = REPO / "policies"
EXAMPLES = REPO / "examples"

# examples/<folder>/ for each policy; the national template has no records of its own, so
# it is evaluated on Jiangxi's (its required parameters then fail per output, which is fine:
# an evaluation error that renders is an acceptable outcome).
EXAMPLE_FOLDER = {
    "jiangxi-2024-34": "jiangxi", "national-2024-38": "jiangxi", "sichuan-2025": "sichuan",
    "shandong-2024-assistance": "shandong", "wuxi-2019-73": "wuxi", "jinggu-2018": "jinggu",
}
REGION_FILE = {   # the region file the CLI is given for a policy's examples (README)
    "jiangxi-2024-34": "examples/regions.yaml", "national-2024-38": "examples/regions.yaml",
    "shandong-2024-assistance": "examples/shandong/regions.yaml",
}
# The date of a folder's records when their comments name none (tests/test_explain_everything)
USUAL_DATE = {"jiangxi": dt.date(2027, 6, 1), "sichuan": dt.date(2027, 6, 1),
              "shandong": dt.date(2026, 6, 1), "wuxi": dt.date(2021, 6, 1),
              "jinggu": dt.date(2018, 6, 1)}
# Region files and the policies evaluated with them in the region-file target.  The shared
# file also carries 泰安's Shandong values, so Shandong is evaluated with it as well.
REGION_USERS = {
    "examples/regions.yaml": ("jiangxi-2024-34", "shandong-2024-assistance"),
    "examples/shandong/regions.yaml": ("shandong-2024-assistance",),
}
MAX_DATES_PER_RECORD = 3

_ON_DATE = re.compile(r"--on (\d{4}-\d{2}-\d{2})")
_EXPECTED_ON = re.compile(r"^#\s*Expected\b.*?\bon (\d{4}-\d{2}-\d{2})", re.M)
_HEADER = re.compile(r"^policy\s+([a-z0-9-]+)(?:\s+extends\s+([a-z0-9-]+))?", re.M)


@dataclass(frozen=True)
class Example:
    """One example record and the dates it is evaluated on."""
    name: str
    path: Path
    text: str
    dates: tuple[dt.date, ...]


@dataclass(frozen=True)
class Corpus:
    policies: dict            # policy id -> text
    parents: dict             # policy id -> the id it extends, or None
    examples: dict            # policy id -> tuple of Example
    region_texts: dict        # "examples/regions.yaml" -> text

    @property
    def leaves(self) -> list[str]:
        """Policies with example records: the ones that are evaluated."""
        return [pid for pid in self.policies if pid in self.examples]

    def chain(self, policy_id: str) -> list[str]:
        """The policy and every policy it extends, root first."""
        ids = []
        current = policy_id
        while current is not None and current not in ids:
            ids.append(current)
            current = self.parents.get(current)
        return ids[::-1]

    def regions_for(self, policy_id: str) -> str | None:
        return REGION_FILE.get(policy_id)


def example_dates(text: str, folder: str) -> tuple[dt.date, ...]:
    found = []
    for match in list(_ON_DATE.finditer(text)) + list(_EXPECTED_ON.finditer(text)):
        day = dt.date.fromisoformat(match.group(1))
        if day not in found:
            found.append(day)
    return tuple(found[:MAX_DATES_PER_RECORD]) or (USUAL_DATE[folder],)


def load_corpus() -> Corpus:
    policies, parents = {}, {}
    for path in sorted(POLICIES.glob("*.policy")):
        text = path.read_text(encoding="utf-8")
        header = _HEADER.search(text)
        policies[path.stem] = text
        parents[path.stem] = header.group(2) if header else None
    examples = {}
    for policy_id, folder in EXAMPLE_FOLDER.items():
        if policy_id not in policies:
            continue
        found = []
        for path in sorted((EXAMPLES / folder).glob("*.yaml")):
            if path.name == "regions.yaml":
                continue
            text = path.read_text(encoding="utf-8")
            found.append(Example(path.name, path, text, example_dates(text, folder)))
        if found:
            examples[policy_id] = tuple(found)
    region_texts = {name: (REPO / name).read_text(encoding="utf-8") for name in REGION_USERS
                    if (REPO / name).exists()}
    return Corpus(policies, parents, examples, region_texts)
