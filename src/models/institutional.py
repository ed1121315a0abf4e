"""Institutional claims: what a hospital or facility bills (the 837I's content, 005010X223A2).

Reuses the professional claim's parts wherever the meaning is the same (:mod:`models.claim`:
parties, payers, subscribers, patients, references, notes, attachments, drugs, providers);
what is institutional has its own typed fields: type of bill (CLM05-1 facility code and
CLM05-3 frequency), statement period (DTP*434), admission date and hour (DTP*435), discharge
hour (DTP*096), admission type/source and patient status (CL1), the HI code sets with their
qualifiers (principal ABK, admitting ABJ, reason for visit APR, external cause ABN, DRG DR,
other ABF, present-on-admission indicators HI0n-9, ICD-10-PCS procedures BBR/BBQ with dates,
occurrence BH, occurrence span BI, value BE, condition BG, treatment TC), the institutional
provider loops (attending, operating, other operating, rendering, service facility, referring:
2310A-F, 2330C-I, 2420A-D), SV2 service lines (revenue code, HCPCS, units or days,
non-covered charge) and line adjudication (2430 SVD with its revenue code).

Segments the models do not type (CN1 contract, HCP repricing, K3, CRC, MIA/MOA, ...) are kept
by a reader on their loop's ``unmapped`` and written back at their guide position.

Construction rejects only what can never be right (a negative charge, an end before its
start) and names the field, never the value; shapes a lenient reader must survive (a revenue
code that is not 4 digits, an ICD-10-PCS code that is not 7 characters, a discharge before
the admission) are refused by the writer with field paths.
"""

from __future__ import annotations

import datetime as _dt
import enum
from decimal import Decimal

import attrs

from models.claim import (
    Attachment,
    Drug,
    Note,
    Patient,
    Payer,
    Provider,
    Receiver,
    Reference,
    Submitter,
    Subscriber,
)
from models.common import Address, Adjustment, UnmappedSegment, non_empty, to_decimal
from models.common import finite as _finite
from models.common import non_negative as _non_negative
from models.common import optional_decimal as _opt_dec
from models.common import tuple_field as _tuple

__all__ = [
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
]


# --------------------------------------------------------------------------- code lists
class PresentOnAdmission(enum.StrEnum):
    """HI0n-9 present-on-admission indicator."""

    YES = "Y"
    NO = "N"
    UNKNOWN = "U"
    CLINICALLY_UNDETERMINED = "W"


class UnitOrDays(enum.StrEnum):
    """SV204 unit or basis for measurement."""

    UNITS = "UN"
    DAYS = "DA"


# --------------------------------------------------------------------------- code sets
@attrs.frozen(slots=True)
class InstitutionalDiagnosis:
    """A diagnosis of HI (ICD-10-CM unless the claim is ``icd9``) with its POA indicator."""

    code: str = attrs.field(validator=non_empty)  # HI0n-2
    present_on_admission: str | None = None  # HI0n-9 (PresentOnAdmission)


@attrs.frozen(slots=True)
class ProcedureCode:
    """An ICD-10-PCS procedure (HI BBR principal / BBQ other) and its date (HI0n-4, D8)."""

    code: str = attrs.field(validator=non_empty)  # HI0n-2 (7 characters in ICD-10-PCS)
    date: _dt.date  # HI0n-4 (HI0n-3 = D8)


@attrs.frozen(slots=True)
class Occurrence:
    """An occurrence code and its date (HI BH: HI0n-2, HI0n-4 with HI0n-3 = D8)."""

    code: str = attrs.field(validator=non_empty)
    date: _dt.date


@attrs.frozen(slots=True)
class OccurrenceSpan:
    """An occurrence span code and its period (HI BI: HI0n-2, HI0n-4 with HI0n-3 = RD8)."""

    code: str = attrs.field(validator=non_empty)
    start: _dt.date
    end: _dt.date

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("end: must not be before start")


@attrs.frozen(slots=True)
class ValueCode:
    """A value code and its amount (HI BE: HI0n-2, HI0n-5)."""

    code: str = attrs.field(validator=non_empty)
    amount: Decimal = attrs.field(converter=to_decimal, validator=_finite)


# --------------------------------------------------------------------------- COB
@attrs.frozen(slots=True)
class InstitutionalLineAdjudication:
    """2430: how a prior payer adjudicated a line (SVD, CAS, DTP*573, AMT*EAF)."""

    payer_id: str = attrs.field(validator=non_empty)  # SVD01 (2330B NM109)
    paid: Decimal = attrs.field(converter=to_decimal, validator=_finite)  # SVD02
    units: Decimal = attrs.field(converter=to_decimal, validator=_finite)  # SVD05
    paid_date: _dt.date  # DTP*573
    procedure: str | None = None  # SVD03-2
    procedure_qualifier: str = "HC"  # SVD03-1
    modifiers: tuple[str, ...] = _tuple()  # SVD03-3..6
    description: str | None = None  # SVD03-7
    revenue_code: str | None = None  # SVD04
    bundled_line: str | None = None  # SVD06
    adjustments: tuple[Adjustment, ...] = _tuple()  # CAS
    remaining_liability: Decimal | None = attrs.field(
        default=None, converter=_opt_dec, validator=_finite
    )  # AMT*EAF
    unmapped: tuple[UnmappedSegment, ...] = _tuple()


