"""`yibao run` over Parquet a column at a time (batch/arrow_runner.py) writes exactly what
the interpreter, a record at a time, writes: the same output rows in the same order, the
same error codes, the same rejects, the same counts — on seeded records of every compiled
policy, with rows mixed in that the column checks must not vouch for (each a problem the
row way reports, or a value the columns cannot read)."""
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from yibao.interpreter.batch.generate import Generator  # noqa: E402
from yibao.interpreter.batch.runner import run  # noqa: E402

from . import builders  # noqa: E402
from .builders import spoiled  # noqa: E402

CASES = [
    ("jiangxi-2024-34", "examples/regions.yaml", dt.date(2027, 6, 1), "person"),
    ("sichuan-2025", None, dt.date(2027, 6, 1), "person"),
    ("sichuan-2025", "examples/regions.yaml", dt.date(2026, 3, 1), "person"),
    ("wuxi-2019-73", None, dt.date(2021, 6, 1), "person"),
    ("wuxi-2019-73", None, dt.date(2022, 6, 1), "fund_year"),
    ("jinggu-2018", None, dt.date(2017, 3, 1), "person"),
    ("shandong-2024-assistance", "examples/shandong/regions.yaml", dt.date(2026, 6, 1),
     "person"),
]
PEOPLE = 10_000


_setup = builders.policy_and_regions


def _both_ways(policy, regions, on, kind, source: Path, tmp_path: Path, batch_size=None,
               overrides=None):
    """(table, rejects, summary) by the interpreter a record at a time, then by the columns."""
    found = []
    for engine in ("interp", "columnar"):
        out = tmp_path / f"{engine}.parquet"
        summary = run(policy, source, out, on, regions, kind=kind, engine=engine,
                      batch_size=batch_size, overrides=overrides)
        rejects = Path(summary.rejects_path).read_text(encoding="utf-8")
        found.append((pq.read_table(out), rejects, summary))
    (table_a, rejects_a, a), (table_b, rejects_b, b) = found
    assert b.path == "columns" and a.path == "rows"
    return found


def _assert_same(found):
    (table_a, rejects_a, a), (table_b, rejects_b, b) = found
    assert table_a.schema == table_b.schema
    if not table_a.equals(table_b):
        rows_a, rows_b = table_a.to_pylist(), table_b.to_pylist()
        assert len(rows_a) == len(rows_b)
        for row_a, row_b in zip(rows_a, rows_b):
            assert row_a == row_b, {k: (row_a[k], row_b[k]) for k in row_a
                                    if row_a[k] != row_b[k]}
    assert rejects_a == rejects_b
    assert (a.read, a.written, a.rejected) == (b.read, b.written, b.rejected)
    assert a.read == a.written + a.rejected
    assert dict(a.errors) == dict(b.errors)
    assert dict(a.not_applicable) == dict(b.not_applicable)
    assert {k: (m.value, m.counted, m.population, m.met, len(m.errors))
            for k, m in a.measures.items()} == \
        {k: (m.value, m.counted, m.population, m.met, len(m.errors))
         for k, m in b.measures.items()}


def _generated(policy, regions, on, kind, count, seed=2024):
    return list(Generator(policy, on, seed, regions, kind).records(count))


def _write(rows, path: Path, schema=None):
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)


@pytest.mark.parametrize("policy_id, regions_path, on, kind", CASES)
def test_generated_people_are_written_as_the_interpreter_writes_them(
        policy_id, regions_path, on, kind, tmp_path):
    policy, regions = _setup(policy_id, regions_path)
    source = tmp_path / "people.parquet"
    _write(_generated(policy, regions, on, kind, PEOPLE), source)
    found = _both_ways(policy, regions, on, kind, source, tmp_path, batch_size=4_000)
    _assert_same(found)
    columns_summary = found[1][2]
    # the columns did the work: the interpreter took only what they left
    assert columns_summary.interpreted <= 0.1 * PEOPLE, columns_summary.interpreted
    assert columns_summary.vouched == PEOPLE


