"""Text -> parse tree -> AST.  The only module that imports lark.

Syntax errors for common mistakes are recognised from example texts (lark's
`match_examples`), so their messages are written for people, not grammar states.
"""
from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import lark
from lark import Lark, Tree
from lark.grammar import Rule
from lark.lexer import TerminalDef
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from . import nodes
from .diagnostics import Diagnostic, DiagnosticError, Hint, Words, shorten
from .limits import MAX_POLICY_BYTES, MAX_SYNTAX_DEPTH
from .source import FileProblem, SourceFile, Span
from .transformer import build_policy

# Words for the terminals a person may be told were expected.
# A catalog key (`word.*`, in the reader's language) or a literal shown as it is written.
TOKEN_WORDS = {
    "NAME": ("word.name", ""), "STRING": ("word.string", ""), "DATE": ("word.date", ""),
    "INT": ("word.int", ""), "DECIMAL": ("word.number", ""), "MONEY": ("word.money", ""),
    "YUAN": ("word.yuan", ""), "PERCENT": ("word.percent", ""),
    "DURATION": ("word.duration", ""), "POLICY_ID": ("word.policy_id", ""),
    "LBRACE": ("", "'{'"), "RBRACE": ("", "'}'"), "LPAR": ("", "'('"), "RPAR": ("", "')'"),
    "LSQB": ("", "'['"), "RSQB": ("", "']'"), "COLON": ("", "':'"), "COMMA": ("", "','"),
    "EQUAL": ("", "'='"), "DOT": ("", "'.'"), "COMPARE": ("word.compare", ""),
    "ADD_OP": ("word.add_op", ""), "MUL_OP": ("word.mul_op", ""),
    "REQUIRED": ("", "'required'"), "OVERRIDE": ("", "'override'"), "TRUE": ("", "true"),
    "FALSE": ("", "false"), "NONE": ("", "none"), "$END": ("word.end_of_file", ""),
}

# Each entry: code -> texts that make the same mistake.  The parser state at the error is
# matched against the states these examples fail in.
SYNTAX_EXAMPLES: dict[str, list[str]] = {
    "Y010": [  # comparison written with a single '='
        'policy a-b { }\nrule x: bool { = 1 = 2 }',
        'policy a-b { }\nrule x: bool { when a = 1 = 2 }',
        'policy a-b { }\nrule x: bool { = a and b = 1 }',
    ],
    "Y011": [  # rule without '= expression'
        'policy a-b { }\nrule x: int { label "a" }',
        'policy a-b { }\nrule x: int { 1 }',
        'policy a-b { }\noutput x: int { cite "a" 1 }',
    ],
    "Y012": [  # rule or parameter without a type
        'policy a-b { }\nrule x { = 1 }',
        'policy a-b { }\nparameter x { from 2025-01-01: 1 }',
        'policy a-b { }\noutput x { = 1 }',
    ],
    "Y013": [  # parameter value without `from DATE:`
        'policy a-b { }\nparameter x: int { 3 }',
        'policy a-b { }\nparameter x: int { label "a" 3 }',
        'policy a-b { }\nparameter x: money { 3000 元 }',
    ],
    "Y014": [  # && || ! instead of and/or/not
        'policy a-b { }\nrule x: bool { = a & b }',
        'policy a-b { }\nrule x: bool { = a | b }',
        'policy a-b { }\nrule x: bool { = !a }',
    ],
    "Y015": [  # exception without `when`
        'policy a-b { }\nrule x: int { = 1 exception e { = 2 } }',
        'policy a-b { }\nrule x: int { = 1 exception e { label "a" = 2 } }',
    ],
    "Y016": [  # label/cite/note after the definition
        'policy a-b { }\nrule x: int { = 1 label "a" }',
        'policy a-b { }\nrule x: int { = 1 cite "a" }',
        'policy a-b { }\nrule x: int { = 1 note "a" }',
    ],
    "Y017": [  # file does not start with a policy header
        'rule x: int { = 1 }',
        'parameter x: int { from 2025-01-01: 1 }',
        'enum E { a }',
    ],
    "Y018": [  # policy id without a hyphen (ids look like jiangxi-2024-34)
        'policy jiangxi { }',
        'policy x { }',
    ],
    "Y019": [  # else-less if
        'policy a-b { }\nrule x: int { = if a then 1 }',
    ],
}


