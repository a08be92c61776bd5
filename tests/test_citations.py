"""Citations in explanations point into the text that says each thing."""
import datetime as dt

from yibao.interpreter.api import evaluate, load_policy, load_record, load_regions

from .builders import find_node


def explain_waiting(at_root):
    policy = load_policy("policies/jiangxi-2024-34.policy")
    record, _ = load_record(policy, "examples/jiangxi/qingdao-case.yaml")
    regions = load_regions("examples/regions.yaml")
    result = evaluate(policy, record, dt.date(2027, 6, 1), regions,
                      outputs=["waiting_period_months"], explain=True)
    return result.trees["waiting_period_months"]


def test_amended_exception_branches_cite_the_province(at_root):
    tree = explain_waiting(at_root)
    cases = {c.ident: c for c in tree.cases}
    assert cases["waiting_period_months#newborn"].cite.startswith("赣府厅发〔2024〕34号 二(四)")


def test_declarations_the_province_did_not_amend_keep_the_national_document(at_root):
    tree = explain_waiting(at_root)
    first_known = find_node(tree, "first_known_year")
    assert first_known is not None and first_known.document == "国办发〔2024〕38号"
    assert tree.document == "赣府厅发〔2024〕34号"


CITE_IN = """
parameter standard: money {
  cite "个人缴费标准" in "医保发〔2024〕19号"
  from 2024-01-01: 400 元
}

output due: money {
  cite "第三条"
  = standard
  exception exempt {
    cite "第一条" in "国办发〔2024〕38号"
    when year(birth_date) > 2020
    = 0 元
  }
}
"""


def test_a_cite_can_name_the_document_it_belongs_to(tmp_path):
    from .test_evaluator import person, policy_of

    policy = policy_of(tmp_path, CITE_IN)
    tree = evaluate(policy, person(), dt.date(2025, 6, 1), explain=True).trees["due"]
    # the output's own cite stays in the policy's document (the test header has none)
    assert tree.document is None and tree.cite == "第三条"
    (standard,) = [c for c in tree.children if c.name == "standard"]
    assert standard.document == "医保发〔2024〕19号"
    cases = {c.ident: c for c in tree.cases}
    assert cases["due#exempt"].cite == "国办发〔2024〕38号 第一条"


def test_the_template_premium_standard_is_cited_from_its_own_notice(at_root):
    policy = load_policy("policies/sichuan-2025.policy")
    record, _ = load_record(policy, "examples/sichuan/student-by-program.yaml")
    tree = evaluate(policy, record, dt.date(2029, 6, 1), explain=True,   # after the program
                    outputs=["student_premium_due"]).trees["student_premium_due"]
    found = [c for c in tree.children if c.name == "individual_premium_standard"]
    assert found and found[0].document == "医保发〔2024〕19号"
