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
from .runner import Summary, _completed, _reject_line, _row, _validated, columns


class ColumnStep:
    """One record batch through the column path: (its output table in the order read,
    its reject lines, its counts).  `yibao run` takes a file's batches through it; a
    Spark worker takes its partition's (spark_runner.py), rows numbered None there."""

    def __init__(self, model, engine, as_of, regions, names, kind: str, source: str,
                 schema=None, overrides: dict | None = None, measures=None):
        from ..columnar.errors import ERROR_CODES

        self.model, self.engine, self.as_of, self.regions = model, engine, as_of, regions
        self.names, self.kind, self.source = names, kind, source
        self.input_type = model.input_types[kind]
        self.read_fields = model.read_fields_by_kind.get(kind, frozenset())
        self.types = {name: model.output_type(name) for name in names}
        self.codes = ERROR_CODES
        from .formats import arrow_schema

        self.schema = schema or arrow_schema(columns(model, names))
        self.overrides = overrides or {}
        self.measures = measures                # population.Measures, or None
        self.measured = [m for m in engine.program.measures if m.record_kind == kind] \
            if measures is not None else []

    def take(self, rows, first: int | None):
        """`first`: the number of the rows before this batch in the file (None: unknown,
        rows are then not numbered in rejects).  Raises CannotCompile before counting."""
        import pyarrow as pa

        from ..columnar.arrow_batch import ArrowBatch
        from ..columnar.arrow_checks import vouched_rows
        from ..columnar.arrow_output import output_array

        part, rejects = Summary(), []
        n = rows.num_rows
        rows = with_overrides(rows, self.overrides)
        vouched = vouched_rows(rows, self.input_type, self.read_fields, self.kind,
                               "kind" in self.input_type.fields)
        fast = np.flatnonzero(vouched)
        by_row: dict[int, dict | None] = {}     # row -> the row way's output row (None: rejected)
        arrays = None
        if len(fast):
            chosen = rows if len(fast) == n else rows.take(pa.array(fast))
            batch = ArrowBatch(self.engine.program, self.model, self.kind, chosen, self.as_of)
            outcomes = self.engine.outcomes(batch)
            by_name = {name: (output_array(o, len(fast)),
                              pa.array(o.error_codes(), type=pa.string()))
                       for name, o in outcomes.items()}
            left = batch.fallback.copy()
            for o in outcomes.values():
                left |= o.left
            for name, o in outcomes.items():
                count = int(np.count_nonzero(o.na & ~left & ~o.failed))
                if count:
                    part.not_applicable[name] += count
                codes, counts = np.unique(o.codes[o.failed & ~left], return_counts=True)
                for code, count in zip(codes.tolist(), counts.tolist()):
                    part.errors[self.codes[code]] += count
            for_measures = self._measured_by_columns(batch, left)
            self._row_way_left(rows, fast, np.flatnonzero(left), batch, outcomes, by_row,
                               first, part, rejects)
            self._measured_by_rows(rows, fast, for_measures, first)
            arrays = (by_name, fast, left)
        self._row_way_unvouched(rows, np.flatnonzero(~vouched), by_row, first, part, rejects)
        table = _assembled(pa, rows, arrays, by_row, self.names, self.schema, self.types, n)
        part.read, part.written, part.vouched = n, table.num_rows, len(fast)
        return table, rejects, part

    def _measured_by_columns(self, batch, left):
        """Count the rows the columns wrote into the measures; returns the positions (in
        the batch) of the rows the interpreter must count: a measure that fails for them.
        The rows left to the interpreter are counted with their records."""
        if not self.measured:
            return np.zeros(0, dtype=np.int64)
        found = self.engine.measures(batch, self.measured)
        stopped = left.copy()
        for included, counted, failed in found.values():
            stopped |= failed
        for name, (included, counted, failed) in found.items():
            self.measures.add_counts(name, int(np.count_nonzero(counted & ~stopped)),
                                     int(np.count_nonzero(included & ~stopped)))
        return np.flatnonzero(stopped & ~left)

    def _measured_by_rows(self, rows, fast, positions, first):
        for j in positions.tolist():
            record = _validated(self.model, _data(rows, int(fast[j])), "measure", self.kind)
            if isinstance(record, dict):
                self.measures.add([record])

    def _where(self, first, i) -> str:
        return f"{self.source}:{first + i + 1}" if first is not None else "row"

    def _row_way_left(self, rows, fast, left_rows, batch, outcomes, by_row, first, part,
                      rejects):
        """The vouched rows with something left to the interpreter: the columns' values
        where they have them, the interpreter's for the rest."""
        if not len(left_rows):
            return
        values = {name: o.python_at(left_rows) for name, o in outcomes.items()}
        codes = {name: [EvalError(self.codes[c], None) if c > 0 else None
                        for c in o.codes[left_rows].tolist()] for name, o in outcomes.items()}
        for k, j in enumerate(left_rows.tolist()):
            i = int(fast[j])
            data = _data(rows, i)
            record = _validated(self.model, data, self._where(first, i), self.kind)
            if not isinstance(record, dict):    # vouched, yet refused: reported, not dropped
                self._rejected(i, first, record, data, part, rejects, by_row)
                continue
            outcome = None if batch.fallback[j] else \
                {name: LEFT if outcomes[name].left[j] else codes[name][k] or values[name][k]
                 for name in self.names}
            by_row[i] = self._finished(record, outcome, part)

    def _row_way_unvouched(self, rows, slow, by_row, first, part, rejects):
        """Rows the checks did not vouch for: validated one by one as runner.py does, the
        valid ones evaluated together by the columnar engine over their records."""
        if not len(slow):
            return
        records, places, refused = [], [], []
        for i in slow.tolist():
            data = _data(rows, i)
            record = _validated(self.model, data, self._where(first, i), self.kind)
            if isinstance(record, dict):
                records.append(record)
                places.append(i)
            else:
                refused.append((i, record, data))
        answered = self.engine.evaluate(records) if records else []   # may refuse: first
        for i, error, data in refused:
            self._rejected(i, first, error, data, part, rejects, by_row)
        for i, record, outcome in zip(places, records, answered):
            by_row[i] = self._finished(record, outcome, part)

    def _finished(self, record, outcome, part) -> dict:
        if self.measures is not None:
            self.measures.add([record])
        outcome = _completed(self.model, record, outcome, self.as_of, self.regions,
                             self.names, part, True)
        return _row(self.model, record, outcome, self.names, part)

    def _rejected(self, i, first, error, data, part, rejects, by_row):
        part.rejected += 1
        rejects.append(_reject_line(first + i + 1 if first is not None else None, data, error))
        by_row[i] = None                            # no output row


