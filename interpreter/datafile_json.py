"""JSON data files: the same values as YAML files, located the same way.

json.loads does the reading (in C, fast); around it:

- before it, a scan of the brackets (strings removed first, all in C) refuses nesting past
  MAX_DATA_DEPTH and more than MAX_DATA_NODES values.  The C decoder recurses once per
  level, and at the recursion limit the CLI sets, that can overflow the C stack;
- numbers become int or Decimal from their text (number_from_text), never float;
- a key written twice is found (object_pairs_hook) and reported like YAML's (R407), the
  first value standing;
- a lone surrogate (`"\\ud800"`) in any key or text is reported (R467) and the value
  dropped, since every later step that writes the text out would crash on it;
- where each value is (line and column by data path) is worked out only when something
  asks, which is when there is a diagnostic to place: a record without problems pays nothing.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left
from itertools import accumulate

from .datafile import (KEY, UNREADABLE, DataFile, NumberText, Places, fatal, has_lone_surrogate,
                       join, number_from_text, point, printable, quote)
from .diagnostics import Diagnostic, DiagnosticError, Hint
from .limits import MAX_DATA_DEPTH, MAX_DATA_NODES, MAX_INT_DIGITS, MAX_LIST_ITEMS
from .source import Span

_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
# Strings, and everything else but brackets and commas (a lone " of an unclosed string too).
_NOT_STRUCTURE = re.compile(_STRING + r'|[^\[\]{},"]+|"')
_STRUCTURE = re.compile(_STRING + r"|[\[\]{},]")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1, ",": 0}
_TOKEN = re.compile(r'[ \t\n\r]*(?:(' + _STRING + r')|([\[\]{}:,])|([^ \t\n\r\[\]{}:,"]+))')
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def read_json(text: str, file: str) -> DataFile:
    list_may_be_long = _check_shape(text, file)
    duplicated = []

    def mapping(pairs):
        made = dict(pairs)
        if len(made) != len(pairs):        # reported from the places; the first one stands
            duplicated.append(True)
            made = {}
            for key, value in pairs:
                made.setdefault(key, value)
        return made

    try:
        data = json.loads(text, parse_int=_int, parse_float=number_from_text,
                          object_pairs_hook=mapping)
    except json.JSONDecodeError as err:
        before, after = text[:err.pos].rstrip()[-1:], text[err.pos:err.pos + 2]
        looks_lax = before == "," or after[:1] == "#" or after in ("//", "/*")
        hints = [Hint.of("hint.record.json_trailing_comma")] if looks_lax else []
        fatal("R404", file, point(file, err.lineno, err.colno, err.pos), hints, problem=err.msg)
    places = _JsonPlaces(file, text)
    problems = places.duplicates() if duplicated else []
    texts = _SURROGATE_ESCAPE.search(text) is not None
    if list_may_be_long or texts:
        data = _check_values(data, places, file, problems, texts)
    return DataFile(data, places, problems)


def _int(text: str):
    """JSON writes whole numbers as -?[0-9]+, so only the length needs checking."""
    return int(text) if len(text) - (text[0] == "-") <= MAX_INT_DIGITS else NumberText(text)


def _check_shape(text: str, file: str) -> bool:
    """Refuse too deep or too many values before json.loads sees the text; True when some
    list might be longer than MAX_LIST_ITEMS (there are more commas than that)."""
    opens, commas = text.count("[") + text.count("{"), text.count(",")
    if opens <= MAX_DATA_DEPTH and opens + commas + 1 <= MAX_DATA_NODES:
        # Counting every bracket and comma, those in strings too, can only overcount: within
        # the limits so, the exact scan below is not needed (a record line is usually so).
        return commas >= MAX_LIST_ITEMS
    structure = _NOT_STRUCTURE.sub("", text)
    deepest = max(accumulate(map(_STEP.__getitem__, structure)), default=0)
    values = len(structure) - structure.count("]") - structure.count("}") + 1
    if deepest > MAX_DATA_DEPTH or values > MAX_DATA_NODES:
        _refuse_shape(text, file)
    return structure.count(",") >= MAX_LIST_ITEMS


def _refuse_shape(text: str, file: str):
    """The same count as _check_shape, slower, to say where the limit is passed."""
    depth, values = 0, 1
    for match in _STRUCTURE.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            values += 1
            if depth > MAX_DATA_DEPTH:
                fatal("R438", file, _point_at(text, file, match.start()),
                      [Hint.of("hint.record.too_deep")], limit=MAX_DATA_DEPTH)
        elif char in "]}":
            depth -= 1
        elif char == ",":
            values += 1
        if values > MAX_DATA_NODES:
            fatal("R439", file, _point_at(text, file, match.start()), limit=MAX_DATA_NODES)
    fatal("R439", file, limit=MAX_DATA_NODES)


def _point_at(text: str, file: str, offset: int) -> Span:
    line_start = text.rfind("\n", 0, offset) + 1
    return point(file, text.count("\n", 0, offset) + 1, offset - line_start + 1, offset)


def _check_values(data, places: Places, file: str, problems: list[Diagnostic], texts: bool):
    """Lists too long (fatal), and when `texts`, lone surrogates (reported, the key or text
    dropped).  A data path is made only for a value with a problem: the walk keeps, for
    each container, the container it is in and its key there."""
    def bad_text(entry, key, at_key: bool):
        path = _path(entry, key)
        problems.append(Diagnostic.error(
            "R467", places.get(path + KEY if at_key else path), data_path=printable(path) or None,
            file=file, hints=[Hint.of("hint.record.surrogate")]))

    if not isinstance(data, (dict, list)):
        if texts and isinstance(data, str) and has_lone_surrogate(data):
            bad_text(None, None, False)
            return UNREADABLE
        return data
    stack = [(data, None, None)]          # (container, entry of the one it is in, key there)
    while stack:
        entry = stack.pop()
        value = entry[0]
        if value.__class__ is dict:
            if texts:
                for key in [k for k in value if has_lone_surrogate(k)]:
                    bad_text(entry, key, True)
                    del value[key]
            items = value.items()
        else:
            if len(value) > MAX_LIST_ITEMS:
                path = _path(entry, None)
                raise DiagnosticError([Diagnostic.error(
                    "R418", _long_list_start(places, file), data_path=printable(path) or None,
                    file=file, hints=[Hint.of("hint.record.long_list")], limit=MAX_LIST_ITEMS)])
            items = enumerate(value)
        for key, item in list(items) if texts else items:
            kind = item.__class__
            if kind is dict or kind is list:
                stack.append((item, entry, key))
            elif texts and kind is str and has_lone_surrogate(item):
                bad_text(entry, key, False)
                value[key] = UNREADABLE
    return data


def _long_list_start(places: "_JsonPlaces", file: str) -> Span | None:
    """The opening bracket of the first list with more than MAX_LIST_ITEMS items, found by
    counting commas per open bracket: locating every value of a 10^5-entry list only to
    name this one place took seconds."""
    text = places.text
    opened: list[list[int]] = []          # [offset of the bracket, commas so far]
    for match in _STRUCTURE.finditer(text):
        char = match.group()
        if char in "[{":
            opened.append([match.start(), 0])
        elif char in "]}":
            start, commas = opened.pop()
            if char == "]" and commas >= MAX_LIST_ITEMS:
                return _point_at(text, file, start)
        elif char == "," and opened:
            opened[-1][1] += 1
    return None


def _path(entry, key) -> str:
    """The data path of `key` in the container of `entry`, or of that container for None."""
    keys = [] if key is None else [key]
    while entry is not None and entry[1] is not None:
        keys.append(entry[2])
        entry = entry[1]
    path = ""
    for part in reversed(keys):          # list indexes are ints, JSON keys always text
        path = f"{path}[{part}]" if isinstance(part, int) else join(path, part)
    return path


class _JsonPlaces(Places):
    """Places of a JSON text, found on first use by one pass over its tokens."""

    def __init__(self, file: str, text: str):
        super().__init__(file)
        self.text = self._text = text
        self._filled = False
        self._duplicates: list[Diagnostic] = []

    def duplicates(self) -> list[Diagnostic]:
        self._fill()
        return list(self._duplicates)

    def _fill(self) -> None:
        if self._filled:
            return
        self._filled = True
        text, file = self._text, self.file
        newlines = [m.start() for m in re.finditer("\n", text)]

        def span(start: int, end: int) -> Span:
            line = bisect_left(newlines, start)
            end_line = bisect_left(newlines, end - 1) if end > start else line
            column = start - (newlines[line - 1] + 1 if line else 0) + 1
            end_column = end - (newlines[end_line - 1] + 1 if end_line else 0) + 1
            return Span(file, line + 1, column, end_line + 1, end_column, start, end)

        stack: list[list] = []         # [is_map, path, start, items so far, key, seen]

        def next_path() -> str:
            if not stack:
                return ""
            frame = stack[-1]
            return join(frame[1], frame[4]) if frame[0] else f"{frame[1]}[{frame[3]}]"

        pos = 0
        while True:
            match = _TOKEN.match(text, pos)
            if match is None:
                return
            pos = match.end()
            string, punct, atom = match.groups()
            start = match.start(match.lastindex)
            if punct in ("[", "{"):
                stack.append([punct == "{", next_path(), start, 0, None, {}])
            elif punct in ("]", "}"):
                frame = stack.pop()
                self.spans.setdefault(frame[1], span(frame[2], pos))
            elif punct == ",":
                stack[-1][3] += 1
                stack[-1][4] = None
            elif punct == ":":
                continue
            elif string is not None and stack and stack[-1][0] and stack[-1][4] is None:
                self._key(stack[-1], string, span(start, pos))
            else:
                path = next_path()
                self.spans.setdefault(path, span(start, pos))
                if atom is not None:
                    self.texts.setdefault(path, atom)

    def _key(self, frame: list, written: str, where: Span) -> None:
        key = json.loads(written) if "\\" in written else written[1:-1]
        frame[4] = key
        path = join(frame[1], key)
        if key in frame[5]:
            self._duplicates.append(Diagnostic.error(
                "R407", where, data_path=printable(path), file=self.file, key=printable(quote(key)),
                hints=[Hint.of("hint.record.remove_duplicate", line=frame[5][key])]))
        else:
            frame[5][key] = where.line
            self.spans.setdefault(path + KEY, where)