@attrs.frozen(slots=True)
class InstitutionalOtherPayer:
    """2320/2330A-I: another payer of the claim (coordination of benefits).

    MIA (inpatient) and MOA (outpatient) adjudication are kept on ``unmapped`` as read.
    """

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
    release_of_information: str = "Y"  # OI06 (I, Y)
    adjudication_date: _dt.date | None = None  # 2330B DTP*573
    payer_references: tuple[Reference, ...] = _tuple()  # 2330B REF G1, 9F, T4, F8
    attending_provider: Provider | None = None  # 2330C
    operating_physician: Provider | None = None  # 2330D
    other_operating_physician: Provider | None = None  # 2330E
    service_facility: Provider | None = None  # 2330F
    rendering_provider: Provider | None = None  # 2330G
    referring_provider: Provider | None = None  # 2330H
    billing_provider: Provider | None = None  # 2330I
    unmapped: tuple[UnmappedSegment, ...] = _tuple()  # incl. MIA, MOA


# --------------------------------------------------------------------------- lines
@attrs.frozen(slots=True)
class InstitutionalServiceLine:
    """2400: one institutional service line (LX, SV2 ...) and its 2410-2430 loops."""

    revenue_code: str = attrs.field(validator=non_empty)  # SV201 (4 digits)
    charge: Decimal = attrs.field(converter=to_decimal, validator=_non_negative)  # SV203
    units: Decimal = attrs.field(default=Decimal(1), converter=to_decimal, validator=_finite)
    unit_type: str = UnitOrDays.UNITS  # SV204 (UN units, DA days)
    procedure: str | None = None  # SV202-2 (HCPCS)
    procedure_qualifier: str = "HC"  # SV202-1 (ER, HC, HP, IV, WK)
    modifiers: tuple[str, ...] = _tuple()  # SV202-3..6
    description: str | None = None  # SV202-7
    non_covered: Decimal | None = attrs.field(
        default=None, converter=_opt_dec, validator=_finite
    )  # SV207
    service_date: _dt.date | None = None  # DTP*472 (D8, or RD8 start)
    service_date_end: _dt.date | None = None  # DTP*472 RD8 end
    attachments: tuple[Attachment, ...] = _tuple()  # PWK
    control_number: str | None = None  # REF*6R
    references: tuple[Reference, ...] = _tuple()  # REF 9B, 9D
    service_tax: Decimal | None = attrs.field(
        default=None, converter=_opt_dec, validator=_finite
    )  # AMT*GT
    facility_tax: Decimal | None = attrs.field(
        default=None, converter=_opt_dec, validator=_finite
    )  # AMT*N8
    third_party_note: str | None = None  # NTE*TPO
    drug: Drug | None = None  # 2410
    operating_physician: Provider | None = None  # 2420A
    other_operating_physician: Provider | None = None  # 2420B
    rendering_provider: Provider | None = None  # 2420C
    referring_provider: Provider | None = None  # 2420D
    adjudications: tuple[InstitutionalLineAdjudication, ...] = _tuple()  # 2430 (up to 15)
    unmapped: tuple[UnmappedSegment, ...] = _tuple()  # incl. HCP

    def __attrs_post_init__(self) -> None:
        if (
            self.service_date_end is not None
            and self.service_date is not None
            and self.service_date_end < self.service_date
        ):
            raise ValueError("service_date_end: must not be before service_date")


