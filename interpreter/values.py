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


def money_text(value: Decimal) -> str:
    """Two-decimal text of an amount that is already whole cents."""
    return str(value.quantize(CENT))


def is_whole_cents(value: Decimal) -> bool:
    return value == value.quantize(CENT)
