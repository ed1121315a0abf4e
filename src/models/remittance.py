"""Remittances: what a payer says it paid, adjusted and denied (the 835's content).

Plain attrs classes with domain names; the comments cite the 005010X221A1 element each field
carries (CLP02, SVC01-2...). Money is :class:`decimal.Decimal`, dates :class:`datetime.date`.
A :class:`Remittance` is one payment (one 835 transaction set): who paid whom, how, and the
claims it settles, grouped as the payer grouped them (LX header numbers); each
:class:`ClaimPayment` holds its :class:`ServicePayment` lines and both hold their
:class:`~models.common.Adjustment` (one per CAS triplet). Provider-level adjustments (PLB)
are :class:`ProviderAdjustment` (one per PLB reason/amount pair).

Coded values the guide closes (BPR01, BPR03, BPR04, CLP02) have ``StrEnum`` classes here;
the fields themselves are ``str`` so a lenient reader can keep what a payer actually sent
(a ``StrEnum`` member compares equal to its code). Code lists whose text belongs to X12 (CARC,
RARC) are values only.

Every loop object carries ``unmapped``: the segments a reader kept without modelling them,
so a remittance read and written back loses nothing.
"""

from __future__ import annotations

import datetime as _dt
import enum
from decimal import Decimal

import attrs

from models.common import Address, Adjustment, Contact, UnmappedSegment

__all__ = [
    "INPATIENT_FIELDS",
    "OUTPATIENT_FIELDS",
    "SUMMARY_FIELDS",
    "SUPPLEMENTAL_FIELDS",
    "Amount",
    "BankAccount",
    "ClaimGroup",
    "ClaimPayment",
    "ClaimStatus",
    "CreditDebit",
    "InpatientAdjudication",
    "OutpatientAdjudication",
    "Party",
    "PaymentMethod",
    "Procedure",
    "ProviderAdjustment",
    "ProviderSummary",
    "ProviderSupplementalSummary",
    "Quantity",
    "Reference",
    "RemarkCode",
    "Remittance",
    "RemittanceDelivery",
    "RemittanceParty",
    "ServicePayment",
    "TransactionHandling",
]


class TransactionHandling(enum.StrEnum):
    """BPR01 transaction handling code."""

    PAYMENT_WITH_REMITTANCE = "C"
    PAYMENT_ONLY = "D"
    NOTIFICATION_ONLY = "H"
    REMITTANCE_ONLY = "I"
    PRENOTIFICATION = "P"
    SPLIT_PAYMENT = "U"
    HANDLING_PARTY_OPTION = "X"


class CreditDebit(enum.StrEnum):
    """BPR03 credit/debit flag."""

    CREDIT = "C"
    DEBIT = "D"


class PaymentMethod(enum.StrEnum):
    """BPR04 payment method code."""

    ACH = "ACH"
    BOOK_ENTRY = "BOP"
    CHECK = "CHK"
    WIRE = "FWT"
    NON_PAYMENT = "NON"


class ClaimStatus(enum.StrEnum):
    """CLP02 claim status code."""

    PRIMARY = "1"
    SECONDARY = "2"
    TERTIARY = "3"
    DENIED = "4"
    PRIMARY_FORWARDED = "19"
    SECONDARY_FORWARDED = "20"
    TERTIARY_FORWARDED = "21"
    REVERSAL = "22"
    NOT_OUR_CLAIM_FORWARDED = "23"
    PREDETERMINATION = "25"


# ----------------------------------------------------------------------- small values
@attrs.frozen(slots=True)
class Reference:
    """A REF segment: qualifier (REF01) and identifier (REF02)."""

    qualifier: str
    value: str


@attrs.frozen(slots=True)
class Amount:
    """An AMT segment: qualifier (AMT01: B6 allowed, AU coverage...) and amount (AMT02)."""

    qualifier: str
    amount: Decimal


@attrs.frozen(slots=True)
class Quantity:
    """A QTY segment: qualifier (QTY01) and quantity (QTY02)."""

    qualifier: str
    quantity: Decimal


