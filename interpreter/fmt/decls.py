"""Declarations: the canonical layout of a policy file, statement by statement.

The layout is the house style of policies/*.policy: two spaces a level; a block's
header line ends in `{` and its `}` stands alone; one statement a line inside (each
attribute, field, enum member, dated value, `when`, `=`, table row); declarations one
blank line apart.  Strings (labels, citations, notes) are copied as written, escapes and
all: the AST keeps them unescaped, so they are read from the source text.

Each statement is handed to lines.Lines with its source extent, which threads the
comments around it; an expression statement's own comments go through exprs.ExprPrinter.
"""
from __future__ import annotations

from .. import nodes
from .exprs import IF, SUM, ExprPrinter, Item, is_chain, literal_text
from .lines import Lines
from .scan import close_brace, next_code, open_brace, past_parens, strings

INDENT = 2


def type_text(t) -> str:
    if isinstance(t, nodes.OptionalType):
        return "optional " + type_text(t.inner)
    if isinstance(t, nodes.ListType):
        return "list of " + type_text(t.inner)
    if isinstance(t, nodes.HistoryType):
        return "history of " + t.record
    return t.name


class Printer:
    def __init__(self, text: str, notes):
        self.text = text
        self.lines = Lines(text, notes)

    # ------------------------------------------------------------ the file
    def file(self, policy: nodes.PolicyFile) -> str:
        self._header(policy.header)
        for item in policy.items:
            getattr(self, "_" + type(item).__name__)(item, 0)
        return self.lines.finish()

    def _header(self, h: nodes.Header) -> None:
        head = f"policy {h.policy_id}" + (f" extends {h.extends}" if h.extends else "")
        self._open(h.span.start, 0, head, blank="keep")
        for entry in h.entries:
            self._plain(entry.span.start, entry.span.end, INDENT,
                        f"{entry.key} {self._entry_value(entry)}")
        self._close(h.span.end, 0)

    def _entry_value(self, entry: nodes.HeaderEntry) -> str:
        if entry.kind == "text":
            return strings(self.text, entry.span.start, entry.span.end)[0]
        if entry.kind == "range":
            return f"{entry.value[0].isoformat()} until {entry.value[1].isoformat()}"
        if entry.kind == "date":
            return entry.value.isoformat()
        return str(entry.value)

    # ------------------------------------------------------------ blocks
    def _open(self, start: int, indent: int, head: str, blank: str = "one") -> int:
        """The header line of a block, from `start` to its `{`; returns the offset after
        the `{`.  Comments within the header line go on their own lines before it."""
        brace = open_brace(self.text, start)
        self._plain(start, brace + 1, indent, head + " {", blank=blank, opens=True)
        return brace + 1

    def _close(self, end: int, indent: int) -> None:
        """The `}` ending at `end`; comments before it stay inside the block."""
        self.lines.lead(end - 1, indent + INDENT, blank="none")
        out = self.lines.out
        if out and out[-1].endswith("{") and not self.lines.commented \
                and self.lines.opened:
            out[-1] += " }"            # an empty block, with no comment in it: `{ }`
            self.lines.put([], end)
            return
        self._plain(end - 1, end, indent, "}", blank="none")

    def _plain(self, start: int, end: int, indent: int, text: str, blank: str = "keep",
               opens: bool = False) -> None:
        """A statement with no expression: any comment inside it is hoisted."""
        inside = self.lines.begin(start, end, indent, blank)
        self.lines.hoist(inside, indent)
        self.lines.put([" " * indent + text], end, opens)

    def _statement(self, start: int, end: int, indent: int, items, roots,
                   tail: str = "") -> None:
        """A statement printed by packing the items `items(printer)` gives (the first
        holds its leading words); `roots` are its expressions, where its inner comments
        may be threaded."""
        end = past_parens(self.text, end)
        inside = self.lines.begin(start, end, indent)
        printer = ExprPrinter(self.text, roots, inside)
        self.lines.hoist(printer.hoisted, indent)
        lines = printer.fill(items(printer), indent, indent + INDENT)
        lines[0] = " " * indent + lines[0]
        lines[-1] += tail
        self.lines.put(lines, end)

    def _expr(self, indent: int, prefix: str, expr, end: int | None = None,
              tail: str = "", start: int | None = None) -> None:
        """`prefix expr` as a statement beginning at the next token: `when ...`, `= ...`;
        an and/or chain at its top is packed with continuation lines at indent + 2."""
        start = next_code(self.text, self.lines.pos) if start is None else start
        end = expr.span.end if end is None else end
        def items(printer: ExprPrinter) -> list[Item]:
            if is_chain(expr):
                return printer.chain_items(expr, prefix)
            return [Item(prefix, expr, IF, cont=indent + INDENT)]

        self._statement(start, end, indent, items, [expr], tail)

    def _keyword(self, indent: int, word: str) -> None:
        start = next_code(self.text, self.lines.pos)
        self._plain(start, start + len(word), indent, word)

    def _attrs(self, attrs: nodes.Attrs, indent: int) -> None:
        for name, _, span in attrs.written:
            raw = self._strings(span.start, span.end)
            text = f"{name} {raw[0]}" + (f" in {raw[1]}" if len(raw) > 1 else "")
            self._plain(span.start, span.end, indent, text)

    def _strings(self, start: int, end: int) -> list[str]:
        return strings(self.text, start, end)

    # ------------------------------------------------------------ declarations
    def _EnumDecl(self, d: nodes.EnumDecl, indent: int) -> None:
        head = _override(d) + f"enum {d.name}" + self._label_after(d)
        self._open(d.span.start, indent, head)
        for m in d.members:
            raw = self._strings(m.span.start, m.span.end)
            text = m.name
            if m.value is not None:
                text += " = " + raw.pop(0)
            if raw:
                text += " " + raw[0]
            self._plain(m.span.start, m.span.end, indent + INDENT, text)
        self._close(d.span.end, indent)

    def _label_after(self, d) -> str:
        """The label written between a declaration's name and its `{`."""
        if d.label is None:
            return ""
        brace = open_brace(self.text, d.name_span.end)
        return " " + self._strings(d.name_span.end, brace)[0]

    def _RecordDecl(self, d: nodes.RecordDecl, indent: int) -> None:
        self._open(d.span.start, indent, _override(d) + f"record {d.name}" + self._label_after(d))
        self._fields(d.fields, indent + INDENT)
        self._close(d.span.end, indent)

    def _InputDecl(self, d: nodes.InputDecl, indent: int) -> None:
        self._open(d.span.start, indent, f"input {d.name}")
        self._fields(d.fields, indent + INDENT)
        self._close(d.span.end, indent)

    def _fields(self, fields, indent: int) -> None:
        for f in fields:
            head = _override(f) + f"{f.name}: {type_text(f.type)}"
            if f.label is not None:
                stop = f.default.span.start if f.default is not None else f.span.end
                head += " " + self._strings(f.type.span.end, stop)[0]
            if f.default is None:
                self._plain(f.span.start, f.span.end, indent, head)
            else:
                self._expr(indent, head + " default ", f.default,
                           end=max(f.span.end, f.default.span.end), start=f.span.start)

    def _ParameterDecl(self, d: nodes.ParameterDecl, indent: int) -> None:
        head = _override(d) + f"parameter {d.name}: {type_text(d.type)}"
        if d.keys:
            head += " by " + ", ".join(d.keys)
        self._open(d.span.start, indent, head)
        inner = indent + INDENT
        self._attrs(d.attrs, inner)
        if d.required:
            self._keyword(inner, "required")
        for v in d.values:
            self._expr(inner, f"from {v.start.isoformat()}: ", v.expr,
                       end=max(v.span.end, v.expr.span.end), start=v.span.start)
        self._close(d.span.end, indent)

    def _RuleDecl(self, d: nodes.RuleDecl, indent: int) -> None:
        head = _override(d) + ("output " if d.is_output else "rule ") + d.name
        head += _params(d.params) + f": {type_text(d.type)}" + _for(d.record_kind)
        self._open(d.span.start, indent, head)
        inner = indent + INDENT
        self._attrs(d.attrs, inner)
        if d.required:
            self._keyword(inner, "required")
        else:
            self._case(d.guard, d.body, inner)
            for e in d.exceptions:
                self._exception(e, inner)
        self._close(d.span.end, indent)

    def _case(self, guard, body, indent: int) -> None:
        if guard is not None:
            self._expr(indent, "when ", guard)
        self._expr(indent, "= ", body)

    def _exception(self, e: nodes.ExceptionCase, indent: int, override: bool = False) -> None:
        if override:
            # The transformer rebuilds an `override exception` without its position;
            # it starts at the next token and ends at the brace matching its own.
            start = next_code(self.text, self.lines.pos)
            end = close_brace(self.text, open_brace(self.text, start)) + 1
        else:
            start, end = e.span.start, e.span.end
        self._open(start, indent, ("override " if override else "") + f"exception {e.name}",
                   blank="keep")
        inner = indent + INDENT
        self._attrs(e.attrs, inner)
        self._case(e.guard, e.body, inner)
        for nested in e.exceptions:
            self._exception(nested, inner)
        self._close(end, indent)

    def _TableDecl(self, d: nodes.TableDecl, indent: int) -> None:
        head = _override(d) + f"table {d.name}" + _params(d.params)
        head += f": {type_text(d.type)}" + _for(d.record_kind)
        self._open(d.span.start, indent, head)
        inner = indent + INDENT
        self._attrs(d.attrs, inner)
        start = next_code(self.text, self.lines.pos)
        self._plain(start, d.hit_span.end, inner, "hit " + d.hit)
        for row in d.rows:
            self._row(row, inner)
        if d.otherwise is not None:
            self._expr(inner, "otherwise => ", d.otherwise)
        self._close(d.span.end, indent)

    def _row(self, row: nodes.TableRow, indent: int) -> None:
        printer = ExprPrinter(self.text, [], [])
        cells = ", ".join(self._cell(c, printer) for c in row.cells)
        tail = ""
        if row.cite is not None:
            tail = " cite " + self._strings(row.result.span.end, row.span.end)[-1]
        self._expr(indent, f"row {row.name}: {cells} => ", row.result, end=row.span.end,
                   tail=tail, start=row.span.start)

    @staticmethod
    def _cell(cell: nodes.Cell, printer: ExprPrinter) -> str:
        if cell.kind == "any":
            return "-"
        if cell.kind == "compare":
            return f"{cell.op} {printer.flat(cell.value, SUM)}"
        if cell.kind == "range":
            return f"{printer.flat(cell.value, SUM)} .. {printer.flat(cell.high, SUM)}"
        return printer.flat(cell.value, SUM)

    def _MeasureDecl(self, d: nodes.MeasureDecl, indent: int) -> None:
        head = _override(d) + f"measure {d.name}: {type_text(d.type)}" + _for(d.record_kind)
        self._open(d.span.start, indent, head)
        inner = indent + INDENT
        self._attrs(d.attrs, inner)
        start = next_code(self.text, self.lines.pos)
        if d.kind == "count":
            if d.where is None:
                end = next_code(self.text, start + 1) + len("count")
                self._plain(start, end, inner, "= count")
            else:
                self._expr(inner, "= count where ", d.where, start=start)
        else:
            second = "among " if d.kind == "share" else "where "
            items = [Item(f"= {d.kind} ", d.value, IF)]
            if d.where is not None:
                items.append(Item(second, d.where, IF))
            last = d.where if d.where is not None else d.value
            self._statement(start, last.span.end, inner, lambda _: items, [d.value, d.where])
        if d.target is not None:
            start = next_code(self.text, self.lines.pos)
            self._plain(start, d.target.span.end, inner,
                        f"target {d.target_op} {literal_text(d.target)}")
        self._close(d.span.end, indent)

    def _AmendDecl(self, d: nodes.AmendDecl, indent: int) -> None:
        self._open(d.span.start, indent, f"amend {d.name}")
        self._amend_body(d, indent + INDENT)
        self._close(d.span.end, indent)

    def _amend_body(self, d, indent: int) -> None:
        self._attrs(d.attrs, indent)
        # The AST keeps named, added and replaced exceptions apart; the source order of
        # the three kinds is restored by position (a replaced one by its guard's).
        parts = [(p.span.start, 0, p) for p in d.exceptions]
        parts += [(p.span.start, 1, p) for p in d.added]
        parts += [(p.guard.span.start, 2, p) for p in d.replaced]
        for _, kind, part in sorted(parts, key=lambda t: t[0]):
            if kind == 0:
                self._open(part.span.start, indent, f"exception {part.name}", blank="keep")
                self._amend_body(part, indent + INDENT)
                self._close(part.span.end, indent)
            else:
                self._exception(part, indent, override=kind == 2)


def _override(d) -> str:
    return "override " if getattr(d, "override", False) else ""


def _for(record_kind) -> str:
    return f" for {record_kind}" if record_kind else ""


def _params(params) -> str:
    if not params:
        return ""
    shown = []
    for p in params:
        bound = f" >= {p.lower_bound}" if p.lower_bound is not None else ""
        shown.append(f"{p.name}: {type_text(p.type)}{bound}")
    return "(" + ", ".join(shown) + ")"
