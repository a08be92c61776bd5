"""`yibao generate`: seeded random records a policy accepts, for tests and benchmarks.

The same policy, count, seed and date give the same records, byte for byte.  Records are
built from the policy's input shape, with values from the policy and the region file (the
regions and texts the rules compare against, the amounts they name), so that the branches
of the rules are reached: histories over the fifteen years before the benefit year with
gaps, a second entry for some years, claims in some years, zero to two list items, an
optional record for some persons.  Each record is validated against the policy before it
is written; one the policy would refuse is drawn again.
"""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from ..diagnostics import Diagnostic, DiagnosticError
from ..diff.search import OUTSIDE, Domains
from ..model import Model
from ..records import record_from_data
from ..types import (BOOL, DATE, DECIMAL, INT, MONEY, PERCENT, TEXT, EnumTy, HistoryTy, ListTy,
                     OptionalTy, RecordTy)

YEARS = 15          # how far back a history reaches
PLACE_MARKS = "省市县区州旗盟"   # the last character of a Chinese place name's levels
TRIES = 20          # draws of one record before giving up (a policy no record satisfies)


class Generator:
    def __init__(self, model: Model, as_of: dt.date, seed: int, regions=None,
                 kind: str | None = None):
        self.model, self.year = model, as_of.year
        self.random = random.Random(seed)
        self.kind = kind or model.default_kind
        self.domains = Domains([model], as_of, regions)
        # Place names for text fields: the region file's, and the policy's texts that name a
        # place (a province, city or county); other texts (relations, notes) for the rest.
        texts = (list(regions.regions) if regions is not None else []) + self.domains.texts
        self.places = [t for t in texts if t != OUTSIDE and any(c in t for c in PLACE_MARKS)] \
            or [OUTSIDE]
        self.words = [t for t in texts if t not in self.places and t != OUTSIDE] or self.places
        self.amounts = [a for a in self.domains.amounts if a > 0] or [Decimal(100)]
        self.read = set(model.read_fields_by_kind.get(self.kind, ()))

    def records(self, count: int):
        for number in range(1, count + 1):
            yield self.record(number)

    def record(self, number: int) -> dict:
        for _ in range(TRIES):
            data = self._draw(number)
            try:
                record_from_data(self.model, data, "generated")
                return data
            except DiagnosticError:
                continue
        raise DiagnosticError([Diagnostic.error("C624", None, policy=self.model.policy_id,
                                                tries=TRIES)])

    # ------------------------------------------------------------ one record
    def _draw(self, number: int) -> dict:
        r, y = self.random, self.year
        shape = self.model.input_types[self.kind]
        data = {"id": f"G-{number:07d}"}
        if self.kind != self.model.default_kind:
            data["kind"] = self.kind
        birth = self._birth()
        for name, info in shape.fields.items():
            if name == "id" or (name not in self.read and info.default is not None):
                continue
            ty = info.ty
            if isinstance(ty, HistoryTy):
                data[name] = self._history(name, ty.record, birth)
            elif isinstance(ty, ListTy) and isinstance(ty.inner, RecordTy):
                data[name] = [self._item(ty.inner) for _ in range(r.choice((0, 0, 0, 1, 1, 2)))]
            elif isinstance(ty, OptionalTy) and isinstance(ty.inner, RecordTy):
                if r.random() < 0.15:
                    data[name] = self._item(ty.inner)
            elif name == "birth_date":
                data[name] = birth
            elif info.default is not None and r.random() < 0.5:
                continue                   # left out half the time: its default
            else:
                value = self._scalar(ty, name, birth)
                if value is not None:
                    data[name] = value
        if "enrollment_known_from" in data:
            data["enrollment_known_from"] = min(data["enrollment_known_from"], y)
        return data

    def _birth(self) -> dt.date:
        r, y = self.random, self.year
        year = r.choice((y, y - 1)) if r.random() < 0.1 else r.randint(y - 80, y - 2)
        return dt.date(year, r.randint(1, 12), r.randint(1, 28))

    def _history(self, name: str, record: RecordTy, birth: dt.date) -> list[dict]:
        r, y = self.random, self.year
        first = max(birth.year, y - YEARS)
        start = r.randint(first, y)
        present = r.choice((0.6, 0.85, 0.95, 1.0))
        entries = []
        for year in range(start, y + 1):
            if r.random() > present:
                continue
            entries.append(self._entry(record, year))
            if r.random() < 0.005:                          # insured twice that year
                entries.append(self._entry(record, year))
        return entries

    def _entry(self, record: RecordTy, year: int) -> dict:
        r = self.random
        entry = {"year": year}
        for name, info in record.fields.items():
            if info.ty == DATE:
                entry[name] = dt.date(year - 1, 12, 1) + dt.timedelta(days=r.randint(0, 150))
            elif info.default is not None and r.random() < 0.6:
                continue
            else:
                value = self._scalar(info.ty, name, None, entry=True)
                if value is not None:
                    entry[name] = value
        return entry

    def _item(self, record: RecordTy) -> dict:
        item = {}
        for name, info in record.fields.items():
            if info.default is not None and self.random.random() < 0.5:
                continue
            value = self._scalar(info.ty, name, None)
            if value is not None:
                item[name] = value
        return item

    def _scalar(self, ty, name: str, birth, entry: bool = False):
        r, y = self.random, self.year
        if isinstance(ty, OptionalTy):
            return None if r.random() < 0.5 else self._scalar(ty.inner, name, birth, entry)
        if ty == BOOL:
            return r.random() < (0.7 if entry else 0.3)
        if isinstance(ty, EnumTy):
            members = list(ty.members)
            return members[0] if r.random() < 0.6 else r.choice(members)
        if ty == TEXT:
            if name in ("payer_relation", "note", "relation") or "relation" in name:
                return r.choice(self.words)
            return r.choice(self.places) if r.random() < 0.9 else OUTSIDE
        if ty == INT:
            if name.endswith("year") or name.endswith("_from"):
                return r.randint(y - YEARS, y)
            return r.choice((0, 0, 0, 1, 2, 3, 4, 5, 6))
        if ty in (MONEY, DECIMAL, PERCENT):
            if r.random() < 0.5:
                return Decimal(0)
            if r.random() < 0.5:
                return r.choice(self.amounts)
            return (Decimal(r.randint(1, 5_000_000)) / 100).quantize(Decimal("0.01"))
        if ty == DATE:
            return dt.date(r.randint(y - 6, y), r.randint(1, 12), r.randint(1, 28))
        return None