@attrs.frozen(slots=True)
class RemarkCode:
    """An LQ segment: code list (LQ01: HE = RARC, RX = NCPDP reject code) and code (LQ02)."""

    qualifier: str
    code: str


@attrs.frozen(slots=True)
class Procedure:
    """A procedure composite (SVC01 / SVC06): qualifier (-1: HC, AD, N4, NU...), code (-2),
    modifiers (-3 .. -6) and description (-7)."""

    qualifier: str
    code: str
    modifiers: tuple[str, ...] = ()
    description: str | None = None


@attrs.frozen(slots=True)
class Party:
    """An NM1 in a claim payment: patient (QC), insured (IL), corrected patient (74),
    rendering provider (82), crossover carrier (TT), corrected priority payer (PR), other
    subscriber (GB)."""

    entity: str  # NM101
    entity_type: str  # NM102: 1 person, 2 non-person
    name: str | None = None  # NM103 last or organisation name
    first_name: str | None = None  # NM104
    middle_name: str | None = None  # NM105
    suffix: str | None = None  # NM107
    id_qualifier: str | None = None  # NM108
    id: str | None = None  # NM109


@attrs.frozen(slots=True)
class BankAccount:
    """A depository financial institution and account (BPR06-09 sender, BPR12-15 receiver)."""

    dfi_qualifier: str  # BPR06 / BPR12 (01 ABA, 04 Canadian)
    dfi_id: str  # BPR07 / BPR13
    account_qualifier: str | None = None  # BPR08 / BPR14 (DA)
    account_number: str | None = None  # BPR09 / BPR15


@attrs.frozen(slots=True)
class RemittanceDelivery:
    """RDM (loop 1000B): how the payee gets remittance data sent apart from the payment."""

    method: str  # RDM01: BM by mail, EM e-mail, FT file transfer, OL online
    name: str | None = None  # RDM02
    communication_number: str | None = None  # RDM03 (e-mail address, URL...)


@attrs.frozen(slots=True)
class RemittanceParty:
    """Payer (loop 1000A, N1*PR) or payee (loop 1000B, N1*PE)."""

    name: str  # N102
    id_qualifier: str | None = None  # N103 (XV, XX, FI...)
    id: str | None = None  # N104
    address: Address | None = None  # N3/N4
    references: tuple[Reference, ...] = ()  # REF (payer 2U/EO/HI/NF; payee TJ/PQ/D3/0B)
    contacts: tuple[Contact, ...] = ()  # PER (payer CX, BL, IC)
    delivery: RemittanceDelivery | None = None  # RDM (payee only)
    unmapped: tuple[UnmappedSegment, ...] = ()

    @property
    def npi(self) -> str | None:
        """The NPI when N103 is XX."""
        return self.id if self.id_qualifier == "XX" else None


# -------------------------------------------------------- MIA / MOA / TS3 / TS2 tables
# Each table lists (field name, kind) by element position (1-based index = position + 1);
# kind "d" is a Decimal amount or quantity, "s" a code, "date" a CCYYMMDD date, "" an
# element the guide does not use. Readers and writers are driven by these tables.
INPATIENT_FIELDS: tuple[tuple[str, str], ...] = (
    ("covered_days", "d"),  # MIA01
    ("pps_operating_outlier", "d"),  # MIA02
    ("lifetime_psychiatric_days", "d"),  # MIA03
    ("drg_amount", "d"),  # MIA04
    ("remark1", "s"),  # MIA05
    ("disproportionate_share", "d"),  # MIA06
    ("msp_pass_through", "d"),  # MIA07
    ("pps_capital", "d"),  # MIA08
    ("pps_capital_fsp_drg", "d"),  # MIA09
    ("pps_capital_hsp_drg", "d"),  # MIA10
    ("pps_capital_dsh_drg", "d"),  # MIA11
    ("old_capital", "d"),  # MIA12
    ("pps_capital_ime", "d"),  # MIA13
    ("pps_operating_hospital_specific_drg", "d"),  # MIA14
    ("cost_report_day_count", "d"),  # MIA15
    ("pps_operating_federal_specific_drg", "d"),  # MIA16
    ("pps_capital_outlier", "d"),  # MIA17
    ("indirect_teaching", "d"),  # MIA18
    ("nonpayable_professional_component", "d"),  # MIA19
    ("remark2", "s"),  # MIA20
    ("remark3", "s"),  # MIA21
    ("remark4", "s"),  # MIA22
    ("remark5", "s"),  # MIA23
    ("pps_capital_exception", "d"),  # MIA24
)

