"""Every output of every shipped policy, on every example record, explains and renders.

A smoke test over the whole corpus: explanation trees are built for each output (or the
output fails with an EvalError), and both the text and the JSON rendering of each tree
succeed in both languages.
"""
import datetime as dt
import json
from pathlib import Path

import pytest

from yibao.interpreter.api import evaluate, load_policy, load_record, load_regions
from yibao.interpreter.explain_render import render_tree, tree_to_json

ROOT = Path(__file__).resolve().parent.parent
CORPUS = {
    "jiangxi-2024-34": ("jiangxi", "examples/regions.yaml", dt.date(2027, 6, 1)),
    "sichuan-2025": ("sichuan", None, dt.date(2027, 6, 1)),
    "shandong-2024-assistance": ("shandong", "examples/shandong/regions.yaml",
                                 dt.date(2026, 6, 1)),
    "wuxi-2019-73": ("wuxi", None, dt.date(2021, 6, 1)),
    "jinggu-2018": ("jinggu", None, dt.date(2018, 6, 1)),
}
CASES = [(policy, record.name) for policy, (folder, _, _) in CORPUS.items()
         for record in sorted((ROOT / "examples" / folder).glob("*.yaml"))
         if record.name != "regions.yaml"]


@pytest.mark.parametrize("policy_id, record_name", CASES)
def test_every_output_explains_and_renders(policy_id, record_name):
    folder, regions_path, on = CORPUS[policy_id]
    policy = load_policy(ROOT / "policies" / f"{policy_id}.policy")
    record, _ = load_record(policy, ROOT / "examples" / folder / record_name)
    regions = load_regions(ROOT / regions_path) if regions_path else None
    result = evaluate(policy, record, on, regions, explain=True)
    assert set(result.values) | set(result.errors) | set(result.not_applicable), \
        "no outputs for this record"
    for name in list(result.values) + list(result.not_applicable):
        tree = result.trees[name]
        assert tree.name == name and \
            tree.value == result.values.get(name, result.not_applicable.get(name))
        for lang in ("en", "zh"):
            assert render_tree(tree, lang).startswith(name)
        json.dumps(tree_to_json(tree), ensure_ascii=False)


# ------------------------------------------------------------------ shared sub-trees
def _sharing_policy(tmp_path, depth: int):
    """a_k = a_{k-1} + b_{k-1}, b_k = a_{k-1} - b_{k-1}: a_depth's explanation, unfolded,
    would hold 2^depth copies of a_0."""
    from .test_evaluator import policy_of

    lines = ["rule a0: int {\n  = 1\n}\n", "rule b0: int {\n  = 2\n}\n"]
    for k in range(1, depth + 1):
        lines.append(f"rule a{k}: int {{\n  = a{k - 1} + b{k - 1}\n}}\n")
        if k < depth:
            lines.append(f"rule b{k}: int {{\n  = a{k - 1} - b{k - 1}\n}}\n")
    lines.append(f"output top: int {{\n  = a{depth}\n}}\n")
    return policy_of(tmp_path, "\n".join(lines))


def _walk(node):
    yield node
    for child in node.get("children", []):
        yield from _walk(child)


def test_explain_json_writes_a_shared_sub_tree_once(tmp_path):
    from .test_evaluator import ON, person

    policy = _sharing_policy(tmp_path, 40)
    result = evaluate(policy, person(), ON, outputs=["top"], explain=True)
    # a0, b0 = 1, 2; then (a, b) -> (a + b, a - b) doubles a every second step:
    # a2 = 2, a4 = 4, ..., a40 = 2^20
    assert result.values["top"] == 2 ** 20
    document = tree_to_json(result.trees["top"])
    text = json.dumps(document, ensure_ascii=False, indent=2)
    nodes = list(_walk(document))
    # top, a1..a40, b1..b39, a0 and b0 twice each, and 76 references (counted below)
    assert len(nodes) == 1 + 40 + 39 + 4 + 76
    assert len(json.dumps(document, ensure_ascii=False)) < 60_000
    full = [n for n in nodes if "ref" not in n]
    refs = [n for n in nodes if "ref" in n]
    names = [n["name"] for n in full if n["kind"] == "rule"]
    # every rule with children is written in full exactly once: a1..a40 and b1..b39
    with_children = [f"a{k}" for k in range(1, 41)] + [f"b{k}" for k in range(1, 40)]
    assert sorted(n for n in names if n not in ("a0", "b0")) == sorted(with_children)
    # a0 and b0 are leaves, written where used: under a1 and under b1
    assert sorted(n for n in names if n in ("a0", "b0")) == ["a0", "a0", "b0", "b0"]
    # a_k and b_k (k = 1..38) are used by both a_{k+1} and b_{k+1}: one reference each
    assert sorted(r["name"] for r in refs) == sorted(
        [f"a{k}" for k in range(1, 39)] + [f"b{k}" for k in range(1, 39)])
    # ids 1, 2, ... in depth-first order; every reference points back to a written id
    ids = [n["id"] for n in full if "id" in n]
    assert ids == list(range(1, 77))
    order = {}
    for position, n in enumerate(nodes):
        if "id" in n:
            order[n["id"]] = position
        if "ref" in n:
            assert order[n["ref"]] < position
            written = next(m for m in full if m.get("id") == n["ref"])
            assert (written["name"], written["value"]) == (n["name"], n["value"])
    # the same places the text form says "see above"
    rendered = render_tree(result.trees["top"], "en")
    assert rendered.count("(see above)") == len(refs)
    # deterministic: the same tree gives the same bytes
    assert json.dumps(tree_to_json(result.trees["top"]), ensure_ascii=False, indent=2) == text


# ------------------------------------------------------------------ amounts finer than cents
def test_a_rule_holding_a_finer_amount_explains_exactly(tmp_path):
    """An output is whole cents, but a rule on the way may not be: 100.01 元 × 33% is
    33.0033 元 before round() makes it 33.00.  Explaining it once crashed formatting."""
    from decimal import Decimal

    from .test_evaluator import person, policy_of

    policy = policy_of(tmp_path, """
        rule third: money {
          = 100.01 元 * 33%
        }
        output paid: money {
          = round(third)
        }
        """)
    result = evaluate(policy, person(), dt.date(2027, 6, 1), outputs=["paid"], explain=True)
    assert result.values["paid"] == Decimal("33.00")
    tree = result.trees["paid"]
    assert render_tree(tree).splitlines()[1].startswith("└─ third = 33.0033")
    assert tree_to_json(tree)["children"][0]["value"] == "33.0033"


def test_a_memoised_node_is_a_child_once_however_it_was_added():
    from yibao.interpreter.explanation import ExplainNode

    parent, a, b, c = (ExplainNode("rule", name, None, "int") for name in "pabc")
    parent.add(a)
    parent.add_once(b)          # the first add_once indexes the children so far
    parent.add(c)               # and add keeps the index up to date afterwards
    for node in (a, b, c):
        parent.add_once(node)
    assert [n.name for n in parent.children] == ["a", "b", "c"]
