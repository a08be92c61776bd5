"""Record loading: conversions, shape checks, and golden files of bad records.

Golden files: tests/golden/records/NAME.(yaml|json|...) is a bad record, NAME.expected the
English rendering of what loading it reports (NAME.zh.expected the Chinese one, for the
cases in ZH_CASES).  After an intended change run

    YIBAO_RESET_GOLDENS=1 python -m pytest tests/test_records.py

and review the new .expected files in `git diff`.
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yibao.interpreter import api, nodes
from yibao.interpreter.diagnostics import DiagnosticError
from yibao.interpreter.render_diagnostics import render_all
from yibao.interpreter.messages import MESSAGES
from yibao.interpreter.convert import Mismatch, convert_scalar
from yibao.interpreter.records import load_record_file, validate_record
from yibao.interpreter.source import NO_SPAN, FileProblem, SourceFile
from yibao.interpreter.types import (BOOL, DATE, DECIMAL, DURATION, INT, MONEY, PERCENT, TEXT, EnumTy,
                               FieldInfo, HistoryTy, ListTy, OptionalTy, RecordTy)
from yibao.interpreter.values import Duration, History

from .conftest import compare_golden

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "records"
ZH_CASES = {"bad_date", "enum_typo", "missing_id", "invalid_yaml", "many_errors"}


# ------------------------------------------------------------------ a small input declaration
def default(value, kind="int"):
    """Any non-None FieldInfo.default means "has a default"; the value itself is the evaluator's."""
    return nodes.Literal(NO_SPAN, kind, value, str(value))


def fields(*infos):
    return {info.name: info for info in infos}


SCHEME = EnumTy("Scheme", ("resident", "employee", "urbmi", "ncms"),
                ("城乡居民医保", "职工医保", "城镇居民医保", "新农合"))
EMPLOYMENT = EnumTy("Employment", ("employee", "flexible", "unemployed_benefit", "student", "retired", "none"),
                    ("就业人员", "灵活就业人员", "领取失业保险金人员", "学生", "退休人员", "无"))
ENROLLMENT = RecordTy("Enrollment", fields(
    FieldInfo("scheme", SCHEME, "险种", None),
    FieldInfo("region", TEXT, "参保地(统筹地区)", None),
    FieldInfo("paid_on", DATE, "缴费日期", None),
    FieldInfo("concentrated", BOOL, "在集中参保期内缴费", None)))
CLAIM = RecordTy("Claim", fields(
    FieldInfo("fund_paid", MONEY, "基本医保基金报销", default(0, "money")),
    FieldInfo("critical_illness_paid", MONEY, "大病保险支付", default(0, "money")),
    FieldInfo("incentive_used", BOOL, None, default(False, "bool"))))
STUDENT = RecordTy("Student", fields(
    FieldInfo("entry_year", INT, None, None),
    FieldInfo("program_years", INT, None, None),
    FieldInfo("lump_sum_paid", BOOL, None, default(False, "bool"))))
PERSON = RecordTy("person", fields(
    FieldInfo("id", TEXT, "人员编号", None),
    FieldInfo("birth_date", DATE, "出生日期", None),
    FieldInfo("hukou", TEXT, "户籍地", None),
    FieldInfo("residence", TEXT, "常住地", None),
    FieldInfo("residence_permit", BOOL, "持有常住地居住证", default(False, "bool")),
    FieldInfo("employment", EMPLOYMENT, "就业状态", None),
    FieldInfo("payer_relation", OptionalTy(TEXT), None, default(None, "none")),
    FieldInfo("enrollment_known_from", INT, None, default(2016)),
    FieldInfo("enrollment", HistoryTy(ENROLLMENT), "参保记录", None),
    FieldInfo("repaid_years", INT, None, default(0)),
    FieldInfo("claims", HistoryTy(CLAIM), None, default((), "list")),
    FieldInfo("other_subsidy", MONEY, None, default(0, "money")),
    FieldInfo("student", OptionalTy(STUDENT), None, None),
    FieldInfo("close_relatives", ListTy(TEXT), None, default((), "list")),
    FieldInfo("adjustment_share", PERCENT, None, default(0, "percent")),
    FieldInfo("wait", DURATION, None, default(0, "duration")),
    FieldInfo("ratio", DECIMAL, None, default(0, "decimal"))))
