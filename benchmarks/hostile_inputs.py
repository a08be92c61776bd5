"""How long do large and hostile inputs take?  Prints a markdown table; rerun at will.

    python benchmarks/hostile_inputs.py            # about a minute
    python benchmarks/hostile_inputs.py --quick    # smaller sizes, a few seconds

Each row times yibao on one of the inputs the red-team pass found slow (a decision table of
thousands of rows, histories of 10^4 and 10^5 entries, deep nesting, an explanation with
shared sub-trees, a person with 5000 identities, a one-line policy full of errors) beside a
yardstick timed in the same run on the same machine:

- table analysis: the same findings worked out row by row (every row against every
  representative input), the way the checker did it before;
- data files: the bare parser (json.loads, or PyYAML's libyaml loader) with no checking;
- explanations: the text form of the same tree, or the evaluation without explanation;
- diagnostics: the size of the file the messages are about.

Ratios are what to compare across machines; seconds vary with load.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import itertools
import json
import sys
import tempfile
import time
from contextlib import redirect_stderr
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
import _checkout  # noqa: E402,F401  (this checkout is the yibao package from here on)

import yaml  # noqa: E402

from yibao.interpreter import api, checker, tables  # noqa: E402
from yibao.interpreter.diagnostics import DiagnosticError  # noqa: E402
from yibao.interpreter.render_diagnostics import render_all  # noqa: E402
from yibao.interpreter.explain_render import render_tree, tree_to_json  # noqa: E402
from yibao.interpreter.limits import MAX_LIST_ITEMS  # noqa: E402
from yibao.interpreter.loader import build_model  # noqa: E402

HEADER = 'policy {pid} {{\n  title "bench"\n  status draft\n}}\n'
PERSON = "input person {\n  id: text\n  years: int\n}\n"


def best(fn, runs: int = 3) -> float:
    """Least wall time of `fn()` over `runs` calls: the least disturbed by other load."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ decision tables
def table_policy(folder: Path, pid: str, rows: list[str], hit: str) -> Path:
    body = (PERSON + f"table t(y: int): int {{\n  hit {hit}\n" + "".join(rows) +
            "  otherwise => 0\n}\noutput o: int {\n  = t(years)\n}\n")
    return write(folder, f"{pid}.policy", HEADER.format(pid=pid) + body)


def captured_analysis(path: Path):
    """Check the policy and keep the arguments the checker gave the table analysis."""
    seen = []
    real = checker.analyse

    def keep(*args):
        seen.append(args)
        return real(*args)
    checker.analyse = keep
    try:
        build_model(path)
    finally:
        checker.analyse = real
    return seen[0]


def row_by_row(table, columns, cells, diags) -> None:
    """The yardstick: every representative input against every row, each hit recorded."""
    constants = [[v for row in cells for v in _constants(row[c])] for c in range(len(columns))]
    domains = [tables.representatives(col, consts) for col, consts in zip(columns, constants)]
    fired = [False] * len(cells)
    for vector in itertools.product(*domains):
        hits = [r for r, row in enumerate(cells)
                if all(tables.matches(t, op, key, given, value, high)
                       for (t, op, key, value, high), given in zip(row, vector))]
        for r in hits[:1] if table.hit == "first" else hits:
            fired[r] = True


def _constants(cell):
    test, _, _, value, high = cell
    if test == "any":
        return []
    values = list(value) if isinstance(value, tuple) else [value]
    return [v for v in values + ([high] if high is not None else []) if v is not None]


