"""Grammar-aware mutations of policy text.

The text is cut into tokens the way grammar/yibao.lark cuts it (strings, comments, dates,
amounts, percentages, durations, numbers, names, operators), and into the structures a
policy is made of (declarations, exceptions, table rows, bracketed groups, expressions).
Each family below edits one of those levels; every function takes a random.Random and the
text and returns (new text, a short note, and why the result must be refused or None).
A mutant may come back as bytes when the family is about encodings.
"""
from __future__ import annotations

import re

from .vocabulary import (BOUNDARY, CONTROL_CHARS, DIGIT_SETS, IMPOSSIBLE_DATES, KEYWORDS,
                         LITERAL_KINDS, NESTING_DEPTHS, VOCABULARY, to_digits)

TOKEN = re.compile(r"""
 (?P<ws>\s+)
|(?P<comment>\#[^\n]*)
|(?P<string>"[^"\\\n]*(?:\\.[^"\\\n]*)*")
|(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})
|(?P<money>[0-9]+(?:\.[0-9]+)?[ \t]*元|¥[ \t]*[0-9]+(?:\.[0-9]+)?)
|(?P<percent>[0-9]+(?:\.[0-9]+)?%)
|(?P<duration>[0-9]+[ \t]*(?:个月|months|month|years|year|年))
|(?P<decimal>[0-9]+\.[0-9]+)
|(?P<int>[0-9]+)
|(?P<name>[^\W\d]\w*)
|(?P<op>==|!=|<=|>=|=>|\.\.|[-+*/<>=(){}\[\],:.])
|(?P<other>.)
""", re.X | re.S)

DECLARATION_STARTS = {"enum", "record", "input", "parameter", "rule", "output", "table",
                      "measure", "amend", "override"}
OPENERS = {"(": ")", "[": "]", "{": "}"}
EXPRESSION_ENDS = {"exception", "row", "otherwise", "cite", "target", "label", "note", "key"}


class Tok:
    __slots__ = ("kind", "text", "start", "end")

    def __init__(self, kind: str, text: str, start: int, end: int):
        self.kind, self.text, self.start, self.end = kind, text, start, end

    @property
    def significant(self) -> bool:
        return self.kind not in ("ws", "comment")


def tokenize(text: str) -> list[Tok]:
    tokens = []
    for match in TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "name" and match.group() in KEYWORDS:
            kind = "keyword"
        tokens.append(Tok(kind, match.group(), match.start(), match.end()))
    return tokens


def _significant(tokens: list[Tok]) -> list[Tok]:
    return [t for t in tokens if t.significant]


