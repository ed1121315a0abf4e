"""Synthetic but realistic professional claims, for tests, demos and benchmarks.

``generate(count, seed)`` gives the same claims for the same arguments: valid NPIs (Luhn
with the 80840 prefix), real-looking ICD-10-CM and CPT/HCPCS codes with modifiers, several
lines per claim, some patients distinct from their subscribers, some secondary claims with
the primary payer's adjudication. ``every_loop=True`` rotates every optional loop and
segment the models cover (pay-to, 2310A-F, 2320/2330A-G, 2410, 2420A-H, 2430, 2440,
ambulance, anesthesia, DME...) through the claims, so that a dozen claims exercise them
all. Nothing here is a real person or provider.

:class:`ClaimMix` sets the shares: secondary claims with the primary payer's adjudication
(COB), dependents (a patient who is not the subscriber), rendering providers, and claims
carrying the optional loops (``every_loop`` as a share). The optional-loop sets include a
secondary claim and a dependent, so a share of them adds to those two shares.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import random
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from models import unchecked as _u
from models.claim import (
    Claim,
    OtherPayer,
    Patient,
    Payer,
    Provider,
    Receiver,
    ServiceLine,
    Submitter,
    Subscriber,
)
from models.common import Address, AdjustmentGroup, npi_check_digit
from x12.gcpause import collector_paused

__all__ = [
    "DEFAULT_MIX",
    "ClaimMix",
    "generate",
    "make_npi",
    "receiver",
    "submitter",
    "timestamp_for",
]

T = TypeVar("T")


def _share(instance: Any, attribute: attrs.Attribute[Any], value: float) -> None:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
        raise ValueError(f"{attribute.name}: a share between 0 and 1")


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
    return _u.Submitter(
        "SYNTHETIC BILLING SERVICE",
        "SYNBILL01",
        (_u.Contact("EDI DESK", (("TE", "5555550100"), ("EM", "edi@example.com"))),),
    )


def receiver() -> Receiver:
    """The receiver of generated files."""
    return _u.Receiver("EXAMPLE CLEARINGHOUSE", "EXCLEAR")


@attrs.frozen
class ClaimMix:
    """What the generated claims look like: each field a share between 0 and 1.

    ``secondary``
        claims billed to a second payer after a primary payer paid (coordination of
        benefits): SBR01 = S, an other payer (2320/2330A-B) with its payment (AMT*D) and
        adjudication date, and each line's adjudication by the primary (2430 SVD, CAS
        CO-45 / PR-2, DTP*573).
    ``dependents``
        claims whose patient is not the subscriber (a 2000C patient level: spouse, child).
    ``rendering``
        claims naming a rendering provider (2310B) apart from the billing provider.
    ``every_loop``
        claims given one of the optional-loop sets in turn (dates, references, attachments,
        pay-to address, 2310A/C/D providers; ambulance; anesthesia; DME with forms; drug with
        the 2420 providers; secondary with the 2330C-G providers; dependent), so that a dozen
        such claims exercise every loop and segment the models cover.
    """

    secondary: float = attrs.field(default=0.2, validator=_share)
    dependents: float = attrs.field(default=0.3, validator=_share)
    rendering: float = attrs.field(default=0.4, validator=_share)
    every_loop: float = attrs.field(default=0.0, validator=_share)


#: The mix :func:`generate` uses when given none.
DEFAULT_MIX = ClaimMix()

_N_DIAG = (1, 1, 2, 2, 3, 4, 6)
_N_LINES = (1, 1, 2, 2, 3, 4)
_UNITS = (1, 1, 1, 2, 3)
_N_MODS = (0, 0, 0, 1, 1, 2)
_N_PTRS = (1, 2, 3)
_FIVE = Decimal("5.00")
_SIXTY = Decimal("0.6")
_CENT = Decimal("0.01")
_MIDDLE = "ABCDEJKLMRST"
_MEMBER_LETTERS = "ABCDEFGHJKMNPRSTUVWXYZ"
_FILING = {"MEDICARE PART B": "MB", "STATE MEDICAID": "MC"}
_DIGITS = "0123456789"
_RELATIONSHIPS = ("19", "01", "G8")
_ZERO = Decimal(0)
CO = AdjustmentGroup.CONTRACTUAL
_PR2_FIVE = _u.Adjustment(AdjustmentGroup.PATIENT_RESPONSIBILITY, "2", _FIVE)
# (procedure, charge, units, modifiers, diagnosis pointers)
_LineSpec = tuple[str, Decimal, Decimal, tuple[str, ...], tuple[int, ...]]


class _Gen:
    """One generation run: a seeded random stream and caches of shared immutable values.

    The draws (their calls and order) are those the generator has always made, so the same
    seed gives the same claims as before; the speed comes from building each object once
    (no ``attrs.evolve`` of claims and lines), shared values (diagnoses, charges), attrs
    validators off and the garbage collector paused (see :func:`generate`).
    """

    def __init__(self, seed: int, mix: ClaimMix = DEFAULT_MIX) -> None:
        self.rng = random.Random(seed)
        bits = self.rng.getrandbits

        def below(n: int) -> int:
            # random.Random._randbelow (getrandbits variant), which choice() and randrange()
            # use: the same draws, one Python call instead of two or three.
            k = n.bit_length()
            r = bits(k)
            while r >= n:
                r = bits(k)
            return r

        self.below = below
        self.mix = mix
        self.base = _dt.date(2024, 1, 1) + _dt.timedelta(days=random.Random(seed).randrange(300))
        self.days = tuple(self.base + _dt.timedelta(days=d) for d in range(60))
        self.diagnoses = {c: _u.Diagnosis(c) for c in ICD10}
        self.charges = {(code, u): Decimal(price) * u for code, price in CPT for u in set(_UNITS)}
        self.units = {u: Decimal(u) for u in set(_UNITS)}
        self.payers = {name: _u.Payer(name, pid) for name, pid in PAYERS}
        self.pointer_range = {n: range(1, n + 1) for n in set(_N_DIAG)}

    def pick(self, seq: Sequence[T]) -> T:
        """``rng.choice(seq)``, drawn the same way."""
        return seq[self.below(len(seq))]

    def npi(self) -> str:
        """``make_npi(rng)``, drawn the same way."""
        below = self.below
        first = "12"[below(2)] + "".join([_DIGITS[below(10)] for _ in range(8)])
        return first + str(npi_check_digit(first))

    def address(self, nine: bool = False) -> Address:
        below, rnd = self.below, self.rng.random
        city, state, z = CITIES[below(len(CITIES))]
        postal = z + (f"{below(10000):04d}" if nine or rnd() < 0.5 else "")
        line2 = f"SUITE {100 + below(899)}" if rnd() < 0.2 else None
        line1 = f"{1 + below(9998)} {STREETS[below(len(STREETS))]}"
        return _u.Address(line1, city, state, postal, line2)

    def person_provider(self, taxonomy: bool = False) -> Provider:
        pick = self.pick
        return _u.Provider(
            pick(LAST),
            self.npi(),
            "1",
            first_name=pick(FIRST),
            middle_name=pick(_MIDDLE) if self.rng.random() < 0.3 else None,
            taxonomy=pick(TAXONOMY) if taxonomy else None,
        )

    def billing(self) -> Provider:
        r = self.rng
        return _u.Provider(
            r.choice(PRACTICES),
            make_npi(r),
            "2",
            taxonomy=r.choice(TAXONOMY),
            tax_id=f"{r.randrange(10, 99)}{r.randrange(1000000):07d}",
            address=self.address(nine=True),
            contacts=(_u.Contact("BILLING OFFICE", (("TE", f"555555{r.randrange(10000):04d}"),)),),
        )

    def subscriber(self, filing: str, responsibility: str = "P") -> Subscriber:
        below = self.below
        born = _dt.date(1940 + below(64), 1 + below(12), 1 + below(28))
        last = LAST[below(len(LAST))]
        member = f"{_MEMBER_LETTERS[below(len(_MEMBER_LETTERS))]}{100_000_000 + below(900_000_000)}"
        first = FIRST[below(len(FIRST))]
        group = f"GRP{10000 + below(89999)}" if filing == "CI" else None
        return _u.Subscriber(
            last,
            member,
            first_name=first,
            payer_responsibility=responsibility,
            group_number=group,
            claim_filing_code=filing,
            address=self.address(),
            birth_date=born,
            gender="FM"[below(2)],
        )

    def payer(self) -> tuple[Payer, str]:
        name, _ = PAYERS[self.below(len(PAYERS))]
        return self.payers[name], _FILING.get(name, "CI")

    def patient(self, subscriber: Subscriber) -> Patient:
        below = self.below
        born = _dt.date(2006 + below(17), 1 + below(12), 1 + below(28))
        return _u.Patient(
            subscriber.last_name,
            _RELATIONSHIPS[below(3)],
            subscriber.address,
            born,
            "FM"[below(2)],
            first_name=FIRST[below(len(FIRST))],
        )

    def line_specs(self, n_diag: int) -> list[_LineSpec]:
        """(procedure, charge, units, modifiers, diagnosis pointers) of a claim's lines."""
        below, sample = self.below, self.rng.sample
        pointers = self.pointer_range[n_diag]
        out: list[_LineSpec] = []
        for _ in range(_N_LINES[below(len(_N_LINES))]):
            code, _price = CPT[below(len(CPT))]
            units = _UNITS[below(len(_UNITS))]
            mods = tuple(sample(MODIFIERS, _N_MODS[below(len(_N_MODS))]))
            ptrs = tuple(sorted(sample(pointers, min(n_diag, _N_PTRS[below(len(_N_PTRS))]))))
            out.append((code, self.charges[code, units], self.units[units], mods, ptrs))
        return out

    def claim(self, i: int, billing: Provider, feature: int | None) -> Claim:
        r = self.rng
        rnd = r.random
        mix = self.mix
        payer, filing = self.payer()
        subscriber = self.subscriber(filing)
        patient = self.patient(subscriber) if rnd() < mix.dependents else None
        below = self.below
        n_diag = _N_DIAG[below(len(_N_DIAG))]
        diagnoses = tuple(self.diagnoses[c] for c in r.sample(ICD10, n_diag))
        when = self.days[below(60)]
        pos = PLACES_OF_SERVICE[below(len(PLACES_OF_SERVICE))]
        specs = self.line_specs(n_diag)
        claim_id = f"PCN{i:06d}{below(1000):03d}"
        signature = "P" if rnd() < 0.5 else None
        rendering = self.person_provider(True) if rnd() < mix.rendering else None
        others: tuple[OtherPayer, ...] = ()
        if rnd() < mix.secondary:
            lines, others = self.primary_adjudication(payer, specs, when)
            subscriber = _evolve_subscriber(subscriber, payer_responsibility="S")
        else:
            lines = tuple(
                _u.ServiceLine(code, charge, when, units, modifiers=mods, diagnosis_pointers=ptrs)
                for code, charge, units, mods, ptrs in specs
            )
        charge = _ZERO
        for spec in specs:
            charge += spec[1]
        claim = _u.Claim(
            claim_id,
            charge,
            pos,
            billing,
            subscriber,
            payer,
            diagnoses,
            lines,
            patient,
            patient_signature_source=signature,
            rendering_provider=rendering,
            other_payers=others,
        )
        if feature is not None:
            claim = _FEATURES[feature % len(_FEATURES)](self, claim)
        return claim

    def primary_adjudication(
        self, payer: Payer, specs: Sequence[_LineSpec], when: _dt.date
    ) -> tuple[tuple[ServiceLine, ...], tuple[OtherPayer, ...]]:
        """Lines carrying a primary payer's adjudication (2430: paid 60 %, CO-45 and a PR-2
        coinsurance of 5.00) and that payer (2320/2330A-B with AMT*D and DTP*573)."""
        primary, filing = self.payer()
        while primary.id == payer.id:
            primary, filing = self.payer()
        insured = self.subscriber(filing, "P")
        other_sub = _u.Subscriber(
            insured.last_name,
            insured.member_id,
            first_name=insured.first_name,
            payer_responsibility="P",
            relationship="18",
            claim_filing_code=filing,
        )
        paid_total = _ZERO
        lines = []
        paid_date = when + _dt.timedelta(days=self.rng.randrange(10, 40))
        for code, charge, units, mods, ptrs in specs:
            paid = (charge * _SIXTY).quantize(_CENT)
            contractual = (charge - paid - _FIVE).quantize(_CENT)
            adj = _u.LineAdjudication(
                primary.id,
                paid,
                code,
                units,
                paid_date,
                modifiers=mods,
                adjustments=(_u.Adjustment(CO, "45", contractual), _PR2_FIVE),
            )
            paid_total += paid
            lines.append(
                _u.ServiceLine(
                    code,
                    charge,
                    when,
                    units,
                    modifiers=mods,
                    diagnosis_pointers=ptrs,
                    adjudications=(adj,),
                )
            )
        other = _u.OtherPayer(other_sub, primary, paid=paid_total, adjudication_date=paid_date)
        return tuple(lines), (other,)

    def secondary(self, claim: Claim) -> Claim:
        """Make ``claim`` a secondary claim with the primary payer's adjudication."""
        first = claim.service_lines[0]
        specs = [
            (ln.procedure, ln.charge, ln.units, ln.modifiers, ln.diagnosis_pointers)
            for ln in claim.service_lines
        ]
        lines, others = self.primary_adjudication(claim.payer, specs, first.service_date)
        # keep whatever else the lines carry
        lines = tuple(
            _evolve_line(old, adjudications=new.adjudications)
            for old, new in zip(claim.service_lines, lines, strict=True)
        )
        sub = _evolve_subscriber(claim.subscriber, payer_responsibility="S")
        return _evolve_claim(claim, subscriber=sub, service_lines=lines, other_payers=others)


