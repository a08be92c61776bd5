"""Source text and positions: the one place that knows how offsets map to lines."""
from __future__ import annotations

import os
import stat
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from .words import Words


@dataclass(frozen=True)
class Span:
    """A stretch of a source file; lines and columns are 1-based, end is exclusive."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    start: int = 0
    end: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


NO_SPAN = Span("<builtin>", 0, 0, 0, 0)


@dataclass(frozen=True)
class SourceFile:
    path: str
    text: str
    _line_starts: tuple[int, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def read(cls, path: str | Path, limit: int | None = None) -> "SourceFile":
        """Read a policy file (see read_text); raises FileProblem."""
        return cls.from_text(str(path), read_text(path, limit))

    @classmethod
    def from_text(cls, path: str, text: str) -> "SourceFile":
        starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                starts.append(i + 1)
        return cls(path, text, tuple(starts))

    def line_text(self, line: int) -> str:
        if line < 1 or line > len(self._line_starts):
            return ""
        start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start:] if end < 0 else self.text[start:end]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(max(start, end))
        return Span(self.path, line, column, end_line, end_column, start, end)


# ------------------------------------------------------------------ reading files safely
class FileProblem(Exception):
    """Why a file could not be read as text.  `reason` is one of:

    missing      no such file
    not_a_file   a directory, a FIFO, a device (`kind` says which): never opened for reading,
                 since /dev/zero never ends and a FIFO may block forever
    too_large    more than `limit` bytes (`size` is what was found)
    unreadable   the system refused (`detail` is its reason)
    not_utf8     not UTF-8: `offset` of the first bad byte, its `line` and `column`, and
                 `gbk` when the bytes read as GBK (a common export encoding for Chinese text)
    """

    def __init__(self, reason: str, path: str, **args):
        super().__init__(reason)
        self.reason, self.path, self.args_ = reason, path, args


def read_text(path: str | Path, limit: int | None = None) -> str:
    """The UTF-8 text of a regular file of at most `limit` bytes, without a leading BOM."""
    return decode_utf8(read_bytes(path, limit), str(path))


def read_bytes(path: str | Path, limit: int | None = None) -> bytes:
    name = str(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise FileProblem("missing", name) from None
    except IsADirectoryError:
        raise FileProblem("not_a_file", name, kind=file_kind("directory")) from None
    except OSError as err:
        raise FileProblem("unreadable", name, detail=err.strerror or type(err).__name__) from None
    # fstat before fdopen: on Linux a directory opens, and only fdopen then refuses it.
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise FileProblem("not_a_file", name, kind=_file_kind(info.st_mode))
    with os.fdopen(fd, "rb") as handle:
        if limit is not None and info.st_size > limit:
            raise FileProblem("too_large", name, size=info.st_size, limit=limit)
        try:
            data = handle.read() if limit is None else handle.read(limit + 1)
        except OSError as err:
            raise FileProblem("unreadable", name, detail=err.strerror or type(err).__name__) from None
    if limit is not None and len(data) > limit:   # it grew while being read
        raise FileProblem("too_large", name, size=len(data), limit=limit)
    return data


def decode_utf8(data: bytes, name: str = "<bytes>") -> str:
    """UTF-8 text without a leading byte-order mark; FileProblem("not_utf8") locates the
    first bad byte by line and column."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        before = data[:err.start].decode("utf-8", errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        raise FileProblem("not_utf8", name, offset=err.start, line=line, column=column,
                          gbk=_reads_as_gbk(data)) from None
    return text[1:] if text.startswith("\ufeff") else text


def _reads_as_gbk(data: bytes) -> bool:
    try:
        data.decode("gbk")
    except UnicodeDecodeError:
        return False
    return True


def _file_kind(mode: int) -> Words:
    """What a path that is not a regular file is, as a word of the reader's language."""
    if stat.S_ISDIR(mode):
        return file_kind("directory")
    if stat.S_ISFIFO(mode):
        return file_kind("fifo")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return file_kind("device")
    if stat.S_ISSOCK(mode):
        return file_kind("socket")
    return file_kind("special_file")


def file_kind(kind: str) -> Words:
    return Words(((f"word.{kind}", ""),))
