"""History entries converted the short way (no diagnostics to prepare) give exactly what the
full validator gives, record for record, diagnostics included for the records it refuses."""
import datetime as dt
import random
from pathlib import Path

import pytest

from yibao.interpreter import convert
from yibao.interpreter.api import load_policy, load_regions
from yibao.interpreter.batch.generate import Generator
from yibao.interpreter.diagnostics import DiagnosticError
from yibao.interpreter.records import record_from_data

from .test_columnar_parity import _mutate

ROOT = Path(__file__).resolve().parent.parent


def validated(policy, data):
    try:
        record, warnings = record_from_data(policy, data, "r")
        return "ok", dict(record), [d.code for d in warnings]
    except DiagnosticError as err:
        return "refused", None, sorted((d.code, d.data_path) for d in err.diagnostics)


@pytest.mark.parametrize("policy_id, regions_path, on", [
    ("sichuan-2025", None, dt.date(2027, 6, 1)),
    ("shandong-2024-assistance", "examples/shandong/regions.yaml", dt.date(2026, 6, 1)),
    ("jinggu-2018", None, dt.date(2018, 6, 1)),
])
def test_the_short_way_and_the_full_way_agree(policy_id, regions_path, on, monkeypatch):
    policy = load_policy(ROOT / "policies" / f"{policy_id}.policy")
    regions = load_regions(ROOT / regions_path, policy) if regions_path else None
    rng = random.Random(3)
    rows = list(Generator(policy, on, 5, regions).records(300))
    for data in rows[150:]:                 # half of them pushed to the edges of their types
        for _ in range(3):
            _mutate(rng, data)
    rows.append({"id": "X", "birth_date": "1980-01-01",
                 "enrollment": [{"year": 2018, "scheme": "resident", "region": "云南省",
                                 "paid_on": "2017-12-01", "concentrated": True, "extra": 1},
                                {"year": "2019"}, {"scheme": "resident"}, "not an entry"]})
    short = [validated(policy, dict(d)) for d in rows]
    monkeypatch.setattr(convert, "_entry_converter", lambda rec: lambda raw: None)
    full = [validated(policy, dict(d)) for d in rows]
    assert short == full
    assert sum(1 for s in short if s[0] == "ok") > 100       # the short way was exercised
