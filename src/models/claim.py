"""Professional claims: what a provider bills (the 837P's content, 005010X222A1).

Plain attrs classes with domain names; comments cite the X222A1 element each field carries
(CLM02, SV101-2...). Money is :class:`decimal.Decimal`, dates :class:`datetime.date`.

A :class:`Claim` is self-contained: it names its billing provider, subscriber, payer and (when
the patient is not the subscriber) patient. A writer groups claims into the guide's HL
hierarchy (billing provider -> subscriber -> patient); a reader gives each claim the parties
of the levels above it. Coded values whose list the guide closes have ``StrEnum`` classes
here; the fields are ``str`` so a lenient reader keeps what a sender actually sent (a member
compares equal to its code).

Validation at construction rejects only what can never be right (a bad NPI check digit, a
negative charge, an empty required value) and names the field, never the value.

Every loop object carries ``unmapped``: segments a reader kept without modelling them; a
writer puts them back at their guide position, so a file read and written back loses nothing.
"""

from __future__ import annotations

import datetime as _dt
import enum
from decimal import Decimal
from typing import Any

import attrs

from models.common import (
    Address,
    Adjustment,
    Contact,
    UnmappedSegment,
    non_empty,
    optional_npi,
    to_decimal,
)
from models.common import as_tuple as _as_tuple
from models.common import finite as _finite
from models.common import non_negative as _non_negative
from models.common import optional_decimal as _opt_dec
from models.common import tuple_field as _tuple

__all__ = [
    "AmbulanceTransport",
    "Attachment",
    "Claim",
    "ClaimDateKind",
    "ClaimFrequency",
    "ClaimReferenceKind",
    "Condition",
    "Diagnosis",
    "DmeCertification",
    "Drug",
    "EntityType",
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
    "UnitType",
]


