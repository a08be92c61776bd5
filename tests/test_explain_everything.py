"""Every output of every shipped policy, on every example record, explains and renders.

A smoke test over the whole corpus: explanation trees are built for each output (or the
output fails with an EvalError), and both the text and the JSON rendering of each tree
succeed in both languages.
"""
import datetime as dt
import json
from pathlib import Path

import pytest

from interpreter.api import evaluate, load_policy, load_record, load_regions
from interpreter.explain_render import render_tree, tree_to_json

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
    assert set(result.values) | set(result.errors), "no outputs for this record"
    for name in result.values:
        tree = result.trees[name]
        assert tree.name == name and tree.value == result.values[name]
        for lang in ("en", "zh"):
            assert render_tree(tree, lang).startswith(name)
        json.dumps(tree_to_json(tree), ensure_ascii=False)
