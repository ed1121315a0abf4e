"""Typed models of claims and remittances, with domain names and no X12 in them."""

#: Marker checked by ``edi837`` and ``edi835``: a different top-level ``models`` module (a
#: user's own ``models.py`` beside a script) must fail loudly, not confuse them later.
__x12_claims__ = True

from models.common import (
    Address,
    Adjustment,
    AdjustmentGroup,
    Contact,
    UnmappedSegment,
    is_valid_npi,
)

__all__ = [
    "Address",
    "Adjustment",
    "AdjustmentGroup",
    "Contact",
    "UnmappedSegment",
    "is_valid_npi",
]