OUTPATIENT_FIELDS: tuple[tuple[str, str], ...] = (
    ("reimbursement_rate", "d"),  # MOA01
    ("hcpcs_payable", "d"),  # MOA02
    ("remark1", "s"),  # MOA03
    ("remark2", "s"),  # MOA04
    ("remark3", "s"),  # MOA05
    ("remark4", "s"),  # MOA06
    ("remark5", "s"),  # MOA07
    ("esrd_payment", "d"),  # MOA08
    ("nonpayable_professional_component", "d"),  # MOA09
)

SUMMARY_FIELDS: tuple[tuple[str, str], ...] = (
    ("provider_id", "s"),  # TS301
    ("facility_type", "s"),  # TS302
    ("fiscal_period_end", "date"),  # TS303
    ("claim_count", "d"),  # TS304
    ("total_charge", "d"),  # TS305
    ("", ""),  # TS306
    ("", ""),  # TS307
    ("", ""),  # TS308
    ("", ""),  # TS309
    ("", ""),  # TS310
    ("", ""),  # TS311
    ("", ""),  # TS312
    ("total_msp_payer", "d"),  # TS313
    ("", ""),  # TS314
    ("total_non_lab_charge", "d"),  # TS315
    ("", ""),  # TS316
    ("total_hcpcs_reported_charge", "d"),  # TS317
    ("total_hcpcs_payable", "d"),  # TS318
    ("", ""),  # TS319
    ("total_professional_component", "d"),  # TS320
    ("total_msp_patient_liability_met", "d"),  # TS321
    ("total_patient_reimbursement", "d"),  # TS322
    ("total_pip_claim_count", "d"),  # TS323
    ("total_pip_adjustment", "d"),  # TS324
)

SUPPLEMENTAL_FIELDS: tuple[tuple[str, str], ...] = (
    ("total_drg", "d"),  # TS201
    ("total_federal_specific", "d"),  # TS202
    ("total_hospital_specific", "d"),  # TS203
    ("total_disproportionate_share", "d"),  # TS204
    ("total_capital", "d"),  # TS205
    ("total_indirect_medical_education", "d"),  # TS206
    ("total_outlier_day_count", "d"),  # TS207
    ("total_day_outlier", "d"),  # TS208
    ("total_cost_outlier", "d"),  # TS209
    ("average_drg_length_of_stay", "d"),  # TS210
    ("total_discharge_count", "d"),  # TS211
    ("total_cost_report_day_count", "d"),  # TS212
    ("total_covered_day_count", "d"),  # TS213
    ("total_noncovered_day_count", "d"),  # TS214
    ("total_msp_pass_through", "d"),  # TS215
    ("average_drg_weight", "d"),  # TS216
    ("total_pps_capital_fsp_drg", "d"),  # TS217
    ("total_pps_capital_hsp_drg", "d"),  # TS218
    ("total_pps_dsh_drg", "d"),  # TS219
)