def table_rows(folder: Path, quick: bool) -> list[tuple]:
    sizes = (300,) if quick else (1000, 3000)
    cases = [(f"{n} rows, ranges, hit unique", f"ranges-{n}",
              [f"  row r{i}: {i} .. {i} => {i}\n" for i in range(n)], "unique") for n in sizes]
    same = 300 if quick else 2000
    cases.append((f"{same} identical rows, hit unique", f"same-{same}",
                  [f"  row r{i}: 1 .. 5 => 1\n" for i in range(same)], "unique"))
    out = []
    for label, pid, rows, hit in cases:
        args = captured_analysis(table_policy(folder, f"bench-{pid}", rows, hit))
        ours = best(lambda: tables.analyse(*args[:3], []))
        theirs = best(lambda: row_by_row(*args[:3], []), runs=1)
        out.append(("table analysis", label, ours, "row by row", theirs))
    return out


# ------------------------------------------------------------------ data files
def long_record(entries: int) -> dict:
    data = yaml.safe_load((REPO / "examples/jiangxi/qingdao-case.yaml").read_text(encoding="utf-8"))
    entry = dict(data["enrollment"][0])
    data["enrollment"] = [dict(entry, year=1000 + i % 1000) for i in range(entries)]
    return json.loads(json.dumps(data, default=str))


def data_rows(folder: Path, quick: bool) -> list[tuple]:
    policy = api.load_policy(REPO / "policies/jiangxi-2024-34.policy")
    out = []
    for entries in ((1000,) if quick else (10_000, 100_000)):
        data = long_record(entries)
        as_json = write(folder, f"long-{entries}.json", json.dumps(data, ensure_ascii=False))
        as_yaml = write(folder, f"long-{entries}.yaml",
                        yaml.safe_dump(data, allow_unicode=True, default_flow_style=None))
        runs = 1 if entries > 10_000 else 3
        if entries > MAX_LIST_ITEMS:       # over the list limit: the time to refuse it (R418)
            ours = best(lambda: refused(policy, as_json), runs)
            what = f"{entries} history entries, refused"
        else:
            ours = best(lambda: api.load_record(policy, as_json), runs)
            what = f"{entries} history entries"
        theirs = best(lambda: json.loads(as_json.read_text(encoding="utf-8")), runs)
        out.append(("record, JSON", what, ours, "json.loads", theirs))
        if entries <= 10_000:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            ours = best(lambda: api.load_record(policy, as_yaml), runs)
            theirs = best(lambda: yaml.load(as_yaml.read_text(encoding="utf-8"), Loader=loader),
                          runs)
            out.append(("record, YAML", f"{entries} history entries", ours,
                        f"yaml {loader.__name__}", theirs))
    depth = 1000 if quick else 10_000
    deep_yaml = write(folder, "deep.yaml", "id: A\nx: " + "[" * depth + "]" * depth + "\n")
    flat_yaml = write(folder, "flat.yaml", "id: A\nx: [" + ", ".join(["1"] * depth) + "]\n")
    out.append(("refusal, YAML", f"nested {depth} deep", best(lambda: refused(policy, deep_yaml)),
                "yaml CSafeLoader, flat list of the same length",
                best(lambda: yaml.load(flat_yaml.read_text(encoding="utf-8"),
                                       Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))))
    deep_json = write(folder, "deep.json", '{"id": "A", "x": ' + "[" * (10 * depth) +
                      "]" * (10 * depth) + "}")
    flat_json = write(folder, "flat.json", '{"id": "A", "x": [' + ",".join(["1"] * (10 * depth)) + "]}")
    out.append(("refusal, JSON", f"nested {10 * depth} deep", best(lambda: refused(policy, deep_json)),
                "json.loads, flat list of the same length",
                best(lambda: json.loads(flat_json.read_text(encoding="utf-8")))))
    return out


def refused(policy, path: Path) -> None:
    try:
        api.load_record(policy, path)
    except DiagnosticError:
        return
    raise AssertionError(f"{path} was not refused")


