"""Synthetic but realistic professional claims, for tests, demos and benchmarks.

``generate(count, seed)`` gives the same claims for the same arguments: valid NPIs (Luhn
with the 80840 prefix), real-looking ICD-10-CM and CPT/HCPCS codes with modifiers, several
lines per claim, some patients distinct from their subscribers, some secondary claims with
the primary payer's adjudication. ``every_loop=True`` rotates every optional loop and
segment the models cover (pay-to, 2310A-F, 2320/2330A-G, 2410, 2420A-H, 2430, 2440,
ambulance, anesthesia, DME...) through the claims, so that a dozen claims exercise them
all. Nothing here is a real person or provider.
"""

from __future__ import annotations

import datetime as _dt
import random
from decimal import Decimal
from typing import Any

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
    Submitter,
    Subscriber,
)
from models.common import Address, Adjustment, Contact, npi_check_digit

__all__ = ["generate", "make_npi", "receiver", "submitter", "timestamp_for"]

ICD10 = (
    "J069",
    "E119",
    "I10",
    "M545",
    "Z0000",
    "R0781",
    "K219",
    "F419",
    "J209",
    "N390",
    "M25561",
    "R51",
    "E785",
    "Z23",
    "J4520",
    "L409",
    "M1711",
    "R1084",
    "G4700",
    "H6691",
    "S93401A",
    "E039",
    "F329",
    "K5900",
    "B349",
    "R05",
    "Z01419",
    "M79604",
    "E6601",
    "N926",
)
CPT = (
    ("99213", "75.00"),
    ("99214", "110.00"),
    ("99203", "95.00"),
    ("36415", "12.00"),
    ("80053", "38.50"),
    ("85025", "22.00"),
    ("71046", "64.00"),
    ("93000", "45.00"),
    ("90471", "25.00"),
    ("90686", "32.00"),
    ("97110", "48.00"),
    ("20610", "120.00"),
    ("11721", "55.00"),
    ("17110", "90.00"),
    ("G0439", "165.00"),
    ("J1100", "8.25"),
    ("99395", "180.00"),
    ("81002", "9.00"),
    ("87880", "21.00"),
    ("96372", "28.00"),
)
MODIFIERS = ("25", "59", "LT", "RT", "76", "26", "TC", "95", "GT", "XU")
FIRST = (
    "JAMES",
    "MARY",
    "ROBERT",
    "PATRICIA",
    "JOHN",
    "JENNIFER",
    "MICHAEL",
    "LINDA",
    "DAVID",
    "ELIZABETH",
    "WILLIAM",
    "BARBARA",
    "RICHARD",
    "SUSAN",
    "JOSEPH",
    "JESSICA",
    "THOMAS",
    "SARAH",
    "CARLOS",
    "KAREN",
    "NGUYEN",
    "AISHA",
    "OMAR",
    "MEI",
)
LAST = (
    "SMITH",
    "JOHNSON",
    "WILLIAMS",
    "BROWN",
    "JONES",
    "GARCIA",
    "MILLER",
    "DAVIS",
    "RODRIGUEZ",
    "MARTINEZ",
    "HERNANDEZ",
    "LOPEZ",
    "GONZALEZ",
    "WILSON",
    "ANDERSON",
    "THOMAS",
    "TAYLOR",
    "MOORE",
    "JACKSON",
    "MARTIN",
    "LEE",
    "PEREZ",
    "THOMPSON",
    "WHITE",
)
STREETS = (
    "MAIN ST",
    "OAK AVE",
    "MAPLE DR",
    "CEDAR LN",
    "PINE RD",
    "ELM ST",
    "LAKE VIEW DR",
    "HILLCREST RD",
    "WASHINGTON AVE",
    "PARK PL",
)
CITIES = (
    ("SPRINGFIELD", "IL", "62701"),
    ("COLUMBUS", "OH", "43215"),
    ("AUSTIN", "TX", "78701"),
    ("DENVER", "CO", "80202"),
    ("RALEIGH", "NC", "27601"),
    ("MADISON", "WI", "53703"),
    ("BOISE", "ID", "83702"),
    ("ALBANY", "NY", "12207"),
)
PAYERS = (
    ("ACME HEALTH PLAN", "60054"),
    ("BLUE VALLEY INSURANCE", "00435"),
    ("MEDICARE PART B", "04412"),
    ("STATE MEDICAID", "77027"),
    ("UNITED MUTUAL", "87726"),
)
TAXONOMY = (
    "207Q00000X",
    "208D00000X",
    "207R00000X",
    "2084N0400X",
    "261QP2300X",
    "363LF0000X",
    "207X00000X",
)
PRACTICES = (
    "FAMILY CARE CLINIC",
    "RIVERSIDE MEDICAL GROUP",
    "NORTHSIDE PEDIATRICS",
    "SUMMIT ORTHOPEDICS",
    "LAKESHORE INTERNAL MEDICINE",
)
PLACES_OF_SERVICE = ("11", "11", "11", "22", "21", "12", "02")


