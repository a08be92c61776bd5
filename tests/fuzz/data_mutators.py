"""Mutations of records and region files, in YAML and in JSON.

Most families edit the data tree (data_text.py) and spell it out again; `text`, `anchors`
and `encoding` edit the spelled-out text or bytes.  Each family is a function
(rng, Seed) -> Mutant.  Region files get five more families of their own, listed in
REGION_FAMILIES, on top of the shared ones.
"""
from __future__ import annotations

from dataclasses import dataclass

from .data_text import (JsonRaw, Pairs, Raw, copy_tree, get, is_list, is_scalar, items, places,
                        put, read_seed, to_json, to_yaml)
from .vocabulary import CONTROL_CHARS, DIGIT_SETS, IMPOSSIBLE_DATES, to_digits

YAML11_FORMS = ("010", "0x10", "0o17", "0b101", "1_000", "1:30", "190:20:30", "yes", "no", "on",
                "off", "y", "n", "Yes", "ON", ".inf", "-.inf", ".nan", ".NaN", "~", "NULL",
                "+12", "12.", ".5", "1e3", "1.0e+3", "2025-1-1", "2025-01-01 10:00:00",
                "2025-01-01t10:00:00Z", "=", "<<", "0.", "-0", "+.inf", "0777", "1,000")
JSON_FORMS = ("NaN", "Infinity", "-Infinity", "1e400", "-0", "1E+2", "1.0", "0.1e1", "-0.0",
              "1e-400", "[]", "{}", '"\\u0000"', '"\\ud800"', '"\\udfff\\ud800"')
TAGS = ("!!int abc", "!!float abc", "!!timestamp hello", "!!binary aGVsbG8=", '!!binary "@@@"',
        "!!set {a, b}", "!!omap [a: 1]", "!!pairs [a: 1]", "!!python/object:os.system ls",
        "!!python/name:os.system", "!!python/object/apply:os.system [ls]", "!!str 5",
        '!!int "2025"', "!!bool yes", "!!null x", "!!float 1e999", "!!int 0x1F",
        "!!timestamp 2025-02-30", "!!map []", "!!seq {}", "!custom x", "!<tag:yaml.org,2002:int> 5",
        "!!merge x", "!!value x", "!!float .nan", "!!int 99999999999999999999999",
        "!!timestamp 2025-01-01T10:00:00+08:00", "!!str", "!!binary ''")
NUMBERS = ("1e999999999", "-1e999999999", "1e-999999999", "9" * 4400, "1" * 4300,
           "9223372036854775808", "-9223372036854775809", "0.1e400", "1" + "0" * 5000 + ".00",
           "123456789012345678.9", "99999999999999.995", "999999999999999.99", "0.001",
           "1000000000000000", "-0", "0.00000000000000000000001", "1." + "0" * 30 + "1")
OTHER_TYPES = (Raw("42"), Raw("-7"), Raw("3.14"), "text", Raw("true"), Raw("null"), [], {},
               [Raw("1"), "a"], {"a": Raw("1")}, Raw("2025-01-01"), Raw("2025-01-01T10:00:00"),
               Raw("~"), Raw("''"), "", Raw("[[]]"), Raw("{a: {b: []}}"))
ODD_TEXTS = ("", " ", "\t", "\u3000", "\u00a0", "x" * 100000, "{name}", "{0}", "%s", "😀",
             "\U0010ffff", "a\u202eb", "a\u200bb", "line\nbreak", "\\", '"', "'", "null")
YAML_SYNTAX = (": ", "- ", "{", "}", "[", "]", ",", "&a ", "*a", "<<: *a", "? ", "|", ">", "---\n",
               "...\n", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "\t", "#", "'", '"', "!!", "@", "`",
               "\n  ", "\n", ":", "&", "*")
JSON_SYNTAX = ("{", "}", "[", "]", ",", ":", '"', "\\", "null", "true", "1e5", "//", "/*", "\n",
               "NaN", "-", ".")


@dataclass
class Seed:
    name: str           # file name of the seed, e.g. "qingdao-case.yaml"
    text: str           # the seed as written (YAML, with its comments)
    kind: str           # "record" or "region"


