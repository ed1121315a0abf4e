"""Make sure ``import models`` finds this library's models, not a user's models.py."""

from __future__ import annotations

import importlib


def require_library_models() -> None:
    """Raise ImportError naming the shadowing file when ``models`` is not ours."""
    mod = importlib.import_module("models")
    if not getattr(mod, "__x12_claims__", False):
        where = getattr(mod, "__file__", None) or "an unknown location"
        raise ImportError(
            "x12-claims needs its own top-level package 'models', but 'import models' found "
            f"{where}. Rename your module (or move it off sys.path) so it does not shadow "
            "x12-claims' models."
        )
