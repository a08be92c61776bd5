"""Words, literals and boundary values the mutators draw from.

The keywords and operators are read from grammar/yibao.lark itself, so a word added to the
language is fuzzed without touching this file.
"""
from __future__ import annotations

import re

from .corpus import REPO

_GRAMMAR = (REPO / "grammar" / "yibao.lark").read_text(encoding="utf-8")
_QUOTED = sorted(set(re.findall(r'"([^"\s]+)"', _GRAMMAR)))
KEYWORDS = frozenset(w for w in _QUOTED if re.fullmatch(r"[a-z_]+", w))
OPERATORS = tuple(sorted(set(w for w in _QUOTED if re.fullmatch(r"[-+*/<>=!(){}\[\],:.]+", w)) |
                        {"==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/"}))
TYPE_NAMES = ("int", "money", "decimal", "percent", "date", "duration", "text", "bool")

LITERALS = ("3000 元", "3000元", "¥3000", "¥ 12.50", "20%", "0.5%", "2025-01-01", "3 个月",
            "2 years", "1 year", "1 年", "12 months", "1 month", "1.5", "0", "42", '"text"',
            '""', '"带\\"引号"', "true", "false", "none", "[]", "[1, 2]", "{}")

VOCABULARY = sorted(KEYWORDS) + list(OPERATORS) + list(TYPE_NAMES) + list(LITERALS) + [
    "{", "}", "(", ")", "[", "]", "#", '"', "\n", "为", "&&", "||", "!", "'x'", "1e5",
    "exception e { when true = 1 }", "override ", "from 2025-01-01: 1", "row r: - => 1",
]

# Boundary literals by the token kind they replace.
_HUGE = "9" * 4400                   # past CPython's 4300-digit int/str conversion limit
BOUNDARY = {
    "int": ["0", "-1", "1", "00", "007", "9223372036854775807", "9223372036854775808",
            "-9223372036854775809", "99999999999999999999", _HUGE, "1" * 4301, "1e5", "1E-7",
            "1e999999999", "1_000", "0x10"],
    "decimal": ["0.0", "0.000000000000000000001", "1." + "9" * 30, "123456789012345678.5",
                "99999999999999999999.99", "1" * 4400 + ".5", "0." + "0" * 5000 + "1", "1e-7",
                "0.1e400", "1.5e999999999", "-0.0"],
    "money": ["0 元", "-1 元", "0.001 元", "0.005 元", "999999999999999.99 元",
              "1000000000000000 元", _HUGE + " 元", "¥0", "¥ 0.01", "¥-1", "¥" + _HUGE,
              "1e999 元", "12.345 元", "0.1 元", "¥99999999999999999999"],
    "percent": ["0%", "100%", "1000%", "0.00001%", "99999999999999999999%", "-5%",
                _HUGE + "%", "0." + "0" * 40 + "1%", "1e5%"],
    "duration": ["0 个月", "1 month", "99999 年", "9223372036854775808 months", _HUGE + " 个月",
                 "0 years", "1000000000000 year", "-1 个月", "1.5 个月"],
    "date": ["0001-01-01", "9999-12-31", "2025-02-30", "2024-02-29", "2023-02-29",
             "0000-01-01", "2025-13-01", "2025-00-00", "9999-12-32", "1970-01-01"],
    "string": ['""', '"\\\\"', '"\\n"', '"\\u0000"', '"\\x00"', '"a\\"b"', '"' + "字" * 100000 + '"',
               '"😀"', '"\\ud800"', '"\u202e"', '"{0}"', '"{name}"', '"%s"'],
}
LITERAL_KINDS = frozenset(BOUNDARY)

IMPOSSIBLE_DATES = ("2025-02-30", "2023-02-29", "2025-13-01", "2025-00-10", "2025-04-31",
                    "0000-01-01", "2025-01-32", "2025-01-00")

# Digits that Python's \d, int() and Decimal() all accept as 0-9: full-width, Arabic-Indic,
# extended Arabic-Indic, Devanagari, Bengali, Thai, mathematical bold.
DIGIT_SETS = ("０１２３４５６７８９", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", "०१२३४५६७८९",
              "০১২৩৪৫৬৭৮৯", "๐๑๒๓๔๕๖๗๘๙", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗")


def to_digits(text: str, digits: str, every: bool = True, rng=None) -> str:
    """`text` with its ASCII digits written in another script (all, or one of them)."""
    places = [i for i, ch in enumerate(text) if ch.isascii() and ch.isdigit()]
    if not places:
        return text
    chosen = set(places) if every or rng is None else {rng.choice(places)}
    return "".join(digits[int(ch)] if i in chosen else ch for i, ch in enumerate(text))


CONTROL_CHARS = ("\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85",
                 "\u2028", "\u2029", "\u200b", "\u200e", "\u202e", "\ufeff", "\ufffe", "\uffff",
                 "\r", "\t", "\U0010ffff")

# How deep a nesting mutation goes; most are small so that the mix stays fast.
NESTING_DEPTHS = (10, 50, 100, 199, 200, 201, 300, 1000, 3000, 10000, 100000)