@dataclass
class Mutant:
    family: str
    data: object        # str or bytes
    fmt: str            # "yaml" or "json"
    note: str
    must_refuse: str | None = None
    suspect: "Suspect | None" = None


@dataclass(frozen=True)
class Suspect:
    """A top-level field whose mutated text must not come back from loading converted to
    a number or a date: it is either refused or kept as the text it is."""
    field: str | None
    text: str


def _spell(tree, fmt: str) -> str:
    return to_json(tree) + "\n" if fmt == "json" else to_yaml(tree)


def _place(rng, tree, want=None):
    """A random (container, key, path) whose value satisfies `want`."""
    found = [p for p in places(tree) if want is None or want(get(p[0], p[1]))]
    return rng.choice(found) if found else None


def _top_field(path) -> str | None:
    return str(path[0]) if path and isinstance(path[0], str) else None


def _is_number_text(value) -> bool:
    return isinstance(value, Raw) and bool(value) and value.replace(".", "", 1).lstrip("-").isascii() \
        and value.replace(".", "", 1).lstrip("-").isdigit()


def _is_date_text(value) -> bool:
    return isinstance(value, Raw) and len(value) == 10 and value[4] == "-" and value[7] == "-"


# ------------------------------------------------------------------ tree families
def type_swap(rng, tree, fmt):
    place = _place(rng, tree)
    if place is None:
        return "no place", None, None
    new = rng.choice(OTHER_TYPES)
    put(place[0], place[1], copy_tree(new))
    return f"{_show(place[2])} -> {new!r:.40}", None, None


def yaml11_forms(rng, tree, fmt):
    place = _place(rng, tree, is_scalar)
    if place is None:
        return "no scalar", None, None
    new = rng.choice(YAML11_FORMS) if fmt == "yaml" else rng.choice(JSON_FORMS)
    put(place[0], place[1], JsonRaw(new) if fmt == "json" else Raw(new))
    return f"{_show(place[2])} -> {new}", None, None


def tags(rng, tree, fmt):
    place = _place(rng, tree, is_scalar)
    if place is None or fmt == "json":
        return type_swap(rng, tree, fmt)
    new = rng.choice(TAGS)
    put(place[0], place[1], Raw(new))
    return f"{_show(place[2])} -> {new}", None, None


def characters(rng, tree, fmt):
    """Text with control characters, NUL, lone surrogates, odd spaces, long text."""
    place = _place(rng, tree, is_scalar)
    if place is None:
        return "no scalar", None, None
    old = str(get(place[0], place[1]))
    form = rng.choice(("control", "odd", "surrogate", "surrogate"))
    if form == "control":
        at = rng.randint(0, len(old))
        new = old[:at] + rng.choice(CONTROL_CHARS) + old[at:]
    elif form == "odd":
        new = rng.choice(ODD_TEXTS)
    else:   # a lone surrogate: an escape in JSON and in a YAML double-quoted scalar
        new = JsonRaw('"' + old.replace('"', "").replace("\\", "") + rng.choice(("\\ud800", "\\udc00", "\\ud83d")) + '"')
    put(place[0], place[1], new)
    return f"{_show(place[2])} -> {form}", None, None


def non_ascii_digits(rng, tree, fmt):
    place = _place(rng, tree, lambda v: _is_number_text(v) or _is_date_text(v))
    if place is None:
        return "no number", None, None
    old = get(place[0], place[1])
    new = to_digits(old, rng.choice(DIGIT_SETS), every=rng.random() < 0.7, rng=rng)
    put(place[0], place[1], Raw(new))
    return f"{_show(place[2])}: {old} -> {new}", None, Suspect(_top_field(place[2]), new)


def impossible_dates(rng, tree, fmt):
    place = _place(rng, tree, _is_date_text)
    if place is None:
        return "no date", None, None
    new = rng.choice(IMPOSSIBLE_DATES)
    put(place[0], place[1], Raw(new))
    return f"{_show(place[2])} -> {new}", None, Suspect(_top_field(place[2]), new)


