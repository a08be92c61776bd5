"""Population files: JSON Lines, CSV and Parquet, read and written in batches.

Reading gives (row number, raw record or the problems that make it unreadable): a row
that cannot be read is rejected with its reason, never dropped.  JSON Lines rows are read
exactly (amounts as decimals, never binary floats); CSV carries flat records only (a
history or list field has no place in a cell); Parquet keeps nested lists of structs.
Writing takes rows of output values already in their JSON form (eval's), so that every
format shows the same value: money as text with two decimals in JSON Lines and CSV, as a
decimal of scale 2 in Parquet.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from ..diagnostics import Diagnostic, DiagnosticError
from ..types import BOOL, DATE, INT, MONEY, HistoryTy, ListTy, OptionalTy, RecordTy

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}


def format_of(path: Path, option: str) -> str:
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise DiagnosticError([Diagnostic.error("C622", None, option=option, path=str(path),
                                                formats=", ".join(FORMATS))])
    return found


def cannot_write(path: Path, err: OSError) -> DiagnosticError:
    return DiagnosticError([Diagnostic.error("C636", None, path=str(path),
                                             reason=err.strerror or type(err).__name__)])


def need_pyarrow():
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet as pq
        return pq
    except ImportError:
        raise DiagnosticError([Diagnostic.error("C623", None)]) from None


# ------------------------------------------------------------------ reading
def read_rows(path: Path, input_type: RecordTy, batch_size: int):
    """Batches of (row number, raw mapping | DiagnosticError) from a population file."""
    kind = format_of(path, "INPUT")
    reader = {"jsonl": _jsonl, "csv": _csv, "parquet": _parquet}[kind]
    batch = []
    for row in reader(path, input_type, batch_size):
        batch.append(row)
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _jsonl(path: Path, input_type, batch_size):
    from ..datafile_json import read_json

    with open(path, encoding="utf-8", errors="surrogateescape") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                found = read_json(line, where)
            except DiagnosticError as err:
                yield number, err
                continue
            yield number, DiagnosticError(list(found.problems)) if found.problems else found.data


def _csv(path: Path, input_type: RecordTy, batch_size):
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        flat = [name for name in reader.fieldnames or () if name in input_type.fields and
                isinstance(input_type.fields[name].ty, (HistoryTy, ListTy))]
        for number, row in enumerate(reader, 2):          # line 1 is the header
            if flat:
                yield number, DiagnosticError([Diagnostic.error(
                    "R481", None, file=str(path), data_path=flat[0], field=flat[0])])
                continue
            yield number, _typed_cells(row, input_type)


def _typed_cells(row: dict, input_type: RecordTy) -> dict:
    """CSV cells are text: an empty cell is a field left out, true/false a bool; the rest
    is converted by the record validator, as text from any file is."""
    out = {}
    for name, text in row.items():
        if text is None or text == "":
            continue
        info = input_type.fields.get(name)
        ty = info.ty.inner if info is not None and isinstance(info.ty, OptionalTy) else \
            (info.ty if info is not None else None)
        if ty == BOOL and text in ("true", "false"):
            out[name] = text == "true"
        elif ty == INT and text.lstrip("-").isdigit() and text.isascii():
            out[name] = int(text)
        else:
            out[name] = text
    return out


def parquet_file(path: Path):
    """An open pyarrow ParquetFile, or R482 saying why the file is not one."""
    pq = need_pyarrow()
    import pyarrow as pa

    try:
        return pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as err:
        raise DiagnosticError([Diagnostic.error("R482", None, file=str(path),
                                                reason=str(err).split(". ")[0])]) from None


def _parquet(path: Path, input_type, batch_size):
    number = 0
    for batch in parquet_file(path).iter_batches(batch_size=batch_size):
        for row in batch.to_pylist():
            number += 1
            yield number, _without_nulls(row)


def _without_nulls(value):
    """A Parquet row with its nulls left out, at every level: a struct column has every
    field any row has, so a field one entry lacks reads as null, which means "not given"
    (an optional field's none is its default)."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


# ------------------------------------------------------------------ writing
class Writer:
    """Rows of {column: JSON-form value} to a file, batch by batch."""

    def __init__(self, path: Path, columns: list[tuple[str, object]]):
        self.path, self.columns = path, columns          # (name, type or None for text)
        self.kind = format_of(path, "-o")
        self.rows = 0
        try:
            self._open(path, columns)
        except OSError as err:
            raise cannot_write(path, err) from None

    def _open(self, path: Path, columns) -> None:
        if self.kind == "jsonl":
            self.handle = open(path, "w", encoding="utf-8")
        elif self.kind == "csv":
            self.handle = open(path, "w", encoding="utf-8", newline="")
            self.csv = csv.writer(self.handle)
            self.csv.writerow([name for name, _ in columns])
        else:
            pq = need_pyarrow()
            self.schema = arrow_schema(columns)
            self.parquet = pq.ParquetWriter(path, self.schema)

    def write(self, rows: list[dict]) -> None:
        self.rows += len(rows)
        if self.kind == "jsonl":
            for row in rows:
                self.handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        elif self.kind == "csv":
            for row in rows:
                self.csv.writerow([_cell(row.get(name)) for name, _ in self.columns])
        elif rows:
            import pyarrow as pa

            arrays = [pa.array([_arrow_value(row.get(name), ty) for row in rows],
                               type=self.schema.field(name).type)
                      for name, ty in self.columns]
            self.parquet.write_table(pa.Table.from_arrays(arrays, schema=self.schema))

    def write_table(self, table, types: dict) -> None:
        """An Arrow table of the output columns (Parquet's types, arrow_schema); for JSON
        Lines and CSV its values are put in eval's JSON form first (`types`: column ->
        the policy's type)."""
        if self.kind == "parquet":
            self.rows += table.num_rows
            self.parquet.write_table(table)
            return
        from ..formatting import to_json

        self.write([{name: value if value is None or types.get(name) is None
                     else to_json(value, types[name]) for name, value in row.items()}
                    for row in table.to_pylist()])

    def close(self) -> None:
        if self.kind == "parquet":
            self.parquet.close()
        else:
            self.handle.close()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def arrow_type(ty):
    """An output column's Parquet type: money as decimal128(18, 2), ints, truth values,
    dates as themselves, anything else (and the id and error codes) as text."""
    import pyarrow as pa

    if ty == MONEY:
        return pa.decimal128(18, 2)
    if ty == INT:
        return pa.int64()
    if ty == BOOL:
        return pa.bool_()
    if ty == DATE:
        return pa.date32()
    return pa.string()


def arrow_schema(columns):
    import pyarrow as pa

    return pa.schema([(name, arrow_type(ty)) for name, ty in columns])


def _arrow_value(value, ty):
    if value is None:
        return None
    if ty == MONEY:
        return Decimal(value)
    if ty == DATE:
        return dt.date.fromisoformat(value)
    if ty in (INT, BOOL):
        return value
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
