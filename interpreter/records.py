"""Reading person and fund-year records and checking them against a policy's `input` shape.

Every problem is collected before anything is raised, so a person fixing a record sees the
whole list at once; each diagnostic carries the record path (`enrollment[2].paid_on`,
indexes from 0) and, for YAML, the line and column of the value.

The data files are read with PyYAML's SafeLoader only.  We compose the node tree and then
run SafeLoader's own constructor on it (what yaml.safe_load does, in two steps) because the
tree gives us positions, and because two YAML 1.1 readings must be undone before
construction: `2025-13-01` would otherwise crash the constructor with a bare ValueError, and
`yes`/`no`/`on`/`off` would silently become booleans.  Both are kept as the text written,
so the field checks below report them against the declared type (YAML 1.2 reading).

The scalar conversion here is the only one: region values (regions.py) go through it too.
"""
from __future__ import annotations

import calendar
import datetime as dt
import difflib
import json
import math
import re
from decimal import Decimal
from pathlib import Path

import yaml

from .diagnostics import Diagnostic, DiagnosticError, Hint
from .source import Span
from .types import (INT, TEXT, EnumTy, FieldInfo, HistoryTy, ListTy, OptionalTy, Prim,
                    RecordTy, Ty)
from .values import CENT, Duration, History

KEY = "#key"            # positions[path + KEY]: span of the mapping key; positions[path]: the value
NODE_LIMIT = 100_000    # YAML nodes visited per file, counting alias expansions
MONEY_LIMIT = Decimal(10) ** 15    # no real amount comes near; keeps quantize inside Decimal's precision
_BAD = object()         # a value that failed; its diagnostic is already recorded
_NOWHERE = "\x00"       # `at` for diagnostics with no position (a missing top-level field)

_BOOL_TAG = "tag:yaml.org,2002:bool"
_STR_TAG = "tag:yaml.org,2002:str"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_MERGE_TAG = "tag:yaml.org,2002:merge"
DATE_TEXT = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATETIME_TEXT = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]\d")
_NUMBER_TEXT = re.compile(r"[+-]?\d+(\.\d+)?")
_INT_TEXT = re.compile(r"[+-]?\d+")
_PERCENT_TEXT = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*%")
_DURATION_TEXT = re.compile(r"(\d+)\s*(months?|个月|月|years?|年)")


