"""Synthetic dental claims (837D): deterministic, realistic-looking, never real people.

``generate(count, seed)`` returns :class:`models.dental.DentalClaim` objects the 837D writer
accepts; the same arguments always give the same claims. ``every_loop=True`` makes every
claim carry one of the optional-loop sets in turn (orthodontics and tooth status, a
replacement prosthesis with its prior placement, predetermination, COB with line
adjudication, a dependent patient, assistant surgeon / supervising / service facility /
referring providers), so a test over a handful of claims exercises every loop the writer
knows.
"""

from __future__ import annotations

import datetime as _dt
import random
from decimal import Decimal

from edi837.fake import make_npi, receiver, submitter, timestamp_for
from models.claim import (
    Diagnosis,
    EventDate,
    LineAdjudication,
    Note,
    OtherPayer,
    Patient,
    Payer,
    Provider,
    Reference,
    Subscriber,
)
from models.common import Address, Adjustment
from models.dental import DentalClaim, DentalServiceLine, Orthodontics, Tooth, ToothStatus

__all__ = ["generate", "receiver", "submitter", "timestamp_for"]

#: (CDT code, typical fee, needs a tooth, surfaces it takes) - common dental procedures.
_PROCEDURES = (
    ("D0120", "65.00", False, 0),  # periodic oral evaluation
    ("D0150", "95.00", False, 0),  # comprehensive oral evaluation
    ("D0210", "140.00", False, 0),  # intraoral complete series of radiographs
    ("D0274", "75.00", False, 0),  # bitewings, four radiographic images
    ("D1110", "110.00", False, 0),  # prophylaxis, adult
    ("D1120", "80.00", False, 0),  # prophylaxis, child
    ("D1208", "45.00", False, 0),  # topical fluoride
    ("D2140", "150.00", True, 1),  # amalgam, one surface
    ("D2150", "185.00", True, 2),  # amalgam, two surfaces
    ("D2330", "170.00", True, 1),  # resin-based composite, one surface, anterior
    ("D2392", "210.00", True, 2),  # resin-based composite, two surfaces, posterior
    ("D2740", "1250.00", True, 0),  # crown, porcelain/ceramic
    ("D3310", "850.00", True, 0),  # endodontic therapy, anterior
    ("D3330", "1150.00", True, 0),  # endodontic therapy, molar
    ("D4341", "260.00", False, 0),  # periodontal scaling and root planing, per quadrant
    ("D7140", "180.00", True, 0),  # extraction, erupted tooth
)
_CROWN = ("D2740", "1250.00")
_ORTHO = ("D8080", "5500.00")  # comprehensive orthodontic treatment, adolescent
_DENTURE = ("D5110", "1600.00")  # complete denture, maxillary
_POSTERIOR_SURFACES = ("M", "O", "D", "B", "L")
_ANTERIOR_SURFACES = ("M", "D", "F", "L", "I")
_LAST = ("ALDER", "BIRCH", "CEDAR", "DOGWOOD", "ELM", "FIR", "GINKGO", "HAZEL", "IRONWOOD")
_FIRST = ("ALEX", "BLAIR", "CASEY", "DREW", "EMERY", "FINLEY", "GRAY", "HAYDEN", "JORDAN")
_CITIES = (("ALBANY", "NY", "12207"), ("AUSTIN", "TX", "78701"), ("DENVER", "CO", "80202"))
_PAYERS = (("EXAMPLE DENTAL PLAN", "EXDNT1"), ("SAMPLE DENTAL MUTUAL", "SMPDM2"))
_ICD10_DENTAL = ("K0252", "K047", "K0510", "K08121", "S025XXA")  # as sent: no dot


