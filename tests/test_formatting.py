"""Value formatting (interpreter/formatting.py) and explanation rendering (explain_render.py)."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yibao.interpreter import types as T
from yibao.interpreter.explain_render import render_tree, tree_to_json
from yibao.interpreter.explanation import CaseOutcome, ExplainNode
from yibao.interpreter.formatting import display_width, pad, to_json, to_text
from yibao.interpreter.values import Duration, History

SCHEME = T.EnumTy("Scheme", ("resident", "employee"), ("城乡居民医保", "职工医保"))
CATEGORY = T.EnumTy("Category", ("全额资助", "定额资助", "不资助"))


# ------------------------------------------------------------------ scalars
@pytest.mark.parametrize("value, ty, expected", [
    (Decimal("303000"), T.MONEY, "303000.00"),
    (Decimal("303000.5"), T.MONEY, "303000.50"),
    (Decimal("0.07"), T.MONEY, "0.07"),
    (Decimal("-1200"), T.MONEY, "-1200.00"),
    (Decimal("-0"), T.MONEY, "0.00"),
    (Decimal("0.20"), T.PERCENT, "20%"),
    (Decimal("0.2"), T.PERCENT, "20%"),
    (Decimal("0.125"), T.PERCENT, "12.5%"),
    (Decimal("1"), T.PERCENT, "100%"),
    (Decimal("0"), T.PERCENT, "0%"),
    (Duration(3), T.DURATION, "3 个月"),
    (dt.date(2027, 6, 1), T.DATE, "2027-06-01"),
    (Decimal("1.50"), T.DECIMAL, "1.5"),
    (Decimal("1E+2"), T.DECIMAL, "100"),
    ("定额资助", CATEGORY, "定额资助"),
    ("resident", SCHEME, "resident"),
    ("四川省成都市", T.TEXT, "四川省成都市"),
])
def test_scalar_json(value, ty, expected):
    assert to_json(value, ty) == expected


def test_native_json_for_int_and_bool():
    assert to_json(7, T.INT) == 7 and type(to_json(7, T.INT)) is int
    assert to_json(True, T.BOOL) is True
    assert to_json(False, T.BOOL) is False
    assert to_json(None, T.OptionalTy(T.MONEY)) is None


def test_money_finer_than_cents_is_shown_exactly_never_rounded():
    # a rule along the way may hold 100.01 元 × 33% = 33.0033 元 before round()
    assert to_json(Decimal("33.0033"), T.MONEY) == "33.0033"
    assert to_text(Decimal("0.005"), T.MONEY) == "0.005"
    assert to_text(Decimal("1.50"), T.MONEY) == "1.50"      # whole cents: two decimals


def test_containers_json():
    assert to_json((Decimal("1"), Decimal("2.5")), T.ListTy(T.MONEY)) == ["1.00", "2.50"]
    assert to_json(("配偶", "父母"), T.ListTy(T.TEXT)) == ["配偶", "父母"]
    assert to_json(Decimal("400"), T.OptionalTy(T.MONEY)) == "400.00"
    record = T.RecordTy("Claim", {
        "fund_paid": T.FieldInfo("fund_paid", T.MONEY, None, None),
        "incentive_used": T.FieldInfo("incentive_used", T.BOOL, None, None),
    })
    value = {"fund_paid": Decimal("1250"), "incentive_used": False}
    assert to_json(value, record) == {"fund_paid": "1250.00", "incentive_used": False}
    history = History.of([{"year": 2023, **value}])
    assert to_json(history, T.HistoryTy(record)) == [
        {"year": 2023, "fund_paid": "1250.00", "incentive_used": False}]
    # the result is plain JSON
    json.dumps(to_json(history, T.HistoryTy(record)))


def test_type_given_as_text():
    # explanation nodes carry the type as text
    assert to_json(Decimal("60000"), "money") == "60000.00"
    assert to_json(Decimal("0.2"), "percent") == "20%"
    assert to_json(None, "optional money") is None
    assert to_json((Decimal("1"),), "list of money") == ["1.00"]
    assert to_json("resident", "Scheme") == "resident"
    assert to_text(dt.date(2026, 4, 1), "date") == "2026-04-01"


def test_unknown_type_uses_the_python_value():
    assert to_json(dt.date(2025, 1, 1)) == "2025-01-01"
    assert to_json(3) == 3
    assert to_json(True) is True
    assert to_json((1, 2)) == [1, 2]
    assert to_text(Duration(6)) == "6 个月"


def test_text_forms():
    assert to_text(Decimal("303000"), T.MONEY) == "303000.00"
    assert to_text(True, T.BOOL) == "true"
    assert to_text(False, T.BOOL) == "false"
    assert to_text(None, T.OptionalTy(T.TEXT)) == "none"
    assert to_text(3, T.INT) == "3"
    assert to_text(("配偶", "父母"), T.ListTy(T.TEXT)) == '["配偶", "父母"]'
    assert to_text((Decimal("0.1"),), T.ListTy(T.PERCENT)) == "[10%]"
    assert to_text({"year": 2024, "region": "江西省南昌市"}) == '{year: 2024, region: "江西省南昌市"}'


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_money_round_trips_through_json(cents):
    value = Decimal(cents) / 100
    text = to_json(value, T.MONEY)
    assert Decimal(text) == value
    whole, _, frac = text.lstrip("-").partition(".")
    assert whole.isdigit() and len(frac) == 2


@given(st.integers(min_value=0, max_value=100000))
def test_percent_text_reads_back(basis_points):
    value = Decimal(basis_points) / 10000
    text = to_json(value, T.PERCENT)
    assert text.endswith("%")
    assert Decimal(text[:-1]) / 100 == value


# Values far beyond what a policy computes (a round() of a 150-digit amount, an exponent of
# 500) are formatted exactly, whatever decimal context the host process has set.
EXTREME = [
    (Decimal("1E+120"), T.MONEY, "1" + "0" * 120 + ".00"),
    (Decimal("-" + "9" * 150 + ".505"), T.MONEY, "-" + "9" * 150 + ".505"),   # exact
    (Decimal("123456789012345678901234567890.12"), T.MONEY,
     "123456789012345678901234567890.12"),
    (Decimal("0.12345678901234567890123"), T.PERCENT, "12.345678901234567890123%"),
    (Decimal("1E+40"), T.PERCENT, "1" + "0" * 42 + "%"),
    (Decimal("1E-30"), T.DECIMAL, "0." + "0" * 29 + "1"),
    (Decimal("12345678901234567890.5000"), T.DECIMAL, "12345678901234567890.5"),
]


@pytest.mark.parametrize("host_precision", [28, 3])
@pytest.mark.parametrize("value, ty, expected", EXTREME)
def test_extreme_values_format_exactly_in_any_context(value, ty, expected, host_precision):
    import decimal

    with decimal.localcontext() as host:
        host.prec = host_precision
        host.traps[decimal.Inexact] = True
        host.traps[decimal.Rounded] = True
        if expected is None:
            with pytest.raises(ValueError):
                to_json(value, ty)
        else:
            assert to_json(value, ty) == expected
            assert to_text(value, ty) == expected


@pytest.mark.parametrize("host_precision", [28, 3])
def test_whole_cents_and_round_never_depend_on_the_context(host_precision):
    import decimal

    from yibao.interpreter.values import is_whole_cents, round_cents

    with decimal.localcontext() as host:
        host.prec = host_precision
        host.traps[decimal.Inexact] = True
        assert is_whole_cents(Decimal("1E+500")) and is_whole_cents(Decimal("12.30"))
        assert is_whole_cents(Decimal("12.3000000")) and is_whole_cents(3)
        assert not is_whole_cents(Decimal("1E-500")) and not is_whole_cents(Decimal("0.005"))
        assert not is_whole_cents(Decimal("NaN")) and not is_whole_cents(Decimal("Infinity"))
        # ROUND_HALF_UP to the cent: halves away from zero, exponent -2
        assert str(round_cents(Decimal("2.345"))) == "2.35"
        assert str(round_cents(Decimal("-2.345"))) == "-2.35"
        assert str(round_cents(Decimal("2.34499"))) == "2.34"
        assert str(round_cents(Decimal("5"))) == "5.00"
        big = Decimal("9" * 150 + ".995")           # rounds up to 10^150
        assert round_cents(big) == Decimal(10) ** 150
        assert money_string_of(round_cents(big)) == "1" + "0" * 150 + ".00"


def money_string_of(value):
    from yibao.interpreter.formatting import money_string

    return money_string(value)


def test_display_width_counts_wide_characters_twice():
    assert display_width("abc") == 3
    assert display_width("大病保险") == 8
    assert display_width("(月)") == 4          # ASCII parentheses
    assert display_width("\uff08月\uff09") == 6   # full-width parentheses
    assert pad("连续", 6) == "连续  "
    assert display_width(pad("连续参保年数", 20)) == 20


# ------------------------------------------------------------------ explanation trees
def _waiting_tree() -> ExplainNode:
    insured = ExplainNode("rule", "insured", True, "bool", label="该年度参保",
                          cite="参保激励约束机制", document="国办发〔2024〕38号", args=(2027,))
    newborn = ExplainNode("rule", "is_newborn", False, "bool", label="新生儿(出生当年参保)",
                          cite="参保激励约束机制: 除新生儿等特殊群体外",
                          document="国办发〔2024〕38号",
                          children=[ExplainNode("field", "birth_date", dt.date(1990, 5, 1),
                                                "date", label="出生日期")])
    fixed = ExplainNode("parameter", "fixed_waiting_months", 3, "int",
                        label="固定待遇等待期(月)", cite="设置参保后固定待遇等待期3个月",
                        document="国办发〔2024〕38号", since=dt.date(2027, 6, 1))
    return ExplainNode(
        "output", "waiting_period_months", 3, "int", label="待遇等待期(月)",
        cite="参保激励约束机制(待遇等待期)", document="国办发〔2024〕38号",
        case="waiting_period_months",
        cases=[
            CaseOutcome("waiting_period_months", None,
                        "国办发〔2024〕38号 参保激励约束机制(待遇等待期)", True),
            CaseOutcome("waiting_period_months#continuous_in_concentrated_period",
                        "集中参保期内缴费且未断保", None, False, "break_years == 0"),
            CaseOutcome("waiting_period_months#newborn", "新生儿", "第二款", False),
        ],
        children=[insured, newborn, fixed, insured],
    )


def test_render_tree_lines():
    text = render_tree(_waiting_tree(), "en")
    lines = text.splitlines()
    assert lines[0] == ("waiting_period_months = 3  — 待遇等待期(月)  "
                        "[国办发〔2024〕38号 参保激励约束机制(待遇等待期)]")
    assert lines[1] == "│  ✓ base case"          # the node's own citation is not repeated
    assert ("│  ✗ exception continuous_in_concentrated_period  — 集中参保期内缴费且未断保: "
            "not applied (false: break_years == 0)") in lines
    assert "│  ✗ exception newborn  — 新生儿  [第二款]: not applied" in lines
    assert "├─ insured(2027) = true  — 该年度参保  [国办发〔2024〕38号 参保激励约束机制]" in text
    # a child's children are indented under it, behind a continuing bar
    assert "│  └─ birth_date = 1990-05-01  — 出生日期" in text
    assert "fixed_waiting_months = 3  — 固定待遇等待期(月)  (from 2027-06-01)" in text
    # the last child closes the tree
    assert lines[-1].startswith("└─ insured(2027) = true")


def test_render_tree_in_chinese():
    text = render_tree(_waiting_tree(), "zh")
    assert "✓ 基本规则" in text
    assert "✗ 例外 newborn  — 新生儿  [第二款]:不适用" in text
    assert "✗ 例外 continuous_in_concentrated_period  — 集中参保期内缴费且未断保:不适用(条件不成立:break_years == 0)" in text


def test_case_states():
    node = ExplainNode(
        "rule", "benefit_start_date", dt.date(1990, 5, 1), "date",
        case="benefit_start_date#no_waiting/newborn",
        cases=[
            CaseOutcome("benefit_start_date", None, None, True),
            CaseOutcome("benefit_start_date#no_waiting", "无等待期", None, True),
            CaseOutcome("benefit_start_date#no_waiting/newborn", "新生儿自出生之日起享受待遇",
                        None, True),
            CaseOutcome("benefit_start_date#other", None, None, None),
        ])
    lines = render_tree(node, "en").splitlines()
    assert lines[0] == "benefit_start_date = 1990-05-01"
    assert lines[1].strip().startswith("○ base case")
    assert "but exception no_waiting/newborn applied" in lines[1]
    assert lines[3].strip().startswith("✓ exception no_waiting/newborn")
    assert lines[4].strip() == "· exception other: not evaluated (an exception took precedence)"


def test_case_overridden_by_an_exception():
    # the evaluator leaves a parent's guard unevaluated when an exception under it applies
    node = ExplainNode("output", "w", 0, "int", case="w#newborn", cases=[
        CaseOutcome("w#newborn", "新生儿", None, True),
        CaseOutcome("w", None, None, None, overridden_by="w#newborn"),
    ])
    lines = render_tree(node, "en").splitlines()
    assert lines[1] == "   ✓ exception newborn  — 新生儿"
    assert lines[2] == "   · base case: not evaluated (overridden by exception newborn)"
    assert render_tree(node, "zh").splitlines()[2] == "   · 基本规则:未判断(由例外 newborn 取代)"


def test_repeated_subtrees_are_shown_once():
    leaf = ExplainNode("field", "birth_date", dt.date(2000, 1, 1), "date")
    shared = ExplainNode("rule", "is_newborn", False, "bool", children=[leaf])
    root = ExplainNode("output", "x", False, "bool", children=[shared, shared])
    text = render_tree(root, "en")
    assert text.count("birth_date = 2000-01-01") == 1
    assert text.splitlines()[-1] == "└─ is_newborn = false  (see above)"


def test_tree_to_json():
    data = tree_to_json(_waiting_tree())
    json.dumps(data, ensure_ascii=False)
    assert data["name"] == "waiting_period_months"
    assert data["value"] == 3
    assert data["document"] == "国办发〔2024〕38号"
    assert [c["applied"] for c in data["cases"]] == [True, False, False]
    assert data["children"][0]["args"] == [2027]
    assert data["children"][1]["children"][0]["value"] == "1990-05-01"
    money = tree_to_json(ExplainNode("rule", "cap", Decimal("306000"), "money"))
    assert money["value"] == "306000.00"


def test_failed_nodes_show_no_value():
    # the tree of an output whose evaluation failed: values never computed are None
    failed = ExplainNode("rule", "original_critical_illness_cap", None, "money",
                         label="大病保险原封顶线")
    root = ExplainNode("output", "critical_illness_cap", None, "money", children=[
        ExplainNode("field", "payer_relation", None, "optional text"), failed])
    lines = render_tree(root, "en").splitlines()
    assert lines[0] == "critical_illness_cap = (no value)"
    assert lines[1] == "├─ payer_relation = none"          # an optional value may be none
    assert lines[2] == "└─ original_critical_illness_cap = (no value)  — 大病保险原封顶线"
    assert render_tree(root, "zh").splitlines()[0] == "critical_illness_cap = (无值)"
