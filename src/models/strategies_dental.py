"""Hypothesis strategies for dental claims (837D, :mod:`models.dental`).

Public, so users can test their own code with them: every value drawn is a claim the 837D
writer accepts (CLM02 equals the sum of the lines, CDT codes, valid tooth numbers and
surfaces, pointers within the diagnoses, a prior placement date for a replacement), and
``read(write(claims)) == claims`` holds for it: repeated segments are drawn in the guide's
order (DTP and REF qualifiers), as the writer gives them back. The parties come from
:mod:`models.strategies_claims`.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from models.claim import EventDate, Note, Provider, Reference
from models.dental import TOOTH_NUMBERS as _TOOTH_NUMBERS
from models.dental import (
    DentalClaim,
    DentalServiceLine,
    DentalSubmission,
    OralCavity,
    Orthodontics,
    Tooth,
    ToothStatus,
    ToothSurface,
)
from models.strategies_claims import (
    addresses,
    billing_providers,
    diagnoses,
    money,
    other_payers,
    patients,
    payers,
    providers,
    receivers,
    submitters,
    subscribers,
)

__all__ = [
    "cdt_codes",
    "dental_claim_lists",
    "dental_claims",
    "dental_service_lines",
    "dental_submissions",
    "teeth",
    "tooth_numbers",
]

_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_dates = st.dates(_dt.date(2000, 1, 1), _dt.date(2035, 12, 31))
_ids = st.text(_ALNUM, min_size=2, max_size=20)


def cdt_codes() -> st.SearchStrategy[str]:
    """A CDT-shaped procedure code: D and 4 digits."""
    return st.text("0123456789", min_size=4, max_size=4).map(lambda d: "D" + d)


def tooth_numbers() -> st.SearchStrategy[str]:
    """A tooth of the Universal National Tooth Designation System (incl. supernumerary)."""
    return st.sampled_from(sorted(_TOOTH_NUMBERS))


@st.composite
def teeth(draw: Any) -> Tooth:
    """TOO: a tooth and up to five distinct surfaces."""
    surfaces = draw(st.lists(st.sampled_from([s.value for s in ToothSurface]), max_size=5))
    return Tooth(draw(tooth_numbers()), tuple(dict.fromkeys(surfaces)))


_LINE_REFS = ("G3", "G1", "9B", "9D", "9F")  # 2400 REF qualifiers in guide order


@st.composite
def dental_service_lines(
    draw: Any, n_diagnoses: int = 0, payer_ids: tuple[str, ...] = ()
) -> DentalServiceLine:
    """One 2400 line; pointers within ``n_diagnoses``; 2430 only for ``payer_ids``."""
    from models.claim import LineAdjudication

    start = draw(_dates)
    ranged = draw(st.booleans())
    prosthesis = draw(st.none() | st.sampled_from(("I", "R")))
    kw: dict[str, Any] = {}
    if draw(st.booleans()):
        refs = draw(st.lists(st.sampled_from(_LINE_REFS), unique=True, max_size=3))
        kw = {
            "modifiers": tuple(draw(st.lists(st.text(_ALNUM, min_size=2, max_size=2), max_size=4))),
            "description": draw(st.none() | st.text(_ALNUM, min_size=1, max_size=40)),
            "place_of_service": draw(st.none() | st.sampled_from(("11", "22", "21"))),
            "oral_cavity": tuple(
                draw(st.lists(st.sampled_from([c.value for c in OralCavity]), max_size=5))
            ),
            "quantity": draw(st.none() | st.integers(1, 9).map(Decimal)),
            "appliance_placement": draw(st.none() | _dates),
            "replacement": draw(st.none() | _dates),
            "treatment_start": draw(st.none() | _dates),
            "treatment_completion": draw(st.none() | _dates),
            "control_number": draw(st.none() | _ids),
            "references": tuple(
                Reference(q, draw(_ids)) for q in sorted(refs, key=_LINE_REFS.index)
            ),
            "sales_tax": draw(st.none() | money(99)),
            "note": draw(st.none() | st.builds(Note, st.just("ADD"), _ids)),
            "rendering_provider": draw(st.none() | providers(taxonomy=True)),
            "assistant_surgeon": draw(st.none() | providers(taxonomy=True)),
            "supervising_provider": draw(st.none() | providers()),
        }
    if n_diagnoses:
        kw["diagnosis_pointers"] = tuple(
            draw(st.lists(st.integers(1, n_diagnoses), max_size=n_diagnoses, unique=True))
        )
    adjudications = []
    for pid in payer_ids:
        if draw(st.booleans()):
            adjudications.append(
                LineAdjudication(
                    pid,
                    draw(money()),
                    draw(cdt_codes()),
                    Decimal(1),
                    draw(_dates),
                    procedure_qualifier="AD",
                )
            )
    return DentalServiceLine(
        draw(cdt_codes()),
        draw(money()),
        service_date=start,
        service_date_end=start + _dt.timedelta(days=draw(st.integers(1, 30))) if ranged else None,
        prosthesis=prosthesis,
        prior_placement=draw(_dates) if prosthesis == "R" else draw(st.none() | _dates),
        teeth=tuple(draw(st.lists(teeth(), max_size=4))),
        adjudications=tuple(adjudications),
        **kw,
    )


_CLAIM_DATES = ("439", "452", "435", "096", "050")  # 2300 DTPs (not 472) in guide order
_CLAIM_REFS = ("G3", "4N", "F8", "9F", "G1", "9A", "9C", "D9")  # 2300 REFs in guide order


@st.composite
def dental_claims(draw: Any, max_lines: int = 4) -> DentalClaim:
    """A dental claim the writer accepts (CLM02 = the lines' sum)."""
    n_dx = draw(st.integers(0, 4))
    dx = tuple(draw(st.lists(diagnoses(), min_size=n_dx, max_size=n_dx)))
    others = tuple(draw(st.lists(other_payers(), max_size=2)))
    payer_ids = tuple(op.payer.id for op in others)
    lines = tuple(
        draw(
            st.lists(
                dental_service_lines(n_diagnoses=len(dx), payer_ids=payer_ids),
                min_size=1,
                max_size=max_lines,
            )
        )
    )
    kinds = draw(st.lists(st.sampled_from(_CLAIM_DATES), unique=True, max_size=3))
    refs = draw(st.lists(st.sampled_from(_CLAIM_REFS), unique=True, max_size=3))
    ortho = draw(
        st.none()
        | st.builds(
            Orthodontics,
            st.integers(1, 36).map(Decimal),
            st.none() | st.integers(0, 36).map(Decimal),
        )
    )
    status = draw(
        st.lists(st.builds(ToothStatus, tooth_numbers(), st.sampled_from(("E", "M"))), max_size=3)
    )
    patient = draw(st.none() | patients())
    return DentalClaim(
        draw(_ids),
        sum((ln.charge for ln in lines), Decimal(0)),
        draw(st.sampled_from(("11", "22", "12"))),
        draw(billing_providers()),
        draw(subscribers()),
        draw(payers()),
        service_lines=lines,
        patient=patient,
        pay_to_address=draw(st.none() | addresses()),
        predetermination=draw(st.booleans()),
        frequency=draw(st.sampled_from(("1", "7", "8"))),
        related_causes=draw(st.sampled_from(((), ("AA",), ("EM", "OA")))),
        dates=tuple(EventDate(k, draw(_dates)) for k in sorted(kinds, key=_CLAIM_DATES.index)),
        orthodontics=ortho,
        tooth_status=tuple(status),
        patient_paid=draw(st.none() | money(999)),
        references=tuple(Reference(q, draw(_ids)) for q in sorted(refs, key=_CLAIM_REFS.index)),
        note=draw(st.none() | st.builds(Note, st.just("ADD"), _ids)),
        diagnoses=dx,
        referring_providers=tuple(draw(st.lists(providers(), max_size=1))),
        rendering_provider=draw(st.none() | providers(taxonomy=True)),
        assistant_surgeon=draw(st.none() | providers(taxonomy=True)),
        supervising_provider=draw(st.none() | providers()),
        service_facility=draw(
            st.none() | st.builds(Provider, _ids, address=addresses(), entity_type=st.just("2"))
        ),
        other_payers=others,
    )


@st.composite
def dental_claim_lists(draw: Any, max_size: int = 4) -> list[DentalClaim]:
    """Several dental claims, some sharing billing provider and subscriber."""
    first = draw(dental_claims())
    out = [first]
    for _ in range(draw(st.integers(0, max_size - 1))):
        c = draw(dental_claims())
        if draw(st.booleans()):
            import attrs

            c = attrs.evolve(
                c, billing_provider=first.billing_provider, subscriber=first.subscriber
            )
        out.append(c)
    return out


@st.composite
def dental_submissions(draw: Any, max_claims: int = 3) -> DentalSubmission:
    """One 837D transaction set's content."""
    return DentalSubmission(
        draw(submitters()),
        draw(receivers()),
        tuple(draw(dental_claim_lists(max_size=max_claims))),
        reference=draw(_ids),
        created=draw(_dates),
        created_time="1200",
    )
