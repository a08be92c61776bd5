"""Decision tables: cell tests, hit policies, and the explanation of which rows matched."""
import datetime as dt
import textwrap
from decimal import Decimal

from yibao.interpreter.api import evaluate, load_policy
from yibao.interpreter.diagnostics import DiagnosticError

HEADER = """
policy {pid} {{
  title "决策表"
  status draft
}}

enum 身份 {{
  特困人员
  孤儿
  低保对象
  低保边缘家庭成员
}}

enum 资助类别 {{
  不资助
  定额资助
  全额资助
}}

input person {{
  id: text
  held: list of 身份 default []
  years: int default 0
  amount: money default 0 元
}}
"""


def policy_of(tmp_path, body, pid="table-test"):
    path = tmp_path / f"{pid}.policy"
    path.write_text(HEADER.format(pid=pid) + textwrap.dedent(body), encoding="utf-8")
    return load_policy(path)


def child(node, name):
    return next(c for c in node.children if c.name == name)


def run(policy, name, **record):
    result = evaluate(policy, {"id": "T1", **record}, dt.date(2026, 1, 1), outputs=[name],
                      explain=True)
    return result


CATEGORY = """
table category(held: list of 身份): 资助类别 {
  label "资助类别"
  hit max
  row full: [特困人员, 孤儿] => 资助类别.全额资助 cite "二(一)"
  row fixed: [低保对象, 低保边缘家庭成员] => 资助类别.定额资助 cite "二(二)"
  otherwise => 资助类别.不资助
}

output assistance_category: 资助类别 {
  = category(held)
}
"""


def test_hit_max_takes_the_highest_category_when_several_rows_match(tmp_path):
    policy = policy_of(tmp_path, CATEGORY)
    # 孤儿 matches `full`, 低保对象 matches `fixed`; max by declaration order: 全额资助
    result = run(policy, "assistance_category", held=("低保对象", "孤儿"))
    assert result.values["assistance_category"] == "全额资助"
    table = child(result.trees["assistance_category"], "category")
    assert table.case == "category#full"
    assert {c.ident: c.applied for c in table.cases} == {"category#full": True,
                                                        "category#fixed": True}


def test_hit_max_with_one_fixed_identity(tmp_path):
    policy = policy_of(tmp_path, CATEGORY)
    assert run(policy, "assistance_category",
               held=("低保边缘家庭成员",)).values["assistance_category"] == "定额资助"


def test_no_row_uses_otherwise(tmp_path):
    policy = policy_of(tmp_path, CATEGORY)
    assert run(policy, "assistance_category", held=()).values["assistance_category"] == "不资助"


RANGES = """
table wait(years: int): int {
  hit first
  row none_missed: 0 => 0
  row long: >= 4 => 6
  row short: 1 .. 3 => 3
}

output waiting: int {
  = wait(years)
}

table bonus(years: int): money {
  hit collect sum
  row base: >= 1 => 100 元
  row long: >= 5 => 50 元
}

output total_bonus: money {
  = bonus(years)
}
"""


def test_first_hit_and_ranges(tmp_path):
    policy = policy_of(tmp_path, RANGES)
    # 0 → row none_missed; 2 → only `short` (1..3); 4 → `long` is listed before `short`
    assert run(policy, "waiting", years=0).values["waiting"] == 0
    assert run(policy, "waiting", years=2).values["waiting"] == 3
    assert run(policy, "waiting", years=4).values["waiting"] == 6


def test_first_hit_table_without_match_is_an_error(tmp_path):
    policy = policy_of(tmp_path, RANGES)
    result = run(policy, "waiting", years=-1)
    assert result.errors["waiting"].code == "E543"
    assert "years = -1" in result.errors["waiting"].diagnostic.message("en")


def test_collect_sum_adds_every_matching_row(tmp_path):
    policy = policy_of(tmp_path, RANGES)
    assert run(policy, "total_bonus", years=0).values["total_bonus"] == Decimal(0)
    assert run(policy, "total_bonus", years=3).values["total_bonus"] == Decimal(100)
    assert run(policy, "total_bonus", years=6).values["total_bonus"] == Decimal(150)


UNIQUE_AT_RUNTIME = """
parameter threshold: int {
  from 2025-01-01: 3
}

table band(years: int): int {
  hit unique
  row low: <= threshold => 1
  row high: >= 3 => 2
}

output banded: int {
  = band(years)
}
"""


def test_unique_overlap_the_analysis_cannot_see_is_caught_at_run_time(tmp_path):
    # `<= threshold` reads a parameter, so the checker cannot enumerate the table; at 3
    # both rows match (3 <= 3 and 3 >= 3), which `hit unique` forbids.
    policy = policy_of(tmp_path, UNIQUE_AT_RUNTIME)
    assert run(policy, "banded", years=2).values["banded"] == 1
    result = run(policy, "banded", years=3)
    assert result.errors["banded"].code == "E590"


