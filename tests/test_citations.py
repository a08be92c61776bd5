"""Citations in explanations point into the text that says each thing."""
import datetime as dt

from yibao.interpreter.api import evaluate, load_policy, load_record, load_regions


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

    def find(node, name):
        if node.name == name:
            return node
        for child in node.children:
            found = find(child, name)
            if found is not None:
                return found
        return None

    first_known = find(tree, "first_known_year")
    assert first_known is not None and first_known.document == "国办发〔2024〕38号"
    assert tree.document == "赣府厅发〔2024〕34号"
