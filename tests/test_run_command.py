"""`yibao run` over population files and `yibao generate`: every row accounted for, the
three outcomes kept apart in the results, measures against their targets."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from yibao import cli
from yibao.interpreter.api import load_policy, record_from

ROOT = Path(__file__).resolve().parent.parent
JIANGXI = str(ROOT / "policies" / "jiangxi-2024-34.policy")
SHANDONG = str(ROOT / "policies" / "shandong-2024-assistance.policy")
WUXI = str(ROOT / "policies" / "wuxi-2019-73.policy")
REGIONS = str(ROOT / "examples" / "regions.yaml")
SHANDONG_REGIONS = str(ROOT / "examples" / "shandong" / "regions.yaml")


def invoke(*args):
    return CliRunner().invoke(cli.main, list(args))


def person(pid, years, region="江西省南昌市", **extra):
    return {"id": pid, "birth_date": "1980-04-12", "hukou": region, "residence": region,
            "employment": "none",
            "enrollment": [{"year": y, "scheme": "resident", "region": region,
                            "paid_on": f"{y - 1}-12-10", "concentrated": True} for y in years],
            **extra}


def jsonl(path, rows):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False))
                            + "\n" for r in rows), encoding="utf-8")
    return path


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_row_is_written_or_rejected_with_its_reason(tmp_path):
    rows = [person("P1", range(2016, 2028)),
            '{"id": "P2", "birth_date": "1980-02-30"}',      # no such date
            "{not json",
            person("P3", [2027], region="江西省九江市"),
            {"id": "P4", "birth_date": "1980-01-01", "hukou": "x", "residence": "x",
             "employment": "none", "enrollment": "not a list"}]
    source = jsonl(tmp_path / "in.jsonl", rows)
    done = invoke("run", JIANGXI, str(source), "--on", "2027-06-01", "--regions", REGIONS,
                  "-o", str(tmp_path / "out.jsonl"))
    assert done.exit_code == 0, done.output
    assert "rows read 5 = written 2 + rejected 3" in done.stderr
    written = read_jsonl(tmp_path / "out.jsonl")
    assert [r["id"] for r in written] == ["P1", "P3"]
    rejects = read_jsonl(tmp_path / "out.rejects.jsonl")
    assert [r["row"] for r in rejects] == [2, 3, 5]
    assert rejects[0]["id"] == "P2"
    assert "birth_date" in [p["path"] for p in rejects[0]["problems"]]
    assert rejects[2]["problems"][0]["path"] == "enrollment"
    assert all(p["code"] and p["message"] for r in rejects for p in r["problems"])


def test_values_not_applicable_and_errors_are_kept_apart(tmp_path):
    # P1: 南昌 12 years: cap 400000 + min(3 x 3000 + 2 x 3000, 80000) = 415000
    # P2: no 2027 entry: the cap does not concern them (null, no error code)
    # P3: 湖北省武汉市 has no cap in the region file: null with the error code
    source = jsonl(tmp_path / "in.jsonl", [person("P1", range(2016, 2028)),
                                           person("P2", range(2016, 2027)),
                                           person("P3", [2027], region="湖北省武汉市")])
    done = invoke("run", JIANGXI, str(source), "--on", "2027-06-01", "--regions", REGIONS,
                  "-o", str(tmp_path / "out.jsonl"))
    assert done.exit_code == 0, done.output
    p1, p2, p3 = read_jsonl(tmp_path / "out.jsonl")
    assert (p1["critical_illness_cap"], p1["critical_illness_cap__error"]) == ("415000.00", None)
    assert (p2["critical_illness_cap"], p2["critical_illness_cap__error"]) == (None, None)
    assert p3["critical_illness_cap"] is None and p3["critical_illness_cap__error"] == "R460"
    assert "R460 1" in done.stderr and "critical_illness_cap 1" in done.stderr


def test_results_agree_with_eval_for_every_jiangxi_example(tmp_path):
    from yibao.interpreter.datafile import read_data_file

    rows = []
    for path in sorted((ROOT / "examples" / "jiangxi").glob("*.yaml")):
        data = dict(read_data_file(path).data)
        data.pop("expect", None)
        rows.append(json.loads(json.dumps(data, default=str, ensure_ascii=False)))
    source = jsonl(tmp_path / "in.jsonl", rows)
    assert invoke("run", JIANGXI, str(source), "--on", "2027-06-01", "--regions", REGIONS,
                  "-o", str(tmp_path / "out.jsonl")).exit_code == 0
    for path, row in zip(sorted((ROOT / "examples" / "jiangxi").glob("*.yaml")),
                         read_jsonl(tmp_path / "out.jsonl")):
        single = invoke("eval", JIANGXI, str(path), "--on", "2027-06-01", "--regions",
                        REGIONS, "--format", "json")
        expected = json.loads(single.stdout)
        for name, value in expected.items():
            assert row[name] == value, (path.name, name)


def test_a_fund_year_csv_runs_and_a_list_in_csv_is_refused(tmp_path):
    # Wuxi fund years: 江阴 2021 completed its plan, surplus 5000000 >= deficit 1200000
    # -> 市级原统筹区结余; 宜兴 2023 no deficit -> not applicable
    source = tmp_path / "funds.csv"
    source.write_text(
        "id,kind,region,year,plan_completed,subsidy_in_place,contribution_policy_executed,"
        "deficit,city_surplus_available\n"
        "F1,fund_year,江苏省无锡市江阴市,2021,true,true,true,1200000.00,5000000.00\n"
        "F2,fund_year,江苏省无锡市宜兴市,2023,true,true,true,0,0\n", encoding="utf-8")
    done = invoke("run", WUXI, str(source), "--on", "2024-03-01", "--kind", "fund_year",
                  "-o", str(tmp_path / "out.csv"))
    assert done.exit_code == 0, done.output
    lines = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "id,deficit_covered_by,deficit_covered_by__error"
    assert lines[1:] == ["F1,市级原统筹区结余,", "F2,,"]
    people = tmp_path / "people.csv"
    people.write_text("id,birth_date,enrollment\nA,1980-01-01,[]\n", encoding="utf-8")
    done = invoke("run", WUXI, str(people), "--on", "2024-03-01", "-o",
                  str(tmp_path / "p.jsonl"))
    assert "rejected 1" in done.stderr
    assert read_jsonl(tmp_path / "p.rejects.jsonl")[0]["problems"][0]["code"] == "R481"


def test_the_measure_is_reported_against_its_target(tmp_path):
    # four 低保对象 recognised in 泰安 and valid on 2026-06-01; three insured in 2026:
    # 3 / 4 = 75% < 99% -> not met
    ident = [{"category": "低保对象", "recognised_by": "山东省泰安市", "from": "2024-03-01"}]

    def recipient(pid, insured):
        entries = [{"year": 2026, "scheme": "resident", "region": "山东省泰安市",
                    "paid_on": "2025-12-01", "concentrated": True}] if insured else []
        return {"id": pid, "birth_date": "1950-01-01", "enrollment": entries,
                "identities": ident}
    source = jsonl(tmp_path / "in.jsonl", [recipient("A", True), recipient("B", True),
                                           recipient("C", True), recipient("D", False)])
    done = invoke("run", SHANDONG, str(source), "--on", "2026-06-01", "--regions",
                  SHANDONG_REGIONS, "-o", str(tmp_path / "out.jsonl"))
    assert done.exit_code == 0, done.output
    assert "measure assistance_enrollment_rate = 75% (target >= 99%: not met)" in done.stderr


def test_parquet_in_and_out_match_json_lines(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    assert invoke("generate", JIANGXI, "300", "--seed", "5", "--on", "2027-06-01",
                  "--regions", REGIONS, "-o", str(tmp_path / "g.parquet")).exit_code == 0
    assert invoke("generate", JIANGXI, "300", "--seed", "5", "--on", "2027-06-01",
                  "--regions", REGIONS, "-o", str(tmp_path / "g.jsonl")).exit_code == 0
    for name in ("g.parquet", "g.jsonl"):
        done = invoke("run", JIANGXI, str(tmp_path / name), "--on", "2027-06-01",
                      "--regions", REGIONS, "-o", str(tmp_path / (name + ".out.parquet")))
        assert done.exit_code == 0, done.output
        assert "rejected 0" in done.stderr
    a = pq.read_table(tmp_path / "g.parquet.out.parquet").to_pylist()
    b = pq.read_table(tmp_path / "g.jsonl.out.parquet").to_pylist()
    assert a == b and len(a) == 300
    cap = pq.read_table(tmp_path / "g.jsonl.out.parquet").schema.field("critical_illness_cap")
    assert str(cap.type) == "decimal128(18, 2)"


def test_generate_is_seeded_and_every_record_is_valid(tmp_path):
    for seed, name in ((7, "a.jsonl"), (7, "b.jsonl"), (8, "c.jsonl")):
        assert invoke("generate", SHANDONG, "200", "--seed", str(seed), "--on", "2026-06-01",
                      "--regions", SHANDONG_REGIONS, "-o", str(tmp_path / name)).exit_code == 0
    a, b, c = ((tmp_path / n).read_bytes() for n in ("a.jsonl", "b.jsonl", "c.jsonl"))
    assert a == b and a != c
    policy = load_policy(SHANDONG)
    for row in read_jsonl(tmp_path / "a.jsonl"):
        record_from(policy, row)            # raises if a generated record were invalid


@pytest.mark.parametrize("args, code", [
    (("-o", "OUT.txt"), "C622"),
    (("-o", "IN"), "C625"),
    (("-o", "out.jsonl", "--outputs", "critical_ilness_cap"), "C603"),
])
def test_bad_run_arguments(tmp_path, args, code):
    source = jsonl(tmp_path / "in.jsonl", [person("P1", [2027])])
    args = [a.replace("OUT", str(tmp_path / "out")).replace("IN", str(source)) for a in args]
    done = invoke("run", JIANGXI, str(source), "--on", "2027-06-01", *args)
    assert done.exit_code == 2, done.output
    assert code in done.output and "Traceback" not in done.output
    assert source.read_text(encoding="utf-8").startswith("{")       # never overwritten


def test_the_columnar_engine_writes_the_interpreters_results(tmp_path):
    sichuan = str(ROOT / "policies" / "sichuan-2025.policy")
    source = tmp_path / "people.jsonl"
    assert invoke("generate", sichuan, "2000", "--seed", "9", "--on", "2027-06-01",
                  "-o", str(source)).exit_code == 0
    outputs = {}
    for engine in ("interp", "columnar"):
        done = invoke("run", sichuan, str(source), "--on", "2027-06-01", "--engine", engine,
                      "-o", str(tmp_path / f"{engine}.jsonl"))
        assert done.exit_code == 0, done.output
        assert f"engine: {engine}" in done.stderr
        outputs[engine] = (tmp_path / f"{engine}.jsonl").read_bytes()
    assert outputs["interp"] == outputs["columnar"]


def test_a_policy_the_columns_do_not_compile_runs_on_the_interpreter_or_is_refused(tmp_path):
    from .builders import refused_columns_policy

    policy = str(refused_columns_policy(tmp_path))
    source = jsonl(tmp_path / "people.jsonl", [{"id": "1", "tags": ["a", "b", "a"]},
                                               {"id": "2", "tags": []}])
    auto = invoke("run", policy, str(source), "--on", "2026-06-01", "-o", str(tmp_path / "a.jsonl"))
    assert auto.exit_code == 0 and "warning[C626]" in auto.stderr
    assert "refused-columns.policy:13:18" in auto.stderr and "engine: interp" in auto.stderr
    rows = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert [row["tagged"] for row in rows] == [2, 0]
    refused = invoke("run", policy, str(source), "--on", "2026-06-01", "--engine", "columnar",
                     "-o", str(tmp_path / "b.jsonl"))
    assert refused.exit_code == 2 and "error[C627]" in refused.output


def test_files_that_cannot_be_read_or_written_are_reported_not_crashed(tmp_path):
    fake = tmp_path / "fake.parquet"
    fake.write_text("not parquet", encoding="utf-8")
    done = invoke("run", WUXI, str(fake), "--on", "2024-03-01", "-o", str(tmp_path / "o.jsonl"))
    assert done.exit_code == 2 and "R482" in done.output and "Traceback" not in done.output
    source = jsonl(tmp_path / "in.jsonl", [person("P1", [2023])])
    for args in (("run", WUXI, str(source), "--on", "2024-03-01"), ("generate", WUXI, "3")):
        done = invoke(*args, "-o", str(tmp_path / "missing" / "out.jsonl"))
        assert done.exit_code == 2 and "C636" in done.output and "cannot write" in done.output


@pytest.mark.parametrize("args, code", [
    (("run", WUXI, "IN", "--on", "2024-03-01", "--kind", "nosuch", "-o", "OUT"), "E582"),
    (("generate", WUXI, "3", "--kind", "nosuch", "-o", "OUT"), "E582"),
    (("run", str(ROOT / "policies" / "records-contract.policy"), "IN", "--on", "2024-03-01",
      "-o", "OUT"), "E583"),                            # a policy with nothing to answer
])
def test_a_kind_the_policy_does_not_answer_is_refused(tmp_path, args, code):
    source = jsonl(tmp_path / "in.jsonl", [person("P1", [2023])])
    args = [str(source) if a == "IN" else str(tmp_path / "out.jsonl") if a == "OUT" else a
            for a in args]
    done = invoke(*args)
    assert done.exit_code == 2, done.output
    assert code in done.output and "Traceback" not in done.output
