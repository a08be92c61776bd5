"""The columnar engine gives exactly the interpreter's outcomes (values, not applicable),
person by person, on 10^4 seeded records per policy and on every example record; a person
it cannot answer exactly is left to the interpreter, and a policy it cannot compile is
refused with the place of the construct."""
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from yibao.interpreter.api import load_policy, load_record
from yibao.interpreter.batch.generate import Generator
from yibao.interpreter.columnar.engine import LEFT, CannotCompile, ColumnarEngine
from yibao.interpreter.evaluator import evaluate_outputs
from yibao.interpreter.records import record_from_data

from . import builders

ROOT = Path(__file__).resolve().parent.parent
COMPILED = [
    ("jiangxi-2024-34", "examples/regions.yaml", dt.date(2027, 6, 1), "person"),
    ("sichuan-2025", None, dt.date(2027, 6, 1), "person"),
    ("sichuan-2025", None, dt.date(2025, 3, 1), "person"),
    ("wuxi-2019-73", None, dt.date(2021, 6, 1), "person"),
    ("wuxi-2019-73", None, dt.date(2022, 6, 1), "fund_year"),
    ("jinggu-2018", None, dt.date(2016, 6, 1), "person"),
    ("jinggu-2018", None, dt.date(2017, 3, 1), "person"),
    ("jinggu-2018", None, dt.date(2018, 6, 1), "person"),
    ("jiangxi-2024-34", "examples/regions.yaml", dt.date(2024, 12, 31), "person"),
    ("shandong-2024-assistance", "examples/shandong/regions.yaml", dt.date(2026, 6, 1),
     "person"),
    ("shandong-2024-assistance", "examples/shandong/regions.yaml", dt.date(2025, 3, 1),
     "person"),
]
PEOPLE = 10_000


_policy = builders.policy_and_regions


def compare(policy, regions, on, kind, records):
    """(persons the columns answered, persons without any error the columns left to the
    interpreter); asserts equality wherever the columns answered."""
    names = policy.outputs_for(kind)
    rows = ColumnarEngine(policy, on, regions, kind, names).evaluate(records)
    answered = left_clean = 0
    for record, row in zip(records, rows):
        expected = evaluate_outputs(policy, record, on, regions, names)
        if row is None:
            left_clean += not expected.errors
            continue
        answered += 1
        for name in names:
            if row[name] is LEFT:       # the interpreter gives this output
                left_clean += name not in expected.errors
                continue
            assert name not in expected.errors, \
                f"{record['id']} {name}: the columns answered where the interpreter errs " \
                f"({expected.errors[name].code})"
            want = expected.not_applicable.get(name, expected.values.get(name))
            got = row[name]
            assert type(got) is type(want) and got == want, (record["id"], name, want, got)
    return answered, left_clean


@pytest.mark.parametrize("policy_id, regions_path, on, kind", COMPILED)
def test_generated_people_get_the_interpreters_outcomes(policy_id, regions_path, on, kind):
    policy, regions = _policy(policy_id, regions_path)
    records = [record_from_data(policy, data, "generated")[0]
               for data in Generator(policy, on, 2024, regions, kind).records(PEOPLE)]
    answered, left_clean = compare(policy, regions, on, kind, records)
    # the columns do the work: the interpreter takes persons with an error to report, and
    # of the others only the few with two entries in a year (or a value beyond the columns)
    # (before 2025 every person has an error to report: all go to the interpreter)
    assert left_clean <= 0.1 * (answered + left_clean), (answered, left_clean)
    assert answered > 0 or on.year < 2025


@pytest.mark.parametrize("policy_id, regions_path, on, kind",
                         COMPILED[:2] + COMPILED[3:4] + COMPILED[7:8])
def test_every_example_record_gets_the_interpreters_outcomes(policy_id, regions_path, on,
                                                             kind):
    policy, regions = _policy(policy_id, regions_path)
    folder = ROOT / "examples" / policy_id.split("-")[0]
    records = [load_record(policy, path)[0] for path in sorted(folder.glob("*.yaml"))
               if path.name != "regions.yaml"]
    records = [r for r in records if (r.get("kind") or "person") == kind]
    answered, _ = compare(policy, regions, on, kind, records)
    assert answered > 0


def test_a_policy_the_columns_do_not_compile_is_refused_with_its_place(tmp_path):
    """A list of texts is not compiled: refused where the policy reads it (line 13,
    column 18: `tags`)."""
    policy = load_policy(builders.refused_columns_policy(tmp_path))
    records = [record_from_data(policy, {"id": "1", "tags": ["a", "b", "a"]}, "r")[0]]
    with pytest.raises(CannotCompile) as refused:
        ColumnarEngine(policy, dt.date(2026, 6, 1), None, "person", ["tagged"]).evaluate(records)
    assert "tags" in refused.value.what
    assert refused.value.span is not None and \
        (refused.value.span.line, refused.value.span.column) == (13, 18)


# ------------------------------------------------------------------ extreme values
EXTREMES = {int: [0, -1, 9999, 10 ** 17, -10 ** 17, 2 ** 62],
            Decimal: [Decimal("0.01"), Decimal("999999999999.99"), Decimal("-5.00"),
                      Decimal("123456789012345.67")],
            dt.date: [dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(2000, 2, 29),
                      dt.date(2027, 1, 31)],
            bool: [True, False], str: ["", "四川省", "x" * 300, "外省外市"]}


def _mutate(rng, data) -> None:
    """Push one value somewhere in the record to an edge of its type."""
    if isinstance(data, dict) and data and rng.random() < 0.5:
        key = rng.choice(list(data))
        value = data[key]
        if type(value) in EXTREMES:
            data[key] = rng.choice(EXTREMES[type(value)])
        else:
            _mutate(rng, value)
    elif isinstance(data, list) and data:
        _mutate(rng, rng.choice(data))


@pytest.mark.parametrize("policy_id, regions_path, on, kind", [COMPILED[0], COMPILED[1],
                                                               COMPILED[3], COMPILED[7]])
def test_records_at_the_edges_of_their_types_get_the_interpreters_outcomes(
        policy_id, regions_path, on, kind):
    import random

    from yibao.interpreter.diagnostics import DiagnosticError

    policy, regions = _policy(policy_id, regions_path)
    rng = random.Random(7)
    records = []
    for data in Generator(policy, on, 99, regions, kind).records(300):
        for _ in range(3):
            _mutate(rng, data)
        try:
            records.append(record_from_data(policy, data, "edge")[0])
        except DiagnosticError:
            continue                    # the validator refuses it: nothing to evaluate
    assert len(records) > 100
    compare(policy, regions, on, kind, records)      # asserts output by output
