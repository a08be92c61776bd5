"""The command line's two channels: results to standard output, messages to standard error.

A result is written and flushed at once, so that whatever goes wrong with standard output
is found while the command can still say so, instead of being lost (or ending in a
traceback) when Python flushes at exit:

- the write fails (a full disk, an I/O error, a closed stream): OutputProblem with C608;
- the output cannot carry a character (an ASCII terminal, or a lone surrogate, which no
  encoding can write): OutputProblem with C609, raised before anything is written;
- standard output is closed (`yibao ... >&-`): OutputProblem with C610;
- the reader went away (a broken pipe): BrokenPipe, for the caller to stop quietly.

Messages that cannot be written are dropped: the exit code is then all that is left.
"""
from __future__ import annotations

import os
import re
import sys

from .diagnostics import Diagnostic, Hint


class OutputProblem(Exception):
    """Standard output cannot take the results; `diagnostic` says why."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.code)
        self.diagnostic = diagnostic


class BrokenPipe(Exception):
    """The reader of standard output went away."""


_SURROGATE = re.compile("[\ud800-\udfff]")


def closed_stdout() -> Diagnostic:
    return Diagnostic.error("C610", None, hints=[Hint.of("hint.C610")])


def write_result(text: str) -> None:
    """Write `text` and a newline to standard output and flush it now."""
    stream = sys.stdout
    if stream is None:
        raise OutputProblem(closed_stdout())
    text += "\n"
    # A lone surrogate (half a UTF-16 pair) is not a character in any encoding; some error
    # handlers (surrogateescape, under a C locale) would write it as a stray byte.
    lone = _SURROGATE.search(text)
    if lone:
        raise OutputProblem(_unwritable(text, lone.start(), stream))
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        discard_stdout()
        raise BrokenPipe() from None
    except UnicodeEncodeError as err:     # raised before anything of `text` is written
        raise OutputProblem(_unwritable(text, err.start, stream)) from None
    except (OSError, ValueError) as err:  # ENOSPC, EIO, ...; ValueError: a closed stream
        discard_stdout()
        reason = getattr(err, "strerror", None) or str(err) or type(err).__name__
        raise OutputProblem(Diagnostic.error("C608", None, reason=reason)) from None


def write_message(text: str) -> None:
    """Write `text` and a newline to standard error, if anything can be written there."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(text + "\n")
        stream.flush()
    except UnicodeEncodeError:
        try:        # stderr normally escapes what it cannot encode; if not, escape here
            encoding = getattr(stream, "encoding", None) or "ascii"
            stream.write(text.encode(encoding, "backslashreplace").decode(encoding) + "\n")
            stream.flush()
        except (OSError, ValueError, LookupError):
            pass
    except (OSError, ValueError):
        pass


def _unwritable(text: str, at: int, stream) -> Diagnostic:
    """C609 for the character at `at` of `text`, with the line of the output it is on."""
    char = text[at]
    code = f"{ord(char):04X}"
    surrogate = 0xD800 <= ord(char) <= 0xDFFF
    shown = f"\\u{code.lower()}" if surrogate or not char.isprintable() else char
    encoding = getattr(stream, "encoding", None) or "?"
    hint = Hint.of("hint.C609.surrogate", codepoint=code) if surrogate else \
        Hint.of("hint.C609.encoding", encoding=encoding)
    return Diagnostic.error("C609", None, hints=[hint], char=shown, codepoint=code,
                            encoding=encoding, line=text.count("\n", 0, at) + 1)


def discard_stdout() -> None:
    """After a failed write, point standard output at the null device, so that the bytes
    still buffered are not written (and fail again, with a traceback) at exit."""
    stream = sys.stdout
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return                  # not a real file (a test's stand-in): nothing to redirect
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, fd)
        finally:
            os.close(null)
    except OSError:
        pass
