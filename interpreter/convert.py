"""Raw values (as YAML, JSON or Python give them) converted to runtime values by type.

The one conversion yibao has: records (records.py) and region values (regions.py) both go
through it.  Numbers are read only from ASCII digits, within the limits in limits.py,
checked on the text before int() or Decimal() sees it, and converted in
arithmetic.LOADING's decimal context whatever context the caller has set.  Every problem is
collected with its data path (`enrollment[2].paid_on`, indexes from 0) and, when the value
came from a file, its line and column.  show() writes a raw value back for a message.
"""
from __future__ import annotations

import calendar
import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal

from .datafile import (INT_TEXT, KEY, UNREADABLE, NumberText, Places, join, number_from_text,
                       quote)
from .diagnostics import Diagnostic, DiagnosticError, Hint, close_names
from .limits import (INT_MAX, INT_MIN, MAX_FRACTION_DIGITS, MAX_INT_DIGITS, MAX_MAGNITUDE_DIGITS,
                     MAX_SIGNIFICANT_DIGITS, MONEY_MAGNITUDE_DIGITS)
from .source import Span
from .types import INT, EnumTy, HistoryTy, ListTy, OptionalTy, Prim, RecordTy, Ty
from .values import CENT, Duration, History

_BAD = object()         # a value that failed; its diagnostic is already recorded
_NOWHERE = "\x00"       # `at` for diagnostics with no position (a missing top-level field)
_MONEY_LIMIT = Decimal(10) ** MONEY_MAGNITUDE_DIGITS
_SHOW_DEPTH = 3         # nested lists and mappings a message shows; deeper ones are [...], {...}
_SHOW_KEY = 32          # characters of a mapping key a message shows

# [0-9], never \d: only ASCII digits are digits.
DATE_TEXT = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DATETIME_TEXT = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ][0-9]")
_NUMBER_TEXT = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_PERCENT_TEXT = re.compile(r"([+-]?[0-9]+(?:\.[0-9]+)?)\s*%")
_DURATION_TEXT = re.compile(r"([0-9]+)\s*(months?|个月|月|years?|年)")
# Whole numbers as YAML 1.1 wrote them (0x10, 0o17, 0b101, 1_000, 1:30), now read as text.
_OTHER_NOTATION = re.compile(r"[-+]?(?:0[xob][0-9a-fA-F_]+|[0-9][0-9_]*_[0-9_]*|[0-9]+(?::[0-9]+)+)")


# ------------------------------------------------------------------ display
def show(raw, limit: int = 48, *, written=None, path: str = "", depth: int = 0) -> str:
    """A value as the data file spells it, the same in English and Chinese messages: text
    in double quotes, other scalars as written when `written(path)` knows the text (`010`,
    not 10), nested lists and mappings only _SHOW_DEPTH deep, everything cut to `limit`."""
    if isinstance(raw, dict):
        if depth >= _SHOW_DEPTH:
            return "{...}" if raw else "{}"
        parts = (f"{_clip(plain(key), _SHOW_KEY)}: "
                 f"{show(value, limit // 2, written=written, path=join(path, key), depth=depth + 1)}"
                 for key, value in raw.items())
        return _bracket("{", parts, "}", limit)
    if isinstance(raw, (list, tuple)):
        if depth >= _SHOW_DEPTH:
            return "[...]" if raw else "[]"
        parts = (show(value, limit // 2, written=written, path=f"{path}[{index}]", depth=depth + 1)
                 for index, value in enumerate(raw))
        return _bracket("[", parts, "]", limit)
    text = written(path) if written is not None and not isinstance(raw, str) else None
    return _clip(_scalar_text(raw) if text is None else text, limit)


def _scalar_text(raw) -> str:
    if raw is None:
        return "null"
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, str):
        return quote(raw)
    if isinstance(raw, NumberText):
        return raw.text
    if isinstance(raw, dt.datetime):
        return raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return "?" if raw is UNREADABLE else str(raw)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:max(limit - 4, 8)] + " ..."


def _bracket(opening: str, parts, closing: str, limit: int) -> str:
    """Whole items only, then `...`: a cut inside an item would misquote it."""
    shown: list[str] = []
    width = 0
    for part in parts:
        if shown and width + len(part) + 2 > limit:
            shown.append("...")
            break
        shown.append(part)
        width += len(part) + 2
    return opening + ", ".join(shown) + closing


def plain(raw) -> str:
    """Text for quoting back in a hint: no JSON quotes around strings."""
    return raw if isinstance(raw, str) else show(raw)


