"""What the scenario tests share: person records written as a YAML or JSON file would give
them (dates as ISO text), so the tests go through the record loader (api.record_from) like
real data; the checks of an evaluation's values and errors; and a region file written from
a dict."""
from __future__ import annotations

import atexit
import copy
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import yaml


def yrs(first, last):
    """The years first..last, both included."""
    return list(range(first, last + 1))


def claim(year, fund=0, illness=0, used=False):
    return {"year": year, "fund_paid": fund, "critical_illness_paid": illness,
            "incentive_used": used}


def check(result, **expected):
    """Each named output has the expected value, of the expected type, and no error.

    The type is checked too: True is not 1, "1" is not 1, a date is not its text.  The one
    allowance: an int stands for a Decimal of the same value (money written 6000 for
    Decimal("6000.00")); an int output still has to be an int."""
    for name, value in expected.items():
        assert name not in result.errors, f"{name}: unexpected error {result.errors[name]}"
        assert name not in result.not_applicable, \
            f"{name}: expected {value!r}, got not applicable ({result.not_applicable[name].reason})"
        assert name in result.values, f"{name}: no value"
        got = result.values[name]
        if type(value) is int and type(got) is Decimal:
            value = Decimal(value)
        assert type(got) is type(value), \
            f"{name}: expected a {type(value).__name__} {value!r}, got {got!r}"
        assert got == value, f"{name}: expected {value!r}, got {got!r}"


def check_not_applicable(result, *names):
    """Each named output is "not applicable" (neither a value nor an error)."""
    for name in names:
        assert name not in result.errors, \
            f"{name}: expected not applicable, got error {result.errors[name]}"
        assert name not in result.values, \
            f"{name}: expected not applicable, got the value {result.values[name]!r}"
        assert name in result.not_applicable, f"{name}: expected not applicable, got nothing"


def check_errors(result, **codes):
    """Each named output is an error with the given code (output name -> code), and has no
    value."""
    for name, code in codes.items():
        assert name not in result.values, \
            f"{name}: expected error {code}, got the value {result.values[name]!r}"
        assert name in result.errors, f"{name}: expected error {code}, got no error"
        assert result.errors[name].code == code, \
            f"{name}: expected error {code}, got {result.errors[name].code}: {result.errors[name]}"


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


def region_file(regions: dict, folder: Path | None = None) -> Path:
    """Write `regions` (region -> parameter -> value; a dated value as {date: value}, a keyed
    one as {key: value}; `note` as text) as the `regions:` of a region parameter file, in
    YAML, and return its path: regions.yaml in `folder`, or in a temporary folder removed
    when the tests end.  For region values a test makes up; tests of the file format itself
    write their text by hand."""
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="yibao-regions-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = Path(folder) / "regions.yaml"
    text = yaml.dump({"regions": regions}, Dumper=_PlainDumper, allow_unicode=True,
                     sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


class _PlainDumper(yaml.SafeDumper):
    """Every value written out where it is used: no &anchor / *alias for an object (a date,
    say) the dict holds twice."""

    def ignore_aliases(self, data):
        return True


def find_node(node, name):
    """The first explanation node named `name` under `node` (depth first), or None."""
    if node.name == name:
        return node
    for child in node.children:
        found = find_node(child, name)
        if found is not None:
            return found
    return None


def spoiled(rows: list[dict]) -> list[dict]:
    """Rows each with one thing the row way reports or the columns cannot read, the
    column types kept (so the good rows around them still go the column way)."""
    rows = copy.deepcopy(rows)
    history = next(k for k, v in rows[0].items() if isinstance(v, list) and v and
                   isinstance(v[0], dict) and "year" in v[0])
    enum_field = next((k for k, v in rows[0].items() if k in ("hukou_type", "employment")),
                      None)
    spoil = [
        lambda r: r.update(id="  "),                               # R419: a blank id
        lambda r: r.update(id=" padded"),                          # valid: spaces are kept
        lambda r: r.update(id=None),                               # R411: no id
        lambda r: r.update(birth_date=None) if "birth_date" in r else None,   # R410
        lambda r: r.update({enum_field: "城镇"}) if enum_field else None,     # R428
        lambda r: r[history].reverse() if len(r[history]) > 1 else None,      # out of order
        lambda r: r[history].append(dict(r[history][-1])) if r[history] else None,  # twice
        lambda r: r[history].append(None),                         # R415: a null entry
        lambda r: r[history][0].update(year=None) if r[history] else None,   # R410/R417
        lambda r: r.update(kind="nobody"),                         # R413: another kind
    ]
    for i, row in enumerate(rows):
        if i % 7 == 3:
            spoil[(i // 7) % len(spoil)](row)
    return rows


REFUSED_COLUMNS = """policy refused-columns {
  title "按列不能计算的写法"
  status template
}

input person {
  id: text
  tags: list of text
}

output tagged: int {
  label "标签数"
  = count { t in tags where t == "a" }
}
"""


def refused_columns_policy(folder: Path) -> Path:
    """A policy the columnar engine refuses: it reads a list of texts (line 13, col 18)."""
    path = folder / "refused-columns.policy"
    path.write_text(REFUSED_COLUMNS, encoding="utf-8")
    return path


def policy_and_regions(policy_id: str, regions_path: str | None):
    """A shipped policy and, when named (relative to the repository), its region file."""
    from yibao.interpreter.api import load_policy, load_regions

    root = Path(__file__).resolve().parent.parent
    policy = load_policy(root / "policies" / f"{policy_id}.policy")
    regions = load_regions(root / regions_path, policy) if regions_path else None
    return policy, regions

