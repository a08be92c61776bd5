"""The body of `yibao check`: check policy files and report what was found.

Called by cli.py's check command inside its error handling (`_run`), with the cli module
itself as `cli`: its stand-in API (`cli._api()`), Failure, _print, _emit and _word.  The
options, help text and exit-code handling stay in cli.py.
"""
from __future__ import annotations

import os


def check(cli, lang: str, paths, strict: bool, fmt: str) -> int:
    """Check every policy under `paths`; the exit code (1 for errors, or warnings under
    --strict).  A path that does not exist, or holds no policy, is a Failure (exit 2)."""
    missing = [cli._cli_error("C601", what=cli._word(lang, "path"), path=p)
               for p in paths if not os.path.exists(p)]
    if missing:
        raise cli.Failure(missing)
    diags, sources, files = cli._api().check_paths(list(paths))
    if files == 0:
        raise cli.Failure([cli._cli_error("C604", paths=", ".join(paths))])
    errors = sum(1 for d in diags if d.is_error)
    warnings = len(diags) - errors
    if fmt == "json":
        import json

        from .render_diagnostics import diagnostic_json

        ordered = sorted(diags, key=lambda d: d.sort_key())
        cli._print(json.dumps({"files": files, "errors": errors, "warnings": warnings,
                               "diagnostics": [diagnostic_json(d, lang) for d in ordered]},
                              ensure_ascii=False))
    elif fmt == "github":
        from .render_diagnostics import github_annotation

        for diag in sorted(diags, key=lambda d: d.sort_key()):
            cli._print(github_annotation(diag, lang))
        cli._print(cli._word(lang, "summary", files=files, errors=errors, warnings=warnings))
    else:
        cli._emit(diags, lang, sources)
        cli._print(cli._word(lang, "summary", files=files, errors=errors, warnings=warnings))
    return cli.EXIT_FAILURES if errors or (strict and warnings) else cli.EXIT_OK