def _close(word, candidates) -> list[Hint]:
    if not isinstance(word, str):
        return []
    found = close_names(word, candidates, n=1)
    return [Hint.of("hint.record.did_you_mean", name=found[0])] if found else []


# ------------------------------------------------------------------ scalar conversion
class Mismatch(Exception):
    """A raw value does not fit a type; the caller adds the place (field, path, span)."""

    def __init__(self, code: str, hints=(), **args):
        super().__init__(code)
        self.code, self.hints, self.args_ = code, tuple(hints), args


def convert_scalar(raw, ty: Ty, written=None):
    """Raw YAML/JSON scalar -> runtime value (values.py) for a primitive or an enum type.
    `written()`, when given, is the scalar's text in the file (asked only for a hint: for
    JSON, finding it means a pass over the file)."""
    if isinstance(ty, EnumTy):
        return _enum(raw, ty)
    if isinstance(ty, Prim) and ty.name == "text":
        return _text(raw, written)
    convert = _SCALARS.get(ty.name) if isinstance(ty, Prim) else None
    if convert is None:
        raise Mismatch("R432")
    return convert(raw)


def _int_limits() -> Mismatch:
    return Mismatch("R468", [Hint.of("hint.record.int_limits", digits=MAX_INT_DIGITS,
                                     min=INT_MIN, max=INT_MAX)])


def _number_limits() -> Mismatch:
    return Mismatch("R468", [Hint.of("hint.record.number_limits", significant=MAX_SIGNIFICANT_DIGITS,
                                     fraction=MAX_FRACTION_DIGITS, magnitude=MAX_MAGNITUDE_DIGITS)])