def deep(rng, tree, fmt):
    """A value nested 63 to 100000 levels deep, in flow or block style."""
    place = _place(rng, tree)
    n = rng.choice((63, 64, 65, 100, 1000, 1000, 10000, 100000))
    form = rng.choice(("list", "map", "block") if fmt == "yaml" else ("list", "map"))
    if form == "list":
        new = JsonRaw("[" * n + "1" + "]" * n)
    elif form == "map":
        key = '"a"' if fmt == "json" else "a"
        new = JsonRaw(f"{{{key}: " * n + "1" + "}" * n)
    else:
        n = min(n, 1000)    # block indentation grows with the square of the depth
        new = Raw("\n" + "".join("  " * (i + 2) + "a:\n" for i in range(n)) + "  " * (n + 2) + "1")
    if place is None:
        return f"whole file nested x{n}", new, None
    put(place[0], place[1], new)
    return f"{_show(place[2])} nested {form} x{n}", None, None


def duplicate_keys(rng, tree, fmt):
    maps = [p for p in places(tree) if isinstance(get(p[0], p[1]), dict) and get(p[0], p[1])]
    if isinstance(tree, dict) and tree:
        maps.append(None)
    if not maps:
        return "no mapping", None, None
    chosen = rng.choice(maps)
    mapping = tree if chosen is None else get(chosen[0], chosen[1])
    pairs = Pairs(items(mapping))
    at = rng.randrange(len(pairs))
    key, value = pairs[at]
    again = value if rng.random() < 0.5 else rng.choice(OTHER_TYPES)
    pairs.insert(rng.randint(at + 1, len(pairs)), (key, copy_tree(again)))
    if chosen is None:
        return f"top-level key {key} twice", pairs, "a duplicate key"
    put(chosen[0], chosen[1], pairs)
    return f"{_show(chosen[2])}.{key} twice", None, "a duplicate key"


def numbers(rng, tree, fmt):
    place = _place(rng, tree, lambda v: _is_number_text(v)) or _place(rng, tree, is_scalar)
    if place is None:
        return "no scalar", None, None
    new = rng.choice(NUMBERS)
    put(place[0], place[1], JsonRaw(new))
    return f"{_show(place[2])} -> {new[:30]}", None, None


def ids(rng, tree, fmt):
    if not isinstance(tree, dict):
        return "no id", None, None
    new = rng.choice(ODD_TEXTS + (Raw("123"), Raw("null"), [], {}, "\x00", None))
    if rng.random() < 0.15:
        tree.pop("id", None)
        return "id removed", None, None
    tree["id"] = new
    return f"id -> {new!r:.30}", None, None


def histories(rng, tree, fmt):
    lists = [p for p in places(tree) if is_list(get(p[0], p[1])) and get(p[0], p[1])]
    if not lists:
        return "no list", None, None
    container, key, path = rng.choice(lists)
    entries = get(container, key)
    form = rng.choice(("long", "long", "empty", "same-year", "reversed", "years"))
    if form == "long":
        # around a real province's longest (10^4) and the limit (MAX_LIST_ITEMS, then one more)
        from yibao.interpreter.limits import MAX_LIST_ITEMS

        size = rng.choice((300, 1000, 5000, 10000, MAX_LIST_ITEMS + 1) if fmt == "yaml" else
                          (1000, 10000, MAX_LIST_ITEMS, MAX_LIST_ITEMS + 1))
        new = [copy_tree(entries[i % len(entries)]) for i in range(size)]
    elif form == "empty":
        new = []
    elif form == "same-year":
        new = entries + [copy_tree(e) for e in entries]
    elif form == "reversed":
        new = entries[::-1]
    else:
        new = [copy_tree(e) for e in entries]
        for entry in new:
            if isinstance(entry, dict) and "year" in entry:
                entry["year"] = JsonRaw(rng.choice(("0", "-1", "1", "9999", "10000", "99999",
                                                    "9223372036854775807", "2025.5", '"2025"')))
    put(container, key, new)
    return f"{_show(path)}: {form} ({len(new)} entries)", None, None


MISSPELT = ("birthdate", "Birth_date", "birth_date ", "birth＿date", "enrolment", "hukuo", "kind ",
            "ID", "Id", "regions", "year ", "出生日期", "")


