"""Typed models of claims and remittances, with domain names and no X12 in them.

The main names are importable from here (``from models import Claim, Remittance``); they
live in small modules whose names say what they hold: :mod:`models.claim` (837P claims and
their parties), :mod:`models.institutional` (837I), :mod:`models.dental` (837D),
:mod:`models.remittance` (835), :mod:`models.remittance_records` (payment and denial
records), :mod:`models.acknowledgment` (277CA), :mod:`models.reconcile`,
:mod:`models.common` (addresses, contacts, adjustments, NPI check), :mod:`models.codesets`
(offline code-set checks), :mod:`models.json`. Submodules are imported on first use, so
``import models`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from models.claim import (
        Claim,
        Diagnosis,
        OtherPayer,
        Patient,
        Payer,
        Provider,
        Receiver,
        ServiceLine,
        Submission,
        Submitter,
        Subscriber,
    )
    from models.dental import (
        DentalClaim,
        DentalServiceLine,
        DentalSubmission,
        Orthodontics,
        Tooth,
        ToothStatus,
    )
    from models.institutional import (
        InstitutionalClaim,
        InstitutionalDiagnosis,
        InstitutionalLineAdjudication,
        InstitutionalOtherPayer,
        InstitutionalServiceLine,
        InstitutionalSubmission,
        Occurrence,
        OccurrenceSpan,
        PresentOnAdmission,
        ProcedureCode,
        UnitOrDays,
        ValueCode,
    )
    from models.remittance import (
        ClaimPayment,
        ClaimStatus,
        ProviderAdjustment,
        Remittance,
        ServicePayment,
    )
    from models.remittance_records import (
        DenialRecord,
        PaymentRecord,
        denial_records,
        payment_records,
    )

_LAZY: dict[str, str] = {
    **dict.fromkeys(
        (
            "Claim",
            "Diagnosis",
            "OtherPayer",
            "Patient",
            "Payer",
            "Provider",
            "Receiver",
            "ServiceLine",
            "Submission",
            "Submitter",
            "Subscriber",
        ),
        "models.claim",
    ),
    **dict.fromkeys(
        ("ClaimPayment", "ClaimStatus", "ProviderAdjustment", "Remittance", "ServicePayment"),
        "models.remittance",
    ),
    **dict.fromkeys(
        (
            "DentalClaim",
            "DentalServiceLine",
            "DentalSubmission",
            "Orthodontics",
            "Tooth",
            "ToothStatus",
        ),
        "models.dental",
    ),
    **dict.fromkeys(
        (
            "InstitutionalClaim",
            "InstitutionalDiagnosis",
            "InstitutionalLineAdjudication",
            "InstitutionalOtherPayer",
            "InstitutionalServiceLine",
            "InstitutionalSubmission",
            "Occurrence",
            "OccurrenceSpan",
            "PresentOnAdmission",
            "ProcedureCode",
            "UnitOrDays",
            "ValueCode",
        ),
        "models.institutional",
    ),
    **dict.fromkeys(
        ("DenialRecord", "PaymentRecord", "denial_records", "payment_records"),
        "models.remittance_records",
    ),
}

__all__ = [
    "Address",
    "Adjustment",
    "AdjustmentGroup",
    "Claim",
    "ClaimPayment",
    "ClaimStatus",
    "Contact",
    "DenialRecord",
    "DentalClaim",
    "DentalServiceLine",
    "DentalSubmission",
    "Diagnosis",
    "InstitutionalClaim",
    "InstitutionalDiagnosis",
    "InstitutionalLineAdjudication",
    "InstitutionalOtherPayer",
    "InstitutionalServiceLine",
    "InstitutionalSubmission",
    "Occurrence",
    "OccurrenceSpan",
    "Orthodontics",
    "OtherPayer",
    "Patient",
    "Payer",
    "PaymentRecord",
    "PresentOnAdmission",
    "ProcedureCode",
    "Provider",
    "ProviderAdjustment",
    "Receiver",
    "Remittance",
    "ServiceLine",
    "ServicePayment",
    "Submission",
    "Submitter",
    "Subscriber",
    "Tooth",
    "ToothStatus",
    "UnitOrDays",
    "UnmappedSegment",
    "ValueCode",
    "denial_records",
    "is_valid_npi",
    "payment_records",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'models' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