def test_an_overlap_the_analysis_sees_stops_loading(tmp_path):
    body = UNIQUE_AT_RUNTIME.replace("<= threshold", "<= 3")
    try:
        policy_of(tmp_path, body)
    except DiagnosticError as err:
        assert [d.code for d in err.diagnostics if d.is_error] == ["Y230"]
        assert "years = 3" in err.diagnostics[0].message("en")
    else:
        raise AssertionError("the overlap at years = 3 was not reported")


def test_table_explanation_says_why_a_row_did_not_match(tmp_path):
    policy = policy_of(tmp_path, RANGES)
    table = child(run(policy, "waiting", years=2).trees["waiting"], "wait")
    from yibao.interpreter.explain_render import case_reason

    mismatches = {c.ident: c.mismatch for c in table.cases}
    assert mismatches["wait#none_missed"] == ("years", "2", "0")
    assert mismatches["wait#long"] == ("years", "2", ">= 4")
    reasons = {c.ident: case_reason(c) for c in table.cases}
    assert reasons["wait#none_missed"] == "years = 2: not 0"
    assert reasons["wait#long"] == "years = 2: not >= 4"


MEASURES = """
rule recipient: bool {
  = count { h in held } > 0
}

measure covered_share: percent {
  label "救助对象参保率"
  = share years > 0 among recipient
  target >= 99%
}

measure recipients: int {
  = count where recipient
}

measure total_amount: money {
  = sum amount where recipient
}
"""


def test_population_measures_count_share_and_sum_with_their_target(tmp_path):
    from yibao.interpreter.api import evaluate_measures

    policy = policy_of(tmp_path, MEASURES)
    people = [
        {"id": "A", "held": ("低保对象",), "years": 1, "amount": Decimal("10.50")},
        {"id": "B", "held": ("孤儿",), "years": 0, "amount": Decimal("5.00")},
        {"id": "C", "held": (), "years": 3, "amount": Decimal("99.00")},   # not a recipient
        {"id": "D", "held": ("特困人员",), "years": 2},                      # amount 0 (default)
    ]
    results = evaluate_measures(policy, people, dt.date(2026, 1, 1))
    share = results["covered_share"]
    # recipients A, B, D; insured (years > 0) among them: A, D → 2/3 ≈ 66.7% < 99%
    assert (share.counted, share.population) == (2, 3)
    # 2/3 rounded half-even to limits.DIVISION_DIGITS (34) significant digits
    assert share.value == Decimal("0." + "6" * 33 + "7")
    assert share.met is False
    assert results["recipients"].value == 3
    # 10.50 + 5.00 + 0 = 15.50; C is not a recipient
    assert results["total_amount"].value == Decimal("15.50")


WAIT_WITH_PARAMETER = """
parameter long_wait: int {
  from 2020-01-01: 6
}

table wait(years: int): int {
  hit first
  row none_missed: 0 => 0
  row long: >= 4 => long_wait
  row short: 1 .. 3 => 3
}

output waiting: int {
  = wait(years)
}
"""


def test_an_explanation_is_worded_in_the_language_asked_for(tmp_path):
    from yibao.interpreter.explain_render import render_tree

    policy = policy_of(tmp_path, WAIT_WITH_PARAMETER)
    tree = run(policy, "waiting", years=5).trees["waiting"]
    english, chinese = render_tree(tree, "en"), render_tree(tree, "zh")
    # Row none_missed fails on its cell `0`; the parameter holds from 2020-01-01.
    assert "years = 5: not 0" in english and "from 2020-01-01" in english
    assert "years = 5:不满足 0" in chinese and "自 2020-01-01 起" in chinese
    assert ": not " not in chinese and "from 2020" not in chinese


def test_the_model_keeps_tables_apart_from_rules(tmp_path):
    policy = policy_of(tmp_path, WAIT_WITH_PARAMETER)
    assert set(policy.tables) == {"wait"} and "wait" not in policy.rules
    assert set(policy.rules) == {"waiting"}
    assert policy.callable("wait") is policy.tables["wait"]
    # The table is called like a rule: 5 missed years hit the row `>= 4` => long_wait (6).
    assert run(policy, "waiting", years=5).values["waiting"] == 6


def test_an_other_text_in_a_table_example_is_worded_and_never_a_real_text(tmp_path):
    """A text column is analysed with the texts its cells name plus one stand-in for every
    other text; the stand-in is shown in the reader's language and cannot collide with a
    text a policy writes, not even one spelled like it."""
    body = """
    table pick(name: text): int {
      hit unique
      row a: "(其他)" => 1
      row b: "(其他文本)" => 2
    }

    output picked: int {
      = pick("x")
    }
    """
    policy = policy_of(tmp_path, body)          # a gap is a warning, not an error
    (gap,) = [d for d in policy.warnings if d.code == "Y231"]
    # The rows name "(其他)" and "(其他文本)"; the gap is at some other text.
    assert "name = (another text)" in gap.message("en")
    assert "name = (其他文本)" in gap.message("zh")
