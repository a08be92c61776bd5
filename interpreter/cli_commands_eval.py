"""The bodies of `yibao eval` and `yibao explain`: load a policy, a record and a region
file, evaluate, and write the table, tree or JSON.

Called by cli.py's commands inside their error handling (`_run`), with the cli module
itself as `cli`: its stand-in API (`cli._api()`), Failure, _print, _emit, _word and its
argument checks.  The options, help texts and exit-code handling stay in cli.py.
`load_policy` and `load_regions` are shared with `yibao params` (cli_commands_params.py).
"""
from __future__ import annotations


# ------------------------------------------------------------------ loading
def load_policy(cli, lang: str, policy_path: str):
    """Load (parse and check) a policy; print its warnings to stderr.
    Returns (api, policy, sources)."""
    api = cli._api()
    policy = api.load_policy(policy_path)
    sources = getattr(policy, "sources", {}) or {}
    cli._emit(list(getattr(policy, "warnings", []) or []), lang, sources)
    return api, policy, sources


def load_regions(cli, api, lang: str, policy, sources, regions_path: str | None):
    """The region file bound to the policy (None without one); its warnings to stderr."""
    if not regions_path:
        return None
    regions = api.load_regions(regions_path, policy)
    cli._emit(list(getattr(regions, "warnings", None) or []), lang, sources)
    return regions


def load_inputs(cli, api, lang: str, policy, sources, record_path: str,
                regions_path: str | None):
    """Load the record and the region file, printing the warnings of each to stderr."""
    record, record_warnings = api.load_record(policy, record_path)
    cli._emit(list(record_warnings or []), lang, sources)
    return record, load_regions(cli, api, lang, policy, sources, regions_path)


def error_diagnostic(cli, output: str, error):
    diag = getattr(error, "diagnostic", None)
    if diag is not None:
        return diag
    return cli._cli_error("C607", output=output, reason=str(error) or type(error).__name__)


def _question(cli, lang: str, policy_path: str, record_path: str, on: str, regions_path):
    """The checks every question starts with, in eval's order: the date, one region file,
    the files exist.  Returns (as_of, the region file or None)."""
    as_of = cli.parse_date(on, "--on", lang)
    regions_file = cli.one_regions_file(regions_path)
    cli.require_files(lang, ("policy_file", policy_path), ("record_file", record_path),
                      ("region_file", regions_file))
    return as_of, regions_file


# ------------------------------------------------------------------ eval
def evaluate(cli, lang: str, policy_path: str, record_path: str, on: str, regions_path,
             fmt: str) -> int:
    """`yibao eval`: every output of the record's kind, as a table or JSON; 1 when some
    output could not be computed (its error to stderr)."""
    as_of, regions_file = _question(cli, lang, policy_path, record_path, on, regions_path)
    api, policy, sources = load_policy(cli, lang, policy_path)
    record, regions = load_inputs(cli, api, lang, policy, sources, record_path, regions_file)
    result = api.evaluate(policy, record, as_of, regions)
    cli._emit(list(getattr(result, "warnings", None) or []), lang, sources)
    from .formatting import to_json, to_text

    errors = result.errors or {}
    # Only the outputs about this record's kind (a person, or a fund year).
    outputs = policy.outputs_for(record.get("kind") or policy.default_kind)
    if fmt == "json":
        import json

        inapplicable = result.not_applicable
        document = {name: None if name in inapplicable else
                    to_json(result.values[name], policy.output_type(name))
                    for name in outputs
                    if name in inapplicable or (name in result.values and name not in errors)}
        cli._print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        rows = []
        for name in outputs:
            label = policy.output_label(name) or ""
            if name in result.not_applicable:
                value = cli._word(lang, "not_applicable_cell",
                                  reason=result.not_applicable[name].reason)
            elif name in result.values and name not in errors:
                value = to_text(result.values[name], policy.output_type(name))
            else:
                error = errors.get(name)
                code = getattr(error_diagnostic(cli, name, error), "code", "?") \
                    if error is not None else "?"
                value = cli._word(lang, "error_cell", code=code)
            rows.append((name, label, value))
        cli._print(cli.render_table(rows, lang))
    if errors:
        diags = [error_diagnostic(cli, name, errors[name])
                 for name in outputs if name in errors]
        cli._emit(diags, lang, sources)
        return cli.EXIT_FAILURES
    return cli.EXIT_OK


# ------------------------------------------------------------------ explain
def explain(cli, lang: str, policy_path: str, record_path: str, output: str, on: str,
            regions_path, fmt: str) -> int:
    """`yibao explain`: the tree of one output, as text or JSON; 1 when the output could
    not be computed, a Failure (C603) for an output the policy does not have."""
    as_of, regions_file = _question(cli, lang, policy_path, record_path, on, regions_path)
    api, policy, sources = load_policy(cli, lang, policy_path)
    outputs = list(policy.outputs)
    if output not in outputs and not hasattr(policy, "rules"):   # a stand-in policy
        from .diagnostics import close_names

        close = close_names(output, outputs, n=1, cutoff=0.5)
        hints = [cli._hint("C690", name=close[0])] if close else []
        raise cli.Failure([cli._cli_error("C603", hints=hints, name=output,
                                          policy=getattr(policy, "policy_id", policy_path),
                                          outputs=", ".join(outputs))])
    if output in outputs:
        name, args = output, None
    else:       # any rule, with its arguments: `paid_in_extension_period(2027)`
        from .rule_call import read_target

        name, args = read_target(policy, output)
    record, regions = load_inputs(cli, api, lang, policy, sources, record_path, regions_file)
    if args is None:
        result = api.evaluate(policy, record, as_of, regions, outputs=[name], explain=True)
    else:
        result = api.explain_call(policy, record, as_of, regions, name, args)
    cli._emit(list(getattr(result, "warnings", None) or []), lang, sources)
    output = name
    tree = (result.trees or {}).get(output)
    from .explain_render import render_tree, tree_to_json

    cut = output in (getattr(result, "cut", None) or ())
    if tree is not None:
        if fmt == "json":
            import json

            data = tree_to_json(tree)
            if cut:
                data["cut"] = True
            cli._print(json.dumps(data, ensure_ascii=False))
        else:
            cli._print(render_tree(tree, lang))
    if cut:
        from .limits import MAX_EXPLAIN_STEPS

        cli._emit([cli._cli_warning("C613", hints=[cli._hint("hint.C613")], output=output,
                                    limit=f"{MAX_EXPLAIN_STEPS:,}")], lang, sources)
    error = (result.errors or {}).get(output)
    if error is not None:
        cli._emit([error_diagnostic(cli, output, error)], lang, sources)
        return cli.EXIT_FAILURES
    if tree is None:
        raise RuntimeError(f"the evaluation recorded no explanation for {output}")
    return cli.EXIT_OK
