"""Region parameter files: loading, lookup with province fallback, and golden bad files.

tests/golden/regions/NAME.yaml is a bad region file and NAME.expected what loading it
reports; YIBAO_RESET_GOLDENS=1 rewrites the .expected files for review in `git diff`.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, Inexact, localcontext
from pathlib import Path
from types import SimpleNamespace

import pytest

from yibao.interpreter.diagnostics import DiagnosticError
from yibao.interpreter.render_diagnostics import render, render_all
from yibao.interpreter.messages import MESSAGES
from yibao.interpreter.regions import RegionLookupError, coerce, load_region_file
from yibao.interpreter.source import SourceFile, Span
from yibao.interpreter.types import INT, MONEY, PERCENT, TEXT, EnumTy, ListTy

from .conftest import compare_golden

GOLDEN = Path(__file__).parent / "golden" / "regions"
D = dt.date

TABLE = """\
note: values for tests; not an official table
regions:
  江西省:
    critical_illness_base_cap: {2025-01-01: 300000}
    individual_premium: {2024-01-01: 380, 2025-01-01: 400}
  江西省南昌市:
    critical_illness_base_cap:
      2026-01-01: 350000
      2025-07-01: 320000
    source: 南昌市医保局
  山东省泰安市:
    individual_premium: {2025-01-01: 390}
    fixed_subsidy:
      低保对象: {2025-01-01: 390}
      低保边缘家庭成员: {2025-01-01: 240, 2026-01-01: 260}
    reimbursement_share: {2025-01-01: 75%}
    close_relatives: {2025-01-01: [配偶, 父母]}
    note: illustrative values from a press report, not an official table
    illustrative: true
  山东省:
    fixed_subsidy:
      特困人员: {2025-01-01: 400}
  江苏省无锡市江阴市:
    deficit_cap: {2021-01-01: "1250.005"}