def with_overrides(rows, overrides: dict):
    """--set FIELD=VALUE: every row's FIELD is VALUE, a column of one value replacing the
    file's (or added) before any check — as the row way puts it in each row's mapping, and
    read back from Arrow as the same Python value (an int, a date, a decimal, a text)."""
    if not overrides:
        return rows
    import pyarrow as pa

    names, arrays = list(rows.schema.names), list(rows.columns)
    for name, value in overrides.items():
        column = pa.array([value] * rows.num_rows)
        if name in names:
            arrays[names.index(name)] = column
        else:
            names.append(name)
            arrays.append(column)
    return pa.RecordBatch.from_arrays(arrays, names=names)


def merge(summary: Summary, part: Summary) -> None:
    """A batch's counts into the run's."""
    summary.read += part.read
    summary.written += part.written
    summary.rejected += part.rejected
    summary.vouched += part.vouched
    summary.interpreted += part.interpreted
    summary.errors.update(part.errors)
    summary.not_applicable.update(part.not_applicable)


def run_columns(model, input_path, writer, rejected, summary: Summary, engine, as_of,
                regions, names, kind: str, batch_size: int, progress,
                overrides: dict | None = None, measures=None) -> None:
    """Every row of `input_path` through `engine` (a ColumnarEngine) into `writer`; rejects
    to the open file `rejected`.  Raises CannotCompile as the engine does (before any row
    of the batch that raised it is written or counted)."""
    need_pyarrow()
    step = ColumnStep(model, engine, as_of, regions, names, kind, str(input_path),
                      writer.schema if writer.kind == "parquet" else None, overrides,
                      measures)
    first = 0                                  # rows before this batch
    for rows in parquet_file(input_path).iter_batches(batch_size=batch_size):
        table, rejects, part = step.take(rows, first)
        for line in rejects:
            rejected.write(line + "\n")
        writer.write_table(table, step.types)
        merge(summary, part)
        first += rows.num_rows
        # A batch's columns are held in reference cycles (values memoised beside the
        # expressions that made them); freed now, memory stays one batch's, whatever the
        # file's size, instead of growing until the collector happens to run.
        del table, rejects, part
        gc.collect()
        if progress is not None:
            progress(summary.read)


def _data(rows, i: int):
    return _without_nulls(rows.slice(int(i), 1).to_pylist()[0])


def _assembled(pa, rows, arrays, by_row: dict, names, schema, types, n: int):
    """The batch's output table in the order read: the columns' rows, then the row way's
    in their places; rejected rows have none."""
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


def _typed(row: dict, types: dict) -> dict:
    """A row way row (eval's JSON form) in Parquet's types."""
    from .formats import _arrow_value

    return {name: _arrow_value(value, types.get(name)) for name, value in row.items()}
