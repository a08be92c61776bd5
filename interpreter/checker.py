"""Static checks of a merged policy, as small passes run in order.

Each pass reads and fills the Model and appends diagnostics; all passes run even when an
earlier one found errors, so one `yibao check` reports everything it can.
"""
from __future__ import annotations

from decimal import Decimal

from . import nodes
from .cycles import (check_call_depth, check_cycles, check_default_cycles,
                     check_record_containment)
from .diagnostics import Diagnostic, Hint, did_you_mean, shorten
from .inherit import check_required, merge_chain
from .limits import MAX_TABLE_ROWS
from .model import Model
from .tables import analyse, cell_test, ordinal
from .lints import LINTS
from .typecheck import ORDERED, ExprChecker
from .values import Duration
from .types import (BOOL, DECIMAL, INT, MONEY, PERCENT, PRIMITIVES, EnumTy, FieldInfo, HistoryTy,
                    ListTy, OptionalTy, RecordTy, Ty, assignable, strip_optional)

HEADER_KEYS = {"title": "text", "document": "text", "issuer": "text", "region": "text",
               "issued": "date", "published": "date", "in_force": "date", "status": "name",
               "note": "text"}
STATUSES = ("effective", "draft", "template", "superseded")


def check_header(model: Model, diags: list[Diagnostic]) -> None:
    for policy in model.chain:
        seen = set()
        for entry in policy.header.entries:
            kind = HEADER_KEYS.get(entry.key)
            if kind is None:
                diags.append(Diagnostic.error("Y120", entry.span, hints=did_you_mean(
                    entry.key, HEADER_KEYS), key=entry.key, keys=", ".join(HEADER_KEYS)))
                continue
            if entry.key in seen:
                diags.append(Diagnostic.error("Y121", entry.span, key=entry.key))
            seen.add(entry.key)
            ok = entry.kind == kind or (entry.key == "in_force" and entry.kind == "range")
            if not ok:
                diags.append(Diagnostic.error("Y122", entry.span, key=entry.key, kind=kind))
            if entry.key == "status" and entry.value not in STATUSES:
                diags.append(Diagnostic.error("Y123", entry.span, hints=did_you_mean(
                    str(entry.value), STATUSES), value=entry.value, statuses=", ".join(STATUSES)))
            if entry.kind == "range" and entry.value[1] < entry.value[0]:
                start, end = entry.value
                diags.append(Diagnostic.error("Y151", entry.span, hints=[Hint.of("hint.Y151")],
                                              start=start.isoformat(), end=end.isoformat()))
        for key in ("title", "status"):
            if key not in seen:
                diags.append(Diagnostic.error("Y124", policy.header.span, key=key))


def resolve_types(model: Model, diags: list[Diagnostic]) -> None:
    for name, decl in model.enum_decls.items():
        names = [m.name for m in decl.members]
        values = [m.data for m in decl.members]
        first_name: dict[str, int] = {}
        first_value: dict[str, int] = {}
        for i, member in enumerate(decl.members):
            first = first_name.get(member.name, first_value.get(member.data))
            if first is not None:
                diags.append(Diagnostic.error("Y102", member.span, name=member.data,
                                              first=str(decl.members[first].span)))
            first_name.setdefault(member.name, i)
            first_value.setdefault(member.data, i)
        if not names:
            diags.append(Diagnostic.error("Y125", decl.name_span, name=name))
        model.enums[name] = EnumTy(name, tuple(values), tuple(m.label for m in decl.members),
                                   tuple(names))
    # Records may refer to each other: make the shells first, then fill in their fields.
    for name in model.record_decls:
        model.records[name] = RecordTy(name, {})
    for name, decl in model.record_decls.items():
        _fill_fields(model, model.records[name], decl.fields, diags)
    for kind, fields in model.inputs.items():
        model.input_types[kind] = RecordTy(kind, {})
        _fill_fields(model, model.input_types[kind], tuple(fields.values()), diags)


def _fill_fields(model: Model, record: RecordTy, fields, diags) -> None:
    for fd in fields:
        ty = resolve_type(model, fd.type, diags)
        if ty is not None:
            record.fields[fd.name] = FieldInfo(fd.name, ty, fd.label, fd.default, fd)


