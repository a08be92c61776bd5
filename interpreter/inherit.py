"""Merge a policy with the chain it extends: template -> province -> city.

Each file's declarations are laid over its parent's.  Replacing an inherited name needs
`override`; `override` of a name the parent lacks is an error; `amend` changes the label,
citation and note of an inherited declaration and, for a rule, may add exceptions or
replace named ones (`override exception`) without copying the rule.  A policy that is not
a template must leave nothing `required` unset.
"""
from __future__ import annotations

from dataclasses import replace

from . import nodes
from .diagnostics import Diagnostic, Hint, did_you_mean
from .model import Measure, Model, Origin, Param, Rule, Table


def merge_chain(model: Model, diags: list[Diagnostic]) -> None:
    for index, policy in enumerate(model.chain):
        origin = model.origins[policy.header.policy_id]
        _merge_file(model, policy, origin, inherited=index > 0, diags=diags)


def _merge_file(model: Model, policy: nodes.PolicyFile, origin: Origin, inherited: bool,
                diags: list[Diagnostic]) -> None:
    seen_here: dict[tuple[str, str], nodes.Decl] = {}
    # What the parents declare, for suggestions: only those can be overridden or amended.
    parents = {"type": tuple(_names(model, "type")), "value": tuple(_names(model, "value")),
               "fields": {kind: tuple(fields) for kind, fields in model.inputs.items()}}
    for item in policy.items:
        space = "type" if isinstance(item, (nodes.EnumDecl, nodes.RecordDecl)) else "value"
        if isinstance(item, nodes.InputDecl):
            _merge_input(model, item, seen_here, parents["fields"].get(item.name, ()), diags)
            continue
        if isinstance(item, nodes.AmendDecl):
            _amend(model, item, seen_here, inherited, origin, parents["value"], diags)
            continue
        key = (space, item.name)
        if key in seen_here:
            diags.append(Diagnostic.error("Y102", item.name_span, name=item.name,
                                          first=str(seen_here[key].name_span)))
            continue
        seen_here[key] = item
        existing = _lookup(model, space, item.name)
        if existing is not None and not item.override:
            diags.append(Diagnostic.error("Y301", item.name_span, hints=[Hint.of("hint.Y301")],
                                          name=item.name, parent=_origin_of(existing)))
        elif existing is None and item.override:
            diags.append(Diagnostic.error("Y302", item.name_span,
                                          hints=did_you_mean(item.name, parents[space]),
                                          name=item.name))
        elif existing is not None:
            _check_override_shape(existing, item, diags)
        _install(model, item, origin)


def _lookup(model: Model, space: str, name: str):
    if space == "type":
        return model.enum_decls.get(name) or model.record_decls.get(name)
    return model.params.get(name) or model.callable(name) or model.measures.get(name)


def _names(model: Model, space: str):
    if space == "type":
        return list(model.enum_decls) + list(model.record_decls)
    return list(model.params) + list(model.callables) + list(model.measures)


def _origin_of(existing) -> str:
    if isinstance(existing, (Param, Rule, Table, Measure)):
        return existing.origin.policy_id
    return str(existing.name_span)


def _check_override_shape(existing, item, diags: list[Diagnostic]) -> None:
    """An override keeps the kind of value and its signature; only the definition changes."""
    old = existing.decl if isinstance(existing, (Param, Rule, Measure)) else existing
    if isinstance(old, (nodes.EnumDecl, nodes.RecordDecl)) != isinstance(
            item, (nodes.EnumDecl, nodes.RecordDecl)) or (
            isinstance(old, nodes.EnumDecl) != isinstance(item, nodes.EnumDecl)):
        diags.append(Diagnostic.error("Y303", item.name_span, name=item.name))
        return
    if isinstance(item, (nodes.RuleDecl, nodes.ParameterDecl, nodes.TableDecl,
                         nodes.MeasureDecl)):
        if _type_text(old.type) != _type_text(item.type):
            diags.append(Diagnostic.error("Y304", item.type.span, name=item.name,
                                          old=_type_text(old.type), new=_type_text(item.type)))
        old_params = [(_type_text(p.type)) for p in getattr(old, "params", ())]
        new_params = [(_type_text(p.type)) for p in getattr(item, "params", ())]
        if old_params != new_params:
            diags.append(Diagnostic.error("Y305", item.name_span, name=item.name,
                                          old=", ".join(old_params) or "-",
                                          new=", ".join(new_params) or "-"))
        if getattr(old, "is_output", False) and not getattr(item, "is_output", False):
            diags.append(Diagnostic.error("Y306", item.name_span, name=item.name))
    if isinstance(old, nodes.RuleDecl) and isinstance(item, nodes.RuleDecl):
        _warn_dropped_exceptions(existing, old, item, diags)


