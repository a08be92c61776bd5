"""YAML data files read as YAML 1.2's core schema does, decimal numbers only.

A plain scalar is null (`~`, `null`, `Null`, `NULL`, nothing), a bool (`true`, `True`,
`TRUE`, `false`, `False`, `FALSE`), an int (`[-+]?[0-9]+`: `010` is 10), a number with a
fraction or exponent (read as Decimal from its text, never through float), `.inf`/`.nan`
(kept as floats so the converters report them), or else text.  So PyYAML's YAML 1.1
readings never happen: `010` is not 8, `1:30` not 90, `0x10`, `0o17`, `0b101`, `1_000`,
`yes`/`no`/`on`/`off` and `2025-01-01` are text, and the field checks report them against
the declared type.  Mapping keys are always the text written (`null:` is the key "null").

We do not use PyYAML's composer and constructor: they recurse once per nesting level and
read YAML 1.1.  Instead the parser's events (libyaml's when PyYAML has it, which is ~15x
faster, else PyYAML's own parser) are built into data by one loop with an explicit stack,
which also records where each value is, detects duplicate keys, and stops at the first
event past MAX_DATA_DEPTH, MAX_DATA_NODES or MAX_LIST_ITEMS.  The pure-Python scanner is
stopped too, as soon as its indentation and bracket levels pass the depth limit.

Explicit tags: only !!str !!int !!float !!bool !!null !!seq !!map, and a scalar tagged
int/float/bool/null must be written as the plain form of that type.  Anchors, aliases and
merge keys (`<<: *base`) work as in PyYAML; aliases count towards MAX_DATA_NODES by what
they expand to.
"""
from __future__ import annotations

import re

import yaml
from yaml import events

from .datafile import (KEY, UNREADABLE, DataFile, FLOAT_TEXT, INT_TEXT, Places, fatal,
                       has_lone_surrogate, join, number_from_text, point, quote)
from .diagnostics import Diagnostic, DiagnosticError, Hint
from .limits import MAX_DATA_DEPTH, MAX_DATA_NODES, MAX_LIST_ITEMS
from .source import Span

try:
    from yaml._yaml import CParser as _FastParser
except ImportError:          # PyYAML built without libyaml
    _FastParser = None

# When libyaml finds a syntax error in a file up to this size, the file is parsed again by
# PyYAML's own parser, so that messages (and the hints chosen from them) read the same with
# or without libyaml; larger files keep libyaml's message rather than take seconds more.
_REPARSE_UP_TO = 1 << 20

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INFINITY = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")
_CORE_NUMBER = re.compile(f"(?P<number>{FLOAT_TEXT.pattern})|(?P<inf>{_INFINITY.pattern})|(?P<nan>{_NAN.pattern})")
_NUMBER_START = frozenset("0123456789+-.")
# First characters of every plain scalar that may read as other than text ("" is null).
_MAYBE_NOT_TEXT = frozenset(_NUMBER_START | {"", "~", "n", "N", "t", "T", "f", "F"})
# What YAML allows in a file (the YAML 1.1 and 1.2 printable set); both parsers refuse the
# rest with a bare ReaderError, so we find it first and say where it is.
_NOT_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")

_TAG = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP = _TAG + "str", _TAG + "seq", _TAG + "map"
_SCALAR_TAGS = frozenset(_TAG + name for name in ("str", "int", "float", "bool", "null"))
_MERGE_KEY = "<<"


def read_yaml(text: str, file: str) -> DataFile | None:
    """The data of a YAML file, or None when it holds no document; raises DiagnosticError."""
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        _refuse_character(text, file, bad.start())
    if _FastParser is not None:
        try:
            return _Builder(_FastParser(text), file).build()
        except yaml.YAMLError as err:
            # libyaml stops at 1000 levels; the pure-Python scanner stops at our limit, a
            # few hundred characters in, however large the file.
            if len(text) > _REPARSE_UP_TO and "nesting depth" not in str(err):
                raise _syntax_error(err, text, file) from None
    try:
        return _Builder(_PurePythonParser(text, file), file).build()
    except yaml.YAMLError as err:
        raise _syntax_error(err, text, file) from None


