"""Test remittances: adjudicate claims the way a payer would, balanced at every level.

:func:`adjudicate` takes :class:`ClaimInput` objects (what an 837 says about a claim) and a
seed and returns a :class:`~models.remittance.Remittance`: some claims paid in full, some
reduced by contract (CO-45), some with deductible / coinsurance / copay (PR-1/2/3), some
denied (CLP02 = 4, or a line paid zero) with realistic CARC/RARC pairs, an occasional
reversal and correction (CLP02 = 22 followed by the corrected claim) and provider-level
adjustments (PLB interest or overpayment recovery). Every line, claim and the transaction
balance (see :mod:`edi835.balance`).

:func:`claims_from_837` reads the claims of an 837 (P, I or D) with the x12 layer only
(tokenizer and envelopes), because ``edi835`` does not import ``edi837`` (the two
transaction packages stay independent; what both need lives in ``x12`` and ``models``).
:func:`synthetic_claims` makes claims from nothing, for benchmarks and examples.
"""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs

from models.common import Address, Adjustment, AdjustmentGroup, Contact
from models.remittance import (
    Amount,
    BankAccount,
    ClaimGroup,
    ClaimPayment,
    Party,
    Procedure,
    ProviderAdjustment,
    Reference,
    RemarkCode,
    Remittance,
    RemittanceParty,
    ServicePayment,
)
from x12.envelope import Source, read_interchanges

__all__ = [
    "ClaimInput",
    "LineInput",
    "adjudicate",
    "claims_from_837",
    "synthetic_claims",
]

_CENT = Decimal("0.01")
_ZERO = Decimal(0)
CO = AdjustmentGroup.CONTRACTUAL
PR = AdjustmentGroup.PATIENT_RESPONSIBILITY
OA = AdjustmentGroup.OTHER

# Denial reasons a payer commonly gives: (group, CARC, RARCs).
DENIALS: tuple[tuple[AdjustmentGroup, str, tuple[str, ...]], ...] = (
    (CO, "50", ("N115",)),  # not medically necessary
    (CO, "97", ("M15",)),  # included in another service
    (CO, "16", ("M51", "N290")),  # lacks information
    (CO, "29", ()),  # timely filing
    (CO, "96", ("N130",)),  # non-covered
    (OA, "18", ("N522",)),  # duplicate
    (CO, "109", ("N418",)),  # not covered by this payer
    (PR, "204", ("N130",)),  # not covered under the patient's plan
)


@attrs.frozen
class LineInput:
    """A service line as billed (SV1/SV2/SV3)."""

    procedure: Procedure
    charge: Decimal
    units: Decimal = Decimal(1)
    service_date: _dt.date | None = None
    line_control: str | None = None  # REF*6R
    revenue_code: str | None = None  # SV201 (institutional)


@attrs.frozen
class ClaimInput:
    """A claim as billed (CLM and its lines)."""

    patient_control_number: str
    charge: Decimal
    lines: tuple[LineInput, ...]
    patient_last: str = "DOE"
    patient_first: str | None = "JANE"
    member_id: str = "MEMBER0001"
    filing_indicator: str = "12"
    facility_type: str = "11"
    frequency: str = "1"
    statement_from: _dt.date | None = None
    statement_to: _dt.date | None = None


@attrs.frozen
class Parties:
    """Who pays whom (from the 837 when there is one)."""

    payer_name: str = "ACME HEALTH PLAN"
    payer_id: str = "99999"
    payee_name: str = "SUNRISE CLINIC"
    payee_npi: str = "1234567893"
    payee_tin: str = "371234567"
    payee_address: Address = attrs.field(
        factory=lambda: Address("200 OAK AVE", "SPRINGFIELD", "IL", "62702")
    )