@attrs.frozen(slots=True)
class InpatientAdjudication:
    """MIA: inpatient adjudication information (field per element; see INPATIENT_FIELDS)."""

    covered_days: Decimal | None = None  # MIA01 (required by the guide)
    pps_operating_outlier: Decimal | None = None
    lifetime_psychiatric_days: Decimal | None = None
    drg_amount: Decimal | None = None
    remark1: str | None = None  # MIA05 claim payment remark code (RARC)
    disproportionate_share: Decimal | None = None
    msp_pass_through: Decimal | None = None
    pps_capital: Decimal | None = None
    pps_capital_fsp_drg: Decimal | None = None
    pps_capital_hsp_drg: Decimal | None = None
    pps_capital_dsh_drg: Decimal | None = None
    old_capital: Decimal | None = None
    pps_capital_ime: Decimal | None = None
    pps_operating_hospital_specific_drg: Decimal | None = None
    cost_report_day_count: Decimal | None = None
    pps_operating_federal_specific_drg: Decimal | None = None
    pps_capital_outlier: Decimal | None = None
    indirect_teaching: Decimal | None = None
    nonpayable_professional_component: Decimal | None = None
    remark2: str | None = None  # MIA20
    remark3: str | None = None  # MIA21
    remark4: str | None = None  # MIA22
    remark5: str | None = None  # MIA23
    pps_capital_exception: Decimal | None = None  # MIA24

    @property
    def remarks(self) -> tuple[str, ...]:
        """The RARCs (MIA05, MIA20-23) present."""
        vals = (self.remark1, self.remark2, self.remark3, self.remark4, self.remark5)
        return tuple(v for v in vals if v)


@attrs.frozen(slots=True)
class OutpatientAdjudication:
    """MOA: outpatient adjudication information (see OUTPATIENT_FIELDS)."""

    reimbursement_rate: Decimal | None = None  # MOA01
    hcpcs_payable: Decimal | None = None  # MOA02
    remark1: str | None = None  # MOA03 (RARC)
    remark2: str | None = None  # MOA04
    remark3: str | None = None  # MOA05
    remark4: str | None = None  # MOA06
    remark5: str | None = None  # MOA07
    esrd_payment: Decimal | None = None  # MOA08
    nonpayable_professional_component: Decimal | None = None  # MOA09

    @property
    def remarks(self) -> tuple[str, ...]:
        """The RARCs (MOA03-07) present."""
        vals = (self.remark1, self.remark2, self.remark3, self.remark4, self.remark5)
        return tuple(v for v in vals if v)


@attrs.frozen(slots=True)
class ProviderSummary:
    """TS3: provider summary of the claims in one LX group (see SUMMARY_FIELDS)."""

    provider_id: str | None = None  # TS301
    facility_type: str | None = None  # TS302
    fiscal_period_end: _dt.date | None = None  # TS303
    claim_count: Decimal | None = None  # TS304
    total_charge: Decimal | None = None  # TS305
    total_msp_payer: Decimal | None = None  # TS313
    total_non_lab_charge: Decimal | None = None  # TS315
    total_hcpcs_reported_charge: Decimal | None = None  # TS317
    total_hcpcs_payable: Decimal | None = None  # TS318
    total_professional_component: Decimal | None = None  # TS320
    total_msp_patient_liability_met: Decimal | None = None  # TS321
    total_patient_reimbursement: Decimal | None = None  # TS322
    total_pip_claim_count: Decimal | None = None  # TS323
    total_pip_adjustment: Decimal | None = None  # TS324


@attrs.frozen(slots=True)
class ProviderSupplementalSummary:
    """TS2: Medicare Part A supplemental summary (see SUPPLEMENTAL_FIELDS)."""

    total_drg: Decimal | None = None  # TS201
    total_federal_specific: Decimal | None = None
    total_hospital_specific: Decimal | None = None
    total_disproportionate_share: Decimal | None = None
    total_capital: Decimal | None = None
    total_indirect_medical_education: Decimal | None = None
    total_outlier_day_count: Decimal | None = None
    total_day_outlier: Decimal | None = None
    total_cost_outlier: Decimal | None = None
    average_drg_length_of_stay: Decimal | None = None
    total_discharge_count: Decimal | None = None
    total_cost_report_day_count: Decimal | None = None
    total_covered_day_count: Decimal | None = None
    total_noncovered_day_count: Decimal | None = None
    total_msp_pass_through: Decimal | None = None
    average_drg_weight: Decimal | None = None
    total_pps_capital_fsp_drg: Decimal | None = None
    total_pps_capital_hsp_drg: Decimal | None = None
    total_pps_dsh_drg: Decimal | None = None  # TS219


