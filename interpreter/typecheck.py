"""Name resolution and typing of expressions.

`ExprChecker.infer` returns the type of an expression, records what each name refers to
(model.refs) and the type of each expression (model.expr_types), and reports problems as
diagnostics.  A problem yields type None, which silences follow-on errors for that
expression so one mistake gives one message.
"""
from __future__ import annotations

from . import nodes
from .diagnostics import Diagnostic, Hint, did_you_mean
from .model import Model, Ref
from .types import (BOOL, DATE, DECIMAL, DURATION, INT, MONEY, NONE, PERCENT, TEXT,
                    EnumTy, HistoryTy, ListTy, OptionalTy, RecordTy, Ty, assignable, strip_optional)

BUILTIN_VALUES = {"benefit_year": INT, "as_of": DATE}

# name -> (argument types, result); "num" stands for one numeric or date type shared by all.
BUILTIN_FUNCTIONS = {
    "year": ((DATE,), INT),
    "month": ((DATE,), INT),
    "day": ((DATE,), INT),
    "date": ((INT, INT, INT), DATE),
    "month_start": ((DATE,), DATE),
    "days_between": ((DATE, DATE), INT),
    "months": ((INT,), DURATION),
    "years": ((INT,), DURATION),
    "round": ((MONEY,), MONEY),
    "starts_with": ((TEXT, TEXT), BOOL),
    "max": None,
    "min": None,
}

ORDERED = (INT, DECIMAL, MONEY, PERCENT, DATE, DURATION)
ARITH = {
    ("+", INT, INT): INT, ("-", INT, INT): INT, ("*", INT, INT): INT, ("/", INT, INT): DECIMAL,
    ("+", DECIMAL, DECIMAL): DECIMAL, ("-", DECIMAL, DECIMAL): DECIMAL,
    ("*", DECIMAL, DECIMAL): DECIMAL, ("/", DECIMAL, DECIMAL): DECIMAL,
    ("+", MONEY, MONEY): MONEY, ("-", MONEY, MONEY): MONEY, ("/", MONEY, MONEY): DECIMAL,
    ("*", MONEY, INT): MONEY, ("*", INT, MONEY): MONEY, ("*", MONEY, DECIMAL): MONEY,
    ("*", DECIMAL, MONEY): MONEY, ("*", MONEY, PERCENT): MONEY, ("*", PERCENT, MONEY): MONEY,
    ("/", MONEY, INT): MONEY, ("/", MONEY, DECIMAL): MONEY,
    ("+", PERCENT, PERCENT): PERCENT, ("-", PERCENT, PERCENT): PERCENT,
    ("*", PERCENT, INT): PERCENT, ("*", INT, PERCENT): PERCENT,
    ("*", PERCENT, DECIMAL): DECIMAL, ("*", DECIMAL, PERCENT): DECIMAL,
    ("+", DATE, DURATION): DATE, ("-", DATE, DURATION): DATE,
    ("+", DURATION, DURATION): DURATION, ("-", DURATION, DURATION): DURATION,
    ("*", DURATION, INT): DURATION, ("*", INT, DURATION): DURATION,
}
LITERAL_TYPES = {"money": MONEY, "percent": PERCENT, "date": DATE, "duration": DURATION,
                 "decimal": DECIMAL, "int": INT, "text": TEXT, "bool": BOOL, "none": NONE}
AGGREGATES_NEEDING_DEFAULT = ("min", "max", "first", "last")


def path_key(expr) -> str | None:
    """`i.to` for a chain of names and fields, the unit that narrowing tracks."""
    if isinstance(expr, nodes.Name):
        return expr.name
    if isinstance(expr, nodes.Attribute):
        inner = path_key(expr.target)
        return f"{inner}.{expr.name}" if inner is not None else None
    return None


