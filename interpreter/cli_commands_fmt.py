"""The body of `yibao fmt`: rewrite policy files in the canonical layout (interpreter/fmt/).

Called by cli.py inside its error handling, with the cli module as `cli` (its printing,
words and Failure).  Every file is formatted on its own: one that cannot be read or
parsed is reported with its located diagnostics and left as it is, and the others are
still formatted.

Exit codes: 0 when nothing failed (and, under --check, nothing would change); 1 when
--check finds a file that would change; 2 when a file could not be read, parsed or
written.  Standard output carries content (the formatted text of `-`, the --diff); the
list of files and the summary go there only when it carries none, else to stderr.
"""
from __future__ import annotations

import difflib
import os
import sys
from pathlib import Path

STDIN = "-"


def run(cli, lang: str, paths: tuple[str, ...], check: bool, diff: bool) -> int:
    from .diagnostics import DiagnosticError
    from .fmt import format_source
    from .parser import read_source
    from .source import SourceFile

    if not paths:
        raise cli.Failure([cli._cli_error("C645")])
    if STDIN in paths and len(paths) > 1:
        raise cli.Failure([cli._cli_error("C646")])
    files = [STDIN] if paths == (STDIN,) else _policy_files(cli, lang, paths)
    content_out = diff or files == [STDIN]
    report = cli._write_stderr if content_out else cli._print
    changed = unchanged = failed = 0
    for path in files:
        source = None
        try:
            if path == STDIN:
                source = SourceFile.from_text(cli._word(lang, "fmt_stdin"), sys.stdin.read())
            else:
                source = read_source(path)
            formatted = format_source(source.text, source.path)
        except DiagnosticError as error:
            # The source read, if it was, so that the diagnostic quotes its line.
            cli._emit(error.diagnostics, lang, {source.path: source} if source else {})
            failed += 1
            continue
        if formatted == source.text:
            unchanged += 1
            if path == STDIN and not check and not diff:
                _write_text(cli, formatted)
            continue
        changed += 1
        if diff:
            cli._print(_unified(source.path, source.text, formatted))
        elif check:
            report(cli._word(lang, "fmt_would_reformat", path=source.path))
        elif path == STDIN:
            _write_text(cli, formatted)
        else:
            if not _write(cli, lang, path, formatted):
                changed -= 1
                failed += 1
                continue
            report(cli._word(lang, "fmt_reformatted", path=source.path))
    if files != [STDIN]:
        key = "fmt_summary_check" if (check or diff) else "fmt_summary"
        summary = cli._word(lang, key, changed=changed, unchanged=unchanged)
        if failed:
            summary += cli._word(lang, "fmt_summary_failed", failed=failed)
        report(summary)
    if failed:
        return cli.EXIT_USAGE
    return cli.EXIT_FAILURES if check and changed else cli.EXIT_OK


def _policy_files(cli, lang: str, paths) -> list[str]:
    """The files named and the *.policy files under the folders named, each once."""
    missing = [cli._cli_error("C601", what=cli._word(lang, "path"), path=p)
               for p in paths if not os.path.exists(p)]
    if missing:
        raise cli.Failure(missing)
    found: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            found.extend(str(f) for f in sorted(Path(p).rglob("*.policy")) if f.is_file())
        else:
            found.append(p)
    if not found:
        raise cli.Failure([cli._cli_error("C604", paths=", ".join(paths))])
    return list(dict.fromkeys(found))


def _write(cli, lang: str, path: str, text: str) -> bool:
    """Replace the file's text; a file that cannot be written is reported (C636)."""
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as error:
        cli._emit([cli._cli_error("C636", path=path, reason=error.strerror or str(error))],
                  lang)
        return False
    return True


def _write_text(cli, text: str) -> None:
    """The formatted text on standard output, as it is (its last newline included)."""
    cli._print(text[:-1] if text.endswith("\n") else text)


def _unified(path: str, old: str, new: str) -> str:
    # git's a/ and b/ prefixes for a relative path, so that `git apply` takes the diff.
    old_name, new_name = (path, path) if os.path.isabs(path) else (f"a/{path}", f"b/{path}")
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 fromfile=old_name, tofile=new_name)
    return "".join(lines).rstrip("\n")
