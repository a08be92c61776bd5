"""A grammar-aware fuzzer for yibao's inputs: policies, records and region files.

One implementation serves two callers: `benchmarks/fuzz.py` (the campaign script, with a
command line) and `tests/test_fuzz_slice.py` (a seeded slice run in CI).

    corpus.py          the shipped seeds: policies with their chains, example records with
                       the dates they are evaluated at, region files
    vocabulary.py      keywords and operators (read from the grammar), boundary literals
    policy_mutators.py token-, literal- and declaration-level edits of policy text
    data_text.py       data trees and their exact YAML / JSON spelling
    data_mutators.py   structural and scalar edits of records and region files
    case.py            one input: its files and how the CLI is asked about them
    generate.py        input number N of seed S (a pure function of the two)
    runner.py          one input, run the way the CLI runs it, sorted into an outcome
    signatures.py      exception type + innermost yibao frame
    engine.py          a campaign: worker processes, time and memory limits, hangs, deaths
    report.py          the tables a campaign prints
    commands.py        the `yibao` command lines for an input (CliRunner, reproducers)
    saving.py          one reproducing example per finding, written to a folder
    minimize.py        shrinking a failing input while its signature stays the same

Every input is a pure function of (seed, index), so a campaign is reproducible and any one
input can be replayed alone (`benchmarks/fuzz.py --seed S --replay N`).
"""