"""


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    path = tmp_path_factory.mktemp("regions") / "regions.yaml"
    path.write_text(TABLE, encoding="utf-8")
    return load_region_file(path)


def lookup_error(table, *args, **kwargs) -> RegionLookupError:
    with pytest.raises(RegionLookupError) as err:
        table.lookup(*args, **kwargs)
    return err.value


# ------------------------------------------------------------------ lookup
def test_province_value_applies_to_its_cities(table):
    assert table.lookup("individual_premium", "江西省赣州市", D(2025, 3, 1)) == (400, "江西省", D(2025, 1, 1))


def test_city_value_overrides_the_province(table):
    assert table.lookup("critical_illness_base_cap", "江西省南昌市", D(2025, 8, 1)) == \
        (320000, "江西省南昌市", D(2025, 7, 1))
    assert table.lookup("critical_illness_base_cap", "江西省南昌市东湖区", D(2027, 1, 1)) == \
        (350000, "江西省南昌市", D(2026, 1, 1))


def test_dated_values_switch_on_their_day(table):
    assert table.lookup("individual_premium", "江西省", D(2024, 12, 31))[0] == 380
    assert table.lookup("individual_premium", "江西省", D(2025, 1, 1))[0] == 400
    assert table.lookup("critical_illness_base_cap", "江西省南昌市", D(2025, 12, 31))[0] == 320000
    assert table.lookup("critical_illness_base_cap", "江西省南昌市", D(2026, 1, 1))[0] == 350000


def test_not_in_force_names_the_first_date_and_the_wider_value(table):
    err = lookup_error(table, "critical_illness_base_cap", "江西省南昌市", D(2025, 3, 1))
    assert (err.reason, err.matched, err.first) == ("not_in_force", "江西省南昌市", D(2025, 7, 1))
    assert err.fallback == ("江西省", D(2025, 1, 1))      # named in the hint, never used silently
    assert str(err) == ("critical_illness_base_cap for 江西省南昌市 is not in force on 2025-03-01: "
                        "the first value for 江西省南昌市 starts 2025-07-01")
    err = lookup_error(table, "individual_premium", "江西省南昌市", D(2023, 6, 1))
    assert (err.reason, err.first, err.fallback) == ("not_in_force", D(2024, 1, 1), None)


def test_missing_region_and_missing_parameter(table):
    err = lookup_error(table, "individual_premium", "四川省成都市", D(2025, 1, 1))
    assert (err.reason, err.region, err.parameter) == ("no_region", "四川省成都市", "individual_premium")
    assert lookup_error(table, "no_such_parameter", "江西省南昌市", D(2025, 8, 1)).reason == "no_region"
    assert lookup_error(table, "individual_premium", "", D(2025, 8, 1)).reason == "no_region"
    assert "2025-01-01" in lookup_error(table, "x", "四川省", D(2025, 1, 1)).message("zh")


def test_keyed_parameters(table):
    assert table.lookup("fixed_subsidy", "山东省泰安市", D(2026, 5, 1), ("低保边缘家庭成员",)) == \
        (260, "山东省泰安市", D(2026, 1, 1))
    # The city sets fixed_subsidy, so its table is used whole: no per-key fallback to 山东省.
    err = lookup_error(table, "fixed_subsidy", "山东省泰安市", D(2026, 5, 1), ("特困人员",))
    assert (err.reason, err.keys) == ("no_key", ("低保对象", "低保边缘家庭成员"))
    assert table.lookup("fixed_subsidy", "山东省济南市", D(2026, 5, 1), ("特困人员",))[1] == "山东省"
    assert lookup_error(table, "fixed_subsidy", "山东省泰安市", D(2026, 5, 1)).reason == "needs_key"
    assert lookup_error(table, "individual_premium", "山东省泰安市", D(2026, 5, 1), ("低保对象",)).reason \
        == "unexpected_key"


def test_notes_and_metadata_are_kept_and_are_not_parameters(table):
    assert table.note == "values for tests; not an official table"
    assert table.note_for("山东省泰安市") == "illustrative values from a press report, not an official table"
    assert table.is_illustrative("山东省泰安市") and not table.is_illustrative("江西省")
    assert table.metadata("江西省南昌市") == {"source": "南昌市医保局"}
    assert table.note_for("江西省") is None
    assert "note" not in table.parameters() and "illustrative" not in table.parameters()
    assert table.parameters() == {"critical_illness_base_cap", "individual_premium", "fixed_subsidy",
                                  "reimbursement_share", "close_relatives", "deficit_cap"}
    assert table.regions == ("江西省", "江西省南昌市", "山东省泰安市", "山东省", "江苏省无锡市江阴市")
    assert table.warnings == []


def test_lookup_error_diagnostic_carries_the_rule_span(table):
    err = lookup_error(table, "critical_illness_base_cap", "四川省成都市", D(2025, 1, 1))
    span = Span("p.policy", 3, 5, 3, 9)
    diag = err.diagnostic(span)
    assert (diag.code, diag.span, diag.file) == ("R460", span, None)
    assert render(diag, "zh") == (
        "p.policy:3:5: 错误[R460]: 地区参数文件中没有 四川省成都市 或其上级地区的 critical_illness_base_cap"
        "(取值日期 2025-01-01)\n"
        f"  = 提示: 请在 {table.path} 的 四川省成都市:(或其所属省份)下添加 critical_illness_base_cap")
    assert err.diagnostic().file == table.path
    for reason_args in [("critical_illness_base_cap", "江西省南昌市", D(2025, 3, 1)),
                        ("fixed_subsidy", "山东省泰安市", D(2026, 5, 1), ("特困人员",)),
                        ("fixed_subsidy", "山东省泰安市", D(2026, 5, 1)),
                        ("individual_premium", "山东省泰安市", D(2026, 5, 1), ("x",))]:
        diag = lookup_error(table, *reason_args).diagnostic()
        for lang in (0, 1):
            MESSAGES[diag.code][lang].format(**dict(diag.args))
            for hint in diag.hints:
                MESSAGES[hint.key][lang].format(**dict(hint.args))


# ------------------------------------------------------------------ conversion
def test_value_converts_with_the_shared_rules(table):
    assert table.value("individual_premium", "山东省泰安市", D(2025, 6, 1), MONEY) == \
        (Decimal("390.00"), "山东省泰安市", D(2025, 1, 1))
    assert table.value("reimbursement_share", "山东省泰安市", D(2025, 6, 1), PERCENT)[0] == Decimal("0.75")
    assert table.value("close_relatives", "山东省泰安市", D(2025, 6, 1), ListTy(TEXT))[0] == ("配偶", "父母")
    with pytest.raises(DiagnosticError) as err:
        table.value("deficit_cap", "江苏省无锡市江阴市", D(2021, 6, 1), MONEY)
    (diag,) = err.value.diagnostics
    assert diag.code == "R423"
    assert diag.data_path == "regions.江苏省无锡市江阴市.deficit_cap.2021-01-01"
    assert (diag.span.line, diag.span.column) == (24, 31)      # the value in TABLE
    assert diag.message() == ('field deficit_cap: "1250.005" has more than two decimal places; '
                              "amounts are recorded to the fen (0.01 元)")


def test_coerce():
    assert coerce(3, INT, "regions.x.y.2025-01-01") == 3
    assert coerce("20%", PERCENT, "p") == Decimal("0.20")
    with pytest.raises(DiagnosticError) as err:
        coerce(0.2, PERCENT, "regions.x.share.2025-01-01", field="share")
    assert [(d.code, d.data_path) for d in err.value.diagnostics] == [
        ("R430", "regions.x.share.2025-01-01")]
    with pytest.raises(DiagnosticError):
        coerce(True, MONEY, "p")


# ------------------------------------------------------------------ golden files
def golden_cases():
    return sorted(p for p in GOLDEN.iterdir() if ".expected" not in p.name)


def render_case(path: Path) -> str:
    try:
        diags = load_region_file(Path(path.name)).warnings
    except DiagnosticError as err:
        diags = err.diagnostics
    assert diags, f"{path.name} is meant to be a bad region file but loads cleanly"
    for d in diags:
        for lang in (0, 1):
            MESSAGES[d.code][lang].format(**dict(d.args))
    return render_all(diags, "en", {path.name: SourceFile.read(path.name)}) + "\n"


@pytest.mark.parametrize("path", golden_cases(), ids=lambda p: p.name)
def test_golden_region_file(path, monkeypatch):
    monkeypatch.chdir(GOLDEN)
    compare_golden(GOLDEN / (path.name.rsplit(".", 1)[0] + ".expected"), render_case(path))


# ------------------------------------------------------------------ hardening
def region_table(tmp_path, text, policy=None, name="regions.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_region_file(path, policy)


def region_errors(tmp_path, text, policy=None, name="regions.yaml"):
    with pytest.raises(DiagnosticError) as err:
        region_table(tmp_path, text, policy, name)
    for d in err.value.diagnostics:
        for lang in (0, 1):
            MESSAGES[d.code][lang].format(**dict(d.args))
            for hint in d.hints:
                MESSAGES[hint.key][lang].format(**dict(hint.args))
    return err.value.diagnostics


def test_a_value_with_a_decimal_point_is_accepted(tmp_path):
    table = region_table(tmp_path, "regions:\n  江西省:\n    cap: {2025-01-01: 400000.50}\n")
    assert table.value("cap", "江西省", D(2025, 6, 1), MONEY)[0] == Decimal("400000.50")


def test_a_leading_zero_is_decimal_not_octal(tmp_path):
    table = region_table(tmp_path, "regions:\n  江西省:\n    cap: {2025-01-01: 0400000}\n")
    assert table.lookup("cap", "江西省", D(2025, 6, 1))[0] == 400000      # not 125072


def test_a_bad_value_found_at_lookup_is_located_in_a_json_file(tmp_path):
    text = '{"regions": {"江西省": {"cap": {"2025-01-01": "x"}}}}'
    table = region_table(tmp_path, text, name="regions.json")
    with pytest.raises(DiagnosticError) as err:
        table.value("cap", "江西省", D(2025, 6, 1), MONEY)
    (diag,) = err.value.diagnostics
    assert (diag.code, diag.span.line, diag.span.column) == ("R422", 1, 44)


def test_json_region_dates_written_twice_are_reported(tmp_path):
    text = '{"regions": {"江西省": {"cap": {"2025-01-01": 1,\n "2025-01-01": 2}}}}'
    diags = region_errors(tmp_path, text, name="regions.json")
    assert [(d.code, d.span.line, d.span.column) for d in diags] == [("R407", 2, 2)]


@pytest.mark.parametrize("name", ['"江西省南昌市 "', '" 江西省南昌市"', "江西省\u3000南昌市", '"江西省南昌市\u3000"'])
def test_a_region_name_with_stray_spaces_is_an_error(tmp_path, name):
    diags = region_errors(tmp_path, f"regions:\n  {name}:\n    cap: {{2025-01-01: 1}}\n")
    assert [(d.code, d.span.line, d.span.column) for d in diags] == [("R453", 2, 3)]
    assert dict(diags[0].hints[0].args) == {"name": "江西省南昌市"}


def test_two_names_of_one_region_differing_by_spaces_are_an_error(tmp_path):
    text = 'regions:\n  江西省:\n    cap: {2025-01-01: 1}\n  "江西省 ":\n    cap: {2025-01-01: 2}\n'
    (diag,) = region_errors(tmp_path, text)
    assert (diag.code, diag.span.line) == ("R454", 4)
    assert dict(diag.args)["line"] == 2


# ------------------------------------------------------------------ checked against a policy
IDENTITY = EnumTy("身份类别", ("特困人员", "低保对象", "低保边缘家庭成员"))


def region_param(ty, *key_types, key=None, by_region=True):
    return SimpleNamespace(by_region=by_region, ty=ty, key_types=key_types, attrs=SimpleNamespace(key=key))


# A stand-in for a checked model: only what the region check reads.
READER = SimpleNamespace(params={
    "critical_illness_base_cap": region_param(MONEY),
    "individual_premium_standard": region_param(MONEY, key="individual_premium"),
    "fixed_subsidy": region_param(MONEY, IDENTITY),
    "national_cap": region_param(MONEY, by_region=False)})

GOOD_FOR_READER = """\
regions:
  山东省:
    individual_premium: {2025-01-01: 380}
    fixed_subsidy:
      低保对象: {2025-01-01: 300}
  江西省:
    critical_illness_base_cap: {2025-01-01: 300000}