class _Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"837d-{seed}")
        self.base = _dt.date(2024, 1, 2)

    def pick(self, items: tuple[str, ...]) -> str:
        return self.rng.choice(items)

    def date(self, spread: int = 300) -> _dt.date:
        return self.base + _dt.timedelta(days=self.rng.randrange(spread))

    def address(self) -> Address:
        city, state, zip5 = self.rng.choice(_CITIES)
        return Address(f"{self.rng.randrange(1, 999)} MAIN ST", city, state, zip5 + "0001")

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def billing(self, k: int) -> Provider:
        return Provider(
            f"SMILE DENTAL GROUP {k + 1}",
            make_npi(self.rng),
            "2",
            taxonomy="1223G0001X",  # dentist, general practice
            tax_id=self.digits(9),
            address=self.address(),
        )

    def dentist(self, taxonomy: str | None = "1223G0001X") -> Provider:
        return Provider(
            self.pick(_LAST),
            make_npi(self.rng),
            "1",
            first_name=self.pick(_FIRST),
            taxonomy=taxonomy,
        )

    def subscriber(self) -> Subscriber:
        return Subscriber(
            self.pick(_LAST),
            "M" + self.digits(9),
            first_name=self.pick(_FIRST),
            group_number="G" + self.digits(6),
            claim_filing_code="CI",
            address=self.address(),
            birth_date=_dt.date(1950 + self.rng.randrange(50), 1 + self.rng.randrange(12), 15),
            gender=self.pick(("F", "M")),
        )

    def payer(self) -> Payer:
        name, pid = self.rng.choice(_PAYERS)
        return Payer(name, pid)

    def tooth(self, surfaces: int) -> Tooth:
        number = self.rng.randrange(1, 33)
        pool = (
            _ANTERIOR_SURFACES if 6 <= number <= 11 or 22 <= number <= 27 else _POSTERIOR_SURFACES
        )
        return Tooth(str(number), tuple(self.rng.sample(pool, surfaces)))

    def line(self, when: _dt.date) -> DentalServiceLine:
        code, fee, needs_tooth, surfaces = self.rng.choice(_PROCEDURES)
        teeth = (self.tooth(surfaces),) if needs_tooth else ()
        cavity = ("10",) if code == "D4341" else ()
        return DentalServiceLine(
            code, Decimal(fee), service_date=when, teeth=teeth, oral_cavity=cavity
        )


