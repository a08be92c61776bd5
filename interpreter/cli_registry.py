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
    @click.option("--fail-on-change", is_flag=True, help="Exit 1 when anything changed in meaning.")
    @click.option("--git", "use_git", is_flag=True, help="Compare every changed .policy file "
                  "with revision OLD (default HEAD): diff --git [REV] [PATH...].")
    @click.option("--budget", default=3000, show_default=True, metavar="N",
                  type=click.IntRange(1, 10**6), help="Candidate persons searched per record kind.")
    @cli._lang_option
    @click.pass_context
    def diff_cmd(ctx, sources, on, regions_path, fmt, records, fail_on_change, use_git, budget,
                 lang_override) -> None:
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
                       use_git, budget)

        cli._run(ctx, lang, body)
