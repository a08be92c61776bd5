"""Person records for scenario tests, written as a YAML or JSON file would give them
(dates as ISO text), so the tests go through the record loader like real data."""
from __future__ import annotations


def entry(year, region, scheme="resident", paid_on=None, concentrated=True):
    """One enrollment entry; by default paid on 10 December of the year before, in the
    concentrated period."""
    return {"year": year, "scheme": scheme, "region": region,
            "paid_on": paid_on or f"{year - 1}-12-10", "concentrated": concentrated}


def person(record_id, region, years=(), entries=(), **fields):
    """A resident insured in `years` (default entries in `region`) plus `entries` written out
    in full; born 1980-04-12, history complete from 2016; `fields` override any of it."""
    data = {
        "id": record_id,
        "birth_date": "1980-04-12",
        "hukou": region,
        "residence": region,
        "residence_permit": False,
        "employment": "none",
        "payer_relation": None,
        "enrollment_known_from": 2016,
        "enrollment": [entry(y, region) for y in years] + list(entries),
        "repaid_years": 0,
        "claims": [],
    }
    data.update(fields)
    data["enrollment"] = sorted(data["enrollment"], key=lambda e: e["year"])
    return data