def _warn_dropped_exceptions(existing, old: nodes.RuleDecl, new: nodes.RuleDecl,
                             diags: list[Diagnostic]) -> None:
    """An override that leaves out an inherited exception (a template's `newborn`) changes
    who it applies to without saying so: one warning naming what was dropped."""
    kept = {exc.name for exc in _flatten(new.exceptions)}
    dropped = [exc.ident.split("#", 1)[1] for exc in _flatten(old.exceptions)
               if exc.name not in kept]
    if dropped:
        diags.append(Diagnostic.warning("Y316", new.name_span, hints=[Hint.of("hint.Y316")],
                                        name=new.name, parent=existing.origin.policy_id,
                                        exceptions=", ".join(dropped)))


def _type_text(t: nodes.TypeRef) -> str:
    if isinstance(t, nodes.NamedType):
        return t.name
    if isinstance(t, nodes.OptionalType):
        return "optional " + _type_text(t.inner)
    if isinstance(t, nodes.ListType):
        return "list of " + _type_text(t.inner)
    return "history of " + t.record


def _install(model: Model, item, origin: Origin) -> None:
    if isinstance(item, nodes.EnumDecl):
        model.enum_decls[item.name] = item
    elif isinstance(item, nodes.RecordDecl):
        model.record_decls[item.name] = item
    elif isinstance(item, nodes.ParameterDecl):
        _forget(model, item.name)
        model.params[item.name] = Param(item, origin, item.attrs)
    elif isinstance(item, nodes.RuleDecl):
        _forget(model, item.name)
        model.rules[item.name] = Rule(item, origin, item.attrs, defined_in=origin)
    elif isinstance(item, nodes.TableDecl):
        _forget(model, item.name)
        model.tables[item.name] = Table(item, origin, item.attrs, defined_in=origin)
    elif isinstance(item, nodes.MeasureDecl):
        model.measures[item.name] = Measure(item, origin, item.attrs)


def _forget(model: Model, name: str) -> None:
    """An override may change what kind of value slot a name is (a parameter becomes a
    rule, a rule a table): the inherited declaration goes, whichever it was."""
    model.params.pop(name, None)
    model.rules.pop(name, None)
    model.tables.pop(name, None)


def _merge_input(model: Model, item: nodes.InputDecl, seen_here, parent_fields,
                 diags) -> None:
    fields = model.inputs.setdefault(item.name, {})
    for fd in item.fields:
        key = ("field", item.name, fd.name)
        if key in seen_here:
            diags.append(Diagnostic.error("Y102", fd.name_span, name=fd.name,
                                          first=str(seen_here[key].name_span)))
            continue
        seen_here[key] = fd
        exists = fd.name in fields
        if exists and not fd.override:
            diags.append(Diagnostic.error("Y301", fd.name_span, hints=[Hint.of("hint.Y301")],
                                          name=fd.name, parent=str(fields[fd.name].name_span)))
        elif not exists and fd.override:
            diags.append(Diagnostic.error("Y302", fd.name_span,
                                          hints=did_you_mean(fd.name, parent_fields),
                                          name=fd.name))
        fields[fd.name] = fd