def _money(x: Decimal) -> Decimal:
    return x.quantize(_CENT, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------- adjudication
def _adjudicate_line(
    rng: random.Random, line: LineInput, outcome: str, pr_left: list[Decimal]
) -> ServicePayment:
    c = line.charge
    adj: list[Adjustment] = []
    remarks: list[RemarkCode] = []
    allowed: Decimal | None
    if outcome == "deny" or (outcome != "full" and rng.random() < 0.06):
        group, carc, rarcs = rng.choice(DENIALS)
        adj.append(Adjustment(group, carc, c))
        remarks = [RemarkCode("HE", r) for r in rarcs]
        paid = _ZERO
        allowed = _ZERO if group is not PR else None
    elif outcome == "full":
        paid = c
        allowed = c
    else:
        allowed = _money(c * Decimal(rng.randint(55, 95)) / 100)
        if allowed < c:
            adj.append(Adjustment(CO, "45", c - allowed))
        patient = _ZERO
        if outcome == "patient":
            left = allowed
            ded = min(left, pr_left[0])
            if ded > 0:
                adj.append(Adjustment(PR, "1", ded))
                pr_left[0] -= ded
                left -= ded
            kind = rng.choice(("coins", "copay", "both"))
            if kind in ("copay", "both") and left > 0:
                copay = min(left, Decimal(rng.choice((10, 20, 25, 30))))
                adj.append(Adjustment(PR, "3", copay))
                left -= copay
            if kind in ("coins", "both") and left > 0:
                coins = _money(left * Decimal("0.2"))
                if coins > 0:
                    adj.append(Adjustment(PR, "2", coins))
                    left -= coins
            patient = allowed - left
        paid = allowed - patient
    svc_date = line.service_date
    return ServicePayment(
        procedure=line.procedure,
        charge=c,
        paid=paid,
        revenue_code=line.revenue_code,
        units=line.units,
        service_date=svc_date,
        adjustments=tuple(adj),
        references=(Reference("6R", line.line_control),) if line.line_control else (),
        amounts=(Amount("B6", allowed),) if allowed is not None else (),
        remarks=tuple(remarks),
    )


def _claim_payment(
    claim: ClaimInput,
    status: str,
    payer_claim_number: str,
    services: Sequence[ServicePayment],
    claim_adjustments: Sequence[Adjustment] = (),
) -> ClaimPayment:
    paid = sum((s.paid for s in services), _ZERO)
    cas = list(claim_adjustments)
    charge = claim.charge
    lines_charge = sum((s.charge for s in services), _ZERO)
    if lines_charge != charge:
        # Lines do not add up to the claim charge (a claim without lines, or the 837's
        # CLM02 differs): the difference is a claim-level contractual adjustment.
        cas.append(Adjustment(CO, "45", charge - lines_charge))
    pr = sum((a.amount for s in services for a in s.adjustments if a.group is PR), _ZERO) + sum(
        (a.amount for a in cas if a.group is PR), _ZERO
    )
    return ClaimPayment(
        patient_control_number=claim.patient_control_number,
        status=status,
        charge=charge,
        paid=paid,
        patient_responsibility=pr,
        filing_indicator=claim.filing_indicator,
        payer_claim_number=payer_claim_number,
        facility_type=claim.facility_type,
        frequency=claim.frequency,
        adjustments=tuple(cas),
        patient=Party(
            "QC",
            "1",
            claim.patient_last,
            claim.patient_first,
            id_qualifier="MI",
            id=claim.member_id,
        ),
        statement_from=claim.statement_from,
        statement_to=claim.statement_to,
        services=tuple(services),
    )


def _negate(c: ClaimPayment) -> ClaimPayment:
    def adj(items: tuple[Adjustment, ...]) -> tuple[Adjustment, ...]:
        return tuple(Adjustment(a.group, a.reason, -a.amount, a.quantity) for a in items)

    services = tuple(
        attrs.evolve(
            s,
            charge=-s.charge,
            paid=-s.paid,
            adjustments=adj(s.adjustments),
            amounts=tuple(Amount(a.qualifier, -a.amount) for a in s.amounts),
            remarks=(),
        )
        for s in c.services
    )
    return attrs.evolve(
        c,
        status="22",
        charge=-c.charge,
        paid=-c.paid,
        patient_responsibility=-(c.patient_responsibility or _ZERO),
        adjustments=adj(c.adjustments),
        services=services,
    )


def adjudicate(
    claims: Sequence[ClaimInput],
    *,
    seed: int = 0,
    parties: Parties | None = None,
    payment_date: _dt.date | None = None,
    trace_number: str | None = None,
) -> Remittance:
    """A balanced remittance paying (or not) ``claims``; the same seed gives the same file."""
    rng = random.Random(seed)
    p = parties or Parties()
    when = payment_date or _dt.date(2024, 1, 15) + _dt.timedelta(days=rng.randint(0, 300))
    out: list[ClaimPayment] = []
    pr_left = [Decimal(rng.choice((0, 0, 50, 100, 250)))]
    for i, claim in enumerate(claims):
        r = rng.random()
        outcome = (
            "full" if r < 0.15 else "contract" if r < 0.50 else "patient" if r < 0.85 else "deny"
        )
        if i % 7 == 0:
            pr_left = [Decimal(rng.choice((0, 50, 100, 250)))]
        services = [_adjudicate_line(rng, ln, outcome, pr_left) for ln in claim.lines]
        denied = outcome == "deny" or (services and all(s.paid == 0 for s in services))
        number = f"{when:%y%j}{seed % 1000:03d}{i + 1:07d}"
        claim_adj: list[Adjustment] = []
        if not claim.lines:
            claim_adj.append(Adjustment(CO, rng.choice(("16", "50")), claim.charge))
            denied = True
        status = "4" if denied else "1"
        payment = _claim_payment(claim, status, number, services, claim_adj)
        if not denied and rng.random() < 0.04:
            # An earlier payment of this claim is reversed and the claim paid again.
            earlier = _claim_payment(
                claim,
                "1",
                number[:-1] + "9",
                [_adjudicate_line(rng, ln, "contract", [_ZERO]) for ln in claim.lines],
            )
            out.append(_negate(earlier))
        out.append(payment)
    total = sum((c.paid for c in out), _ZERO)
    plb: list[ProviderAdjustment] = []
    year_end = _dt.date(when.year, 12, 31)
    if out and rng.random() < 0.5:
        interest = _money(Decimal(rng.randint(100, 2500)) / 100)
        plb.append(ProviderAdjustment(p.payee_npi, year_end, "L6", -interest, None))
    if total > 100 and rng.random() < 0.4:
        recovery = _money(min(total / 4, Decimal(rng.randint(1000, 20000)) / 100))
        ref = f"{when:%Y%m%d}{rng.randint(1000, 9999)}"
        plb.append(ProviderAdjustment(p.payee_npi, year_end, "WO", recovery, ref))
    amount = total - sum((x.amount for x in plb), _ZERO)
    if amount < 0:
        # Never a negative payment: the balance is carried forward (PLB FB).
        plb.append(ProviderAdjustment(p.payee_npi, year_end, "FB", amount, None))
        amount = _ZERO
    trace = trace_number or f"{seed % 100000:05d}{rng.randint(10**6, 10**7 - 1)}"
    tin = "1" + p.payee_tin.rjust(9, "0")[-9:]
    method = "NON" if amount == 0 else ("ACH" if rng.random() < 0.6 else "CHK")
    ach = method == "ACH"
    return Remittance(
        handling="H" if method == "NON" else ("C" if ach else "I"),
        amount=amount,
        credit_debit="C",
        method=method,
        payment_format="CCP" if ach else None,
        sender_bank=BankAccount("01", "071000013", "DA", "1234567890") if ach else None,
        originating_company_id=tin if ach else None,
        receiver_bank=BankAccount("01", "021000021", "DA", "9876543210") if ach else None,
        payment_date=when,
        trace_type="1",
        trace_number=trace,
        trace_originator=tin,
        references=(Reference("EV", "RECEIVER01"),),
        production_date=when - _dt.timedelta(days=2),
        payer=RemittanceParty(
            name=p.payer_name,
            id_qualifier="XV",
            id=p.payer_id,
            address=Address("100 MAIN ST", "SPRINGFIELD", "IL", "62701"),
            contacts=(Contact("EDI SUPPORT", (("TE", "8005559876"),), "BL"),),
        ),
        payee=RemittanceParty(
            name=p.payee_name,
            id_qualifier="XX",
            id=p.payee_npi,
            address=p.payee_address,
            references=(Reference("TJ", p.payee_tin),),
        ),
        groups=(ClaimGroup(number="1", claims=tuple(out)),) if out else (),
        provider_adjustments=tuple(plb),
    )


# ------------------------------------------------------------------------------ inputs
_CODES = (
    ("99213", Decimal("125.00")),
    ("99214", Decimal("185.00")),
    ("99203", Decimal("160.00")),
    ("85025", Decimal("35.00")),
    ("80053", Decimal("48.00")),
    ("71046", Decimal("95.00")),
    ("97110", Decimal("70.00")),
    ("36415", Decimal("15.00")),
    ("93000", Decimal("60.00")),
    ("90471", Decimal("28.00")),
)
_LAST = ("SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS")
_FIRST = ("JAMES", "MARY", "ROBERT", "PATRICIA", "JOHN", "JENNIFER", "MICHAEL", "LINDA")


def synthetic_claims(count: int, *, seed: int = 0) -> list[ClaimInput]:
    """``count`` made-up professional claims (1-4 lines each)."""
    rng = random.Random(seed ^ 0x835)
    out: list[ClaimInput] = []
    start = _dt.date(2024, 1, 2)
    for i in range(count):
        day = start + _dt.timedelta(days=rng.randint(0, 300))
        lines = []
        for j in range(rng.choice((1, 1, 2, 2, 3, 4))):
            code, price = rng.choice(_CODES)
            units = Decimal(rng.choice((1, 1, 1, 2)))
            mods = (rng.choice(("25", "59", "GT")),) if rng.random() < 0.1 else ()
            lines.append(
                LineInput(
                    Procedure("HC", code, mods),
                    price * units,
                    units,
                    day,
                    f"L{i + 1:07d}{j + 1:02d}",
                )
            )
        out.append(
            ClaimInput(
                patient_control_number=f"PCN{seed % 1000:03d}{i + 1:07d}",
                charge=sum((ln.charge for ln in lines), _ZERO),
                lines=tuple(lines),
                patient_last=rng.choice(_LAST),
                patient_first=rng.choice(_FIRST),
                member_id=f"M{rng.randint(10**8, 10**9 - 1)}",
            )
        )
    return out


def _d8(value: str) -> _dt.date | None:
    v = value.split("-")[0]
    if len(v) != 8 or not v.isdigit():
        return None
    try:
        return _dt.date(int(v[:4]), int(v[4:6]), int(v[6:]))
    except ValueError:
        return None


def _components(value: str, comp: str) -> list[str]:
    """Split a composite, tolerating files whose composites use another separator than
    ISA16 (seen in published examples)."""
    if comp not in value:
        for ch in value:
            if not ch.isalnum() and ch not in " -.":
                return value.split(ch)
    return value.split(comp)


def _filing(code: str) -> str:
    """An 837 claim filing indicator (SBR09) as the 835's CLP06 list has it."""
    from edi835.guide_x221a1 import GUIDE  # a large table, only needed here

    allowed = GUIDE.segment("2100", "CLP").codes_of(6)
    if code in allowed:
        return code
    return {"CI": "15", "BL": "15", "HM": "HM", "11": "ZZ"}.get(code, "ZZ")


def claims_from_837(source: Source) -> tuple[list[ClaimInput], Parties]:
    """The claims of an 837 (P, I or D) and who is billing whom, read with x12 only.

    A linear walk: NM1*85 billing provider, NM1*PR payer, NM1*IL/QC subscriber/patient,
    SBR09 filing indicator, CLM claim, LX/SV1/SV2/SV3 lines with DTP*472 and REF*6R.
    """
    claims: list[ClaimInput] = []
    parties = Parties()
    pay: dict[str, Any] = {}
    for ic in read_interchanges(source):
        for tx in ic.transactions:
            if tx.id != "837":
                continue
            comp = tx.delimiters.component
            cur: dict[str, object] | None = None
            lines: list[dict[str, object]] = []
            who = ""
            person = {"last": "DOE", "first": None, "id": "MEMBER0001"}
            filing = "ZZ"

            def close(cur: dict[str, object] | None, lines: list[dict[str, object]]) -> None:
                if cur is None:
                    return
                base: ClaimInput = cur["claim"]  # type: ignore[assignment]
                ls = tuple(
                    LineInput(
                        procedure=ln["procedure"],  # type: ignore[arg-type]
                        charge=ln["charge"],  # type: ignore[arg-type]
                        units=ln.get("units") or Decimal(1),  # type: ignore[arg-type]
                        service_date=ln.get("date"),  # type: ignore[arg-type]
                        line_control=ln.get("ctrl"),  # type: ignore[arg-type]
                        revenue_code=ln.get("rev"),  # type: ignore[arg-type]
                    )
                    for ln in lines
                    if "procedure" in ln
                )
                claims.append(attrs.evolve(base, lines=ls))

            for seg in tx.segments:
                sid = seg[0]
                e = seg + [""] * (13 - len(seg))
                if sid == "NM1":
                    who = e[1]
                    if who == "85":
                        pay["payee_name"] = e[3] or parties.payee_name
                        if e[8] == "XX" and e[9]:
                            pay["payee_npi"] = e[9]
                    elif who == "PR":
                        pay["payer_name"] = e[3] or parties.payer_name
                        if e[9]:
                            pay["payer_id"] = e[9]
                    elif who in ("IL", "QC"):
                        person = {"last": e[3] or "DOE", "first": e[4] or None, "id": e[9]}
                        if who == "IL" and not e[9]:
                            person["id"] = "MEMBER0001"
                elif sid == "N3" and who == "85":
                    pay["line1"] = e[1]
                elif sid == "N4" and who == "85" and "line1" in pay:
                    pay["payee_address"] = Address(
                        str(pay["line1"]), e[1] or "CITY", e[2] or None, e[3] or None
                    )
                elif sid == "REF" and who == "85" and e[1] == "EI" and e[2]:
                    pay["payee_tin"] = e[2]
                elif sid == "SBR" and e[9]:
                    filing = e[9]
                elif sid == "HL":
                    who = ""
                elif sid == "CLM":
                    close(cur, lines)
                    lines = []
                    pos = _components(e[5], comp)
                    try:
                        charge = Decimal(e[2])
                    except ArithmeticError:
                        charge = _ZERO
                    cur = {
                        "claim": ClaimInput(
                            patient_control_number=e[1] or f"CLAIM{len(claims) + 1}",
                            charge=charge,
                            lines=(),
                            patient_last=str(person["last"]),
                            patient_first=person["first"],
                            member_id=str(person["id"] or "MEMBER0001"),
                            filing_indicator=_filing(filing),
                            facility_type=pos[0] or "11",
                            frequency=(pos[2] if len(pos) > 2 else "") or "1",
                        )
                    }
                elif sid == "LX" and cur is not None:
                    lines.append({})
                elif sid in ("SV1", "SV2", "SV3") and lines:
                    ln = lines[-1]
                    try:
                        if sid == "SV2":
                            comp_el, charge_el, units_el = e[2], e[3], e[5]
                            ln["rev"] = e[1] or None
                        else:
                            comp_el, charge_el, units_el = e[1], e[2], e[4]
                        parts = _components(comp_el, comp)
                        if len(parts) < 2:
                            parts = ["HC", parts[0] or "99999"]
                        ln["procedure"] = Procedure(
                            parts[0], parts[1], tuple(m for m in parts[2:6] if m)
                        )
                        ln["charge"] = Decimal(charge_el)
                        ln["units"] = Decimal(units_el) if units_el and sid != "SV3" else None
                    except ArithmeticError:
                        ln.pop("procedure", None)
                elif sid == "DTP" and e[1] == "472" and lines:
                    lines[-1]["date"] = _d8(e[3])
                elif sid == "REF" and e[1] == "6R" and lines:
                    lines[-1]["ctrl"] = e[2]
            close(cur, lines)
    pay.pop("line1", None)
    if pay:
        parties = attrs.evolve(parties, **pay)
    return claims, parties