def _featured(g: _Gen, claim: DentalClaim, k: int, payer: Payer) -> DentalClaim:
    """The ``k``-th optional-loop set (in turn) applied to a plain claim."""
    import attrs

    when = claim.service_lines[0].service_date or g.date()
    which = k % 6
    if which == 0:  # orthodontics: DN1, appliance placement, DN2
        line = DentalServiceLine(
            _ORTHO[0],
            Decimal(_ORTHO[1]),
            service_date=when,
            appliance_placement=when,
            treatment_start=when,
            oral_cavity=("00",),
        )
        return attrs.evolve(
            claim,
            service_lines=(line,),
            charge=line.charge,
            orthodontics=Orthodontics(Decimal(24), Decimal(24)),
            dates=(EventDate("452", when),),
            tooth_status=(ToothStatus("1", "M"), ToothStatus("16", "E")),
        )
    if which == 1:  # replacement crown: SV305 = R with the prior placement date
        tooth = g.tooth(0)
        line = DentalServiceLine(
            _CROWN[0],
            Decimal(_CROWN[1]),
            service_date=when,
            teeth=(tooth,),
            prosthesis="R",
            prior_placement=when - _dt.timedelta(days=3650),
            quantity=Decimal(1),
        )
        denture = DentalServiceLine(
            _DENTURE[0],
            Decimal(_DENTURE[1]),
            service_date=when,
            prosthesis="I",
            oral_cavity=("01",),
        )
        lines: tuple[DentalServiceLine, ...] = (line, denture)
        return attrs.evolve(
            claim,
            service_lines=lines,
            charge=sum((ln.charge for ln in lines), Decimal(0)),
            tooth_status=(ToothStatus("3", "M"),),
        )
    if which == 2:  # predetermination with diagnoses, pointers, attachment-free note
        lines = tuple(
            attrs.evolve(ln, service_date=None, diagnosis_pointers=(1,))
            for ln in claim.service_lines
        )
        return attrs.evolve(
            claim,
            service_lines=lines,
            predetermination=True,
            diagnoses=(Diagnosis(g.pick(_ICD10_DENTAL)),),
            note=Note("ADD", "PREDETERMINATION REQUESTED"),
            references=(Reference("G3", "PD" + g.digits(8)),),
        )
    if which == 3:  # secondary claim: 2320/2330A/2330B and 2430 line adjudication
        paid_date = when + _dt.timedelta(days=20)
        adjudicated: list[DentalServiceLine] = []
        for ln in claim.service_lines:
            line_paid = (ln.charge * Decimal("0.6")).quantize(Decimal("0.01"))
            adj = LineAdjudication(
                "PRIDNT",
                line_paid,
                ln.procedure,
                Decimal(1),
                paid_date,
                procedure_qualifier="AD",
                adjustments=(Adjustment("CO", "45", ln.charge - line_paid),),
            )
            adjudicated.append(attrs.evolve(ln, adjudications=(adj,)))
        other = OtherPayer(
            attrs.evolve(
                g.subscriber(),
                relationship="18",
                address=None,
                birth_date=None,
                gender=None,
                payer_responsibility="P",
            ),
            Payer("PRIMARY DENTAL CO", "PRIDNT"),
            paid=sum((ln.adjudications[0].paid for ln in adjudicated), Decimal(0)),
            adjudication_date=paid_date,
            payer_references=(Reference("F8", "ICN" + g.digits(9)),),
        )
        sub = attrs.evolve(claim.subscriber, payer_responsibility="S")
        return attrs.evolve(
            claim, other_payers=(other,), service_lines=tuple(adjudicated), subscriber=sub
        )
    if which == 4:  # dependent patient (2000C/2010CA) and an accident
        patient = Patient(
            claim.subscriber.last_name,
            "19",
            g.address(),
            _dt.date(2012 + g.rng.randrange(8), 6, 1),
            g.pick(("F", "M")),
            first_name=g.pick(_FIRST),
        )
        return attrs.evolve(
            claim,
            patient=patient,
            related_causes=("OA",),
            dates=(EventDate("439", when - _dt.timedelta(days=2)),),
        )
    # every provider loop: 2310A-E and 2420A-D
    facility = Provider("SMILE SURGERY CENTER", make_npi(g.rng), "2", address=g.address())
    lines = tuple(
        attrs.evolve(
            ln,
            rendering_provider=g.dentist(),
            assistant_surgeon=g.dentist("1223S0112X"),
            supervising_provider=g.dentist(None),
            service_facility=facility,
            control_number="L" + g.digits(6),
        )
        for ln in claim.service_lines
    )
    return attrs.evolve(
        claim,
        service_lines=lines,
        referring_providers=(g.dentist(None),),
        rendering_provider=g.dentist(),
        service_facility=facility,
        assistant_surgeon=g.dentist("1223S0112X"),  # oral and maxillofacial surgery
        supervising_provider=g.dentist(None),
        patient_paid=Decimal("20.00"),
    )


def generate(
    count: int, seed: int = 0, *, every_loop: bool = False, providers: int | None = None
) -> list[DentalClaim]:
    """``count`` synthetic dental claims; the same arguments always give the same claims.

    ``providers`` is the number of distinct billing providers (default: one per 25 claims);
    ``every_loop=True`` gives every claim one of the optional-loop sets in turn.
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError("count: must be a non-negative integer")
    g = _Gen(seed)
    n_prov = max(1, providers if providers is not None else count // 25)
    billing = [g.billing(k) for k in range(n_prov)]
    out: list[DentalClaim] = []
    for i in range(count):
        when = g.date()
        lines = tuple(g.line(when) for _ in range(1 + g.rng.randrange(3)))
        payer = g.payer()
        claim = DentalClaim(
            f"D{seed}-{i + 1:06d}",
            sum((ln.charge for ln in lines), Decimal(0)),
            "11",
            billing[g.rng.randrange(n_prov)],
            g.subscriber(),
            payer,
            service_lines=lines,
            rendering_provider=g.dentist() if g.rng.random() < 0.3 else None,
        )
        if every_loop:
            claim = _featured(g, claim, i, payer)
        out.append(claim)
    return out
