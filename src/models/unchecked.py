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

from typing import Any, TypeVar, cast

import attrs

from models import claim as _claim
from models import common as _common
from models import dental as _dental
from models import institutional as _institutional
from models._construct import unchecked_constructor

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


Address = _builder(_common.Address)
Adjustment = _builder(_common.Adjustment)
AmbulanceTransport = _builder(_claim.AmbulanceTransport)
Attachment = _builder(_claim.Attachment)
Claim = _builder(_claim.Claim)
Condition = _builder(_claim.Condition)
Contact = _builder(_common.Contact)
DentalClaim = _builder(_dental.DentalClaim)
DentalServiceLine = _builder(_dental.DentalServiceLine)
DentalSubmission = _builder(_dental.DentalSubmission)
Diagnosis = _builder(_claim.Diagnosis)
DmeCertification = _builder(_claim.DmeCertification)
Drug = _builder(_claim.Drug)
EventDate = _builder(_claim.EventDate)
Form = _builder(_claim.Form)
InstitutionalClaim = _builder(_institutional.InstitutionalClaim)
InstitutionalDiagnosis = _builder(_institutional.InstitutionalDiagnosis)
InstitutionalLineAdjudication = _builder(_institutional.InstitutionalLineAdjudication)
InstitutionalOtherPayer = _builder(_institutional.InstitutionalOtherPayer)
InstitutionalServiceLine = _builder(_institutional.InstitutionalServiceLine)
InstitutionalSubmission = _builder(_institutional.InstitutionalSubmission)
LineAdjudication = _builder(_claim.LineAdjudication)
Note = _builder(_claim.Note)
Occurrence = _builder(_institutional.Occurrence)
OccurrenceSpan = _builder(_institutional.OccurrenceSpan)
Orthodontics = _builder(_dental.Orthodontics)
OtherPayer = _builder(_claim.OtherPayer)
Patient = _builder(_claim.Patient)
Payer = _builder(_claim.Payer)
Place = _builder(_claim.Place)
ProcedureCode = _builder(_institutional.ProcedureCode)
Provider = _builder(_claim.Provider)
Receiver = _builder(_claim.Receiver)
Reference = _builder(_claim.Reference)
ServiceLine = _builder(_claim.ServiceLine)
Submission = _builder(_claim.Submission)
Submitter = _builder(_claim.Submitter)
Subscriber = _builder(_claim.Subscriber)
Tooth = _builder(_dental.Tooth)
ToothStatus = _builder(_dental.ToothStatus)
ValueCode = _builder(_institutional.ValueCode)


def evolve(inst: _C, **changes: Any) -> _C:
    """``attrs.evolve`` through the unchecked constructor of ``inst``'s class."""
    cls = type(inst)
    for f in attrs.fields(cast(Any, cls)):
        name = f.alias or f.name
        if name not in changes:
            changes[name] = getattr(inst, f.name)
    made: _C = _builder(cls)(**changes)
    return made
