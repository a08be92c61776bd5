"""Explanation trees (explanation.py) as indented text and as JSON.

Text form, one line per node:

    critical_illness_cap = 306000.00  — 大病保险最高支付限额  [赣府办发〔2024〕34号 参保激励约束机制]
    │  ✓ base case
    ├─ original_critical_illness_cap = 300000.00  — 大病保险原封顶线  (江西省南昌市, 2027-06-01)  [...]
    └─ adjustment_limit = 60000.00  — 累计提高(降低)总额上限  [...]

Under a rule with exceptions come its cases: `✓` the case whose value was used, `✗` a case
whose guard was false with the reason, `·` a case that was not looked at because an exception
took precedence (`overridden by` that exception), `○` a case whose guard held but an
exception under it gave the value.  A node that already appeared, with its children,
earlier in the tree is printed again as `name = value  (see above)`, without its subtree.

The JSON form shares sub-trees the same way: the first occurrence is complete and has an
"id", later ones are `{"ref": id, "kind", "name", "args", "value"}` (see tree_to_json).
"""
from __future__ import annotations

from .explanation import CaseOutcome, ExplainNode
from .formatting import to_json, to_text
from .limits import deep_recursion
from .messages import text_for
from .values import NotApplicable

_MARK = {True: "✓", False: "✗", None: "·", "overridden": "○"}


def _word(key: str, lang: str, **args) -> str:
    """A display word from the catalog (messages_show.py, keys `show.*`)."""
    return text_for(f"show.{key}", lang, args)


# ------------------------------------------------------------------ text
def node_head(node: ExplainNode, lang: str = "en") -> str:
    """`name(args) = value`; `(no value)` for a node whose evaluation failed (its value is
    None although its type is not optional: the tree of a failed output shows how far it
    got)."""
    name = node.name
    if node.args:
        name += "(" + ", ".join(to_text(a) for a in node.args) + ")"
    if type(node.value) is NotApplicable:
        return f"{name} = {_word('not_applicable', lang, reason=node.value.reason)}"
    if node.value is None and not _may_be_none(node.type):
        return f"{name} = {_word('no_value', lang)}"
    return f"{name} = {to_text(node.value, node.type or None)}"


def _may_be_none(type_text: str | None) -> bool:
    text = (type_text or "").strip()
    return text in ("", "none") or text.startswith("optional ")


def citation(node_or_case) -> str | None:
    """`document cite`, either part alone, or None."""
    document = getattr(node_or_case, "document", None)
    cite = getattr(node_or_case, "cite", None)
    parts = [p for p in (document, cite) if p]
    return " ".join(parts) if parts else None


def node_line(node: ExplainNode, lang: str = "en") -> str:
    """`name = value  — label  (detail)  [document citation]`."""
    line = node_head(node, lang)
    if node.label:
        line += f"  — {node.label}"
    detail = node_detail(node, lang)
    if detail:
        line += f"  ({detail})"
    cited = citation(node)
    if cited:
        line += f"  [{cited}]"
    return line


def node_detail(node: ExplainNode, lang: str = "en") -> str | None:
    """Where a parameter's value came from, in `lang`: the date it holds from, for a
    region parameter the region-file entry used, and the day it was read at when that is
    not the evaluation date."""
    if node.since is None and node.region is None:
        return None
    date = node.since.isoformat() if node.since is not None else "?"
    if node.region is None:
        shown = _word("since", lang, date=date)
    else:
        asked, entry = node.region
        region = asked if entry == asked else _word("region_from", lang, region=asked,
                                                    entry=entry)
        shown = _word("region_file", lang, region=region, date=date)
    if node.read_on is not None:
        shown = _word("read_on", lang, date=node.read_on.isoformat(), detail=shown)
    return shown


def case_name(ident: str, lang: str = "en") -> str:
    """`rule` -> `base case`; `rule#outer/inner` -> `exception outer/inner`."""
    if "#" not in ident:
        return _word("base_case", lang)
    return _word("exception", lang, name=ident.split("#", 1)[1])


def case_line(case: CaseOutcome, lang: str = "en", node: ExplainNode | None = None) -> str:
    """One case of the rule `node`: `✓` used, `✗` guard false (the reason is the guard),
    `·` not looked at, `○` its guard held but the case used (an exception below it) won.
    A label or citation that repeats the node's own is left out; a case's citation is shown
    with a document only if the case carries one (`document`, when CaseOutcome has it)."""
    used = node.case if node is not None else None
    overridden = bool(case.applied) and used is not None and case.ident != used
    mark = _MARK["overridden"] if overridden else _MARK[case.applied]
    line = f"{mark} {case_name(case.ident, lang)}"
    if case.label and (node is None or case.label != node.label):
        line += f"  — {case.label}"
    if case.cite and (node is None or case.cite not in (node.cite, citation(node))):
        # Without the document: a case may come from a parent policy while the rule's
        # citation (and so node.document) was amended by the child.
        document = getattr(case, "document", None)
        line += f"  [{' '.join(p for p in (document, case.cite) if p)}]"
    if overridden:
        line += _word("overridden", lang, case=case_name(used, lang))
    elif case.applied is None:
        if case.overridden_by:
            line += _word("not_evaluated_by", lang, case=case_name(case.overridden_by, lang))
        elif case.reason:
            line += _word("not_evaluated_because", lang, reason=case.reason)
        else:
            line += _word("not_evaluated", lang)
    elif case.applied is False:
        reason = case_reason(case, lang)
        line += (_word("not_applied_because", lang, reason=reason) if reason
                 else _word("not_applied", lang))
    elif case.reason:
        line += _word("applied_because", lang, reason=case.reason)
    return line


