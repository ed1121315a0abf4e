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

from models._construct import unchecked_constructor
from models.claim import (
    AmbulanceTransport as _AmbulanceTransport,
)
from models.claim import (
    Attachment as _Attachment,
)
from models.claim import (
    Claim as _Claim,
)
from models.claim import (
    Condition as _Condition,
)
from models.claim import (
    Diagnosis as _Diagnosis,
)
from models.claim import (
    DmeCertification as _DmeCertification,
)
from models.claim import (
    Drug as _Drug,
)
from models.claim import (
    EventDate as _EventDate,
)
from models.claim import (
    Form as _Form,
)
from models.claim import (
    LineAdjudication as _LineAdjudication,
)
from models.claim import (
    Note as _Note,
)
from models.claim import (
    OtherPayer as _OtherPayer,
)
from models.claim import (
    Patient as _Patient,
)
from models.claim import (
    Payer as _Payer,
)
from models.claim import (
    Place as _Place,
)
from models.claim import (
    Provider as _Provider,
)
from models.claim import (
    Receiver as _Receiver,
)
from models.claim import (
    Reference as _Reference,
)
from models.claim import (
    ServiceLine as _ServiceLine,
)
from models.claim import (
    Submission as _Submission,
)
from models.claim import (
    Submitter as _Submitter,
)
from models.claim import (
    Subscriber as _Subscriber,
)
from models.common import (
    Address as _Address,
)
from models.common import (
    Adjustment as _Adjustment,
)
from models.common import (
    Contact as _Contact,
)
from models.dental import (
    DentalClaim as _DentalClaim,
)
from models.dental import (
    DentalServiceLine as _DentalServiceLine,
)
from models.dental import (
    DentalSubmission as _DentalSubmission,
)
from models.dental import (
    Orthodontics as _Orthodontics,
)
from models.dental import (
    Tooth as _Tooth,
)
from models.dental import (
    ToothStatus as _ToothStatus,
)
from models.institutional import (
    InstitutionalClaim as _InstitutionalClaim,
)
from models.institutional import (
    InstitutionalDiagnosis as _InstitutionalDiagnosis,
)
from models.institutional import (
    InstitutionalLineAdjudication as _InstitutionalLineAdjudication,
)
from models.institutional import (
    InstitutionalOtherPayer as _InstitutionalOtherPayer,
)
from models.institutional import (
    InstitutionalServiceLine as _InstitutionalServiceLine,
)
from models.institutional import (
    InstitutionalSubmission as _InstitutionalSubmission,
)
from models.institutional import (
    Occurrence as _Occurrence,
)
from models.institutional import (
    OccurrenceSpan as _OccurrenceSpan,
)
from models.institutional import (
    ProcedureCode as _ProcedureCode,
)
from models.institutional import (
    ValueCode as _ValueCode,
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

Address = unchecked_constructor(_Address)
Adjustment = unchecked_constructor(_Adjustment)
AmbulanceTransport = unchecked_constructor(_AmbulanceTransport)
Attachment = unchecked_constructor(_Attachment)
Claim = unchecked_constructor(_Claim)
Condition = unchecked_constructor(_Condition)
Contact = unchecked_constructor(_Contact)
DentalClaim = unchecked_constructor(_DentalClaim)
DentalServiceLine = unchecked_constructor(_DentalServiceLine)
DentalSubmission = unchecked_constructor(_DentalSubmission)
Diagnosis = unchecked_constructor(_Diagnosis)
DmeCertification = unchecked_constructor(_DmeCertification)
Drug = unchecked_constructor(_Drug)
EventDate = unchecked_constructor(_EventDate)
Form = unchecked_constructor(_Form)
InstitutionalClaim = unchecked_constructor(_InstitutionalClaim)
InstitutionalDiagnosis = unchecked_constructor(_InstitutionalDiagnosis)
InstitutionalLineAdjudication = unchecked_constructor(_InstitutionalLineAdjudication)
InstitutionalOtherPayer = unchecked_constructor(_InstitutionalOtherPayer)
InstitutionalServiceLine = unchecked_constructor(_InstitutionalServiceLine)
InstitutionalSubmission = unchecked_constructor(_InstitutionalSubmission)
LineAdjudication = unchecked_constructor(_LineAdjudication)
Note = unchecked_constructor(_Note)
Occurrence = unchecked_constructor(_Occurrence)
OccurrenceSpan = unchecked_constructor(_OccurrenceSpan)
Orthodontics = unchecked_constructor(_Orthodontics)
OtherPayer = unchecked_constructor(_OtherPayer)
Patient = unchecked_constructor(_Patient)
Payer = unchecked_constructor(_Payer)
Place = unchecked_constructor(_Place)
ProcedureCode = unchecked_constructor(_ProcedureCode)
Provider = unchecked_constructor(_Provider)
Receiver = unchecked_constructor(_Receiver)
Reference = unchecked_constructor(_Reference)
ServiceLine = unchecked_constructor(_ServiceLine)
Submission = unchecked_constructor(_Submission)
Submitter = unchecked_constructor(_Submitter)
Subscriber = unchecked_constructor(_Subscriber)
Tooth = unchecked_constructor(_Tooth)
ToothStatus = unchecked_constructor(_ToothStatus)
ValueCode = unchecked_constructor(_ValueCode)


_BUILDERS: dict[type[Any], type[Any]] = {}


def evolve(inst: _C, **changes: Any) -> _C:
    """``attrs.evolve`` through the unchecked constructor of ``inst``'s class."""
    cls = type(inst)
    builder = _BUILDERS.get(cls)
    if builder is None:
        builder = _BUILDERS[cls] = unchecked_constructor(cls)
    for f in attrs.fields(cast(Any, cls)):
        name = f.alias or f.name
        if name not in changes:
            changes[name] = getattr(inst, f.name)
    made: _C = builder(**changes)
    return made