# hukou is declared but no rule of this policy reads it: a record may leave it out.
READ = frozenset({"id", "birth_date", "residence", "employment", "enrollment", "claims", "student"})
# A stand-in for a loaded policy: one record kind, `person`.
POLICY = SimpleNamespace(input_type=PERSON, read_fields=READ, default_kind=PERSON.name,
                         input_types={PERSON.name: PERSON},
                         read_fields_by_kind={PERSON.name: READ})


def validate(data, positions=None):
    return validate_record(data, PERSON, READ, "r.yaml", positions)


def codes(err: DiagnosticError) -> list[str]:
    return [d.code for d in err.diagnostics]


GOOD = {"id": "SC-1", "birth_date": "1988-04-12", "residence": "四川省成都市",
        "employment": "flexible", "enrollment": []}


# ------------------------------------------------------------------ golden files
def golden_cases():
    return sorted(p for p in GOLDEN.iterdir() if ".expected" not in p.name)


def render_case(path: Path, lang: str) -> str:
    try:
        _, diags = load_record_file(POLICY, Path(path.name))
    except DiagnosticError as err:
        diags = err.diagnostics
    assert diags, f"{path.name} is meant to be a bad record but loads cleanly"
    assert_formats(diags)
    try:
        sources = {path.name: SourceFile.read(path.name)}
    except FileProblem:
        sources = {}
    return render_all(diags, lang, sources) + "\n"


@pytest.mark.parametrize("path", golden_cases(), ids=lambda p: p.name)
def test_golden_record(path, monkeypatch):
    monkeypatch.chdir(GOLDEN)     # so rendered paths are the bare file names
    stem = path.name.rsplit(".", 1)[0]
    compare_golden(GOLDEN / f"{stem}.expected", render_case(path, "en"))
    if stem in ZH_CASES:
        compare_golden(GOLDEN / f"{stem}.zh.expected", render_case(path, "zh"))


def test_golden_set_is_complete():
    """Every .expected belongs to a case, and every case the brief lists is there."""
    stems = [p.name.rsplit(".", 1)[0] for p in golden_cases()]
    assert len(stems) == len(set(stems)), "two inputs would share one .expected file"
    for expected in GOLDEN.glob("*.expected"):
        assert expected.name.split(".")[0] in stems, f"{expected.name} has no input file"
    assert {"bad_date", "money_three_decimals", "enum_typo", "missing_read_field", "missing_id",
            "history_no_year", "list_file", "invalid_yaml", "unknown_field", "wrong_kind",
            "bool_for_int"} <= set(stems)


def assert_formats(diags):
    """Every message and hint formats with the arguments it was given (no silent fallback)."""
    for d in diags:
        for lang in (0, 1):
            MESSAGES[d.code][lang].format(code=d.code, **dict(d.args))
            for hint in d.hints:
                MESSAGES[hint.key][lang].format(**dict(hint.args))


# ------------------------------------------------------------------ conversions
def test_full_record_converts_to_runtime_values():
    data = dict(GOOD, enrollment=[
        {"year": 2024, "scheme": "resident", "region": "四川省成都市",
         "paid_on": dt.date(2023, 12, 10), "concentrated": True},
        {"year": 2024, "scheme": "employee", "region": "四川省成都市",
         "paid_on": "2024-03-01", "concentrated": False}],
        claims=[{"year": 2023, "fund_paid": 1250.1}], other_subsidy="12.5",
        student={"entry_year": 2024, "program_years": 4}, close_relatives=["配偶"],
        adjustment_share="20%", wait="3 个月", ratio=0.75)
    record, warnings = validate(data)
    assert warnings == []
    assert record["birth_date"] == dt.date(1988, 4, 12)
    history = record["enrollment"]
    assert isinstance(history, History)
    assert len(history.by_year[2024]) == 2          # duplicate years are kept, not rejected
    assert history.entries[1]["paid_on"] == dt.date(2024, 3, 1)
    assert record["claims"].by_year[2023][0] == {"year": 2023, "fund_paid": Decimal("1250.10")}
    assert record["other_subsidy"] == Decimal("12.50")
    assert record["student"] == {"entry_year": 2024, "program_years": 4}
    assert record["close_relatives"] == ("配偶",)
    assert record["adjustment_share"] == Decimal("0.20")
    assert record["wait"] == Duration(3)
    assert record["ratio"] == Decimal("0.75")