def make_npi(rng: random.Random) -> str:
    """A random NPI with a valid check digit (starts with 1 or 2)."""
    first = rng.choice("12") + "".join(rng.choice("0123456789") for _ in range(8))
    return first + str(npi_check_digit(first))


def timestamp_for(seed: int) -> _dt.datetime:
    """A fixed ISA/GS timestamp derived from the seed (same seed -> same bytes)."""
    rng = random.Random(f"ts-{seed}")
    base = _dt.datetime(2024, 1, 1, 8, 0)
    return base + _dt.timedelta(days=rng.randrange(365), minutes=rng.randrange(600))


def submitter() -> Submitter:
    """The submitter of generated files."""
    return Submitter(
        "SYNTHETIC BILLING SERVICE",
        "SYNBILL01",
        (Contact("EDI DESK", (("TE", "5555550100"), ("EM", "edi@example.com"))),),
    )


def receiver() -> Receiver:
    """The receiver of generated files."""
    return Receiver("EXAMPLE CLEARINGHOUSE", "EXCLEAR")


class _Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.base = _dt.date(2024, 1, 1) + _dt.timedelta(days=random.Random(seed).randrange(300))

    def address(self, nine: bool = False) -> Address:
        r = self.rng
        city, state, z = r.choice(CITIES)
        postal = z + (f"{r.randrange(10000):04d}" if nine or r.random() < 0.5 else "")
        line2 = f"SUITE {r.randrange(100, 999)}" if r.random() < 0.2 else None
        return Address(f"{r.randrange(1, 9999)} {r.choice(STREETS)}", city, state, postal, line2)

    def person_provider(self, taxonomy: bool = False) -> Provider:
        r = self.rng
        return Provider(
            r.choice(LAST),
            make_npi(r),
            "1",
            first_name=r.choice(FIRST),
            middle_name=r.choice("ABCDEJKLMRST") if r.random() < 0.3 else None,
            taxonomy=r.choice(TAXONOMY) if taxonomy else None,
        )

    def billing(self) -> Provider:
        r = self.rng
        return Provider(
            r.choice(PRACTICES),
            make_npi(r),
            "2",
            taxonomy=r.choice(TAXONOMY),
            tax_id=f"{r.randrange(10, 99)}{r.randrange(1000000):07d}",
            address=self.address(nine=True),
            contacts=(Contact("BILLING OFFICE", (("TE", f"555555{r.randrange(10000):04d}"),)),),
        )

    def subscriber(self, filing: str, responsibility: str = "P") -> Subscriber:
        r = self.rng
        born = _dt.date(r.randrange(1940, 2004), r.randrange(1, 13), r.randrange(1, 29))
        return Subscriber(
            r.choice(LAST),
            f"{r.choice('ABCDEFGHJKMNPRSTUVWXYZ')}{r.randrange(10**8, 10**9)}",
            first_name=r.choice(FIRST),
            payer_responsibility=responsibility,
            group_number=f"GRP{r.randrange(10000, 99999)}" if filing == "CI" else None,
            claim_filing_code=filing,
            address=self.address(),
            birth_date=born,
            gender=r.choice("FM"),
        )

    def payer(self) -> tuple[Payer, str]:
        name, pid = self.rng.choice(PAYERS)
        filing = {"MEDICARE PART B": "MB", "STATE MEDICAID": "MC"}.get(name, "CI")
        return Payer(name, pid), filing

    def patient(self, subscriber: Subscriber) -> Patient:
        r = self.rng
        born = _dt.date(r.randrange(2006, 2023), r.randrange(1, 13), r.randrange(1, 29))
        return Patient(
            subscriber.last_name,
            r.choice(("19", "01", "G8")),
            subscriber.address,
            born,
            r.choice("FM"),
            first_name=r.choice(FIRST),
        )

    def lines(self, n_diag: int, when: _dt.date, pos: str) -> list[ServiceLine]:
        r = self.rng
        out = []
        for _ in range(r.choice((1, 1, 2, 2, 3, 4))):
            code, price = r.choice(CPT)
            units = r.choice((1, 1, 1, 2, 3))
            mods = tuple(r.sample(MODIFIERS, r.choice((0, 0, 0, 1, 1, 2))))
            ptrs = tuple(sorted(r.sample(range(1, n_diag + 1), min(n_diag, r.choice((1, 2, 3))))))
            out.append(
                ServiceLine(
                    code,
                    Decimal(price) * units,
                    when,
                    Decimal(units),
                    modifiers=mods,
                    diagnosis_pointers=ptrs,
                )
            )
        return out

    def claim(self, i: int, billing: Provider, every_loop: bool) -> Claim:
        r = self.rng
        payer, filing = self.payer()
        subscriber = self.subscriber(filing)
        patient = self.patient(subscriber) if r.random() < 0.3 else None
        n_diag = r.choice((1, 1, 2, 2, 3, 4, 6))
        diagnoses = tuple(Diagnosis(c) for c in r.sample(ICD10, n_diag))
        when = self.base + _dt.timedelta(days=r.randrange(60))
        pos = r.choice(PLACES_OF_SERVICE)
        lines = self.lines(n_diag, when, pos)
        claim = Claim(
            f"PCN{i:06d}{r.randrange(1000):03d}",
            sum((ln.charge for ln in lines), Decimal(0)),
            pos,
            billing,
            subscriber,
            payer,
            diagnoses,
            tuple(lines),
            patient,
            patient_signature_source="P" if r.random() < 0.5 else None,
            rendering_provider=self.person_provider(True) if r.random() < 0.4 else None,
        )
        if r.random() < 0.2:
            claim = self.secondary(claim)
        if every_loop:
            claim = _FEATURES[i % len(_FEATURES)](self, claim)
        return claim

    def secondary(self, claim: Claim) -> Claim:
        """Make ``claim`` a secondary claim with the primary payer's adjudication."""
        r = self.rng
        primary, filing = self.payer()
        while primary.id == claim.payer.id:
            primary, filing = self.payer()
        other_sub = self.subscriber(filing, "P")
        other_sub = Subscriber(
            other_sub.last_name,
            other_sub.member_id,
            first_name=other_sub.first_name,
            payer_responsibility="P",
            relationship="18",
            claim_filing_code=filing,
        )
        sub = claim.subscriber
        sub = Subscriber(
            sub.last_name,
            sub.member_id,
            first_name=sub.first_name,
            payer_responsibility="S",
            group_number=sub.group_number,
            claim_filing_code=sub.claim_filing_code,
            address=sub.address,
            birth_date=sub.birth_date,
            gender=sub.gender,
        )
        paid_total = Decimal(0)
        lines = []
        paid_date = claim.service_lines[0].service_date + _dt.timedelta(days=r.randrange(10, 40))
        for ln in claim.service_lines:
            paid = (ln.charge * Decimal("0.6")).quantize(Decimal("0.01"))
            contractual = (ln.charge - paid - Decimal("5.00")).quantize(Decimal("0.01"))
            adj = LineAdjudication(
                primary.id,
                paid,
                ln.procedure,
                ln.units,
                paid_date,
                modifiers=ln.modifiers,
                adjustments=(
                    Adjustment("CO", "45", contractual),
                    Adjustment("PR", "2", Decimal("5.00")),
                ),
            )
            paid_total += paid
            lines.append(_evolve_line(ln, adjudications=(adj,)))
        other = OtherPayer(
            other_sub,
            primary,
            paid=paid_total,
            adjudication_date=paid_date,
        )
        return _evolve_claim(
            claim, subscriber=sub, service_lines=tuple(lines), other_payers=(other,)
        )