# ------------------------------------------------------------------ service / claim
@attrs.frozen(slots=True)
class ServicePayment:
    """Loop 2110: one service line as adjudicated (SVC and what follows it)."""

    procedure: Procedure  # SVC01 adjudicated procedure
    charge: Decimal  # SVC02 line item charge
    paid: Decimal  # SVC03 line item provider payment
    revenue_code: str | None = None  # SVC04 (NUBC revenue code)
    units: Decimal | None = None  # SVC05 units of service paid
    submitted_procedure: Procedure | None = None  # SVC06 when it differs from SVC01
    submitted_units: Decimal | None = None  # SVC07 original units of service
    service_date: _dt.date | None = None  # DTM*472
    service_from: _dt.date | None = None  # DTM*150
    service_to: _dt.date | None = None  # DTM*151
    adjustments: tuple[Adjustment, ...] = ()  # CAS, one per triplet
    references: tuple[Reference, ...] = ()  # REF (6R line item control number, LU, ...)
    amounts: tuple[Amount, ...] = ()  # AMT (B6 allowed, KH late filing reduction, ...)
    quantities: tuple[Quantity, ...] = ()  # QTY
    remarks: tuple[RemarkCode, ...] = ()  # LQ (HE = RARC)
    unmapped: tuple[UnmappedSegment, ...] = ()

    @property
    def line_item_control_number(self) -> str | None:
        """REF*6R: the provider's line item control number from the claim (REF*6R / LX)."""
        for r in self.references:
            if r.qualifier == "6R":
                return r.value
        return None

    @property
    def allowed(self) -> Decimal | None:
        """AMT*B6 allowed actual amount."""
        for a in self.amounts:
            if a.qualifier == "B6":
                return a.amount
        return None

    @property
    def adjustment_total(self) -> Decimal:
        """Sum of the line's CAS amounts."""
        return sum((a.amount for a in self.adjustments), Decimal(0))


@attrs.frozen(slots=True)
class ClaimPayment:
    """Loop 2100: one claim as adjudicated (CLP and what follows it)."""

    patient_control_number: str  # CLP01 (the provider's CLM01)
    status: str  # CLP02 (a ClaimStatus value)
    charge: Decimal  # CLP03 total claim charge
    paid: Decimal  # CLP04 claim payment amount
    patient_responsibility: Decimal | None = None  # CLP05
    filing_indicator: str | None = None  # CLP06 claim filing indicator (MC, 12, HM...)
    payer_claim_number: str | None = None  # CLP07 payer claim control number
    facility_type: str | None = None  # CLP08 facility type / place of service
    frequency: str | None = None  # CLP09 claim frequency code
    drg_code: str | None = None  # CLP11
    drg_weight: Decimal | None = None  # CLP12
    discharge_fraction: Decimal | None = None  # CLP13
    adjustments: tuple[Adjustment, ...] = ()  # claim-level CAS, one per triplet
    patient: Party | None = None  # NM1*QC
    insured: Party | None = None  # NM1*IL
    corrected_patient: Party | None = None  # NM1*74
    rendering_provider: Party | None = None  # NM1*82
    crossover_carrier: Party | None = None  # NM1*TT
    corrected_priority_payer: Party | None = None  # NM1*PR
    other_subscriber: Party | None = None  # NM1*GB
    inpatient: InpatientAdjudication | None = None  # MIA
    outpatient: OutpatientAdjudication | None = None  # MOA
    references: tuple[Reference, ...] = ()  # REF (other claim ids; rendering provider ids)
    statement_from: _dt.date | None = None  # DTM*232
    statement_to: _dt.date | None = None  # DTM*233
    coverage_expiration: _dt.date | None = None  # DTM*036
    received: _dt.date | None = None  # DTM*050
    contacts: tuple[Contact, ...] = ()  # PER*CX claim contact
    amounts: tuple[Amount, ...] = ()  # AMT (AU coverage amount, I interest, ...)
    quantities: tuple[Quantity, ...] = ()  # QTY
    services: tuple[ServicePayment, ...] = ()  # loop 2110
    unmapped: tuple[UnmappedSegment, ...] = ()

    @property
    def is_denied(self) -> bool:
        return self.status == ClaimStatus.DENIED

    @property
    def is_reversal(self) -> bool:
        return self.status == ClaimStatus.REVERSAL

    @property
    def adjustment_total(self) -> Decimal:
        """Sum of the claim-level CAS amounts (not the lines')."""
        return sum((a.amount for a in self.adjustments), Decimal(0))

    def amount(self, qualifier: str) -> Decimal | None:
        """The AMT amount with this qualifier (AU, I, ...)."""
        for a in self.amounts:
            if a.qualifier == qualifier:
                return a.amount
        return None


