"""The definitions of the newer commands — options, arguments and help — registered on
cli.py's group by `register(main, cli)`.  Their bodies live in the cli_commands_* modules
and load only when the command runs, so that `yibao eval` starts as fast as before.
`cli` is the running cli module (under `python -m yibao.cli` that is __main__), whose
helpers (_lang, _run, _lang_option) the commands use.
"""
from __future__ import annotations

import click


def register(main: click.Group, cli) -> None:
    @main.command("diff", short_help="What changed between two policies, in rules and in people.")
    @click.argument("sources", nargs=-1, metavar="OLD NEW")
    @click.option("--on", "on", metavar="DATE", help="The date the outcomes are compared at "
                  "(YYYY-MM-DD; default today).")
    @click.option("--regions", "regions_path", metavar="FILE", multiple=True,
                  help="Region parameter file for both policies; give it once.")
    @click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]),
                  default="text", show_default=True, help="markdown for a pull request.")
    @click.option("--records", metavar="PATH", help="A folder of records or a JSON Lines file: "
                  "how many of them change, and by how much.")
    @click.option("--population", metavar="FILE", help="A population file (.jsonl, .csv, "
                  ".parquet): how many people each change affects, evaluated in batches with "
                  "the columnar engine where the policies compile.")
    @click.option("--fail-on-change", is_flag=True, help="Exit 1 when anything changed in meaning.")
    @click.option("--git", "use_git", is_flag=True, help="Compare every changed .policy file "
                  "with revision OLD (default HEAD): diff --git [REV] [PATH...].")
    @click.option("--budget", default=3000, show_default=True, metavar="N",
                  type=click.IntRange(1, 10**6), help="Candidate persons searched per record kind.")
    @cli._lang_option
    @click.pass_context
    def diff_cmd(ctx, sources, on, regions_path, fmt, records, population, fail_on_change,
                 use_git, budget, lang_override) -> None:
        """Compare OLD and NEW: policy files, or REV:PATH read from git with its whole extends
        chain at that revision (HEAD~1:policies/jiangxi-2024-34.policy).

        \b
        Structural: parameters, rules, cases, table rows, measures, enums and record fields
        added, removed or changed in meaning, each with the policy of the chain that set it;
        changes of wording (label, citation, note) are listed apart.
        Behavioural: for every output both give, persons searched smallest first (bounds in
        docs/diff.md) and, where an outcome differs, a witness record (re-checked under both
        before it is printed), the change, and the explanation lines that differ. No
        difference found is reported with the bounds searched, never as "equal".
        """
        lang = cli._lang(ctx, lang_override)

        def body() -> int:
            from .cli_commands_diff import run

            return run(cli, lang, sources, on, regions_path, fmt, records, fail_on_change,
                       use_git, budget, population)

        cli._run(ctx, lang, body)

    @main.command("test", short_help="Run policy tests written as data.")
    @click.argument("paths", nargs=-1, metavar="[PATH...]")
    @click.option("--junit", "junit_path", metavar="FILE",
                  help="Also write the results as JUnit XML, for CI systems.")
    @click.option("--coverage", is_flag=True,
                  help="Per policy: the rules the cases reached and the branches (base "
                       "cases, exceptions, table rows) they took, then each branch not "
                       "taken with its place and citation.")
    @click.option("--coverage-min", type=click.FloatRange(0, 100), metavar="PCT",
                  help="Fail (exit 1) when a policy's branch coverage is below PCT.")
    @click.option("--suggest", is_flag=True,
                  help="For each branch no case took and each condition no case showed "
                       "deciding, a record that would (searched like diff's witnesses), "
                       "as a case to paste into a suite; its expected values are yours "
                       "to work out.")
    @click.option("--update", is_flag=True,
                  help="Rewrite each expected value that came out as another value with the "
                       "value got, in place (comments kept), for review in git diff; "
                       "expectations of another kind are left to you. Not for CI.")
    @cli._lang_option
    @click.pass_context
    def test_cmd(ctx, paths, junit_path, coverage, coverage_min, update, suggest,
                 lang_override) -> None:
        """Run the cases of test suites (*.test.yaml) and of record files with an expect:
        block, under each PATH (files or folders, searched recursively; default: the
        working directory).

        \b
        A suite names the policy (a file under a policies/ folder at or above it, without
        .policy), the date (on:) and the region file once, then its cases:
          policy: sichuan-2025
          on: 2027-06-01
          cases:
            - name: newborn, no waiting period
              record: ../examples/sichuan/newborn.yaml     (or the record itself)
              outputs: {waiting_period_months: 0}
              not_applicable: [student_premium_due]
              errors: {critical_illness_cap: E541}
        A failing case shows FILE:LINE, expected against got, and the first lines of the
        explanation of what came.  Exit 0 when every case passes, 1 when one fails, 2 when
        there is nothing to test.
        """
        lang = cli._lang(ctx, lang_override)

        def body() -> int:
            from .cli_commands_test import run

            return run(cli, lang, paths, junit_path, coverage, coverage_min, update, suggest)

        cli._run(ctx, lang, body)

    @main.command("lsp", short_help="The language server editors start (stdio).")
    @cli._lang_option
    @click.pass_context
    def lsp_cmd(ctx, lang_override) -> None:
        """Run the yibao language server over standard input and output, for an editor
        to start (editors/vscode/, docs/editors.md): diagnostics as you type, hover,
        go to definition across the extends chain, completion, outline, formatting.

        \b
        Messages are in the client's language (its locale, zh or en), else as for every
        command; --lang fixes the language whatever the client's. Needs pygls:
        pip install 'yibao[lsp]'.
        """
        lang = cli._lang(ctx, lang_override)
        forced = bool(lang_override or (ctx.find_root().params or {}).get("lang"))

        def body() -> int:
            from .cli_commands_lsp import run

            return run(cli, lang, forced)

        cli._run(ctx, lang, body)

    @main.command("fmt", short_help="Rewrite policy files in the canonical layout.")
    @click.argument("paths", nargs=-1, metavar="PATH...")
    @click.option("--check", is_flag=True, help="Write nothing; list each file that would "
                  "change and exit 1 if any would (for CI).")
    @click.option("--diff", "show_diff", is_flag=True, help="Write nothing; print what would "
                  "change as a unified diff.")
    @cli._lang_option
    @click.pass_context
    def fmt_cmd(ctx, paths, check, show_diff, lang_override) -> None:
        """Format each PATH (a .policy file, or a folder searched for *.policy) in the
        canonical layout of docs/formatting.md, in place, writing only the files that
        change. Comments are kept where they were written; a file that does not parse is
        reported with its syntax errors and left untouched.

        \b
        PATH - reads a policy from standard input and writes the formatted text to
        standard output (for editors).
        Exit 0 when all went well; 1 when --check finds a file that would change; 2 when
        a file could not be read, parsed or written.
        """
        lang = cli._lang(ctx, lang_override)

        def body() -> int:
            from .cli_commands_fmt import run

            return run(cli, lang, paths, check, show_diff)

        cli._run(ctx, lang, body)

    @main.command("run", short_help="Evaluate a policy over a population file.")
    @click.argument("policy_path", metavar="POLICY")
    @click.argument("input_path", metavar="INPUT")
    @click.option("--on", "on", required=True, metavar="DATE",
                  help="The date the questions are asked for (YYYY-MM-DD).")
    @click.option("-o", "--output", "output", required=True, metavar="OUTPUT",
                  help="The results file: .jsonl, .csv or .parquet.")
    @click.option("--regions", "regions_path", metavar="FILE", multiple=True,
                  help="Region parameter file (YAML); give it once.")
    @click.option("--outputs", metavar="A,B", help="Only these outputs (default: all of the "
                  "record kind's).")
    @click.option("--kind", metavar="KIND", help="The record kind of the rows (default: the "
                  "policy's first input, e.g. person; fund_year for Wuxi's fund years).")
    @click.option("--engine", type=click.Choice(["auto", "columnar", "interp", "spark"]),
                  default="auto", show_default=True,
                  help="columnar: numpy over batches, rows it cannot answer exactly go to the "
                       "interpreter; interp: the reference evaluator; auto: columnar where "
                       "the policy compiles, else interp with a warning; spark: the same on a "
                       "Spark cluster (OUTPUT is then a directory of part files).")
    @click.option("--spark-master", default="local[2]", show_default=True, metavar="URL",
                  help="The Spark master for --engine spark (spark://host:7077, yarn, ...).")
    @click.option("--batch-size", default=None, metavar="N", type=click.IntRange(1, 10**7),
                  help="Rows read, evaluated and written at once (default: 100,000 when a "
                       "Parquet file is read a column at a time, else 10,000; memory grows "
                       "with it).")
    @click.option("--set", "sets", multiple=True, metavar="FIELD=VALUE",
                  help="Give every row this value of a top-level field (a what-if over the "
                       "population, e.g. --set repaid_years=2).")
    @cli._lang_option
    @click.pass_context
    def run_cmd(ctx, policy_path, input_path, on, output, regions_path, outputs, kind, engine,
                spark_master, batch_size, sets, lang_override) -> None:
        """Evaluate POLICY for every record of INPUT (.jsonl, .csv or .parquet, in the
        record contract) and write the results to OUTPUT.

        \b
        OUTPUT has a row per record written: its id, then each output and an
        OUTPUT__error column: a value; null for "not applicable"; null and the error
        code when the policy cannot answer. A row that does not validate is not
        evaluated: it goes, with its row number and every problem, to
        OUTPUT's name + .rejects.jsonl beside it. The summary on stderr says rows
        read = written + rejected, the error codes, and each population measure
        against its target. Memory stays bounded: rows are read in batches.
        """
        lang = cli._lang(ctx, lang_override)

        def body() -> int:
            from .cli_commands_run import run

            return run(cli, lang, policy_path, input_path, on, regions_path, output, outputs,
                       kind, batch_size, engine, sets, spark_master)

        cli._run(ctx, lang, body)

    @main.command("generate", short_help="Write seeded random records a policy accepts.")
    @click.argument("policy_path", metavar="POLICY")
    @click.argument("count", metavar="N", type=click.IntRange(0, 10**8))
    @click.option("--seed", default=1, show_default=True, type=int, help="The same seed gives "
                  "the same records.")
    @click.option("-o", "--output", "output", required=True, metavar="FILE",
                  help="Where to write them: .jsonl or .parquet.")
    @click.option("--on", "on", metavar="DATE", help="The benefit year's date the histories "
                  "lead up to (default today).")
    @click.option("--regions", "regions_path", metavar="FILE", multiple=True,
                  help="Region file whose region names the records use; give it once.")
    @click.option("--kind", metavar="KIND", help="The record kind (default the policy's first).")
    @cli._lang_option
    @click.pass_context
    def generate_cmd(ctx, policy_path, count, seed, output, on, regions_path, kind,
                     lang_override) -> None:
        """Write N random records that POLICY accepts, the same for the same seed: for
        testing engines against each other and for benchmarks."""
        lang = cli._lang(ctx, lang_override)

        def body() -> int:
            from .cli_commands_run import generate

            return generate(cli, lang, policy_path, count, seed, output, on, regions_path, kind)

        cli._run(ctx, lang, body)

    @main.command("sweep", short_help="One record over every combination of varied fields.")
    @click.argument("policy_path", metavar="POLICY")
    @click.argument("record_path", metavar="RECORD")
    @click.option("--vary", "varies", multiple=True, metavar="FIELD=VALUES",
                  help="A field and its values: repaid_years=0..4, "
                       "enrollment[2027].paid_on=2027-01-15..2027-12-15, employment=a,b. "
                       "Give it once per field; every combination is evaluated.")
    @click.option("--on", "on", required=True, metavar="DATE",
                  help="The date the question is asked for (YYYY-MM-DD).")
    @click.option("--regions", "regions_path", metavar="FILE", multiple=True,
                  help="Region parameter file (YAML); give it once.")
    @click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]),
                  default="table", show_default=True)
    @click.option("--outputs", metavar="A,B", help="Only these outputs.")
    @click.option("--plot", metavar="FILE.png", help="Also draw the numeric outputs against "
                  "the first varied field (one line per value of the second); needs matplotlib.")
    @cli._lang_option
    @click.pass_context
    def sweep_cmd(ctx, policy_path, record_path, varies, on, regions_path, fmt, outputs, plot,
                  lang_override) -> None:
        """Evaluate POLICY for RECORD with each combination of the --vary values: a
        what-if table (repaid years x payment month, say). Each combination is validated
        as a record; an output not applicable shows —, an error its code."""
        lang = cli._lang(ctx, lang_override)

        def body() -> int:
            from .cli_commands_sweep import run

            return run(cli, lang, policy_path, record_path, on, regions_path, varies, fmt,
                       outputs, plot)

        cli._run(ctx, lang, body)
