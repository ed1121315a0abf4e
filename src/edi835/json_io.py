"""JSON for remittances through the shared converter (:mod:`models.json`: Decimal as a
string, dates as ISO 8601, field names of the attrs models)."""

from __future__ import annotations

from models import json as _mjson
from models.remittance import Remittance

__all__ = ["converter", "from_json", "to_json"]

converter = _mjson.converter


def to_json(remittances: list[Remittance], *, indent: int | None = 2) -> str:
    """The remittances as a JSON array."""
    return _mjson.to_json(remittances, indent=indent)


def from_json(text: str | bytes) -> list[Remittance]:
    """Remittances from :func:`to_json` output (ValueError naming each bad path)."""
    result: list[Remittance] = _mjson.from_json(text, list[Remittance])
    return result
