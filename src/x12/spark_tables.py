"""The engine behind ``edi835.spark`` and ``edi837.spark``: a folder of X12 files as Spark
DataFrames through ``mapInArrow`` over whole files, one row per claim / line / ... of fixed
Arrow schemas, plus an ``issues`` table (one bad file never fails the job).

It knows no transaction: a caller gives a :data:`FileReader` (one file's rows by table, with
the lenient reader's issues on the log it is handed) and the Arrow schema of each table
(:data:`SchemaOf`); see :mod:`edi835.spark` for how it runs and the options. pyspark and
pyarrow are imported on first use (``pip install "x12-claims[spark]"``).
"""

from __future__ import annotations

import contextlib
import functools
import pathlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Context, Decimal
from typing import IO, Any
from urllib.parse import unquote, urlparse

from x12.errors import IssueLog, Location, X12Error
from x12.optional import require as _require

__all__ = [
    "INSTALL_HINT",
    "ISSUES",
    "ISSUE_COLUMNS",
    "FileReader",
    "Row",
    "SchemaOf",
    "collect_rows",
    "issue_arrow_schema",
    "opened",
    "read_folder_tables",
    "require",
]

INSTALL_HINT = 'pip install "x12-claims[spark]"'

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

#: The pyarrow schema of a table by name (the ``issues`` table's included).
SchemaOf = Callable[[str], Any]

#: Rows per Arrow record batch a task yields (per table).
BATCH_ROWS = 8192


def require(module: str) -> Any:
    """Import an optional module of the ``spark`` extra (see :func:`x12.optional.require`)."""
    return _require(module, INSTALL_HINT)


@contextlib.contextmanager
def opened(source: bytes | str) -> Iterator[bytes | IO[bytes]]:
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


def collect_rows(
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
def issue_arrow_schema() -> Any:
    pa = require("pyarrow")
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


def _combined_schema(pa: Any, names: Sequence[str], schema_of: SchemaOf) -> Any:
    fields = [pa.field("table", pa.string())]
    fields += [pa.field(n, pa.struct(list(schema_of(n)))) for n in names]
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
    batches: Iterable[Any],
    *,
    read: FileReader,
    schema_of: SchemaOf,
    names: tuple[str, ...],
    batch_rows: int,
) -> Iterator[Any]:
    """The ``mapInArrow`` function: input batches of ``path`` (and ``content``) rows, output
    batches of the combined schema (``table`` + one struct column per table)."""
    pa = require("pyarrow")
    combined = _combined_schema(pa, names, schema_of)
    schemas = {n: schema_of(n) for n in names}
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


def read_folder_tables(
    spark: Any,
    path: str | pathlib.Path,
    *,
    read: FileReader,
    schema_of: SchemaOf,
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
    pa = require("pyarrow")
    types = require("pyspark.sql.pandas.types")
    functions = require("pyspark.sql.functions")
    schema = types.from_arrow_schema(_combined_schema(pa, names, schema_of))
    files = _files_frame(spark, path, pattern, recursive, via, partitions)
    rows_per_batch = batch_rows if batch_rows else BATCH_ROWS
    mapper = functools.partial(
        _map_files, read=read, schema_of=schema_of, names=names, batch_rows=rows_per_batch
    )
    combined = files.mapInArrow(mapper, schema)
    if persist:
        combined = combined.persist()
    return {
        name: combined.where(functions.col("table") == name).select(f"`{name}`.*") for name in names
    }
