"""Shared fixtures. Corpus helpers live in _corpus.py (``from _corpus import corpus_files``)."""

from __future__ import annotations

import os
import pathlib
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from _corpus import CORPUS


@pytest.fixture
def corpus() -> pathlib.Path:
    """The shared corpus folder; skips the test with a clear message when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS} (clone ../shared beside the repo)")
    return CORPUS


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """A local Spark session (two cores) for the Spark tests. Its Python workers run this
    interpreter unless ``PYSPARK_PYTHON`` names one (PySpark's default is the first
    ``python3`` on the path: a run under another Python version fails in every task)."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("x12-claims-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
