"""A folder of 837P files as Spark DataFrames: the tables of :mod:`edi837.frames`.

::

    from pyspark.sql import SparkSession
    from edi837.spark import read_folder

    spark = SparkSession.builder.getOrCreate()
    tables = read_folder(spark, "s3://bucket/claims/", pattern="*.837")
    tables["service_lines"].groupBy("procedure_code").sum("charge").show()
    tables["issues"].where("fatal").show()  # the files that could not be read to the end

:func:`read_folder` returns ``{name: DataFrame}`` for ``claims`` (one row per claim) and
``service_lines`` (one row per line), with the schemas of :mod:`edi837.frames` (derived from
its Arrow schemas: :func:`spark_schema`; amounts ``decimal(38,10)``, never floats), plus
``issues``: one row per finding of the lenient reader (:data:`ISSUE_COLUMNS`: file, severity,
code, message, location; no patient data). Transaction sets that are not 5010 professional
837s are skipped with an issue (``NOT_AN_837``, ``NOT_837P_5010``).

How it runs, how errors are kept to their file and the options (``via``, ``tables``,
``persist``, ``partitions``) are as in :mod:`edi835.spark`: each Spark task reads whole files
(Spark's ``binaryFile`` source, or paths listed on the driver and streamed by the tasks) and
yields Arrow record batches through ``DataFrame.mapInArrow``; no RDD API. A file the reader
cannot read to the end keeps the rows read before that point (whole transactions) and gets an
``issues`` row with ``fatal = true``. pyspark and pyarrow are imported on first use; the
library must be importable on the workers (``pip install "x12-claims[spark]"``).

:func:`read_file_rows` is the same per-file read without Spark (rows as plain dicts).
"""

from __future__ import annotations

import contextlib
import functools
import pathlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Context, Decimal
from typing import IO, Any
from urllib.parse import unquote, urlparse

from edi837 import frames
from edi837.reader import iter_submissions
from x12.envelope import EnvelopeReader
from x12.errors import IssueLog, Location, X12Error

__all__ = [
    "ISSUES",
    "ISSUE_COLUMNS",
    "TABLES",
    "arrow_schema",
    "read_file_rows",
    "read_folder",
    "spark_schema",
]

INSTALL_HINT = 'pip install "x12-claims[spark]"'

#: The tables of :mod:`edi837.frames`, in order.
TABLES: tuple[str, ...] = frames.TABLES


# ----------------------------------------------------------------------- the 837P part
def _controls(source: bytes | str) -> list[frames.Controls]:
    """(ISA13, ST02) of each 5010 professional 837 transaction, in the order
    :func:`iter_submissions` yields them (it skips other transaction sets the same way).
    A damaged envelope ends the list early; the transactions after that point get empty
    control numbers."""
    found: list[frames.Controls] = []
    try:
        with _opened(source) as data:
            for tx in EnvelopeReader(data, log=IssueLog()).transactions():
                if tx.id == "837" and tx.implementation.startswith("005010X222"):
                    icn = tx.interchange.control_number
                    found.append((icn or None, tx.control_number or None))
    except (X12Error, OSError):
        pass
    return found


def _read_837(source: bytes | str, file: str, log: IssueLog) -> Iterator[dict[str, list[Row]]]:
    controls = _controls(source)
    with _opened(source) as data:
        for t, sub in enumerate(iter_submissions(data, log=log)):
            ctl = controls[t] if t < len(controls) else (None, None)
            yield frames.rows([sub], file=file, controls=[ctl], first_transaction=t)


