"""Parse tree -> AST (nodes.py).  The only code that knows the grammar's tree shapes.

Trees and tokens are used by duck typing (`.data`, `.children`, `.meta`; `.type`,
`.value`), so lark stays confined to parser.py.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from . import nodes
from .diagnostics import Diagnostic, DiagnosticError, Hint, shorten
from .limits import (INT_MAX, INT_MIN, MAX_FRACTION_DIGITS, MAX_INT_DIGITS, MAX_MAGNITUDE_DIGITS,
                     MAX_SIGNIFICANT_DIGITS, MONEY_MAGNITUDE_DIGITS)
from .source import SourceFile, Span
from .values import Duration

ATTRIBUTES = ("label", "cite", "note", "key")
# An amount of money is whole cents (limits.MONEY_MAGNITUDE_DIGITS): 分 are the smallest unit
# records, outputs and explanations show.  A local limit: limits.py has none for it.
MONEY_FRACTION_DIGITS = 2
_BINARY_WORDS = {"or_op": "or", "and_op": "and", "in_op": "in", "not_in_op": "not in"}

# The words of the grammar (docs/language.md §1).  The contextual lexer reads a keyword as a
# NAME wherever no keyword is expected (`rule if: int`), so declared names are checked here;
# tests/test_policy_hardening.py keeps this set equal to the grammar's own words.
KEYWORDS = frozenset("""
    policy extends enum record input parameter rule output exception amend override required
    label cite note key from until by when if then else and or not in is none exists on true
    false optional list history of default for table hit row otherwise unique collect measure
    share among target where count sum min max first last streak any all applicable
    because""".split())
# Identities have `from`/`to`, and enums may have a member `none` (`Employment.none`).
FIELD_KEYWORDS = frozenset({"from", "none"})


def _plain_exception(tree):
    """An `override exception` without its OVERRIDE token: the tree of a plain exception."""
    return type(tree)("exception", [c for c in tree.children
                                    if not (not _is_tree(c) and c.type == "OVERRIDE")])


def _is_tree(x) -> bool:
    return hasattr(x, "data")


class _Builder:
    def __init__(self, source: SourceFile):
        self.source = source
        self.problems: list[Diagnostic] = []

    # ------------------------------------------------------------ positions
    def span(self, item) -> Span:
        if item is None:
            return Span(self.source.path, 0, 0, 0, 0)
        if _is_tree(item):
            meta = item.meta
            if getattr(meta, "empty", True):
                return Span(self.source.path, 0, 0, 0, 0)
            return Span(self.source.path, meta.line, meta.column, meta.end_line,
                        meta.end_column, meta.start_pos, meta.end_pos)
        return Span(self.source.path, item.line, item.column, item.end_line, item.end_column,
                    item.start_pos, item.end_pos)

    # ------------------------------------------------------------ file level
    def policy(self, tree, comments) -> nodes.PolicyFile:
        header_tree, *item_trees = tree.children
        header = self.header(header_tree)
        items = tuple(self.item(t) for t in item_trees)
        return nodes.PolicyFile(self.source.path, header, items, tuple(comments))

    def header(self, tree) -> nodes.Header:
        policy_id, extends, *entries = tree.children
        return nodes.Header(self.span(tree), str(policy_id),
                            str(extends) if extends is not None else None,
                            tuple(self.header_entry(e) for e in entries),
                            self.span(extends) if extends is not None else None)

    def header_entry(self, tree) -> nodes.HeaderEntry:
        key, value = tree.children
        span = self.span(tree)
        if value.data == "hv_text":
            return nodes.HeaderEntry(span, str(key), self.string(value.children[0]), "text")
        if value.data == "hv_name":
            return nodes.HeaderEntry(span, str(key), str(value.children[0]), "name")
        if value.data == "hv_date":
            return nodes.HeaderEntry(span, str(key), self.date(value.children[0]), "date")
        start, end = value.children
        return nodes.HeaderEntry(span, str(key), (self.date(start), self.date(end)), "range")

    def item(self, tree):
        return getattr(self, tree.data)(tree)

    # ------------------------------------------------------------ declarations
    def amend_decl(self, tree) -> nodes.AmendDecl:
        name, *rest = tree.children
        attrs, nested, added, replaced = self._amend_parts(rest, str(name) + "#")
        return nodes.AmendDecl(self.span(tree), str(name), self.span(name), attrs,
                               nested, added, replaced)

    def amend_exception(self, tree, prefix: str) -> nodes.AmendException:
        name, *rest = tree.children
        ident = prefix + str(name)
        attrs, nested, added, replaced = self._amend_parts(rest, ident + "/")
        return nodes.AmendException(self.span(tree), str(name), ident, attrs, nested,
                                    added, replaced)

    def _amend_parts(self, children, prefix: str):
        """An amend's attributes, the exceptions it names, adds and replaces."""
        attrs = [c for c in children if c.data in ATTRIBUTES]
        nested = tuple(self.amend_exception(c, prefix) for c in children
                       if c.data == "amend_exception")
        added = tuple(self.exception(c, prefix) for c in children if c.data == "exception")
        replaced = tuple(self.exception(_plain_exception(c), prefix) for c in children
                         if c.data == "override_exception")
        return self.attrs(attrs), nested, added, replaced

    def enum_decl(self, tree) -> nodes.EnumDecl:
        override, name, label, *members = tree.children
        return nodes.EnumDecl(
            self.span(tree), self.declared(name), self.span(name),
            self.opt_string(label),
            tuple(nodes.EnumMember(self.span(m), self.declared_field(m.children[0]),
                                   self.opt_string(m.children[2]),
                                   self.opt_string(m.children[1])) for m in members),
            override is not None)

    def record_decl(self, tree) -> nodes.RecordDecl:
        override, name, label, *fields = tree.children
        return nodes.RecordDecl(self.span(tree), self.declared(name), self.span(name),
                                self.opt_string(label),
                                tuple(self.field_decl(f) for f in fields), override is not None)

    def input_decl(self, tree) -> nodes.InputDecl:
        name, *fields = tree.children
        return nodes.InputDecl(self.span(tree), self.declared(name), self.span(name),
                               tuple(self.field_decl(f) for f in fields))

    def field_decl(self, tree) -> nodes.FieldDecl:
        override, name, type_tree, label, default = tree.children
        return nodes.FieldDecl(self.span(tree), self.declared_field(name),
                               self.span(name),
                               self.type(type_tree), self.opt_string(label),
                               self.expr(default) if default is not None else None,
                               override is not None)

    def parameter_decl(self, tree) -> nodes.ParameterDecl:
        override, name, type_tree, *rest = tree.children
        # `by KEY, KEY ...` come first, as tokens (or one None when absent).
        first_tree = next((i for i, c in enumerate(rest) if c is not None and _is_tree(c)),
                          len(rest))
        key_tokens = [k for k in rest[:first_tree] if k is not None]
        keys = [str(k) for k in key_tokens]
        rest = rest[first_tree:]
        body = rest.pop()
        attrs = self.attrs(rest)
        required = body.data == "param_required"
        values = () if required else tuple(
            nodes.DatedValue(self.span(v), self.date(v.children[0]), self.expr(v.children[1]))
            for v in body.children)
        return nodes.ParameterDecl(self.span(tree), self.declared(name),
                                   self.span(name),
                                   self.type(type_tree), tuple(keys), attrs, required, values,
                                   override is not None,
                                   key_spans=tuple(self.span(k) for k in key_tokens))

    def rule_decl(self, tree) -> nodes.RuleDecl:
        override, kind, name, params, type_tree, record_kind, *rest = tree.children
        body = rest.pop()
        attrs = self.attrs(rest)
        self.declared(name)
        record_kind = str(record_kind) if record_kind is not None else None
        rule_params = ()
        if params is not None:
            rule_params = tuple(self.rule_param(p) for p in params.children)
        is_output = str(kind.children[0]) == "output"
        if body.data == "rule_required":
            return nodes.RuleDecl(self.span(tree), str(name), self.span(name), is_output,
                                  rule_params, self.type(type_tree), attrs, True, None, None, (),
                                  override is not None, record_kind)
        guard, value, *exceptions = body.children
        return nodes.RuleDecl(
            self.span(tree), str(name), self.span(name), is_output, rule_params,
            self.type(type_tree), attrs, False,
            self.expr(guard) if guard is not None else None, self.expr(value),
            tuple(self.exception(e, str(name) + "#") for e in exceptions), override is not None,
            record_kind)

    def table_decl(self, tree) -> nodes.TableDecl:
        override, name, params, type_tree, record_kind, *rest = tree.children
        otherwise = rest.pop() if rest and (rest[-1] is None or rest[-1].data == "otherwise") \
            else None
        attrs = [c for c in rest if c.data in ATTRIBUTES]
        hit = next(c for c in rest if c.data == "hit_policy")
        rows = [c for c in rest if c.data == "table_row"]
        prefix = self.declared(name) + "#"
        return nodes.TableDecl(
            self.span(tree), str(name), self.span(name),
            tuple(self.rule_param(p) for p in params.children), self.type(type_tree),
            self.attrs(attrs), " ".join(str(t) for t in hit.children),
            tuple(self.table_row(r, prefix) for r in rows),
            self.expr(otherwise.children[0]) if otherwise is not None else None,
            override is not None, str(record_kind) if record_kind is not None else None,
            hit_span=self.span(hit))

    def table_row(self, tree, prefix: str) -> nodes.TableRow:
        name, *rest = tree.children
        cite = rest.pop()
        result = rest.pop()
        self.declared(name)
        return nodes.TableRow(self.span(tree), str(name), prefix + str(name),
                              tuple(self.cell(c) for c in rest), self.expr(result),
                              self.string(cite.children[0]) if cite is not None else None)

    def cell(self, tree) -> nodes.Cell:
        span = self.span(tree)
        if tree.data == "cell_any":
            return nodes.Cell(span, "any")
        if tree.data == "cell_compare":
            op, value = tree.children
            return nodes.Cell(span, "compare", str(op), self.expr(value))
        if tree.data == "cell_range":
            low, high = tree.children
            return nodes.Cell(span, "range", None, self.expr(low), self.expr(high))
        return nodes.Cell(span, "equal", None, self.expr(tree.children[0]))

    def measure_decl(self, tree) -> nodes.MeasureDecl:
        override, name, type_tree, record_kind, *rest = tree.children
        target = rest.pop()
        body = rest.pop()
        attrs = self.attrs(rest)
        parts = list(body.children) + [None, None]
        value, where = (None, parts[0]) if body.data == "measure_count" else (parts[0], parts[1])
        kind = body.data.split("_", 1)[1]
        opt = lambda x: self.expr(x) if x is not None else None  # noqa: E731
        return nodes.MeasureDecl(
            self.span(tree), self.declared(name), self.span(name), self.type(type_tree), attrs,
            kind, opt(value), opt(where),
            str(target.children[0]) if target is not None else None,
            self.expr(target.children[1]) if target is not None else None,
            override is not None, str(record_kind) if record_kind is not None else None)

    def rule_param(self, p) -> nodes.RuleParam:
        bound = p.children[2]
        return nodes.RuleParam(self.span(p), self.declared(p.children[0]),
                               self.type(p.children[1]),
                               self.int_value(bound, bound) if bound is not None else None)

    def exception(self, tree, prefix: str) -> nodes.ExceptionCase:
        name, *rest = tree.children
        self.declared(name)
        attrs = [c for c in rest if _is_tree(c) and c.data in ATTRIBUTES]
        others = [c for c in rest if not (_is_tree(c) and c.data in ATTRIBUTES)]
        guard, value, *nested = others
        ident = prefix + str(name)
        return nodes.ExceptionCase(self.span(tree), str(name), ident, self.attrs(attrs),
                                   self.expr(guard), self.expr(value),
                                   tuple(self.exception(n, ident + "/") for n in nested))

    def attrs(self, trees) -> nodes.Attrs:
        found: dict[str, str] = {}
        written = []
        document = None
        for t in trees:
            if t.data in found:
                self.problems.append(Diagnostic.error("Y101", self.span(t), attribute=t.data))
            found[t.data] = self.string(t.children[0])
            if t.data == "cite":
                document = self.opt_string(t.children[1])
            written.append((t.data, found[t.data], self.span(t)))
        return nodes.Attrs(found.get("label"), found.get("cite"), found.get("note"),
                           found.get("key"), document, tuple(written))

    # ------------------------------------------------------------ types
    def type(self, tree) -> nodes.TypeRef:
        span = self.span(tree)
        if tree.data == "t_named":
            return nodes.NamedType(span, str(tree.children[0]))
        if tree.data == "t_optional":
            return nodes.OptionalType(span, self.type(tree.children[0]))
        if tree.data == "t_list":
            return nodes.ListType(span, self.type(tree.children[0]))
        return nodes.HistoryType(span, str(tree.children[0]))

    # ------------------------------------------------------------ expressions
    def expr(self, item) -> nodes.Expr:
        if not _is_tree(item):  # a bare NAME is inlined by `?atom` only via the `name` alias
            return nodes.Name(self.span(item), str(item))
        method = getattr(self, "e_" + item.data, None)
        if method is None:
            method = self.e_binary_word
        return method(item)

    def e_not_applicable(self, t):
        (reason,) = t.children
        return nodes.NotApplicable(self.span(t), self.string(reason))

    def e_if_expr(self, t):
        c, a, b = t.children
        return nodes.IfThenElse(self.span(t), self.expr(c), self.expr(a), self.expr(b))

    def e_binary_word(self, t):
        left, right = t.children
        return nodes.Binary(self.span(t), _BINARY_WORDS[t.data], self.expr(left), self.expr(right))

    def e_not_op(self, t):
        return nodes.Unary(self.span(t), "not", self.expr(t.children[0]))

    def e_compare(self, t):
        left, op, right = t.children
        return nodes.Binary(self.span(t), str(op), self.expr(left), self.expr(right))

    e_arith = e_compare

    def e_is_none(self, t):
        return nodes.IsNone(self.span(t), self.expr(t.children[0]), False)

    def e_is_not_none(self, t):
        return nodes.IsNone(self.span(t), self.expr(t.children[0]), True)

    def e_negate(self, t):
        return nodes.Unary(self.span(t), "-", self.expr(t.children[0]))

    def e_on_date(self, t):
        target, when = t.children
        return nodes.OnDate(self.span(t), self.expr(target), self.expr(when))

    def e_attribute_of(self, t):
        target, name = t.children
        return nodes.Attribute(self.span(t), self.expr(target), self.field_name(name))

    def e_index(self, t):
        target, index = t.children
        return nodes.Index(self.span(t), self.expr(target), self.expr(index))

    def e_call(self, t):
        callee, *args = t.children
        args = [a for a in args if a is not None]
        return nodes.Call(self.span(t), str(callee.children[0]), tuple(self.expr(a) for a in args),
                          function_span=self.span(callee.children[0]))

    def e_name(self, t):
        return nodes.Name(self.span(t), str(t.children[0]))

    def e_list_literal(self, t):
        return nodes.ListLiteral(self.span(t),
                                 tuple(self.expr(c) for c in t.children if c is not None))

    def e_exists(self, t):
        return nodes.Exists(self.span(t), self.expr(t.children[0]))

    def e_aggregate(self, t):
        kind, var, source, where, value, default = t.children
        if source.data == "year_range":
            low, high = source.children
            src = nodes.YearRange(self.span(source), self.expr(low), self.expr(high))
        else:
            src = self.expr(source.children[0])
        opt = lambda x: self.expr(x) if x is not None else None  # noqa: E731
        self.declared(var)
        return nodes.Aggregate(self.span(t), str(kind.children[0]), str(var), src, opt(where),
                               opt(value), opt(default), var_span=self.span(var))

    # literals
    def _literal(self, t, kind, value):
        return nodes.Literal(self.span(t), kind, value, str(t.children[0]))

    def e_money(self, t):
        text = str(t.children[0]).replace("元", "").replace("¥", "").strip()
        return self._literal(t, "money", self.number(t, text, money=True))

    def e_percent(self, t):
        text = str(t.children[0]).rstrip("%")
        return self._literal(t, "percent", self.number(t, text) / 100)

    def e_date(self, t):
        return self._literal(t, "date", self.date(t.children[0]))

    def e_duration(self, t):
        text = str(t.children[0])
        count = len(text) - len(text.lstrip("0123456789"))
        digits, unit = text[:count], text[count:].strip()
        per = 12 if unit in ("年", "year", "years") else 1
        # The length is checked before int(): Python refuses to convert over 4300 digits.
        if len(digits) > MAX_INT_DIGITS or int(digits) * per > INT_MAX:
            self.problems.append(Diagnostic.error("Y037", self.span(t), text=shorten(text),
                                                  max=INT_MAX))
            return self._literal(t, "duration", Duration(0))
        return self._literal(t, "duration", Duration(int(digits) * per))

    def e_decimal(self, t):
        return self._literal(t, "decimal", self.number(t, str(t.children[0])))

    def e_integer(self, t):
        return self._literal(t, "int", self.int_value(t, t.children[0]))

    def e_text(self, t):
        return self._literal(t, "text", self.string(t.children[0]))

    def e_boolean(self, t):
        return self._literal(t, "bool", str(t.children[0]) == "true")

    def e_none(self, t):
        return self._literal(t, "none", None)

    # ------------------------------------------------------------ tokens
    def field_name(self, item) -> str:
        return str(item.children[0]) if _is_tree(item) else str(item)

    def string(self, token) -> str:
        raw = str(token)[1:-1]
        out, i = [], 0
        while i < len(raw):
            ch = raw[i]
            if ch == "\\" and i + 1 < len(raw):
                nxt = raw[i + 1]
                out.append({"n": "\n", "t": "\t"}.get(nxt, nxt))
                i += 2
            else:
                out.append(ch)
                i += 1
        return "".join(out)

    def opt_string(self, token) -> str | None:
        return self.string(token) if token is not None else None

    def int_value(self, where, token) -> int:
        """An int literal, within a signed 64-bit int; its length is checked before int()
        (Python refuses to convert more than 4300 digits)."""
        text = str(token)
        if len(text) > MAX_INT_DIGITS or int(text) > INT_MAX:
            self.problems.append(Diagnostic.error("Y032", self.span(where), text=shorten(text),
                                                  min=INT_MIN, max=INT_MAX))
            return 0
        return int(text)

    def number(self, t, text: str, money: bool = False) -> Decimal:
        """A decimal, money or percent literal (digits, maybe a point and more digits),
        exact and within the limits as written; money is bounded further."""
        whole, _, fraction = text.partition(".")
        significant = (whole + fraction).lstrip("0")
        magnitude = whole.lstrip("0")
        shown = shorten(text)
        if money and len(fraction) > MONEY_FRACTION_DIGITS:
            problem = Diagnostic.error("Y038", self.span(t), text=shown,
                                       hints=[Hint.of("hint.Y038")])
        elif len(fraction) > MAX_FRACTION_DIGITS:
            problem = Diagnostic.error("Y034", self.span(t), text=shown, count=len(fraction),
                                       limit=MAX_FRACTION_DIGITS)
        elif money and len(magnitude) > MONEY_MAGNITUDE_DIGITS:
            problem = Diagnostic.error("Y036", self.span(t), text=shown,
                                       limit=MONEY_MAGNITUDE_DIGITS)
        elif len(magnitude) > MAX_MAGNITUDE_DIGITS:
            problem = Diagnostic.error("Y035", self.span(t), text=shown,
                                       limit=MAX_MAGNITUDE_DIGITS)
        elif len(significant) > MAX_SIGNIFICANT_DIGITS:
            problem = Diagnostic.error("Y033", self.span(t), text=shown,
                                       count=len(significant), limit=MAX_SIGNIFICANT_DIGITS)
        else:
            try:
                return Decimal(text)
            except InvalidOperation:  # the grammar only lets digits through; kept for safety
                problem = Diagnostic.error("Y031", self.span(t), text=shown)
        self.problems.append(problem)
        return Decimal(0)

    # ------------------------------------------------------------ declared names
    def declared(self, token) -> str:
        """The name a declaration gives, which may not be a keyword (docs/language.md §1)."""
        name = str(token)
        if name in KEYWORDS:
            self._keyword_as_name(token, name)
        return name

    def declared_field(self, item) -> str:
        """A record field's or enum member's name: `from` and `none` are allowed there."""
        name = self.field_name(item)
        if name in KEYWORDS and name not in FIELD_KEYWORDS:
            self._keyword_as_name(item, name)
        return name

    def _keyword_as_name(self, where, name: str) -> None:
        self.problems.append(Diagnostic.error("Y028", self.span(where),
                                              hints=[Hint.of("hint.Y028", name=name)],
                                              name=shorten(name)))

    def date(self, token) -> dt.date:
        try:
            return dt.date.fromisoformat(str(token))
        except ValueError:
            self.problems.append(Diagnostic.error(
                "Y030", self.span(token), text=str(token), hints=[Hint.of("hint.real_date")]))
            return dt.date(1, 1, 1)


def build_policy(tree, source: SourceFile, comments) -> nodes.PolicyFile:
    builder = _Builder(source)
    policy = builder.policy(tree, comments)
    if builder.problems:
        raise DiagnosticError(builder.problems)
    nodes.number(policy)
    return policy