def _splice(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Apply non-overlapping (start, end, new) edits, from the end backwards."""
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = _splice(text, start, end, new)
    return text


# ------------------------------------------------------------------ structure
def matching(sig: list[Tok], index: int) -> int | None:
    """Index in `sig` of the bracket closing the one at `index`."""
    want = OPENERS[sig[index].text]
    depth = 0
    for j in range(index, len(sig)):
        if sig[j].text == sig[index].text:
            depth += 1
        elif sig[j].text == want:
            depth -= 1
            if depth == 0:
                return j
    return None


def declarations(sig: list[Tok]) -> list[tuple[int, int]]:
    """(start, end) character spans of top-level declarations after the header."""
    spans, depth, i = [], 0, 0
    while i < len(sig):
        tok = sig[i]
        if depth == 0 and tok.text in DECLARATION_STARTS and tok.kind == "keyword":
            j = i
            while j < len(sig) and sig[j].text != "{":
                j += 1
            close = matching(sig, j) if j < len(sig) else None
            if close is None:
                break
            spans.append((tok.start, sig[close].end))
            i = close + 1
            continue
        if tok.text == "{":
            depth += 1
        elif tok.text == "}":
            depth = max(0, depth - 1)
        i += 1
    return spans


def blocks_after(sig: list[Tok], keyword: str) -> list[tuple[int, int]]:
    """Spans of `keyword NAME ... { ... }` blocks anywhere (exceptions)."""
    spans = []
    for i, tok in enumerate(sig):
        if tok.text == keyword and tok.kind == "keyword":
            j = i
            while j < len(sig) and sig[j].text != "{":
                j += 1
            close = matching(sig, j) if j < len(sig) else None
            if close is not None:
                spans.append((tok.start, sig[close].end))
    return spans


def table_rows(sig: list[Tok]) -> list[tuple[int, int]]:
    spans = []
    for i, tok in enumerate(sig):
        if tok.text == "row" and tok.kind == "keyword":
            depth, j = 0, i + 1
            while j < len(sig):
                t = sig[j]
                if t.text in OPENERS:
                    depth += 1
                elif t.text in (")", "]", "}"):
                    if depth == 0:
                        break
                    depth -= 1
                elif depth == 0 and t.text in ("row", "otherwise") and t.kind == "keyword":
                    break
                j += 1
            spans.append((tok.start, sig[j - 1].end))
    return spans


def groups(sig: list[Tok], opener: str) -> list[tuple[int, int]]:
    spans = []
    for i, tok in enumerate(sig):
        if tok.text == opener and tok.kind == "op":
            close = matching(sig, i)
            if close is not None:
                spans.append((tok.start, sig[close].end))
    return spans


def expressions(sig: list[Tok]) -> list[tuple[int, int]]:
    """Spans of expressions: after `=`, `when`, `=>`, `then`, `else`, `:` of a dated value,
    up to the first token at the same bracket depth that cannot continue one."""
    spans = []
    for i, tok in enumerate(sig):
        if not (tok.text in ("=", "=>", "when", "then", "else")
                or (tok.text == ":" and i > 0 and sig[i - 1].kind == "date")):
            continue
        depth, j = 0, i + 1
        while j < len(sig):
            t = sig[j]
            if t.text in OPENERS:
                depth += 1
            elif t.text in (")", "]", "}"):
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and ((t.kind == "keyword" and t.text in EXPRESSION_ENDS | {"from", "then", "else"})
                                 or t.text in ("=", "=>")):
                break
            j += 1
        if j > i + 1:
            spans.append((sig[i + 1].start, sig[j - 1].end))
    return spans


# ------------------------------------------------------------------ families
def token_edits(rng, text):
    """Insert, replace, delete, duplicate or swap tokens, with the grammar's vocabulary."""
    sig = _significant(tokenize(text))
    notes = []
    for _ in range(rng.randint(1, 4)):
        if not sig:
            break
        tok = rng.choice(sig)
        action = rng.choice(("insert", "replace", "delete", "duplicate", "swap", "rename"))
        word = rng.choice(VOCABULARY)
        if action == "insert":
            text = _splice(text, tok.start, tok.start, word + " ")
        elif action == "replace":
            text = _splice(text, tok.start, tok.end, word)
        elif action == "delete":
            run = sig[sig.index(tok):sig.index(tok) + rng.randint(1, 5)]
            text = _splice(text, tok.start, run[-1].end, "")
        elif action == "duplicate":
            run = sig[sig.index(tok):sig.index(tok) + rng.randint(1, 8)]
            piece = text[tok.start:run[-1].end]
            text = _splice(text, run[-1].end, run[-1].end, " " + piece)
        elif action == "swap":
            other = rng.choice(sig)
            a, b = sorted((tok, other), key=lambda t: t.start)
            if a.end <= b.start:
                text = _apply(text, [(a.start, a.end, b.text), (b.start, b.end, a.text)])
        else:   # another name of the file in this place: type and cycle confusion
            names = [t.text for t in sig if t.kind == "name"]
            if names:
                word = rng.choice(names)
                text = _splice(text, tok.start, tok.end, word)
        notes.append(f"{action} {word!r}" if action in ("insert", "replace", "rename") else action)
        sig = _significant(tokenize(text))
    return text, "token: " + ", ".join(notes), None


def _literals(sig):
    return [t for t in sig if t.kind in LITERAL_KINDS]


def boundary_literals(rng, text):
    """Replace literals by boundary values of their own kind or another."""
    sig = _significant(tokenize(text))
    chosen = rng.sample(_literals(sig), min(rng.randint(1, 3), len(_literals(sig))))
    edits, notes = [], []
    for tok in chosen:
        kind = tok.kind if rng.random() < 0.7 else rng.choice(sorted(BOUNDARY))
        new = rng.choice(BOUNDARY[kind])
        edits.append((tok.start, tok.end, new))
        notes.append(f"{tok.text!r} -> {new[:40]!r}{'...' if len(new) > 40 else ''}")
    return _apply(text, edits), "boundary: " + "; ".join(notes), None


def non_ascii_digits(rng, text):
    """Numeric literals written with full-width, Arabic-Indic, Bengali ... digits."""
    sig = _significant(tokenize(text))
    numbers = [t for t in sig if t.kind in ("int", "decimal", "money", "percent", "duration", "date")]
    if not numbers:
        return text, "non-ascii digits: no number", None
    edits, notes = [], []
    for tok in rng.sample(numbers, min(rng.randint(1, 3), len(numbers))):
        digits = rng.choice(DIGIT_SETS)
        new = to_digits(tok.text, digits, every=rng.random() < 0.7, rng=rng)
        edits.append((tok.start, tok.end, new))
        notes.append(f"{tok.text!r} -> {new!r}")
    return _apply(text, edits), "non-ascii digits: " + "; ".join(notes), \
        "a number written with non-ASCII digits"


def impossible_dates(rng, text):
    sig = _significant(tokenize(text))
    dates = [t for t in sig if t.kind == "date"]
    if not dates:
        return text, "impossible date: no date", None
    tok = rng.choice(dates)
    new = rng.choice(IMPOSSIBLE_DATES)
    return _splice(text, tok.start, tok.end, new), f"impossible date {tok.text} -> {new}", \
        "a date that is not in the calendar"


def keywords_as_names(rng, text):
    """A declared name (every use, or one) replaced by a keyword, a builtin, an odd name."""
    sig = _significant(tokenize(text))
    names = sorted({t.text for t in sig if t.kind == "name"})
    if not names:
        return text, "keyword as name: no name", None
    name = rng.choice(names)
    new = rng.choice(list(KEYWORDS) + ["min", "max", "round", "year", "today", "from", "none",
                                       "姓名", "_x", "x" * rng.choice((64, 5000)), "ｘ",
                                       "a\u200bb", "Ａ", "ℌ", "ǅ"])
    every = rng.random() < 0.6
    edits = [(t.start, t.end, new) for t in sig if t.kind == "name" and t.text == name]
    if not every:
        edits = [rng.choice(edits)]
    return _apply(text, edits), f"name {name} -> {new[:20]} ({'every use' if every else 'one use'})", None


def _pick_span_pair(rng, spans):
    a, b = rng.sample(spans, 2)
    return sorted((a, b))


def structure(rng, text):
    """Delete, duplicate, swap or move declarations, exceptions, table rows, groups and
    expressions; wrap expressions in other constructs."""
    sig = _significant(tokenize(text))
    level = rng.choice(("declaration", "exception", "row", "group", "expression", "expression",
                        "wrap"))
    spans = {"declaration": declarations, "exception": lambda s: blocks_after(s, "exception"),
             "row": table_rows, "expression": expressions, "wrap": expressions,
             "group": lambda s: groups(s, rng.choice(("(", "[", "{")))}[level](sig)
    if not spans:
        return text, f"structure: no {level}", None
    if level == "wrap":
        start, end = rng.choice(spans)
        inner = text[start:end]
        other = text[slice(*rng.choice(spans))]
        form = rng.choice(WRAPPERS)
        return _splice(text, start, end, form.format(x=inner, y=other)), f"wrap: {form}", None
    action = rng.choice(("delete", "duplicate", "swap", "move", "replace", "nest"))
    start, end = rng.choice(spans)
    piece = text[start:end]
    if action == "delete":
        return _splice(text, start, end, ""), f"{level}: delete", None
    if action == "duplicate":
        return _splice(text, end, end, "\n" + piece), f"{level}: duplicate", None
    if len(spans) < 2:
        return _splice(text, end, end, "\n" + piece), f"{level}: duplicate", None
    (a0, a1), (b0, b1) = _pick_span_pair(rng, spans)
    if a1 > b0:   # nested: replace the outer by the inner
        return _splice(text, a0, a1, text[b0:b1]), f"{level}: outer replaced by inner", None
    if action == "swap":
        return _apply(text, [(a0, a1, text[b0:b1]), (b0, b1, text[a0:a1])]), f"{level}: swap", None
    if action == "move":
        moved = _splice(text, b0, b1, "")
        return _splice(moved, a0, a0, text[b0:b1] + "\n"), f"{level}: move", None
    if action == "replace":
        return _splice(text, a0, a1, text[b0:b1]), f"{level}: replace by another", None
    # nest: put one inside the other, before its closing brace when it has one
    inner = text[b0:b1]
    close = text.rfind("}", a0, a1)
    at = close if close > a0 else a1
    return _apply(text, [(b0, b1, ""), (at, at, "\n" + inner + "\n")]), f"{level}: nest", None


WRAPPERS = ("({x})", "not ({x})", "-({x})", "({x}) + ({x})", "if true then {x} else {y}",
            "if {x} then {y} else {x}", "[{x}]", "exists {x}", "({x}).year", "({x})[2025]",
            "min({x}, {y})", "max({x})", "({x}) is none", "({x}) on 2025-01-01",
            "({x}) / 0", "({x}) * ({y})", "({x}) in [{y}]", "({x}) == ({y})",
            "sum {{ y in 2000 .. 9999 => {x} }}", "count {{ e in {x} where {y} }}",
            "streak {{ y in 1 .. 100000 where {x} }}", "round({x})", "({x}) .. ({y})")


def deep_nesting(rng, text):
    """Deep nesting and long sequences: parentheses, sums, ifs, nots, lists, types,
    exceptions, unary minus, attribute chains, many declarations, a file at the size limit."""
    from yibao.interpreter.limits import MAX_POLICY_BYTES

    sig = _significant(tokenize(text))
    spans = expressions(sig)
    n = rng.choice(NESTING_DEPTHS)
    form = rng.choice(("parens", "sum", "if", "not", "list", "minus", "attribute", "and",
                       "types", "exceptions", "declarations", "size"))
    if form == "size":
        target = MAX_POLICY_BYTES + rng.choice((-1, 0, 1, 4096))
        pad = max(0, target - len(text.encode("utf-8")) - 2)
        return text + "\n#" + "x" * pad, f"deep: file padded to {target} bytes", None
    if form == "types":
        decl = rng.choice(("optional ", "list of "))
        at = text.find(": int")
        if at < 0:
            return text, "deep: no int type", None
        return _splice(text, at + 2, at + 5, decl * n + "int"), f"deep: {decl.strip()} x{n}", None
    if form in ("exceptions", "declarations"):
        blocks = blocks_after(sig, "exception") if form == "exceptions" else declarations(sig)
        if not blocks:
            return text, f"deep: no {form}", None
        start, end = rng.choice(blocks)
        piece = text[start:end]
        if form == "declarations":
            n = min(n, 20000)
            first = re.search(r"(parameter|rule|output|enum|record|table|measure)\s+([^\W\d]\w*)", piece)
            if not first:
                return text, "deep: no named declaration", None
            copies = [piece.replace(first.group(2), f"{first.group(2)}_{i}", 1) for i in range(n)]
            return _splice(text, end, end, "\n" + "\n".join(copies)), f"deep: {n} declarations", None
        # n copies of the exception, each opened inside the one before, then n braces
        depth = min(n, 2000)
        inner = piece[:piece.rfind("}")]
        body = "".join(inner.replace("exception ", f"exception n{i}_", 1) + "\n"
                       for i in range(depth))
        return _splice(text, start, end, body + "}" * depth), f"deep: exceptions nested x{depth}", None
    if not spans:
        return text, "deep: no expression", None
    start, end = rng.choice(spans)
    x = text[start:end]
    built = {
        "parens": lambda: "(" * n + x + ")" * n,
        "sum": lambda: " + ".join([x] * min(n, 3) + ["1"] * max(0, n - 3)),
        "if": lambda: "if true then " * n + x + (" else " + x) * n,
        "not": lambda: "not " * n + x,
        "list": lambda: "[" * n + x + "]" * n,
        "minus": lambda: "- " * n + x,
        "attribute": lambda: "(" + x + ")" + ".year" * n,
        "and": lambda: " and ".join([f"({x})"] * min(n, 3) + ["true"] * max(0, n - 3)),
    }[form]()
    return _splice(text, start, end, built), f"deep: {form} x{n}", None


def encodings(rng, text):
    """Byte-level and whitespace trouble: BOM, control characters, long lines, CRLF, CR,
    tabs, full-width punctuation and spaces, GBK / UTF-16 / broken UTF-8, empty files."""
    form = rng.choice(("bom", "bom-middle", "control", "control", "long-line", "long-string",
                       "crlf", "cr", "tabs", "fullwidth", "ideographic-space", "gbk", "utf16",
                       "bad-utf8", "surrogate", "empty", "no-final-newline", "nul-end"))
    if form == "bom":
        return "\ufeff" + text, "encoding: BOM", None
    if form == "bom-middle":
        at = rng.randrange(len(text))
        return _splice(text, at, at, "\ufeff"), "encoding: BOM in the middle", None
    if form == "control":
        edits = []
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(text))
            edits.append((at, at, rng.choice(CONTROL_CHARS)))
        return _apply(text, edits), "encoding: control characters", None
    if form == "long-line":
        at = text.find("\n", rng.randrange(len(text)))
        at = len(text) if at < 0 else at
        filler = rng.choice((" + 1" * rng.choice((1000, 25000)), " #" + "注" * 200000,
                             " " * 300000))
        return _splice(text, at, at, filler), f"encoding: line +{len(filler)} characters", None
    if form == "long-string":
        sig = _significant(tokenize(text))
        strings = [t for t in sig if t.kind == "string"]
        if not strings:
            return text, "encoding: no string", None
        tok = rng.choice(strings)
        return _splice(text, tok.start, tok.end, '"' + "长" * 200000 + '"'), "encoding: long string", None
    if form == "crlf":
        return text.replace("\n", "\r\n"), "encoding: CRLF", None
    if form == "cr":
        return text.replace("\n", "\r"), "encoding: CR line ends", None
    if form == "tabs":
        return text.replace("  ", "\t"), "encoding: tabs", None
    if form == "fullwidth":
        table = {"(": "（", ")": "）", "{": "｛", "}": "｝", ":": "：", ",": "，", "=": "＝",
                 "[": "［", "]": "］", '"': "＂", "%": "％", "-": "－", "+": "＋"}
        sig = _significant(tokenize(text))
        ops = [t for t in sig if t.text in table or t.text[:1] in table]
        if not ops:
            return text, "encoding: no operator", None
        tok = rng.choice(ops)
        new = "".join(table.get(ch, ch) for ch in tok.text)
        return _splice(text, tok.start, tok.end, new), f"encoding: full-width {new}", None
    if form == "ideographic-space":
        spaces = [m.start() for m in re.finditer(" ", text)]
        if not spaces:
            return text, "encoding: no space", None
        at = rng.choice(spaces)
        return _splice(text, at, at + 1, rng.choice(("\u3000", "\u00a0", "\u2003"))), \
            "encoding: non-ASCII space", None
    if form == "gbk":
        return text.encode("gbk", "replace"), "encoding: GBK bytes", None
    if form == "utf16":
        return text.encode("utf-16"), "encoding: UTF-16", None
    if form == "bad-utf8":
        data = text.encode("utf-8")
        at = rng.randrange(len(data))
        return data[:at] + rng.choice((b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80\x80")) + data[at:], \
            "encoding: invalid UTF-8", None
    if form == "surrogate":
        at = rng.randrange(len(text))
        return _splice(text, at, at, "\ud800").encode("utf-8", "surrogatepass"), \
            "encoding: a lone surrogate as UTF-8", None
    if form == "empty":
        return rng.choice(("", " \n", "\n\n\n", "# only a comment\n", "\ufeff")), "encoding: empty", None
    if form == "no-final-newline":
        return text.rstrip(), "encoding: no final newline", None
    return text + "\x00", "encoding: NUL at the end", None


def characters(rng, text):
    """Character-level edits: delete, insert a syntax character or a piece of text, duplicate."""
    notes = []
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(text) + 1)
        action = rng.choice(("delete", "insert", "duplicate"))
        if action == "delete":
            text = text[:at] + text[at + rng.randint(1, 12):]
        elif action == "insert":
            text = text[:at] + rng.choice(VOCABULARY + list("{}()[]:,.=\"#\n元%¥-")) + text[at:]
        else:
            end = min(len(text), at + rng.randint(1, 40))
            text = text[:at] + text[at:end] + text[at:]
        notes.append(action)
    return text, "characters: " + ", ".join(notes), None


FAMILIES = {
    "token": (token_edits, 6),
    "boundary-literal": (boundary_literals, 4),
    "non-ascii-digits": (non_ascii_digits, 1),
    "impossible-date": (impossible_dates, 1),
    "keyword-as-name": (keywords_as_names, 2),
    "structure": (structure, 5),
    "deep": (deep_nesting, 2),
    "encoding": (encodings, 2),
    "characters": (characters, 3),
}


def mutate_policy(rng, text: str):
    """(family, mutant text or bytes, note, must_refuse)."""
    names = list(FAMILIES)
    family = rng.choices(names, weights=[FAMILIES[n][1] for n in names])[0]
    mutant, note, must_refuse = FAMILIES[family][0](rng, text)
    return family, mutant, note, must_refuse
