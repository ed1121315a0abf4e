"""Optional dependencies (pandas, pyarrow, pyspark), imported on first use with a clear hint."""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["require"]


def require(module: str, hint: str) -> Any:
    """Import ``module``, or raise ImportError saying which extra to install (``hint``)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(f"{module} is needed for this (an optional dependency): {hint}") from None