def structure(rng, tree, fmt):
    form = rng.choice(("delete", "unknown", "swap", "kind", "document", "dup-entry",
                       "drop-entry"))
    if form == "document":
        new = rng.choice((Raw("42"), Raw("null"), [Raw("1")], {}, Raw("text"), [{}], [tree]))
        return f"document -> {new!r:.30}", copy_tree(new), None
    if not isinstance(tree, dict) or not tree:
        return "not a mapping", None, None
    keys = list(tree)
    if form == "delete":
        key = rng.choice(keys)
        del tree[key]
        return f"{key} removed", None, None
    if form == "unknown":
        tree[Raw(rng.choice(MISSPELT) or "''")] = rng.choice(OTHER_TYPES)
        return "unknown field added", None, None
    if form == "swap" and len(keys) > 1:
        a, b = rng.sample(keys, 2)
        tree[a], tree[b] = tree[b], tree[a]
        return f"{a} <-> {b}", None, None
    if form == "kind":
        tree["kind"] = rng.choice((Raw("fund_year"), Raw("person"), Raw("nobody"), "", Raw("null"),
                                   [], Raw("Person"), " person"))
        return f"kind -> {tree['kind']!r}", None, None
    lists = [k for k in keys if is_list(tree[k]) and tree[k]]
    if not lists:
        return "no list", None, None
    key = rng.choice(lists)
    entries = tree[key]
    at = rng.randrange(len(entries))
    if form == "dup-entry":
        entries.insert(at, copy_tree(entries[at]))
    else:
        del entries[at]
    return f"{key}[{at}] {form}", None, None


def _show(path) -> str:
    return ".".join(str(p) for p in path) or "(root)"


# ------------------------------------------------------------------ region families
def misspelt_parameter(rng, tree, fmt):
    regions = tree.get("regions") if isinstance(tree, dict) else None
    if not isinstance(regions, dict) or not regions:
        return "no regions", None, None
    name = rng.choice(list(regions))
    params = regions[name]
    if not isinstance(params, dict) or not params:
        return "no parameters", None, None
    old = rng.choice(list(params))
    new = rng.choice((old[:-1], old + "s", old.upper(), old + " ", " " + old, old.replace("_", "＿"),
                      old.replace("_", "-"), old.replace("_", ""), old[::-1], "大病保险原封顶线"))
    regions[name] = {(Raw(new) if k == old else k): v for k, v in params.items()}
    return f"{name}.{old} -> {new}", None, None


def region_name(rng, tree, fmt):
    regions = tree.get("regions") if isinstance(tree, dict) else None
    if not isinstance(regions, dict) or not regions:
        return "no regions", None, None
    old = rng.choice(list(regions))
    new = rng.choice((old + " ", " " + old, old.replace("省", "省 "), old.replace("省", "省\u3000"),
                      old + "\u00a0", old.replace("市", "市\u200b"), old[:3], "", old + old,
                      old.replace("省", "")))
    duplicate = rng.random() < 0.3
    entries = [(k, v) for k, v in regions.items()]
    if duplicate:
        entries.append((Raw(new or "''"), copy_tree(regions[old])))
    else:
        entries = [(Raw(new or "''") if k == old else k, v) for k, v in entries]
    tree["regions"] = Pairs(entries)
    return f"region {old!r} -> {new!r}{' (added)' if duplicate else ''}", None, None


def _dated(tree):
    """Every mapping whose keys look like dates, with the path to it."""
    return [p for p in places(tree) if isinstance(get(p[0], p[1]), dict) and get(p[0], p[1])
            and all(len(str(k)) == 10 and str(k)[4] == "-" for k in get(p[0], p[1]))]


