"""Table files written a part at a time: CSV or Parquet, all of them or none.

A reader that streams its rows (:func:`edi835.frames.iter_rows`) hands each part
(``{table: rows}``) to :class:`TableFiles`, which appends it to one file per table. Memory
holds a part, and for Parquet the rows of one row group per table (``row_group_rows``), not the
tables. The files are written in a temporary folder inside the destination and moved into
place by :meth:`TableFiles.commit`; :meth:`TableFiles.discard` (a read that failed) removes
them, so the destination never holds half a set: what a commit replaces is moved aside first,
and moved back if a move fails.

CSV needs only the standard library (a header row of the column names, ISO dates, exact
amounts as written by :class:`decimal.Decimal`, empty cells for missing values); Parquet needs
pyarrow, with the caller's Arrow schema for each table.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as _dt
import pathlib
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from itertools import chain
from operator import itemgetter
from typing import IO, Any

__all__ = ["FORMATS", "TableFiles", "arrow_table", "csv_value"]

Row = dict[str, Any]

#: The formats :class:`TableFiles` writes.
FORMATS = ("csv", "parquet")


def csv_value(v: Any) -> str:
    """A cell of a CSV table: empty for ``None``, ISO 8601 for a date, else ``str``."""
    if v is None:
        return ""
    if isinstance(v, _dt.date):
        return v.isoformat()
    return str(v)


def arrow_table(pa: Any, schema: Any, rows: Sequence[Row]) -> Any:
    """``rows`` as a ``pyarrow.Table`` of ``schema`` (a column a row lacks is null)."""
    arrays = [pa.array([r.get(f.name) for r in rows], type=f.type) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


class TableFiles:
    """``<table>.csv`` or ``<table>.parquet`` for each of ``columns``' tables, in
    ``directory`` (created when missing), written as parts are added.

    ``columns`` maps each table to its column names, in order; ``arrow_schema`` gives a
    table's pyarrow schema (needed for Parquet only; pyarrow is imported then, and its
    ImportError raised here, before anything is read). Use :meth:`add` for each part, then
    :meth:`commit`, or :meth:`discard` to leave the destination as it was.
    """

    def __init__(
        self,
        directory: str | pathlib.Path,
        columns: Mapping[str, Sequence[str]],
        *,
        format: str = "csv",
        arrow_schema: Callable[[str], Any] | None = None,
        row_group_rows: int = 65_536,
        require: Callable[[str], Any] | None = None,
    ) -> None:
        if format not in FORMATS:
            raise ValueError(f"format must be 'csv' or 'parquet', not {format!r}")
        self.format = format
        self.columns = {name: list(cols) for name, cols in columns.items()}
        self.row_group_rows = row_group_rows
        self._pa: Any = None
        self._pq: Any = None
        self._schemas: dict[str, Any] = {}
        if format == "parquet":
            if arrow_schema is None or require is None:
                raise ValueError("Parquet needs each table's Arrow schema")
            self._pq = require("pyarrow.parquet")
            self._pa = require("pyarrow")
            self._schemas = {name: arrow_schema(name) for name in self.columns}
            for name, schema in self._schemas.items():
                if list(schema.names) != self.columns[name]:
                    raise ValueError(f"the Arrow schema of {name} does not list its columns")
        self.directory = pathlib.Path(directory)
        self._created = not self.directory.exists()
        self.directory.mkdir(parents=True, exist_ok=True)
        self._tmp = pathlib.Path(tempfile.mkdtemp(prefix=".tables-", dir=self.directory))
        self._files: dict[str, IO[str]] = {}
        self._csv: dict[str, Any] = {}
        self._writers: dict[str, Any] = {}
        #: Parquet: each table's rows not yet written, as Arrow tables (one per part).
        self._pending: dict[str, list[Any]] = {name: [] for name in self.columns}
        self._pending_rows: dict[str, int] = {name: 0 for name in self.columns}
        self._written: set[str] = set()
        self._open = True
        try:
            for name, cols in self.columns.items():
                if format == "csv":
                    fp = (self._tmp / f"{name}.csv").open("w", newline="", encoding="utf-8")
                    self._files[name] = fp
                    self._csv[name] = writer = csv.writer(fp)
                    writer.writerow(cols)
                else:
                    path = self._tmp / f"{name}.parquet"
                    self._writers[name] = self._pq.ParquetWriter(path, self._schemas[name])
        except BaseException:
            self.discard()
            raise

    def add(self, part: Mapping[str, Sequence[Row]]) -> None:
        """Append a part's rows (tables it lacks get none; tables not written are ignored)."""
        for name, rows in part.items():
            if not rows or name not in self.columns:
                continue
            if self.format == "csv":
                self._csv[name].writerows(self._csv_cells(name, rows))
            else:  # held as Arrow data (compact) until a row group is full
                table = arrow_table(self._pa, self._schemas[name], rows)
                self._pending[name].append(table)
                self._pending_rows[name] += table.num_rows
                if self._pending_rows[name] >= self.row_group_rows:
                    self._flush(name)

    def _csv_cells(self, name: str, rows: Sequence[Row]) -> list[Any]:
        """The cells of ``rows``: the values themselves, which the csv module writes as
        :func:`csv_value` does (``None`` empty, a date by ``str``, which is ISO 8601, anything
        else by ``str``), picked in C; a row that lacks a column, or holds a datetime (whose
        ``str`` is not ISO 8601), goes cell by cell."""
        cols = self.columns[name]
        try:
            if len(cols) == 1:
                return [(r[cols[0]],) for r in rows]
            cells = list(map(itemgetter(*cols), rows))
        except KeyError:
            return [[csv_value(r.get(c)) for c in cols] for r in rows]
        if _dt.datetime in set(map(type, chain.from_iterable(cells))):  # all in C
            return [[csv_value(v) for v in row] for row in cells]
        return cells

    def _flush(self, name: str) -> None:
        schema = self._schemas[name]
        parts = self._pending[name]
        table = self._pa.concat_tables(parts) if parts else schema.empty_table()
        self._writers[name].write_table(table, row_group_size=max(table.num_rows, 1))
        self._pending[name] = []
        self._pending_rows[name] = 0
        self._written.add(name)

    def commit(self) -> list[pathlib.Path]:
        """Finish the files and move them into the destination; their paths, in table order."""
        paths: list[pathlib.Path] = []
        try:
            for name in self.columns:
                if self.format == "csv":
                    self._files[name].close()
                else:
                    if self._pending[name] or name not in self._written:
                        self._flush(name)  # a table with no rows still gets its schema
                    self._writers[name].close()
            self._move_into_place(paths)
        except BaseException:
            self.discard()
            raise
        self._open = False
        shutil.rmtree(self._tmp, ignore_errors=True)
        return paths

    def _move_into_place(self, paths: list[pathlib.Path]) -> None:
        """Move the finished files over the destination's, appending each to ``paths``. The
        files they replace are first moved aside into the temporary folder; when a move
        fails, the new files already in place are removed and the old ones moved back, so
        the destination holds the old set or the new one (an interrupted process, not an
        OSError, can still leave a mix)."""
        aside: list[tuple[pathlib.Path, pathlib.Path]] = []  # (kept copy, its place)
        try:
            for name in self.columns:
                done = self.directory / f"{name}.{self.format}"
                if done.exists():
                    kept = self._tmp / f"previous-{done.name}"
                    done.replace(kept)
                    aside.append((kept, done))
            for name in self.columns:
                done = self.directory / f"{name}.{self.format}"
                (self._tmp / done.name).replace(done)
                paths.append(done)
        except BaseException:
            for done in paths:
                with contextlib.suppress(OSError):
                    done.unlink()
            for kept, done in aside:
                with contextlib.suppress(OSError):
                    kept.replace(done)
            paths.clear()
            raise

    def discard(self) -> None:
        """Remove what was written; the destination folder too when this created it and it
        is still empty."""
        if not self._open:
            return
        self._open = False
        for fp in self._files.values():
            with contextlib.suppress(OSError):
                fp.close()
        for w in self._writers.values():
            with contextlib.suppress(Exception):
                w.close()
        shutil.rmtree(self._tmp, ignore_errors=True)
        if self._created:
            with contextlib.suppress(OSError):
                self.directory.rmdir()  # only when empty
