"""Claim acknowledgments (the 277CA, 005010X214): which claims a payer or clearinghouse
accepted into adjudication or rejected, and why, as typed records.

The 277CA's hierarchy (HL 20 information source, HL 21 information receiver, HL 19 billing
provider, HL PT patient) is kept as nested records; :attr:`ClaimAcknowledgmentReport.claims`
flattens it. A claim is linked to the submitted 837 claim by its patient control number
(TRN02 of the patient level = the 837's CLM01). Status codes are code values only (claim
status category, claim status and entity identifier codes are X12's lists; their texts are
not shipped).
"""

from __future__ import annotations

import datetime as _dt
import enum
from decimal import Decimal

import attrs

from models.common import UnmappedSegment

__all__ = [
    "ClaimAcknowledgment",
    "ClaimAcknowledgmentReport",
    "Disposition",
    "InformationReceiver",
    "InformationSource",
    "LineAcknowledgment",
    "Party",
    "ProviderAcknowledgment",
    "StatusCode",
    "StatusInfo",
    "disposition_of",
]


class Disposition(enum.StrEnum):
    """What a claim status category code (STC01-1) means for the claim, coarsely.

    A1, A2 and A5 acknowledge a claim accepted into the payer's system (A0 forwarded);
    A3, A4, A6, A7 and A8 reject it; E0..E4 say the response could not be given; P* pending,
    F* finalized (status 277s, not 277CA); anything else is OTHER.
    """

    ACCEPTED = "accepted"
    REJECTED = "rejected"
    ERROR = "error"
    PENDING = "pending"
    FINALIZED = "finalized"
    OTHER = "other"


_ACCEPTED = frozenset({"A0", "A1", "A2", "A5"})
_REJECTED = frozenset({"A3", "A4", "A6", "A7", "A8", "DR01"})


def disposition_of(category: str) -> Disposition:
    """The :class:`Disposition` of a claim status category code (STC01-1)."""
    if category in _ACCEPTED:
        return Disposition.ACCEPTED
    if category in _REJECTED:
        return Disposition.REJECTED
    if category[:1] == "E" and category[1:].isdigit():
        return Disposition.ERROR
    if category[:1] == "P" and category[1:].isdigit():
        return Disposition.PENDING
    if category[:1] == "F" and category[1:].isdigit():
        return Disposition.FINALIZED
    return Disposition.OTHER


@attrs.frozen(slots=True)
class StatusCode:
    """One health care claim status composite (C043: STC01, STC10 or STC11)."""

    category: str  # -1 claim status category code (A1, A2, A3, A6, A7, A8...)
    status: str = ""  # -2 claim status code (20, 562...)
    entity: str = ""  # -3 entity identifier code (85, QC, PR...)
    code_list: str = ""  # -4 code list qualifier (RX, LOI...) with STC01-? codes

    @property
    def disposition(self) -> Disposition:
        return disposition_of(self.category)


@attrs.frozen(slots=True)
class StatusInfo:
    """An STC segment: one status with its date, action and amounts."""

    codes: tuple[StatusCode, ...]  # STC01, then STC10 and STC11 when present
    date: _dt.date | None = None  # STC02 status information effective date
    action: str = ""  # STC03 action code (WQ accepted, U rejected)
    amount: Decimal | None = None  # STC04 total claim charge (or line charge)
    paid: Decimal | None = None  # STC05
    message: str = ""  # STC12 free-form message

    @property
    def category(self) -> str:
        """STC01-1 (the first status's category code), "" when absent."""
        return self.codes[0].category if self.codes else ""

    @property
    def disposition(self) -> Disposition:
        return disposition_of(self.category)


@attrs.frozen(slots=True)
class Party:
    """An NM1 segment: a person or organisation and its identifier."""

    entity: str  # NM101 (PR payer, 41 submitter, 85 billing provider, QC patient)
    entity_type: str = ""  # NM102 (1 person, 2 organisation)
    name: str = ""  # NM103 last or organisation name
    first_name: str = ""  # NM104
    middle_name: str = ""  # NM105
    suffix: str = ""  # NM107
    id_qualifier: str = ""  # NM108 (46, FI, XX, MI, PI...)
    id: str = ""  # NM109


def _first(statuses: tuple[StatusInfo, ...]) -> StatusInfo | None:
    return statuses[0] if statuses else None


def _disposition(statuses: tuple[StatusInfo, ...]) -> Disposition:
    """Rejected when any status rejects, else the first status's disposition."""
    kinds = [s.disposition for s in statuses]
    if Disposition.REJECTED in kinds:
        return Disposition.REJECTED
    return kinds[0] if kinds else Disposition.OTHER