def _evolve_claim(claim: Claim, **changes: Any) -> Claim:
    import attrs

    return attrs.evolve(claim, **changes)


def _evolve_line(line: ServiceLine, **changes: Any) -> ServiceLine:
    import attrs

    return attrs.evolve(line, **changes)


# --- every optional loop, one feature set per claim (rotated) -------------------------------
def _f_dates_refs(g: _Gen, c: Claim) -> Claim:
    d = c.service_lines[0].service_date
    return _evolve_claim(
        c,
        dates=(
            EventDate("431", d - _dt.timedelta(days=3)),
            EventDate("304", d - _dt.timedelta(days=30)),
        ),
        references=(Reference("G1", "AUTH778812"), Reference("EA", "MRN0042")),
        attachments=(Attachment("09", "FX", "ATT0001"),),
        patient_paid=Decimal("10.00"),
        note=Note("ADD", "FOLLOW UP IN TWO WEEKS"),
        pay_to_address=g.address(nine=True),
        referring_providers=(g.person_provider(),),
        supervising_provider=g.person_provider(),
        service_facility=Provider(
            "COMMUNITY SURGERY CENTER", make_npi(g.rng), address=g.address(nine=True)
        ),
    )


def _f_ambulance(g: _Gen, c: Claim) -> Claim:
    line = _evolve_line(
        c.service_lines[0],
        procedure="A0427",
        modifiers=("RH",),
        ambulance_pickup=Place(g.address(nine=True)),
        ambulance_dropoff=Place(g.address(nine=True), "GENERAL HOSPITAL"),
    )
    lines = (line, *c.service_lines[1:])
    return _evolve_claim(
        c,
        place_of_service="41",
        charge=sum((ln.charge for ln in lines), Decimal(0)),
        service_lines=lines,
        ambulance=AmbulanceTransport("A", Decimal("12"), Decimal("180"), None, "PATIENT UNABLE"),
        conditions=(Condition("07", True, ("01", "04")),),
        ambulance_pickup=Place(g.address(nine=True)),
        ambulance_dropoff=Place(g.address(nine=True), "GENERAL HOSPITAL"),
    )