def _evolve_claim(claim: Claim, **changes: Any) -> Claim:
    return _u.evolve(claim, **changes)


def _evolve_line(line: ServiceLine, **changes: Any) -> ServiceLine:
    return _u.evolve(line, **changes)


def _evolve_subscriber(sub: Subscriber, **changes: Any) -> Subscriber:
    return _u.evolve(sub, **changes)


# --- every optional loop, one feature set per claim (rotated) -------------------------------
def _f_dates_refs(g: _Gen, c: Claim) -> Claim:
    d = c.service_lines[0].service_date
    return _evolve_claim(
        c,
        dates=(
            _u.EventDate("431", d - _dt.timedelta(days=3)),
            _u.EventDate("304", d - _dt.timedelta(days=30)),
        ),
        references=(_u.Reference("G1", "AUTH778812"), _u.Reference("EA", "MRN0042")),
        attachments=(_u.Attachment("09", "FX", "ATT0001"),),
        patient_paid=Decimal("10.00"),
        note=_u.Note("ADD", "FOLLOW UP IN TWO WEEKS"),
        pay_to_address=g.address(nine=True),
        referring_providers=(g.person_provider(),),
        supervising_provider=g.person_provider(),
        service_facility=_u.Provider(
            "COMMUNITY SURGERY CENTER", make_npi(g.rng), address=g.address(nine=True)
        ),
    )