def non_none_when(condition, truth: bool) -> frozenset[str]:
    """The paths that cannot be none when `condition` evaluates to `truth`."""
    if isinstance(condition, nodes.IsNone):
        key = path_key(condition.operand)
        return frozenset((key,)) if key is not None and condition.negated == truth else frozenset()
    if isinstance(condition, nodes.Unary) and condition.op == "not":
        return non_none_when(condition.operand, not truth)
    if isinstance(condition, nodes.Binary) and condition.op in ("and", "or"):
        if (condition.op == "and") == truth:   # and-true / or-false: both sides are known
            return non_none_when(condition.left, truth) | non_none_when(condition.right, truth)
    return frozenset()


def _orders(ty: Ty | None) -> bool:
    """Can `max`/`min` pick among values of `ty`?  Numbers, dates and durations by value,
    enum members by declaration (the first is the least)."""
    return ty in ORDERED or isinstance(ty, EnumTy)


def _widen(a: Ty, b: Ty) -> Ty | None:
    """The common type of two branches, or None."""
    if a == b:
        return a
    if {a, b} == {INT, DECIMAL}:
        return DECIMAL
    if a == NONE:
        return b if isinstance(b, OptionalTy) else OptionalTy(b)
    if b == NONE:
        return a if isinstance(a, OptionalTy) else OptionalTy(a)
    if isinstance(a, OptionalTy) and assignable(b, a):
        return a
    if isinstance(b, OptionalTy) and assignable(a, b):
        return b
    if isinstance(a, ListTy) and isinstance(b, ListTy):
        inner = _widen(a.inner, b.inner) if NONE not in (a.inner, b.inner) else (
            b.inner if a.inner == NONE else a.inner)
        return ListTy(inner) if inner else None
    return None