def _refuse_character(text: str, file: str, offset: int):
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    char = text[offset]
    hint = Hint.of("hint.record.nul_utf16" if char == "\x00" else "hint.record.remove_control")
    fatal("R437", file, point(file, line, column, offset), [hint], char=f"U+{ord(char):04X}")


class _PurePythonParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """PyYAML's parser (no composer: we build the data), stopped as soon as its scanner is
    nested past the depth limit, before a hostile file costs seconds."""

    def __init__(self, text: str, file: str):
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        self.file = file

    def add_indent(self, column):
        added = super().add_indent(column)
        if added:                # the new collection starts at `column` of this line
            mark = self.get_mark()
            self._check_depth(yaml.Mark(mark.name, mark.index - (mark.column - column), mark.line,
                                        column, None, None))
        return added

    def fetch_flow_collection_start(self, token_class):
        mark = self.get_mark()
        super().fetch_flow_collection_start(token_class)
        self._check_depth(mark)

    def _check_depth(self, mark):
        # Each open block collection holds one indent and each open bracket one flow level,
        # so their sum never exceeds the nesting the built data would have.
        if len(self.indents) + self.flow_level > MAX_DATA_DEPTH:
            fatal("R438", self.file, point(self.file, mark.line + 1, mark.column + 1, mark.index),
                  [Hint.of("hint.record.too_deep")], limit=MAX_DATA_DEPTH)


def _syntax_error(err: yaml.YAMLError, text: str, file: str) -> DiagnosticError:
    if isinstance(err, yaml.reader.ReaderError):       # found first by _NOT_PRINTABLE, normally
        offset = min(max(err.position, 0), max(len(text) - 1, 0))
        try:
            _refuse_character(text, file, offset)
        except DiagnosticError as refused:
            return refused
    if isinstance(err, yaml.MarkedYAMLError):
        mark = err.problem_mark
        span = None if mark is None else point(file, mark.line + 1, mark.column + 1, mark.index)
        return DiagnosticError([Diagnostic.error("R403", span, hints=_syntax_hints(err), file=file,
                                                 problem=err.problem or str(err))])
    return DiagnosticError([Diagnostic.error("R403", None, file=file, problem=str(err))])


def _syntax_hints(err: yaml.MarkedYAMLError) -> list[Hint]:
    problem = err.problem or ""
    hints = []
    if "\\t" in problem or "\t" in problem:
        hints.append(Hint.of("hint.record.yaml_tabs"))
    elif "mapping values are not allowed" in problem:
        hints.append(Hint.of("hint.record.yaml_colon"))
    elif "expected <block end>" in problem:
        hints.append(Hint.of("hint.record.yaml_indent"))
    elif "another document" in problem:
        hints.append(Hint.of("hint.record.yaml_documents"))
    if err.context and err.context_mark is not None:
        hints.append(Hint.of("hint.record.yaml_context", context=err.context,
                             line=err.context_mark.line + 1, column=err.context_mark.column + 1))
    return hints


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


# ------------------------------------------------------------------ building the data
def _plain(text: str):
    """A plain scalar's value under the core schema; `text` itself when it is text."""
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if text[0] in _NUMBER_START:
        match = _CORE_NUMBER.fullmatch(text)
        if match is None:
            return text
        if match.lastgroup == "number":
            return number_from_text(text)
        if match.lastgroup == "inf":
            return float("-inf") if text[0] == "-" else float("inf")
        return float("nan")
    return text


def _fits(tag: str, text: str) -> bool:
    """Whether a scalar tagged !!int, !!float, !!bool or !!null is written as one."""
    name = tag[len(_TAG):]
    if name == "int":
        return bool(INT_TEXT.fullmatch(text))
    if name == "float":
        return bool(FLOAT_TEXT.fullmatch(text) or _INFINITY.fullmatch(text) or _NAN.fullmatch(text))
    if name == "bool":
        return text in _BOOLS
    return name == "str" or (name == "null" and text in _NULLS)


