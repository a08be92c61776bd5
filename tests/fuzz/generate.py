"""Input number `index` of the campaign with seed `seed`: a pure function of the two.

Each input has its own random.Random seeded with the text "seed/index" (string seeds are
hashed with SHA-512, independent of PYTHONHASHSEED), so inputs do not depend on each other,
on the order workers take them in, or on how many ran before.
"""
from __future__ import annotations

import datetime as dt
import random

from .case import TARGETS, Case, RecordRef
from .corpus import REGION_USERS, Corpus
from .data_mutators import Seed, mutate_data
from .policy_mutators import mutate_policy

# The mix: a record loads and evaluates in some 20 ms, a region file with two records in
# 30 ms, a policy mutant needs its chain parsed and checked (about 100 ms with its records),
# so records get the larger share; 10^5 inputs then take about half an hour on 2 cores.
TARGET_WEIGHTS = {"policies": 2, "records": 6, "regions": 2}
# Smaller policies check faster; the template chain (jiangxi, sichuan) is the slowest.
POLICY_WEIGHTS = {"jinggu-2018": 4, "wuxi-2019-73": 4, "shandong-2024-assistance": 2,
                  "national-2024-38": 1, "sichuan-2025": 1, "jiangxi-2024-34": 1}
PARENT_SHARE = 0.15          # of policy mutants: mutate a file the policy extends instead
# Example records evaluated against a policy mutant or a region file, each on one of the
# dates its comments name (a mutated record itself is evaluated on all of them).
EXAMPLES_PER_POLICY = 2
EXAMPLES_PER_REGION_FILE = 2


def _weighted(rng, weights: dict, among):
    names = [n for n in weights if n in among]
    return rng.choices(names, weights=[weights[n] for n in names])[0]


def _encode(mutant) -> bytes:
    return mutant if isinstance(mutant, bytes) else mutant.encode("utf-8", "surrogatepass")


def _examples(rng, corpus: Corpus, policy_id: str, count: int) -> tuple:
    examples = corpus.examples[policy_id]
    chosen = rng.sample(examples, min(count, len(examples)))
    return tuple(RecordRef(str(e.path), (rng.choice(e.dates),)) for e in chosen)


def policy_case(rng, corpus: Corpus) -> Case:
    leaf = _weighted(rng, POLICY_WEIGHTS, corpus.leaves)
    chain = corpus.chain(leaf)
    target = rng.choice(chain[:-1]) if len(chain) > 1 and rng.random() < PARENT_SHARE else leaf
    family, mutant, note, must_refuse = mutate_policy(rng, corpus.policies[target])
    files = {f"{pid}.policy": corpus.policies[pid].encode("utf-8") for pid in chain}
    files[f"{target}.policy"] = _encode(mutant)
    regions = corpus.regions_for(leaf)
    return Case("policies", family, leaf, files, policy_file=f"{leaf}.policy",
                records=_examples(rng, corpus, leaf, EXAMPLES_PER_POLICY),
                regions=("shipped", regions) if regions else None,
                note=f"{target}.policy: {note}", must_refuse=must_refuse)


# `--on` dates a person may type: the ends of the calendar, leap days, the turn of a year.
EDGE_DATES = tuple(dt.date.fromisoformat(d) for d in (
    "0001-01-01", "0001-12-31", "0002-01-01", "1900-02-28", "1970-01-01", "2000-02-29",
    "2024-02-29", "2024-12-31", "2025-01-01", "2099-12-31", "9998-12-31", "9999-01-01",
    "9999-12-31"))
ON_DATE_SHARE = 0.08         # of record inputs: a shipped record asked about an edge date


def on_date_case(rng, corpus: Corpus, leaf: str) -> Case:
    example = rng.choice(corpus.examples[leaf])
    dates = tuple(sorted(rng.sample(EDGE_DATES, 2)))
    regions = corpus.regions_for(leaf)
    return Case("records", "on-date", leaf, {example.name: example.text.encode("utf-8")},
                records=(RecordRef(example.name, dates, in_case=True),),
                regions=("shipped", regions) if regions else None,
                note=f"{example.name} --on {' and '.join(d.isoformat() for d in dates)}")


def record_case(rng, corpus: Corpus) -> Case:
    leaf = _weighted(rng, POLICY_WEIGHTS, [p for p in corpus.leaves if p != "national-2024-38"])
    if rng.random() < ON_DATE_SHARE:
        return on_date_case(rng, corpus, leaf)
    example = rng.choice(corpus.examples[leaf])
    mutant = mutate_data(rng, Seed(example.name, example.text, "record"))
    name = f"{example.path.stem}.{mutant.fmt}"
    regions = corpus.regions_for(leaf)
    return Case("records", mutant.family, leaf, {name: _encode(mutant.data)},
                records=(RecordRef(name, example.dates, in_case=True),),
                regions=("shipped", regions) if regions else None,
                note=f"{example.name}: {mutant.note}", must_refuse=mutant.must_refuse,
                suspect=mutant.suspect)


def region_case(rng, corpus: Corpus) -> Case:
    source = rng.choice(sorted(corpus.region_texts))
    leaf = rng.choice(REGION_USERS[source])
    mutant = mutate_data(rng, Seed("regions.yaml", corpus.region_texts[source], "region"))
    name = f"regions.{mutant.fmt}"
    return Case("regions", mutant.family, leaf, {name: _encode(mutant.data)},
                records=_examples(rng, corpus, leaf, EXAMPLES_PER_REGION_FILE),
                regions=("case", name), note=f"{source}: {mutant.note}",
                must_refuse=mutant.must_refuse)


MAKERS = {"policies": policy_case, "records": record_case, "regions": region_case}


def make_case(corpus: Corpus, seed: int, index: int, targets=TARGETS) -> Case:
    rng = random.Random(f"{seed}/{index}")
    target = _weighted(rng, TARGET_WEIGHTS, targets)
    return MAKERS[target](rng, corpus)
