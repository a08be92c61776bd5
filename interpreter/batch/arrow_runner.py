"""`yibao run` over a Parquet file on the columnar engine, a column at a time end to end:
each record batch is checked a column at a time (columnar/arrow_checks.py), the rows it
vouches for are read into columns without a Python value per field
(columnar/arrow_batch.py), evaluated, and written as Arrow arrays
(columnar/arrow_output.py).

The other rows go the row way, one by one, exactly as runner.py takes a row: a row the
checks did not vouch for is converted to a mapping and validated (rejected with its
problems, or evaluated); a row the columns could not read, or with an output they leave
to the interpreter (an error to report), is evaluated by the interpreter for what the
columns left.  The rows are written in the order read."""
from __future__ import annotations

import gc

import numpy as np

from ..results import LEFT, EvalError
from .formats import _without_nulls, need_pyarrow, parquet_file
from .runner import ERROR_SUFFIX, Summary, _completed, _reject_line, _row, _validated


def run_columns(model, input_path, writer, rejected, summary: Summary, engine, as_of,
                regions, names, kind: str, batch_size: int, progress) -> None:
    """Every row of `input_path` through `engine` (a ColumnarEngine) into `writer`; rejects
    to the open file `rejected`.  Raises CannotCompile as the engine does (before any row
    of the batch that raised it is written)."""
    need_pyarrow()
    import pyarrow as pa

    from ..columnar.arrow_batch import ArrowBatch
    from ..columnar.arrow_checks import vouched_rows
    from ..columnar.arrow_output import output_array
    from ..columnar.errors import ERROR_CODES

    input_type = model.input_types[kind]
    read_fields = model.read_fields_by_kind.get(kind, frozenset())
    kind_declared = "kind" in input_type.fields
    types = {name: model.output_type(name) for name in names}
    schema = writer.schema if writer.kind == "parquet" else None
    first = 0                                  # row number of the batch's first row, less 1
    for rows in parquet_file(input_path).iter_batches(batch_size=batch_size):
        n = rows.num_rows
        vouched = vouched_rows(rows, input_type, read_fields, kind, kind_declared)
        fast = np.flatnonzero(vouched)
        summary.vouched += len(fast)
        by_row: dict[int, dict] = {}           # row -> the row way's output row
        arrays = None
        if len(fast):
            chosen = rows if len(fast) == n else rows.take(pa.array(fast))
            batch = ArrowBatch(engine.program, model, kind, chosen, as_of)
            outcomes = engine.outcomes(batch)
            arrays = {name: (output_array(o, len(fast)), pa.array(o.error_codes(),
                                                                 type=pa.string()))
                      for name, o in outcomes.items()}
            left = batch.fallback.copy()
            for o in outcomes.values():
                left |= o.left
            for name, o in outcomes.items():
                count = int(np.count_nonzero(o.na & ~left))
                if count:
                    summary.not_applicable[name] += count
                codes, counts = np.unique(o.codes[o.failed & ~left], return_counts=True)
                for code, count in zip(codes.tolist(), counts.tolist()):
                    summary.errors[ERROR_CODES[code]] += count
            _row_way_left(model, rows, fast, np.flatnonzero(left), batch, outcomes, by_row,
                          first, input_path, kind, summary, as_of, regions, names, rejected)
            arrays = (arrays, fast, left)
        _row_way_unvouched(model, rows, np.flatnonzero(~vouched), engine, by_row, first,
                           input_path, kind, summary, as_of, regions, names, rejected)
        table = _assembled(pa, rows, arrays, by_row, names, schema, types, n)
        writer.write_table(table, types)
        summary.read += n
        summary.written += table.num_rows
        first += n
        # A batch's columns are held in reference cycles (values memoised beside the
        # expressions that made them); freed now, memory stays one batch's, whatever the
        # file's size, instead of growing until the collector happens to run.
        del table, arrays, by_row
        gc.collect()
        if progress is not None:
            progress(summary.read)


def _data(rows, i: int):
    return _without_nulls(rows.slice(int(i), 1).to_pylist()[0])


