"""The models' unchecked constructors, for the 837 readers.

Each name is the model class of the same name built by
:func:`models._construct.unchecked_constructor`: the same signature, converters and
``__attrs_post_init__``, no validators. A lenient reader builds models from values it has
checked itself (and keeps what it could not model as unmapped segments), so it skips the
validators without switching them off for the whole process (``attrs.validators.set_disabled``
is global: it would switch them off for every other thread too). :func:`evolve` is
``attrs.evolve`` the same way.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, TypeVar, cast

import attrs

from models._construct import unchecked_constructor

if TYPE_CHECKING:  # for checkers each name is its class: the same signature
    from models.claim import (
        AmbulanceTransport,
        Attachment,
        Claim,
        Condition,
        Diagnosis,
        DmeCertification,
        Drug,
        EventDate,
        Form,
        LineAdjudication,
        Note,
        OtherPayer,
        Patient,
        Payer,
        Place,
        Provider,
        Receiver,
        Reference,
        ServiceLine,
        Submission,
        Submitter,
        Subscriber,
    )
    from models.common import Address, Adjustment, Contact
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
        ProcedureCode,
        ValueCode,
    )

_C = TypeVar("_C")

__all__ = [
    "Address",
    "Adjustment",
    "AmbulanceTransport",
    "Attachment",
    "Claim",
    "Condition",
    "Contact",
    "DentalClaim",
    "DentalServiceLine",
    "DentalSubmission",
    "Diagnosis",
    "DmeCertification",
    "Drug",
    "EventDate",
    "Form",
    "InstitutionalClaim",
    "InstitutionalDiagnosis",
    "InstitutionalLineAdjudication",
    "InstitutionalOtherPayer",
    "InstitutionalServiceLine",
    "InstitutionalSubmission",
    "LineAdjudication",
    "Note",
    "Occurrence",
    "OccurrenceSpan",
    "Orthodontics",
    "OtherPayer",
    "Patient",
    "Payer",
    "Place",
    "ProcedureCode",
    "Provider",
    "Receiver",
    "Reference",
    "ServiceLine",
    "Submission",
    "Submitter",
    "Subscriber",
    "Tooth",
    "ToothStatus",
    "ValueCode",
    "evolve",
]

# one builder per class, shared by the names below and by evolve()
_BUILDERS: dict[type[Any], type[Any]] = {}


def _builder(cls: type[_C]) -> type[_C]:
    found = _BUILDERS.get(cls)
    if found is None:
        found = _BUILDERS[cls] = unchecked_constructor(cls)
    return found


#: The module of each name's class. A name is built on first use (PEP 562 ``__getattr__``):
#: a reader imports the models it makes, not the others (the 837P reader, not the 837I and
#: 837D ones: a fifth of ``import edi837``).
_HOMES: dict[str, tuple[str, ...]] = {
    "models.common": ("Address", "Adjustment", "Contact"),
    "models.claim": (
        "AmbulanceTransport",
        "Attachment",
        "Claim",
        "Condition",
        "Diagnosis",
        "DmeCertification",
        "Drug",
        "EventDate",
        "Form",
        "LineAdjudication",
        "Note",
        "OtherPayer",
        "Patient",
        "Payer",
        "Place",
        "Provider",
        "Receiver",
        "Reference",
        "ServiceLine",
        "Submission",
        "Submitter",
        "Subscriber",
    ),
    "models.dental": (
        "DentalClaim",
        "DentalServiceLine",
        "DentalSubmission",
        "Orthodontics",
        "Tooth",
        "ToothStatus",
    ),
    "models.institutional": (
        "InstitutionalClaim",
        "InstitutionalDiagnosis",
        "InstitutionalLineAdjudication",
        "InstitutionalOtherPayer",
        "InstitutionalServiceLine",
        "InstitutionalSubmission",
        "Occurrence",
        "OccurrenceSpan",
        "ProcedureCode",
        "ValueCode",
    ),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    """The unchecked constructor ``name``, built on first use and kept as a module global."""
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    built = _builder(getattr(importlib.import_module(home), name))
    globals()[name] = built
    return built


def evolve(inst: _C, **changes: Any) -> _C:
    """``attrs.evolve`` through the unchecked constructor of ``inst``'s class."""
    cls = type(inst)
    for f in attrs.fields(cast(Any, cls)):
        name = f.alias or f.name
        if name not in changes:
            changes[name] = getattr(inst, f.name)
    made: _C = _builder(cls)(**changes)
    return made
