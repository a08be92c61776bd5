"""Every word the language server shows, in the user's language: diagnostics (worded by
render_diagnostics, as `yibao check` words them), hovers in Markdown, and the short
descriptions of completions and outline entries.  The one module of the server that reads
the catalog (interpreter/messages_show.py, keys `lsp.*`), as render_diagnostics and
explain_render are for the rest of yibao.
"""
from __future__ import annotations

from lsprotocol import types

from .. import nodes
from ..diagnostics import Diagnostic
from ..messages import text_for
from ..model import Model, Param
from ..render_diagnostics import hint_texts, message
from .locate import Target

LANGS = ("en", "zh")


def _word(key: str, lang: str, **args) -> str:
    return text_for(f"lsp.{key}", lang, args)


def language_of(locale: str | None) -> str | None:
    """The catalog language for a client's locale (`zh-cn`, `zh-tw`, `en-us`), if any."""
    if not locale:
        return None
    head = locale.strip().lower().replace("_", "-").split("-")[0]
    return head if head in LANGS else None


# ------------------------------------------------------------------ diagnostics
_SEVERITY = {"error": types.DiagnosticSeverity.Error,
             "warning": types.DiagnosticSeverity.Warning}


def lsp_diagnostic(diag: Diagnostic, where: types.Range, lang: str) -> types.Diagnostic:
    """A diagnostic as the editor shows it: the message `yibao check` prints, then each
    hint on its own line, labelled as the command line labels it."""
    text = message(diag, lang)
    label = text_for("diag.hint", lang, {})
    for hint in hint_texts(diag, lang):
        text += f"\n{label}: {hint}"
    if diag.data_path:
        text = f"{diag.data_path}: {text}"
    return types.Diagnostic(range=where, message=text, code=diag.code, source="yibao",
                            severity=_SEVERITY.get(diag.severity,
                                                   types.DiagnosticSeverity.Information))


# ------------------------------------------------------------------ short descriptions
def kind_word(target: Target, lang: str) -> str:
    if target.kind in ("field", "member"):
        return _word(target.kind, lang, owner=target.owner or "?")
    return _word(target.kind, lang)


def describe(kind: str, lang: str, **args) -> str:
    """What a completion or outline entry is (`parameter`, `exception`, ...)."""
    return _word(kind, lang, **args)


def keyword_word(lang: str) -> str:
    return _word("keyword", lang)


# ------------------------------------------------------------------ hovers
def hover_markdown(model: Model, target: Target, lang: str) -> str:
    """What hovering over a name shows: its name and label, what it is and its type, then
    its citation (and the document cited, when not the policy's own), note, and for a
    parameter its dated values as written."""
    info = target.info
    label = _label_of(info)
    head = f"`{target.name}`" + (f" — {_md(label)}" if label else "")
    facts = [f"*{_md(kind_word(target, lang))}*"]
    type_text = target.type_text
    if type_text:
        facts.append(f"{_word('type', lang)}: `{type_text}`")
    origin = getattr(info, "origin", None)
    if origin is not None:
        facts.append(_word("declared_in", lang, policy=_declared_in(info)))
    decl = getattr(info, "decl", None)
    kind = getattr(decl, "record_kind", None)
    if kind:
        facts.append(_word("reads_kind", lang, kind=kind))
    blocks = [head, " · ".join(facts)]
    attrs = getattr(info, "attrs", None)
    if isinstance(attrs, nodes.Attrs):
        blocks.extend(_attribute_blocks(model, info, attrs, lang))
    if isinstance(info, Param):
        blocks.extend(_parameter_blocks(model, info, lang))
    elif isinstance(info, nodes.EnumDecl):
        blocks.append(_list_block(_word("members", lang), [
            f"`{m.name}`" + (f" — {_md(m.label)}" if m.label else "") for m in info.members]))
    elif isinstance(info, (nodes.RecordDecl, nodes.InputDecl)):
        fields = info.fields if isinstance(info, nodes.RecordDecl) else \
            list(model.inputs.get(info.name, {}).values())
        blocks.append(_list_block(_word("fields", lang), [
            f"`{f.name}`: `{model.source_text(f.type)}`" + (f" — {_md(f.label)}" if f.label
                                                            else "") for f in fields]))
    elif isinstance(info, nodes.EnumMember) and info.value is not None:
        blocks.append(_word("value_in_records", lang, value=f"`{info.value}`"))
    elif isinstance(info, nodes.FieldDecl) and info.default is not None:
        blocks.append(f"**{_word('default', lang)}** `{model.source_text(info.default)}`")
    elif isinstance(info, nodes.ExceptionCase):
        blocks.append(f"**when** `{_md(model.source_text(info.guard))}`")
    elif isinstance(info, nodes.TableRow) and info.cite:
        blocks.append(f"**{_word('cite', lang)}** {_md(info.cite)}")
    elif isinstance(info, nodes.Header):
        title, document = info.get("title"), info.get("document")
        blocks.extend(_md(str(v)) for v in (title, document) if v)
    return "\n\n".join(b for b in blocks if b)


def _label_of(info) -> str | None:
    attrs = getattr(info, "attrs", None)
    if isinstance(attrs, nodes.Attrs):
        return attrs.label
    return getattr(info, "label", None)


def _declared_in(info) -> str:
    defined = getattr(info, "defined_in", None) or info.origin
    return defined.policy_id


def _attribute_blocks(model: Model, info, attrs: nodes.Attrs, lang: str) -> list[str]:
    blocks = []
    if attrs.cite:
        # The article is in the document of the policy that wrote the citation (an
        # amend re-cites into its own), unless `cite "..." in "文号"` names another.
        origin = getattr(info, "origin", None)      # an exception has none of its own
        document = attrs.cite_document or (origin.document if origin is not None else None)
        cite = f"**{_word('cite', lang)}** {_md(attrs.cite)}"
        if document:
            cite += f" ({_md(_word('cite_in', lang, document=document))})"
        blocks.append(cite)
    if attrs.note:
        blocks.append(f"**{_word('note', lang)}** {_md(attrs.note)}")
    return blocks


def _parameter_blocks(model: Model, param: Param, lang: str) -> list[str]:
    decl = param.decl
    blocks = []
    if param.by_region:
        blocks.append(_word("by_region", lang))
    elif decl.keys:
        blocks.append(_word("by_keys", lang, keys=", ".join(f"`{k}`" for k in decl.keys)))
    if decl.required:
        blocks.append(_word("required", lang, policy=param.origin.policy_id))
    if decl.values:
        # As written in the policy: the author's own literals (`3000 元`, `20%`).
        lines = [f"from {v.start.isoformat()}: {model.source_text(v.expr)}"
                 for v in decl.values]
        blocks.append(f"**{_word('values', lang)}**\n\n```yibao\n" + "\n".join(lines) + "\n```")
    return blocks


def _list_block(title: str, items: list[str]) -> str:
    if not items:
        return ""
    return f"**{title}**\n\n" + "\n".join(f"- {item}" for item in items)


def _md(text: str) -> str:
    """Text from a policy, shown literally: Markdown's active characters escaped."""
    out = []
    for ch in str(text):
        if ch in "\\`*_[]<>#|":
            out.append("\\")
        out.append(ch)
    return "".join(out)