def test_yaml_amounts_are_read_from_their_text_not_through_float(tmp_path, monkeypatch):
    # 999999999999999.99 has 17 significant digits, more than a float keeps: through a
    # float it would have become 1000000000000000.0 (and then too large to be an amount).
    monkeypatch.chdir(tmp_path)
    text = ("id: SC-1\nbirth_date: 1988-04-12\nresidence: 四川省成都市\n"
            "employment: flexible\nenrollment: []\nother_subsidy: 999999999999999.99\n")
    Path("big.yaml").write_text(text, encoding="utf-8")
    record, _ = load_record_file(POLICY, Path("big.yaml"))
    assert record["other_subsidy"] == Decimal("999999999999999.99")


def test_defaults_stay_absent_and_optional_becomes_none():
    record, _ = validate(dict(GOOD))
    for name in ("residence_permit", "repaid_years", "claims", "payer_relation", "other_subsidy"):
        assert name not in record                  # has a default: the evaluator applies it
    assert record["student"] is None               # optional without default: none
    assert "hukou" not in record                   # not read, no default: simply absent


def test_kind_naming_the_input_is_accepted_and_not_kept():
    record, warnings = validate(dict(GOOD, kind="person"))
    assert "kind" not in record and warnings == []


# ------------------------------------------------------------------ api.record_from
@lru_cache(maxsize=None)
def jiangxi():
    return api.load_policy(ROOT / "policies" / "jiangxi-2024-34.policy")


def jiangxi_person(**fields):
    """A Jiangxi person as a YAML/JSON file would give it: dates as ISO text."""
    data = {"id": "JX-API", "birth_date": "1980-04-12", "hukou": "江西省南昌市",
            "residence": "江西省南昌市", "employment": "none",
            "enrollment": [{"year": 2024, "scheme": "resident", "region": "江西省南昌市",
                            "paid_on": "2023-12-10", "concentrated": True}]}
    data.update(fields)
    return data


def test_record_from_converts_a_mapping_to_runtime_values():
    data = jiangxi_person(
        claims=[{"year": 2024, "fund_paid": "1250.5", "critical_illness_paid": 30}],
        enrollment=[{"year": 2024, "scheme": "resident", "region": "江西省南昌市",
                     "paid_on": "2023-12-10", "concentrated": True},
                    {"year": 2025, "scheme": "resident", "region": "江西省南昌市",
                     "paid_on": dt.date(2024, 11, 30), "concentrated": True}])
    record = api.record_from(jiangxi(), data)
    assert record.warnings == []
    assert record["birth_date"] == dt.date(1980, 4, 12)        # ISO text -> date
    assert isinstance(record["enrollment"], History)
    assert [e["paid_on"] for e in record["enrollment"].entries] == \
        [dt.date(2023, 12, 10), dt.date(2024, 11, 30)]         # text and date objects alike
    claim = record["claims"].by_year[2024][0]
    assert claim["fund_paid"] == Decimal("1250.50") and type(claim["fund_paid"]) is Decimal
    assert str(claim["fund_paid"]) == "1250.50"                # money is kept to the fen
    assert claim["critical_illness_paid"] == Decimal("30.00")
    assert "kind" not in record                                # the default kind is not marked
    assert data["birth_date"] == "1980-04-12"                  # the mapping is left as it was
    # the record is what evaluate takes: 2024 and 2025 insured -> a streak of 2 in 2025
    assert api.evaluate(jiangxi(), record, dt.date(2025, 6, 1),
                        outputs=["continuous_years"]).values["continuous_years"] == 2