@attrs.frozen(slots=True)
class LineAcknowledgment:
    """Loop 2220D: the status of one service line (SVC, STC, REF, DTP)."""

    procedure: tuple[str, ...]  # SVC01 components (qualifier, code, modifiers...)
    charge: Decimal | None = None  # SVC02
    paid: Decimal | None = None  # SVC03
    revenue_code: str = ""  # SVC04
    units: Decimal | None = None  # SVC07
    statuses: tuple[StatusInfo, ...] = ()  # STC
    line_item_control_number: str = ""  # REF*FJ
    service_date_from: _dt.date | None = None  # DTP*472
    service_date_to: _dt.date | None = None
    unmapped: tuple[UnmappedSegment, ...] = ()

    @property
    def disposition(self) -> Disposition:
        return _disposition(self.statuses)


@attrs.frozen(slots=True)
class ClaimAcknowledgment:
    """Loops 2000D/2100D/2200D: one claim's acknowledgment, with its patient and lines."""

    patient: Party | None  # NM1*QC
    patient_control_number: str  # TRN02 (the 837's CLM01)
    statuses: tuple[StatusInfo, ...] = ()  # STC (claim level)
    payer_claim_number: str = ""  # REF*1K payer claim control number
    clearinghouse_trace_number: str = ""  # REF*D9
    bill_type: str = ""  # REF*BLT (institutional)
    references: tuple[tuple[str, str], ...] = ()  # other REF (qualifier, value)
    service_date_from: _dt.date | None = None  # DTP*472 (D8, or RD8 start)
    service_date_to: _dt.date | None = None  # DTP*472 RD8 end (= from for D8)
    lines: tuple[LineAcknowledgment, ...] = ()
    provider: Party | None = None  # NM1*85 of the billing provider level above
    unmapped: tuple[UnmappedSegment, ...] = ()

    @property
    def status(self) -> StatusInfo | None:
        """The first claim-level STC."""
        return _first(self.statuses)

    @property
    def disposition(self) -> Disposition:
        """REJECTED when any claim-level status rejects, else the first one's."""
        return _disposition(self.statuses)

    @property
    def accepted(self) -> bool:
        return self.disposition is Disposition.ACCEPTED

    @property
    def rejected(self) -> bool:
        return self.disposition is Disposition.REJECTED


@attrs.frozen(slots=True)
class ProviderAcknowledgment:
    """Loops 2000C..2200C: a billing provider, its totals and its claims."""

    provider: Party | None  # NM1*85
    trace_number: str = ""  # TRN02 (TRN*1)
    statuses: tuple[StatusInfo, ...] = ()
    references: tuple[tuple[str, str], ...] = ()  # REF (TJ tax id, 0B, ...)
    accepted_quantity: Decimal | None = None  # QTY*QA
    rejected_quantity: Decimal | None = None  # QTY*QC
    accepted_amount: Decimal | None = None  # AMT*YU
    rejected_amount: Decimal | None = None  # AMT*YY
    claims: tuple[ClaimAcknowledgment, ...] = ()
    unmapped: tuple[UnmappedSegment, ...] = ()


@attrs.frozen(slots=True)
class InformationReceiver:
    """Loops 2000B..2200B: the submitter the acknowledgment is for, with batch totals."""

    receiver: Party | None  # NM1*41
    trace_number: str = ""  # TRN02 (TRN*2): the submitter's batch (BHT03 of the 837)
    statuses: tuple[StatusInfo, ...] = ()
    accepted_quantity: Decimal | None = None  # QTY*90
    rejected_quantity: Decimal | None = None  # QTY*AA
    accepted_amount: Decimal | None = None  # AMT*YU
    rejected_amount: Decimal | None = None  # AMT*YY
    providers: tuple[ProviderAcknowledgment, ...] = ()
    unmapped: tuple[UnmappedSegment, ...] = ()


@attrs.frozen(slots=True)
class InformationSource:
    """Loops 2000A..2200A: the payer or clearinghouse that acknowledges."""

    source: Party | None  # NM1*PR (or AY clearinghouse)
    trace_number: str = ""  # TRN02 (TRN*1)
    received_date: _dt.date | None = None  # DTP*050
    process_date: _dt.date | None = None  # DTP*009
    receivers: tuple[InformationReceiver, ...] = ()
    unmapped: tuple[UnmappedSegment, ...] = ()


@attrs.frozen(slots=True)
class ClaimAcknowledgmentReport:
    """One 277CA transaction set."""

    control_number: str  # ST02
    reference: str = ""  # BHT03 originator application transaction identifier
    created: _dt.date | None = None  # BHT04
    time: str = ""  # BHT05 (HHMM[SS[DD]])
    transaction_type: str = ""  # BHT06 (TH receipt acknowledgment)
    sources: tuple[InformationSource, ...] = ()
    unmapped: tuple[UnmappedSegment, ...] = ()

    @property
    def claims(self) -> tuple[ClaimAcknowledgment, ...]:
        """Every claim of the report, in file order."""
        return tuple(
            c for s in self.sources for r in s.receivers for p in r.providers for c in p.claims
        )

    def claim(self, patient_control_number: str) -> ClaimAcknowledgment | None:
        """The first claim whose patient control number (TRN02, the 837's CLM01) matches."""
        for c in self.claims:
            if c.patient_control_number == patient_control_number:
                return c
        return None