"""


def test_a_file_that_fits_the_policy_loads_without_warnings(tmp_path):
    table = region_table(tmp_path, GOOD_FOR_READER, READER)
    assert table.warnings == []
    assert table.value("individual_premium", "山东省", D(2025, 6, 1), MONEY)[0] == Decimal("380.00")


def test_a_misspelt_parameter_is_an_error_not_a_fallback(tmp_path):
    text = GOOD_FOR_READER + "  江西省南昌市:\n    critical_ilness_base_cap: {2025-01-01: 400000}\n"
    (diag,) = region_errors(tmp_path, text, READER)
    assert (diag.code, diag.span.line, diag.span.column) == ("R455", 9, 5)
    assert dict(diag.hints[0].args) == {"name": "critical_illness_base_cap"}


def test_the_policys_name_where_the_file_key_belongs_is_caught(tmp_path):
    text = GOOD_FOR_READER + "  山东省泰安市:\n    individual_premium_standard: {2025-01-01: 390}\n"
    (diag,) = region_errors(tmp_path, text, READER)
    assert diag.code == "R455" and dict(diag.hints[0].args) == {"name": "individual_premium"}


def test_names_for_other_policies_make_one_warning(tmp_path):
    text = GOOD_FOR_READER + ("  江苏省:\n    deficit_cap: {2021-01-01: 1}\n    reimbursement_share: {2021-01-01: 75%}\n"
                              "  江苏省无锡市:\n    deficit_cap: {2021-01-01: 2}\n    national_cap: {2021-01-01: 3}\n")
    table = region_table(tmp_path, text, READER)
    (warning,) = table.warnings
    assert (warning.code, warning.severity, warning.span.line) == ("R456", "warning", 9)
    assert dict(warning.args)["names"] == "deficit_cap, national_cap, reimbursement_share"


def test_warnings_of_both_kinds_are_kept_on_the_table(tmp_path):
    table = region_table(tmp_path, "version: 2\n" + GOOD_FOR_READER + "    other: {2025-01-01: 1}\n", READER)
    assert [d.code for d in table.warnings] == ["R441", "R456"]


def test_a_key_that_is_not_a_member_of_the_key_enum_is_an_error(tmp_path):
    text = GOOD_FOR_READER.replace("低保对象: {", "低保对像: {")
    (diag,) = region_errors(tmp_path, text, READER)
    assert (diag.code, diag.span.line, diag.span.column) == ("R457", 5, 7)
    assert dict(diag.hints[0].args) == {"name": "低保对象"}
    assert dict(diag.args)["enum"] == "身份类别"


def test_dated_values_where_the_policy_wants_keys_and_the_reverse(tmp_path):
    text = GOOD_FOR_READER + ("  山东省济南市:\n    fixed_subsidy: {2025-01-01: 300}\n"
                              "    critical_illness_base_cap:\n      低保对象: {2025-01-01: 1}\n")
    diags = region_errors(tmp_path, text, READER)
    assert [(d.code, d.span.line) for d in diags] == [("R458", 9), ("R459", 11)]


def test_every_value_is_converted_when_the_file_is_loaded(tmp_path):
    text = GOOD_FOR_READER.replace("{2025-01-01: 380}", "{2025-01-01: 380, 2026-01-01: 380.005}")
    (diag,) = region_errors(tmp_path, text, READER)
    assert (diag.code, diag.span.line, diag.span.column) == ("R423", 3, 55)
    assert diag.data_path == "regions.山东省.individual_premium.2026-01-01"
    # without the policy the file loads: the value is only converted when it is asked for
    region_table(tmp_path, text)


def test_the_shipped_region_files_fit_the_policies_that_read_them():
    from yibao.interpreter import api

    root = Path(__file__).resolve().parent.parent
    shandong = api.load_policy(root / "policies" / "shandong-2024-assistance.policy")
    assert api.load_regions(root / "examples" / "shandong" / "regions.yaml", shandong).warnings == []
    jiangxi = api.load_policy(root / "policies" / "jiangxi-2024-34.policy")
    assert api.load_regions(root / "examples" / "regions.yaml", jiangxi).warnings == []


def test_region_values_convert_whatever_decimal_context_the_caller_set(tmp_path):
    text = GOOD_FOR_READER.replace("{2025-01-01: 380}", "{2025-01-01: 400000.50}")
    with localcontext() as context:
        context.prec = 3
        context.traps[Inexact] = True
        table = region_table(tmp_path, text, READER)        # converted at load
        assert table.value("individual_premium", "山东省", D(2025, 6, 1), MONEY)[0] == Decimal("400000.50")