def _row_way_left(model, rows, fast, left_rows, batch, outcomes, by_row, first, input_path,
                  kind, summary, as_of, regions, names, rejected):
    """The vouched rows with something left to the interpreter: the columns' values where
    they have them, the interpreter's for the rest."""
    if not len(left_rows):
        return
    values = {name: o.python_at(left_rows) for name, o in outcomes.items()}
    from ..columnar.errors import ERROR_CODES

    codes = {name: [EvalError(ERROR_CODES[c], None) if c > 0 else None
                    for c in o.codes[left_rows].tolist()] for name, o in outcomes.items()}
    for k, j in enumerate(left_rows.tolist()):
        i = int(fast[j])
        record = _validated(model, _data(rows, i), f"{input_path}:{first + i + 1}", kind)
        if not isinstance(record, dict):        # vouched, yet refused: reported, not dropped
            _rejected(rows, i, first, record, summary, rejected, by_row)
            continue
        outcome = None if batch.fallback[j] else \
            {name: LEFT if outcomes[name].left[j] else codes[name][k] or values[name][k]
             for name in names}
        outcome = _completed(model, record, outcome, as_of, regions, names, summary, True)
        by_row[i] = _row(model, record, outcome, names, summary)


def _row_way_unvouched(model, rows, slow, engine, by_row, first, input_path, kind, summary,
                       as_of, regions, names, rejected):
    """Rows the checks did not vouch for: validated one by one as runner.py does, the
    valid ones evaluated together by the columnar engine over their records."""
    if not len(slow):
        return
    records, places, refused = [], [], []
    for i in slow.tolist():
        data = _data(rows, i)
        record = _validated(model, data, f"{input_path}:{first + i + 1}", kind)
        if isinstance(record, dict):
            records.append(record)
            places.append(i)
        else:
            refused.append((i, record, data))
    answered = engine.evaluate(records) if records else []     # may refuse to compile: first
    for i, error, data in refused:
        _rejected(rows, i, first, error, summary, rejected, by_row, data)
    for i, record, outcome in zip(places, records, answered):
        outcome = _completed(model, record, outcome, as_of, regions, names, summary, True)
        by_row[i] = _row(model, record, outcome, names, summary)


def _rejected(rows, i, first, error, summary, rejected, by_row, data=None):
    summary.rejected += 1
    rejected.write(_reject_line(first + i + 1, data if data is not None else _data(rows, i),
                                error) + "\n")
    by_row[i] = None                            # no output row


def _assembled(pa, rows, arrays, by_row: dict, names, schema, types, n: int):
    """The batch's output table in the order read: the columns' rows, then the row way's
    in their places; rejected rows have none."""
    from .formats import arrow_schema

    schema = schema or arrow_schema(columns_of(names, types))
    parts, order = [], []
    if arrays is not None:
        by_name, fast, left = arrays
        keep = ~left
        kept = fast[keep]
        ids = rows.column(rows.schema.get_field_index("id")).take(pa.array(kept))
        columns_out = [ids.cast(pa.string())]
        mask = pa.array(keep)
        for name in names:
            values, codes = by_name[name]
            columns_out += [values.filter(mask), codes.filter(mask)]
        parts.append(pa.Table.from_arrays(columns_out, schema=schema))
        order.append(kept)
    written = [(i, row) for i, row in sorted(by_row.items()) if row is not None]
    if written:
        parts.append(pa.Table.from_pylist([_typed(row, types) for _, row in written],
                                          schema=schema))
        order.append(np.array([i for i, _ in written], dtype=np.int64))
    if not parts:
        return schema.empty_table()
    table = pa.concat_tables(parts)
    places = np.concatenate(order)
    if len(parts) > 1:
        table = table.take(pa.array(np.argsort(places, kind="stable")))
    return table


def columns_of(names, types):
    found = [("id", None)]
    for name in names:
        found += [(name, types[name]), (name + ERROR_SUFFIX, None)]
    return found


def _typed(row: dict, types: dict) -> dict:
    """A row way row (eval's JSON form) in Parquet's types."""
    from .formats import _arrow_value

    return {name: _arrow_value(value, types.get(name)) for name, value in row.items()}