@pytest.mark.parametrize("policy_id, regions_path, on, kind", CASES[:2] + CASES[3:4])
def test_rows_the_checks_must_not_vouch_for_are_reported_as_the_row_way_reports_them(
        policy_id, regions_path, on, kind, tmp_path):
    policy, regions = _setup(policy_id, regions_path)
    rows = spoiled(_generated(policy, regions, on, kind, 1_500, seed=7))
    for row in rows:
        row.setdefault("kind", None)
    source = tmp_path / "spoiled.parquet"
    _write(rows, source)
    found = _both_ways(policy, regions, on, kind, source, tmp_path, batch_size=500)
    _assert_same(found)
    assert found[0][2].rejected > 100          # the spoiled rows were there to reject
    assert 1_000 < found[1][2].vouched < 1_500    # and the others went the column way


def test_money_in_a_column_with_more_places_than_cents(tmp_path):
    """decimal128 with three places: a whole-cent amount is read, one with a thousandth
    is rejected (R423), each row by what it holds."""
    policy, regions = _setup("sichuan-2025", None)
    on = dt.date(2027, 6, 1)
    rows = _generated(policy, regions, on, "person", 600, seed=11)
    tenths = 0
    for i, row in enumerate(rows):
        for claim in row.get("claims") or ():
            for key in ("fund_paid", "critical_illness_paid"):
                if claim.get(key) is not None:
                    claim[key] = Decimal(claim[key]).quantize(Decimal("0.001"))
                    if i % 9 == 0:
                        claim[key] += Decimal("0.005")
                        tenths += 1
    assert tenths
    source = tmp_path / "mills.parquet"
    _write(rows, source)
    assert pq.read_schema(source).field("claims").type.value_type.field("fund_paid").type \
        .scale == 3
    found = _both_ways(policy, regions, on, "person", source, tmp_path)
    _assert_same(found)
    assert "R423" in found[0][1]


def test_a_column_the_checks_do_not_read_sends_its_batch_the_row_way(tmp_path):
    """Dates written as text: every row is read the row way, and the answers agree."""
    policy, regions = _setup("sichuan-2025", None)
    on = dt.date(2027, 6, 1)
    rows = _generated(policy, regions, on, "person", 300, seed=5)
    for row in rows:
        row["birth_date"] = row["birth_date"].isoformat()
    source = tmp_path / "text-dates.parquet"
    _write(rows, source)
    found = _both_ways(policy, regions, on, "person", source, tmp_path)
    _assert_same(found)
    assert found[1][2].vouched == 0


def test_json_lines_out_of_the_column_way_matches_the_row_way(tmp_path):
    policy, regions = _setup("jiangxi-2024-34", "examples/regions.yaml")
    on = dt.date(2027, 6, 1)
    source = tmp_path / "people.parquet"
    _write(_generated(policy, regions, on, "person", 800, seed=3), source)
    texts = []
    for engine in ("interp", "columnar"):
        out = tmp_path / f"{engine}.jsonl"
        run(policy, source, out, on, regions, engine=engine)
        texts.append([json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()])
    assert texts[0] == texts[1]


@pytest.mark.parametrize("overrides", [
    {"repaid_years": 2},                                   # a field most rows leave out
    {"birth_date": dt.date(2026, 5, 1)},                   # a field every row has
    {"hukou_type": "城镇"},                                 # not a member: every row refused
])
def test_set_gives_every_row_the_value_both_ways(overrides, tmp_path):
    """--set on the column path: the file's column replaced (or added) by one value, then
    checked and evaluated as the row way does with the value in each row's mapping."""
    policy, regions = _setup("sichuan-2025", None)
    on = dt.date(2027, 6, 1)
    source = tmp_path / "people.parquet"
    _write(_generated(policy, regions, on, "person", 700, seed=9), source)
    found = _both_ways(policy, regions, on, "person", source, tmp_path, overrides=overrides)
    _assert_same(found)
    rows, summary = found[1][0], found[1][2]
    if "hukou_type" in overrides:
        assert summary.rejected == 700 and summary.vouched == 0
    else:
        assert summary.rejected == 0 and summary.vouched == 700
        (tmp_path / "plain").mkdir()
        plain = _both_ways(policy, regions, on, "person", source, tmp_path / "plain")[1][0]
        assert not rows.equals(plain)                      # the value changed something

