"""Shared fixtures. Corpus helpers live in _corpus.py (``from _corpus import corpus_files``)."""

from __future__ import annotations

import pathlib

import pytest

from _corpus import CORPUS


@pytest.fixture
def corpus() -> pathlib.Path:
    """The shared corpus folder; skips the test with a clear message when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS} (clone ../shared beside the repo)")
    return CORPUS
