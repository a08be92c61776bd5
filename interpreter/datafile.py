"""Reading record and region files (YAML or JSON) into plain data, with where each value is.

    found = read_data_file(Path("examples/jiangxi/newborn.yaml"), "record")
    found.data                          # dicts, lists, text, int, Decimal, bool, None
    found.places.get("enrollment[2].paid_on")      # the Span of that value
    found.places.written("kids")        # "010": the text of a plain number as written
    found.problems                      # duplicate keys, bad tags ... (errors, located)

Both formats read the same values: mapping keys are always text, numbers are int (plain
decimal digits) or Decimal (never float, so amounts stay exact), and nothing is guessed
from a value's look beyond YAML 1.2's core schema (datafile_yaml.py).  What cannot be read
at all (a file that is not UTF-8, a syntax error, nesting deeper than MAX_DATA_DEPTH) raises
DiagnosticError; what can be read but is wrong is collected in `problems` so that a person
fixing the file sees everything at once.  Checking the values against a policy is
convert.py's, records.py's and regions.py's job.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .diagnostics import Diagnostic, DiagnosticError, Hint
from .limits import MAX_INT_DIGITS, MAX_RECORD_BYTES, MAX_REGION_BYTES
from .source import FileProblem, Span, decode_utf8, file_kind, read_bytes

KEY = "#key"        # places.get(path + KEY): span of the mapping key; places.get(path): its value

# YAML 1.2 core schema numbers, decimal only; JSON's numbers are a subset.  [0-9], not \d:
# only ASCII digits are digits (Python's \d, int() and Decimal() also take １２ and ١٢).
INT_TEXT = re.compile(r"[-+]?[0-9]+")
FLOAT_TEXT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
# A number longer than this, or with an exponent of more digits, is beyond every limit in
# limits.py; it is kept as written (NumberText) instead of being built, so that neither
# int() (which refuses over 4300 digits) nor Decimal (huge exponents) is ever asked to.
_LONGEST_NUMBER = 100
_EXPONENT_DIGITS = 4
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class NumberText:
    """A number as written that is too long to read as one; the converters refuse it,
    naming the limits, and messages show the text."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return f"NumberText({self.text!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, NumberText) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


class _Unreadable:
    """The value of a node whose problem is already reported (a bad tag, a bad merge)."""

    def __repr__(self) -> str:
        return "UNREADABLE"


UNREADABLE = _Unreadable()


def number_from_text(text: str):
    """int, Decimal or NumberText for text that matches INT_TEXT or FLOAT_TEXT."""
    if INT_TEXT.fullmatch(text):
        digits = len(text) - (text[0] in "+-")
        return int(text) if digits <= MAX_INT_DIGITS else NumberText(text)
    mantissa, _, exponent = text.lower().partition("e")
    if len(mantissa) > _LONGEST_NUMBER or len(exponent.lstrip("+-").lstrip("0")) > _EXPONENT_DIGITS:
        return NumberText(text)
    return Decimal(text)


def has_lone_surrogate(text: str) -> bool:
    """Text from a `\\ud800` escape that is not half of a pair: not valid Unicode, and it
    would crash every later step that writes the text out."""
    return _LONE_SURROGATE.search(text) is not None


def printable(text: str) -> str:
    """Text safe to write out: a lone surrogate shown as U+FFFD."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def join(path: str, key) -> str:
    return f"{path}.{key}" if path else str(key)


def quote(text: str) -> str:
    """Text as a message shows it: in double quotes, escapes as in JSON."""
    return json.dumps(text, ensure_ascii=False)


# ------------------------------------------------------------------ places
class Places:
    """Where each value of a data file is written: data path -> Span of the value,
    path + KEY -> Span of its key, and the text of plain scalars that are not text
    (`010`, `1.50`, `null`), so that messages show them as written.

    A value reached through a YAML alias or merge key is at its anchor: `links` maps the
    path of the alias to the path of the anchor, and lookups follow it."""

    def __init__(self, file: str | None = None, spans: dict | None = None):
        self.file = file
        self.spans: dict[str, Span] = dict(spans or {})
        self.texts: dict[str, str] = {}
        self.links: dict[str, str] = {}

    def _fill(self) -> None:
        """Subclasses that find places only when asked (JSON) find them here."""

    def get(self, path: str, default=None) -> Span | None:
        self._fill()
        return self._lookup(self.spans, path, default)

    def written(self, path: str) -> str | None:
        self._fill()
        return self._lookup(self.texts, path, None)

    def _lookup(self, table: dict, path: str, default):
        found = table.get(path)
        if found is not None or not self.links:
            return default if found is None else found
        links = sorted(self.links.items(), key=lambda link: len(link[0]), reverse=True)
        for _ in range(len(links)):           # an alias inside an anchor links again
            for alias, anchor in links:
                rest = path[len(alias):]
                if path.startswith(alias) and rest[:1] in ("", ".", "[", "#"):
                    path = anchor + rest
                    break
            else:
                return default
            if path in table:
                return table[path]
        return default


@dataclass
class DataFile:
    data: object
    places: Places
    problems: list[Diagnostic] = field(default_factory=list)


# ------------------------------------------------------------------ reading files
def fatal(code: str, file: str, span: Span | None = None, hints=(), **args):
    raise DiagnosticError([Diagnostic.error(code, span, hints=hints, file=file, **args)])


def point(file: str, line: int, column: int, offset: int = 0) -> Span:
    """A one-character span at a 1-based line and column."""
    return Span(file, line, column, line, column + 1, offset, offset + 1)


def read_data_file(path: Path, what: str = "record") -> DataFile:
    """Read a YAML or JSON file.  `what` ("record" or "region") picks the size limit and
    the hint for an empty file.  Raises DiagnosticError when there is nothing to check:
    not readable, not UTF-8, not YAML/JSON, too deep, too large, empty."""
    path = Path(path)
    file = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        fatal("R402", file, path=file)
    limit = MAX_RECORD_BYTES if what == "record" else MAX_REGION_BYTES
    try:
        text = decode_utf8(read_bytes(path, limit), file)
    except FileProblem as problem:
        raise DiagnosticError([_unreadable(problem, file)]) from None
    except IsADirectoryError:      # read_bytes lets this through on Linux (os.fdopen refuses)
        raise DiagnosticError([_unreadable(FileProblem("not_a_file", file, kind=file_kind("directory")), file)]) from None
    except OSError as err:
        raise DiagnosticError([_unreadable(FileProblem("unreadable", file, detail=err.strerror or
                                                       type(err).__name__), file)]) from None
    if not text or text.isspace():
        fatal("R405", file, path=file, hints=[Hint.of(f"hint.{what}.{what}_shape")])
    if suffix == ".json":
        from .datafile_json import read_json

        return read_json(text, file)
    from .datafile_yaml import read_yaml

    found = read_yaml(text, file)
    if found is None:       # only comments, or an empty document
        fatal("R405", file, path=file, hints=[Hint.of(f"hint.{what}.{what}_shape")])
    return found


def _unreadable(problem: FileProblem, file: str) -> Diagnostic:
    args = problem.args_
    if problem.reason == "not_utf8":
        hint = Hint.of("hint.record.gbk" if args.get("gbk") else "hint.record.utf8")
        return Diagnostic.error("R401", point(file, args["line"], args["column"], args["offset"]),
                                hints=[hint], file=file, path=file)
    if problem.reason == "missing":
        return Diagnostic.error("R433", None, file=file, path=file)
    if problem.reason == "not_a_file":
        hint = "hint.record.directory" if args.get("kind") == file_kind("directory") \
            else "hint.record.special_file"
        return Diagnostic.error("R435", None, hints=[Hint.of(hint)], file=file, path=file)
    if problem.reason == "too_large":
        return Diagnostic.error("R436", None, hints=[Hint.of("hint.record.too_big")], file=file,
                                path=file, size=args.get("size", 0), limit=args.get("limit", 0))
    return Diagnostic.error("R434", None, file=file, path=file, detail=args.get("detail", problem.reason))