def region_dates(rng, tree, fmt):
    dated = _dated(tree)
    if not dated:
        return "no dated value", None, None
    container, key, path = rng.choice(dated)
    values = get(container, key)
    form = rng.choice(("reverse", "duplicate", "quoted", "impossible", "not-a-date", "extreme",
                       "datetime"))
    entries = list(values.items())
    refuse = None
    if form == "reverse":
        entries = entries[::-1] + [(Raw("2020-01-01"), Raw("1"))]
    elif form == "duplicate":
        entries.append((entries[0][0], Raw(rng.choice(("1", "2", "300000")))))
        refuse = "a duplicate date"
    elif form == "quoted":
        entries = [(Raw(f'"{k}"'), v) for k, v in entries]
    elif form == "impossible":
        entries.append((Raw(rng.choice(IMPOSSIBLE_DATES)), Raw("1")))
        refuse = "a date that is not in the calendar"
    elif form == "not-a-date":
        entries.append((Raw(rng.choice(("2025", "from 2025", "2025-1-1", "2025/01/01", "[1]",
                                        "null", "true", "1.5", "'2025-01-01'"))), Raw("1")))
    elif form == "extreme":
        entries = [(Raw(rng.choice(("0001-01-01", "9999-12-31", "1900-01-01"))), v) for _, v in entries]
    else:
        entries = [(Raw(f"{k}T00:00:00"), v) for k, v in entries]
    put(container, key, Pairs(entries))
    return f"{_show(path)}: {form}", None, refuse


def region_values(rng, tree, fmt):
    dated = _dated(tree)
    if not dated:
        return "no dated value", None, None
    container, key, path = rng.choice(dated)
    values = get(container, key)
    date = rng.choice(list(values))
    new = rng.choice(("300000.5", "300000.005", "1e5", "300,000", "30万", "¥300000", "300000 元",
                      "-1", "0", "9" * 4400, "1e999999999", "0.1", "''", "[]", "{}", "null",
                      "20%", "3 个月", "true"))
    values[date] = JsonRaw(new) if fmt == "json" and new[:1] in "[{" else Raw(new)
    return f"{_show(path)}.{date} -> {new[:20]}", None, None


def region_keys(rng, tree, fmt):
    """Keyed parameters with unknown keys, keyed where dated is expected, and the reverse."""
    dated = _dated(tree)
    if not dated:
        return "no dated value", None, None
    container, key, path = rng.choice(dated)
    values = get(container, key)
    form = rng.choice(("unknown-key", "keyed", "undated", "empty", "list", "deeper"))
    if form == "unknown-key":
        new = {Raw(rng.choice(("低保对象 ", "unknown", "特困人员", "低保", "", "2025-01-01"))): copy_tree(values)}
        if isinstance(container, dict) and len(path) >= 2:
            put(container, key, values)
            container[Raw(rng.choice(("未知类别", "低保对象\u3000", "LOW")))] = copy_tree(values)
            return f"{_show(path[:-1])}: unknown key added", None, None
    elif form == "keyed":
        new = {Raw("低保对象"): copy_tree(values)}
    elif form == "undated":
        new = Raw(rng.choice(("300000", "390", "text")))
    elif form == "empty":
        new = {}
    elif form == "list":
        new = [copy_tree(values)]
    else:
        new = {Raw("a"): {Raw("b"): copy_tree(values)}}
    put(container, key, new)
    return f"{_show(path)}: {form}", None, None


TREE_FAMILIES = {
    "type-swap": (type_swap, 4), "yaml11": (yaml11_forms, 3), "tags": (tags, 2),
    "characters": (characters, 2), "non-ascii-digits": (non_ascii_digits, 1),
    "impossible-date": (impossible_dates, 1), "deep": (deep, 1), "duplicate-keys": (duplicate_keys, 2),
    "numbers": (numbers, 2), "ids": (ids, 1), "histories": (histories, 1), "structure": (structure, 3),
}
REGION_FAMILIES = {
    "misspelt-parameter": (misspelt_parameter, 2), "region-name": (region_name, 2),
    "region-dates": (region_dates, 3), "region-values": (region_values, 2),
    "region-keys": (region_keys, 2),
}
TEXT_FAMILIES = {"text": 3, "anchors": 1, "encoding": 2}


def text_edits(rng, text, fmt):
    syntax = YAML_SYNTAX if fmt == "yaml" else JSON_SYNTAX
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(text))
        action = rng.choice(("insert", "delete", "duplicate"))
        if action == "insert":
            text = text[:at] + rng.choice(syntax) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + rng.randint(1, 8):]
        else:
            end = min(len(text), at + rng.randint(1, 30))
            text = text[:at] + text[at:end] + text[at:]
    return text, "text edits"