DECLARATION_KEYWORDS = {"rule", "output", "parameter", "enum", "record", "input", "amend",
                        "override"}


@lru_cache(maxsize=1)
def _parser() -> Lark:
    """The LALR parser, from the tables shipped beside the grammar when they match it.

    Building the tables from the grammar takes about 100 ms of every start-up, so they are
    generated once (write_tables) and shipped as plain JSON in the package.  Nothing is
    cached at run time: lark's own cache unpickles a file from the shared temp directory,
    which another local user could plant.  JSON holds only data, and tables that do not
    match the grammar text, the options and the installed lark exactly are not used."""
    global parser_origin
    grammar = _grammar_text()
    stored = _stored_tables(grammar)
    if stored is not None:
        parser_origin = "tables"
        # lark's public load() takes a pickle file; its loader proper takes the same dict.
        return Lark.__new__(Lark)._load({"data": stored[0], "memo": stored[1]},
                                        **_RUNTIME_OPTIONS)
    parser_origin = "grammar"
    return Lark(grammar, **_BUILD_OPTIONS, **_RUNTIME_OPTIONS)


parser_origin = ""   # "tables" or "grammar": how _parser() made the parser (for the tests)


_BUILD_OPTIONS = {"parser": "lalr", "maybe_placeholders": True}
# Options that are not part of the tables (lexer callbacks cannot be stored).
_RUNTIME_OPTIONS = {"propagate_positions": True}
TABLES_FILE = "yibao.tables.json"
# The grammar package beside this one: yibao.grammar when installed.
_GRAMMAR_PACKAGE = __package__.rpartition(".")[0] + ".grammar" if "." in __package__ \
    else "grammar"
TABLES_FORMAT = 1


def tables_fingerprint(grammar: str) -> dict:
    """What stored tables are valid for: this grammar text, this lark, these options."""
    digest = hashlib.sha256(grammar.encode("utf-8")).hexdigest()
    return {"format": TABLES_FORMAT, "grammar_sha256": digest, "lark": lark.__version__,
            "options": [[k, v] for k, v in sorted(_BUILD_OPTIONS.items())]}


def tables_document(grammar: str) -> dict:
    """The parser tables of `grammar` as a JSON document (what write_tables stores)."""
    built = Lark(grammar, **_BUILD_OPTIONS)
    data, memo = built.memo_serialize([TerminalDef, Rule])
    return {"fingerprint": tables_fingerprint(grammar), "data": _encode(data),
            "memo": _encode(memo)}


def write_tables(path: Path | None = None) -> Path:
    """Regenerate the shipped tables after a change to the grammar; the tests do this with
    YIBAO_RESET_GOLDENS=1, like every other generated file, and fail while they are stale."""
    target = path or Path(__file__).resolve().parent.parent / "grammar" / TABLES_FILE
    document = tables_document(_grammar_text())
    target.write_text(json.dumps(document, separators=(",", ":"), sort_keys=True) + "\n",
                      encoding="utf-8")
    return target


