"""Data trees for the record and region mutators, and their YAML and JSON spellings.

A seed is read with PyYAML's BaseLoader, so every scalar stays the text it was written as
(`Raw`); a mutation puts in Raw text (written verbatim, e.g. `0x10` or `!!int abc`), Python
strings (always quoted), numbers, booleans, None, lists, dicts, or `Pairs` (a mapping that
may repeat a key).  The emitters below write exactly that, where PyYAML's dumper would
normalise it.  They recurse only as deep as the tree, which the mutators keep shallow:
deep nesting is put in as Raw text.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import yaml


class Raw(str):
    """A scalar written verbatim, in YAML and in JSON (JSON quotes it unless it already
    reads as a JSON number, boolean or null)."""


class JsonRaw(str):
    """Verbatim in both spellings, even where it is not valid JSON (NaN, 1e999999999)."""


class Pairs(list):
    """A mapping as a list of (key, value), so a key can appear twice."""


_PLAIN_KEY = re.compile(r"[^\W\d][\w-]*|\d{4}-\d{2}-\d{2}", re.U)
_JSON_SCALAR = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null", re.A)


def read_seed(text: str):
    """A YAML text as a tree of dict / list / Raw."""
    def convert(node):
        if isinstance(node, dict):
            return {Raw(k): convert(v) for k, v in node.items()}
        if isinstance(node, list):
            return [convert(v) for v in node]
        return Raw(node)
    return convert(yaml.load(text, Loader=yaml.BaseLoader))


def items(mapping):
    return list(mapping) if isinstance(mapping, Pairs) else list(mapping.items())


# ------------------------------------------------------------------ YAML
def _yaml_scalar(value) -> str:
    if isinstance(value, (Raw, JsonRaw)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)    # a YAML double-quoted scalar
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value))


def _yaml_key(key) -> str:
    if isinstance(key, (Raw, JsonRaw)):
        return str(key)
    if isinstance(key, str) and _PLAIN_KEY.fullmatch(key):
        return key
    return _yaml_scalar(key)


def yaml_flow(value) -> str:
    if isinstance(value, (dict, Pairs)):
        return "{" + ", ".join(f"{_yaml_key(k)}: {yaml_flow(v)}" for k, v in items(value)) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(yaml_flow(v) for v in value) + "]"
    return _yaml_scalar(value)


def to_yaml(value, block_depth: int = 3, indent: str = "") -> str:
    """Block style for the first `block_depth` levels of mappings, flow style inside."""
    if isinstance(value, (dict, Pairs)) and block_depth > 0:
        if not items(value):
            return indent + "{}\n"
        lines = []
        for key, item in items(value):
            if isinstance(item, (dict, Pairs)) and items(item) and block_depth > 1:
                lines.append(f"{indent}{_yaml_key(key)}:\n" + to_yaml(item, block_depth - 1,
                                                                      indent + "  "))
            elif is_list(item) and item:
                lines.append(f"{indent}{_yaml_key(key)}:\n" +
                             "".join(f"{indent}  - {yaml_flow(v)}\n" for v in item))
            else:
                lines.append(f"{indent}{_yaml_key(key)}: {yaml_flow(item)}\n")
        return "".join(lines)
    if is_list(value) and block_depth > 0 and value:
        return "".join(f"{indent}- {yaml_flow(v)}\n" for v in value)
    return indent + yaml_flow(value) + "\n"


# ------------------------------------------------------------------ JSON
def _json_scalar(value) -> str:
    if isinstance(value, JsonRaw):
        return str(value)
    if isinstance(value, Raw):
        text = str(value)
        if _JSON_SCALAR.fullmatch(text):
            return text
        if text in ("~", ""):
            return "null"
        return json.dumps(text, ensure_ascii=False)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return _yaml_scalar(value)


def to_json(value, indent: int | None = 2, level: int = 0) -> str:
    pad = "" if indent is None else "\n" + " " * (indent * (level + 1))
    end = "" if indent is None else "\n" + " " * (indent * level)
    if isinstance(value, (dict, Pairs)):
        if not items(value):
            return "{}"
        parts = [f"{json.dumps(str(k), ensure_ascii=False)}: {to_json(v, indent, level + 1)}"
                 for k, v in items(value)]
        return "{" + ",".join(pad + p for p in parts) + end + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        # entries of a history on one line each: the files stay readable and small
        return "[" + ",".join(pad + to_json(v, None, level + 1) for v in value) + end + "]"
    return _json_scalar(value)


# ------------------------------------------------------------------ places in a tree
def places(tree, path=()):
    """Every (container, key, path) below the root, depth first; key indexes a Pairs."""
    found = []
    if isinstance(tree, Pairs):
        for i, (k, v) in enumerate(tree):
            found.append((tree, i, path + (k,)))
            found.extend(places(v, path + (k,)))
    elif isinstance(tree, dict):
        for k, v in tree.items():
            found.append((tree, k, path + (k,)))
            found.extend(places(v, path + (k,)))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            found.append((tree, i, path + (i,)))
            found.extend(places(v, path + (i,)))
    return found


def get(container, key):
    return container[key][1] if isinstance(container, Pairs) else container[key]


def put(container, key, value) -> None:
    if isinstance(container, Pairs):
        container[key] = (container[key][0], value)
    else:
        container[key] = value


def is_list(value) -> bool:
    return isinstance(value, list) and not isinstance(value, Pairs)


def is_scalar(value) -> bool:
    return not isinstance(value, (dict, list))


def copy_tree(tree):
    if isinstance(tree, Pairs):
        return Pairs((k, copy_tree(v)) for k, v in tree)
    if isinstance(tree, dict):
        return {k: copy_tree(v) for k, v in tree.items()}
    if isinstance(tree, list):
        return [copy_tree(v) for v in tree]
    return tree