def _optional_non_negative(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _non_negative(instance, attribute, value)


def _opt_str_non_empty(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ValueError(f"{attribute.name}: must not be empty when given")


# --------------------------------------------------------------------------- code lists
class EntityType(enum.StrEnum):
    """NM102 entity type qualifier."""

    PERSON = "1"
    ORGANIZATION = "2"


class ClaimFrequency(enum.StrEnum):
    """CLM05-3 claim frequency type code (X222A1 uses 1, 7 and 8)."""

    ORIGINAL = "1"
    REPLACEMENT = "7"
    VOID = "8"


class UnitType(enum.StrEnum):
    """SV103 unit or basis for measurement."""

    UNITS = "UN"
    MINUTES = "MJ"  # anesthesia time


class ClaimDateKind(enum.StrEnum):
    """DTP01 qualifiers of the claim (2300) dates."""

    ONSET = "431"
    INITIAL_TREATMENT = "454"
    LAST_SEEN = "304"
    ACUTE_MANIFESTATION = "453"
    ACCIDENT = "439"
    LAST_MENSTRUAL_PERIOD = "484"
    LAST_XRAY = "455"
    PRESCRIPTION = "471"
    DISABILITY = "314"
    DISABILITY_BEGIN = "360"
    DISABILITY_END = "361"
    LAST_WORKED = "297"
    RETURN_TO_WORK = "296"
    ADMISSION = "435"
    DISCHARGE = "096"
    ASSUMED_CARE = "090"
    RELINQUISHED_CARE = "091"
    FIRST_CONTACT = "444"
    REPRICER_RECEIVED = "050"


class ClaimReferenceKind(enum.StrEnum):
    """REF01 qualifiers of the claim (2300) references."""

    SERVICE_AUTHORIZATION_EXCEPTION = "4N"
    MEDICARE_CROSSOVER = "F5"
    MAMMOGRAPHY_CERTIFICATION = "EW"
    REFERRAL = "9F"
    PRIOR_AUTHORIZATION = "G1"
    PAYER_CLAIM_CONTROL_NUMBER = "F8"
    CLIA = "X4"
    REPRICED_CLAIM = "9A"
    ADJUSTED_REPRICED_CLAIM = "9C"
    INVESTIGATIONAL_DEVICE_EXEMPTION = "LX"
    CLEARINGHOUSE_TRACE = "D9"
    MEDICAL_RECORD_NUMBER = "EA"
    DEMONSTRATION_PROJECT = "P4"
    CARE_PLAN_OVERSIGHT = "1J"


# --------------------------------------------------------------------------- small parts
@attrs.frozen(slots=True)
class Reference:
    """A reference identification (REF01 qualifier, REF02 value, REF03 description)."""

    qualifier: str = attrs.field(validator=non_empty)
    value: str = attrs.field(validator=non_empty)
    description: str | None = None


@attrs.frozen(slots=True)
class EventDate:
    """A dated event (DTP): DTP01 qualifier, DTP03 as one date (D8) or a range (RD8)."""

    kind: str = attrs.field(validator=non_empty)  # DTP01
    start: _dt.date
    end: _dt.date | None = None  # RD8 when given

    def __attrs_post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError("end: must not be before start")


@attrs.frozen(slots=True)
class Note:
    """NTE: NTE01 reference code (ADD, CER, DCP, DGN, TPO), NTE02 text."""

    code: str = attrs.field(validator=non_empty)
    text: str = attrs.field(validator=non_empty)


@attrs.frozen(slots=True)
class Attachment:
    """PWK: a supporting document (PWK01 report type, PWK02 transmission, PWK06 control)."""

    report_type: str = attrs.field(validator=non_empty)  # PWK01
    transmission: str = attrs.field(validator=non_empty)  # PWK02 (AA, BM, EL, EM, FT, FX)
    control_number: str | None = None  # PWK06 (PWK05 = AC)


@attrs.frozen(slots=True)
class Condition:
    """CRC: a condition indicator (CRC01 category, CRC02 Y/N, CRC03-07 condition codes)."""

    category: str = attrs.field(validator=non_empty)  # CRC01 (07, E1, 75, ZZ, 70, 09)
    applies: bool  # CRC02 Y/N
    codes: tuple[str, ...] = _tuple()  # CRC03..CRC07


@attrs.frozen(slots=True)
class AmbulanceTransport:
    """CR1 ambulance transport information (2300 or 2400)."""

    reason: str = attrs.field(validator=non_empty)  # CR104 (A-E)
    distance_miles: Decimal = attrs.field(converter=to_decimal, validator=_non_negative)  # CR106
    patient_weight_lbs: Decimal | None = attrs.field(
        default=None, converter=_opt_dec, validator=_finite
    )  # CR102 (CR101 = LB)
    round_trip_purpose: str | None = None  # CR109
    stretcher_purpose: str | None = None  # CR110


@attrs.frozen(slots=True)
class DmeCertification:
    """CR3 durable medical equipment certification (2400)."""

    certification_type: str = attrs.field(validator=non_empty)  # CR301 (I, R, S)
    duration_months: Decimal = attrs.field(converter=to_decimal, validator=_non_negative)  # CR303


@attrs.frozen(slots=True)
class Form:
    """2440: a form (LQ01 = UT, LQ02 form id) and its answers (FRM)."""

    form_id: str = attrs.field(validator=non_empty)  # LQ02
    answers: tuple[tuple[str, ...], ...] = _tuple()  # FRM01..FRM05 each, trailing empties cut
    qualifier: str = "UT"  # LQ01
    unmapped: tuple[UnmappedSegment, ...] = _tuple()


@attrs.frozen(slots=True)
class Drug:
    """2410 drug identification: LIN03 NDC, CTP04 quantity, CTP05-1 unit, REF VY/XZ."""

    ndc: str = attrs.field(validator=non_empty)  # LIN03 (LIN02 = N4)
    quantity: Decimal = attrs.field(converter=to_decimal, validator=_non_negative)  # CTP04
    unit: str = attrs.field(validator=non_empty)  # CTP05-1 (F2, GR, ME, ML, UN)
    id_qualifier: str = "N4"  # LIN02
    prescription: Reference | None = None  # REF VY (link sequence) / XZ (prescription number)
    unmapped: tuple[UnmappedSegment, ...] = _tuple()


@attrs.frozen(slots=True)
class Diagnosis:
    """One diagnosis code of HI (ICD-10-CM unless ``icd9``); the first of a claim is principal."""

    code: str = attrs.field(validator=non_empty)  # HI0n-2
    icd9: bool = False  # HI0n-1 BK/BF instead of ABK/ABF


@attrs.frozen(slots=True)
class Place:
    """A location without identifiers: ambulance pick-up (NM1*PW) / drop-off (NM1*45)."""

    address: Address
    name: str | None = None  # NM103 (drop-off only)
    unmapped: tuple[UnmappedSegment, ...] = _tuple()


# --------------------------------------------------------------------------- parties
@attrs.frozen(slots=True)
class Submitter:
    """1000A submitter (NM1*41) and its EDI contacts (PER)."""

    name: str = attrs.field(validator=non_empty)  # NM103
    id: str = attrs.field(validator=non_empty)  # NM109 (NM108 = 46)
    contacts: tuple[Contact, ...] = _tuple()  # PER (at least one when writing)
    entity_type: str = EntityType.ORGANIZATION  # NM102
    first_name: str | None = None  # NM104
    middle_name: str | None = None  # NM105
    unmapped: tuple[UnmappedSegment, ...] = _tuple()


@attrs.frozen(slots=True)
class Receiver:
    """1000B receiver (NM1*40)."""

    name: str = attrs.field(validator=non_empty)  # NM103
    id: str = attrs.field(validator=non_empty)  # NM109 (NM108 = 46)
    unmapped: tuple[UnmappedSegment, ...] = _tuple()


@attrs.frozen(slots=True)
class Provider:
    """A provider, person or organization: billing (2000A/2010AA), rendering, referring,
    service facility, supervising, ordering, purchased service (2310x, 2420x) or an other
    payer's provider (2330C-G, identified by ``secondary_ids`` only).
    """

    # NM103 last or organization name (not used for 2330C-G, 2420B: None there)
    name: str | None = attrs.field(default=None, validator=_opt_str_non_empty)
    npi: str | None = attrs.field(default=None, validator=optional_npi)  # NM109 (NM108 = XX)
    entity_type: str = EntityType.ORGANIZATION  # NM102
    first_name: str | None = None  # NM104
    middle_name: str | None = None  # NM105
    suffix: str | None = None  # NM107
    role: str | None = None  # NM101 where a loop allows several (2310A/2420F: DN or P3)
    taxonomy: str | None = None  # PRV03 (PRV02 = PXC)
    tax_id: str | None = None  # REF02 of REF*EI (employer id) or REF*SY (SSN)
    tax_id_type: str = "EI"  # REF01 of the tax id
    address: Address | None = None  # N3/N4
    contacts: tuple[Contact, ...] = _tuple()  # PER
    secondary_ids: tuple[Reference, ...] = _tuple()  # REF (0B, 1G, G2, LU)
    currency: str | None = None  # CUR02 (2000A, CUR01 = 85)
    unmapped: tuple[UnmappedSegment, ...] = _tuple()


@attrs.frozen(slots=True)
class Payer:
    """A payer (2010BB NM1*PR, 2330B) or the pay-to plan (2010AC NM1*PE)."""

    name: str = attrs.field(validator=non_empty)  # NM103
    id: str = attrs.field(validator=non_empty)  # NM109
    id_qualifier: str = "PI"  # NM108 (PI payer id, XV CMS plan id)
    address: Address | None = None  # N3/N4
    secondary_ids: tuple[Reference, ...] = _tuple()  # REF (2U, EI, FY, NF, G2, LU...)
    unmapped: tuple[UnmappedSegment, ...] = _tuple()


@attrs.frozen(slots=True)
class Subscriber:
    """The insured (2000B SBR + 2010BA NM1*IL, or 2320 SBR + 2330A for an other payer)."""

    last_name: str = attrs.field(validator=non_empty)  # NM103
    member_id: str = attrs.field(validator=non_empty)  # NM109
    first_name: str | None = None  # NM104
    middle_name: str | None = None  # NM105
    suffix: str | None = None  # NM107
    entity_type: str = EntityType.PERSON  # NM102
    id_qualifier: str = "MI"  # NM108 (MI member id, II unique health id)
    payer_responsibility: str = "P"  # SBR01 (P, S, T, A-H, U)
    relationship: str | None = None  # SBR02; 2000B: None = derived (18 when no patient)
    group_number: str | None = None  # SBR03
    group_name: str | None = None  # SBR04
    insurance_type: str | None = None  # SBR05 (Medicare secondary type)
    claim_filing_code: str = "CI"  # SBR09 (CI commercial, MB Medicare B, MC Medicaid...)
    address: Address | None = None  # N3/N4
    birth_date: _dt.date | None = None  # DMG02
    gender: str | None = None  # DMG03 (F, M, U)
    secondary_ids: tuple[Reference, ...] = _tuple()  # REF SY / Y4
    contacts: tuple[Contact, ...] = _tuple()  # PER (property and casualty)
    unmapped: tuple[UnmappedSegment, ...] = _tuple()  # incl. 2000B PAT


@attrs.frozen(slots=True)
class Patient:
    """The patient when not the subscriber (2000C PAT + 2010CA NM1*QC)."""

    last_name: str = attrs.field(validator=non_empty)  # NM103
    relationship: str = attrs.field(validator=non_empty)  # PAT01 (01 spouse, 19 child, ...)
    address: Address | None = None  # N3/N4 (required by the guide)
    birth_date: _dt.date | None = None  # DMG02 (required by the guide)
    gender: str | None = None  # DMG03
    first_name: str | None = None  # NM104
    middle_name: str | None = None  # NM105
    suffix: str | None = None  # NM107
    secondary_ids: tuple[Reference, ...] = _tuple()  # REF Y4 / 1W / SY
    contacts: tuple[Contact, ...] = _tuple()  # PER
    unmapped: tuple[UnmappedSegment, ...] = _tuple()


# --------------------------------------------------------------------------- adjudication
@attrs.frozen(slots=True)
class LineAdjudication:
    """2430: how a prior payer adjudicated a line (SVD, CAS, DTP*573, AMT*EAF)."""

    payer_id: str = attrs.field(validator=non_empty)  # SVD01 (2330B NM109)
    paid: Decimal = attrs.field(converter=to_decimal, validator=_finite)  # SVD02
    procedure: str = attrs.field(validator=non_empty)  # SVD03-2
    units: Decimal = attrs.field(converter=to_decimal, validator=_finite)  # SVD05
    paid_date: _dt.date  # DTP03 of DTP*573
    procedure_qualifier: str = "HC"  # SVD03-1
    modifiers: tuple[str, ...] = _tuple()  # SVD03-3..6
    description: str | None = None  # SVD03-7
    bundled_line: str | None = None  # SVD06
    adjustments: tuple[Adjustment, ...] = _tuple()  # CAS
    remaining_liability: Decimal | None = attrs.field(
        default=None, converter=_opt_dec, validator=_finite
    )  # AMT*EAF
    unmapped: tuple[UnmappedSegment, ...] = _tuple()


@attrs.frozen(slots=True)
class OtherPayer:
    """2320/2330A-G: another payer's coverage and, for secondary claims, its adjudication."""

    subscriber: Subscriber  # 2320 SBR + 2330A (relationship = SBR02, required)
    payer: Payer  # 2330B
    adjustments: tuple[Adjustment, ...] = _tuple()  # 2320 CAS
    paid: Decimal | None = attrs.field(default=None, converter=_opt_dec, validator=_finite)  # AMT*D
    non_covered: Decimal | None = attrs.field(
        default=None, converter=_opt_dec, validator=_finite
    )  # AMT*A8
    remaining_liability: Decimal | None = attrs.field(
        default=None, converter=_opt_dec, validator=_finite
    )  # AMT*EAF
    benefits_assigned: str = "Y"  # OI03 (N, W, Y)
    patient_signature_source: str | None = None  # OI04
    release_of_information: str = "Y"  # OI06 (I, Y)
    adjudication_date: _dt.date | None = None  # 2330B DTP*573
    payer_references: tuple[Reference, ...] = _tuple()  # 2330B REF G1, 9F, T4, F8
    referring_providers: tuple[Provider, ...] = _tuple()  # 2330C (up to 2)
    rendering_provider: Provider | None = None  # 2330D
    service_facility: Provider | None = None  # 2330E
    supervising_provider: Provider | None = None  # 2330F
    billing_provider: Provider | None = None  # 2330G
    unmapped: tuple[UnmappedSegment, ...] = _tuple()  # incl. MOA


# --------------------------------------------------------------------------- lines / claim
def _pointers(instance: Any, attribute: attrs.Attribute[Any], value: tuple[int, ...]) -> None:
    if len(value) > 4:
        raise ValueError(f"{attribute.name}: at most 4 diagnosis pointers (SV107)")
    for p in value:
        if not isinstance(p, int) or not 1 <= p <= 12:
            raise ValueError(f"{attribute.name}: pointers are 1..12")


def _modifiers(instance: Any, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    if len(value) > 4:
        raise ValueError(f"{attribute.name}: at most 4 modifiers")
    for m in value:
        if not isinstance(m, str) or not m.strip():
            raise ValueError(f"{attribute.name}: a modifier must not be empty")


@attrs.frozen(slots=True)
class ServiceLine:
    """2400: one professional service (LX, SV1, its dates, references and nested loops).

    ``units`` with ``unit_type`` ``MJ`` are anesthesia minutes (SV103/SV104).
    """

    procedure: str = attrs.field(validator=non_empty)  # SV101-2 (CPT/HCPCS)
    charge: Decimal = attrs.field(converter=to_decimal, validator=_non_negative)  # SV102
    service_date: _dt.date  # DTP*472 (D8, or RD8 start)
    units: Decimal = attrs.field(default=Decimal(1), converter=to_decimal, validator=_finite)
    unit_type: str = UnitType.UNITS  # SV103
    modifiers: tuple[str, ...] = attrs.field(default=(), converter=_as_tuple, validator=_modifiers)
    diagnosis_pointers: tuple[int, ...] = attrs.field(
        default=(1,), converter=_as_tuple, validator=_pointers
    )  # SV107-1..4
    procedure_qualifier: str = "HC"  # SV101-1 (HC, ER, IV, WK)
    description: str | None = None  # SV101-7
    place_of_service: str | None = None  # SV105 (when it differs from CLM05-1)
    emergency: bool = False  # SV109 Y
    epsdt: bool = False  # SV111 Y
    family_planning: bool = False  # SV112 Y
    copay_exempt: bool = False  # SV115 0
    service_date_end: _dt.date | None = None  # DTP*472 RD8 end
    control_number: str | None = None  # REF*6R line item control number
    dates: tuple[EventDate, ...] = _tuple()  # other DTP (471, 607, 463, 461, 304, 738...)
    references: tuple[Reference, ...] = _tuple()  # other REF (9B, 9D, G1, EW, X4, F4, BT, 9F)
    attachments: tuple[Attachment, ...] = _tuple()  # PWK
    ambulance: AmbulanceTransport | None = None  # CR1
    dme_certification: DmeCertification | None = None  # CR3
    conditions: tuple[Condition, ...] = _tuple()  # CRC 07, 70, 09
    sales_tax: Decimal | None = attrs.field(
        default=None, converter=_opt_dec, validator=_finite
    )  # AMT*T
    postage: Decimal | None = attrs.field(
        default=None, converter=_opt_dec, validator=_finite
    )  # AMT*F4
    note: Note | None = None  # NTE ADD/DCP
    third_party_note: str | None = None  # NTE*TPO
    drug: Drug | None = None  # 2410
    rendering_provider: Provider | None = None  # 2420A
    purchased_service_provider: Provider | None = None  # 2420B
    service_facility: Provider | None = None  # 2420C
    supervising_provider: Provider | None = None  # 2420D
    ordering_provider: Provider | None = None  # 2420E
    referring_providers: tuple[Provider, ...] = _tuple()  # 2420F (up to 2)
    ambulance_pickup: Place | None = None  # 2420G
    ambulance_dropoff: Place | None = None  # 2420H
    adjudications: tuple[LineAdjudication, ...] = _tuple()  # 2430 (up to 15)
    forms: tuple[Form, ...] = _tuple()  # 2440
    unmapped: tuple[UnmappedSegment, ...] = _tuple()

    def __attrs_post_init__(self) -> None:
        if self.service_date_end is not None and self.service_date_end < self.service_date:
            raise ValueError("service_date_end: must not be before service_date")


def _diagnoses(instance: Any, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    if len(value) > 12:
        raise ValueError(f"{attribute.name}: at most 12 diagnoses (HI)")


@attrs.frozen(slots=True)
class Claim:
    """2300: one professional claim with the parties of the HL levels above it."""

    id: str = attrs.field(validator=non_empty)  # CLM01 patient control number
    charge: Decimal = attrs.field(converter=to_decimal, validator=_non_negative)  # CLM02
    place_of_service: str = attrs.field(validator=non_empty)  # CLM05-1
    billing_provider: Provider  # 2000A / 2010AA
    subscriber: Subscriber  # 2000B / 2010BA
    payer: Payer  # 2010BB
    diagnoses: tuple[Diagnosis, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_diagnoses
    )  # HI ABK/ABF
    service_lines: tuple[ServiceLine, ...] = _tuple()  # 2400
    patient: Patient | None = None  # 2000C / 2010CA; None when the patient is the subscriber
    pay_to_address: Address | None = None  # 2010AB
    pay_to_plan: Payer | None = None  # 2010AC
    frequency: str = ClaimFrequency.ORIGINAL  # CLM05-3
    provider_signature: bool = True  # CLM06 Y/N
    assignment: str = "A"  # CLM07 (A, B, C)
    benefits_assigned: str = "Y"  # CLM08 (N, W, Y)
    release_of_information: str = "Y"  # CLM09 (I, Y)
    patient_signature_source: str | None = None  # CLM10 (P)
    related_causes: tuple[str, ...] = _tuple()  # CLM11-1..3 (AA, EM, OA)
    accident_state: str | None = None  # CLM11-4
    accident_country: str | None = None  # CLM11-5
    special_program: str | None = None  # CLM12
    delay_reason: str | None = None  # CLM20
    dates: tuple[EventDate, ...] = _tuple()  # DTP (ClaimDateKind)
    references: tuple[Reference, ...] = _tuple()  # REF (ClaimReferenceKind)
    attachments: tuple[Attachment, ...] = _tuple()  # PWK
    patient_paid: Decimal | None = attrs.field(
        default=None, converter=_opt_dec, validator=_finite
    )  # AMT*F5
    note: Note | None = None  # NTE
    ambulance: AmbulanceTransport | None = None  # CR1
    conditions: tuple[Condition, ...] = _tuple()  # CRC 07, E1-E3, 75, ZZ
    anesthesia_procedures: tuple[str, ...] = _tuple()  # HI BP/BO (ICD-9-CM procedure codes)
    condition_codes: tuple[str, ...] = _tuple()  # HI BG
    referring_providers: tuple[Provider, ...] = _tuple()  # 2310A (up to 2)
    rendering_provider: Provider | None = None  # 2310B
    service_facility: Provider | None = None  # 2310C
    supervising_provider: Provider | None = None  # 2310D
    ambulance_pickup: Place | None = None  # 2310E
    ambulance_dropoff: Place | None = None  # 2310F
    other_payers: tuple[OtherPayer, ...] = _tuple()  # 2320 (up to 10)
    unmapped: tuple[UnmappedSegment, ...] = _tuple()

    @property
    def line_total(self) -> Decimal:
        """The sum of the lines' charges (SV102), which CLM02 must equal."""
        return sum((line.charge for line in self.service_lines), Decimal(0))


@attrs.frozen(slots=True)
class Submission:
    """One 837P transaction set: who sends (1000A) to whom (1000B), the BHT, and the claims."""

    submitter: Submitter
    receiver: Receiver
    claims: tuple[Claim, ...] = _tuple()
    reference: str = attrs.field(default="0001", validator=non_empty)  # BHT03
    created: _dt.date | None = None  # BHT04 (None: the writer's timestamp)
    created_time: str | None = None  # BHT05 (HHMM[SS[D..]]; None: the writer's timestamp)
    purpose: str = "00"  # BHT02 (00 original, 18 reissue)
    transaction_type: str = "CH"  # BHT06 (CH chargeable, RP reporting, 31 subrogation)
    implementation: str = "005010X222A1"  # ST03 / GS08 as read (X222, X222A2 kept)
    structure: str = "0019"  # BHT01 hierarchical structure code
    unmapped: tuple[UnmappedSegment, ...] = _tuple()