def test_record_from_raises_with_the_data_path_of_each_bad_value():
    data = jiangxi_person(
        birth_date="1980-02-30",
        claims=[{"year": 2024, "fund_paid": "12.345"}],
        enrollment=[{"year": 2024, "scheme": "resident", "region": "江西省南昌市",
                     "paid_on": "2023-12-10", "concentrated": True},
                    {"year": 2025, "scheme": "residents", "region": "江西省南昌市",
                     "paid_on": "2024-13-01", "concentrated": True}])
    with pytest.raises(DiagnosticError) as info:
        api.record_from(jiangxi(), data, where="case JX-API")
    found = {(d.code, d.data_path) for d in info.value.diagnostics}
    assert found == {("R421", "birth_date"),                   # no 30 February
                     ("R423", "claims[0].fund_paid"),          # finer than a fen
                     ("R428", "enrollment[1].scheme"),         # not a member of the enum
                     ("R421", "enrollment[1].paid_on")}        # no month 13
    assert all(d.is_error and d.file == "case JX-API" for d in info.value.diagnostics)


@pytest.mark.parametrize("change", [
    dict(birth_date="1980-02-30", enrollment="none"),
    dict(id="   ", favourite_colour="blue"),
    dict(kind="fund_year"),                 # a kind the Jiangxi policy does not read
    dict(employment=None, claims=[{"fund_paid": 3}]),
], ids=["bad-values", "blank-id", "other-kind", "null-and-no-year"])
def test_record_from_gives_the_diagnostics_a_file_with_that_content_gives(tmp_path, change):
    data = jiangxi_person(**change)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DiagnosticError) as from_file:
        api.load_record(jiangxi(), path)
    with pytest.raises(DiagnosticError) as from_mapping:
        api.record_from(jiangxi(), data, where=str(path))
    def seen(err):            # a file's come in line order; a mapping has no lines
        return sorted((d.code, d.data_path, d.file, d.is_error) for d in err.diagnostics)
    assert seen(from_mapping.value) == seen(from_file.value)
    assert any(d.is_error for d in from_mapping.value.diagnostics)


def test_record_from_keeps_warnings_on_the_record():
    record = api.record_from(jiangxi(), jiangxi_person(repaid_yeras=1))
    assert [(w.code, w.data_path) for w in record.warnings] == [("R412", "repaid_yeras")]
    assert "repaid_yeras" not in record and "repaid_years" not in record


def test_record_from_picks_the_input_of_the_records_kind():
    wuxi = api.load_policy(ROOT / "policies" / "wuxi-2019-73.policy")
    data = {"id": "WX-API", "kind": "fund_year", "region": "江苏省无锡市江阴市", "year": 2021,
            "plan_completed": True, "subsidy_in_place": True,
            "contribution_policy_executed": True, "deficit": "1200000", "city_surplus_available": 0}
    record = api.record_from(wuxi, data)
    assert record["kind"] == "fund_year"       # evaluation then answers the fund outputs
    assert record["deficit"] == Decimal("1200000.00")
    assert record["city_surplus_available"] == Decimal("0.00")
    assert record["plan_completed"] is True
    with pytest.raises(DiagnosticError) as info:   # the person input's fields are not asked for
        api.record_from(wuxi, dict(data, deficit="lots"))
    assert [(d.code, d.data_path) for d in info.value.diagnostics] == [("R422", "deficit")]


@pytest.mark.parametrize("raw, value", [
    (0, Decimal("0.00")), (1250, Decimal("1250.00")), (1250.1, Decimal("1250.10")),
    ("1250.50", Decimal("1250.50")), ("1250.500", Decimal("1250.50")), (Decimal("0.01"), Decimal("0.01")),
    (-3, Decimal("-3.00")), (0.1 + 0.2 - 0.3, None)])
def test_money(raw, value):
    if value is None:                              # 5.55e-17: a float artefact, not an amount
        with pytest.raises(Mismatch):
            convert_scalar(raw, MONEY)
    else:
        assert convert_scalar(raw, MONEY) == value


@pytest.mark.parametrize("raw, code", [
    (True, "R422"), ("1,250", "R422"), (1.005, "R423"), ("0.001", "R423"), (float("nan"), "R424"),
    (float("inf"), "R424"), (Decimal("NaN"), "R424"), (10 ** 16, "R422"), ([1], "R422")])
def test_money_rejects(raw, code):
    with pytest.raises(Mismatch) as err:
        convert_scalar(raw, MONEY)
    assert err.value.code == code


