"""Runtime values.

The static type (types.py) says what a value means; the Python value only carries it:

| type      | Python value                                   |
|-----------|------------------------------------------------|
| bool      | bool                                           |
| int       | int                                            |
| decimal   | Decimal                                        |
| money     | Decimal, in 元 (exact; shown with two decimals)  |
| percent   | Decimal fraction (20% is Decimal("0.20"))      |
| date      | datetime.date                                  |
| duration  | Duration (whole months)                        |
| text      | str                                            |
| enum      | str, the member name                           |
| none      | None                                           |
| list      | tuple                                          |
| record    | dict field name -> value (absent = use default)|
| history   | History                                        |
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True, order=True)
class Duration:
    months: int

    def __str__(self) -> str:
        return f"{self.months} 个月"

    # Plain whole-month arithmetic; evaluation adds durations through arithmetic.adder,
    # which also keeps the months within the int range.
    def __add__(self, other: "Duration") -> "Duration":
        if not isinstance(other, Duration):
            return NotImplemented
        return Duration(self.months + other.months)

    def __sub__(self, other: "Duration") -> "Duration":
        if not isinstance(other, Duration):
            return NotImplemented
        return Duration(self.months - other.months)

    def __neg__(self) -> "Duration":
        return Duration(-self.months)


@dataclass(frozen=True)
class NotApplicable:
    """The outcome "not applicable": the policy says this output does not concern the
    person, for `reason` (the author's words).  Neither a value nor an error; a rule that
    reads it sees none, and an output that has it is shown as such (JSON null)."""
    reason: str

    def __str__(self) -> str:
        return "—"


class DateArithmeticError(ValueError):
    pass


def add_months(day: dt.date, months: int) -> dt.date:
    """Whole-month arithmetic that refuses to clamp: 01-31 + 1 month is an error."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise DateArithmeticError(f"{day.isoformat()} + {months} months leaves the calendar")
    last = calendar.monthrange(year, month)[1]
    if day.day > last:
        raise DateArithmeticError(
            f"{day.isoformat()} + {months} months: {year}-{month:02d} has no day {day.day}"
        )
    return dt.date(year, month, day.day)


@dataclass(frozen=True)
class History:
    """A per-year history: the entries as given, and an index by year."""
    entries: tuple[dict, ...]
    by_year: dict

    @classmethod
    def of(cls, entries) -> "History":
        by_year: dict[int, list[dict]] = {}
        for entry in entries:
            by_year.setdefault(entry["year"], []).append(entry)
        return cls(tuple(entries), by_year)

    def __hash__(self) -> int:
        return id(self)


# ------------------------------------------------------------------ exact decimal helpers
# None of these depends on the decimal context (a host process may have set any precision):
# they read a Decimal's digits and exponent (as_tuple) and build results from text, which
# Decimal() converts exactly.

# Beyond this exponent a value is not written out digit by digit (it would take that many
# characters); evaluation never gets near it (arithmetic.DECIMAL_EXPONENT_LIMIT).
_MAX_WRITTEN_EXPONENT = 10_000


def is_whole_cents(value) -> bool:
    """Is `value` a whole number of cents (0.01 元)?"""
    if isinstance(value, int):
        return True
    if not value.is_finite():
        return False
    _, digits, exponent = value.as_tuple()
    if exponent >= -2:
        return True
    return not any(digits[exponent + 2:])     # the digits below the cent are all zero


def round_cents(value: Decimal) -> Decimal:
    """`value` to the cent, halves away from zero (ROUND_HALF_UP), with exponent -2."""
    if not value.is_finite():
        return value
    sign, digits, exponent = value.as_tuple()
    if exponent >= -2:
        if exponent > _MAX_WRITTEN_EXPONENT:
            return value                  # already whole cents; not written out
        return Decimal((sign, digits + (0,) * (exponent + 2), -2))
    dropped = -2 - exponent
    kept, rest = divmod(int("".join(map(str, digits))), 10 ** dropped)
    if 2 * rest >= 10 ** dropped:
        kept += 1
    return Decimal(f"{'-' if sign else ''}{kept}E-2")


def plain_text(value: Decimal) -> str:
    """A Decimal without exponent and without trailing zeros after the point."""
    if not value.is_finite() or abs(value.as_tuple().exponent) > _MAX_WRITTEN_EXPONENT:
        return format(value, "E")         # an absurd value: shown, not written out
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def cents_text(value: Decimal) -> str:
    """'303000.00': two decimals of an amount that is already whole cents."""
    if not value.is_finite() or abs(value.as_tuple().exponent) > _MAX_WRITTEN_EXPONENT:
        return format(value, "E")
    whole, _, fraction = format(value, "f").partition(".")
    text = f"{whole}.{fraction.rstrip('0').ljust(2, '0')}"
    return "0.00" if text == "-0.00" else text


def times_hundred(value: Decimal) -> Decimal:
    """value × 100 exactly (a fraction as a percentage), whatever the context."""
    if not value.is_finite():
        return value
    sign, digits, exponent = value.as_tuple()
    return Decimal((sign, digits, exponent + 2))


def money_text(value: Decimal) -> str:
    """Two-decimal text of an amount that is already whole cents."""
    return cents_text(value)
