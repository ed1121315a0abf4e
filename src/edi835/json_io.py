"""JSON for remittances: a cattrs converter (Decimal as a string, dates as ISO 8601).

Written here because the shared converter (``models.json``) had not landed yet; the shapes
are the same (field names of the attrs models; None for absent values), so switching to it
changes nothing for a reader of the JSON.
"""

from __future__ import annotations

import datetime as _dt
import json
from decimal import Decimal
from typing import Any

import cattrs

from models.remittance import Remittance

__all__ = ["converter", "from_json", "to_json"]

converter = cattrs.Converter(forbid_extra_keys=True)
converter.register_unstructure_hook(Decimal, str)
converter.register_structure_hook(Decimal, lambda v, _: _decimal(v))
converter.register_unstructure_hook(_dt.date, lambda d: d.isoformat())
converter.register_structure_hook(_dt.date, lambda v, _: _dt.date.fromisoformat(v))


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError("expected a decimal number as a string")
    d = Decimal(value)
    if not d.is_finite():
        raise ValueError("expected a finite decimal number")
    return d


def to_json(remittances: list[Remittance], *, indent: int | None = 2) -> str:
    """The remittances as a JSON array."""
    return json.dumps(converter.unstructure(remittances, list[Remittance]), indent=indent)


def from_json(text: str | bytes) -> list[Remittance]:
    """Remittances from :func:`to_json` output (raises ValueError with a path on bad input)."""
    data = json.loads(text)
    try:
        return converter.structure(data, list[Remittance])
    except cattrs.BaseValidationError as exc:
        msgs = cattrs.transform_error(exc, path="$")
        raise ValueError("; ".join(msgs)) from None