class _Frame:
    """A mapping or sequence being read."""

    __slots__ = ("value", "path", "start", "anchor", "count_at_start", "is_map", "key",
                 "seen", "merges", "readable")

    def __init__(self, is_map: bool, path: str, start, anchor, count: int, readable: bool):
        self.value = {} if is_map else []
        self.is_map, self.path, self.start, self.anchor = is_map, path, start, anchor
        self.count_at_start, self.readable = count, readable
        self.key = None                    # mappings: the key whose value comes next
        self.seen: dict[str, int] = {}     # key -> line it first appears on (0-based)
        self.merges: list[tuple[object, str, tuple]] = []


class _YamlPlaces(Places):
    """Places kept as the parser's (start, end) marks; a Span is made only when asked for,
    which is when there is a diagnostic to place (a Span per value would double the time)."""

    def get(self, path: str, default=None):
        found = super().get(path)
        if found is None:
            return default
        return found if isinstance(found, Span) else _span(self.file, found)


def _span(file: str, at) -> Span:
    start, end = at
    return Span(file, start.line + 1, start.column + 1, end.line + 1, end.column + 1,
                start.index, end.index)


_DROP = object()        # a key that could not be read: its value is read, then dropped
_MERGE = object()       # the plain key `<<`: its value is merged into the mapping
_OPEN = object()        # the value of an anchor whose collection is still being read


