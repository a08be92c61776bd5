"""The `yibao` command line: check policies, evaluate a record, explain an output, list
a policy's parameters.

    yibao check PATH... [--strict] [--format text|json]
    yibao eval POLICY RECORD --on DATE [--regions FILE] [--format table|json]
    yibao explain POLICY RECORD OUTPUT --on DATE [--regions FILE] [--format text|json]
    yibao params POLICY --on DATE [--regions FILE] [--format text|json]

This module is the entry: the group, the options and help texts, and the handling of every
way a command can fail (`_run`).  The bodies of the commands are in
interpreter/cli_commands_*.py.

Exit codes: 0 success; 1 failures found (check found errors, or some outputs could not be
computed); 2 usage or input errors (a missing file, a bad date, a record or policy that
cannot be loaded, standard output closed, full or unable to encode the result); 3 an
internal error, which is a bug in yibao; 141 the reader of standard output went away (a
broken pipe, as in `yibao eval ... | head -1`): yibao stops quietly, with the code a shell
gives a program stopped by SIGPIPE.

Results go to stdout, written and flushed inside the command so that a write error is
reported; diagnostics and warnings go to stderr, in English or Chinese (`--lang zh`, or the
environment variable YIBAO_LANG; an unsupported value of it is a warning, then English).

Start-up time matters (one evaluation from the shell should take well under a second), so
the interpreter is imported inside the commands, never at the top of this module.
"""
from __future__ import annotations

import os
import re
import sys

import click

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_BROKEN_PIPE = 128 + 13     # 141: SIGPIPE's code; the reader closed standard output

LANGS = ("en", "zh")

class Failure(Exception):
    """Stop a command: diagnostics to show and the exit code to leave with."""

    def __init__(self, diagnostics, code: int = EXIT_USAGE, sources=None):
        super().__init__(code)
        self.diagnostics = list(diagnostics)
        self.code = code
        self.sources = sources or {}


# ------------------------------------------------------------------ the interpreter, lazily
def _api():
    """The library's front door (interpreter/api.py); a seam the tests can replace."""
    from .interpreter import api

    return api


def _diag_module():
    from .interpreter import diagnostics

    return diagnostics


def _cli_error(code: str, hints=(), **args):
    d = _diag_module()
    return d.Diagnostic.error(code, None, hints=tuple(hints), **args)


def _hint(code: str, **args):
    return _diag_module().Hint.of(code, **args)


def _word(lang: str, key: str, **args) -> str:
    """A display word from the catalog (interpreter/messages_show.py, keys `cli.*`)."""
    from .interpreter.messages import text_for

    return text_for(f"cli.{key}", lang, args)


def _sources_for(diags, known=None) -> dict:
    """The known sources, plus every file a diagnostic points into that can still be read."""
    from .interpreter.source import FileProblem, SourceFile

    sources = dict(known or {})
    for diag in diags:
        span = getattr(diag, "span", None)
        path = getattr(span, "path", None)
        if path and path not in sources and os.path.isfile(path):
            try:
                sources[path] = SourceFile.read(path)
            except FileProblem:
                pass
    return sources


def _emit(diags, lang: str, sources=None) -> None:
    if not diags:
        return
    from .interpreter.render_diagnostics import render_all

    _write_stderr(render_all(diags, lang, _sources_for(diags, sources)))


def _write_stderr(text: str) -> None:
    from .interpreter.terminal import write_message

    write_message(text)


# ------------------------------------------------------------------ standard output
class _BrokenPipe(Exception):
    """The reader of standard output went away: stop quietly with EXIT_BROKEN_PIPE."""


def _print(text: str) -> None:
    """Write one result to standard output and flush it now (interpreter/terminal.py);
    raises Failure (C608, C609, C610) or _BrokenPipe."""
    from .interpreter import terminal

    try:
        terminal.write_result(text)
    except terminal.OutputProblem as problem:
        raise Failure([problem.diagnostic]) from None
    except terminal.BrokenPipe:
        raise _BrokenPipe() from None


