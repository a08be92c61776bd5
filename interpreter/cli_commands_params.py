"""The body of `yibao params`: a policy's parameters in force on a date, as a table or JSON.

The rows come from parameters_in_force.py (data); this module words them, in the reader's
language, through the cli module's `_word` (keys `cli.params_*` in messages_show.py), and
writes values as `yibao eval` does (formatting.py).  Called by cli.py's params command
inside its error handling, with the cli module itself as `cli`; loading and its warnings
are eval's (cli_commands_eval.py).
"""
from __future__ import annotations

from .parameters_in_force import (FROM_REGION_FILE, IN_FORCE, NOT_IN_FORCE,
                                  NOT_IN_REGION_FILE, REGION_FILE, UNSET, ParamRow,
                                  parameters_in_force)

# The keys of each JSON object, in this order, for every row.
JSON_KEYS = ("name", "label", "type", "value", "since", "cite", "document", "set_in",
             "region", "keys", "status", "first")


def list_parameters(cli, lang: str, policy_path: str, on: str, regions_path, fmt: str) -> int:
    """`yibao params`: the checks and loading of `yibao eval` (without a record), then the
    rows.  A parameter not in force on the date is a row saying so, not an error: 0."""
    from .cli_commands_eval import load_policy, load_regions

    as_of = cli.parse_date(on, "--on", lang)
    regions_file = cli.one_regions_file(regions_path)
    cli.require_files(lang, ("policy_file", policy_path), ("region_file", regions_file))
    api, policy, sources = load_policy(cli, lang, policy_path)
    regions = load_regions(cli, api, lang, policy, sources, regions_file)
    rows = parameters_in_force(policy, as_of, regions)
    if fmt == "json":
        import json

        cli._print(json.dumps([row_json(row) for row in rows], ensure_ascii=False, indent=2))
    elif not rows:
        cli._print(cli._word(lang, "params_none", policy=policy.policy_id))
    else:
        cli._print(render_rows(cli, rows, lang, as_of, policy.policy_id, regions_file))
    return cli.EXIT_OK


# ------------------------------------------------------------------ JSON
def row_json(row: ParamRow) -> dict:
    """A row as JSON: the value as eval's JSON gives it, dates as ISO text."""
    from .formatting import to_json

    data = {
        "name": row.name,
        "label": row.label,
        "type": str(row.ty) if row.ty is not None else None,
        "value": to_json(row.value, row.ty) if row.status == IN_FORCE else None,
        "since": _iso(row.since),
        "cite": row.cite,
        "document": row.document,
        "set_in": row.set_in,
        "region": row.region,
        "keys": list(row.keys),
        "status": row.status,
        "first": _iso(row.first),
    }
    return {key: data[key] for key in JSON_KEYS}


def _iso(day) -> str | None:
    return day.isoformat() if day is not None else None


# ------------------------------------------------------------------ text
def render_rows(cli, rows: list[ParamRow], lang: str, as_of, policy_id: str,
                regions_file: str | None) -> str:
    """An aligned table: parameter, label, value, from, set in, citation (last, unpadded,
    `document article` as explanations show it)."""
    from .formatting import to_text
    from .lower import citation

    header = (cli._word(lang, "params_col_name"), cli._word(lang, "col_label"),
              cli._word(lang, "col_value"), cli._word(lang, "params_col_since"),
              cli._word(lang, "params_col_set_in"), cli._word(lang, "params_col_cite"))
    table = []
    for row in rows:
        name = row.name
        if row.region is not None:
            name = f"{name}({', '.join((row.region, *row.keys))})"
        if row.status == IN_FORCE:
            value = to_text(row.value, row.ty)
        elif row.status == NOT_IN_FORCE:
            value = cli._word(lang, "params_not_in_force", date=as_of.isoformat(),
                              first=row.first.isoformat())
        elif row.status == UNSET:
            value = cli._word(lang, "params_unset", policy=policy_id)
        elif row.status == REGION_FILE:
            value = cli._word(lang, "params_from_region_file")
        elif row.status == NOT_IN_REGION_FILE:
            value = cli._word(lang, "params_not_in_region_file", file=regions_file or "")
        else:   # pragma: no cover - every status is worded above
            raise ValueError(f"a parameter row with status {row.status!r}")
        set_in = cli._word(lang, "region_file") if row.set_in == FROM_REGION_FILE \
            else row.set_in or ""
        table.append((name, row.label or "", value, _iso(row.since) or "", set_in,
                      citation(row.cite, row.document) or ""))
    return cli.render_table(table, lang, header)