@pytest.mark.parametrize("ty, raw, value", [
    (INT, 3, 3), (INT, 3.0, 3), (INT, "2024", 2024), (BOOL, False, False), (TEXT, "否", "否"),
    (DATE, "2024-02-29", dt.date(2024, 2, 29)), (DECIMAL, "1.5", Decimal("1.5")),
    (PERCENT, "12.5%", Decimal("0.125")), (DURATION, "1 年", Duration(12)), (SCHEME, "ncms", "ncms")])
def test_scalar_accepts(ty, raw, value):
    assert convert_scalar(raw, ty) == value


@pytest.mark.parametrize("ty, raw, code", [
    (INT, True, "R425"), (INT, 2.5, "R425"), (INT, "3 years", "R425"), (BOOL, "yes", "R426"),
    (BOOL, 1, "R426"), (TEXT, 123, "R427"), (TEXT, ["a"], "R427"), (DATE, "2023-02-29", "R421"),
    (DATE, "2025-13-01", "R421"), (DATE, "0000-01-01", "R421"), (DATE, 20250101, "R420"),
    (DATE, dt.datetime(2025, 1, 1, 8), "R420"), (DATE, "2025/01/01", "R420"), (PERCENT, 0.2, "R430"),
    (DURATION, 3, "R431"), (SCHEME, "城乡居民医保", "R428"), (SCHEME, 1, "R428"), (DECIMAL, "x", "R429")])
def test_scalar_rejects(ty, raw, code):
    with pytest.raises(Mismatch) as err:
        convert_scalar(raw, ty)
    assert err.value.code == code


def test_enum_label_hint_names_the_member():
    with pytest.raises(Mismatch) as err:
        convert_scalar("城乡居民医保", SCHEME)
    assert err.value.hints[0].key == "hint.record.enum_label"
    assert dict(err.value.hints[0].args)["member"] == "resident"


# ------------------------------------------------------------------ shape
def test_all_errors_are_reported_not_just_the_first():
    data = dict(GOOD, birth_date="1988-02-30", employment="freelance", repaid_years="x")
    del data["residence"]
    with pytest.raises(DiagnosticError) as err:
        validate(data)
    assert sorted(codes(err.value)) == ["R410", "R421", "R425", "R428"]
    assert {d.data_path for d in err.value.diagnostics} == {
        "birth_date", "employment", "repaid_years", "residence"}
    assert all(d.file == "r.yaml" for d in err.value.diagnostics)


def test_nested_paths_and_positions():
    from yibao.interpreter.source import Span
    span = Span("r.yaml", 9, 14, 9, 24)
    data = dict(GOOD, enrollment=[{"year": 2024, "scheme": "resident", "region": "x",
                                   "paid_on": "2025-13-01", "concentrated": True}])
    with pytest.raises(DiagnosticError) as err:
        validate(data, {"enrollment[0].paid_on": span})
    (diag,) = err.value.diagnostics
    assert diag.data_path == "enrollment[0].paid_on" and diag.span == span


def test_missing_unread_field_without_default_is_fine_but_id_is_not():
    validate(dict(GOOD))                      # hukou missing, not read: fine
    data = dict(GOOD)
    del data["id"]
    with pytest.raises(DiagnosticError) as err:
        validate_record(data, PERSON, frozenset(), "r.yaml")
    assert codes(err.value) == ["R411"]


def test_unknown_fields_warn_with_hint_and_are_not_kept():
    record, warnings = validate(dict(GOOD, residense="x", claims=[{"year": 2023, "fund_pad": 1}]))
    assert [(w.code, w.data_path, w.severity) for w in warnings] == [
        ("R412", "residense", "warning"), ("R412", "claims[0].fund_pad", "warning")]
    assert dict(warnings[0].hints[0].args) == {"name": "residence"}
    assert "residense" not in record


def test_wrong_kind():
    with pytest.raises(DiagnosticError) as err:
        validate(dict(GOOD, kind="fund_year"))
    assert codes(err.value) == ["R413"]


def test_history_year_must_be_an_int():
    data = dict(GOOD, enrollment=[{"year": "2024年", "scheme": "resident", "region": "x",
                                   "paid_on": "2024-01-01", "concentrated": True}])
    with pytest.raises(DiagnosticError) as err:
        validate(data)
    assert [(d.code, d.data_path) for d in err.value.diagnostics] == [("R425", "enrollment[0].year")]