def _print_or_exit(ctx: click.Context, lang: str, text: str) -> None:
    """_print for the help and version options, which run outside _run."""
    try:
        _print(text)
    except Failure as failure:
        _emit(failure.diagnostics, lang)
        ctx.exit(failure.code)
    except _BrokenPipe:
        ctx.exit(EXIT_BROKEN_PIPE)


# ------------------------------------------------------------------ argument checks
_DATE_FORM = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value: str, option: str, lang: str):
    """`--on 2027-06-01` as a date; anything else is a usage error naming the option."""
    import datetime as dt

    text = (value or "").strip()
    if not _DATE_FORM.fullmatch(text):
        reason = _word(lang, "bad_form")
    else:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            reason = _word(lang, "bad_day")
    raise Failure([_cli_error("C602", option=option, value=value, reason=reason)])


def one_regions_file(paths: tuple[str, ...]) -> str | None:
    """The one --regions file, or None; a second one is refused (C614) rather than one of
    them silently winning."""
    if len(paths) > 1:
        raise Failure([_cli_error("C614", count=len(paths), paths=", ".join(paths))])
    return paths[0] if paths else None


def require_files(lang: str, *pairs) -> None:
    """Each (kind, path) must name an existing file; report every one that does not.
    `kind` is the catalog word for the file (`policy_file` is `cli.policy_file`)."""
    problems = []
    for kind, path in pairs:
        if path is None:
            continue
        if not os.path.exists(path):
            problems.append(_cli_error("C601", what=_word(lang, kind), path=path))
        elif os.path.isdir(path):
            problems.append(_cli_error("C606", what=_word(lang, kind), path=path))
    if problems:
        raise Failure(problems)


# ------------------------------------------------------------------ running a command
def _run(ctx: click.Context, lang: str, body, *, diagnostic_exit: int = EXIT_USAGE) -> None:
    """Run `body()`, turning every way it can fail into diagnostics and an exit code.

    DiagnosticError (bad input found by the library) exits with `diagnostic_exit`; a file
    that cannot be read exits 2; anything else is a bug: its traceback and exit 3."""
    try:
        code = body()
    except Failure as failure:
        _emit(failure.diagnostics, lang, failure.sources)
        ctx.exit(failure.code)
    except _BrokenPipe:
        ctx.exit(EXIT_BROKEN_PIPE)
    except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
        raise
    except Exception as error:  # noqa: BLE001 - the one place that sorts errors out
        from .interpreter.diagnostics import DiagnosticError
        from .interpreter.source import FileProblem

        if isinstance(error, DiagnosticError):
            _emit(error.diagnostics, lang, getattr(error, "sources", None))
            ctx.exit(diagnostic_exit)
        if isinstance(error, FileProblem):
            _emit([_file_problem(error, lang)], lang)
            ctx.exit(EXIT_USAGE)
        if isinstance(error, OSError) and error.filename:
            # C605 is for a file that cannot be read, and names it.
            reason = error.strerror or str(error)
            _emit([_cli_error("C605", path=error.filename, reason=reason)], lang)
            ctx.exit(EXIT_USAGE)
        if isinstance(error, OSError):
            _emit([_cli_error("C611", reason=error.strerror or str(error))], lang)
            ctx.exit(EXIT_USAGE)
        import traceback

        traceback.print_exc(file=sys.stderr)
        _write_stderr(_word(lang, "internal", error=f"{type(error).__name__}: {error}"))
        ctx.exit(EXIT_INTERNAL)
    ctx.exit(code or EXIT_OK)


def _file_problem(problem, lang: str):
    """C605 for a file the safe reader (interpreter/source.py) refused, with its path."""
    from .interpreter.messages import text_for

    args = dict(problem.args_)
    reason = text_for(f"C605.{problem.reason}", lang, args)
    hints = [_hint("hint.C605.gbk")] if args.get("gbk") else []
    return _cli_error("C605", hints=hints, path=problem.path, reason=reason)


# ------------------------------------------------------------------ language
_LANG_VARIABLE = "YIBAO_LANG"