def read_file_rows(
    source: bytes | str | pathlib.Path, *, file: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """One 837P file (bytes, or a path) as the rows a Spark task yields for it: the tables of
    :func:`edi837.frames.rows` with control numbers, and ``issues``. Never raises for a bad
    file (see the module docstring). ``file`` defaults to the path."""
    return _collect(_read_837, source, file)


def arrow_schema(name: str) -> Any:
    """The pyarrow schema of table ``name`` (:func:`edi837.frames.arrow_schema`, or the
    ``issues`` table's)."""
    return _issue_arrow_schema() if name == ISSUES else frames.arrow_schema(name)


def spark_schema(name: str) -> Any:
    """The Spark ``StructType`` of table ``name``, derived from :func:`arrow_schema`."""
    types = _require("pyspark.sql.pandas.types")
    return types.from_arrow_schema(arrow_schema(name))


def read_folder(
    spark: Any,
    path: str | pathlib.Path,
    *,
    pattern: str = "*",
    recursive: bool = False,
    tables: Sequence[str] | None = None,
    via: str = "content",
    persist: bool = False,
    partitions: int | None = None,
    batch_rows: int | None = None,
) -> dict[str, Any]:
    """The 837P files of folder ``path`` (file names matching ``pattern``, a glob; also in
    sub-folders when ``recursive``) as ``{table: DataFrame}``: ``claims`` and
    ``service_lines`` (or those named in ``tables``) and ``issues``.

    ``via="content"`` reads the files with Spark's ``binaryFile`` source (any file system);
    ``via="path"`` lists them on the driver and has the tasks open and stream them
    (``partitions`` tasks, default one per file up to 256). ``persist=True`` keeps the one
    pass over the files for all the tables. See :mod:`edi835.spark`.
    """
    return _read_folder(
        spark,
        path,
        read=_read_837,
        all_tables=TABLES,
        pattern=pattern,
        recursive=recursive,
        tables=tables,
        via=via,
        persist=persist,
        partitions=partitions,
        batch_rows=batch_rows,
    )


# ======================================================================================
# The shared engine: from here to the end marker, edi835/spark.py and edi837/spark.py are
# identical (tests/edi837/test_spark.py checks it); the transaction-specific part is above.
# ======================================================================================
#: The name of the table of file-level findings.
ISSUES = "issues"

#: Columns of the ``issues`` table: (name, kind); kinds as in :mod:`edi835.frames` plus
#: ``bool``. ``fatal`` is true when reading the file stopped there (rows read before it are
#: kept); the location columns come from :class:`x12.errors.Location`.
ISSUE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("file", "string"),
    ("severity", "string"),  # error, warning, info
    ("code", "string"),  # stable code (MISSING_SEGMENT, INVALID_VALUE, ...)
    ("message", "string"),  # never holds data values
    ("fatal", "bool"),
    ("transaction_control_number", "string"),  # ST02 of the transaction, when known
    ("segment_index", "int"),  # 1-based from the file's ISA
    ("segment_id", "string"),
    ("loop", "string"),
    ("element", "int"),
    ("component", "int"),
    ("location", "string"),  # the location as text: "segment 12 (CLP), element 02"
)

Row = dict[str, Any]
#: Reads one file: (its bytes or local path, file name, issue log) -> the rows of each
#: transaction in turn.
FileReader = Callable[[bytes | str, str, IssueLog], Iterator[dict[str, list[Row]]]]

#: Rows per Arrow record batch a task yields (per table).
BATCH_ROWS = 8192