class _Builder:
    """Turns parser events into data, one loop with an explicit stack (never recursion).

    `at` is a node's (start mark, end mark); the data path of a node is known when it
    starts, from the collection it is in."""

    def __init__(self, parser, file: str):
        self.parser, self.file = parser, file
        self.places = _YamlPlaces(file)
        self.problems: list[Diagnostic] = []
        self.anchors: dict[str, tuple] = {}     # anchor -> (value, path, values it holds)
        self.count = 0                          # values read, aliases counted expanded
        self.aliased = False                    # whether an alias added to the count
        self.stack: list[_Frame] = []
        self.root = _DROP

    def build(self) -> DataFile | None:
        try:
            self._read_events()
        finally:
            self.parser.dispose()
        return None if self.root is _DROP else DataFile(self.root, self.places, self.problems)

    def _read_events(self) -> None:
        get_event = self.parser.get_event
        scalar, alias = events.ScalarEvent, events.AliasEvent
        mapping_start, sequence_start = events.MappingStartEvent, events.SequenceStartEvent
        mapping_end, sequence_end = events.MappingEndEvent, events.SequenceEndEvent
        first_document = None
        while True:
            event = get_event()
            kind = type(event)
            if kind is scalar:
                self._scalar(event)
            elif kind is mapping_start:
                self._open(event, True)
            elif kind is sequence_start:
                self._open(event, False)
            elif kind is mapping_end or kind is sequence_end:
                self._close(event)
            elif kind is alias:
                self._alias(event)
            elif kind is events.DocumentStartEvent:
                if first_document is not None:     # PyYAML's own words for this
                    raise yaml.composer.ComposerError(
                        "expected a single document in the stream", first_document,
                        "but found another document", event.start_mark)
                first_document = event.start_mark
            elif kind is events.StreamEndEvent:
                return

    # ---------------------------------------------------------------- where
    def _next_path(self) -> str | None:
        """The data path of the node that starts now; None when it is a mapping key."""
        if not self.stack:
            return ""
        frame = self.stack[-1]
        if not frame.is_map:
            return f"{frame.path}[{len(frame.value)}]"
        key = frame.key
        if key is None:
            return None
        if key.__class__ is str:
            return f"{frame.path}.{key}" if frame.path else key
        return join(frame.path, "<<" if key is _MERGE else "?")

    def _count(self, event, size: int = 1) -> None:
        self.count += size
        if self.count > MAX_DATA_NODES:
            code = "R408" if self.aliased else "R439"
            fatal(code, self.file, _span(self.file, (event.start_mark, event.end_mark)),
                  limit=MAX_DATA_NODES)

    def _problem(self, code: str, at, path: str | None, hints=(), **args) -> None:
        self.problems.append(Diagnostic.error(code, _span(self.file, at), hints=hints,
                                              data_path=path or None, file=self.file, **args))

    def _tag_problem(self, event, tag: str, path: str | None) -> None:
        at = (event.start_mark, event.end_mark)
        if tag in _SCALAR_TAGS or tag in (_SEQ, _MAP):
            shown = quote(event.value) if isinstance(event, events.ScalarEvent) else \
                ("{...}" if isinstance(event, events.MappingStartEvent) else "[...]")
            self._problem("R466", at, path, [Hint.of("hint.record.drop_tag")],
                          tag=_short_tag(tag), value=shown)
        else:
            self._problem("R465", at, path, [Hint.of("hint.record.yaml_tag")], tag=_short_tag(tag))

    # ---------------------------------------------------------------- scalars
    def _scalar(self, event) -> None:
        self._count(event)
        at = (event.start_mark, event.end_mark)
        path = self._next_path()
        if path is None:
            key = self._key_text(event, at)
            if event.anchor and key.__class__ is str:
                self.anchors[event.anchor] = (key, None, 1)
            self._key(key, at)
            return
        text = event.value
        if event.tag is None and event.implicit[0]:     # plain and untagged: the core schema
            value = _plain(text) if text[:1] in _MAYBE_NOT_TEXT else text
            if value is not text:
                self.places.texts[path] = text
        else:
            value = self._tagged_or_quoted(event, path, at)
        if event.anchor:
            self.anchors[event.anchor] = (value, path, 1)
        self.places.spans.setdefault(path, at)
        self._place(value, path, at)

    def _tagged_or_quoted(self, event, path: str, at):
        text, tag = event.value, event.tag
        if tag is not None and tag != "!" and tag != _STR:
            if tag not in _SCALAR_TAGS or not _fits(tag, text):
                self._tag_problem(event, tag, path)
                return UNREADABLE
            value = _plain(text)
            self.places.texts[path] = text
            return value
        if has_lone_surrogate(text):                   # "\ud800" in a double-quoted scalar
            self._problem("R467", at, path, [Hint.of("hint.record.surrogate")])
            return UNREADABLE
        return text

    def _key_text(self, event, at):
        """A key is the text written (`null:` is "null"); a tag on it must still be one
        we read, and fit."""
        tag, text = event.tag, event.value
        if tag is None and event.implicit[0]:
            return _MERGE if text == _MERGE_KEY else text
        if tag is not None and tag != "!" and (tag not in _SCALAR_TAGS or not _fits(tag, text)):
            self._tag_problem(event, tag, join(self.stack[-1].path, text))
            return _DROP
        if has_lone_surrogate(text):
            self._problem("R467", at, join(self.stack[-1].path, "?"), [Hint.of("hint.record.surrogate")])
            return _DROP
        return text

    def _key(self, key, at) -> None:
        frame = self.stack[-1]
        if key.__class__ is str or key is _MERGE:
            name = _MERGE_KEY if key is _MERGE else key
            line = frame.seen.get(name)
            if line is not None:
                self._problem("R407", at, join(frame.path, name), key=quote(name),
                              hints=[Hint.of("hint.record.remove_duplicate", line=line + 1)])
                key = _DROP
            else:
                frame.seen[name] = at[0].line
                if key is not _MERGE:
                    self.places.spans.setdefault(f"{frame.path}.{key}{KEY}" if frame.path else key + KEY, at)
        frame.key = key

    # ---------------------------------------------------------------- collections
    def _open(self, event, is_map: bool) -> None:
        self._count(event)
        at = (event.start_mark, event.end_mark)
        if len(self.stack) >= MAX_DATA_DEPTH:
            fatal("R438", self.file, _span(self.file, at), [Hint.of("hint.record.too_deep")],
                  limit=MAX_DATA_DEPTH)
        path = self._next_path()
        if path is None:                   # `? [a, b]`: a list or mapping as a key
            path = join(self.stack[-1].path, "?")
        tag, readable = event.tag, True
        if tag is not None and tag != "!" and tag != (_MAP if is_map else _SEQ):
            self._tag_problem(event, tag, path)
            readable = False
        if event.anchor:     # until it closes, the anchor's third item is where it starts
            self.anchors[event.anchor] = (_OPEN, path, at)
        self.stack.append(_Frame(is_map, path, event.start_mark, event.anchor, self.count, readable))

    def _close(self, event) -> None:
        frame = self.stack.pop()
        at = (frame.start, event.end_mark)
        self.places.spans.setdefault(frame.path, at)
        value = self._merged(frame) if frame.merges else frame.value
        if not frame.readable:
            value = UNREADABLE
        if frame.anchor:
            self.anchors[frame.anchor] = (value, frame.path, self.count - frame.count_at_start + 1)
        if self.stack and self._next_path() is None:
            self._problem("R409", at, join(self.stack[-1].path, "?"),
                          value="[...]" if isinstance(frame.value, list) else "{...}")
            self.stack[-1].key = _DROP
            return
        self._place(value, frame.path, at)

    def _place(self, value, path: str, at) -> None:
        """Put a finished value into the collection being read (or make it the document)."""
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        if not frame.is_map:
            frame.value.append(value)
            if len(frame.value) > MAX_LIST_ITEMS:
                start = frame.start
                raise DiagnosticError([Diagnostic.error(
                    "R418", point(self.file, start.line + 1, start.column + 1, start.index),
                    data_path=frame.path or None, file=self.file, limit=MAX_LIST_ITEMS,
                    hints=[Hint.of("hint.record.long_list")])])
            return
        key, frame.key = frame.key, None
        if key.__class__ is str:
            frame.value[key] = value
        elif key is _MERGE:
            frame.merges.append((value, path, at))

    def _alias(self, event) -> None:
        found = self.anchors.get(event.anchor)
        if found is None:                               # PyYAML's own words for this
            raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}",
                                              event.start_mark)
        value, anchor_path, size = found
        at = (event.start_mark, event.end_mark)
        if value is _OPEN:                              # `&a [*a]`: it would hold itself
            fatal("R408", self.file, _span(self.file, size), limit=MAX_DATA_NODES)
        self.aliased = self.aliased or size > 1
        self._count(event, size)
        path = self._next_path()
        if path is None:                                # an alias as a key: the anchor's text
            key = value if isinstance(value, str) else self.places.texts.get(anchor_path or "")
            if key is None:
                self._problem("R409", at, join(self.stack[-1].path, "?"), value="*" + event.anchor)
            self._key(_DROP if key is None else key, at)
            return
        self.places.spans.setdefault(path, at)
        if anchor_path is not None and anchor_path != path:
            self.places.links[path] = anchor_path
        self._place(value, path, at)

    def _merged(self, frame: _Frame) -> dict:
        """`<<: *base` or `<<: [*a, *b]`: keys written here win, then a's before b's."""
        sources = []
        for value, path, at in frame.merges:
            if isinstance(value, dict):
                sources.append((value, path))
            elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                sources.extend((item, f"{path}[{i}]") for i, item in enumerate(value))
            elif value is not UNREADABLE:
                self._problem("R469", at, join(frame.path, _MERGE_KEY))
        merged: dict = {}
        for source, source_path in reversed(sources):
            for key, item in source.items():
                merged[key] = item
                if key not in frame.value:
                    self.places.links[join(frame.path, key)] = join(source_path, key)
        merged.update(frame.value)
        return merged
