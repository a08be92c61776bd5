"""Bounds that keep every evaluation finite and every check within the machine's stack."""
from __future__ import annotations

import sys

# A year range, or a recursion down a year parameter, longer than this is a mistake in a
# policy or a record, and is refused with a message.
MAX_YEARS_IN_RANGE = 1000

# Checking and evaluating walk expressions and rule calls recursively; a deep but legitimate
# policy (a long sum, a recursion over many years) needs more frames than Python's default.
RECURSION_LIMIT = 20 * MAX_YEARS_IN_RANGE


def allow_deep_recursion() -> None:
    if sys.getrecursionlimit() < RECURSION_LIMIT:
        sys.setrecursionlimit(RECURSION_LIMIT)
