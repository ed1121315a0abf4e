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

import pathlib
from collections.abc import Iterator, Sequence
from typing import Any

from edi837 import frames
from edi837.reader import iter_submissions
from x12.envelope import EnvelopeReader
from x12.errors import IssueLog, X12Error
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
        with opened(source) as data:
            for tx in EnvelopeReader(data, log=IssueLog()).transactions():
                if tx.id == "837" and tx.implementation.startswith("005010X222"):
                    icn = tx.interchange.control_number
                    found.append((icn or None, tx.control_number or None))
    except (X12Error, OSError):
        pass
    return found


def _read_837(source: bytes | str, file: str, log: IssueLog) -> Iterator[dict[str, list[Row]]]:
    controls = _controls(source)
    with opened(source) as data:
        for t, sub in enumerate(iter_submissions(data, log=log)):
            ctl = controls[t] if t < len(controls) else (None, None)
            yield frames.rows([sub], file=file, controls=[ctl], first_transaction=t)


def read_file_rows(
    source: bytes | str | pathlib.Path, *, file: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """One 837P file (bytes, or a path) as the rows a Spark task yields for it: the tables of
    :func:`edi837.frames.rows` with control numbers, and ``issues``. Never raises for a bad
    file (see the module docstring). ``file`` defaults to the path."""
    return collect_rows(_read_837, source, file)


def arrow_schema(name: str) -> Any:
    """The pyarrow schema of table ``name`` (:func:`edi837.frames.arrow_schema`, or the
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
    """The 837P files of folder ``path`` (file names matching ``pattern``, a glob; also in
    sub-folders when ``recursive``) as ``{table: DataFrame}``: ``claims`` and
    ``service_lines`` (or those named in ``tables``) and ``issues``.

    ``via="content"`` reads the files with Spark's ``binaryFile`` source (any file system);
    ``via="path"`` lists them on the driver and has the tasks open and stream them
    (``partitions`` tasks, default one per file up to 256). ``persist=True`` keeps the one
    pass over the files for all the tables. See :mod:`edi835.spark`.
    """
    return read_folder_tables(
        spark,
        path,
        schema_of=arrow_schema,
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
