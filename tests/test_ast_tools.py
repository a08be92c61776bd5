"""The AST as tools (formatter, diff, language server) use it: equality that ignores layout,
children found from the fields, a span on every name a tool may point at, and node ids that
are the same for the same text."""
from yibao.interpreter import nodes
from yibao.interpreter.parser import parse_source
from yibao.interpreter.source import SourceFile

TEXT = """policy ast-test {
  title "t"
}

enum 身份 {
  a
  b
}

input person {
  id: text
  held: list of 身份 default []
}

parameter cap: money by region, 身份 {
  label "上限"
  cite "第二条"
}

table pick(x: int): int {
  label "选"
  hit first
  row one: 1 => 10
  otherwise => 0
}

output total: int {
  = count { h in held where h == 身份.a } + pick(2)
}
"""


def parse(text: str, path: str = "p.policy") -> nodes.PolicyFile:
    return parse_source(SourceFile.from_text(path, text))


def _at(span) -> str:
    return TEXT[span.start:span.end]


def _decl(policy, name):
    return next(item for item in policy.items if item.name == name)


def test_layout_and_comments_positions_do_not_change_equality():
    relaid = TEXT.replace("  = count", "  =   count").replace("\n\nenum", "\n\n\n# a note\nenum")
    a, b = parse(TEXT), parse(relaid, "elsewhere/p.policy")
    assert a.items == b.items and a.header == b.header
    changed = parse(TEXT.replace("=> 10", "=> 11"))
    assert changed.items != a.items


def test_names_inside_calls_aggregates_keys_and_hit_policies_have_spans():
    policy = parse(TEXT)
    total = _decl(policy, "total").body
    aggregate, call = total.left, total.right
    assert _at(aggregate.var_span) == "h"
    assert _at(call.function_span) == "pick"
    cap = _decl(policy, "cap")
    assert [_at(s) for s in cap.key_spans] == ["region", "身份"]
    assert [(name, text) for name, text, _ in cap.attrs.written] == [("label", "上限"),
                                                                      ("cite", "第二条")]
    assert _at(cap.attrs.written[1][2]) == 'cite "第二条"'
    assert _at(_decl(policy, "pick").hit_span) == "first"


def test_children_come_from_the_fields_in_source_order():
    total = _decl(parse(TEXT), "total").body
    aggregate, call = nodes.children(total)
    assert (aggregate, call) == (total.left, total.right)
    assert [type(c).__name__ for c in nodes.children(aggregate)] == ["Name", "Binary"]
    names = [e.name for e in nodes.walk(total) if isinstance(e, nodes.Name)]
    assert names == ["held", "h", "身份"]   # `身份.a` is an attribute of the name 身份


def test_node_ids_are_unique_and_the_same_for_the_same_text():
    first, second = parse(TEXT), parse(TEXT)

    def ids(policy):
        found = []
        for item in policy.items:
            for node in _all(item):
                if isinstance(node, (nodes.Expr, nodes.Cell)):
                    found.append(node.nid)
        return found

    assert ids(first) == ids(second)
    assert len(set(ids(first))) == len(ids(first)) and None not in ids(first)


def _all(node):
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(nodes.children(current))