# --------------------------------------------------------------------------- claim
@attrs.frozen(slots=True)
class InstitutionalClaim:
    """2300: one institutional claim with the parties of the HL levels above it."""

    id: str = attrs.field(validator=non_empty)  # CLM01 patient control number
    charge: Decimal = attrs.field(converter=to_decimal, validator=_non_negative)  # CLM02
    facility_code: str = attrs.field(validator=non_empty)  # CLM05-1 (type of bill, 2 digits)
    billing_provider: Provider  # 2000A / 2010AA
    subscriber: Subscriber  # 2000B / 2010BA
    payer: Payer  # 2010BB
    # required by the guide; None only when a lenient reader found none (the writer refuses)
    principal_diagnosis: InstitutionalDiagnosis | None  # HI ABK
    statement_start: _dt.date | None  # DTP*434 RD8 start
    statement_end: _dt.date | None  # DTP*434 RD8 end
    patient_status: str = attrs.field(validator=non_empty)  # CL103
    service_lines: tuple[InstitutionalServiceLine, ...] = _tuple()  # 2400
    patient: Patient | None = None  # 2000C / 2010CA; None when the patient is the subscriber
    pay_to_address: Address | None = None  # 2010AB
    pay_to_plan: Payer | None = None  # 2010AC
    frequency: str = "1"  # CLM05-3 (type of bill frequency)
    assignment: str = "A"  # CLM07 (A, B, C)
    benefits_assigned: str = "Y"  # CLM08 (N, W, Y)
    release_of_information: str = "Y"  # CLM09 (I, Y)
    provider_signature: bool | None = None  # CLM06 (not used by X223A2; kept when read)
    delay_reason: str | None = None  # CLM20
    admission_type: str | None = None  # CL101
    admission_source: str | None = None  # CL102
    admission_date: _dt.date | None = None  # DTP*435 (D8, or DT with the hour)
    admission_hour: str | None = None  # DTP*435 DT: HHMM
    discharge_hour: str | None = None  # DTP*096 TM: HHMM
    repricer_received: _dt.date | None = None  # DTP*050
    attachments: tuple[Attachment, ...] = _tuple()  # PWK
    patient_estimated_due: Decimal | None = attrs.field(
        default=None, converter=_opt_dec, validator=_finite
    )  # AMT*F3
    references: tuple[Reference, ...] = _tuple()  # REF 4N, 9F, G1, F8, 9A, 9C, LX, D9, LU...
    notes: tuple[Note, ...] = _tuple()  # NTE (ALG, DCP, ..., ADD)
    icd9: bool = False  # BK/BJ/PR/BN/BF/BR/BQ qualifiers instead of ABK/ABJ/...
    admitting_diagnosis: str | None = None  # HI ABJ
    reason_for_visit: tuple[str, ...] = _tuple()  # HI APR (up to 3)
    external_causes: tuple[InstitutionalDiagnosis, ...] = _tuple()  # HI ABN (up to 12)
    drg: str | None = None  # HI DR
    other_diagnoses: tuple[InstitutionalDiagnosis, ...] = _tuple()  # HI ABF (up to 24)
    principal_procedure: ProcedureCode | None = None  # HI BBR
    other_procedures: tuple[ProcedureCode, ...] = _tuple()  # HI BBQ (up to 24)
    occurrence_spans: tuple[OccurrenceSpan, ...] = _tuple()  # HI BI (up to 24)
    occurrences: tuple[Occurrence, ...] = _tuple()  # HI BH (up to 24)
    values: tuple[ValueCode, ...] = _tuple()  # HI BE (up to 24)
    condition_codes: tuple[str, ...] = _tuple()  # HI BG (up to 24)
    treatment_codes: tuple[str, ...] = _tuple()  # HI TC (up to 24)
    attending_provider: Provider | None = None  # 2310A
    operating_physician: Provider | None = None  # 2310B
    other_operating_physician: Provider | None = None  # 2310C
    rendering_provider: Provider | None = None  # 2310D
    service_facility: Provider | None = None  # 2310E
    referring_provider: Provider | None = None  # 2310F
    other_payers: tuple[InstitutionalOtherPayer, ...] = _tuple()  # 2320 (up to 10)
    unmapped: tuple[UnmappedSegment, ...] = _tuple()  # incl. CN1, HCP, K3, CRC

    def __attrs_post_init__(self) -> None:
        start, end = self.statement_start, self.statement_end
        if start is not None and end is not None and end < start:
            raise ValueError("statement_end: must not be before statement_start")

    @property
    def line_total(self) -> Decimal:
        """The sum of the service lines' charges (SV203): what CLM02 must equal."""
        return sum((ln.charge for ln in self.service_lines), Decimal(0))

    @property
    def type_of_bill(self) -> str:
        """Facility code and frequency (CLM05-1 + CLM05-3), e.g. ``111``'s last two digits."""
        return f"{self.facility_code}{self.frequency}"


@attrs.frozen(slots=True)
class InstitutionalSubmission:
    """One 837I transaction: the submitter, receiver and claims (BHT, 1000A, 1000B)."""

    submitter: Submitter
    receiver: Receiver
    claims: tuple[InstitutionalClaim, ...] = _tuple()
    reference: str = attrs.field(default="0001", validator=non_empty)  # BHT03
    created: _dt.date | None = None  # BHT04 (None: the writer's timestamp)
    created_time: str | None = None  # BHT05
    purpose: str = "00"  # BHT02
    transaction_type: str = "CH"  # BHT06 (CH chargeable, RP reporting)
    implementation: str = "005010X223A2"  # ST03 / GS08 as read (X223A3 kept)
    structure: str = "0019"  # BHT01
    unmapped: tuple[UnmappedSegment, ...] = _tuple()
