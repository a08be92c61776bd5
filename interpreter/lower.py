"""Checked model -> IR (ir.py): the one place where what a policy means is decided.

Reads the AST only through the checker's findings (model.refs, model.expr_types,
model.cell_tests): which declaration a name is, which `+` applies to two types, what a
field's default is, how a table cell tests.  Back ends read the IR and nothing else.
"""
from __future__ import annotations

from . import ir, nodes
from .checker import NOT_CONSTANT, constant_value
from .model import Model, Rule
from .types import (DATE, DURATION, INT, EnumTy, HistoryTy, OptionalTy, RecordTy, Ty,
                    strip_optional)

_LOGIC = ("and", "or")
_COMPARE = ("==", "!=", "<", "<=", ">", ">=")


def lower(model: Model) -> ir.Program:
    """The IR of a checked model (one that the checker accepted without errors)."""
    return _Lowering(model).program()


def document_of(attrs, origin) -> str | None:
    """The document an article is cited from: the one its `cite … in "文号"` names, else
    that of the policy the citation was written in."""
    return attrs.cite_document or origin.document


def citation(cite: str | None, document: str | None) -> str | None:
    """An article with the document it points into: `医保发〔2024〕38号 第二条`."""
    if cite and document:
        return f"{document} {cite}"
    return cite or document


def enum_order(ty: Ty | None) -> tuple[str, ...] | None:
    """The members of an enum type in declaration order (its order), else None."""
    ty = strip_optional(ty) if ty is not None else None
    return ty.members if isinstance(ty, EnumTy) else None


def sum_kind(ty: Ty | None) -> str:
    """How a sum of `ty` adds: whole ints, whole months, or exact decimals."""
    return "int" if ty == INT else "duration" if ty == DURATION else "decimal"