def _amend(model: Model, item: nodes.AmendDecl, seen_here, inherited: bool, origin: Origin,
           parent_names, diags) -> None:
    target = model.params.get(item.name) or model.callable(item.name) or \
        model.measures.get(item.name)
    if target is None or not inherited or ("value", item.name) in seen_here:
        diags.append(Diagnostic.error("Y308", item.name_span,
                                      hints=did_you_mean(item.name, parent_names),
                                      name=item.name))
        return
    amending = Origin(origin.policy_id, origin.document)   # the policy this amend is in
    target.attrs = _merged(target.attrs, item.attrs)
    # The citation now points into the amending policy's text.
    if item.attrs.cite:
        target.origin = amending
    parts = item.exceptions + item.added + item.replaced
    if parts and not isinstance(target, Rule):
        diags.append(Diagnostic.error("Y314", parts[0].span, name=item.name,
                                      exception=parts[0].name))
        return
    if (item.added or item.replaced or _changes_cases(item.exceptions)) and target.decl.required:
        diags.append(Diagnostic.error("Y320", item.name_span, name=item.name))
        return
    if isinstance(target, Rule):
        _edit_cases(target, item, amending, diags)
    cases = _exception_index(target.decl.exceptions) if isinstance(target, Rule) else {}
    for amended in _flatten(item.exceptions):
        exc = cases.get(amended.ident)
        if exc is None:
            diags.append(Diagnostic.error(
                "Y314", amended.span, hints=did_you_mean(amended.ident, cases),
                name=item.name, exception=amended.ident))
            continue
        attrs, origin = target.case_citation(exc)
        target.case_attrs[amended.ident] = (
            _merged(attrs, amended.attrs), amending if amended.attrs.cite else origin)


def _changes_cases(amended) -> bool:
    return any(a.added or a.replaced or _changes_cases(a.exceptions) for a in amended)


def _edit_cases(rule: Rule, item: nodes.AmendDecl, amending: Origin, diags) -> None:
    """Add the exceptions an amend declares and replace those it overrides, at the level
    where they are written (under the rule, or under a named exception).  The rule's
    declaration is rebuilt; every new case is cited from the amending policy."""
    def edit(cases: tuple, part) -> tuple:
        by_name = {c.name: c for c in cases}
        out = []
        for case in cases:
            inner = next((a for a in part.exceptions if a.name == case.name), None)
            new = next((r for r in part.replaced if r.name == case.name), None)
            if new is not None:
                case = new
                _cite_all(rule, (new,), amending)
            elif inner is not None:
                case = replace(case, exceptions=edit(case.exceptions, inner))
            out.append(case)
        for new in part.replaced:
            if new.name not in by_name:
                diags.append(Diagnostic.error(
                    "Y314", new.span, hints=did_you_mean(new.name, by_name),
                    name=item.name, exception=new.ident))
        for new in part.added:
            if new.name in by_name:
                diags.append(Diagnostic.error("Y319", new.span, name=item.name,
                                              exception=new.ident))
                continue
            out.append(new)
            _cite_all(rule, (new,), amending)
        return tuple(out)

    if item.added or item.replaced or _changes_cases(item.exceptions):
        rule.decl = replace(rule.decl, exceptions=edit(rule.decl.exceptions, item))


def _cite_all(rule: Rule, cases, origin: Origin) -> None:
    for case in cases:
        rule.case_attrs[case.ident] = (case.attrs, origin)
        _cite_all(rule, case.exceptions, origin)


def _merged(old: nodes.Attrs, new: nodes.Attrs) -> nodes.Attrs:
    # A document named with the cite belongs to that cite, and goes where it goes.
    return nodes.Attrs(new.label or old.label, new.cite or old.cite, new.note or old.note,
                       old.key, new.cite_document if new.cite else old.cite_document)


def _exception_index(exceptions) -> dict:
    found = {}
    for exc in exceptions:
        found[exc.ident] = exc
        found.update(_exception_index(exc.exceptions))
    return found


def _flatten(amended):
    for a in amended:
        yield a
        yield from _flatten(a.exceptions)


def check_required(model: Model, diags: list[Diagnostic]) -> None:
    """A policy that is not a template must set everything its chain marks `required`."""
    if model.status == "template":
        return
    for name, value in list(model.params.items()) + list(model.rules.items()):
        if value.decl.required:
            diags.append(Diagnostic.error(
                "Y309", model.header.span, hints=[Hint.of("hint.Y309", name=name)],
                name=name, parent=value.origin.policy_id, policy=model.policy_id))