def _f_anesthesia(g: _Gen, c: Claim) -> Claim:
    line = _evolve_line(
        c.service_lines[0],
        procedure="00142",
        modifiers=("QK",),
        units=Decimal("61"),
        unit_type="MJ",
    )
    lines = (line, *c.service_lines[1:])
    return _evolve_claim(
        c,
        place_of_service="22",
        service_lines=lines,
        rendering_provider=g.person_provider(True),
    )


def _f_dme(g: _Gen, c: Claim) -> Claim:
    line = _evolve_line(
        c.service_lines[0],
        procedure="E0431",
        modifiers=("RR",),
        dme_certification=DmeCertification("I", Decimal("12")),
        conditions=(Condition("09", True, ("38",)),),
        forms=(Form("484.3", (("1A", "", "", "", "88"), ("4", "Y"))),),
        ordering_provider=Provider(
            g.rng.choice(LAST),
            make_npi(g.rng),
            "1",
            first_name=g.rng.choice(FIRST),
            address=g.address(nine=True),
        ),
    )
    return _evolve_claim(c, service_lines=(line, *c.service_lines[1:]))


def _f_drug(g: _Gen, c: Claim) -> Claim:
    line = _evolve_line(
        c.service_lines[0],
        procedure="J1100",
        drug=Drug("00009089601", Decimal("1"), "ML"),
        control_number="LINE0001",
        note=Note("ADD", "DEXAMETHASONE"),
        rendering_provider=g.person_provider(True),
        purchased_service_provider=Provider(None, make_npi(g.rng)),
        supervising_provider=g.person_provider(),
        referring_providers=(g.person_provider(),),
        service_facility=Provider("INFUSION SUITE", make_npi(g.rng), address=g.address(nine=True)),
        references=(Reference("G1", "LINEAUTH1"),),
        sales_tax=Decimal("0.50"),
    )
    return _evolve_claim(c, service_lines=(line, *c.service_lines[1:]))


def _f_secondary(g: _Gen, c: Claim) -> Claim:
    if c.other_payers:
        return c
    c = g.secondary(c)
    op = c.other_payers[0]
    op = _evolve_other(
        op,
        adjustments=(Adjustment("OA", "23", Decimal("0.00")),),
        remaining_liability=Decimal("5.00"),
        payer_references=(Reference("F8", "PRIMARYICN1"),),
        rendering_provider=Provider(None, None, "1", secondary_ids=(Reference("G2", "P77"),)),
        billing_provider=Provider(None, None, "2", secondary_ids=(Reference("G2", "B88"),)),
    )
    return _evolve_claim(c, other_payers=(op,))


def _evolve_other(op: OtherPayer, **changes: Any) -> OtherPayer:
    import attrs

    return attrs.evolve(op, **changes)


def _f_dependent(g: _Gen, c: Claim) -> Claim:
    if c.patient is not None:
        return c
    return _evolve_claim(c, patient=g.patient(c.subscriber))


def _f_plain(g: _Gen, c: Claim) -> Claim:
    return c


_FEATURES = (
    _f_dates_refs,
    _f_ambulance,
    _f_anesthesia,
    _f_dme,
    _f_drug,
    _f_secondary,
    _f_dependent,
    _f_plain,
)


def generate(
    count: int,
    seed: int = 0,
    *,
    providers: int | None = None,
    every_loop: bool = False,
) -> list[Claim]:
    """``count`` synthetic claims; the same arguments always give the same claims.

    ``providers`` is the number of distinct billing providers (default: about one per 25
    claims); ``every_loop`` rotates every optional loop the models cover through the claims.
    """
    if count < 0:
        raise ValueError("count: must not be negative")
    g = _Gen(seed)
    n_prov = providers if providers is not None else max(1, count // 25)
    billing = [g.billing() for _ in range(max(1, n_prov))]
    return [g.claim(i, billing[i % len(billing)], every_loop) for i in range(count)]
