"""Errors are per-person codes (int16): 0 for none, an index into ERROR_CODES for an error
the columns name exactly, AMBIGUOUS where the interpreter must decide.  A boolean mask
is an error of unknown code (a site not named here, a value beyond the columns): it
counts as AMBIGUOUS.  The interpreter stops at its first error; a site's mask is set
exactly where the interpreter would reach it and fail — unless an earlier error stopped
it first, which the columns, evaluating every site, cannot tell.  So a person with one
code (from one site, or several sites of the same code) gets that code, and a person
with two different codes is AMBIGUOUS."""
from __future__ import annotations

import numpy as np

AMBIGUOUS = -1
ERROR_CODES = [""]


def coded(mask, code: str):
    """The persons of `mask` in error `code` (a site whose mask is exact); None when
    there are none, so that the common case, no error at all, costs nothing further."""
    if mask is None or not np.any(mask):
        return None
    if code not in ERROR_CODES:
        ERROR_CODES.append(code)
    out = np.asarray(mask).astype(np.int16)
    out *= ERROR_CODES.index(code)
    return out


def codes_of(err):
    """An error (None, a boolean mask or codes) as codes."""
    if err is None:
        return None
    err = np.asarray(err)
    if err.dtype == bool:
        out = err.astype(np.int16)
        out *= AMBIGUOUS
        return out
    return err


def _or(a, b):
    """The errors of two sites: one code where only one fails (or both with one code),
    AMBIGUOUS where they fail with different codes."""
    if a is None or a is b:
        return b
    if b is None:
        return a
    a_bool, b_bool = np.asarray(a).dtype == bool, np.asarray(b).dtype == bool
    if a_bool and b_bool:
        return a | b
    if not np.any(b):
        return a
    if not np.any(a):
        return b
    a, b = codes_of(a), codes_of(b)
    return np.where(a == 0, b, np.where((b == 0) | (b == a), a, AMBIGUOUS)).astype(np.int16)


def _and(err, mask):
    """An error that counts only where `mask` holds (the node was evaluated there); None
    when that leaves none."""
    if err is None:
        return None
    if mask is True:
        return err
    if mask is False:
        return None
    out = err & mask if np.asarray(err).dtype == bool else err * np.asarray(mask, dtype=bool)
    return out if np.any(out) else None


def failed(err):
    """The persons with any error (None: nobody)."""
    if err is None:
        return None
    err = np.asarray(err)
    return err if err.dtype == bool else err != 0


def _then(first, later):
    """The errors of two steps the interpreter takes in this order: the later counts only
    for the persons the first did not stop (a value computed from a failed one is a
    placeholder, and whatever fails on it is not the interpreter's error)."""
    if later is None:
        return first
    stopped = failed(first)
    if stopped is None:
        return later
    return _or(first, _and(later, ~stopped))

