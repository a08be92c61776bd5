"""Person and fund-year records checked against a policy's `input` shape.

Every problem is collected before anything is raised, so a person fixing a record sees the
whole list at once; each diagnostic carries the record path (`enrollment[2].paid_on`) and
the line and column of the value.  Reading the YAML or JSON file is datafile.py's job and
converting each value by its type is convert.py's; records built in Python
(api.record_from) are checked the same way as files.
"""
from __future__ import annotations

from decimal import localcontext
from pathlib import Path

from .arithmetic import LOADING
from .convert import Validator, plain
from .datafile import UNREADABLE, Places, quote, read_data_file
from .diagnostics import Diagnostic, DiagnosticError, Hint
from .types import TEXT, FieldInfo, RecordTy


def validate_record(data, input_type: RecordTy, read_fields: frozenset[str], file: str,
                    positions: dict | None = None) -> tuple[dict, list[Diagnostic]]:
    """Check one raw record (a mapping from YAML/JSON) against the policy's input shape.

    Returns (record, warnings).  The record maps field names to runtime values (values.py);
    a field left out that has a default is absent from it.  Raises DiagnosticError with every
    error (and the warnings) when anything is wrong."""
    check = Validator(file, positions)
    if data is UNREADABLE:
        raise DiagnosticError([])
    if not isinstance(data, dict):
        hints = [Hint.of("hint.record.list_file")] if isinstance(data, list) else \
            [Hint.of("hint.record.record_shape")]
        check.report("R406", "", hints=hints, value=check.show(data, ""))
        raise DiagnosticError(check.diags)
    written_id = data.get("id")
    if isinstance(written_id, str) and not written_id.strip():
        check.report("R419", "id", hints=[Hint.of("hint.record.fill_id")], value=quote(written_id))
    fields = dict(input_type.fields)
    if "id" not in fields:         # every record needs an id even when no rule reads it
        fields["id"] = FieldInfo("id", TEXT, None, None)
    extra = set()
    if "kind" not in fields:
        extra.add("kind")
        if "kind" in data and data["kind"] != input_type.name:
            check.report("R413", "kind", kind=plain(data["kind"]), expected=input_type.name,
                         hints=[Hint.of("hint.record.wrong_kind", expected=input_type.name)])
    if "expect" not in fields:
        extra.add("expect")     # a record file's expected outputs (expectations.py), no field
    needed = frozenset(read_fields) | {"id"}
    with localcontext(LOADING):      # whatever decimal context the caller has set
        record = check.record(data, input_type, "", input_type.name, fields=fields, extra=extra,
                              required=needed.__contains__)
    if any(d.is_error for d in check.diags):
        raise DiagnosticError(sorted(check.diags, key=Diagnostic.sort_key))
    return record, check.diags


# ------------------------------------------------------------------ record files
def load_record_file(policy, path: Path) -> tuple[dict, list[Diagnostic]]:
    """Read one record (.yaml, .yml or .json) and validate it against the policy's input
    declaration of its kind (`kind:`, default the policy's first `input`).  Returns (record,
    warnings); raises DiagnosticError."""
    path = Path(path)
    found = read_data_file(path, "record")
    record, warnings = record_from_data(policy, found.data, str(path), found.places,
                                        found.problems)
    loaded = LoadedRecord(record)
    loaded.file, loaded.places = str(path), found.places
    return loaded, warnings


class LoadedRecord(dict):
    """A record read from a file, with where its values are written (`places`), so that a
    later check that needs the evaluation date (record_dates.py) can still point at them."""
    file: str
    places: Places


def record_from_data(policy, data, file: str, places=None,
                     problems: list[Diagnostic] | tuple = ()) -> tuple[dict, list[Diagnostic]]:
    """Validate one raw record (what a YAML/JSON file gives, or a mapping built in Python)
    against the policy's input declaration of its kind (`kind:`, default the policy's first
    `input`).  `file` names the record in diagnostics; `places` (datafile.Places, a plain
    dict of spans, or None) locates its values when it was read from a file; `problems` are
    the reader's own diagnostics, reported with the validation's.  Returns (record,
    warnings); raises DiagnosticError."""
    problems = list(problems)
    places = places if isinstance(places, Places) else Places(file, places)
    kind = _record_kind(policy, data)
    input_type = policy.input_types.get(kind, policy.input_type)
    read_fields = policy.read_fields_by_kind.get(kind, frozenset())
    try:
        record, warnings = validate_record(data, input_type, read_fields, file, places)
    except DiagnosticError as err:
        raise DiagnosticError(sorted(problems + err.diagnostics, key=Diagnostic.sort_key)) from None
    if problems:
        raise DiagnosticError(sorted(problems + warnings, key=Diagnostic.sort_key))
    if getattr(policy, "outputs", None) and not policy.outputs_for(kind):
        # A kind the policy reads but answers nothing about (records-contract declares every
        # kind): say so at the record's `kind:`, before any evaluation.
        kinds = sorted({policy.rule_kind(name) for name in policy.outputs})
        raise DiagnosticError([Diagnostic.error(
            "E583", places.get("kind"), file=file, policy=policy.policy_id,
            kind=kind, kinds=", ".join(kinds))] + warnings)
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