def _require(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(
            f"{module} is needed for this (an optional dependency): {INSTALL_HINT}"
        ) from None


@contextlib.contextmanager
def _opened(source: bytes | str) -> Iterator[bytes | IO[bytes]]:
    """Bytes as they are; a path opened (binary) for streaming."""
    if isinstance(source, bytes):
        yield source
    else:
        with open(source, "rb") as fp:
            yield fp


# ------------------------------------------------------------------- per-file reading
def _issue_row(
    file: str,
    severity: str,
    code: str,
    message: str,
    location: Location | None,
    fatal: bool,
) -> Row:
    loc = location
    return {
        "file": file,
        "severity": severity,
        "code": code,
        "message": message,
        "fatal": fatal,
        "transaction_control_number": loc.transaction if loc else None,
        "segment_index": loc.segment_index if loc else None,
        "segment_id": loc.segment_id if loc else None,
        "loop": loc.loop if loc else None,
        "element": loc.element if loc else None,
        "component": loc.component if loc else None,
        "location": str(loc) if loc else None,
    }


def _file_rows(read: FileReader, source: bytes | str, file: str) -> Iterator[dict[str, list[Row]]]:
    """The rows of one file, a transaction at a time, then ``{"issues": [...]}``. Never
    raises for a bad file: what stops the read becomes a fatal issue row."""
    log = IssueLog()
    fatal: Row | None = None
    try:
        yield from read(source, file, log)
    except X12Error as exc:
        fatal = _issue_row(file, "error", exc.code, exc.message, exc.location, True)
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        fatal = _issue_row(
            file, "error", "FILE_UNREADABLE", f"the file could not be read ({why})", None, True
        )
    except Exception as exc:  # a reader bug must not fail the whole job
        fatal = _issue_row(
            file,
            "error",
            "READER_FAILED",
            f"the reader failed on this file ({type(exc).__name__})",
            None,
            True,
        )
    issues = [
        _issue_row(file, str(i.severity), i.code, i.message, i.location, False) for i in log.issues
    ]
    if fatal is not None:
        issues.append(fatal)
    yield {ISSUES: issues}


def _collect(
    read: FileReader, source: bytes | str | pathlib.Path, file: str | None
) -> dict[str, list[Row]]:
    src: bytes | str = str(source) if isinstance(source, pathlib.Path) else source
    name = file if file is not None else (src if isinstance(src, str) else "")
    out: dict[str, list[Row]] = {}
    for part in _file_rows(read, src, name):
        for table, items in part.items():
            out.setdefault(table, []).extend(items)
    return out


# ------------------------------------------------------------------------------ arrow
def _issue_arrow_schema() -> Any:
    pa = _require("pyarrow")
    kinds = {"string": pa.string(), "int": pa.int64(), "bool": pa.bool_()}
    return pa.schema([(name, kinds[kind]) for name, kind in ISSUE_COLUMNS])


_DECIMAL_PLACES = Decimal(1).scaleb(-10)
_DECIMAL_LIMIT = Decimal(10) ** 28
_WIDE = Context(prec=40)  # 28 integer digits + 10 places fit


def _safe_decimal(value: Any, bad: list[int], index: int) -> Any:
    if not isinstance(value, Decimal):
        return value
    if not value.is_finite() or abs(value) >= _DECIMAL_LIMIT:
        bad.append(index)
        return None
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -10:
        return value.quantize(_DECIMAL_PLACES, context=_WIDE)
    return value


def _column(pa: Any, values: list[Any], typ: Any, bad: list[int]) -> Any:
    try:
        return pa.array(values, type=typ)
    except (pa.ArrowException, ValueError, TypeError, OverflowError):
        pass  # the slow road, value by value: only for damaged input
    if pa.types.is_decimal(typ):
        return pa.array([_safe_decimal(v, bad, i) for i, v in enumerate(values)], type=typ)
    if pa.types.is_string(typ):
        clean = [
            v.encode("utf-8", "replace").decode("utf-8") if isinstance(v, str) else v
            for v in values
        ]
        return pa.array(clean, type=typ)
    return pa.array([None] * len(values), type=typ)


def _struct(pa: Any, schema: Any, items: list[Row], issues: list[Row]) -> Any:
    arrays = []
    for f in schema:
        bad: list[int] = []
        arrays.append(_column(pa, [r.get(f.name) for r in items], f.type, bad))
        for i in bad:
            issues.append(
                _issue_row(
                    items[i].get("file") or "",
                    "warning",
                    "VALUE_OUT_OF_RANGE",
                    f"column {f.name} holds an amount decimal(38,10) cannot hold; left empty",
                    None,
                    False,
                )
            )
    return pa.StructArray.from_arrays(arrays, fields=list(schema))


def _combined_schema(pa: Any, names: Sequence[str]) -> Any:
    fields = [pa.field("table", pa.string())]
    fields += [pa.field(n, pa.struct(list(arrow_schema(n)))) for n in names]
    return pa.schema(fields)


def _batch(pa: Any, combined: Any, names: Sequence[str], name: str, struct: Any) -> Any:
    n = len(struct)
    columns = [pa.array([name] * n, type=pa.string())]
    for other in names:
        typ = combined.field(other).type
        columns.append(struct if other == name else pa.nulls(n, type=typ))
    return pa.RecordBatch.from_arrays(columns, schema=combined)


def _local_path(path: str) -> str:
    if path.startswith("file:"):
        return unquote(urlparse(path).path)
    return path


def _map_files(
    batches: Iterable[Any], *, read: FileReader, names: tuple[str, ...], batch_rows: int
) -> Iterator[Any]:
    """The ``mapInArrow`` function: input batches of ``path`` (and ``content``) rows, output
    batches of the combined schema (``table`` + one struct column per table)."""
    pa = _require("pyarrow")
    combined = _combined_schema(pa, names)
    schemas = {n: arrow_schema(n) for n in names}
    pending: dict[str, list[Row]] = {n: [] for n in names}

    def flush(name: str) -> Iterator[Any]:
        items = pending[name]
        pending[name] = []
        extra: list[Row] = []
        for start in range(0, len(items), batch_rows):
            chunk = items[start : start + batch_rows]
            yield _batch(pa, combined, names, name, _struct(pa, schemas[name], chunk, extra))
        pending[ISSUES].extend(extra)

    for batch in batches:
        cols = batch.schema.names
        paths = batch.column(cols.index("path")).to_pylist()
        contents = (
            batch.column(cols.index("content")).to_pylist()
            if "content" in cols
            else [None] * len(paths)
        )
        for path, content in zip(paths, contents, strict=True):
            source = content if content is not None else _local_path(path)
            for part in _file_rows(read, source, path):
                for name, items in part.items():
                    if name in pending:
                        pending[name].extend(items)
                        if len(pending[name]) >= batch_rows:
                            yield from flush(name)
    for name in names:
        yield from flush(name)
    yield from flush(ISSUES)  # issues a last flush may have added


# ----------------------------------------------------------------------------- spark
def _list_files(path: str, pattern: str, recursive: bool) -> list[str]:
    root = pathlib.Path(_local_path(path))
    if root.is_file():
        return [str(root)]
    found = root.rglob(pattern) if recursive else root.glob(pattern)
    return sorted(str(p) for p in found if p.is_file())


def _files_frame(
    spark: Any,
    path: str | pathlib.Path,
    pattern: str,
    recursive: bool,
    via: str,
    partitions: int | None,
) -> Any:
    if via == "content":
        reader = spark.read.format("binaryFile").option("pathGlobFilter", pattern)
        if recursive:
            reader = reader.option("recursiveFileLookup", "true")
        return reader.load(str(path)).select("path", "content")
    if via != "path":
        raise ValueError(f"via must be 'content' or 'path', not {via!r}")
    files = _list_files(str(path), pattern, recursive)
    df = spark.createDataFrame([(f,) for f in files], "path string")
    n = partitions if partitions is not None else min(len(files), 256)
    return df.repartition(max(1, n))


def _read_folder(
    spark: Any,
    path: str | pathlib.Path,
    *,
    read: FileReader,
    all_tables: Sequence[str],
    pattern: str,
    recursive: bool,
    tables: Sequence[str] | None,
    via: str,
    persist: bool,
    partitions: int | None,
    batch_rows: int | None,
) -> dict[str, Any]:
    wanted = list(all_tables) if tables is None else [t for t in tables if t != ISSUES]
    unknown = [t for t in wanted if t not in all_tables]
    if unknown:
        raise ValueError(f"unknown table(s) {unknown}; the tables are {[*all_tables, ISSUES]}")
    names = (*wanted, ISSUES)
    pa = _require("pyarrow")
    types = _require("pyspark.sql.pandas.types")
    functions = _require("pyspark.sql.functions")
    schema = types.from_arrow_schema(_combined_schema(pa, names))
    files = _files_frame(spark, path, pattern, recursive, via, partitions)
    rows_per_batch = batch_rows if batch_rows else BATCH_ROWS
    mapper = functools.partial(_map_files, read=read, names=names, batch_rows=rows_per_batch)
    combined = files.mapInArrow(mapper, schema)
    if persist:
        combined = combined.persist()
    return {
        name: combined.where(functions.col("table") == name).select(f"`{name}`.*") for name in names
    }


# ======================================================================================
# End of the shared engine.
