"""A folder of 835 files as Spark DataFrames: the six tables of :mod:`edi835.frames`.

::

    from pyspark.sql import SparkSession
    from edi835.spark import read_folder

    spark = SparkSession.builder.getOrCreate()
    tables = read_folder(spark, "s3://bucket/remits/", pattern="*.835")
    tables["claims"].groupBy("status").sum("paid").show()
    tables["issues"].where("fatal").show()  # the files that could not be read to the end

:func:`read_folder` returns ``{name: DataFrame}`` for ``payments``, ``claims``,
``service_lines``, ``adjustments``, ``remarks`` and ``provider_adjustments``, with the
schemas of :mod:`edi835.frames` (derived from its Arrow schemas: :func:`spark_schema`; amounts
``decimal(38,10)``, never floats), plus ``issues``: one row per finding of the lenient reader
(:data:`ISSUE_COLUMNS`: file, severity, code, message, location; no patient data).

How it runs: each Spark task reads whole files and yields Arrow record batches, one row per
claim / line / adjustment / ..., through ``DataFrame.mapInArrow`` (no RDD API, so it runs on
serverless clusters and Spark Connect). Files come either from Spark's ``binaryFile`` source
(``via="content"``, the default: any file system Spark can read, local, HDFS, S3, ABFS...;
the ``file`` column is the path as Spark lists it, e.g. ``file:/data/a.835``) or as paths
listed on the driver and opened by the tasks (``via="path"``: a folder every worker sees at
the same path, such as a local disk in local mode or a mounted volume; each file is streamed).
Either way a task reads claim by claim (:func:`edi835.frames.iter_rows`): besides the file's
bytes with ``via="content"`` (Spark hands them over whole), it holds a batch of segments and
the rows of an Arrow batch (``batch_rows``), whatever the size of a file or of a transaction
(a 200,000-claim transaction read by :func:`read_file_rows`' reader: 21 MB peak, as a
20,000-claim one).

Errors in one file never fail the job: a file the lenient reader cannot read to the end keeps
the rows read before that point (of a transaction cut short, the claims read so far, without
its ``payments`` row) and gets an ``issues`` row with ``fatal = true`` (its code is
the :class:`~x12.errors.X12Error` code, ``FILE_UNREADABLE`` for an I/O error or
``READER_FAILED`` for anything else). An amount Arrow's ``decimal(38,10)`` cannot hold is
rounded to 10 places or, beyond 28 integer digits, left empty with a ``VALUE_OUT_OF_RANGE``
issue; nothing is dropped silently.

The tables share one pass over the files (one ``mapInArrow`` whose rows each carry one
table); every action on a table runs that pass again unless ``persist=True`` (not available on
serverless clusters) or the tables are written out first. Ask only for the tables you need
with ``tables=``. The library must be importable on the workers (``pip install
"x12-claims[spark]"`` on the cluster). pyspark and pyarrow are imported on first use.

:func:`read_file_rows` is the same per-file read without Spark (rows as plain dicts).
"""

from __future__ import annotations

import pathlib
from collections.abc import Iterator, Sequence
from typing import Any

from edi835 import frames
from x12.errors import IssueLog
from x12.spark_tables import (
    ISSUE_COLUMNS,
    ISSUES,
    Row,
    collect_rows,
    issue_arrow_schema,
    opened,
    read_folder_tables,
    require,
)

__all__ = [
    "ISSUES",
    "ISSUE_COLUMNS",
    "TABLES",
    "arrow_schema",
    "read_file_rows",
    "read_folder",
    "spark_schema",
]


#: The tables of :mod:`edi835.frames`, in order.
TABLES: tuple[str, ...] = frames.TABLES


# ------------------------------------------------------------------------ the 835 part
def _read_835(source: bytes | str, file: str, log: IssueLog) -> Iterator[dict[str, list[Row]]]:
    with opened(source) as data:
        yield from frames.iter_rows(data, file=file, log=log)


def read_file_rows(
    source: bytes | str | pathlib.Path, *, file: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """One 835 file (bytes, or a path) as the rows a Spark task yields for it: the six tables
    of :func:`edi835.frames.rows` with control numbers, and ``issues``. Never raises for a
    bad file (see the module docstring). ``file`` defaults to the path."""
    return collect_rows(_read_835, source, file)


def arrow_schema(name: str) -> Any:
    """The pyarrow schema of table ``name`` (:func:`edi835.frames.arrow_schema`, or the
    ``issues`` table's)."""
    return issue_arrow_schema() if name == ISSUES else frames.arrow_schema(name)


def spark_schema(name: str) -> Any:
    """The Spark ``StructType`` of table ``name``, derived from :func:`arrow_schema`."""
    types = require("pyspark.sql.pandas.types")
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
    """The 835 files of folder ``path`` (file names matching ``pattern``, a glob; also in
    sub-folders when ``recursive``) as ``{table: DataFrame}``: the six tables of
    :mod:`edi835.frames` (or those named in ``tables``) and ``issues``.

    ``via="content"`` reads the files with Spark's ``binaryFile`` source (any file system);
    ``via="path"`` lists them on the driver and has the tasks open and stream them
    (``partitions`` tasks, default one per file up to 256). ``persist=True`` keeps the one
    pass over the files for all the tables. See the module docstring.
    """
    return read_folder_tables(
        spark,
        path,
        schema_of=arrow_schema,
        read=_read_835,
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