def _lang(ctx: click.Context, override: str | None) -> str:
    """--lang after the command, else --lang before it, else YIBAO_LANG, else English.

    An unsupported YIBAO_LANG is a warning (once) and English, never a refusal to run."""
    if override:
        return override
    state = ctx.find_root().obj
    if state is None:
        state = ctx.find_root().obj = {}
    if state.get("lang"):
        return state["lang"]
    lang, unsupported = _lang_from_environment()
    if unsupported is not None and not state.get("warned_lang"):
        state["warned_lang"] = True
        _emit([_cli_warning("C612", variable=_LANG_VARIABLE, value=unsupported,
                            supported=", ".join(LANGS))], "en")
    return lang


def _lang_from_environment() -> tuple[str, str | None]:
    """(language, the unsupported value of YIBAO_LANG or None); case and spaces aside."""
    value = os.environ.get(_LANG_VARIABLE)
    if value is None or not value.strip():
        return "en", None
    wanted = value.strip().lower()
    return (wanted, None) if wanted in LANGS else ("en", value)


def _early_lang(args) -> str:
    """The language before click has parsed anything: a `--lang` in the arguments, else
    the environment, else English (for problems found before the command runs)."""
    args = list(args or ())
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args) and args[i + 1] in LANGS:
            return args[i + 1]
        if arg.startswith("--lang=") and arg[len("--lang="):] in LANGS:
            return arg[len("--lang="):]
    return _lang_from_environment()[0]


def _cli_warning(code: str, hints=(), **args):
    return _diag_module().Diagnostic.warning(code, None, hints=tuple(hints), **args)


def _lang_option(command):
    return click.option(
        "--lang", "lang_override", type=click.Choice(LANGS), default=None,
        help="Language of messages (overrides the one given before the command).",
    )(command)


def _show_version(ctx: click.Context, _param, value) -> None:
    if not value or ctx.resilient_parsing:
        return
    try:
        from importlib.metadata import version

        text = version("yibao")
    except Exception:  # noqa: BLE001 - not installed: running from a checkout
        text = "unknown (not installed)"
    _print_or_exit(ctx, _early_lang(sys.argv[1:]), f"yibao {text}")
    ctx.exit(EXIT_OK)


def _show_help(ctx: click.Context, _param, value) -> None:
    """--help, written like every result (flushed, its failures reported)."""
    if not value or ctx.resilient_parsing:
        return
    _print_or_exit(ctx, _early_lang(sys.argv[1:]), ctx.get_help())
    ctx.exit(EXIT_OK)


class _Command(click.Command):
    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.callback = _show_help
        return option


class _Group(click.Group):
    """The `yibao` group: refuses to run without standard output, and writes its help the
    way commands write results."""
    command_class = _Command

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.callback = _show_help
        return option

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True,
             **extra):
        if sys.stdout is None:
            # Started with standard output closed (`yibao ... >&-`): every result would be
            # lost while the exit code said success.
            from .interpreter.terminal import closed_stdout

            _emit([closed_stdout()], _early_lang(sys.argv[1:] if args is None else args))
            sys.exit(EXIT_USAGE)
        return super().main(args, prog_name, complete_var, standalone_mode, **extra)


# ------------------------------------------------------------------ the group
@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--lang", type=click.Choice(LANGS), default=None,
              help="Language of messages: en or zh (default: the environment variable "
                   "YIBAO_LANG, else en).")
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_show_version, help="Show the version and exit.")
@click.pass_context
def main(ctx: click.Context, lang: str) -> None:
    """yibao: rules as code for Chinese basic medical insurance (医保) policy.

    \b
    Exit codes:
      0    success
      1    failures found: check found errors, or some outputs could not be computed
      2    usage or input errors: a missing file, a bad date, a record that does not load,
           standard output closed or not writable
      3    internal error (a bug in yibao)
      141  the reader of the output went away (a broken pipe): stopped quietly
    """
    ctx.ensure_object(dict)
    ctx.obj["lang"] = lang


