"""Synthetic but realistic institutional claims (837I), for tests, demos and benchmarks.

``generate(count, seed)`` gives the same claims for the same arguments: hospital billing
providers with valid NPIs, inpatient (type of bill 11x, admission date/hour, DRG, ICD-10-PCS
procedures) and outpatient (13x) claims, revenue-coded lines with HCPCS codes, POA
indicators, occurrence/value/condition codes, some dependents and some secondary claims
with the primary payer's adjudication. ``every_loop=True`` rotates every optional loop and
segment the models cover (pay-to address and plan, 2310A-F, 2320/2330A-I, 2410, 2420A-D,
2430, external causes, reason for visit, occurrence spans, treatment codes...) through the
claims, so that a handful of claims exercise them all. Nothing here is a real person.
"""

from __future__ import annotations

import datetime as _dt
import random
from decimal import Decimal

import attrs

from edi837.fake import CITIES, FIRST, LAST, PAYERS, STREETS, make_npi, receiver, submitter
from models.claim import (
    Attachment,
    Drug,
    Note,
    Patient,
    Payer,
    Provider,
    Reference,
    Subscriber,
)
from models.common import Address, Adjustment, AdjustmentGroup, Contact
from models.institutional import (
    InstitutionalClaim,
    InstitutionalDiagnosis,
    InstitutionalLineAdjudication,
    InstitutionalOtherPayer,
    InstitutionalServiceLine,
    Occurrence,
    OccurrenceSpan,
    ProcedureCode,
    ValueCode,
)

__all__ = ["generate", "receiver", "submitter"]

HOSPITALS = ("GENERAL HOSPITAL", "ST MARY MEDICAL CENTER", "COUNTY HOSPITAL", "VALLEY CLINIC")
ICD10 = ("J189", "I214", "N390", "K359", "E1165", "I509", "J441", "A419", "S72001A", "R079")
EXTERNAL = ("W010XXA", "V4352XA", "W1830XA", "X58XXXA")
PCS = ("0DTJ4ZZ", "0SR90J9", "02703ZZ", "0FT44ZZ", "30233N1", "5A1955Z")
REVENUE = (
    ("0120", None, "1450.00"),  # room and board, semi-private (days)
    ("0250", None, "35.20"),
    ("0300", "85025", "42.00"),
    ("0320", "71046", "180.00"),
    ("0450", "99284", "820.00"),
    ("0636", "J1885", "12.50"),
    ("0730", "93005", "76.54"),
    ("0360", "47562", "5200.00"),
)
TAXONOMY = ("282N00000X", "207R00000X", "207Q00000X", "208600000X")
_POA = ("Y", "N", "U", "W", None)
_CENT = Decimal("0.01")