def anchors(rng, text, fmt):
    """Alias bombs, recursive aliases, merge keys, undefined aliases (YAML only)."""
    form = rng.choice(("laughs", "recursive-list", "recursive-map", "merge-self", "undefined",
                       "merge-list"))
    if form == "laughs":
        levels, width = rng.choice(((9, 9), (6, 10), (4, 4), (12, 2)))
        lines = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]"
                                   for i in range(1, levels)]
        return "\n".join(lines) + "\n" + text, f"anchors: {width}^{levels} alias expansion"
    if form == "recursive-list":
        return text + "\nloop: &loop [*loop]\n", "anchors: a list containing itself"
    if form == "recursive-map":
        return text + "\nloop: &loop {self: *loop}\n", "anchors: a mapping containing itself"
    if form == "merge-self":
        return text + "\nloop: &loop {<<: *loop, a: 1}\n", "anchors: a merge of itself"
    if form == "merge-list":
        return text + "\nbase: &base {a: 1}\nmerged: {<<: [*base, *base, 5], b: 2}\n", "anchors: odd merge"
    return text + "\nalias: *nowhere\n", "anchors: an undefined alias"


def encoding(rng, text, fmt):
    form = rng.choice(("bom", "gbk", "utf16", "bad-utf8", "crlf", "cr", "nul", "empty", "spaces",
                       "comment-only", "documents", "garbage", "tab-indent"))
    if form == "bom":
        return "\ufeff" + text, "encoding: BOM"
    if form == "gbk":
        return text.encode("gbk", "replace"), "encoding: GBK"
    if form == "utf16":
        return text.encode("utf-16"), "encoding: UTF-16"
    if form == "bad-utf8":
        data = text.encode("utf-8")
        at = rng.randrange(len(data) + 1)
        return data[:at] + rng.choice((b"\xff", b"\xc3", b"\xed\xa0\x80")) + data[at:], "encoding: invalid UTF-8"
    if form == "crlf":
        return text.replace("\n", "\r\n"), "encoding: CRLF"
    if form == "cr":
        return text.replace("\n", "\r"), "encoding: CR"
    if form == "nul":
        at = rng.randrange(len(text) + 1)
        return text[:at] + "\x00" + text[at:], "encoding: NUL"
    if form == "empty":
        return "", "encoding: empty file"
    if form == "spaces":
        return rng.choice((" ", "\n\n", "\t\n", "\u3000\n")), "encoding: whitespace only"
    if form == "comment-only":
        return "# nothing here\n", "encoding: only a comment"
    if form == "documents":
        return text + "\n---\n" + text, "encoding: two documents"
    if form == "garbage":
        return text + rng.choice(("\n}}}", "\n]", "\n@@@", "\x1a")), "encoding: trailing garbage"
    return text.replace("  ", "\t"), "encoding: tab indentation"


def mutate_data(rng, seed: Seed) -> Mutant:
    tree_families = dict(TREE_FAMILIES)
    if seed.kind == "region":
        tree_families.update(REGION_FAMILIES)
    names = list(tree_families) + list(TEXT_FAMILIES)
    weights = [tree_families[n][1] if n in tree_families else TEXT_FAMILIES[n] for n in names]
    family = rng.choices(names, weights=weights)[0]
    fmt = "json" if rng.random() < 0.3 else "yaml"
    tree = read_seed(seed.text)
    if family in TEXT_FAMILIES:
        if family == "anchors":
            fmt = "yaml"
        # YAML edits start from the file as written (its comments included) half the time
        base = seed.text if fmt == "yaml" and rng.random() < 0.5 else _spell(tree, fmt)
        function = {"text": text_edits, "anchors": anchors, "encoding": encoding}[family]
        data, note = function(rng, base, fmt)
        return Mutant(family, data, fmt, note)
    note, whole, must_refuse = tree_families[family][0](rng, tree, fmt)
    suspect = None
    if isinstance(must_refuse, Suspect):    # judged by the loaded value, see runner.py
        suspect, must_refuse = must_refuse, None
    if whole is not None:
        tree = whole
    return Mutant(family, _spell(tree, fmt), fmt, note, must_refuse, suspect)
