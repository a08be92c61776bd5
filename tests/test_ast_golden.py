"""The parse tree -> AST mapping, pinned by golden dumps of real and constructed policies.

Reset with YIBAO_RESET_GOLDENS=1 and review the change in git diff.
"""
import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from yibao.interpreter import nodes
from yibao.interpreter.parser import parse_file
from yibao.interpreter.source import Span
from yibao.interpreter.values import Duration

from .conftest import ROOT, compare_golden

FILES = ["policies/national-2024-38.policy", "policies/jiangxi-2024-34.policy",
         "tests/golden/policies/ok-every-construct.policy"]


# Where things are, not what they are: left out of the dumps (the spans of the node itself
# head each entry as line:col).
_POSITIONS = ("span", "name_span", "extends_span", "nid", "function_span", "var_span",
              "hit_span", "key_spans", "written")


def dump(value, indent: int = 0) -> str:
    """An indented dump of AST nodes: class name, span as line:col, then fields."""
    pad = "  " * indent
    if dataclasses.is_dataclass(value) and not isinstance(value, (Span, Duration)):
        span = getattr(value, "span", None)
        where = f" @{span.line}:{span.column}" if isinstance(span, Span) else ""
        lines = [f"{type(value).__name__}{where}"]
        for f in dataclasses.fields(value):
            if f.name in _POSITIONS:
                continue
            inner = getattr(value, f.name)
            lines.append(f"{pad}  {f.name}: {dump(inner, indent + 1).lstrip()}")
        return "\n".join(lines)
    if isinstance(value, tuple) and value and not isinstance(value[0], (str, int, dt.date)):
        return "\n".join(f"{pad}- {dump(v, indent + 1).lstrip()}" for v in value) or "()"
    if isinstance(value, (Decimal, dt.date)):
        return f"{type(value).__name__}({value})"
    return repr(value)


@pytest.mark.parametrize("path", FILES)
def test_ast_golden(path, at_root):
    assert (ROOT / path).exists(), f"{path} is listed for a golden AST but does not exist"
    policy, _ = parse_file(path)
    golden = ROOT / "tests/golden/ast" / (Path(path).stem + ".ast")
    compare_golden(golden, dump(policy) + "\n")


def test_every_span_points_at_its_own_text(at_root):
    """Spans are what error carets and the formatter rely on: each must cover the text of
    the node it belongs to (a name's span is that name, a literal's span its text)."""
    policy, source = parse_file("tests/golden/policies/ok-every-construct.policy")
    seen = 0
    for item in policy.items:
        assert source.text[item.name_span.start:item.name_span.end] == item.name
        if isinstance(item, nodes.RuleDecl) and item.body is not None:
            for expr in nodes.walk(item.body):
                text = source.text[expr.span.start:expr.span.end]
                if isinstance(expr, nodes.Name):
                    assert text == expr.name
                elif isinstance(expr, nodes.Literal):
                    assert text == expr.text
                seen += 1
    assert seen > 40


def test_the_extends_span_is_the_parent_id(at_root):
    policy, source = parse_file("tests/golden/policies/ok-every-construct.policy")
    span = policy.header.extends_span
    assert source.text[span.start:span.end] == "golden-base"
    assert (span.line, span.column) == (2, 35)


def test_comments_are_kept_with_their_positions(at_root):
    policy, source = parse_file("tests/golden/policies/ok-every-construct.policy")
    assert [c.span.line for c in policy.comments] == [1]
    assert policy.comments[0].text.startswith("# Grammar coverage")
