"""`yibao explain POLICY RECORD 'rule(2027)'`: what to explain, read from the command line.

The target is an output or rule name, or a rule called with arguments written as on a
policy line: whole numbers, dates (YYYY-MM-DD), text (quoted or bare), true/false, enum
members, amounts.  Each argument is converted to its parameter's type, or refused with a
diagnostic naming the parameter and the fix (C615-C618).  Never evaluated as code: an
argument is a literal, read by its declared type.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from .diagnostics import Diagnostic, DiagnosticError, Hint, close_names
from .types import BOOL, DATE, DECIMAL, INT, MONEY, PERCENT, TEXT, EnumTy, Ty

_CALL = re.compile(r"^\s*([^\W\d]\w*)\s*(?:\((.*)\))?\s*$", re.DOTALL)
_INT = re.compile(r"^-?[0-9]+$")
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def _error(code: str, hints=(), **args) -> DiagnosticError:
    return DiagnosticError([Diagnostic.error(code, None, hints=hints, **args)])


def read_target(model, text: str) -> tuple[str, tuple]:
    """(rule name, argument values) for `text`; raises DiagnosticError."""
    found = _CALL.match(text)
    if found is None:
        raise _error("C618", text=text)
    name, written = found.group(1), found.group(2)
    rule = model.callable(name)
    if rule is None or name not in model.rules:
        names = list(model.rules)
        close = close_names(name, names, n=1, cutoff=0.5)
        raise _error("C603", hints=[Hint.of("C690", name=close[0])] if close else [],
                     name=name, policy=model.policy_id, outputs=", ".join(model.outputs))
    params = rule.decl.params
    args = _split(written) if written is not None and written.strip() else []
    if len(args) != len(params):
        shown = ", ".join(f"{p.name}: {t}" for p, t in zip(params, rule.param_types))
        raise _error("C615", name=name, count=len(params), params=shown or "-",
                     found=len(args))
    values = tuple(_convert(model, name, p.name, ty, arg)
                   for p, ty, arg in zip(params, rule.param_types, args))
    return name, values


def _split(written: str) -> list[str]:
    """Arguments separated by commas outside double quotes."""
    parts, current, quoted = [], [], False
    for ch in written:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    parts.append("".join(current).strip())
    return parts


def _convert(model, rule: str, param: str, ty: Ty, arg: str):
    def bad():
        return _error("C616", rule=rule, param=param, value=arg, type=str(ty))

    if ty == INT:
        if not _INT.match(arg):
            raise bad()
        return int(arg)
    if ty == DATE:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", arg):
            raise bad()
        try:
            return dt.date.fromisoformat(arg)
        except ValueError:
            raise bad() from None
    if ty == BOOL:
        if arg not in ("true", "false"):
            raise bad()
        return arg == "true"
    if ty == TEXT:
        return arg[1:-1] if len(arg) >= 2 and arg[0] == arg[-1] == '"' else arg
    if ty in (DECIMAL, MONEY, PERCENT):
        text = arg.removesuffix("元").strip() if ty == MONEY else arg
        scale = Decimal(1)
        if ty == PERCENT and text.endswith("%"):
            text, scale = text[:-1], Decimal("0.01")
        if not _NUMBER.match(text):
            raise bad()
        try:
            return Decimal(text) * scale
        except InvalidOperation:
            raise bad() from None
    if isinstance(ty, EnumTy):
        member = model.member_value(ty, arg.split(".")[-1])
        if member is None:
            raise bad()
        return member
    raise _error("C617", rule=rule, param=param, type=str(ty))