class ExprChecker:
    def __init__(self, model: Model, diags: list[Diagnostic], context: str,
                 locals_: dict[str, Ty] | None = None, fields_only: bool = False,
                 kind: str | None = None):
        self.model = model
        self.kind = kind or model.default_kind   # the record kind whose fields names reach
        self.fields = model.input_types.get(self.kind)
        self.fields = self.fields.fields if self.fields is not None else {}
        self.diags = diags
        self.context = context            # the rule or field being checked, for messages
        self.locals = dict(locals_ or {})
        self.fields_only = fields_only    # field defaults may read only other fields
        self.narrowed: frozenset[str] = frozenset()       # paths known not to be none here
        self.called: list[tuple[str, nodes.Call]] = []    # rule calls, for the cycle checks
        self.read_names: set[str] = set()                 # rules/params/fields read

    def error(self, code: str, span, hints=(), **args) -> None:
        self.diags.append(Diagnostic.error(code, span, hints=hints, **args))

    # ------------------------------------------------------------ entry
    def infer(self, expr: nodes.Expr, expected: Ty | None = None) -> Ty | None:
        method = getattr(self, "t_" + type(expr).__name__)
        ty = method(expr, expected)
        if isinstance(ty, OptionalTy) and self.narrowed and path_key(expr) in self.narrowed:
            ty = ty.inner
        if ty is not None:
            self.model.expr_types[expr.nid] = ty
        return ty

    def infer_given(self, condition: nodes.Expr | None, truth: bool, expr: nodes.Expr,
                    expected: Ty | None = None) -> Ty | None:
        """Type `expr` where `condition` is known to be `truth`: a value it shows is not
        none (`x is not none and x > 1`, `x is none or x > 1`) is not optional there."""
        known = non_none_when(condition, truth) if condition is not None else frozenset()
        saved = self.narrowed
        self.narrowed = saved | known
        try:
            return self.infer(expr, expected)
        finally:
            self.narrowed = saved

    def expect_given(self, condition, truth: bool, expr, target: Ty, what: str) -> None:
        ty = self.infer_given(condition, truth, expr, target)
        if ty is not None and not assignable(ty, target):
            self.error("Y201", expr.span, what=what, expected=str(target), found=str(ty))

    def expect(self, expr: nodes.Expr, target: Ty, what: str) -> None:
        ty = self.infer(expr, target)
        if ty is not None and not assignable(ty, target):
            self.error("Y201", expr.span, what=what, expected=str(target), found=str(ty))

    # ------------------------------------------------------------ leaves
    def t_Literal(self, e: nodes.Literal, expected):
        return LITERAL_TYPES[e.kind]

    def t_NotApplicable(self, e: nodes.NotApplicable, expected):
        return None     # no value to type: the case says the output does not apply

    def t_Name(self, e: nodes.Name, expected):
        ref, ty = self.resolve(e.name, e.span, expected)
        if ref is not None:
            self.model.refs[e.nid] = ref
        return ty

    def resolve(self, name: str, span, expected: Ty | None):
        model = self.model
        if name in self.locals:
            return Ref("local", name), self.locals[name]
        if name in self.fields:
            self.read_names.add(name)
            return Ref("field", name), self.fields[name].ty
        if self.fields_only:
            self.error("Y103", span, name=name, context=self.context)
            return None, None
        rule = model.callable(name)
        if rule is not None:
            self.read_names.add(name)
            self._same_kind(name, span)
            if rule.decl.params:
                self.error("Y104", span, name=name, count=len(rule.decl.params))
                return None, None
            self.called.append((name, None))
            return Ref("rule", name), rule.read_ty
        if name in model.params:
            param = model.params[name]
            self.read_names.add(name)
            if param.decl.keys:
                self.error("Y105", span, name=name, keys=", ".join(param.decl.keys))
                return None, None
            return Ref("param", name), param.ty
        if name in BUILTIN_VALUES:
            return Ref("builtin", name), BUILTIN_VALUES[name]
        owners = model.enums_with_member(name)
        if owners:
            wanted = strip_optional(expected) if expected is not None else None
            if isinstance(wanted, ListTy):
                wanted = wanted.inner
            if len(owners) > 1:
                matching = [o for o in owners if o == wanted]
                if len(matching) != 1:
                    self.error("Y106", span, name=name,
                               enums=", ".join(f"{o.name}.{name}" for o in owners))
                    return None, None
                owners = matching
            return Ref("enum_member", model.member_value(owners[0], name), owners[0].name), \
                owners[0]
        here, fields = tuple(self.locals), self.fields

        def candidates():   # worked out only if the message is shown
            return list(here) + list(fields) + list(model.callables) + list(model.params) + \
                list(BUILTIN_VALUES) + \
                [m for enum in model.enums.values() for m in (enum.names or enum.members)]
        self.error("Y107", span, hints=did_you_mean(name, candidates), name=name)
        return None, None

    def _same_kind(self, name: str, span) -> None:
        """A rule reads one kind of record; it cannot use a rule about another kind."""
        other = self.model.rule_kind(name)
        if other != self.kind:
            self.error("Y221", span, name=name, kind=other, here=self.kind)

    # ------------------------------------------------------------ structure
    def t_Attribute(self, e: nodes.Attribute, expected):
        if isinstance(e.target, nodes.Name) and e.target.name in self.model.enums and \
                e.target.name not in self.locals and e.target.name not in self.fields:
            enum = self.model.enums[e.target.name]
            member = self.model.member_value(enum, e.name)
            if member is None:
                self.error("Y108", e.span, hints=did_you_mean(e.name, enum.names or enum.members),
                           name=e.name, enum=enum.name)
                return None
            self.model.refs[e.nid] = Ref("enum_member", member, enum.name)
            return enum
        target = self.infer(e.target)
        if target is None:
            return None
        record = strip_optional(target)
        if not isinstance(record, RecordTy):
            self.error("Y202", e.span, name=e.name, found=str(target))
            return None
        if isinstance(target, OptionalTy):
            # `student.entry_year` where `student: optional Student`: at run time the message
            # would name the field when it is the record that is missing.  (infer() has
            # already made a path a test shows not to be none non-optional.)
            shown = path_key(e.target) or "this value"
            self.error("Y222", e.target.span, hints=[Hint.of("hint.Y222", path=shown)],
                       path=shown, name=e.name)
            return None
        if e.name == "year" and e.name not in record.fields and \
                self.model.is_history_record(record):
            return INT
        if e.name not in record.fields:
            self.error("Y109", e.span, hints=did_you_mean(e.name, record.fields),
                       name=e.name, record=record.name)
            return None
        return record.fields[e.name].ty

    def t_Index(self, e: nodes.Index, expected):
        target = self.infer(e.target)
        self.expect(e.index, INT, "a year index")
        if target is None:
            return None
        if not isinstance(target, HistoryTy):
            self.error("Y203", e.span, found=str(target))
            return None
        return target.record

    def t_Exists(self, e: nodes.Exists, expected):
        if not isinstance(e.target, nodes.Index):
            self.error("Y204", e.span)
            self.infer(e.target)
            return BOOL
        self.infer(e.target)
        return BOOL

    def t_Call(self, e: nodes.Call, expected):
        model = self.model
        name = e.function
        if name in self.locals:
            self.error("Y110", e.span, name=name)
            return None
        # A declared rule or parameter is what the name means, even where a built-in function
        # has the same name (evaluation resolves it the same way): in a field default it
        # cannot be read, and a parameter with one value per date takes no arguments.
        if (model.callable(name) is not None or name in model.params) and \
                (self.fields_only or (name in model.params and not model.params[name].decl.keys)):
            if self.fields_only:
                self.error("Y103", e.span, name=name, context=self.context)
            else:
                self.error("Y156", e.span, name=name)
            for arg in e.args:
                self.infer(arg)
            return None
        rule = model.callable(name)
        if rule is not None:
            self.read_names.add(name)
            self._same_kind(name, e.span)
            self.called.append((name, e))
            params = rule.param_types
            if len(e.args) != len(rule.decl.params):
                self.error("Y205", e.span, name=name, expected=len(rule.decl.params),
                           found=len(e.args))
                return rule.read_ty
            for arg, pty, p in zip(e.args, params, rule.decl.params):
                self.expect(arg, pty, f"argument {p.name} of {name}")
            return rule.read_ty
        if name in model.params:
            param = model.params[name]
            self.read_names.add(name)
            key_types = ((TEXT,) if param.by_region else ()) + param.key_types
            if len(e.args) != len(key_types):
                self.error("Y205", e.span, name=name, expected=len(key_types), found=len(e.args))
                return param.ty
            for arg, kty, kname in zip(e.args, key_types, param.decl.keys):
                self.expect(arg, kty, f"key {kname} of {name}")
            return param.ty
        if name in BUILTIN_FUNCTIONS:
            return self._builtin(e, expected)
        def candidates():   # worked out only if the message is shown
            return list(model.callables) + [p for p in model.params if model.params[p].decl.keys] + \
                list(BUILTIN_FUNCTIONS)
        self.error("Y111", e.span, hints=did_you_mean(name, candidates), name=name)
        for arg in e.args:
            self.infer(arg)
        return None

    def _builtin(self, e: nodes.Call, expected):
        signature = BUILTIN_FUNCTIONS[e.function]
        if signature is None:  # max / min of two values of one ordered type
            if len(e.args) != 2:
                self.error("Y205", e.span, name=e.function, expected=2, found=len(e.args))
                return None
            a, b = (self.infer(arg, expected) for arg in e.args)
            if a is None or b is None:
                return None
            common = _widen(a, b)
            if not _orders(common):
                self.error("Y206", e.span, name=e.function, left=str(a), right=str(b))
                return None
            return common
        params, result = signature
        if len(e.args) != len(params):
            self.error("Y205", e.span, name=e.function, expected=len(params), found=len(e.args))
            return result
        for arg, pty in zip(e.args, params):
            self.expect(arg, pty, f"argument of {e.function}")
        return result

    def t_OnDate(self, e: nodes.OnDate, expected):
        target = e.target
        ty = self.infer(target, expected)
        # What the name resolved to decides, as in evaluation: a local value or a record
        # field of the same name as a parameter is not the parameter.
        ref = self.model.refs.get(target.nid)
        is_param = (isinstance(target, nodes.Name) and ref is not None and ref.kind == "param") \
            or (isinstance(target, nodes.Call) and target.function in self.model.params)
        if not is_param:
            self.error("Y207", e.span)
        self.expect(e.when, DATE, "the date after `on`")
        return ty

    # ------------------------------------------------------------ operators
    def t_Unary(self, e: nodes.Unary, expected):
        if e.op == "not":
            self.expect(e.operand, BOOL, "the operand of `not`")
            return BOOL
        ty = self.infer(e.operand, expected)
        if ty is not None and ty not in (INT, DECIMAL, MONEY, PERCENT, DURATION):
            self.error("Y208", e.span, op="-", left=str(ty), right="-")
            return None
        return ty

    def t_Binary(self, e: nodes.Binary, expected):
        op = e.op
        if op in ("and", "or"):
            self.expect(e.left, BOOL, f"the left side of `{op}`")
            # The right side runs only when the left is true (and) or false (or).
            self.expect_given(e.left, op == "and", e.right, BOOL, f"the right side of `{op}`")
            return BOOL
        if op in ("in", "not in"):
            if self._bare_member(e.left):
                right = self.infer(e.right)
                inner = right.inner if isinstance(right, ListTy) else None
                left = self.infer(e.left, inner)
            else:
                left = self.infer(e.left)
                right = self.infer(e.right, ListTy(strip_optional(left)) if left else None)
                inner = right.inner if isinstance(right, ListTy) else None
            if right is not None and inner is None:
                self.error("Y209", e.right.span, found=str(right))
            elif left is not None and inner is not None and inner != NONE and \
                    not assignable(strip_optional(left), inner) and \
                    not assignable(inner, strip_optional(left)):
                self.error("Y210", e.span, left=str(left), right=str(right))
            return BOOL
        # Type the side that is not a bare enum member first, so `x == resident` resolves
        # `resident` against the type of x.
        first, second = (e.right, e.left) if self._bare_member(e.left) else (e.left, e.right)
        a = self.infer(first)
        b = self.infer(second, a)
        left, right = (b, a) if first is e.right else (a, b)
        if left is None or right is None:
            return BOOL if op in ("==", "!=", "<", "<=", ">", ">=") else None
        if op in ("==", "!="):
            if _widen(left, right) is None and not (
                    strip_optional(left) == strip_optional(right)):
                self.error("Y211", e.span, hints=self._not_applicable_hint(e), op=op,
                           left=str(left), right=str(right))
            return BOOL
        if op in ("<", "<=", ">", ">="):
            common = _widen(left, right)
            if common not in ORDERED:
                self.error("Y211", e.span, hints=self._not_applicable_hint(e), op=op,
                           left=str(left), right=str(right))
            return BOOL
        result = ARITH.get((op, left, right))
        if result is None and {left, right} <= {INT, DECIMAL}:
            result = DECIMAL
        if result is None:
            self.error("Y208", e.span,
                       hints=self._arith_hint(op, left, right) + self._not_applicable_hint(e),
                       op=op, left=str(left), right=str(right))
        return result

    def _not_applicable_hint(self, e: nodes.Binary) -> list:
        """Why an operand is optional when it is a rule that may be not applicable: the
        author sees the case that says so, not only `optional money`."""
        hints = []
        for side in (e.left, e.right):
            name = side.name if isinstance(side, nodes.Name) else \
                side.function if isinstance(side, nodes.Call) else None
            rule = self.model.callable(name) if name is not None else None
            cases = getattr(rule, "inapplicable_cases", None)
            if cases and path_key(side) not in self.narrowed:
                case = cases[0]
                ident = getattr(case, "ident", None) or name
                hints.append(Hint.of("hint.may_not_apply", name=name, case=ident))
        return hints

    def _bare_member(self, e: nodes.Expr) -> bool:
        if not isinstance(e, nodes.Name) or e.name in self.locals:
            return False
        m = self.model
        return (e.name not in self.fields and m.callable(e.name) is None and
                e.name not in m.params and e.name not in BUILTIN_VALUES)

    @staticmethod
    def _arith_hint(op, left, right):
        if op == "*" and left == MONEY and right == MONEY:
            return [Hint.of("hint.money_times_money")]
        if DATE in (left, right) and op in "+-":
            return [Hint.of("hint.date_plus_months")]
        return []

    def t_IsNone(self, e: nodes.IsNone, expected):
        ty = self.infer(e.operand)
        if ty is not None and not isinstance(ty, OptionalTy) and ty != NONE:
            self.diags.append(Diagnostic.warning("Y212", e.span, found=str(ty)))
        return BOOL

    def t_IfThenElse(self, e: nodes.IfThenElse, expected):
        self.expect(e.condition, BOOL, "the condition of `if`")
        a = self.infer_given(e.condition, True, e.then, expected)
        b = self.infer_given(e.condition, False, e.otherwise, expected if a is None else a)
        if a is None or b is None:
            return None
        common = _widen(a, b)
        if common is None:
            self.error("Y213", e.span, left=str(a), right=str(b))
        return common

    def t_ListLiteral(self, e: nodes.ListLiteral, expected):
        wanted = expected.inner if isinstance(expected, ListTy) else None
        inner: Ty | None = NONE
        for item in e.items:
            ty = self.infer(item, wanted)
            if ty is None:
                return None
            common = _widen(inner, ty) if inner != NONE else ty
            if common is None:
                self.error("Y214", item.span, first=str(inner), found=str(ty))
                return None
            inner = common
        return ListTy(inner)

    def t_Aggregate(self, e: nodes.Aggregate, expected):
        if isinstance(e.source, nodes.YearRange):
            self.expect(e.source.low, INT, "the first year of a range")
            self.expect(e.source.high, INT, "the last year of a range")
            var_ty: Ty | None = INT
        else:
            src = self.infer(e.source)
            if src is None:
                var_ty = None
            elif isinstance(src, HistoryTy):
                var_ty = src.record
            elif isinstance(src, ListTy):
                var_ty = src.inner
            else:
                self.error("Y215", e.source.span, found=str(src))
                var_ty = None
            if e.kind == "streak":
                self.error("Y216", e.span)
        if var_ty is None:
            return None
        saved = dict(self.locals)
        saved_narrowed = self.narrowed
        # The variable is new here: what was known of an outer value of that name is not.
        self.narrowed = frozenset(k for k in self.narrowed
                                  if k != e.var and not k.startswith(e.var + "."))
        self.locals[e.var] = var_ty
        try:
            if e.where is not None:
                self.expect(e.where, BOOL, f"the `where` condition of {e.kind}")
            value_ty = self.infer_given(e.where, True, e.value) if e.value is not None \
                else var_ty
        finally:
            self.locals = saved
            self.narrowed = saved_narrowed
        if e.kind in ("count", "streak", "any", "all"):
            if e.value is not None:
                self.error("Y217", e.value.span, kind=e.kind)
            if e.default is not None:
                self.error("Y217", e.default.span, kind=e.kind)
            # `count` may count every item; `streak` counts back while its condition holds.
            if e.kind != "count" and e.where is None:
                self.error("Y218", e.span, kind=e.kind)
            return BOOL if e.kind in ("any", "all") else INT
        if value_ty is None:
            return None
        if e.kind == "collect":
            if e.default is not None:
                self.error("Y217", e.default.span, kind=e.kind)
            return ListTy(value_ty)
        if e.kind == "sum":
            if value_ty not in (INT, DECIMAL, MONEY, PERCENT, DURATION):
                self.error("Y219", e.span, found=str(value_ty))
                return None
            if e.default is not None:
                self.error("Y217", e.default.span, kind=e.kind)
            return value_ty
        if e.kind in ("min", "max") and not _orders(value_ty):
            self.error("Y219", e.span, found=str(value_ty))
            return None
        if e.default is None:
            self.error("Y220", e.span, kind=e.kind)
            return value_ty
        self.expect(e.default, value_ty, f"the default of {e.kind}")
        return value_ty