class _Lowering:
    def __init__(self, model: Model):
        self.model = model

    # ------------------------------------------------------------ declarations
    def program(self) -> ir.Program:
        model = self.model
        kinds = tuple(self.input_kind(name, record) for name, record in model.input_types.items())
        rules = tuple(self.rule(name, rule) for name, rule in model.callables.items())
        params = tuple(
            ir.ParamValues(name, p.ty, tuple(p.values), p.by_region, p.attrs.key or name,
                           ir.Citation(p.attrs.label, p.attrs.cite), document_of(p.attrs, p.origin))
            for name, p in model.params.items())
        measures = tuple(self.measure(name, m) for name, m in model.measures.items())
        return ir.Program(model.policy_id, model.default_kind, kinds, rules, params, measures)

    def input_kind(self, name: str, record: RecordTy) -> ir.InputKind:
        defaults, optional, histories = [], set(), set()
        for field_name, info in record.fields.items():
            if isinstance(info.ty, OptionalTy):
                optional.add(field_name)
            if isinstance(info.ty, HistoryTy):
                histories.add(field_name)
            if info.default is not None:
                defaults.append((field_name, self.expr(info.default)))
        return ir.InputKind(name, tuple(record.fields), tuple(defaults), frozenset(optional),
                            frozenset(histories))

    def rule(self, name: str, rule) -> ir.Rule:
        decl = rule.decl
        if isinstance(decl, nodes.TableDecl):
            body = self.table(rule, decl)
        elif decl.required:
            body = None
        else:
            body = self.case(rule, name, decl.span, rule.attrs, rule.origin, decl.guard,
                             decl.body, decl.exceptions)
        return ir.Rule(name, self.model.rule_kind(name), rule.ty,
                       getattr(decl, "is_output", False),   # a table never is
                       tuple(p.name for p in decl.params),
                       tuple(p.lower_bound for p in decl.params), body,
                       ir.Citation(rule.attrs.label, rule.attrs.cite),
                       document_of(rule.attrs, rule.origin),
                       span=decl.span, name_span=decl.name_span)

    def case(self, rule, ident, span, attrs, origin, guard, body, exceptions) -> ir.Case:
        nested = []
        for exc in exceptions:
            exc_attrs, exc_origin = rule.case_citation(exc)
            nested.append(self.case(rule, exc.ident, exc.span, exc_attrs, exc_origin,
                                    exc.guard, exc.body, exc.exceptions))
        cited = citation(attrs.cite, document_of(attrs, origin))
        return ir.Case(ident, ir.Citation(attrs.label, cited),
                       self.expr(guard) if guard is not None else None,
                       self.text(guard) if guard is not None else None,
                       self.expr(body), tuple(nested), span=span)

    def table(self, rule, decl: nodes.TableDecl) -> ir.Table:
        rows = []
        for row in decl.rows:
            cells = []
            for cell, param, column in zip(row.cells, decl.params, rule.param_types):
                test = self.model.cell_tests.get(cell.nid, "any")
                cells.append(ir.CellTest(
                    param.name, test, cell.op, enum_order(column),
                    self.expr(cell.value) if cell.value is not None else None,
                    self.expr(cell.high) if cell.high is not None else None,
                    self.text(cell)))
            cite = citation(row.cite, rule.origin.document) if row.cite else None
            rows.append(ir.Row(row.ident, row.name, cite, tuple(cells), self.expr(row.result)))
        otherwise = self.expr(decl.otherwise) if decl.otherwise is not None else None
        return ir.Table(decl.hit, tuple(rows), otherwise, enum_order(rule.ty),
                        sum_kind(rule.ty), span=decl.name_span)

    def measure(self, name: str, m) -> ir.Measure:
        decl = m.decl
        target = constant_value(decl.target, self.model) if decl.target is not None else None
        return ir.Measure(name, decl.kind, self.model.rule_kind(name), m.ty,
                          self.expr(decl.value) if decl.value is not None else None,
                          self.expr(decl.where) if decl.where is not None else None,
                          decl.target_op, target, sum_kind(m.ty), name_span=decl.name_span)

    # ------------------------------------------------------------ expressions
    def ty(self, e: nodes.Expr) -> Ty | None:
        return self.model.expr_types.get(e.nid)

    def text(self, node) -> str:
        """The source text of a node on one line, for messages and explanations."""
        source = self.model.sources.get(node.span.path)
        if source is None:
            return "condition"
        return " ".join(source.text[node.span.start:node.span.end].split())

    def describe(self, e: nodes.Expr) -> str:
        text = self.text(e)
        return f"`{text if len(text) <= 80 else text[:77] + '...'}`"

    def expr(self, e: nodes.Expr) -> ir.Expr:
        return getattr(self, "l_" + type(e).__name__)(e)

    def may_not_apply(self, name: str) -> bool:
        rule = self.model.callable(name)
        return isinstance(rule, Rule) and bool(rule.inapplicable_cases)

    def l_NotApplicable(self, e: nodes.NotApplicable):
        return ir.NotApplicable(None, e.reason, span=e.span)

    def l_Literal(self, e: nodes.Literal):
        return ir.Const(self.ty(e), e.value, span=e.span)

    def l_ListLiteral(self, e: nodes.ListLiteral):
        value = constant_value(e, self.model)
        if value is not NOT_CONSTANT:
            return ir.Const(self.ty(e), value, span=e.span)
        return ir.ListOf(self.ty(e), tuple(self.expr(i) for i in e.items), span=e.span)

    def l_Name(self, e: nodes.Name):
        ref = self.model.refs[e.nid]
        ty, span = self.ty(e), e.span
        if ref.kind == "local":
            return ir.Local(ty, ref.name, span=span)
        if ref.kind == "enum_member":
            return ir.Const(ty, ref.name, span=span)
        if ref.kind == "builtin":
            return (ir.BenefitYear if ref.name == "benefit_year" else ir.AsOf)(ty, span=span)
        if ref.kind == "rule":
            return ir.RuleCall(ty, ref.name, (), self.may_not_apply(ref.name), span=span)
        if ref.kind == "param":
            return ir.Param(ty, ref.name, span=span)
        return ir.InputField(ty, ref.name, not isinstance(ty, HistoryTy), span=span)

    def l_Attribute(self, e: nodes.Attribute):
        ref = self.model.refs.get(e.nid)
        if ref is not None and ref.kind == "enum_member":
            return ir.Const(self.ty(e), ref.name, span=e.span)
        record_ty = strip_optional(self.ty(e.target))
        info = record_ty.fields.get(e.name) if isinstance(record_ty, RecordTy) else None
        default = ir.MISSING
        if info is not None and info.default is not None:
            # The checker allows only constants as the defaults of nested record fields.
            default = constant_value(info.default, self.model)
        optional = info is not None and isinstance(info.ty, OptionalTy)
        history_path = _field_path(e.target.target) if isinstance(e.target, nodes.Index) \
            else None
        return ir.FieldOf(self.ty(e), self.expr(e.target), e.name, default, optional,
                          _field_path(e), history_path, span=e.span)

    def l_Index(self, e: nodes.Index):
        return ir.Entry(self.ty(e), self.expr(e.target), self.expr(e.index),
                        _field_path(e.target) or "?", span=e.span)

    def l_Exists(self, e: nodes.Exists):
        return ir.HasEntry(self.ty(e), self.expr(e.target.target), self.expr(e.target.index),
                           _field_path(e.target.target) or "?", span=e.span)

    def l_Call(self, e: nodes.Call):
        model, ty = self.model, self.ty(e)
        args = tuple(self.expr(a) for a in e.args)
        if model.callable(e.function) is not None:
            return ir.RuleCall(ty, e.function, args, self.may_not_apply(e.function), span=e.span)
        if e.function in model.params:
            param = model.params[e.function]
            # The checker refuses keyed parameters without a region (Y138).
            return ir.RegionParam(ty, e.function, param.attrs.key or e.function, args[0],
                                  args[1:], span=e.span)
        order = enum_order(ty) if e.function in ("max", "min") else None
        return ir.Builtin(ty, e.function, args, self.describe(e), order, span=e.span)

    def l_OnDate(self, e: nodes.OnDate):
        when, target, ty = self.expr(e.when), e.target, self.ty(e)
        if isinstance(target, nodes.Name):
            return ir.Param(ty, target.name, when, span=e.span)
        param = self.model.params[target.function]
        return ir.RegionParam(ty, target.function, param.attrs.key or target.function,
                              self.expr(target.args[0]),
                              tuple(self.expr(a) for a in target.args[1:]), when, span=e.span)

    def l_Unary(self, e: nodes.Unary):
        operand = self.expr(e.operand)
        if e.op == "not":
            return ir.Not(self.ty(e), operand, span=e.span)
        ty = self.ty(e)
        kind = "int" if ty == INT else "duration" if ty == DURATION else "decimal"
        return ir.Negate(ty, kind, operand, self.describe(e), span=e.span)

    def l_Binary(self, e: nodes.Binary):
        op, ty, span = e.op, self.ty(e), e.span
        left, right = self.expr(e.left), self.expr(e.right)
        if op in _LOGIC:
            return ir.Logic(ty, op, left, right, span=span)
        if op in ("in", "not in"):
            return ir.Member(ty, left, right, op == "not in", span=span)
        if op in _COMPARE:
            return ir.Compare(ty, op, left, right, span=span)
        return ir.Arith(ty, _arith_kind(op, self.ty(e.left), self.ty(e.right), ty), left,
                        right, self.describe(e), span=span)

    def l_IsNone(self, e: nodes.IsNone):
        return ir.IsNone(self.ty(e), self.expr(e.operand), e.negated, span=e.span)

    def l_IfThenElse(self, e: nodes.IfThenElse):
        return ir.If(self.ty(e), self.expr(e.condition), self.expr(e.then),
                     self.expr(e.otherwise), span=e.span)

    def l_Aggregate(self, e: nodes.Aggregate):
        if isinstance(e.source, nodes.YearRange):
            source = ir.Years(self.expr(e.source.low), self.expr(e.source.high))
        else:
            source = self.expr(e.source)
        ty = self.ty(e)
        return ir.Aggregate(
            ty, e.kind, e.var, source,
            self.expr(e.where) if e.where is not None else None,
            self.expr(e.value) if e.value is not None else None,
            self.expr(e.default) if e.default is not None else None,
            self.describe(e), sum_kind(ty) if e.kind == "sum" else None,
            enum_order(ty) if e.kind in ("min", "max") else None, span=e.span)


def _arith_kind(op: str, left: Ty | None, right: Ty | None, result: Ty | None) -> str:
    """Which operation `left op right` is, from the checked types of its operands."""
    if left == DATE and right == DURATION:
        return "date_add_months" if op == "+" else "date_sub_months"
    if DURATION in (left, right):
        if op == "*":
            return "duration_times_int" if left == DURATION else "int_times_duration"
        return "duration_add" if op == "+" else "duration_sub"
    if op == "/":
        return "divide"
    return ("int_" if result == INT else "dec_") + _VERB[op]


_VERB = {"+": "add", "-": "sub", "*": "mul"}


def _field_path(e) -> str | None:
    """`enrollment[].paid_on` for a chain rooted at a record field, else None."""
    if isinstance(e, nodes.Name):
        return e.name
    if isinstance(e, nodes.Attribute):
        inner = _field_path(e.target)
        return f"{inner}.{e.name}" if inner else None
    if isinstance(e, nodes.Index):
        inner = _field_path(e.target)
        return f"{inner}[]" if inner else None
    return None