def _f_ambulance(g: _Gen, c: Claim) -> Claim:
    line = _evolve_line(
        c.service_lines[0],
        procedure="A0427",
        modifiers=("RH",),
        ambulance_pickup=_u.Place(g.address(nine=True)),
        ambulance_dropoff=_u.Place(g.address(nine=True), "GENERAL HOSPITAL"),
    )
    lines = (line, *c.service_lines[1:])
    return _evolve_claim(
        c,
        place_of_service="41",
        charge=sum((ln.charge for ln in lines), Decimal(0)),
        service_lines=lines,
        ambulance=_u.AmbulanceTransport("A", Decimal("12"), Decimal("180"), None, "PATIENT UNABLE"),
        conditions=(_u.Condition("07", True, ("01", "04")),),
        ambulance_pickup=_u.Place(g.address(nine=True)),
        ambulance_dropoff=_u.Place(g.address(nine=True), "GENERAL HOSPITAL"),
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
        dme_certification=_u.DmeCertification("I", Decimal("12")),
        conditions=(_u.Condition("09", True, ("38",)),),
        forms=(_u.Form("484.3", (("1A", "", "", "", "88"), ("4", "Y"))),),
        ordering_provider=_u.Provider(
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
        drug=_u.Drug("00009089601", Decimal("1"), "ML"),
        control_number="LINE0001",
        note=_u.Note("ADD", "DEXAMETHASONE"),
        rendering_provider=g.person_provider(True),
        purchased_service_provider=_u.Provider(None, make_npi(g.rng)),
        supervising_provider=g.person_provider(),
        referring_providers=(g.person_provider(),),
        service_facility=_u.Provider(
            "INFUSION SUITE", make_npi(g.rng), address=g.address(nine=True)
        ),
        references=(_u.Reference("G1", "LINEAUTH1"),),
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
        adjustments=(_u.Adjustment("OA", "23", Decimal("0.00")),),
        remaining_liability=Decimal("5.00"),
        payer_references=(_u.Reference("F8", "PRIMARYICN1"),),
        rendering_provider=_u.Provider(None, None, "1", secondary_ids=(_u.Reference("G2", "P77"),)),
        billing_provider=_u.Provider(None, None, "2", secondary_ids=(_u.Reference("G2", "B88"),)),
    )
    return _evolve_claim(c, other_payers=(op,))


def _evolve_other(op: OtherPayer, **changes: Any) -> OtherPayer:
    return _u.evolve(op, **changes)


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
    mix: ClaimMix | None = None,
) -> list[Claim]:
    """``count`` synthetic claims; the same arguments always give the same claims.

    ``providers`` is the number of distinct billing providers (default: about one per 25
    claims); ``mix`` the shares of secondary claims (COB), dependents, rendering providers
    and claims carrying the optional loops (see :class:`ClaimMix`; default
    :data:`DEFAULT_MIX`); ``every_loop=True`` is ``every_loop=1.0`` in the mix: every claim
    gets one of the optional-loop sets in turn.

    Fast (see ``benchmarks/bench_fake.py``): each object is built once with its final
    values (no ``attrs.evolve`` of claims and lines), shared values (diagnoses, charges,
    payers) are made once, random draws take one call, models are built without their
    validators (:mod:`models.unchecked`: the generator builds values it knows are valid) and
    the cyclic garbage collector is paused (the claims are acyclic). The draws are those the
    generator always made: the same seed gives the same claims as earlier versions.

    Example::

        claims = generate(100_000, seed=7, mix=ClaimMix(secondary=0.3, dependents=0.5))
    """
    if count < 0:
        raise ValueError("count: must not be negative")
    m = mix or DEFAULT_MIX
    if every_loop:
        m = _u.evolve(m, every_loop=1.0)
    with _fast_building():
        g = _Gen(seed, m)
        n_prov = max(1, providers if providers is not None else count // 25)
        billing = [g.billing() for _ in range(n_prov)]
        # Which claims get an optional-loop set is drawn from a stream of its own.
        pick = random.Random(f"837-every-loop-{seed}").random
        share = m.every_loop
        out: list[Claim] = []
        k = 0
        for i in range(count):
            feature = None
            if share >= 1 or (share and pick() < share):
                feature, k = k, k + 1
            out.append(g.claim(i, billing[i % n_prov], feature))
        return out


@contextlib.contextmanager
def _fast_building() -> Iterator[None]:
    """The cyclic garbage collector paused while generating (the models are acyclic;
    refcounting frees them). Models are built with :mod:`models.unchecked` constructors:
    every value is built valid here, and no process-wide validator switch is flipped."""
    with collector_paused(keep=True):
        yield