def resolve_type(model: Model, ref: nodes.TypeRef, diags: list[Diagnostic]) -> Ty | None:
    if isinstance(ref, nodes.OptionalType):
        if isinstance(ref.inner, nodes.OptionalType):
            # A value is either there or none; a second `optional` adds no third state.
            diags.append(Diagnostic.error("Y152", ref.span, hints=[Hint.of("hint.Y152")]))
            return resolve_type(model, ref.inner, diags)
        inner = resolve_type(model, ref.inner, diags)
        return OptionalTy(inner) if inner is not None else None
    if isinstance(ref, nodes.ListType):
        inner = resolve_type(model, ref.inner, diags)
        return ListTy(inner) if inner is not None else None
    if isinstance(ref, nodes.HistoryType):
        if ref.record not in model.records:
            diags.append(Diagnostic.error("Y126", ref.span, hints=did_you_mean(
                ref.record, model.records), name=ref.record))
            return None
        return HistoryTy(model.records[ref.record])
    name = ref.name
    if name in PRIMITIVES:
        return PRIMITIVES[name]
    if name in model.enums:
        return model.enums[name]
    if name in model.records:
        return model.records[name]
    def known():   # worked out only if the message is shown
        return list(PRIMITIVES) + list(model.enums) + list(model.records)
    diags.append(Diagnostic.error("Y127", ref.span, hints=did_you_mean(name, known), name=name))
    return None


def type_declarations(model: Model, diags: list[Diagnostic]) -> None:
    for name, param in model.params.items():
        param.ty = resolve_type(model, param.decl.type, diags)
        if param.attrs.key and not param.by_region:
            diags.append(Diagnostic.error("Y142", param.decl.name_span, name=name))
        keys = param.decl.keys
        if keys and keys[0] != "region":
            diags.append(Diagnostic.error("Y138", param.decl.name_span, name=name))
        key_names = keys[1:] if keys and keys[0] == "region" else keys
        key_types = []
        for key in key_names:
            if key not in model.enums:
                diags.append(Diagnostic.error("Y128", param.decl.name_span, hints=did_you_mean(
                    key, lambda: list(model.enums) + ["region"]), key=key, name=name))
            else:
                key_types.append(model.enums[key])
        param.key_types = tuple(key_types)
    for name, rule in model.callables.items():
        rule.ty = resolve_type(model, rule.decl.type, diags)
        if rule.attrs.key:
            diags.append(Diagnostic.error("Y142", rule.decl.name_span, name=name))
        rule.param_types = tuple(resolve_type(model, p.type, diags) or INT
                                 for p in rule.decl.params)
        seen = set()
        for p in rule.decl.params:
            if p.name in seen:
                diags.append(Diagnostic.error("Y102", p.span, name=p.name, first=str(p.span)))
            seen.add(p.name)


def check_parameter_values(model: Model, diags: list[Diagnostic]) -> None:
    for name, param in model.params.items():
        decl = param.decl
        if param.by_region and decl.values:
            diags.append(Diagnostic.error("Y129", decl.values[0].span, name=name))
            continue
        if not param.by_region and not decl.required and not decl.values and not decl.keys:
            diags.append(Diagnostic.error("Y130", decl.name_span, name=name))
        values = []
        previous = None
        for dated in decl.values:
            if previous is not None and dated.start <= previous.start:
                diags.append(Diagnostic.error("Y131", dated.span, name=name,
                                              date=dated.start.isoformat(),
                                              previous=previous.start.isoformat()))
            previous = dated
            if constant_value(dated.expr, model, resolve=False) is NOT_CONSTANT:
                diags.append(Diagnostic.error("Y132", dated.expr.span, name=name))
                continue
            checker = ExprChecker(model, diags, name)
            if param.ty is not None:
                checker.expect(dated.expr, param.ty, f"the value of {name}")
            values.append((dated.start, constant_value(dated.expr, model)))
        param.values = tuple(values)


NOT_CONSTANT = object()


def constant_value(expr: nodes.Expr, model: Model | None = None, resolve: bool = True):
    """The value of a constant expression — a literal, a negated number, an enum member, or a
    list of those — or NOT_CONSTANT.  Enum members are known once the checker has resolved
    the names (model.refs); with resolve=False a plain or qualified name counts as a
    possible member, to be confirmed by type checking."""
    if isinstance(expr, nodes.Literal):
        return expr.value
    if isinstance(expr, nodes.Unary) and expr.op == "-":
        inner = constant_value(expr.operand, model, resolve)
        # Only numbers and durations negate; `-(2025-01-01)` is a type error, reported when
        # the expression is typed, not a constant.
        if isinstance(inner, bool) or not isinstance(inner, (int, Decimal, Duration)):
            return NOT_CONSTANT
        return -inner
    if isinstance(expr, nodes.ListLiteral):
        items = tuple(constant_value(i, model, resolve) for i in expr.items)
        return NOT_CONSTANT if NOT_CONSTANT in items else items
    if model is not None and isinstance(expr, (nodes.Name, nodes.Attribute)):
        if not resolve:
            return expr.name if _may_be_member(model, expr) else NOT_CONSTANT
        ref = model.refs.get(expr.nid)
        if ref is not None and ref.kind == "enum_member":
            return ref.name
    return NOT_CONSTANT


