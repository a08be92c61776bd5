"""Every limit yibao enforces, in one place, each with the error it gives.

The limits keep every input finite to read, check and evaluate, and every number exact;
each is far above what a real province needs (a history of 10^4 entries, a 10^3-row
decision table) and each is refused with a located message, never a crash or a hang.
docs/limits.md lists them for users; the tests import them from here.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager

# ------------------------------------------------------------------ files
MAX_POLICY_BYTES = 512 << 10        # a policy file: 512 KiB (the largest shipped is 20 KB)
MAX_RECORD_BYTES = 16 << 20         # a record file (YAML or JSON): 16 MiB
MAX_REGION_BYTES = 16 << 20         # a region parameter file: 16 MiB
MAX_CHAIN = 16                      # policies in one `extends` chain

# ------------------------------------------------------------------ policy text
MAX_SYNTAX_DEPTH = 200              # nesting of a policy's syntax (expressions, types)
MAX_CALL_DEPTH = 200                # rules in one chain of uses (a uses b uses c ...)
MAX_TABLE_ROWS = 10_000             # rows of one decision table
MAX_DIAGNOSTICS_PER_FILE = 200      # diagnostics shown for one file; then a count of the rest
MAX_TABLE_FINDINGS = 10             # overlap findings listed per table; then a count
MAX_QUOTED_LINE = 120               # columns of a source line quoted under a diagnostic

# ------------------------------------------------------------------ data files
MAX_DATA_DEPTH = 64                 # nesting of mappings and lists in a record or region file
MAX_DATA_NODES = 1_000_000          # values in one data file, counting alias expansions
MAX_LIST_ITEMS = 20_000             # entries in one list or history (twice what a province needs)

# ------------------------------------------------------------------ numbers
INT_MIN, INT_MAX = -(2 ** 63), 2 ** 63 - 1     # int: a signed 64-bit integer
MAX_INT_DIGITS = 19                 # digits of an int as written (checked before conversion)
MAX_SIGNIFICANT_DIGITS = 18         # a decimal, money or percent as written
MAX_FRACTION_DIGITS = 18            # digits after the point, as written
MAX_MAGNITUDE_DIGITS = 18           # digits before the point: |x| < 10^18
MONEY_MAGNITUDE_DIGITS = 15         # an amount of money: |x| < 10^15 元, whole cents
ARITHMETIC_DIGITS = 100             # + - * are exact up to this many significant digits
DIVISION_DIGITS = 34                # a quotient is rounded (half even) to this many digits

# ------------------------------------------------------------------ evaluation
# A year range, or a recursion down a year parameter, longer than this is a mistake in a
# policy or a record, and is refused with a message.
MAX_YEARS_IN_RANGE = 1000

# Nodes in one explanation.  A person with a few thousand history entries, each read a few
# times, fits; past it the tree stops growing and is marked cut, while the value is still
# computed in full.  20,000 lines are more than anyone reads, and a larger tree costs
# seconds to record and megabytes to print (10^5 steps over 10^4 identities: 2.5 s and
# 6 MB of text, against 0.6 s at this limit).
MAX_EXPLAIN_STEPS = 20_000

# Checking and evaluating walk expressions and rule calls recursively; a deep but legitimate
# policy (a long expression, a recursion over many years) needs more frames than Python's
# default.  The syntax depth and call depth limits above keep real use well inside this.
RECURSION_LIMIT = 20 * MAX_YEARS_IN_RANGE


@contextmanager
def deep_recursion():
    """Raise Python's recursion limit to RECURSION_LIMIT for the work inside, and put back
    whatever the host program had afterwards: a library call changes no process setting."""
    previous = sys.getrecursionlimit()
    if previous < RECURSION_LIMIT:
        sys.setrecursionlimit(RECURSION_LIMIT)
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)