@attrs.frozen(slots=True)
class ClaimGroup:
    """Loop 2000: claims under one header number (LX01), with the provider summaries."""

    number: str | None = None  # LX01 (None when the payer sent claims without LX)
    summary: ProviderSummary | None = None  # TS3
    supplemental: ProviderSupplementalSummary | None = None  # TS2
    claims: tuple[ClaimPayment, ...] = ()
    unmapped: tuple[UnmappedSegment, ...] = ()


@attrs.frozen(slots=True)
class ProviderAdjustment:
    """One PLB reason/amount pair: a provider-level adjustment (positive reduces the payment)."""

    provider_id: str  # PLB01
    fiscal_period_end: _dt.date  # PLB02
    reason: str  # PLB03-1 (WO overpayment recovery, L6 interest, FB forwarding balance...)
    amount: Decimal  # PLB04
    reference: str | None = None  # PLB03-2


@attrs.frozen(slots=True)
class Remittance:
    """One payment and its advice: an 835 transaction set."""

    handling: str  # BPR01 (a TransactionHandling value)
    amount: Decimal  # BPR02 total actual provider payment
    credit_debit: str  # BPR03 (C/D)
    method: str  # BPR04 (ACH, CHK, NON, ...)
    trace_number: str  # TRN02 check or EFT trace number
    payer: RemittanceParty  # loop 1000A
    payee: RemittanceParty  # loop 1000B
    payment_format: str | None = None  # BPR05 (CCP, CTX)
    sender_bank: BankAccount | None = None  # BPR06-09
    originating_company_id: str | None = None  # BPR10
    originating_company_code: str | None = None  # BPR11
    receiver_bank: BankAccount | None = None  # BPR12-15
    payment_date: _dt.date | None = None  # BPR16 check issue or EFT effective date
    trace_type: str = "1"  # TRN01
    trace_originator: str | None = None  # TRN03 payer identifier (1 + TIN)
    trace_originator_supplemental: str | None = None  # TRN04
    currency: str | None = None  # CUR02 (CUR01 = PR)
    references: tuple[Reference, ...] = ()  # REF*EV receiver id, REF*F2 version
    production_date: _dt.date | None = None  # DTM*405
    groups: tuple[ClaimGroup, ...] = ()  # loop 2000
    provider_adjustments: tuple[ProviderAdjustment, ...] = ()  # PLB
    unmapped: tuple[UnmappedSegment, ...] = ()

    @property
    def claims(self) -> tuple[ClaimPayment, ...]:
        """Every claim payment in order, across the LX groups."""
        if len(self.groups) == 1:
            return self.groups[0].claims
        return tuple(c for g in self.groups for c in g.claims)

    @property
    def receiver_id(self) -> str | None:
        """REF*EV receiver identification."""
        for r in self.references:
            if r.qualifier == "EV":
                return r.value
        return None

    @property
    def provider_adjustment_total(self) -> Decimal:
        return sum((p.amount for p in self.provider_adjustments), Decimal(0))