def _may_be_member(model: Model, expr) -> bool:
    if isinstance(expr, nodes.Attribute):
        return isinstance(expr.target, nodes.Name) and expr.target.name in model.enums
    return bool(model.enums_with_member(expr.name))


def check_field_defaults(model: Model, diags: list[Diagnostic]) -> None:
    records = [(t, True) for t in model.input_types.values()] + \
        [(r, False) for r in model.records.values()]
    for record, is_input in records:
        reads: dict[str, tuple[nodes.Expr, set[str]]] = {}
        for info in record.fields.values():
            if info.default is None:
                continue
            # Defaults of input fields may read other input fields; nested ones only literals.
            checker = ExprChecker(model, diags, f"{record.name}.{info.name}", fields_only=True,
                                  kind=record.name if is_input else model.default_kind)
            if not is_input and constant_value(info.default) is NOT_CONSTANT:
                diags.append(Diagnostic.error("Y133", info.default.span, name=info.name))
                continue
            checker.expect(info.default, info.ty, f"the default of {info.name}")
            if info.name in checker.read_names:
                diags.append(Diagnostic.error("Y134", info.default.span, name=info.name))
            reads[info.name] = (info.default, checker.read_names)
        check_default_cycles(reads, diags)


def check_rules(model: Model, diags: list[Diagnostic]) -> None:
    read: dict[str, set[str]] = {kind: set() for kind in model.inputs}
    for name, rule in model.callables.items():
        decl = rule.decl
        if decl.record_kind is not None and decl.record_kind not in model.inputs:
            diags.append(Diagnostic.error("Y139", decl.name_span, hints=did_you_mean(
                decl.record_kind, model.inputs), name=name, kind=decl.record_kind))
            model.calls[name] = []
            continue
        if getattr(decl, "required", False) or rule.ty is None:   # tables are never required
            model.calls[name] = []
            continue
        kind = model.rule_kind(name)
        locals_ = {p.name: t for p, t in zip(decl.params, rule.param_types)}
        checker = ExprChecker(model, diags, name, locals_, kind=kind)
        if isinstance(decl, nodes.TableDecl):
            _check_table(checker, decl, rule)
        else:
            if decl.guard is not None:
                checker.expect(decl.guard, BOOL, f"the `when` condition of {name}")
            checker.expect_given(decl.guard, True, decl.body, rule.ty, f"the value of {name}")
            _check_exceptions(checker, decl.exceptions, rule.ty, name)
        model.calls[name] = checker.called
        model.reads[name] = set(checker.read_names)
        read.setdefault(kind, set()).update(checker.read_names)
    for name, measure in model.measures.items():
        kind = model.rule_kind(name)
        if kind not in model.inputs:
            diags.append(Diagnostic.error("Y139", measure.decl.name_span, hints=did_you_mean(
                kind, model.inputs), name=name, kind=kind))
            continue
        checker = ExprChecker(model, diags, name, kind=kind)
        _check_measure(model, checker, measure, diags)
        model.reads[name] = set(checker.read_names)
        read.setdefault(kind, set()).update(checker.read_names)
    for kind, record in model.input_types.items():
        names = read.get(kind, set())
        for info in record.fields.values():
            if info.default is not None and info.name in names:
                checker = ExprChecker(model, [], info.name, fields_only=True, kind=kind)
                checker.infer(info.default)
                names |= checker.read_names
        model.read_fields_by_kind[kind] = frozenset(n for n in names if n in record.fields)


HIT_RESULT_TYPES = {"max": "ordered", "min": "ordered", "collect sum": "numeric"}