# ------------------------------------------------------------------ the commands
# Each command reads its options here and runs its body from interpreter/cli_commands_*.py
# (imported when the command runs), handing the body this module for the helpers above:
# the stand-in API the tests install (`_api`), Failure, _print, _emit, _word.  Passed, not
# imported there, so that under `python -m yibao.cli` the body uses the module that runs,
# __main__, whose Failure is the one _run catches.
def _this():
    return sys.modules[__name__]


def render_table(rows, lang: str, header=None) -> str:
    """Rows of text cells as aligned columns (text_table.py); the header is eval's
    (output, label, value) unless given."""
    from .interpreter.text_table import aligned

    if header is None:
        header = (_word(lang, "col_name"), _word(lang, "col_label"), _word(lang, "col_value"))
    return aligned(header, rows)


# ------------------------------------------------------------------ check
@main.command("check")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--strict", is_flag=True,
              help="Treat warnings (unused declarations, table gaps, ...) as failures.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True,
              help="text: messages with the source line; json: one line on stdout, "
                   '{"files", "errors", "warnings", "diagnostics": [...]}; github: one '
                   "workflow command a diagnostic (::error file=…,line=…::…), which GitHub "
                   "Actions shows on the pull request's lines.")
@_lang_option
@click.pass_context
def check_cmd(ctx: click.Context, paths: tuple[str, ...], strict: bool, fmt: str,
              lang_override: str | None) -> None:
    """Parse and check policy files.

    Each PATH is a policy file or a directory, searched recursively for *.policy files.
    Every error of every file is reported before the command exits: 0 when there are no
    errors (warnings allowed, unless --strict), 1 when there are errors, 2 when a path does
    not exist or holds no policy file.
    """
    lang = _lang(ctx, lang_override)

    def body() -> int:
        from .interpreter.cli_commands_check import check

        return check(_this(), lang, paths, strict, fmt)

    _run(ctx, lang, body, diagnostic_exit=EXIT_FAILURES)


# ------------------------------------------------------------------ eval and explain
_EVAL_HELP_ON = "The date the question is asked for (YYYY-MM-DD); the benefit year is its year."
_PARAMS_HELP_ON = "The date the parameters are read at (YYYY-MM-DD)."


def _date_and_regions(on_help: str):
    """--on and --regions: the date, and the region file for the regions' values."""
    def add(command):
        # multiple=True only to see a second --regions: click would keep the last one
        # silently.
        command = click.option("--regions", "regions_path", metavar="FILE", multiple=True,
                               help="Region parameter file (YAML) for values the policy "
                                    "leaves to regions; give it once.")(command)
        return click.option("--on", "on", required=True, metavar="DATE",
                            help=on_help)(command)
    return add


_question_options = _date_and_regions(_EVAL_HELP_ON)   # when the question is asked


@main.command("eval", short_help="Evaluate every output of a policy for one record.")
@click.argument("policy_path", metavar="POLICY")
@click.argument("record_path", metavar="RECORD")
@_question_options
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="table for people, json for programs.")
@_lang_option
@click.pass_context
def eval_cmd(ctx, policy_path, record_path, on, regions_path, fmt, lang_override) -> None:
    """Evaluate every output of POLICY for the person or fund-year in RECORD.

    \b
    JSON output is one object, output name -> value, in the policy's order:
      money    "303000.00" (a string, two decimals, 元)
      percent  "20%"          date  "2027-06-01"
      enum     the member name, e.g. "全额资助"
      int, bool, text as JSON numbers, booleans and strings; none as null
    An output the policy says is not applicable to this person is null (the table shows
    "— not applicable:" and the policy's reason; the exit code stays 0).
    An output that could not be computed is left out of the JSON (and shown as an error
    in the table); its error goes to stderr and the exit code is 1.
    """
    lang = _lang(ctx, lang_override)

    def body() -> int:
        from .interpreter.cli_commands_eval import evaluate

        return evaluate(_this(), lang, policy_path, record_path, on, regions_path, fmt)

    _run(ctx, lang, body)