class _Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.base = _dt.date(2024, 1, 1) + _dt.timedelta(days=self.r.randrange(300))

    def address(self) -> Address:
        r = self.r
        city, state, z = r.choice(CITIES)
        return Address(f"{r.randrange(1, 9999)} {r.choice(STREETS)}", city, state, z + "1234")

    def person(self, taxonomy: bool = False) -> Provider:
        r = self.r
        return Provider(
            r.choice(LAST),
            make_npi(r),
            "1",
            first_name=r.choice(FIRST),
            taxonomy=r.choice(TAXONOMY) if taxonomy else None,
        )

    def billing(self) -> Provider:
        r = self.r
        return Provider(
            r.choice(HOSPITALS),
            make_npi(r),
            "2",
            taxonomy="282N00000X",
            tax_id=f"{r.randrange(10, 99)}{r.randrange(10_000_000):07d}",
            address=self.address(),
            contacts=(Contact("PATIENT ACCOUNTS", (("TE", f"555555{r.randrange(10000):04d}"),)),),
        )

    def subscriber(self, responsibility: str = "P") -> Subscriber:
        r = self.r
        return Subscriber(
            r.choice(LAST),
            f"M{r.randrange(100_000_000, 999_999_999)}",
            first_name=r.choice(FIRST),
            payer_responsibility=responsibility,
            claim_filing_code="CI",
            group_number=f"GRP{r.randrange(10000, 99999)}",
            address=self.address(),
            birth_date=_dt.date(r.randrange(1940, 2004), r.randrange(1, 13), r.randrange(1, 29)),
            gender=r.choice("FM"),
        )

    def payer(self) -> Payer:
        name, pid = self.r.choice(PAYERS)
        return Payer(name, pid)

    def diag(self, codes: tuple[str, ...] = ICD10) -> InstitutionalDiagnosis:
        return InstitutionalDiagnosis(self.r.choice(codes), self.r.choice(_POA))

    def lines(self, start: _dt.date, days: int, inpatient: bool) -> list[InstitutionalServiceLine]:
        r = self.r
        out: list[InstitutionalServiceLine] = []
        if inpatient:
            out.append(
                InstitutionalServiceLine(
                    "0120", Decimal("1450.00") * days, Decimal(days), "DA", service_date=start
                )
            )
        for _ in range(r.randrange(1, 4)):
            rev, hcpcs, price = r.choice(REVENUE[1:])
            units = r.randrange(1, 4)
            out.append(
                InstitutionalServiceLine(
                    rev,
                    (Decimal(price) * units).quantize(_CENT),
                    Decimal(units),
                    procedure=hcpcs,
                    service_date=start + _dt.timedelta(days=r.randrange(days + 1)),
                )
            )
        return out

    def claim(self, i: int, every_loop: bool) -> InstitutionalClaim:
        r = self.r
        start = self.base + _dt.timedelta(days=r.randrange(60))
        inpatient = r.random() < 0.5
        days = r.randrange(1, 6) if inpatient else 0
        end = start + _dt.timedelta(days=days)
        lines = self.lines(start, days, inpatient)
        payer = self.payer()
        sub = self.subscriber()
        patient: Patient | None = None
        if r.random() < 0.3:
            patient = Patient(
                sub.last_name,
                "19",
                sub.address,
                _dt.date(r.randrange(2006, 2023), r.randrange(1, 13), r.randrange(1, 29)),
                r.choice("FM"),
                first_name=r.choice(FIRST),
            )
        claim = InstitutionalClaim(
            f"PCN{r.randrange(10**8):08d}",
            sum((ln.charge for ln in lines), Decimal(0)),
            "11" if inpatient else "13",
            self.billing(),
            sub,
            payer,
            self.diag(),
            start,
            end,
            "01",
            tuple(lines),
            patient=patient,
            admission_type="1" if inpatient else None,
            admission_source="7" if inpatient else None,
            admission_date=start if inpatient else None,
            admission_hour=f"{r.randrange(24):02d}{r.randrange(60):02d}" if inpatient else None,
            discharge_hour=f"{r.randrange(24):02d}00" if inpatient else None,
            drg=str(r.randrange(1, 999)).zfill(3) if inpatient else None,
            other_diagnoses=tuple(self.diag() for _ in range(r.randrange(0, 4))),
            principal_procedure=ProcedureCode(r.choice(PCS), start) if inpatient else None,
            occurrences=(Occurrence("11", start - _dt.timedelta(days=2)),)
            if r.random() < 0.5
            else (),
            values=(ValueCode("80", Decimal(days)),) if inpatient else (),
            condition_codes=("09",) if r.random() < 0.3 else (),
            attending_provider=self.person(taxonomy=True),
        )
        if every_loop or r.random() < 0.2:
            claim = self.secondary(claim)
        if every_loop:
            claim = self.every(i, claim)
        return claim

    def secondary(self, c: InstitutionalClaim) -> InstitutionalClaim:
        """The claim sent to a second payer after the first paid part of it."""
        first = self.payer()
        while first.id == c.payer.id:
            first = self.payer()
        assert c.statement_end is not None
        paid_date = c.statement_end + _dt.timedelta(days=20)
        adjs: list[InstitutionalLineAdjudication] = []
        total_paid = Decimal(0)
        for ln in c.service_lines:
            co = (ln.charge * Decimal("0.3")).quantize(_CENT)
            pr = (ln.charge * Decimal("0.1")).quantize(_CENT)
            paid = ln.charge - co - pr
            total_paid += paid
            adjs.append(
                InstitutionalLineAdjudication(
                    first.id,
                    paid,
                    ln.units,
                    paid_date,
                    procedure=ln.procedure,
                    revenue_code=ln.revenue_code,
                    adjustments=(
                        Adjustment(AdjustmentGroup.CONTRACTUAL, "45", co),
                        Adjustment(AdjustmentGroup.PATIENT_RESPONSIBILITY, "2", pr),
                    ),
                )
            )
        other_sub = attrs.evolve(
            c.subscriber, relationship="18", payer_responsibility="P", birth_date=None, gender=None
        )
        op = InstitutionalOtherPayer(
            other_sub,
            first,
            paid=total_paid,
            adjudication_date=paid_date,
        )
        lines = tuple(
            attrs.evolve(ln, adjudications=(a,))
            for ln, a in zip(c.service_lines, adjs, strict=True)
        )
        sub = attrs.evolve(c.subscriber, payer_responsibility="S")
        return attrs.evolve(c, subscriber=sub, other_payers=(op,), service_lines=lines)

    def every(self, i: int, c: InstitutionalClaim) -> InstitutionalClaim:
        """Every optional loop and segment the models cover, rotated over the claims."""
        r = self.r
        k = i % 3
        start, end = c.statement_start, c.statement_end
        assert start is not None and end is not None
        changes: dict[str, object] = {}
        if k == 0:
            changes.update(
                pay_to_address=self.address(),
                pay_to_plan=Payer(
                    "PLAN TRUST",
                    "PT1234",
                    address=self.address(),
                    secondary_ids=(Reference("EI", "123456789"),),
                ),
                operating_physician=self.person(),
                other_operating_physician=self.person(),
                rendering_provider=self.person(),
                service_facility=Provider(
                    "OUTPATIENT CENTER", make_npi(r), "2", address=self.address()
                ),
                referring_provider=self.person(),
                admitting_diagnosis="R079",
                reason_for_visit=("R079", "R0789"),
                external_causes=(InstitutionalDiagnosis(r.choice(EXTERNAL), "Y"),),
                other_procedures=(ProcedureCode(r.choice(PCS), start),),
                occurrence_spans=(OccurrenceSpan("70", start, end),),
                treatment_codes=("TX1",),
                attachments=(Attachment("09", "AA"),),
                patient_estimated_due=Decimal("100.00"),
                references=(Reference("EA", f"MR{r.randrange(10**6)}"),),
                notes=(Note("ADD", "SEE ATTACHED"),),
                repricer_received=end,
                delay_reason="1",
            )
        elif k == 1:
            op = c.other_payers[0]
            op = attrs.evolve(
                op,
                remaining_liability=Decimal("10.00"),
                non_covered=Decimal("0"),
                adjustments=(Adjustment(AdjustmentGroup.CONTRACTUAL, "45", Decimal("0")),),
                payer_references=(Reference("F8", "ORIGCLAIM1"),),
                attending_provider=Provider(
                    None, None, "1", secondary_ids=(Reference("1G", "A1"),)
                ),
                operating_physician=Provider(
                    None, None, "1", secondary_ids=(Reference("G2", "B2"),)
                ),
                other_operating_physician=Provider(
                    None, None, "1", secondary_ids=(Reference("G2", "C3"),)
                ),
                service_facility=_ids("2", "G2", "D4"),
                rendering_provider=Provider(
                    None, None, "1", secondary_ids=(Reference("G2", "E5"),)
                ),
                referring_provider=Provider(
                    None, None, "1", secondary_ids=(Reference("G2", "F6"),)
                ),
                billing_provider=_ids("2", "G2", "G7"),
            )
            changes["other_payers"] = (op,)
        ln = c.service_lines[0]
        ln = attrs.evolve(
            ln,
            procedure=ln.procedure or "J1885",
            modifiers=("59",) if k == 0 else (),
            non_covered=Decimal("0") if k == 0 else None,
            service_date_end=ln.service_date if k == 2 else None,
            control_number=f"LN{i}",
            references=(Reference("9B", "REPRICED1"),) if k == 2 else (),
            service_tax=Decimal("1.00") if k == 1 else None,
            facility_tax=Decimal("2.00") if k == 1 else None,
            third_party_note="THIRD PARTY NOTE" if k == 2 else None,
            attachments=(Attachment("03", "BM"),) if k == 2 else (),
            drug=Drug("00002143380", Decimal("1"), "UN") if k == 0 else None,
            operating_physician=self.person() if k == 0 else None,
            other_operating_physician=self.person() if k == 1 else None,
            rendering_provider=self.person() if k == 2 else None,
            referring_provider=self.person() if k == 0 else None,
        )
        if ln.adjudications:
            adj = ln.adjudications[0]
            adj = attrs.evolve(
                adj,
                procedure=ln.procedure,
                modifiers=ln.modifiers,
                remaining_liability=Decimal("1.00") if k == 1 else None,
                bundled_line="1" if k == 2 else None,
            )
            ln = attrs.evolve(ln, adjudications=(adj,))
        changes["service_lines"] = (ln, *c.service_lines[1:])
        return attrs.evolve(c, **changes)  # type: ignore[arg-type]


def _ids(entity: str, qualifier: str, value: str) -> Provider:
    """A 2330C-I provider: entity type and one secondary id (the loops have no name)."""
    return Provider(None, None, entity, secondary_ids=(Reference(qualifier, value),))


def generate(count: int, seed: int = 0, every_loop: bool = False) -> list[InstitutionalClaim]:
    """``count`` institutional claims, the same for the same arguments."""
    g = _Gen(seed)
    return [g.claim(i, every_loop) for i in range(count)]