def _check_table(checker: ExprChecker, table: nodes.TableDecl, rule) -> None:
    """Types of cells and results; then, when every cell is a constant, the analysis."""
    model, diags, ty = checker.model, checker.diags, rule.ty
    columns = rule.param_types
    need = HIT_RESULT_TYPES.get(table.hit)
    if need == "ordered" and not (ty in ORDERED or isinstance(ty, EnumTy)):
        diags.append(Diagnostic.error("Y234", table.type.span, hit=table.hit, type=str(ty)))
    if need == "numeric" and ty not in (INT, DECIMAL, MONEY, PERCENT):
        diags.append(Diagnostic.error("Y234", table.type.span, hit=table.hit, type=str(ty)))
    analysable = len(table.rows) <= MAX_TABLE_ROWS
    if not analysable:
        diags.append(Diagnostic.error("Y155", table.name_span, hints=[Hint.of("hint.Y155")],
                                      table=table.name, rows=len(table.rows),
                                      limit=MAX_TABLE_ROWS))
    cells: list[list[tuple]] = []
    seen: dict[str, nodes.TableRow] = {}
    for row in table.rows:
        if row.name in seen:
            diags.append(Diagnostic.error("Y102", row.span, name=row.name,
                                          first=str(seen[row.name].span)))
        seen[row.name] = row
        if len(row.cells) != len(columns):
            diags.append(Diagnostic.error("Y235", row.span, row=row.name,
                                          expected=len(columns), found=len(row.cells)))
            analysable = False
            checker.expect(row.result, ty, f"the result of row {row.name}")
            continue
        constants = []
        for cell, column, param in zip(row.cells, columns, table.params):
            test = _check_cell(checker, cell, column, param.name, row.name)
            if test is None:
                analysable = False
                continue
            model.cell_tests[cell.nid] = test
            value = constant_value(cell.value, model) if cell.value is not None else None
            high = constant_value(cell.high, model) if cell.high is not None else None
            if value is NOT_CONSTANT or high is NOT_CONSTANT:
                analysable = False
            elif cell.kind == "range" and _reversed(value, high, ordinal(column)):
                analysable = False   # the analysis would only add that the row never applies
                bounds = {"low": _text(model, cell.value), "high": _text(model, cell.high)}
                diags.append(Diagnostic.error("Y237", cell.span, row=row.name,
                                              hints=[Hint.of("hint.Y237", **bounds)], **bounds))
            constants.append((test, cell.op, ordinal(column), value, high))
        cells.append(constants)
        checker.expect(row.result, ty, f"the result of row {row.name}")
    if table.otherwise is not None:
        checker.expect(table.otherwise, ty, f"the `otherwise` result of {table.name}")
    if analysable and all(t is not None for t in columns):
        analyse(table, list(columns), cells, diags)


def _reversed(low, high, key) -> bool:
    """Are the constant bounds of a range cell the wrong way round?"""
    if low is None or high is None:
        return False
    if key is not None:
        low, high = key(low), key(high)
    try:
        return high < low
    except TypeError:   # bounds of different types: a type error reported elsewhere
        return False


def _text(model: Model, expr: nodes.Expr) -> str:
    """An expression as written in its source file, for a message."""
    source = model.sources.get(expr.span.path)
    return shorten(source.text[expr.span.start:expr.span.end]) if source is not None else "?"


def _check_cell(checker: ExprChecker, cell: nodes.Cell, column, param: str, row: str):
    if cell.kind == "any":
        return "any"
    expected = None if cell.kind == "equal" else column
    value_ty = checker.infer(cell.value, strip_optional(column) if cell.kind != "equal"
                             else _cell_expectation(column))
    if cell.kind == "range":
        checker.expect(cell.high, column, f"the end of the range in row {row}")
    test = cell_test(cell, column, value_ty)
    if test is None and value_ty is not None:
        checker.diags.append(Diagnostic.error("Y236", cell.span, row=row, param=param,
                                              column=str(column), found=str(value_ty),
                                              kind=cell.kind))
    elif expected is not None and value_ty is not None and not assignable(value_ty, expected) \
            and not assignable(value_ty, strip_optional(expected)):
        checker.diags.append(Diagnostic.error("Y236", cell.span, row=row, param=param,
                                              column=str(column), found=str(value_ty),
                                              kind=cell.kind))
        return None
    return test


def _cell_expectation(column):
    """What a bare enum member in an `equal` cell should resolve against."""
    col = strip_optional(column)
    return ListTy(col.inner) if isinstance(col, ListTy) else ListTy(col)


MEASURE_TYPES = {"count": INT, "share": PERCENT}


