"""A grammar-aware fuzzer for yibao's inputs: policies, records and region files.

One implementation serves two callers: `benchmarks/fuzz.py` (the campaign script, with a
command line) and `tests/test_fuzz_slice.py` (a seeded slice run in CI).

    corpus.py         the shipped seeds: policies with their chains, example records with
                      the dates they are evaluated at, region files
    policy_mutators   token- and declaration-level edits of policy text
    data_mutators     structural and scalar edits of records and region files (YAML, JSON)
    runner.py         one input, run the way the CLI runs it, sorted into an outcome
    engine.py         a campaign: worker processes, time limits, counts, saved examples
    report.py         the table of counts and the list of distinct failures
    minimize.py       shrinking a saved failing input while its signature stays the same

Every input is a pure function of (seed, index), so a campaign is reproducible and any one
input can be replayed alone.
"""
