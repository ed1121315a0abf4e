"""Dental claims: what a dentist bills (the 837D's content, 005010X224A2).

Reuses the professional claim's parts wherever the meaning is the same (parties, payers,
other payers and their adjudication, diagnoses, references, dates, notes, attachments:
:mod:`models.claim`); what is dental has its own typed fields: CDT procedures (SV301-2 with
SV301-1 = AD), oral cavity designation (SV304), prosthesis initial/replacement (SV305),
tooth information (TOO), orthodontic treatment months (DN1), tooth status (DN2),
predetermination of benefits (CLM19 = PB), the dental provider loops (assistant surgeon
2310D/2420B) and the dental dates (prior placement DTP*441, replacement DTP*446, appliance
placement DTP*452, treatment start/completion DTP*196/198).

Construction rejects only what can never be right (negative charge, more teeth than the guide
allows) and names the field, never the value. Shape checks that a lenient reader must survive
(a tooth number outside the Universal National Tooth Designation System, a surface code, a
non-CDT code) are made by the writer before writing, with field paths; :func:`is_tooth_number`,
:func:`is_tooth_surface` and :func:`models.codesets.is_cdt` are the checks.
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
from decimal import Decimal
from typing import Any

import attrs

from models.claim import (
    Attachment,
    ClaimFrequency,
    Diagnosis,
    EventDate,
    LineAdjudication,
    Note,
    OtherPayer,
    Patient,
    Payer,
    Provider,
    Receiver,
    Reference,
    Submitter,
    Subscriber,
)
from models.common import Address, UnmappedSegment, non_empty, to_decimal
from models.common import as_tuple as _as_tuple
from models.common import finite as _finite
from models.common import non_negative as _non_negative
from models.common import optional_decimal as _opt_dec
from models.common import tuple_field as _tuple

__all__ = [
    "DentalClaim",
    "DentalClaimDateKind",
    "DentalLineDateKind",
    "DentalServiceLine",
    "DentalSubmission",
    "OralCavity",
    "Orthodontics",
    "Prosthesis",
    "Tooth",
    "ToothStatus",
    "ToothStatusCode",
    "ToothSurface",
    "is_tooth_number",
    "is_tooth_surface",
]


def _at_most(limit: int) -> Any:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
        if len(value) > limit:
            raise ValueError(f"{attribute.name}: at most {limit}")

    return check


# --------------------------------------------------------------------------- code lists
class ToothSurface(enum.StrEnum):
    """TOO03 tooth surface codes."""

    BUCCAL = "B"
    DISTAL = "D"
    FACIAL = "F"
    INCISAL = "I"
    LINGUAL = "L"
    MESIAL = "M"
    OCCLUSAL = "O"


class OralCavity(enum.StrEnum):
    """SV304 oral cavity designation codes (area of the mouth)."""

    ENTIRE = "00"
    MAXILLARY = "01"
    MANDIBULAR = "02"
    OTHER = "09"
    UPPER_RIGHT = "10"
    UPPER_LEFT = "20"
    LOWER_LEFT = "30"
    LOWER_RIGHT = "40"
    LEFT = "L"
    RIGHT = "R"


class Prosthesis(enum.StrEnum):
    """SV305 prosthesis, crown or inlay code."""

    INITIAL = "I"
    REPLACEMENT = "R"


class ToothStatusCode(enum.StrEnum):
    """DN202 tooth status codes."""

    TO_BE_EXTRACTED = "E"
    IMPACTED = "I"
    MISSING = "M"


class DentalClaimDateKind(enum.StrEnum):
    """DTP01 qualifiers of the dental claim (2300) dates."""

    ACCIDENT = "439"
    APPLIANCE_PLACEMENT = "452"
    SERVICE = "472"
    ADMISSION = "435"
    DISCHARGE = "096"
    REPRICER_RECEIVED = "050"


class DentalLineDateKind(enum.StrEnum):
    """DTP01 qualifiers of the dental line (2400) dates."""

    SERVICE = "472"
    PRIOR_PLACEMENT = "441"
    APPLIANCE_PLACEMENT = "452"
    REPLACEMENT = "446"
    TREATMENT_START = "196"
    TREATMENT_COMPLETION = "198"


_PERMANENT = {str(n) for n in range(1, 33)}
_PRIMARY = {chr(c) for c in range(ord("A"), ord("T") + 1)}
_SUPERNUMERARY = {str(n) for n in range(51, 83)} | {f"{t}S" for t in _PRIMARY}
TOOTH_NUMBERS = frozenset(_PERMANENT | _PRIMARY | _SUPERNUMERARY)
_SURFACES = frozenset(s.value for s in ToothSurface)
_LEADING_ZERO = re.compile(r"0[1-9]")


def is_tooth_number(value: str) -> bool:
    """A tooth of the Universal National Tooth Designation System (TOO01/DN2 code list JP):
    permanent 1-32, primary A-T, supernumerary 51-82 and AS-TS. ``01``..``09`` are accepted
    for 1..9 (senders zero-pad them)."""
    return value in TOOTH_NUMBERS or bool(_LEADING_ZERO.fullmatch(value))


def is_tooth_surface(value: str) -> bool:
    """A TOO03 surface code: M, O, D, B, L, F or I."""
    return value in _SURFACES


# --------------------------------------------------------------------------- small parts
@attrs.frozen(slots=True)
class Tooth:
    """TOO: one tooth a line treats (TOO02, code list TOO01 = JP) and its surfaces (TOO03)."""

    number: str = attrs.field(validator=non_empty)  # TOO02
    surfaces: tuple[str, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_at_most(5)
    )  # TOO03-1..5
    code_list: str = "JP"  # TOO01


@attrs.frozen(slots=True)
class ToothStatus:
    """DN2: a tooth missing or to be extracted (prior placement, prosthesis claims)."""

    tooth: str = attrs.field(validator=non_empty)  # DN201
    status: str = attrs.field(validator=non_empty)  # DN202 (E, I, M)
    code_list: str | None = None  # DN206 (JP) when sent


@attrs.frozen(slots=True)
class Orthodontics:
    """DN1: orthodontic treatment months, total (DN101) and remaining (DN102)."""

    total_months: Decimal | None = attrs.field(default=None, converter=_opt_dec, validator=_finite)
    remaining_months: Decimal | None = attrs.field(
        default=None, converter=_opt_dec, validator=_finite
    )
    response: str | None = None  # DN103 (Y)
    description: str | None = None  # DN104 (questionnaire response)


# --------------------------------------------------------------------------- line / claim
def _pointers(instance: Any, attribute: attrs.Attribute[Any], value: tuple[int, ...]) -> None:
    if len(value) > 4:
        raise ValueError(f"{attribute.name}: at most 4 diagnosis pointers (SV311)")
    for p in value:
        if not isinstance(p, int) or isinstance(p, bool) or not 1 <= p <= 4:
            raise ValueError(f"{attribute.name}: pointers are 1..4")


@attrs.frozen(slots=True)
class DentalServiceLine:
    """2400: one dental service (LX, SV3, TOO, its dates, references and nested loops)."""

    procedure: str = attrs.field(validator=non_empty)  # SV301-2 (CDT, SV301-1 = AD)
    charge: Decimal = attrs.field(converter=to_decimal, validator=_non_negative)  # SV302
    service_date: _dt.date | None = None  # DTP*472 (D8, or RD8 start); None: the claim's
    service_date_end: _dt.date | None = None  # DTP*472 RD8 end
    modifiers: tuple[str, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_at_most(4)
    )  # SV301-3..6
    description: str | None = None  # SV301-7
    place_of_service: str | None = None  # SV303 (when it differs from CLM05-1)
    oral_cavity: tuple[str, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_at_most(5)
    )  # SV304-1..5 (OralCavity)
    prosthesis: str | None = None  # SV305 (Prosthesis: I initial, R replacement)
    quantity: Decimal | None = attrs.field(
        default=None, converter=_opt_dec, validator=_finite
    )  # SV306 procedure count
    diagnosis_pointers: tuple[int, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_pointers
    )  # SV311-1..4
    teeth: tuple[Tooth, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_at_most(32)
    )  # TOO
    prior_placement: _dt.date | None = None  # DTP*441
    appliance_placement: _dt.date | None = None  # DTP*452
    replacement: _dt.date | None = None  # DTP*446
    treatment_start: _dt.date | None = None  # DTP*196
    treatment_completion: _dt.date | None = None  # DTP*198
    control_number: str | None = None  # REF*6R line item control number
    references: tuple[Reference, ...] = _tuple()  # other REF (G3, G1, 9B, 9D, 9F)
    sales_tax: Decimal | None = attrs.field(
        default=None, converter=_opt_dec, validator=_finite
    )  # AMT*T
    note: Note | None = None  # NTE
    rendering_provider: Provider | None = None  # 2420A
    assistant_surgeon: Provider | None = None  # 2420B
    supervising_provider: Provider | None = None  # 2420C
    service_facility: Provider | None = None  # 2420D
    adjudications: tuple[LineAdjudication, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_at_most(15)
    )  # 2430 (SVD03-1 = AD)
    unmapped: tuple[UnmappedSegment, ...] = _tuple()  # incl. QTY, CN1, K3, HCP

    def __attrs_post_init__(self) -> None:
        if (
            self.service_date_end is not None
            and self.service_date is not None
            and self.service_date_end < self.service_date
        ):
            raise ValueError("service_date_end: must not be before service_date")


@attrs.frozen(slots=True)
class DentalClaim:
    """2300: one dental claim (or predetermination) with the parties of the HL levels above."""

    id: str = attrs.field(validator=non_empty)  # CLM01 patient control number
    charge: Decimal = attrs.field(converter=to_decimal, validator=_non_negative)  # CLM02
    place_of_service: str = attrs.field(validator=non_empty)  # CLM05-1
    billing_provider: Provider  # 2000A / 2010AA
    subscriber: Subscriber  # 2000B / 2010BA
    payer: Payer  # 2010BB
    service_lines: tuple[DentalServiceLine, ...] = _tuple()  # 2400 (1..50)
    patient: Patient | None = None  # 2000C / 2010CA; None when the patient is the subscriber
    pay_to_address: Address | None = None  # 2010AB
    pay_to_plan: Payer | None = None  # 2010AC
    predetermination: bool = False  # CLM19 = PB (predetermination of benefits, no payment)
    frequency: str = ClaimFrequency.ORIGINAL  # CLM05-3
    provider_signature: bool = True  # CLM06 Y/N
    assignment: str = "A"  # CLM07 (A, B, C)
    benefits_assigned: str = "Y"  # CLM08 (N, W, Y)
    release_of_information: str = "Y"  # CLM09 (I, Y)
    related_causes: tuple[str, ...] = _tuple()  # CLM11-1..2 (AA, EM, OA)
    accident_state: str | None = None  # CLM11-4
    accident_country: str | None = None  # CLM11-5
    special_program: str | None = None  # CLM12
    delay_reason: str | None = None  # CLM20
    dates: tuple[EventDate, ...] = _tuple()  # DTP (DentalClaimDateKind)
    orthodontics: Orthodontics | None = None  # DN1
    tooth_status: tuple[ToothStatus, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_at_most(35)
    )  # DN2
    attachments: tuple[Attachment, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_at_most(10)
    )  # PWK
    patient_paid: Decimal | None = attrs.field(
        default=None, converter=_opt_dec, validator=_finite
    )  # AMT*F5
    references: tuple[Reference, ...] = _tuple()  # REF (G3, 4N, F8, 9F, G1, 9A, 9C, D9)
    note: Note | None = None  # NTE
    diagnoses: tuple[Diagnosis, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_at_most(4)
    )  # HI ABK/ABF (up to 4 on a dental claim)
    referring_providers: tuple[Provider, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_at_most(2)
    )  # 2310A
    rendering_provider: Provider | None = None  # 2310B
    service_facility: Provider | None = None  # 2310C
    assistant_surgeon: Provider | None = None  # 2310D
    supervising_provider: Provider | None = None  # 2310E
    # 2320/2330A-G; an other payer's assistant surgeon (2330H) stays in its ``unmapped``.
    other_payers: tuple[OtherPayer, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_at_most(10)
    )
    unmapped: tuple[UnmappedSegment, ...] = _tuple()  # incl. CN1, K3, HCP

    @property
    def line_total(self) -> Decimal:
        """The sum of the lines' charges (SV302), which CLM02 must equal."""
        return sum((line.charge for line in self.service_lines), Decimal(0))


@attrs.frozen(slots=True)
class DentalSubmission:
    """One 837D transaction set: submitter (1000A), receiver (1000B), BHT and the claims."""

    submitter: Submitter
    receiver: Receiver
    claims: tuple[DentalClaim, ...] = _tuple()
    reference: str = attrs.field(default="0001", validator=non_empty)  # BHT03
    created: _dt.date | None = None  # BHT04 (None: the writer's timestamp)
    created_time: str | None = None  # BHT05
    purpose: str = "00"  # BHT02 (00 original, 18 reissue)
    transaction_type: str = "CH"  # BHT06 (CH chargeable, RP reporting)
    implementation: str = "005010X224A2"  # ST03 / GS08 as read
    structure: str = "0019"  # BHT01
    unmapped: tuple[UnmappedSegment, ...] = _tuple()