def _check_measure(model: Model, checker: ExprChecker, measure, diags) -> None:
    decl = measure.decl
    measure.ty = resolve_type(model, decl.type, diags)
    if decl.kind == "share":
        checker.expect(decl.value, BOOL, f"what {decl.name} counts")
    if decl.where is not None:
        checker.expect(decl.where, BOOL, f"the population of {decl.name}")
    result = MEASURE_TYPES.get(decl.kind)
    if decl.kind == "sum":
        result = checker.infer(decl.value)
        if result is not None and result not in (INT, DECIMAL, MONEY):
            diags.append(Diagnostic.error("Y219", decl.value.span, found=str(result)))
    if measure.ty is not None and result is not None and measure.ty != result:
        diags.append(Diagnostic.error("Y201", decl.type.span, what=f"measure {decl.name}",
                                      expected=str(result), found=str(measure.ty)))
    if decl.target is not None and measure.ty is not None:
        checker.expect(decl.target, measure.ty, f"the target of {decl.name}")


def _check_exceptions(checker: ExprChecker, exceptions, ty, rule_name: str) -> None:
    seen = {}
    for exc in exceptions:
        if exc.name in seen:
            checker.diags.append(Diagnostic.error("Y102", exc.span, name=exc.name,
                                                  first=str(seen[exc.name].span)))
        seen[exc.name] = exc
        checker.expect(exc.guard, BOOL, f"the `when` condition of {exc.ident}")
        checker.expect_given(exc.guard, True, exc.body, ty, f"the value of {exc.ident}")
        _check_exceptions(checker, exc.exceptions, ty, rule_name)


def check_recursion(model: Model, diags: list[Diagnostic]) -> None:
    """A rule may call itself only on a strictly smaller value of a bounded int parameter:
    `f(y - k)` with k a positive literal and `y: int >= BOUND` declared."""
    for name, calls in model.calls.items():
        decl = model.callable(name).decl
        for callee, call in calls:
            if callee != name:
                continue
            if call is None:
                diags.append(Diagnostic.error("Y311", decl.name_span, name=name))
                continue
            if not _decreasing(decl, call):
                diags.append(Diagnostic.error("Y312", call.span, hints=[Hint.of("hint.Y312")],
                                              name=name))


def _decreasing(decl: nodes.RuleDecl, call: nodes.Call) -> bool:
    for param, arg in zip(decl.params, call.args):
        if param.lower_bound is None:
            continue
        if isinstance(arg, nodes.Binary) and arg.op == "-" and isinstance(arg.left, nodes.Name) \
                and arg.left.name == param.name and isinstance(arg.right, nodes.Literal) \
                and arg.right.kind == "int" and arg.right.value >= 1:
            return True
    return False


def check_outputs(model: Model, diags: list[Diagnostic]) -> None:
    for name, rule in model.rules.items():
        if rule.decl.is_output and rule.decl.params:
            diags.append(Diagnostic.error("Y135", rule.decl.name_span, name=name))
        if rule.decl.is_output and isinstance(rule.ty, (ListTy, HistoryTy, RecordTy)):
            diags.append(Diagnostic.error("Y136", rule.decl.type.span, name=name,
                                          type=str(rule.ty)))
    if model.status != "template" and not model.outputs:
        diags.append(Diagnostic.warning("Y137", model.header.span, policy=model.policy_id))


def check_unused(model: Model, diags: list[Diagnostic]) -> None:
    """A rule or parameter this file declares that no output or measure reaches is a
    warning: usually a leftover, or a reading that was meant to be used.  Templates declare
    for the policies that extend them, so they are not checked."""
    if model.status == "template":
        return
    reached: set[str] = set()
    todo = [n for n in model.rules if model.rules[n].decl.is_output] + list(model.measures)
    while todo:
        name = todo.pop()
        if name in reached:
            continue
        reached.add(name)
        todo.extend(model.reads.get(name, ()))
    here = model.chain[-1]
    for item in here.items:
        # An override fills a slot its parent declared; whether the parent uses it is the
        # parent's business.
        if isinstance(item, (nodes.RuleDecl, nodes.TableDecl, nodes.ParameterDecl)) and \
                not item.override and item.name not in reached and \
                not getattr(item, "is_output", False):
            diags.append(Diagnostic.warning("Y150", item.name_span, name=item.name))


PASSES = (
    merge_chain,
    check_header,
    resolve_types,
    check_record_containment,
    type_declarations,
    check_parameter_values,
    check_field_defaults,
    check_rules,
    check_cycles,
    check_call_depth,
    check_recursion,
    check_required,
    check_outputs,
    check_unused,
    *LINTS,
)


def run_passes(model: Model) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    for check in PASSES:
        check(model, diags)
    return diags