def test_null_for_a_field_with_a_default_is_an_error_with_a_hint():
    with pytest.raises(DiagnosticError) as err:
        validate(dict(GOOD, repaid_years=None))
    (diag,) = err.value.diagnostics
    assert diag.code == "R414" and diag.hints[0].key == "hint.record.null_default"


# ------------------------------------------------------------------ properties
json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
    | st.dates().map(lambda d: d) | st.decimals(allow_nan=True, allow_infinity=True),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(sorted(PERSON.fields) + ["year", "kind", "x"]) | st.text(max_size=5), inner, max_size=6),
    max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(PERSON.fields) + ["kind", "zzz"]), json_like, max_size=10))
def test_any_input_gives_a_record_or_diagnostics(data):
    """Junk never crashes the validator, and every diagnostic renders in both languages."""
    try:
        _, warnings = validate(data)
    except DiagnosticError as err:
        assert any(d.is_error for d in err.diagnostics)
        warnings = err.diagnostics
    assert_formats(warnings)
    for lang in ("en", "zh"):
        render_all(warnings, lang)


YAML_BITS = ["id: A\n", "enrollment:\n", "  - year: 2024\n", "    paid_on: 2025-13-01\n", "x: &a [*a]\n",
             "- ", ": ", "{", "}", "[", "]", "\t", "'", '"', "&a ", "*a ", "!!str ", "!!python/name:os.x ",
             "---\n", "#c\n", "yes", "2025-01-01", "1.005", ".nan", "~", "\n", "  ", "<<: ", "? ",
             # what the red team fed in: 1.1 numbers, tags, escapes, control characters, depth
             "010", "0x10", "1:30", "1_000", "1e999999999", "9" * 30, "１２", "!!int ", "!!binary ",
             "!!set ", "!!timestamp ", "!!null ", '"\\ud800"', "\x00", "\x07", "\u3000", "[" * 70,
             "null: ", "true: "]
JSON_BITS = ['{', '}', '[', ']', ',', ':', '"id"', '"A"', '"birth_date"', '"1988-02-30"', '"enrollment"',
             '"year"', '2024', '1e999999999', '9' * 30, '0.1', 'NaN', 'true', 'null', '"\\ud800"',
             '"\\ud83d\\ude00"', '"\x01"', '\n', ' ', '"１２"', '[' * 70, '{"a": ' * 70]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(YAML_BITS), max_size=20).map("".join))
def test_any_yaml_text_gives_a_record_or_located_diagnostics(tmp_path_factory, text):
    """Whatever the file holds, loading ends in a record or a DiagnosticError, never a crash."""
    path = tmp_path_factory.mktemp("fuzz") / "r.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_record_file(POLICY, path)
    except DiagnosticError as err:
        assert err.diagnostics
        assert_formats(err.diagnostics)
        render_all(err.diagnostics, "en").encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(JSON_BITS), max_size=24).map("".join))
def test_any_json_text_gives_a_record_or_located_diagnostics(tmp_path_factory, text):
    """The same for JSON; every diagnostic also writes out as UTF-8 (no lone surrogates)."""
    path = tmp_path_factory.mktemp("fuzz") / "r.json"
    path.write_text(text, encoding="utf-8")
    try:
        load_record_file(POLICY, path)
    except DiagnosticError as err:
        assert err.diagnostics
        assert_formats(err.diagnostics)
        render_all(err.diagnostics, "zh").encode("utf-8")


@given(st.decimals(min_value=-10 ** 12, max_value=10 ** 12, places=2))
def test_two_decimal_amounts_convert_exactly_from_text_and_float(amount):
    assert convert_scalar(str(amount), MONEY) == amount
    assert convert_scalar(float(amount), MONEY) == amount


@given(st.dates())
def test_dates_round_trip_through_iso_text(day):
    assert convert_scalar(day.isoformat(), DATE) == day


def test_every_record_message_has_both_languages_with_the_same_arguments():
    import string

    from yibao.interpreter.messages_records import RECORD_MESSAGES

    def names(template):
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}

    for code, (en, zh) in RECORD_MESSAGES.items():
        assert en and zh and en != zh, code
        assert names(en) == names(zh), code
