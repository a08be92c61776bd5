"""Exact, bounded arithmetic for evaluation: one pinned decimal context and the int range.

Evaluation never runs in the host process's decimal context, which a library user may have
set to any precision, rounding or traps.  evaluate_outputs and evaluate_measures enter
EVALUATION once per evaluation; in it

- `+ - *` are exact: a result that would need more than ARITHMETIC_DIGITS significant
  digits traps Inexact and is an error (E564), never silently rounded;
- a quotient is rounded half even to DIVISION_DIGITS significant digits in DIVISION (a
  quotient is rounded by definition; policies round money explicitly with `round`);
- exponents stay within ±DECIMAL_EXPONENT_LIMIT: beyond is an error (E563 too large,
  E568 too small), so no value grows without bound;
- an int result outside limits.INT_MIN .. INT_MAX is an error (E565).

The contexts are made current with decimal.setcontext, not copied with localcontext: a
copy costs more than a small evaluation (see pinned()).  Flags set on these shared
contexts are never read; traps do not depend on them.

Every signal becomes an EvalError located at the operation; nothing escapes as a Python
exception.  The checks sit where a result is produced, so the hot path stays one
comparison (ints) or nothing at all (decimals: the context traps, and a try costs nothing
until it catches).
"""
from __future__ import annotations

from decimal import (ROUND_HALF_EVEN, Context, Decimal, DecimalException, DivisionByZero, Inexact,
                     InvalidOperation, Overflow, Underflow, getcontext, setcontext)

from .limits import ARITHMETIC_DIGITS, DIVISION_DIGITS, INT_MAX, INT_MIN
from .results import EvalError
from .values import Duration

# A local limit (not in limits.py): the largest |adjusted exponent| a decimal may reach
# during evaluation.  Inputs stay below 10^18 and above 10^-18; nothing a policy computes
# honestly comes near 10^999, and the bound keeps every value printable in ~1000 characters.
DECIMAL_EXPONENT_LIMIT = 999

_TRAPS = [InvalidOperation, DivisionByZero, Overflow, Underflow]

EVALUATION = Context(prec=ARITHMETIC_DIGITS, rounding=ROUND_HALF_EVEN,
                     Emin=-DECIMAL_EXPONENT_LIMIT, Emax=DECIMAL_EXPONENT_LIMIT,
                     capitals=1, clamp=0, flags=[], traps=_TRAPS + [Inexact])

# For code outside evaluation that runs during it (converting a region value): the same
# digits and bounds, but an inexact step is that code's business (it checks whole cents by
# comparing with a quantized copy), not a trap.
LOADING = Context(prec=ARITHMETIC_DIGITS, rounding=ROUND_HALF_EVEN,
                  Emin=-DECIMAL_EXPONENT_LIMIT, Emax=DECIMAL_EXPONENT_LIMIT,
                  capitals=1, clamp=0, flags=[], traps=list(_TRAPS))

DIVISION = Context(prec=DIVISION_DIGITS, rounding=ROUND_HALF_EVEN,
                   Emin=-DECIMAL_EXPONENT_LIMIT, Emax=DECIMAL_EXPONENT_LIMIT,
                   capitals=1, clamp=0, flags=[], traps=list(_TRAPS))


def pinned(context: Context) -> Context:
    """Make `context` the current one; returns the previous, to restore with setcontext in a
    `finally`.  (localcontext would copy the context: ~2.5 µs, against ~0.6 µs for this.)"""
    previous = getcontext()
    setcontext(context)
    return previous


def decimal_error(signal: DecimalException, span, operation: str) -> EvalError:
    """The EvalError for a decimal signal raised by `operation` (its source text)."""
    conditions = _conditions(signal)
    if isinstance(signal, DivisionByZero) or "DivisionUndefined" in conditions:
        return EvalError("E562", span)            # x / 0, and 0 / 0
    if isinstance(signal, Overflow):
        return EvalError("E563", span, hints=[_hint("hint.E563")], operation=operation,
                         limit=DECIMAL_EXPONENT_LIMIT)
    if isinstance(signal, Underflow):
        return EvalError("E568", span, hints=[_hint("hint.E568")], operation=operation,
                         limit=DECIMAL_EXPONENT_LIMIT)
    if isinstance(signal, Inexact):
        return EvalError("E564", span, hints=[_hint("hint.E564")], operation=operation,
                         digits=ARITHMETIC_DIGITS)
    return EvalError("E567", span, operation=operation, signal=", ".join(conditions))


def _conditions(signal: DecimalException) -> list[str]:
    """What the decimal module reported: the C implementation lists its conditions
    (`DivisionUndefined`, `InvalidOperation`, ...) as the exception's argument."""
    detail = signal.args[0] if signal.args else None
    if isinstance(detail, list) and detail:
        return [getattr(c, "__name__", str(c)) for c in detail]
    return [type(signal).__name__]


def _hint(key: str):
    from .diagnostics import Hint

    return Hint.of(key)


def int_error(value: int, span, operation: str) -> EvalError:
    return EvalError("E565", span, hints=[_hint("hint.E565")], operation=operation,
                     value=_short_int(value), low=INT_MIN, high=INT_MAX)


def _short_int(value: int) -> str:
    """An int as text, its middle elided when it is very long (it may have grown huge)."""
    text = str(value) if value.bit_length() < 4000 else f"about 2^{value.bit_length()}"
    return text if len(text) <= 60 else f"{text[:25]}…{text[-25:]} ({len(text)} digits)"


def widened(value: int):
    """The int result of a decimal operation whose operands were both ints (an int stands
    where a decimal is expected, as in `parameter rate: decimal { from ...: 3 }`): kept
    while it is a small int, else the Decimal it stands for, under the current (pinned)
    context, so that digits and exponent are bounded like any decimal's."""
    if INT_MIN <= value <= INT_MAX:
        return value
    return +Decimal(value)      # unary plus applies the context: Inexact, Overflow trap


# ------------------------------------------------------------------ sums
def adder(kind: str, span, describe):
    """`add(total, value)` for a sum of type `kind` ("int", "duration" or "decimal"),
    bounded and exact like `+`; `describe()` gives the source text for a message."""
    if kind == "int":
        def add_int(total, value):
            result = total + value
            if INT_MIN <= result <= INT_MAX:
                return result
            raise int_error(result, span, describe())
        return add_int
    if kind == "duration":
        def add_duration(total, value):
            months = total.months + value.months
            if INT_MIN <= months <= INT_MAX:
                return Duration(months)
            raise int_error(months, span, describe())
        return add_duration

    def add_decimal(total, value):
        try:
            result = total + value
            return widened(result) if type(result) is int else result
        except DecimalException as signal:
            raise decimal_error(signal, span, describe()) from None
    return add_decimal


def divide(a, b, span, describe):
    """a / b rounded half even to DIVISION_DIGITS significant digits."""
    try:
        return DIVISION.divide(a, b)
    except DecimalException as signal:
        raise decimal_error(signal, span, describe()) from None