# ------------------------------------------------------------------ display and paths
def show(raw, limit: int = 48) -> str:
    """A value as the data file would spell it, the same in English and Chinese messages."""
    if isinstance(raw, dict):
        return _bracket("{", [f"{_plain(k)}: {show(v, limit // 2)}" for k, v in raw.items()], "}", limit)
    if isinstance(raw, (list, tuple)):
        return _bracket("[", [show(v, limit // 2) for v in raw], "]", limit)
    if raw is None:
        text = "null"
    elif isinstance(raw, bool):
        text = "true" if raw else "false"
    elif isinstance(raw, str):
        text = json.dumps(raw, ensure_ascii=False)
    elif isinstance(raw, dt.datetime):
        text = raw.isoformat(sep=" ")
    elif isinstance(raw, dt.date):
        text = raw.isoformat()
    else:
        text = str(raw)
    return text if len(text) <= limit else text[:max(limit - 4, 8)] + " ..."


def _bracket(opening: str, parts: list[str], closing: str, limit: int) -> str:
    """Whole items only, then `...`: a cut inside an item would misquote it."""
    shown: list[str] = []
    for part in parts:
        if shown and len(", ".join(shown + [part])) + 2 > limit:
            shown.append("...")
            break
        shown.append(part)
    return opening + ", ".join(shown) + closing


def _plain(raw) -> str:
    """Text for quoting back in a hint: no JSON quotes around strings."""
    return raw if isinstance(raw, str) else show(raw)


def join(path: str, key) -> str:
    return f"{path}.{key}" if path else str(key)


def _close(word, candidates) -> list[Hint]:
    if not isinstance(word, str):
        return []
    found = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return [Hint.of("hint.record.did_you_mean", name=found[0])] if found else []


# ------------------------------------------------------------------ scalar conversion
class Mismatch(Exception):
    """A raw value does not fit a type; the caller adds the place (field, path, span)."""

    def __init__(self, code: str, hints=(), **args):
        super().__init__(code)
        self.code, self.hints, self.args_ = code, tuple(hints), args


def convert_scalar(raw, ty: Ty):
    """Raw YAML/JSON scalar -> runtime value (values.py) for a primitive or an enum type."""
    if isinstance(ty, EnumTy):
        return _enum(raw, ty)
    convert = _SCALARS.get(ty.name) if isinstance(ty, Prim) else None
    if convert is None:
        raise Mismatch("R432")
    return convert(raw)


def _number(raw):
    """Decimal from int, float, Decimal or plain numeric text; None when it is none of them."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise Mismatch("R424")
        return Decimal(str(raw))          # the shortest repr: 0.1 stays 0.1, not 0.1000000000000000055
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise Mismatch("R424")
        return raw
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, str) and _NUMBER_TEXT.fullmatch(raw.strip()):
        return Decimal(raw.strip())
    return None


def _money(raw):
    amount = _number(raw)
    if amount is None:
        hints = []
        if isinstance(raw, str):
            digits = re.sub(r"[¥￥,,\s元]|RMB|CNY", "", raw)
            if digits != raw.strip() and _NUMBER_TEXT.fullmatch(digits):
                hints.append(Hint.of("hint.record.plain_amount", text=digits))
        raise Mismatch("R422", hints)
    if abs(amount) >= MONEY_LIMIT:
        raise Mismatch("R422", [Hint.of("hint.record.too_large", limit=str(MONEY_LIMIT))])
    if amount != amount.quantize(CENT):
        raise Mismatch("R423", [Hint.of("hint.record.fen")])
    return amount.quantize(CENT)


def _decimal(raw):
    number = _number(raw)
    if number is None:
        raise Mismatch("R429")
    return number


def _int(raw):
    if isinstance(raw, bool):
        raise Mismatch("R425", [Hint.of("hint.record.bool_not_number")])
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and _INT_TEXT.fullmatch(raw.strip()):
        return int(raw.strip())
    if isinstance(raw, (float, Decimal)):
        number = _number(raw)
        if number == number.to_integral_value():
            return int(number)
    raise Mismatch("R425")


def _bool(raw):
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in ("true", "false"):
        raise Mismatch("R426", [Hint.of("hint.record.unquote", text=raw.strip().lower())])
    raise Mismatch("R426", [Hint.of("hint.record.bool_words")] if isinstance(raw, str) else [])


def _text(raw):
    if isinstance(raw, str):
        return raw
    if isinstance(raw, (dict, list, tuple)):
        raise Mismatch("R427")
    raise Mismatch("R427", [Hint.of("hint.record.quote", text=show(raw))])


def _date(raw):
    if isinstance(raw, dt.datetime):
        raise Mismatch("R420", [Hint.of("hint.record.drop_time", text=raw.date().isoformat())])
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        match = DATE_TEXT.fullmatch(text)
        if match:
            year, month, day = map(int, match.groups())
            if year < 1:
                raise Mismatch("R421")
            if not 1 <= month <= 12:
                raise Mismatch("R421", [Hint.of("hint.record.no_month", month=month)])
            days = calendar.monthrange(year, month)[1]
            if not 1 <= day <= days:
                raise Mismatch("R421", [Hint.of("hint.record.month_length", year=year,
                                                month=month, days=days)])
            return dt.date(year, month, day)
        stamped = _DATETIME_TEXT.match(text)
        if stamped:
            raise Mismatch("R420", [Hint.of("hint.record.drop_time", text=stamped.group(1))])
    raise Mismatch("R420")


def _percent(raw):
    if isinstance(raw, str):
        match = _PERCENT_TEXT.fullmatch(raw.strip())
        if match:
            return Decimal(match.group(1)).scaleb(-2)
    # 0.2 could mean 20% or 0.2%: a bare number is refused rather than guessed.
    bare = (isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool)) or \
        (isinstance(raw, str) and bool(_NUMBER_TEXT.fullmatch(raw.strip())))
    raise Mismatch("R430", [Hint.of("hint.record.percent_sign")] if bare else [])


def _duration(raw):
    if isinstance(raw, str):
        match = _DURATION_TEXT.fullmatch(raw.strip())
        if match:
            count = int(match.group(1))
            return Duration(count * 12 if match.group(2)[0] in "y年" else count)
    hints = [Hint.of("hint.record.duration_unit")] if isinstance(raw, int) and not isinstance(raw, bool) else []
    raise Mismatch("R431", hints)


def _enum(raw, ty: EnumTy):
    if isinstance(raw, str) and raw in ty.members:
        return raw
    hints = []
    labels = dict(zip(ty.labels, ty.members)) if ty.labels else {}
    if isinstance(raw, str) and raw in labels:
        hints.append(Hint.of("hint.record.enum_label", value=show(raw), member=labels[raw]))
    else:
        hints.extend(_close(raw, ty.members))
    listed = [f"{m} ({label})" if label else m
              for m, label in zip(ty.members, ty.labels or (None,) * len(ty.members))]
    hints.append(Hint.of("hint.record.members", members=", ".join(listed)))
    raise Mismatch("R428", hints, enum=ty.name)


_SCALARS = {"money": _money, "decimal": _decimal, "int": _int, "bool": _bool, "text": _text,
            "date": _date, "percent": _percent, "duration": _duration}


# ------------------------------------------------------------------ structure
class _Validator:
    """Walks raw data against a type, collecting diagnostics instead of stopping."""

    def __init__(self, file: str | None, positions: dict | None):
        self.file = file
        self.positions = positions or {}
        self.diags: list[Diagnostic] = []

    def report(self, code, path, *, at=None, warning=False, hints=(), **args):
        """`at` is the path whose position to show when it differs from `path` (a missing
        field is shown at its enclosing mapping; an unknown one at its key)."""
        span = self.positions.get(path if at is None else at)
        make = Diagnostic.warning if warning else Diagnostic.error
        self.diags.append(make(code, span, hints=hints, data_path=path or None, file=self.file, **args))

    def value(self, raw, ty: Ty, path: str, field: str, has_default: bool = False):
        if isinstance(ty, OptionalTy):
            return None if raw is None else self.value(raw, ty.inner, path, field)
        if raw is None:
            hint = Hint.of("hint.record.null_default") if has_default else \
                Hint.of("hint.record.null_value", type=str(ty))
            self.report("R414", path, hints=[hint], field=field, type=str(ty))
            return _BAD
        if isinstance(ty, (ListTy, HistoryTy)):
            return self.sequence(raw, ty, path, field)
        if isinstance(ty, RecordTy):
            return self.record(raw, ty, path, field, required=lambda name: True)
        try:
            return convert_scalar(raw, ty)
        except Mismatch as bad:
            self.report(bad.code, path, hints=bad.hints, field=field, value=show(raw),
                        type=str(ty), **bad.args_)
            return _BAD

    def sequence(self, raw, ty, path, field):
        if not isinstance(raw, (list, tuple)):
            self.report("R416", path, field=field, type=str(ty), value=show(raw))
            return _BAD
        items = []
        for index, item in enumerate(raw):
            where = f"{path}[{index}]"
            if isinstance(ty, HistoryTy):
                items.append(self.history_entry(item, ty.record, where))
            else:
                items.append(self.value(item, ty.inner, where, f"{field}[{index}]"))
        if any(item is _BAD for item in items):
            return _BAD
        # Duplicate years stay: a policy may be asking exactly whether someone enrolled twice.
        return History.of(items) if isinstance(ty, HistoryTy) else tuple(items)

    def history_entry(self, raw, rec: RecordTy, path):
        field = path.rsplit(".", 1)[-1]
        if not isinstance(raw, dict):
            self.report("R415", path, field=field, type=rec.name, value=show(raw))
            return _BAD
        year = _BAD
        if "year" in rec.fields:
            pass                                   # the record declares year itself; converted below
        elif "year" not in raw:
            self.report("R417", join(path, "year"), at=path, field=field,
                        hints=[Hint.of("hint.record.year_example")])
        else:
            year = self.value(raw["year"], INT, join(path, "year"), "year")
        entry = self.record(raw, rec, path, field, required=lambda name: True, extra={"year"})
        if entry is _BAD:
            return _BAD
        if "year" in rec.fields:
            year = entry.get("year", _BAD)
        if year is _BAD:
            return _BAD
        entry["year"] = year
        return entry

    def record(self, raw, rec: RecordTy, path, field, *, required, extra=(), fields=None):
        """Convert a mapping to a record dict.  Absent fields with a default stay absent (the
        evaluator applies the default); absent optional fields without one become None."""
        if not isinstance(raw, dict):
            self.report("R415", path, field=field, type=rec.name, value=show(raw))
            return _BAD
        declared = fields if fields is not None else rec.fields
        out, failed = {}, False
        for key, item in raw.items():
            if not isinstance(key, str):
                self.report("R409", join(path, key), at=join(path, key) + KEY, value=show(key))
                failed = True
                continue
            sub = join(path, key)
            info = declared.get(key)
            if info is not None:
                converted = self.value(item, info.ty, sub, key, info.has_default)
                if converted is _BAD:
                    failed = True
                else:
                    out[key] = converted
            elif key not in extra:
                self.report("R412", sub, at=sub + KEY, warning=True, hints=_close(key, declared),
                            field=key, record=f"record {rec.name}" if path else f"input {rec.name}")
        for name, info in declared.items():
            if name in raw or info.has_default:
                continue
            if isinstance(info.ty, OptionalTy):
                out[name] = None
            elif name == "id" and not path:
                self.report("R411", "id", hints=[Hint.of("hint.record.add_id")])
                failed = True
            elif required(name):
                what = f"{name} ({info.label})" if info.label else name
                self.report("R410", join(path, name), at=path or _NOWHERE, what=what,
                            hints=[Hint.of("hint.record.add_field", example=_example(name, info.ty))])
                failed = True
        return _BAD if failed else out


def _example(name: str, ty: Ty) -> str:
    """A line the person can copy into the record for a missing field."""
    ty = ty.inner if isinstance(ty, OptionalTy) else ty
    if isinstance(ty, EnumTy):
        return f"{name}: {ty.members[0]}" if ty.members else f"{name}: ..."
    if isinstance(ty, (ListTy, HistoryTy)):
        return f"{name}: []"
    if isinstance(ty, RecordTy):
        return f"{name}: {{...}}"
    samples = {"date": "2025-01-01", "money": "0.00", "int": "0", "decimal": "0", "bool": "false",
               "percent": "0%", "duration": "0 months", "text": "..."}
    return f"{name}: {samples.get(getattr(ty, 'name', ''), '...')}"


def validate_record(data, input_type: RecordTy, read_fields: frozenset[str], file: str,
                    positions: dict | None = None) -> tuple[dict, list[Diagnostic]]:
    """Check one raw record (a mapping from YAML/JSON) against the policy's input shape.

    Returns (record, warnings).  The record maps field names to runtime values (values.py);
    a field left out that has a default is absent from it.  Raises DiagnosticError with every
    error (and the warnings) when anything is wrong."""
    check = _Validator(file, positions)
    if not isinstance(data, dict):
        hints = [Hint.of("hint.record.list_file")] if isinstance(data, list) else \
            [Hint.of("hint.record.record_shape")]
        check.report("R406", "", hints=hints, value=show(data))
        raise DiagnosticError(check.diags)
    fields = dict(input_type.fields)
    if "id" not in fields:         # every record needs an id even when no rule reads it
        fields["id"] = FieldInfo("id", TEXT, None, None)
    extra = set()
    if "kind" not in fields:
        extra.add("kind")
        if "kind" in data and data["kind"] != input_type.name:
            check.report("R413", "kind", kind=_plain(data["kind"]), expected=input_type.name,
                         hints=[Hint.of("hint.record.wrong_kind", expected=input_type.name)])
    needed = frozenset(read_fields) | {"id"}
    record = check.record(data, input_type, "", input_type.name, fields=fields, extra=extra,
                          required=needed.__contains__)
    if any(d.is_error for d in check.diags):
        raise DiagnosticError(sorted(check.diags, key=Diagnostic.sort_key))
    return record, check.diags


def convert_value(raw, ty: Ty, data_path: str, field: str | None = None, *,
                  file: str | None = None, span: Span | None = None):
    """Convert one raw value outside a record (region values); raises DiagnosticError."""
    check = _Validator(file, {data_path: span} if span is not None else None)
    value = check.value(raw, ty, data_path, field or data_path)
    if value is _BAD:
        raise DiagnosticError(check.diags)
    return value


# ------------------------------------------------------------------ reading files
def _fatal(code, file, span=None, hints=(), **args):
    raise DiagnosticError([Diagnostic.error(code, span, hints=hints, file=file, **args)])


def _point(file: str, line: int, column: int, offset: int = 0) -> Span:
    """A one-character span at a 1-based line and column."""
    return Span(file, line, column, line, column + 1, offset, offset + 1)


def read_data_file(path: Path, what: str = "record"):
    """Read a YAML or JSON file: (data, positions, diagnostics found while reading).

    `what` ("record" or "region") picks the hint for an empty file.  Raises DiagnosticError
    when there is nothing to validate: unreadable, not YAML/JSON, syntax error, empty."""
    file = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        _fatal("R402", file, path=file)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        _fatal("R401", file, path=file, reason=f"not UTF-8 text (byte {err.start})")
    except OSError as err:
        _fatal("R401", file, path=file, reason=err.strerror or type(err).__name__)
    if not text.strip():
        _fatal("R405", file, path=file, hints=[Hint.of(f"hint.{what}.{what}_shape")])
    if suffix == ".json":
        return _read_json(text, file), {}, []
    return _read_yaml(text, file, what)


def _read_json(text: str, file: str):
    try:
        # Decimal keeps amounts exactly as written; a float would already have rounded them.
        # A leading BOM (spreadsheet exports) is not JSON but carries no meaning either.
        return json.loads(text.removeprefix("\ufeff"), parse_float=Decimal)
    except json.JSONDecodeError as err:
        before, after = text[:err.pos].rstrip()[-1:], text[err.pos:err.pos + 2]
        looks_lax = before == "," or after[:1] == "#" or after in ("//", "/*")
        hints = [Hint.of("hint.record.json_trailing_comma")] if looks_lax else []
        _fatal("R404", file, _point(file, err.lineno, err.colno, err.pos), hints, problem=err.msg)


def _read_yaml(text: str, file: str, what: str):
    loader = _ExactLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            _fatal("R405", file, path=file, hints=[Hint.of(f"hint.{what}.{what}_shape")])
        positions: dict[str, Span] = {}
        problems: list[Diagnostic] = []
        _Walk(loader, file, positions, problems).node(node, "")
        # Still SafeLoader's constructor: an unknown tag such as !!python/object is an error.
        return loader.construct_document(node), positions, problems
    except yaml.MarkedYAMLError as err:
        _fatal("R403", file, _mark_span(file, err.problem_mark), _yaml_hints(err),
               problem=err.problem or str(err))
    except yaml.YAMLError as err:
        _fatal("R403", file, problem=str(err))
    finally:
        loader.dispose()


def _mark_span(file: str, mark) -> Span | None:
    return None if mark is None else _point(file, mark.line + 1, mark.column + 1, mark.index)


def _yaml_hints(err: yaml.MarkedYAMLError) -> list[Hint]:
    problem = err.problem or ""
    hints = []
    if "\\t" in problem or "\t" in problem:
        hints.append(Hint.of("hint.record.yaml_tabs"))
    elif "mapping values are not allowed" in problem:
        hints.append(Hint.of("hint.record.yaml_colon"))
    elif "expected <block end>" in problem:
        hints.append(Hint.of("hint.record.yaml_indent"))
    elif "constructor for the tag" in problem:
        hints.append(Hint.of("hint.record.yaml_tag"))
    elif "another document" in problem:
        hints.append(Hint.of("hint.record.yaml_documents"))
    if err.context and err.context_mark is not None:
        hints.append(Hint.of("hint.record.yaml_context", context=err.context,
                             line=err.context_mark.line + 1, column=err.context_mark.column + 1))
    return hints


class _Walk:
    """Records the span of every node by data path, reports duplicate keys, and undoes the
    YAML 1.1 readings described in the module docstring before the tree is constructed."""

    def __init__(self, loader, file, positions, problems):
        self.loader, self.file = loader, file
        self.positions, self.problems = positions, problems
        self.visited = 0
        self.open: set[int] = set()

    def span(self, node) -> Span:
        start, end = node.start_mark, node.end_mark
        return Span(self.file, start.line + 1, start.column + 1, end.line + 1, end.column + 1,
                    start.index, end.index)

    def node(self, node, path: str) -> None:
        self.visited += 1
        if self.visited > NODE_LIMIT or id(node) in self.open:
            _fatal("R408", self.file, self.span(node), limit=NODE_LIMIT)
        self.positions.setdefault(path, self.span(node))
        if isinstance(node, yaml.ScalarNode):
            self.scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            self.open.add(id(node))
            for index, item in enumerate(node.value):
                self.node(item, f"{path}[{index}]")
            self.open.discard(id(node))
        elif isinstance(node, yaml.MappingNode):
            self.open.add(id(node))
            seen: dict[str, Span] = {}
            for key, value in node.value:
                if key.tag == _MERGE_TAG:
                    self.node(value, path)
                    continue
                if isinstance(key, yaml.ScalarNode):
                    self.scalar(key)
                name = key.value if isinstance(key, yaml.ScalarNode) else "?"
                sub = join(path, name)
                if name in seen:
                    self.problems.append(Diagnostic.error(
                        "R407", self.span(key), data_path=sub, file=self.file, key=show(name),
                        hints=[Hint.of("hint.record.remove_duplicate", line=seen[name].line)]))
                else:
                    seen[name] = self.span(key)
                    self.positions.setdefault(sub + KEY, self.span(key))
                self.node(value, sub)
            self.open.discard(id(node))

    def scalar(self, node) -> None:
        if node.tag == _BOOL_TAG and node.value.lower() not in ("true", "false"):
            node.tag = _STR_TAG
        elif node.tag == _TIMESTAMP_TAG:
            try:
                self.loader.construct_yaml_timestamp(node)
            except ValueError:
                node.tag = _STR_TAG


class _ExactLoader(yaml.SafeLoader):
    """SafeLoader whose numbers with a fraction become Decimal from the text as written, so
    `1250.10` is never a float on its way to money (nor `12345678901234567.89` rounded)."""


def _exact_float(loader, node):
    text = loader.construct_scalar(node).replace("_", "").lower()
    if text.lstrip("+-") in (".inf", ".nan"):
        return float(text.replace(".", ""))   # kept as a float so R424 reports it
    return Decimal(text)


_ExactLoader.add_constructor("tag:yaml.org,2002:float", _exact_float)


def load_record_file(policy, path: Path) -> tuple[dict, list[Diagnostic]]:
    """Read one record (.yaml, .yml or .json) and validate it against the policy's input
    declaration of its kind (`kind:`, default the policy's first `input`).  Returns (record,
    warnings); raises DiagnosticError."""
    path = Path(path)
    data, positions, problems = read_data_file(path, "record")
    kind = _record_kind(policy, data)
    input_type = policy.input_types.get(kind, policy.input_type)
    read_fields = policy.read_fields_by_kind.get(kind, frozenset())
    try:
        record, warnings = validate_record(data, input_type, read_fields, str(path), positions)
    except DiagnosticError as err:
        raise DiagnosticError(sorted(problems + err.diagnostics, key=Diagnostic.sort_key)) from None
    if problems:
        raise DiagnosticError(sorted(problems + warnings, key=Diagnostic.sort_key))
    if kind != policy.default_kind:
        record["kind"] = kind  # so evaluation picks the outputs about this kind of record
    return record, warnings


def _record_kind(policy, data) -> str:
    """The record kind named by `kind:` when the policy reads that kind, else the default
    (validate_record then reports a `kind` the policy does not read)."""
    kind = data.get("kind") if isinstance(data, dict) else None
    if isinstance(kind, str) and kind in getattr(policy, "input_types", {}):
        return kind
    return policy.default_kind