# ------------------------------------------------------------------ explanations
def sharing_policy(folder: Path, depth: int) -> Path:
    """a_k and b_k each use a_{k-1} and b_{k-1}: unfolded, the tree doubles per level."""
    rules = ["rule a0: int {\n  = years\n}\n", "rule b0: int {\n  = years + 1\n}\n"]
    for k in range(1, depth + 1):
        rules.append(f"rule a{k}: int {{\n  = a{k - 1} + b{k - 1}\n}}\n")
        rules.append(f"rule b{k}: int {{\n  = a{k - 1} - b{k - 1}\n}}\n")
    rules.append(f"output o: int {{\n  = a{depth}\n}}\n")
    return write(folder, "bench-sharing.policy",
                 HEADER.format(pid="bench-sharing") + PERSON + "".join(rules))


def explain_rows(folder: Path, quick: bool) -> list[tuple]:
    out = []
    depth = 20 if quick else 40
    policy = api.load_policy(sharing_policy(folder, depth))
    record = {"id": "A", "years": 3}
    tree = api.evaluate(policy, record, dt.date(2027, 6, 1), explain=True).trees["o"]
    ours = best(lambda: json.dumps(tree_to_json(tree), ensure_ascii=False, indent=2))
    theirs = best(lambda: render_tree(tree))
    out.append(("explain --format json", f"rules sharing sub-trees, {depth} levels", ours,
                "the text form", theirs))

    shandong = api.load_policy(REPO / "policies/shandong-2024-assistance.policy")
    data = yaml.safe_load((REPO / "examples/shandong/two-identities.yaml").read_text(encoding="utf-8"))
    count = 500 if quick else 5000
    data["identities"] = (data["identities"] * count)[:count]
    path = write(folder, "identities.json", json.dumps(data, ensure_ascii=False, default=str))
    person, _ = api.load_record(shandong, path)
    regions = api.load_regions(REPO / "examples/shandong/regions.yaml", shandong)
    on = dt.date(2026, 6, 1)
    ours = best(lambda: render_tree(api.evaluate(shandong, person, on, regions,
                                                 outputs=["payment_mode"], explain=True)
                                    .trees["payment_mode"]), runs=1)
    theirs = best(lambda: api.evaluate(shandong, person, on, regions, outputs=["payment_mode"]),
                  runs=1)
    out.append(("explain", f"a person with {count} identities", ours,
                "the same evaluation without explanation", theirs))
    return out


# ------------------------------------------------------------------ diagnostics
def diagnostic_rows(folder: Path, quick: bool) -> list[tuple]:
    """A one-line policy with an unknown name every few bytes: what reaches stderr (each
    message quotes a window of the line, and a file shows at most 200 messages)."""
    count = 1000 if quick else 10_000
    line = " ".join(f"output o{i}: int {{ = u{i} }}" for i in range(count))
    path = write(folder, "bench-oneline.policy", HEADER.format(pid="bench-oneline") + line + "\n")
    text = ""

    def check() -> None:
        nonlocal text
        try:
            model, diags = build_model(path)
            sources = model.sources
        except DiagnosticError as err:
            diags, sources = err.diagnostics, err.sources
        with redirect_stderr(io.StringIO()):
            text = render_all(diags, "en", sources)
    seconds = best(check, runs=1)
    size = path.stat().st_size
    return [("diagnostics", f"one {size // 1024} KB line with {count} unknown names", seconds,
             "bytes of messages / bytes of file", None, len(text.encode()) / size)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs, a few seconds")
    quick = parser.parse_args().quick
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for part in (table_rows, data_rows, explain_rows, diagnostic_rows):
            rows.extend(part(folder, quick))
    print("| input | case | yibao | yardstick | yardstick time | yibao / yardstick |")
    print("|---|---|---:|---|---:|---:|")
    for row in rows:
        kind, case, ours, yardstick, theirs, *ratio = row
        shown = f"{theirs:.3f} s" if theirs is not None else "—"
        factor = ratio[0] if ratio else ours / theirs
        print(f"| {kind} | {case} | {ours:.3f} s | {yardstick} | {shown} | {factor:.3g} |")


if __name__ == "__main__":
    main()