@main.command("explain", short_help="Explain one output as a tree of the values it used.")
@click.argument("policy_path", metavar="POLICY")
@click.argument("record_path", metavar="RECORD")
@click.argument("output", metavar="OUTPUT|RULE(ARGS)")
@_question_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: an indented tree; json: the tree as JSON.")
@_lang_option
@click.pass_context
def explain_cmd(ctx, policy_path, record_path, output, on, regions_path, fmt,
                lang_override) -> None:
    """Explain how OUTPUT of POLICY was computed for RECORD.

    OUTPUT is an output, or any rule of the policy with its arguments written as in a
    policy file (quoted for the shell): 'streak_at(2026)', 'insured(2025)'.

    Prints the tree of values the output was made of, one line per value:

    \b
      name = value  — label  (where a parameter's value came from)  [document citation]

    \b
    Under a rule with exceptions, each case is marked:
      ✓  the case whose value was used
      ✗  a case whose condition was false, with the reason
      ·  a case not looked at: an exception took precedence
      ○  a case whose condition held, but an exception under it applied

    \b
    Values:
      — not applicable: REASON   the policy says this does not concern the person
      (no value)                 the evaluation failed here (the error is on stderr)
      (from DATE)                a parameter's value, in force from DATE
      (value on DAY: from DATE)  a parameter read at DAY rather than at --on
      (see above)                a rule already shown in full, with the same arguments

    A field or parameter read several times under one rule is shown once. A rule used in
    several places is shown in full once, then as "(see above)"; in JSON its first place
    has an "id" and later places are {"ref": id, "name": ..., ...}.
    """
    lang = _lang(ctx, lang_override)

    def body() -> int:
        from .interpreter.cli_commands_eval import explain

        return explain(_this(), lang, policy_path, record_path, output, on, regions_path,
                       fmt)

    _run(ctx, lang, body)


# ------------------------------------------------------------------ params
@main.command("params", short_help="List a policy's parameters in force on a date.")
@click.argument("policy_path", metavar="POLICY")
@_date_and_regions(_PARAMS_HELP_ON)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: a table; json: a list of objects.")
@_lang_option
@click.pass_context
def params_cmd(ctx, policy_path, on, regions_path, fmt, lang_override) -> None:
    """List every parameter of POLICY, its whole extends chain merged, as in force on DATE.

    \b
    One row per parameter: its name, label, value (written as eval writes values),
    the date the value holds from, the policy of the chain that set it (declared or
    last overrode it) and its citation, the document and article explain shows.
    A parameter whose first value holds from after DATE is shown as not in force;
    one a template leaves required is shown as unset.

    \b
    Region parameters (`by region`) come from the region file: without --regions
    they are listed without a value; with it, one row per region of the file that
    sets the parameter, name(region) or name(region, key), with its value on DATE.

    \b
    JSON output is a list of objects with the keys
      name, label, type, value, since, cite, document, set_in, region, keys,
      status, first
    value as eval's JSON gives it; status is in_force, not_in_force (first: the date
    its first value holds from), unset, region_file (no --regions given) or
    not_in_region_file; set_in is a policy id, or "region_file".
    """
    lang = _lang(ctx, lang_override)

    def body() -> int:
        from .interpreter.cli_commands_params import list_parameters

        return list_parameters(_this(), lang, policy_path, on, regions_path, fmt)

    _run(ctx, lang, body)


# The newer commands are defined in interpreter/cli_registry.py (options and help; their
# bodies load when they run), given this module so that they share its helpers.
def _register_more_commands() -> None:
    if not __package__:     # `python cli.py`: the block below runs yibao.cli, which registers
        return
    from .interpreter.cli_registry import register

    register(main, _this())


_register_more_commands()


if __name__ == "__main__" and __package__:  # python -m yibao.cli
    main()
elif __name__ == "__main__":   # `python cli.py ...` from a checkout, without installing
    # The commands import the interpreter relatively (`.interpreter`), as the installed
    # module yibao.cli does: make this checkout the `yibao` package (whatever is installed)
    # and run its cli module.
    import types
    from pathlib import Path

    package = types.ModuleType("yibao")
    package.__path__ = [str(Path(__file__).resolve().parent)]
    sys.modules["yibao"] = package
    from yibao.cli import main as checkout_main

    checkout_main()