def _stored_tables(grammar: str):
    try:
        text = resources.files(_GRAMMAR_PACKAGE).joinpath(TABLES_FILE).read_text(encoding="utf-8")
        document = json.loads(text)
    except (ModuleNotFoundError, OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("fingerprint") != tables_fingerprint(grammar):
        return None
    return _decode(document["data"]), _decode(document["memo"])


# lark's tables are dicts (some keyed by int), lists, tuples and scalars.  JSON has no
# tuples and only text keys, so both are tagged: {"t": [...]} and {"d": [[key, value], ...]}.
def _encode(value):
    if isinstance(value, dict):
        return {"d": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {"t": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    raise TypeError(f"cannot store a {type(value).__name__} in the parser tables")


def _decode(value):
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        if "t" in value:
            return tuple(_decode(v) for v in value["t"])
        return {_decode(k): _decode(v) for k, v in value["d"]}
    return value


def _grammar_text() -> str:
    try:
        return resources.files(_GRAMMAR_PACKAGE).joinpath("yibao.lark").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return (Path(__file__).resolve().parent.parent / "grammar" / "yibao.lark").read_text(
            encoding="utf-8")


def parse_source(source: SourceFile) -> nodes.PolicyFile:
    """Parse one policy text; raises DiagnosticError with the syntax error, located."""
    parser = _parser()
    deep_brackets = _bracket_too_deep(source)
    if deep_brackets is not None:
        raise DiagnosticError([deep_brackets])
    # The parse builds hundreds of thousands of small objects and no garbage cycles; the
    # collector's passes over them would double the time of a large policy.
    collecting = gc.isenabled()
    gc.disable()
    try:
        tree = parser.parse(source.text)
    except UnexpectedInput as err:
        first = _syntax_diagnostic(err, source)
        raise DiagnosticError([first] + _later_syntax_errors(source, first)) from None
    finally:
        if collecting:
            gc.enable()
    comments = _comments(source)
    too_deep = _nested_too_deeply(tree, source)
    if too_deep:
        raise DiagnosticError(too_deep)
    try:
        return build_policy(tree, source, comments)
    except RecursionError:   # cannot happen within MAX_SYNTAX_DEPTH; kept as a safety net
        raise DiagnosticError([nesting_too_deep(source.span(0, 0))]) from None


# A declaration starts a line with its keyword (strings never span lines, so such a line
# is never inside one); the formatter writes every declaration so.
_DECLARATION_LINE = re.compile(r"(?m)^(?:override[ \t]+)?(?:rule|output|parameter|enum|record"
                               r"|input|amend|table|measure)\b")
MAX_LATER_SYNTAX_ERRORS = 20
MAX_DECLARATIONS_REPARSED = 1000


def _later_syntax_errors(source: SourceFile, first: Diagnostic) -> list[Diagnostic]:
    """The first syntax error of each declaration after the one the parse stopped in, so
    that an author (and an editor) sees every broken declaration at once, not one per
    run.  Each later declaration is parsed alone under the file's header, the text
    between them reduced to its newlines (so lines and columns stay those of the file,
    and each parse reads no more than its declaration); a declaration that parses alone
    adds nothing.  Nothing is guessed: an error is only reported where the parser itself
    stops.  Bounded: at most MAX_LATER_SYNTAX_ERRORS more, from at most
    MAX_DECLARATIONS_REPARSED declarations."""
    text = source.text
    starts = [m.start() for m in _DECLARATION_LINE.finditer(text)]
    if first.span is None or not starts or first.span.start < starts[0]:
        return []                      # no declarations, or the header itself is broken
    ends = starts[1:] + [len(text)]
    header = text[:starts[0]]
    try:
        _parser().parse(header)
    except UnexpectedInput:
        return []                      # no header before the first declaration to parse under
    later = [(a, b) for a, b in zip(starts, ends) if a > first.span.start]
    found: list[Diagnostic] = []
    for start, end in later[:MAX_DECLARATIONS_REPARSED]:
        gap = "\n" * text.count("\n", len(header), start)
        alone = header + gap + text[start:end]
        try:
            _parser().parse(alone)
        except UnexpectedInput as err:
            found.append(_shifted(_syntax_diagnostic(err, SourceFile.from_text(source.path,
                                                                                 alone)),
                                  start - len(header) - len(gap)))
            if len(found) >= MAX_LATER_SYNTAX_ERRORS:
                break
    return found


def _shifted(diagnostic: Diagnostic, by: int) -> Diagnostic:
    """A diagnostic found in a shortened text, at the offsets of the file itself (its
    line and column are already the file's)."""
    span = diagnostic.span
    if span is None:
        return diagnostic
    return dataclasses.replace(diagnostic, span=dataclasses.replace(
        span, start=span.start + by, end=span.end + by))


# Comments are ignored by the grammar but kept for the formatter.  They are found by their
# own scan of the text, as the lexer finds them (a `#` outside a string, to the end of the
# line), so the parser holds no state between parses.
_STRING_OR_COMMENT = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*')


def _comments(source: SourceFile) -> tuple[nodes.Comment, ...]:
    return tuple(nodes.Comment(source.span(m.start(), m.end()), m.group())
                 for m in _STRING_OR_COMMENT.finditer(source.text) if m.group()[0] == "#")


# Strings and comments (skipped: their brackets are text) and the brackets themselves.
_BRACKET_TOKENS = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|[()\[\]{}]')


def _bracket_too_deep(source: SourceFile) -> Diagnostic | None:
    """Y026 at the first bracket nested past MAX_SYNTAX_DEPTH, found before parsing.

    A bracket is a level of nesting (docs/language.md), but parentheses make no node of
    the parse tree, so only this count sees them; it also refuses a file of 10^5 opening
    brackets in milliseconds instead of after seconds of parsing.  Unbalanced brackets
    are the parser's to report."""
    depth = 0
    for match in _BRACKET_TOKENS.finditer(source.text):
        char = match.group()
        if char in "([{":
            depth += 1
            if depth > MAX_SYNTAX_DEPTH:
                return nesting_too_deep(source.span(match.start(), match.start() + 1))
        elif char in ")]}":
            depth -= 1
    return None


def nesting_too_deep(span) -> Diagnostic:
    """Syntax nested deeper than MAX_SYNTAX_DEPTH: no policy needs it, and the recursive
    passes that follow would exhaust the stack, so it is refused with a message."""
    return Diagnostic.error("Y026", span, hints=[Hint.of("hint.Y026")], limit=MAX_SYNTAX_DEPTH)


def _nested_too_deeply(tree, source: SourceFile) -> list[Diagnostic]:
    """One Y026 per declaration whose parse tree is more than MAX_SYNTAX_DEPTH levels deep
    (the declaration is level 1), located at the first node past the limit in text order.

    Measured without recursion, before anything recursive walks the tree.  A sum is
    left-deep: `1 + 1 + ... + 1` with n terms nests n levels."""
    found = []
    for item in tree.children:
        if not isinstance(item, Tree):
            continue
        stack = [(item, 1)]
        while stack:
            node, depth = stack.pop()
            if depth > MAX_SYNTAX_DEPTH:
                meta = node.meta
                found.append(nesting_too_deep(Span(
                    source.path, meta.line, meta.column, meta.end_line, meta.end_column,
                    meta.start_pos, meta.end_pos)))
                break
            # Children are pushed last first, so the first in the text is visited first.
            stack.extend((child, depth + 1) for child in reversed(node.children)
                         if isinstance(child, Tree) and not child.meta.empty)
    return found


def grammar_keywords() -> frozenset[str]:
    """The grammar's words that a name could be spelt as (for the tests: the transformer
    refuses them as declared names)."""
    name = re.compile(r"[^\W\d]\w*")
    return frozenset(t.pattern.value for t in _parser().terminals
                     if t.pattern.type == "str" and name.fullmatch(t.pattern.value))


def parse_file(path: str | Path) -> tuple[nodes.PolicyFile, SourceFile]:
    source = read_source(path)
    return parse_source(source), source


def read_source(path: str | Path) -> SourceFile:
    """A policy file's text; every way reading can fail is a located diagnostic."""
    try:
        return SourceFile.read(path, MAX_POLICY_BYTES)
    except FileProblem as problem:
        raise DiagnosticError([file_problem(problem)]) from None


def file_problem(problem: FileProblem, span=None) -> Diagnostic:
    """The diagnostic for a policy file that cannot be read (Y001-Y005)."""
    path, args = problem.path, problem.args_
    if problem.reason == "missing":
        return Diagnostic.error("Y001", span, file=path, path=path)
    if problem.reason == "not_utf8":
        at = Span(path, args["line"], args["column"], args["line"], args["column"] + 1,
                  args["offset"], args["offset"] + 1)
        hints = [Hint.of("hint.gbk")] if args["gbk"] else []
        return Diagnostic.error("Y002", at, hints=hints, file=path, path=path,
                                offset=args["offset"])
    if problem.reason == "too_large":
        return Diagnostic.error("Y004", span, file=path, path=path, size=args["size"],
                                limit=args["limit"])
    if problem.reason == "not_a_file":
        return Diagnostic.error("Y005", span, file=path, path=path, kind=args["kind"])
    return Diagnostic.error("Y003", span, file=path, path=path, reason=args["detail"])


def _syntax_diagnostic(err: UnexpectedInput, source: SourceFile) -> Diagnostic:
    offset = getattr(err, "pos_in_stream", None)
    if isinstance(err, UnexpectedToken) and err.token is not None and err.token.type != "$END":
        offset = err.token.start_pos
        length = max(1, len(str(err.token)))
    elif isinstance(err, UnexpectedEOF) or (isinstance(err, UnexpectedToken) and err.token.type == "$END"):
        offset = len(source.text.rstrip())
        length = 1
    else:
        length = 1
    offset = 0 if offset is None else offset
    span = source.span(offset, offset + length)

    code = None
    if not isinstance(err, UnexpectedCharacters):
        try:
            code = err.match_examples(_parser().parse, SYNTAX_EXAMPLES, use_accepts=True)
        except Exception:  # a failed match only means no hand-written message
            code = None
    token = str(err.token) if isinstance(err, UnexpectedToken) else ""
    if token in DECLARATION_KEYWORDS:
        opened = _unclosed_brace(source.text[:offset])
        if opened is not None and code not in ("Y017",):
            line, _ = source.position(opened)
            return Diagnostic.error("Y025", span, hints=[Hint.of("hint.Y022")], keyword=token,
                                    line=line)
    if code == "Y010" and token != "=":
        code = None  # the state of `a = b` is also the state of any stray token after `a`
    if token == "=" and code is None:
        single = _single_equals_in_when(source, offset)
        if single is not None:
            return Diagnostic.error("Y010", source.span(single, single + 1),
                                    hints=[Hint.of("hint.Y010")])
    if code:
        return Diagnostic.error(code, span, hints=[Hint.of(f"hint.{code}")])

    at_end = isinstance(err, UnexpectedEOF) or (
        isinstance(err, UnexpectedToken) and err.token.type == "$END")
    if at_end:
        opened = _unclosed_brace(source.text)
        if opened is not None:
            line, column = source.position(opened)
            return Diagnostic.error("Y022", span, hints=[Hint.of("hint.Y022")], line=line,
                                    column=column)
    if isinstance(err, UnexpectedCharacters):
        char = source.text[offset] if offset < len(source.text) else ""
        if char.isdecimal() and not char.isascii():   # full-width １, Arabic-Indic ١, ...
            return Diagnostic.error("Y027", span, hints=[Hint.of("hint.Y027")], char=char)
        if char == '"':
            return Diagnostic.error("Y023", span, hints=[Hint.of("hint.Y023")])
        hints = []
        if char in "&|!":
            hints.append(Hint.of("hint.Y014"))
        elif char == "%":
            hints.append(Hint.of("hint.percent_space"))
        elif char in "“”":
            hints.append(Hint.of("hint.ascii_quotes"))
        return Diagnostic.error("Y020", span, hints=hints, char=char)
    expected = sorted(getattr(err, "accepts", None) or getattr(err, "expected", None) or [])
    words = _expected_words(expected)
    if at_end:
        return Diagnostic.error("Y024", span, hints=[Hint.of("hint.expected", words=words)])
    return Diagnostic.error("Y021", span, hints=[Hint.of("hint.expected", words=words)],
                            found=repr(shorten(str(err.token))))


# `when age = 60` on one line, then `= 2`: the parser reads `age` as the condition and
# `= 60` as the value, and trips only at the next `=`, a line below the mistake.
_WHEN_WITH_SINGLE_EQUALS = re.compile(r"^[ \t]*when\b[^\n#]*?[^=!<>]=(?!=)", re.M)


def _single_equals_in_when(source: SourceFile, offset: int) -> int | None:
    """The offset of a single `=` on the `when` line just above an unexpected `=`, if any:
    a comparison written with `=`."""
    before = source.text[:offset].rstrip()      # up to the end of the line above
    line_start = before.rfind("\n") + 1
    match = _WHEN_WITH_SINGLE_EQUALS.match(before[line_start:])
    return None if match is None else line_start + match.end() - 1


def _unclosed_brace(text: str) -> int | None:
    """Offset of the last `{` left open, skipping strings and comments."""
    stack: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if ch == '"':
            end = text.find('"', i + 1)
            i = n if end < 0 else end + 1
            continue
        if ch == "{":
            stack.append(i)
        elif ch == "}" and stack:
            stack.pop()
        i += 1
    return stack[-1] if stack else None


def _expected_words(names) -> Words:
    """What the parser would have accepted, as words the renderer puts in the reader's
    language (keywords and punctuation as written)."""
    words: list[tuple[str, str]] = []
    for name in names:
        if name in TOKEN_WORDS:
            word = TOKEN_WORDS[name]
        elif name.startswith("__") or name.startswith("_"):
            continue
        else:
            word = ("", repr(_parser().get_terminal(name).pattern.value)
                    if _has_terminal(name) else name)
        if word not in words:
            words.append(word)
    return Words(tuple(words[:8]), more=len(words) > 8)


def _has_terminal(name: str) -> bool:
    try:
        _parser().get_terminal(name)
        return True
    except KeyError:
        return False
