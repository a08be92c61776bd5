"""Scenario tests for the Shandong medical-assistance premium subsidy notice
(policies/shandong-2024-assistance.policy; source text shandong-2024-assistance.txt, the
notice of 2024-06-24; readings: docs/readings/shandong-2024-assistance.md) that are not plain
data.

The scenarios that are one record, one date and the expected outputs are YAML suites, run
by `yibao test` and by pytest: tests/suites/shandong-categories.test.yaml (S2, S3),
shandong-identity-dates.test.yaml (S1), shandong-regions.test.yaml (S4, S5/S6) and
shandong-scope.test.yaml (S0, two entries for Y); their made-up region values are
tests/suites/shandong-test-regions.yaml.  What stays here: the decision table's hit policy
and the explanation of ignored identities, a not-applicable reason checked in part, the
citations and reading notes, the population measure (S7) and the example region file's
marks.

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
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from yibao.interpreter.api import evaluate, evaluate_measures, load_policy, load_regions, record_from

from .builders import check, check_not_applicable, find_node

ROOT = Path(__file__).resolve().parent.parent
POLICY_ID = "shandong-2024-assistance"
D = Decimal
date = dt.date

TAIAN = "山东省泰安市"
JINAN = "山东省济南市"
XUZHOU = "江苏省徐州市"

AMOUNTS = ["premium_subsidy", "individual_premium"]

ON_2026 = date(2026, 6, 1)      # benefit year 2026


# ------------------------------------------------------------------ helpers
@lru_cache(maxsize=None)
def shandong():
    return load_policy(ROOT / "policies" / f"{POLICY_ID}.policy")


@lru_cache(maxsize=None)
def example_regions():
    return load_regions(ROOT / "examples" / "shandong" / "regions.yaml")


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


# ------------------------------------------------------------------ S3 several identities
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


# ------------------------------------------------------------------ S1 identities outside Shandong
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


# ------------------------------------------------------------------ S5/S6 regions
def test_cross_province_without_application_is_not_subsidised():
    result = run(person([identity("特困人员")], entries=[entry(2026, XUZHOU)],
                        cross_province_application=False))
    # no application: 不资助, 0; 徐州 premium 380 - 0 - 0 = 380; mode and region n/a
    not_subsidised(result, individual=380)
    assert "不资助" in result.not_applicable["payment_mode"].reason


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
