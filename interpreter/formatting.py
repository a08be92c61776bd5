"""Runtime values as JSON and as text, by their static type.

The conventions follow values.py:

| type      | to_json                 | to_text            |
|-----------|-------------------------|--------------------|
| bool      | true / false            | true / false       |
| int       | number                  | 42                 |
| decimal   | "1.5" (exact, a string) | 1.5                |
| money     | "303000.00"             | 303000.00          |
| percent   | "20%"                   | 20%                |
| date      | "2027-06-01"            | 2027-06-01         |
| duration  | "3 个月"                 | 3 个月              |
| text      | "…"                     | …                  |
| enum      | member name ("全额资助") | member name        |
| none      | null                    | none               |
| list      | array                   | [a, b]             |
| record    | object of its fields    | {field: value, …}  |
| history   | array of entry objects  | [{…}, …]           |

An output of type money is always whole cents (the evaluator refuses anything else, E510)
and shows two decimals.  A rule along the way may hold a finer amount (money × percent
before `round`); an explanation shows it exactly, with as many decimals as it has
(`33.0033`), never rounded to look like cents.  Numbers are
written from their digits, never through the decimal context, so a host program's context
(any precision, any traps) cannot change or break the text.

`ty` may be a types.Ty, the text of a type as an explanation node carries it (`"money"`,
`"optional money"`, `"list of text"`, `"Scheme"`), or None; for a name that is not a
primitive (an enum or a record) and for None, the Python value decides.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from . import types as T
from .values import (Duration, History, cents_text, is_whole_cents, plain_text,
                     times_hundred)

_PRIM_NAMES = frozenset(("bool", "int", "decimal", "money", "percent", "date", "duration",
                         "text", "none"))


# ------------------------------------------------------------------ type shapes
def _shape(ty):
    """Reduce a Ty or a type's text to a small tuple this module dispatches on:
    ("prim", name) | ("optional", shape) | ("list", shape) | ("history", fields_or_None)
    | ("record", {field: shape} | None) | ("enum", name) | ("any",)."""
    if ty is None:
        return ("any",)
    if isinstance(ty, str):
        # An explanation asks for the same few type texts hundreds of thousands of times.
        shape = _TEXT_SHAPES.get(ty)
        if shape is None:
            shape = _text_shape(ty)
            if len(_TEXT_SHAPES) < _MAX_TEXT_SHAPES:   # a policy has a few dozen types
                _TEXT_SHAPES[ty] = shape
        return shape
    return _ty_shape(ty)


_TEXT_SHAPES: dict[str, tuple] = {}
_MAX_TEXT_SHAPES = 10_000


def _text_shape(ty: str):
    text = ty.strip()
    if text.startswith("optional "):
        return ("optional", _shape(text[len("optional "):]))
    if text.startswith("list of "):
        return ("list", _shape(text[len("list of "):]))
    if text.startswith("history of "):
        return ("history", None)
    if text in _PRIM_NAMES:
        return ("prim", text)
    return ("any",)   # an enum or record name: the value's Python type decides


def _ty_shape(ty):
    if isinstance(ty, T.Prim):
        return ("prim", ty.name)
    if isinstance(ty, T.OptionalTy):
        return ("optional", _shape(ty.inner))
    if isinstance(ty, T.ListTy):
        return ("list", _shape(ty.inner))
    if isinstance(ty, T.HistoryTy):
        return ("history", {name: _shape(f.ty) for name, f in ty.record.fields.items()})
    if isinstance(ty, T.RecordTy):
        return ("record", {name: _shape(f.ty) for name, f in ty.fields.items()})
    if isinstance(ty, T.EnumTy):
        return ("enum", ty.name)
    return ("any",)


def _guess(value):
    """The shape of a value whose static type is not known."""
    if value is None:
        return ("prim", "none")
    if isinstance(value, bool):
        return ("prim", "bool")
    if isinstance(value, int):
        return ("prim", "int")
    if isinstance(value, Decimal):
        return ("prim", "decimal")
    if isinstance(value, dt.date):
        return ("prim", "date")
    if isinstance(value, Duration):
        return ("prim", "duration")
    if isinstance(value, str):
        return ("prim", "text")
    if isinstance(value, History):
        return ("history", None)
    if isinstance(value, (tuple, list)):
        return ("list", ("any",))
    if isinstance(value, dict):
        return ("record", None)
    return ("any",)


# ------------------------------------------------------------------ scalars
def _plain(number: Decimal) -> str:
    """A Decimal without exponent and without trailing zeros after the point."""
    return plain_text(number)


def money_string(value) -> str:
    """'303000.00' for whole cents; a finer amount exactly, as '33.0033'."""
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError(f"money value {value!r} is not a number")
    return cents_text(amount) if is_whole_cents(amount) else plain_text(amount)


def percent_string(value) -> str:
    """A fraction as a percentage: Decimal('0.2') -> '20%', Decimal('0.125') -> '12.5%'."""
    return plain_text(times_hundred(Decimal(value))) + "%"


def duration_string(value) -> str:
    months = value.months if isinstance(value, Duration) else int(value)
    return f"{months} 个月"


def _scalar_json(name: str, value):
    if value is None:
        return None
    if name == "bool":
        return bool(value)
    if name == "int":
        return int(value)
    if name == "decimal":
        return _plain(Decimal(value)) if isinstance(value, (Decimal, int)) else str(value)
    if name == "money":
        return money_string(value)
    if name == "percent":
        return percent_string(value)
    if name == "date":
        return value.isoformat()
    if name == "duration":
        return duration_string(value)
    return str(value)  # text, none


# ------------------------------------------------------------------ JSON
def to_json(value, ty=None):
    """A JSON-able form of a runtime value of static type `ty` (see the module docstring)."""
    return _json(value, _shape(ty))


def _json(value, shape):
    if value is None:
        return None
    kind = shape[0]
    if kind == "any":
        shape = _guess(value)
        kind = shape[0]
        if kind == "any":
            return str(value)
    if kind == "prim":
        return _scalar_json(shape[1], value)
    if kind == "enum":
        return str(value)
    if kind == "optional":
        return _json(value, shape[1])
    if kind == "list":
        return [_json(item, shape[1]) for item in value]
    if kind == "history":
        entries = value.entries if isinstance(value, History) else value
        return [_json(entry, ("record", shape[1])) for entry in entries]
    if kind == "record":
        fields = shape[1] or {}
        return {key: _json(item, fields.get(key, ("any",))) for key, item in value.items()}
    return str(value)  # pragma: no cover - every shape is handled above


# ------------------------------------------------------------------ text
def to_text(value, ty=None) -> str:
    """A one-line text form of a runtime value of static type `ty`, for tables and trees."""
    return _text(value, _shape(ty), top=True)


def _text(value, shape, top: bool) -> str:
    if value is None:
        return "none"
    kind = shape[0]
    if kind == "any":
        shape = _guess(value)
        kind = shape[0]
        if kind == "any":
            return str(value)
    if kind == "optional":
        return _text(value, shape[1], top)
    if kind == "prim":
        name = shape[1]
        if name == "bool":
            return "true" if value else "false"
        if name == "text" and not top:
            return _quote(str(value))
        scalar = _scalar_json(name, value)
        return "none" if scalar is None else str(scalar)
    if kind == "enum":
        return str(value)
    if kind == "list":
        return "[" + ", ".join(_text(item, shape[1], False) for item in value) + "]"
    if kind == "history":
        entries = value.entries if isinstance(value, History) else value
        return "[" + ", ".join(_text(e, ("record", shape[1]), False) for e in entries) + "]"
    if kind == "record":
        fields = shape[1] or {}
        inner = ", ".join(f"{key}: {_text(item, fields.get(key, ('any',)), False)}"
                          for key, item in value.items())
        return "{" + inner + "}"
    return str(value)  # pragma: no cover


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ------------------------------------------------------------------ display width
def display_width(text: str) -> int:
    """Terminal columns of `text`: East Asian wide and full-width characters take two."""
    import unicodedata

    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def pad(text: str, width: int) -> str:
    """`text` padded with spaces on the right to `width` display columns."""
    return text + " " * max(0, width - display_width(text))