def case_reason(case: CaseOutcome, lang: str = "en") -> str | None:
    """Why a case did not apply, in `lang`: a row's cell its input failed, whichever
    exception overrode it, or the guard as the policy wrote it."""
    if case.mismatch is not None:
        param, shown, cell = case.mismatch
        return _word("mismatch", lang, param=param, value=shown, cell=cell)
    if case.overridden_by:
        return _word("overridden_by", lang, case=case.overridden_by)
    return case.reason


def _case_lines(node: ExplainNode, lang: str) -> list[str]:
    """The outcome of each case; when the tree lists none but names the case used, that."""
    if node.cases:
        return [case_line(c, lang, node) for c in node.cases]
    if node.case and "#" in node.case:
        return [f"{_MARK[True]} {case_name(node.case, lang)}"]
    return []


def shared_key(node: ExplainNode):
    """What makes two occurrences of a node in a tree "the same node", printed in full once
    and referred to afterwards: a rule with its arguments (the evaluator computes it once
    and hangs the one node under every rule that used it).  Only nodes with children are
    shared; None for the others.  An argument that cannot be hashed (a list of record
    entries) is keyed by its text."""
    if not node.children:
        return None
    try:
        key = (node.kind, node.name, tuple(node.args))
        hash(key)
    except TypeError:
        key = (node.kind, node.name, tuple(to_text(a) for a in node.args))
    return key


def render_tree(node: ExplainNode, lang: str = "en") -> str:
    """The whole tree as indented text (see the module docstring)."""
    with deep_recursion():      # one frame per level of a tree as deep as the evaluation
        return _render_tree(node, lang)


def _render_tree(node: ExplainNode, lang: str) -> str:
    see_above = _word("see_above", lang)
    lines: list[str] = []
    seen: set = set()

    def walk(current: ExplainNode, first_prefix: str, rest_prefix: str) -> None:
        key = shared_key(current)
        if key is not None and key in seen:
            lines.append(f"{first_prefix}{node_head(current, lang)}  {see_above}")
            return
        line = node_line(current, lang)
        lines.append(first_prefix + line)
        if key is not None:
            seen.add(key)
        children = current.children
        bar = "│  " if children else "   "
        for text in _case_lines(current, lang):
            lines.append(f"{rest_prefix}{bar}{text}".rstrip())
        for i, child in enumerate(children):
            last = i == len(children) - 1
            walk(child, rest_prefix + ("└─ " if last else "├─ "),
                 rest_prefix + ("   " if last else "│  "))

    walk(node, "", "")
    return "\n".join(lines)


# ------------------------------------------------------------------ JSON
def case_to_json(case: CaseOutcome) -> dict:
    return {
        "ident": case.ident,
        "label": case.label,
        "cite": case.cite,
        "applied": case.applied,
        "reason": case_reason(case),
    }


def tree_to_json(node: ExplainNode) -> dict:
    """The tree as JSON-able dicts; values follow formatting.to_json by the node's type.

    A sub-tree used in several places (shared_key, the text form's "see above") is written
    in full once, at its first place in depth-first order, with an "id" (1, 2, ... in that
    order); every later place is a small reference to it:
    `{"ref": id, "kind": ..., "name": ..., "args": [...], "value": ...}`.
    Without this a tree whose rules share sub-rules would grow exponentially."""
    with deep_recursion():
        return _tree_to_json(node)


def _tree_to_json(node: ExplainNode) -> dict:
    repeated = _repeated_keys(node)
    ids: dict = {}

    def convert(current: ExplainNode) -> dict:
        key = shared_key(current)
        if key is not None and key in ids:
            return {"ref": ids[key], "kind": current.kind, "name": current.name,
                    "args": [to_json(a) for a in current.args],
                    **_value_json(current)}
        out: dict = {}
        if key in repeated:
            ids[key] = out["id"] = len(ids) + 1
        out.update({
            "kind": current.kind,
            "name": current.name,
            "args": [to_json(a) for a in current.args],
            **_value_json(current),
            "type": current.type,
            "label": current.label,
            "cite": current.cite,
            "document": current.document,
            "detail": node_detail(current),
            "read_on": current.read_on.isoformat() if current.read_on is not None else None,
            "case": current.case,
            "cases": [case_to_json(c) for c in current.cases],
        })
        out["children"] = [convert(c) for c in current.children]
        return out

    return convert(node)


def _value_json(node: ExplainNode) -> dict:
    """`"value"`; for an outcome "not applicable", null and `"not_applicable": reason`."""
    if type(node.value) is NotApplicable:
        return {"value": None, "not_applicable": node.value.reason}
    return {"value": to_json(node.value, node.type or None)}


def _repeated_keys(root: ExplainNode) -> set:
    """The shared keys that occur in more than one place; each distinct sub-tree is looked
    into once, so this is linear in the size of the tree as printed, not as unfolded."""
    seen: set = set()
    repeated: set = set()
    todo = [root]
    while todo:
        current = todo.pop()
        key = shared_key(current)
        if key is not None:
            if key in seen:
                repeated.add(key)
                continue
            seen.add(key)
        todo.extend(current.children)
    return repeated
