"""Scenario tests for the Shandong medical-assistance premium subsidy notice
(policies/shandong-2024-assistance.policy; source text shandong-2024-assistance.txt, the
notice of 2024-06-24; readings: docs/readings/shandong-2024-assistance.md).

Every expected value is worked out by hand from the notice (一, 二, 三) and the readings the
policy states (S0-S7); the arithmetic is in the comment above each assertion.  For benefit
year Y:
  scope               a payment for Y made on or after 2024-06-24 (else "not in force", E501)
  the entry for Y     the only one; of two or more, the one in 山东省 if exactly one (else E521)
  counted identities  recognised in 山东省 and valid on the payment date for Y
                      (from <= paid_on, to empty or >= paid_on); others are ignored
  standard(i)         the identity region's standard: full categories (特困人员 孤儿
                      事实无人抚养儿童) its premium, fixed categories its fixed_subsidy
  premium             the insured region's individual premium standard
  region values       those in force on 1 January of Y
  actual(i)           min(standard(i), max(0, premium - other_subsidy))
  paying identity     the highest actual(i); a tie goes to one recognised in the insured
                      pooling region, else the first in record order
  assistance_category the highest category among the counted identities (不资助 if none, or
                      insured in another province without application)
  premium_subsidy     actual(paying identity); 0 for 不资助
  individual_premium  max(0, premium - other_subsidy - premium_subsidy)
  payment_mode        直接资助; 先缴后补 when insured outside the paying identity's pooling
                      region (a county is in its city's); not applicable for 不资助
  subsidy_region      the paying identity's recognised_by as written; not applicable for 不资助

Region values (examples/shandong/regions.yaml):
  山东省泰安市 (illustrative, press report, from 2026-01-01): premium 390; 低保对象 390,
      低保边缘家庭成员 240, 防止返贫监测帮扶对象 240; no value for 返贫致贫人口.
  山东省济南市 (made-up test values): premium 360 from 2024, 380 from 2025, 400 from 2026;
      低保对象 300, 返贫致贫人口 300, 低保边缘家庭成员 200, 防止返贫监测帮扶对象 200 (from 2025).
  江苏省徐州市 (made-up test value): premium 380 from 2026.
TEST_REGIONS below: the example values plus 山东省测试市 (premium 350, 防止返贫监测帮扶对象 240
from 2026), a made-up city for ties and for a full standard below another city's fixed one.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest

from yibao.interpreter.api import evaluate, evaluate_measures, load_policy, load_regions, record_from

from .builders import check, check_errors, check_not_applicable, find_node, region_file

ROOT = Path(__file__).resolve().parent.parent
POLICY_ID = "shandong-2024-assistance"
D = Decimal
date = dt.date

TAIAN = "山东省泰安市"
JINAN = "山东省济南市"
XUZHOU = "江苏省徐州市"
QINGDAO = "山东省青岛市"        # in no region file here
TESTCITY = "山东省测试市"       # only in TEST_REGIONS
NINGYANG = "山东省泰安市宁阳县"
DONGPING = "山东省泰安市东平县"
LIXIA = "山东省济南市历下区"

OUTPUTS = ["assistance_category", "premium_subsidy", "individual_premium", "payment_mode",
           "subsidy_region"]
AMOUNTS = ["premium_subsidy", "individual_premium"]

# Test values, not real standards.
TEST_REGIONS = {
    TAIAN: {"individual_premium": {date(2026, 1, 1): 390},
            "fixed_subsidy": {"低保对象": {date(2026, 1, 1): 390},
                              "低保边缘家庭成员": {date(2026, 1, 1): 240},
                              "防止返贫监测帮扶对象": {date(2026, 1, 1): 240}},
            "note": "test values (the illustrative 泰安 figures)"},
    JINAN: {"individual_premium": {date(2026, 1, 1): 400},
            "fixed_subsidy": {"低保对象": {date(2026, 1, 1): 300}},
            "note": "test values (the example file's 2026 济南 figures)"},
    TESTCITY: {"individual_premium": {date(2026, 1, 1): 350},
               "fixed_subsidy": {"防止返贫监测帮扶对象": {date(2026, 1, 1): 240}},
               "note": "test values: 240 like 泰安, so that two identity regions tie"},
}

ON_2024 = date(2024, 9, 1)      # benefit year 2024
ON_2025 = date(2025, 6, 1)      # benefit year 2025
ON_2026 = date(2026, 6, 1)      # benefit year 2026
ON_2027 = date(2027, 6, 1)      # benefit year 2027


# ------------------------------------------------------------------ helpers
@lru_cache(maxsize=None)
def shandong():
    return load_policy(ROOT / "policies" / f"{POLICY_ID}.policy")


@lru_cache(maxsize=None)
def example_regions():
    return load_regions(ROOT / "examples" / "shandong" / "regions.yaml")


@lru_cache(maxsize=None)
def own_regions():
    return load_regions(region_file(TEST_REGIONS))


def entry(year, region=TAIAN, paid_on=None, scheme="resident", concentrated=True):
    """One enrollment entry; by default paid on 20 November of the year before."""
    return {"year": year, "scheme": scheme, "region": region,
            "paid_on": paid_on or f"{year - 1}-11-20", "concentrated": concentrated}


def identity(category, region=TAIAN, start="2020-01-01", end=None):
    return {"category": category, "recognised_by": region, "from": start, "to": end}


def person(identities=(), entries=None, **fields):
    """A record as a YAML/JSON file gives it; by default insured in 泰安 for 2026, paid on
    2025-11-20."""
    data = {
        "id": "SD-TEST",
        "birth_date": "1960-05-01",
        "enrollment": list(entries) if entries is not None else [entry(2026)],
        "identities": list(identities),
    }
    data.update(fields)
    return data


def validated(data):
    return record_from(shandong(), data, "scenario")


def run(data, on=ON_2026, regions=None, explain=False, outputs=None):
    return evaluate(shandong(), validated(data), on,
                    regions if regions is not None else example_regions(),
                    outputs=outputs, explain=explain)


def child(node, name):
    return next(c for c in node.children if c.name == name)


def find_all(node, name, found=None):
    found = [] if found is None else found
    if node.name == name:
        found.append(node)
    for c in node.children:
        find_all(c, name, found)
    return found


def not_subsidised(result, individual):
    """不资助: category 不资助, subsidy 0, the person pays `individual`, and payment_mode and
    subsidy_region are "not applicable" (S6), not errors."""
    check(result, assistance_category="不资助", premium_subsidy=0, individual_premium=individual)
    check_not_applicable(result, "payment_mode", "subsidy_region")


# ------------------------------------------------------------------ S2 each category
def test_full_category_tekun():
    result = run(person([identity("特困人员")]))
    check(
        result,
        # 特困人员 is a full-subsidy category (二第一段: 全额资助特困人员)
        assistance_category="全额资助",
        # standard = 泰安 premium 390; premium (insured 泰安) 390; min(390, max(0, 390 - 0)) = 390
        premium_subsidy=390,
        # 390 - 0 - 390 = 0
        individual_premium=0,
        # insured where the identity was recognised: 直接资助 (三第二段)
        payment_mode="直接资助",
        subsidy_region=TAIAN,
    )


@pytest.mark.parametrize("category", ["孤儿", "事实无人抚养儿童"])
def test_other_full_categories(category):
    result = run(person([identity(category)]))
    # 二第一段: 全额资助……事实无人抚养儿童、孤儿 -> 390, individual 390 - 390 = 0
    check(result, assistance_category="全额资助", premium_subsidy=390, individual_premium=0)


def test_fixed_category_dibao_edge():
    result = run(person([identity("低保边缘家庭成员")]))
    check(
        result,
        # 二第一段: 定额资助……低保边缘家庭成员
        assistance_category="定额资助",
        # 泰安 fixed standard 240; min(240, max(0, 390 - 0)) = 240
        premium_subsidy=240,
        # 390 - 0 - 240 = 150
        individual_premium=150,
        payment_mode="直接资助",
        subsidy_region=TAIAN,
    )


def test_fixed_category_a_city_subsidises_in_full():
    # 二第一段: 有条件的地区可适度提高定额资助标准 -- 泰安 sets 低保对象 at the full premium
    result = run(person([identity("低保对象")]))
    # still a fixed category: 定额资助; standard 390, min(390, 390) = 390; 390 - 390 = 0
    check(result, assistance_category="定额资助", premium_subsidy=390, individual_premium=0)


def test_a_category_the_city_has_no_value_for_is_an_error():
    # 泰安's press report gives no 返贫致贫人口 amount: the region file has none, so the
    # amounts have no answer (R462: no value for that key) -- never 0.
    result = run(person([identity("返贫致贫人口")]))
    check_errors(result, premium_subsidy="R462", individual_premium="R462")
    # the category needs no amount: 二第一段 定额资助……返贫致贫人口.  With one identity, it pays
    # whatever its amount: recognised in 泰安 where insured -> 直接资助, region 泰安.
    check(result, assistance_category="定额资助", payment_mode="直接资助", subsidy_region=TAIAN)


def test_fixed_standard_of_a_county_comes_from_its_city():
    result = run(person([identity("防止返贫监测帮扶对象", region=NINGYANG)]))
    # 宁阳县 has no entry of its own: 泰安's 240 (the longest name in the file that covers it);
    # min(240, 390) = 240; 390 - 240 = 150; subsidy_region as written in the record
    check(result, assistance_category="定额资助", premium_subsidy=240, individual_premium=150,
          payment_mode="直接资助", subsidy_region=NINGYANG)


# ------------------------------------------------------------------ S3 several identities
def test_two_identities_the_highest_wins():
    result = run(person([identity("低保边缘家庭成员"), identity("特困人员", start="2025-09-01")]))
    check(
        result,
        # 就高不就低 (二第二段): 全额资助 > 定额资助
        assistance_category="全额资助",
        # actual: 低保边缘家庭成员 min(240, 390) = 240, 特困人员 min(390, 390) = 390 -> 390
        premium_subsidy=390,
        # 390 - 0 - 390 = 0
        individual_premium=0,
        payment_mode="直接资助",
        subsidy_region=TAIAN,
    )


def test_two_fixed_identities_the_higher_amount_wins():
    result = run(person([identity("防止返贫监测帮扶对象"), identity("低保对象")]))
    # both fixed: 定额资助; actual 240 and 390 (泰安 低保对象); max 390; 390 - 390 = 0
    check(result, assistance_category="定额资助", premium_subsidy=390, individual_premium=0)


def test_the_category_table_declares_hit_max_and_both_rows_match():
    policy = shandong()
    assert policy.tables["category_of"].decl.hit == "max"
    # 低保对象 and 孤儿: row fixed (listed first, 定额资助, matches 低保对象) and row full
    # (listed second, 全额资助, matches 孤儿) both match; hit max takes 全额资助 (a `first`
    # table would have stopped at fixed).
    result = run(person([identity("低保对象"), identity("孤儿")]), explain=True,
                 outputs=["assistance_category"])
    assert result.values["assistance_category"] == "全额资助"
    table = find_node(result.trees["assistance_category"], "category_of")
    assert table.value == "全额资助"
    assert table.case == "category_of#full"
    matched = {c.ident for c in table.cases if c.applied}
    assert matched == {"category_of#fixed", "category_of#full"}


def test_a_higher_identity_elsewhere_pays_across_regions():
    # insured 泰安 (premium 390); 低保边缘家庭成员 泰安 240, 低保对象 济南 300 (2025 value, still
    # in force on 2026-01-01)
    result = run(person([identity("低保边缘家庭成员"), identity("低保对象", region=JINAN)]))
    # actual: 泰安 min(240, 390) = 240; 济南 min(300, 390) = 300 -> 济南 pays 300
    # individual 390 - 0 - 300 = 90; 济南 is not 泰安's pooling region: 先缴后补
    check(result, assistance_category="定额资助", premium_subsidy=300, individual_premium=90,
          payment_mode="先缴后补", subsidy_region=JINAN)


def test_identities_are_compared_on_the_subsidy_they_would_actually_give():
    # the same two identities, with 200 already paid by another channel
    result = run(person([identity("低保对象", region=JINAN), identity("低保边缘家庭成员")],
                        other_subsidy=200))
    # premium left: max(0, 390 - 200) = 190
    # actual: 济南 min(300, 190) = 190; 泰安 min(240, 190) = 190 -> a tie at 190 (the higher
    # standard, 济南's 300, does not decide).  The 泰安 identity is recognised in the insured
    # pooling region: it pays, although listed second -> 直接资助, 泰安
    # individual 390 - 200 - 190 = 0
    check(result, assistance_category="定额资助", premium_subsidy=190, individual_premium=0,
          payment_mode="直接资助", subsidy_region=TAIAN)


def test_a_tie_goes_to_the_identity_recognised_where_insured():
    # insured 泰安 (390); 特困人员 济南 (full: 济南 premium 400) listed first, 孤儿 泰安 (390)
    result = run(person([identity("特困人员", region=JINAN), identity("孤儿")]))
    # actual: min(400, 390) = 390 and min(390, 390) = 390: a tie; 泰安 is where the person is
    # insured: the 泰安 identity pays (直接资助, 不得先缴后补); 390 - 390 = 0
    check(result, assistance_category="全额资助", premium_subsidy=390, individual_premium=0,
          payment_mode="直接资助", subsidy_region=TAIAN)


@pytest.mark.parametrize("first, second", [(TAIAN, TESTCITY), (TESTCITY, TAIAN)])
def test_a_tie_outside_the_insured_region_goes_to_the_first_in_record_order(first, second):
    # insured 济南 (400 in TEST_REGIONS); 泰安 低保边缘家庭成员 240, 测试市 防止返贫监测帮扶对象 240
    category = {TAIAN: "低保边缘家庭成员", TESTCITY: "防止返贫监测帮扶对象"}
    result = run(person([identity(category[first], region=first),
                         identity(category[second], region=second)],
                        entries=[entry(2026, JINAN)]),
                 regions=own_regions())
    # actual: min(240, 400) = 240 each: a tie; neither is in 济南: the first listed pays
    # 400 - 0 - 240 = 160; recognised outside 济南: 先缴后补
    check(result, assistance_category="定额资助", premium_subsidy=240, individual_premium=160,
          payment_mode="先缴后补", subsidy_region=first)


@pytest.mark.parametrize("order", [(JINAN, TAIAN), (TAIAN, JINAN)])
def test_a_tie_across_provinces_goes_to_the_first_in_record_order(order):
    # insured 徐州 (premium 380), applied; 特困人员 in 济南 (400) and 泰安 (390)
    result = run(person([identity("特困人员", region=r) for r in order],
                        entries=[entry(2026, XUZHOU)], cross_province_application=True))
    # actual: min(400, 380) = 380, min(390, 380) = 380: a tie; neither identity region is 徐州:
    # the first in record order pays; 380 - 0 - 380 = 0; 先缴后补
    check(result, assistance_category="全额资助", premium_subsidy=380, individual_premium=0,
          payment_mode="先缴后补", subsidy_region=order[0])


def test_a_tie_between_two_identities_both_where_insured_goes_to_the_first():
    # insured 泰安; 低保边缘家庭成员 by 宁阳县 (泰安's 240) listed first, 防止返贫监测帮扶对象 by 泰安 (240)
    result = run(person([identity("低保边缘家庭成员", region=NINGYANG),
                         identity("防止返贫监测帮扶对象")]))
    # a tie at min(240, 390) = 240; both in 泰安's pooling region: the first listed, 宁阳县,
    # as written; 390 - 240 = 150; 直接资助
    check(result, assistance_category="定额资助", premium_subsidy=240, individual_premium=150,
          payment_mode="直接资助", subsidy_region=NINGYANG)


def test_the_category_is_the_highest_even_when_another_identity_pays():
    # insured 泰安 (390); 特困人员 by 测试市 (full: 测试市 premium 350), 低保对象 by 泰安 (fixed 390)
    result = run(person([identity("特困人员", region=TESTCITY), identity("低保对象")]),
                 regions=own_regions())
    # actual: 测试市 min(350, 390) = 350; 泰安 min(390, 390) = 390 -> the 泰安 低保对象 pays 390
    # category: hit max over {特困人员, 低保对象} = 全额资助 whichever identity pays
    # 390 - 0 - 390 = 0; 泰安 where insured: 直接资助
    check(result, assistance_category="全额资助", premium_subsidy=390, individual_premium=0,
          payment_mode="直接资助", subsidy_region=TAIAN)


# ------------------------------------------------------------------ S1 identities by payment date
def test_identity_recognised_after_payment_subsidises_from_the_next_year():
    data = person([identity("特困人员", start="2026-03-15")],
                  entries=[entry(2026, paid_on="2025-11-20"), entry(2027, paid_on="2026-11-18")])
    # 2026: recognised 2026-03-15, after the 2026 payment on 2025-11-20 -> not counted
    # (二第二段: ……次年起按其实际救助身份类别落实相应资助政策; no refund: 不得先缴后补):
    # 不资助, 0, the person pays 390 - 0 - 0 = 390; no mode, no region (not applicable)
    not_subsidised(run(data, ON_2026), individual=390)
    check(
        run(data, ON_2027),
        # 2027: paid 2026-11-18, the identity (from 2026-03-15) is valid then -> counted;
        # 泰安 values from 2026-01-01 still hold on 2027-01-01: 390, 390 - 390 = 0
        assistance_category="全额资助",
        premium_subsidy=390,
        individual_premium=0,
        payment_mode="直接资助",
        subsidy_region=TAIAN,
    )


def test_identity_recognised_after_payment_outside_the_concentrated_period_too():
    # paid for 2026 on 2026-02-10 outside the concentrated period, recognised 2026-03-01:
    # the same payment-date test for everyone -> not counted in 2026: 不资助, 390
    data = person([identity("低保对象", start="2026-03-01")],
                  entries=[entry(2026, paid_on="2026-02-10", concentrated=False)])
    not_subsidised(run(data), individual=390)


def test_identity_recognised_on_the_payment_day_counts():
    # from 2025-11-20 <= paid_on 2025-11-20: counted; 240, 390 - 240 = 150
    result = run(person([identity("低保边缘家庭成员", start="2025-11-20")]))
    check(result, assistance_category="定额资助", premium_subsidy=240, individual_premium=150)


def test_expired_identity_does_not_count():
    # to 2025-10-31 < paid_on 2025-11-20: no identity counted -> 不资助, 0, 390 - 0 = 390
    not_subsidised(run(person([identity("低保对象", end="2025-10-31")])), individual=390)


def test_identity_ending_on_the_payment_day_still_counts():
    # to 2025-11-20 >= paid_on 2025-11-20: valid on the payment date; 低保对象 390 -> 0
    result = run(person([identity("低保对象", end="2025-11-20")]))
    check(result, assistance_category="定额资助", premium_subsidy=390, individual_premium=0)


def test_identity_ending_after_payment_is_not_adjusted_that_year():
    # 二第二段: 一个自然年度内,因动态退出……已享受的资助参保补贴不调整
    data = person([identity("低保边缘家庭成员", end="2026-03-31")],
                  entries=[entry(2026, paid_on="2025-11-20"), entry(2027, paid_on="2026-11-18")])
    # 2026: valid on 2025-11-20 -> counted for the whole year: 240, 390 - 240 = 150
    check(run(data, ON_2026), assistance_category="定额资助", premium_subsidy=240,
          individual_premium=150)
    # 2027: ended 2026-03-31 < paid_on 2026-11-18 -> not counted: 0, 390
    not_subsidised(run(data, ON_2027), individual=390)


# ------------------------------------------------------------------ S1 identities outside Shandong
def test_an_identity_recognised_outside_shandong_alone_is_ignored_not_an_error():
    # a valid 特困人员 identity recognised in 江苏省徐州市: not this notice's concern -> not
    # counted; no Shandong identity -> 不资助, 0, 390 - 0 - 0 = 390, mode and region n/a
    not_subsidised(run(person([identity("特困人员", region=XUZHOU)])), individual=390)


def test_an_identity_outside_shandong_does_not_raise_the_category():
    # 特困人员 by 徐州 (ignored) and 低保边缘家庭成员 by 泰安 (counted); 徐州 paid 100 (other channel)
    result = run(person([identity("特困人员", region=XUZHOU), identity("低保边缘家庭成员")],
                        other_subsidy=100))
    # category from the 泰安 identity only: 定额资助 (not 全额资助)
    # min(240, max(0, 390 - 100) = 290) = 240; 390 - 100 - 240 = 50
    check(result, assistance_category="定额资助", premium_subsidy=240, individual_premium=50,
          payment_mode="直接资助", subsidy_region=TAIAN)


def test_ignored_identities_are_shown_in_the_explanation():
    jiangsu = identity("特困人员", region=XUZHOU)
    result = run(person([jiangsu, identity("低保边缘家庭成员")]), explain=True,
                 outputs=["assistance_category"])
    tree = result.trees["assistance_category"]
    ignored = find_node(tree, "ignored_identities")
    assert ignored is not None, "the explanation lists the identities it ignored"
    # one identity ignored: the 徐州 one, with its category and region
    assert len(ignored.value) == 1
    assert ignored.value[0]["recognised_by"] == XUZHOU
    assert ignored.value[0]["category"] == "特困人员"
    # and, identity by identity, the case that leaves it out is marked
    counts = [n for n in find_all(tree, "identity_counts") if n.value is False]
    assert any(c.ident == "identity_counts#outside_shandong" and c.applied
               for n in counts for c in n.cases)


def test_only_identities_outside_shandong_are_explained_as_such():
    result = run(person([identity("特困人员", region=XUZHOU)]), explain=True,
                 outputs=["assistance_category"])
    tree = result.trees["assistance_category"]
    assert tree.case == "assistance_category#only_identities_outside_shandong"


# ------------------------------------------------------------------ S4 other channels
def test_other_subsidy_with_a_full_category():
    result = run(person([identity("特困人员")], other_subsidy="200"))
    # min(390, max(0, 390 - 200)) = min(390, 190) = 190; 390 - 200 - 190 = 0
    check(result, assistance_category="全额资助", premium_subsidy=190, individual_premium=0)


def test_other_subsidy_with_a_fixed_category():
    result = run(person([identity("低保边缘家庭成员")], other_subsidy="200"))
    # min(240, max(0, 390 - 200)) = min(240, 190) = 190; 390 - 200 - 190 = 0
    check(result, assistance_category="定额资助", premium_subsidy=190, individual_premium=0)


def test_small_other_subsidy_leaves_the_fixed_amount_whole():
    result = run(person([identity("低保边缘家庭成员")], other_subsidy="100.50"))
    # min(240, 390 - 100.50 = 289.50) = 240; 390 - 100.50 - 240 = 49.50
    check(result, premium_subsidy=240, individual_premium=D("49.50"))


def test_other_subsidy_above_the_premium_keeps_category_and_mode():
    result = run(person([identity("特困人员")], other_subsidy="500"))
    # min(390, max(0, 390 - 500)) = min(390, 0) = 0; max(0, 390 - 500 - 0) = 0 (never below 0);
    # a counted identity whose subsidy is 0 keeps its category and its payment mode
    check(result, assistance_category="全额资助", premium_subsidy=0, individual_premium=0,
          payment_mode="直接资助", subsidy_region=TAIAN)


# ------------------------------------------------------------------ S5/S6 regions
def test_in_province_cross_region_uses_the_identity_regions_fixed_standard():
    result = run(person([identity("低保边缘家庭成员")], entries=[entry(2026, JINAN)]))
    check(
        result,
        assistance_category="定额资助",
        # 三第二段: 由其困难身份认定地医保部门按当地标准 -> 泰安 240 (not 济南's 200);
        # premium is 济南's 2026 standard 400: min(240, 400 - 0) = 240
        premium_subsidy=240,
        # 400 - 0 - 240 = 160
        individual_premium=160,
        # insured in 济南, recognised in 泰安: 跨统筹区 -> 先缴后补
        payment_mode="先缴后补",
        subsidy_region=TAIAN,
    )


def test_in_province_cross_region_full_category_pays_the_identity_regions_full_standard():
    result = run(person([identity("特困人员")], entries=[entry(2026, JINAN)]))
    # full standard of 泰安 = 泰安 premium 390; 济南 premium 400: min(390, 400) = 390;
    # the person pays the difference 400 - 0 - 390 = 10 (三第二段: 个人按标准缴纳差额部分)
    check(result, assistance_category="全额资助", premium_subsidy=390, individual_premium=10,
          payment_mode="先缴后补", subsidy_region=TAIAN)


def test_identity_of_the_other_city_insured_in_taian():
    result = run(person([identity("低保边缘家庭成员", region=JINAN)]))
    # 济南 standard 200 (from 2025); 泰安 premium 390: min(200, 390) = 200; 390 - 200 = 190
    check(result, assistance_category="定额资助", premium_subsidy=200, individual_premium=190,
          payment_mode="先缴后补", subsidy_region=JINAN)


def test_county_identity_insured_in_its_city():
    result = run(person([identity("防止返贫监测帮扶对象", region=NINGYANG)]))
    # 宁阳县 is in 泰安's pooling region, where the person is insured: 直接资助; 240, 150
    check(result, premium_subsidy=240, individual_premium=150, payment_mode="直接资助",
          subsidy_region=NINGYANG)


def test_city_identity_insured_in_one_of_its_counties():
    result = run(person([identity("低保边缘家庭成员")], entries=[entry(2026, DONGPING)]))
    # premium: 东平县 takes 泰安's 390; standard 泰安 240; 390 - 240 = 150; same pooling region
    check(result, assistance_category="定额资助", premium_subsidy=240, individual_premium=150,
          payment_mode="直接资助", subsidy_region=TAIAN)


def test_two_counties_of_one_city_are_one_pooling_region():
    result = run(person([identity("防止返贫监测帮扶对象", region=NINGYANG)],
                        entries=[entry(2026, DONGPING)]))
    # 宁阳县 and 东平县: different names, one pooling region (泰安市) -> 直接资助, not 先缴后补;
    # both take 泰安's values: min(240, 390) = 240, 390 - 240 = 150
    check(result, assistance_category="定额资助", premium_subsidy=240, individual_premium=150,
          payment_mode="直接资助", subsidy_region=NINGYANG)


def test_a_county_of_another_city_is_another_pooling_region():
    result = run(person([identity("低保边缘家庭成员", region=LIXIA)]))
    # 历下区 is in 济南: standard 济南's 200; insured 泰安 (390): 200, 390 - 200 = 190; 先缴后补
    check(result, assistance_category="定额资助", premium_subsidy=200, individual_premium=190,
          payment_mode="先缴后补", subsidy_region=LIXIA)


def test_a_county_of_a_city_not_listed_compares_by_its_name():
    # 山东省测试市 is made up (not one of Shandong's cities): a county written under it is in it
    county = TESTCITY + "甲县"
    result = run(person([identity("防止返贫监测帮扶对象", region=county)],
                        entries=[entry(2026, TESTCITY)]), regions=own_regions())
    # 测试市 values: standard 240, premium 350: min(240, 350) = 240; 350 - 240 = 110; 直接资助
    check(result, premium_subsidy=240, individual_premium=110, payment_mode="直接资助",
          subsidy_region=county)


def test_cross_province_with_application():
    result = run(person([identity("特困人员")], entries=[entry(2026, XUZHOU)],
                        cross_province_application=True))
    check(
        result,
        # 三第二段: 跨省参保的……在本人自愿申请的基础上,由其困难身份认定地……按当地标准
        assistance_category="全额资助",
        # 泰安 full standard 390; 徐州 premium 380: min(390, max(0, 380 - 0)) = 380
        premium_subsidy=380,
        # 380 - 0 - 380 = 0
        individual_premium=0,
        payment_mode="先缴后补",
        subsidy_region=TAIAN,
    )


def test_cross_province_with_application_fixed_category():
    result = run(person([identity("低保边缘家庭成员")], entries=[entry(2026, XUZHOU)],
                        cross_province_application=True))
    # 泰安 240; min(240, 380) = 240; 380 - 240 = 140
    check(result, premium_subsidy=240, individual_premium=140, payment_mode="先缴后补")


def test_cross_province_without_application_is_not_subsidised():
    result = run(person([identity("特困人员")], entries=[entry(2026, XUZHOU)],
                        cross_province_application=False))
    # no application: 不资助, 0; 徐州 premium 380 - 0 - 0 = 380; mode and region n/a
    not_subsidised(result, individual=380)
    assert "不资助" in result.not_applicable["payment_mode"].reason


def test_person_without_identity():
    # nothing counted: 不资助, 0, the whole 泰安 premium 390; mode and region not applicable
    not_subsidised(run(person([])), individual=390)


def test_no_subsidy_needs_no_region_value_but_the_premium_still_does():
    # no identity, insured in 青岛 (no entry in the region file): premium_subsidy is 0 for
    # 不资助 without any region value; individual_premium needs 青岛's premium: R460
    result = run(person([], entries=[entry(2026, QINGDAO)]))
    check(result, assistance_category="不资助", premium_subsidy=0)
    check_errors(result, individual_premium="R460")
    check_not_applicable(result, "payment_mode", "subsidy_region")


# ------------------------------------------------------------------ S0 scope and region values
def test_payment_before_the_notice_is_not_in_force():
    # 2024 paid 2023-12-10 (the 2024 concentrated period), before 2024-06-24: not governed
    result = run(person([identity("特困人员", region=JINAN)],
                        entries=[entry(2024, JINAN, paid_on="2023-12-10")]), on=ON_2024)
    check_errors(result, **{name: "E501" for name in OUTPUTS})


def test_payment_the_day_before_the_notice_is_not_in_force():
    # 2024 随参随缴 paid 2024-06-23, one day before the notice date 2024-06-24: not governed,
    # every output "not in force" (E501)
    result = run(person([identity("特困人员", region=JINAN)],
                        entries=[entry(2024, JINAN, paid_on="2024-06-23",
                                       concentrated=False)]), on=ON_2024)
    check_errors(result, **{name: "E501" for name in OUTPUTS})


def test_payment_on_the_notice_date_is_governed():
    # 2024 随参随缴 paid 2024-06-24 (the notice date itself): governed; 济南 premium on
    # 2024-01-01 = 360; 特困人员 济南: full standard 360; min(360, 360) = 360; 360 - 360 = 0
    result = run(person([identity("特困人员", region=JINAN)],
                        entries=[entry(2024, JINAN, paid_on="2024-06-24",
                                       concentrated=False)]), on=ON_2024)
    check(result, assistance_category="全额资助", premium_subsidy=360, individual_premium=0,
          payment_mode="直接资助", subsidy_region=JINAN)


def test_2024_payment_after_the_notice_without_a_2024_fixed_value_is_an_error():
    # 2024 随参随缴 paid 2024-08-01, 低保对象 济南: 济南's fixed values start 2025-01-01; read on
    # 2024-01-01 they are not in force: the amounts are errors (R461), never 0
    result = run(person([identity("低保对象", region=JINAN)],
                        entries=[entry(2024, JINAN, paid_on="2024-08-01",
                                       concentrated=False)]), on=ON_2024)
    check(result, assistance_category="定额资助", payment_mode="直接资助", subsidy_region=JINAN)
    check_errors(result, premium_subsidy="R461", individual_premium="R461")


def test_region_values_are_read_on_the_first_of_january():
    # insured 济南 for 2026, paid 2025-12-10 when 济南's premium was 380; on 2026-01-01 it is
    # 400: the premium for 2026 is 400.  低保边缘家庭成员 济南 200 (from 2025):
    # min(200, 400) = 200; 400 - 0 - 200 = 200 (380 - 200 = 180 would be the payment-day value)
    result = run(person([identity("低保边缘家庭成员", region=JINAN)],
                        entries=[entry(2026, JINAN, paid_on="2025-12-10")]))
    check(result, premium_subsidy=200, individual_premium=200, payment_mode="直接资助")


def test_region_value_not_in_force_for_the_year():
    # 泰安 values start 2026-01-01; benefit year 2025 (paid 2024-11-20, governed) reads them
    # on 2025-01-01: not in force (R461) -- the amounts only
    result = run(person([identity("特困人员")], entries=[entry(2025)]), on=ON_2025)
    check(result, assistance_category="全额资助", payment_mode="直接资助", subsidy_region=TAIAN)
    check_errors(result, premium_subsidy="R461", individual_premium="R461")


def test_insured_region_missing_from_the_region_file():
    result = run(person([identity("特困人员")], entries=[entry(2026, QINGDAO)]))
    # no 青岛 entry: the premium has no value (R460) -- never 0; the amounts are errors
    check_errors(result, premium_subsidy="R460", individual_premium="R460")
    # the one identity pays whatever the amounts: 泰安, and 青岛 is another pooling region
    check(result, assistance_category="全额资助", payment_mode="先缴后补", subsidy_region=TAIAN)


def test_person_not_insured_in_the_year_has_no_answer():
    # no enrollment for 2026: no payment date, no premium -> every output E520 (no entry)
    result = run(person([identity("特困人员")], entries=[entry(2025, JINAN)]))
    check_errors(result, **{name: "E520" for name in OUTPUTS})


def test_employee_scheme_is_outside_the_policy():
    # the notice subsidises 城乡居民医保 premiums; an employee-scheme year has no answer (E541)
    result = run(person([identity("特困人员")], entries=[entry(2026, scheme="employee")]))
    check_errors(result, **{name: "E541" for name in OUTPUTS})


# ------------------------------------------------------------------ two entries for Y
def test_two_entries_the_one_in_shandong_answers():
    # 2026 in 徐州 (paid 2025-10-15) and in 济南 (paid 2025-12-10); identity from 2025-11-01
    data = person([identity("低保边缘家庭成员", region=JINAN, start="2025-11-01")],
                  entries=[entry(2026, XUZHOU, paid_on="2025-10-15"),
                           entry(2026, JINAN, paid_on="2025-12-10")])
    # the 济南 entry: paid 2025-12-10, the identity is valid then; premium 济南 400;
    # 济南 standard 200: min(200, 400) = 200; 400 - 0 - 200 = 200; 直接资助
    check(run(data), assistance_category="定额资助", premium_subsidy=200, individual_premium=200,
          payment_mode="直接资助", subsidy_region=JINAN)


def test_two_entries_in_shandong_are_an_error():
    result = run(person([identity("特困人员")],
                        entries=[entry(2026, TAIAN), entry(2026, JINAN, paid_on="2025-12-01")]))
    # two Shandong entries for 2026: the record does not say which one -> E521, located
    check_errors(result, **{name: "E521" for name in OUTPUTS})


def test_two_entries_outside_shandong_are_an_error():
    result = run(person([identity("特困人员")], cross_province_application=True,
                        entries=[entry(2026, XUZHOU), entry(2026, "江苏省南京市")]))
    # two entries for 2026, none in Shandong: no single entry answers -> E521 everywhere
    check_errors(result, **{name: "E521" for name in OUTPUTS})


# ------------------------------------------------------------------ citations
ARTICLES = ("一:", "二第一段", "二第二段", "三第二段", "四第二段", "落款")


def test_every_declaration_and_case_cites_an_article_of_the_notice():
    policy = shandong()
    declared = [*policy.params.values(), *policy.rules.values(), *policy.tables.values(),
                *policy.measures.values()]
    own = [d for d in declared if d.origin.policy_id == POLICY_ID]
    assert len(own) > 30
    for d in own:
        cite = d.attrs.cite or ""
        assert cite.startswith(ARTICLES), (d.decl.name, cite)
        for case in getattr(d.decl, "exceptions", ()):
            assert (case.attrs.cite or "").startswith(ARTICLES), (d.decl.name, case.name)


def test_the_reading_choices_are_notes_in_the_policy():
    policy = shandong()
    # the readings the text leaves open, each stated where it is encoded
    for name in ("notice_in_force", "full_subsidy_standard", "pooling_regions"):
        assert policy.params[name].attrs.note, name
    for name in ("entry_for_year", "identity_counts", "paying_region", "premium"):
        assert policy.rules[name].attrs.note, name


# ------------------------------------------------------------------ S7 the population measure
def recipient(n, insured=True, **extra):
    entries = [entry(2026)] if insured else []
    return validated(person([identity("低保对象")], entries=entries, id=f"SD-P{n:03d}", **extra))


def test_enrollment_rate_over_a_small_population():
    people = [
        recipient(1),                                           # recipient, insured
        recipient(2),                                           # recipient, insured
        recipient(3, insured=False),                            # recipient, not insured
        validated(person([identity("特困人员", start="2026-03-01")], entries=[],
                         id="SD-P004")),                        # recognised 2026-03-01, not insured
        validated(person([identity("孤儿", end="2026-01-31")], id="SD-P005")),  # ended: not a recipient
        validated(person([], id="SD-P006")),                    # no identity: not a recipient
        validated(person([identity("低保对象", region=XUZHOU)],
                         id="SD-P007")),                        # not a Shandong identity
        validated(person([identity("低保边缘家庭成员")], entries=[entry(2026, XUZHOU)],
                         id="SD-P008")),                        # insured in another province: insured
    ]
    result = evaluate_measures(shandong(), people, ON_2026)["assistance_enrollment_rate"]
    # recipients on 2026-06-01 (a Shandong identity valid that day): P001, P002, P003, P004,
    # P008 = 5; insured in 2026 among them: P001, P002, P008 = 3 -> 3/5 = 60% < 99%
    assert (result.counted, result.population) == (3, 5)
    assert result.value == D(3) / D(5)
    assert result.met is False
    assert result.errors == []


def test_enrollment_rate_target_met_at_exactly_99_percent():
    people = [recipient(n) for n in range(99)] + [recipient(99, insured=False)]
    result = evaluate_measures(shandong(), people, ON_2026)["assistance_enrollment_rate"]
    # 99 insured of 100 recipients = 99% >= 99%: met (一: 参保率不低于99%)
    assert (result.counted, result.population) == (99, 100)
    assert result.value == D("0.99")
    assert result.met is True


def test_enrollment_rate_target_missed_just_below_99_percent():
    people = [recipient(n) for n in range(98)] + [recipient(98, insured=False),
                                                   recipient(99, insured=False)]
    result = evaluate_measures(shandong(), people, ON_2026)["assistance_enrollment_rate"]
    # 98 of 100 = 98% < 99%: not met
    assert result.value == D("0.98")
    assert result.met is False


# ------------------------------------------------------------------ the example region file
def test_example_region_file_marks_its_values():
    regions = example_regions()
    for region in (TAIAN, JINAN, XUZHOU):
        assert regions.is_illustrative(region)
    assert "press report" in regions.note_for(TAIAN)
    assert "test" in regions.note_for(JINAN) and "test" in regions.note_for(XUZHOU)