def _number(raw):
    """Decimal from int, Decimal, float or a number written as text; None when it is none of
    them.  Raises Mismatch beyond the limits (R468) and for infinities and NaN (R424)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, NumberText):
        raise _number_limits()
    if isinstance(raw, str):
        text = raw.strip()
        if not _NUMBER_TEXT.fullmatch(text):
            return None
        raw = number_from_text(text)
        if isinstance(raw, NumberText):
            raise _number_limits()
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise Mismatch("R424")
        raw = Decimal(str(raw))           # the shortest repr: 0.1 stays 0.1, not 0.1000000000000000055
    if isinstance(raw, int):
        if abs(raw) >= 10 ** MAX_MAGNITUDE_DIGITS:
            raise _number_limits()
        return Decimal(raw)
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise Mismatch("R424")
        _, digits, exponent = raw.as_tuple()
        if len(digits) > MAX_SIGNIFICANT_DIGITS or -exponent > MAX_FRACTION_DIGITS or \
                (raw and raw.adjusted() >= MAX_MAGNITUDE_DIGITS):
            raise _number_limits()
        return raw
    return None


def _digit_hints(raw) -> list[Hint]:
    """Why text that looks like a number is not one: other digits than 0-9, or a notation
    other than plain decimal."""
    if not isinstance(raw, str):
        return []
    text = raw.strip()
    if any(ch.isdigit() and not "0" <= ch <= "9" for ch in text):
        ascii_text = "".join(str(unicodedata.decimal(ch, "")) or ch if ch.isdigit() else ch for ch in text)
        return [Hint.of("hint.record.ascii_digits", text=ascii_text)]
    if _OTHER_NOTATION.fullmatch(text):
        return [Hint.of("hint.record.decimal_digits")]
    return []


def _money(raw):
    amount = _number(raw)
    if amount is None:
        hints = _digit_hints(raw)
        if isinstance(raw, str) and not hints:
            digits = re.sub(r"[¥￥,,\s元_]|RMB|CNY", "", raw)
            if digits != raw.strip() and _NUMBER_TEXT.fullmatch(digits):
                hints.append(Hint.of("hint.record.plain_amount", text=digits))
        raise Mismatch("R422", hints)
    if abs(amount) >= _MONEY_LIMIT:
        raise Mismatch("R422", [Hint.of("hint.record.too_large", limit=str(_MONEY_LIMIT))])
    if amount != amount.quantize(CENT):
        raise Mismatch("R423", [Hint.of("hint.record.fen")])
    return amount.quantize(CENT)


def _decimal(raw):
    number = _number(raw)
    if number is None:
        raise Mismatch("R429", _digit_hints(raw))
    return number


def _in_int_range(number: int) -> int:
    if not INT_MIN <= number <= INT_MAX:
        raise _int_limits()
    return number


def _int(raw):
    if isinstance(raw, bool):
        raise Mismatch("R425", [Hint.of("hint.record.bool_not_number")])
    if isinstance(raw, NumberText):
        raise _int_limits()
    if isinstance(raw, int):
        return _in_int_range(raw)
    if isinstance(raw, str):
        text = raw.strip()
        if INT_TEXT.fullmatch(text):
            if len(text.lstrip("+-")) > MAX_INT_DIGITS:
                raise _int_limits()
            return _in_int_range(int(text))
        raise Mismatch("R425", _digit_hints(text))
    if isinstance(raw, (float, Decimal)):
        try:
            number = _number(raw)
        except Mismatch as bad:
            raise (_int_limits() if bad.code == "R468" else bad) from None
        if number == number.to_integral_value():
            return _in_int_range(int(number))
    raise Mismatch("R425")


def _bool(raw):
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in ("true", "false"):
        raise Mismatch("R426", [Hint.of("hint.record.unquote", text=raw.strip().lower())])
    raise Mismatch("R426", [Hint.of("hint.record.bool_words")] if isinstance(raw, str) else [])


def _text(raw, written=None):
    if isinstance(raw, str):
        return raw
    if isinstance(raw, (dict, list, tuple)):
        raise Mismatch("R427")
    text = written() if written is not None else None
    raise Mismatch("R427", [Hint.of("hint.record.quote", text=text or plain(raw))])


_DATES: dict[str, dt.date] = {}      # text -> date, for the texts already read: a
_DATES_KEPT = 100_000                 # population repeats its payment dates many times


def _date(raw):
    if type(raw) is str:
        known = _DATES.get(raw)
        if known is not None:
            return known
        value = _date_uncached(raw)
        if len(_DATES) >= _DATES_KEPT:
            _DATES.clear()
        _DATES[raw] = value
        return value
    return _date_uncached(raw)


def _date_uncached(raw):
    if isinstance(raw, dt.datetime):
        raise Mismatch("R420", [Hint.of("hint.record.drop_time", text=raw.date().isoformat())])
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        match = DATE_TEXT.fullmatch(text)
        if match:
            year, month, day = map(int, match.groups())
            if year < 1:
                raise Mismatch("R421")
            if not 1 <= month <= 12:
                raise Mismatch("R421", [Hint.of("hint.record.no_month", month=month)])
            days = calendar.monthrange(year, month)[1]
            if not 1 <= day <= days:
                raise Mismatch("R421", [Hint.of("hint.record.month_length", year=year,
                                                month=month, days=days)])
            return dt.date(year, month, day)
        stamped = _DATETIME_TEXT.match(text)
        if stamped:
            raise Mismatch("R420", [Hint.of("hint.record.drop_time", text=stamped.group(1))])
        raise Mismatch("R420", _digit_hints(text))
    raise Mismatch("R420")


def _percent(raw):
    if isinstance(raw, str):
        match = _PERCENT_TEXT.fullmatch(raw.strip())
        if match:
            return _number(match.group(1)).scaleb(-2)
    # 0.2 could mean 20% or 0.2%: a bare number is refused rather than guessed.
    bare = (isinstance(raw, (int, float, Decimal, NumberText)) and not isinstance(raw, bool)) or \
        (isinstance(raw, str) and bool(_NUMBER_TEXT.fullmatch(raw.strip())))
    hints = [Hint.of("hint.record.percent_sign")] if bare else _digit_hints(raw)
    raise Mismatch("R430", hints)


def _duration(raw):
    if isinstance(raw, str):
        match = _DURATION_TEXT.fullmatch(raw.strip())
        if match:
            if len(match.group(1)) > MAX_INT_DIGITS:
                raise _int_limits()
            count = int(match.group(1))
            return Duration(_in_int_range(count * 12 if match.group(2)[0] in "y年" else count))
    if isinstance(raw, int) and not isinstance(raw, bool):
        raise Mismatch("R431", [Hint.of("hint.record.duration_unit")])
    raise Mismatch("R431", _digit_hints(raw))


def _enum(raw, ty: EnumTy):
    if isinstance(raw, str) and raw in ty.members:
        return raw
    hints = []
    labels = dict(zip(ty.labels, ty.members)) if ty.labels else {}
    if isinstance(raw, str) and raw in labels:
        hints.append(Hint.of("hint.record.enum_label", value=show(raw), member=labels[raw]))
    else:
        hints.extend(_close(raw, ty.members))
    listed = [f"{m} ({label})" if label else m
              for m, label in zip(ty.members, ty.labels or (None,) * len(ty.members))]
    hints.append(Hint.of("hint.record.members", members=", ".join(listed)))
    raise Mismatch("R428", hints, enum=ty.name)


_SCALARS = {"money": _money, "decimal": _decimal, "int": _int, "bool": _bool, "date": _date,
            "percent": _percent, "duration": _duration}


# ------------------------------------------------------------------ structure
class Validator:
    """Walks raw data against a type, collecting diagnostics instead of stopping."""

    def __init__(self, file: str | None, places):
        self.file = file
        # Records built in Python come with a plain dict of spans, or none.
        self.places = places if isinstance(places, Places) else Places(file, places)
        self.diags: list[Diagnostic] = []

    def show(self, raw, path: str) -> str:
        return show(raw, written=self.places.written, path=path)

    def report(self, code, path, *, at=None, warning=False, hints=(), **args):
        """`at` is the path whose position to show when it differs from `path` (a missing
        field is shown at its enclosing mapping; an unknown one at its key)."""
        span = self.places.get(path if at is None else at)
        make = Diagnostic.warning if warning else Diagnostic.error
        self.diags.append(make(code, span, hints=hints, data_path=path or None, file=self.file, **args))

    def value(self, raw, ty: Ty, path: str, field: str, has_default: bool = False):
        if raw is UNREADABLE:              # the reader has reported it (a bad tag, say)
            return _BAD
        if isinstance(ty, OptionalTy):
            return None if raw is None else self.value(raw, ty.inner, path, field)
        if raw is None:
            hint = Hint.of("hint.record.null_default") if has_default else \
                Hint.of("hint.record.null_value", type=str(ty))
            self.report("R414", path, hints=[hint], field=field, type=str(ty))
            return _BAD
        if isinstance(ty, (ListTy, HistoryTy)):
            return self.sequence(raw, ty, path, field)
        if isinstance(ty, RecordTy):
            return self.record(raw, ty, path, field, required=lambda name: True)
        try:
            return convert_scalar(raw, ty, lambda: self.places.written(path))
        except Mismatch as bad:
            self.report(bad.code, path, hints=bad.hints, field=field, value=self.show(raw, path),
                        type=str(ty), **bad.args_)
            return _BAD

    def sequence(self, raw, ty, path, field):
        if not isinstance(raw, (list, tuple)):
            self.report("R416", path, field=field, type=str(ty), value=self.show(raw, path))
            return _BAD
        items = []
        for index, item in enumerate(raw):
            where = f"{path}[{index}]"
            if isinstance(ty, HistoryTy):
                items.append(self.history_entry(item, ty.record, where))
            else:
                items.append(self.value(item, ty.inner, where, f"{field}[{index}]"))
        if any(item is _BAD for item in items):
            return _BAD
        # Duplicate years stay: a policy may be asking exactly whether someone enrolled twice.
        return History.of(items) if isinstance(ty, HistoryTy) else tuple(items)

    def history_entry(self, raw, rec: RecordTy, path):
        fast = _entry_converter(rec)(raw)
        if fast is not None:
            return fast
        field = path.rsplit(".", 1)[-1]
        if not isinstance(raw, dict):
            self.report("R415", path, field=field, type=rec.name, value=self.show(raw, path))
            return _BAD
        year = _BAD
        if "year" in rec.fields:
            pass                                   # the record declares year itself; converted below
        elif "year" not in raw:
            self.report("R417", join(path, "year"), at=path, field=field,
                        hints=[Hint.of("hint.record.year_example")])
        else:
            year = self.value(raw["year"], INT, join(path, "year"), "year")
        entry = self.record(raw, rec, path, field, required=lambda name: True, extra={"year"})
        if entry is _BAD:
            return _BAD
        if "year" in rec.fields:
            year = entry.get("year", _BAD)
        if year is _BAD:
            return _BAD
        entry["year"] = year
        return entry

    def record(self, raw, rec: RecordTy, path, field, *, required, extra=(), fields=None):
        """Convert a mapping to a record dict.  Absent fields with a default stay absent (the
        evaluator applies the default); absent optional fields without one become None."""
        if not isinstance(raw, dict):
            self.report("R415", path, field=field, type=rec.name, value=self.show(raw, path))
            return _BAD
        declared = fields if fields is not None else rec.fields
        out, failed = {}, False
        for key, item in raw.items():
            if not isinstance(key, str):
                self.report("R409", join(path, key), at=join(path, key) + KEY, value=show(key))
                failed = True
                continue
            sub = join(path, key)
            info = declared.get(key)
            if info is not None:
                converted = self.value(item, info.ty, sub, key, info.has_default)
                if converted is _BAD:
                    failed = True
                else:
                    out[key] = converted
            elif key not in extra:
                self.report("R412", sub, at=sub + KEY, warning=True, hints=_close(key, declared),
                            field=key, record=f"record {rec.name}" if path else f"input {rec.name}")
        for name, info in declared.items():
            if name in raw or info.has_default:
                continue
            if isinstance(info.ty, OptionalTy):
                out[name] = None
            elif name == "id" and not path:
                self.report("R411", "id", hints=[Hint.of("hint.record.add_id")])
                failed = True
            elif required(name):
                what = f"{name} ({info.label})" if info.label else name
                self.report("R410", join(path, name), at=path or _NOWHERE, what=what,
                            hints=[Hint.of("hint.record.add_field", example=_example(name, info.ty))])
                failed = True
        return _BAD if failed else out


# ------------------------------------------------------------------ entries, the common case
# A history has one entry a year, and most of a record's values are in its entries.  For an
# entry whose every value converts without a word to say — no unknown key, nothing missing,
# no nested record — the result is made directly, without the paths the diagnostics would
# need; anything else (None) goes the full way above, which reports it.  Both ways give the
# same entry: the same converters, the same defaults left absent, optional fields None.
_ENTRY_CONVERTERS: dict = {}


def _entry_converter(rec: RecordTy):
    found = _ENTRY_CONVERTERS.get(id(rec))
    if found is not None and found[0] is rec:
        return found[1]
    fields = []
    for name, info in rec.fields.items():
        ty, optional = info.ty, False
        if isinstance(ty, OptionalTy):
            ty, optional = ty.inner, True
        if isinstance(ty, EnumTy):
            convert = (lambda t: lambda raw: _enum(raw, t))(ty)
        elif isinstance(ty, Prim) and ty.name == "text":
            convert = _text
        elif isinstance(ty, Prim) and ty.name in _SCALARS:
            convert = _SCALARS[ty.name]
        else:
            convert = None                  # a nested record or list: the full way
        fields.append((name, convert, optional, info.has_default))
    declared = set(rec.fields) | {"year"}
    year_declared = "year" in rec.fields

    def convert_entry(raw):
        if type(raw) is not dict or not raw.keys() <= declared:
            return None
        out = {}
        try:
            if not year_declared:
                if "year" not in raw:
                    return None
                year = _int(raw["year"])
            for name, convert, optional, has_default in fields:
                if name in raw:
                    value = raw[name]
                    if value is UNREADABLE:         # reported by the reader: the full way
                        return None
                    if value is None:
                        if not optional:
                            return None
                        out[name] = None
                    elif convert is None:
                        return None
                    else:
                        out[name] = convert(value)
                elif not has_default:
                    if not optional:
                        return None
                    out[name] = None
        except Mismatch:
            return None
        if year_declared:
            year = out.get("year")
            if year is None:
                return None
        out["year"] = year
        return out

    _ENTRY_CONVERTERS[id(rec)] = (rec, convert_entry)
    return convert_entry


def _example(name: str, ty: Ty) -> str:
    """A line the person can copy into the record for a missing field."""
    ty = ty.inner if isinstance(ty, OptionalTy) else ty
    if isinstance(ty, EnumTy):
        return f"{name}: {ty.members[0]}" if ty.members else f"{name}: ..."
    if isinstance(ty, (ListTy, HistoryTy)):
        return f"{name}: []"
    if isinstance(ty, RecordTy):
        return f"{name}: {{...}}"
    samples = {"date": "2025-01-01", "money": "0.00", "int": "0", "decimal": "0", "bool": "false",
               "percent": "0%", "duration": "0 months", "text": "..."}
    return f"{name}: {samples.get(getattr(ty, 'name', ''), '...')}"


def convert_value(raw, ty: Ty, data_path: str, field: str | None = None, *,
                  file: str | None = None, span: Span | None = None, places: Places | None = None):
    """Convert one raw value outside a record (region values); raises DiagnosticError.
    `places`, when given, places the value (and its items) and knows how it was written.
    The caller sets the decimal context (arithmetic.LOADING), once for many values."""
    if places is None:
        places = Places(file, {data_path: span} if span is not None else None)
    check = Validator(file, places)
    value = check.value(raw, ty, data_path, field or data_path)
    if value is _BAD:
        raise DiagnosticError(check.diags)
    return value
