"""Hypothesis strategies for institutional claims (837I models), public for users' own tests.

Every value drawn is one the 837I writer accepts and its reader gives back equal (after
:func:`edi837.engine.group_claims` ordering): codes in the guide's shapes, references and
notes in guide order, prior-payer adjudications naming a prior payer. Parties come from
:mod:`models.strategies_claims`.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import strategies as st

from models.claim import Attachment, Note, Payer, Provider, Reference
from models.common import Adjustment
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
from models.strategies_claims import (
    addresses,
    billing_providers,
    money,
    patients,
    payers,
    providers,
    subscribers,
)

__all__ = [
    "institutional_claim_lists",
    "institutional_claims",
    "institutional_diagnoses",
    "institutional_other_payers",
    "institutional_service_lines",
    "pcs_codes",
    "revenue_codes",
]

_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_DIGITS = "0123456789"
_dates = st.dates(_dt.date(2000, 1, 1), _dt.date(2035, 12, 31))


def _text(max_size: int, min_size: int = 1) -> st.SearchStrategy[str]:
    return st.text(_UPPER + _DIGITS, min_size=min_size, max_size=max_size)


def revenue_codes() -> st.SearchStrategy[str]:
    """SV201 revenue codes: 4 digits."""
    return st.text(_DIGITS, min_size=4, max_size=4)


def pcs_codes() -> st.SearchStrategy[str]:
    """ICD-10-PCS-shaped codes: 7 letters and digits."""
    return st.text(_UPPER + _DIGITS, min_size=7, max_size=7)


def _hour() -> st.SearchStrategy[str]:
    return st.tuples(st.integers(0, 23), st.integers(0, 59)).map(lambda t: f"{t[0]:02d}{t[1]:02d}")


def institutional_diagnoses(poa: bool = True) -> st.SearchStrategy[InstitutionalDiagnosis]:
    """ICD-10-CM-shaped diagnoses, with a present-on-admission indicator or none."""
    indicator = st.none() | st.sampled_from("YNUW") if poa else st.none()
    return st.builds(InstitutionalDiagnosis, _text(7, 3), indicator)


def _by_group(items: list[Adjustment]) -> tuple[Adjustment, ...]:
    return tuple(sorted(items, key=lambda a: str(a.group)))


def _adjustments() -> st.SearchStrategy[tuple[Adjustment, ...]]:
    return st.lists(
        st.builds(
            Adjustment,
            st.sampled_from(("CO", "PR", "OA")),
            st.sampled_from(("1", "2", "45", "96")),
            money(999),
        ),
        max_size=3,
    ).map(_by_group)


_g2 = st.builds(Reference, st.just("G2"), _text(20, 2))


def _ids_only(entity: str) -> st.SearchStrategy[Provider]:
    """A 2330C-I provider: entity type and secondary ids only."""
    return st.builds(
        Provider,
        st.none(),
        st.none(),
        st.just(entity),
        secondary_ids=st.lists(
            st.builds(Reference, st.just("G2"), _text(20, 2)), min_size=1, max_size=2
        ).map(tuple),
    )


@st.composite
def institutional_other_payers(draw: Any) -> InstitutionalOtherPayer:
    """2320/2330A-I: a prior payer with its claim-level adjudication."""
    maybe = st.none
    return InstitutionalOtherPayer(
        draw(subscribers(other=True)),
        Payer(draw(_text(35)), draw(_text(20, 2))),
        draw(_adjustments()),
        draw(maybe() | money()),
        draw(maybe() | money()),
        draw(maybe() | money()),
        adjudication_date=draw(maybe() | _dates),
        payer_references=tuple(
            draw(st.lists(st.builds(Reference, st.just("F8"), _text(30, 2)), max_size=1))
        ),
        attending_provider=draw(maybe() | _ids_only("1")),
        service_facility=draw(maybe() | _ids_only("2")),
        billing_provider=draw(maybe() | _ids_only("2")),
    )


@st.composite
def institutional_service_lines(
    draw: Any, payer_ids: tuple[str, ...] = (), start: _dt.date | None = None
) -> InstitutionalServiceLine:
    """2400: a revenue-coded line, with HCPCS or not, and prior-payer adjudication when
    ``payer_ids`` name prior payers."""
    hcpcs = draw(st.none() | _text(5, 5))
    mods = tuple(draw(st.lists(_text(2, 2), max_size=4))) if hcpcs else ()
    day = draw(st.none() | _dates) if start is None else start
    adjudications: tuple[InstitutionalLineAdjudication, ...] = ()
    if payer_ids and draw(st.booleans()):
        adjudications = (
            InstitutionalLineAdjudication(
                draw(st.sampled_from(payer_ids)),
                draw(money()),
                Decimal(draw(st.integers(1, 9))),
                draw(_dates),
                procedure=hcpcs,
                modifiers=mods,
                revenue_code=draw(revenue_codes()),
                adjustments=draw(_adjustments()),
                remaining_liability=draw(st.none() | money()),
            ),
        )
    return InstitutionalServiceLine(
        draw(revenue_codes()),
        draw(money()),
        Decimal(draw(st.integers(1, 99))),
        draw(st.sampled_from(("UN", "DA"))),
        hcpcs,
        modifiers=mods,
        non_covered=draw(st.none() | money()),
        service_date=day,
        control_number=draw(st.none() | _text(30, 2)),
        service_tax=draw(st.none() | money()),
        third_party_note=draw(st.none() | _text(60)),
        rendering_provider=draw(st.none() | providers()),
        adjudications=adjudications,
    )


#: 2010AA of X223A2 has no secondary identification REF
_billing = billing_providers().map(lambda p: attrs.evolve(p, secondary_ids=()))
_REF_ORDER = ("G1", "F8", "D9", "EA")  # a subset of the 2300 REFs, in guide order
_NOTE_CODES = ("ALG", "DCP", "DGN")


@st.composite
def institutional_claims(draw: Any, max_lines: int = 3) -> InstitutionalClaim:
    """One institutional claim the writer accepts (CLM02 = the lines' sum...)."""
    icd9 = draw(st.booleans()) and draw(st.booleans())
    start = draw(_dates)
    end = start + _dt.timedelta(days=draw(st.integers(0, 30)))
    others = tuple(draw(st.lists(institutional_other_payers(), max_size=2)))
    payer_ids = tuple(op.payer.id for op in others)
    lines = tuple(
        draw(st.lists(institutional_service_lines(payer_ids), min_size=1, max_size=max_lines))
    )
    admitted = draw(st.booleans())
    refs = sorted(draw(st.sets(st.sampled_from(_REF_ORDER), max_size=3)), key=_REF_ORDER.index)
    procs = pcs_codes() if not icd9 else _text(7, 3)
    return InstitutionalClaim(
        draw(_text(38)),
        sum((ln.charge for ln in lines), Decimal(0)),
        draw(st.sampled_from(("11", "13", "21", "83", "85"))),
        draw(_billing),
        draw(subscribers()),
        draw(payers()),
        draw(institutional_diagnoses()),
        start,
        end,
        draw(st.sampled_from(("01", "02", "03", "20", "30"))),
        lines,
        patient=draw(st.none() | patients()),
        frequency=draw(st.sampled_from("1278")),
        admission_type=draw(st.sampled_from("1239")) if admitted else None,
        admission_source=draw(st.sampled_from("1247")) if admitted else None,
        admission_date=start if admitted else None,
        admission_hour=draw(st.none() | _hour()) if admitted else None,
        discharge_hour=draw(st.none() | _hour()),
        attachments=tuple(
            draw(st.lists(st.builds(Attachment, st.just("09"), st.just("AA")), max_size=1))
        ),
        patient_estimated_due=draw(st.none() | money()),
        references=tuple(Reference(q, draw(_text(20, 2))) for q in refs),
        notes=tuple(
            draw(st.lists(st.builds(Note, st.sampled_from(_NOTE_CODES), _text(60)), max_size=2))
        ),
        icd9=icd9,
        admitting_diagnosis=draw(st.none() | _text(7, 3)),
        reason_for_visit=tuple(draw(st.lists(_text(7, 3), max_size=3))),
        external_causes=tuple(draw(st.lists(institutional_diagnoses(), max_size=2))),
        drg=draw(st.none() | _text(3, 3)),
        other_diagnoses=tuple(draw(st.lists(institutional_diagnoses(), max_size=14))),
        principal_procedure=draw(st.none() | st.builds(ProcedureCode, procs, _dates)),
        other_procedures=tuple(draw(st.lists(st.builds(ProcedureCode, procs, _dates), max_size=2))),
        occurrence_spans=tuple(
            draw(
                st.lists(
                    st.builds(OccurrenceSpan, _text(2, 2), st.just(start), st.just(end)),
                    max_size=2,
                )
            )
        ),
        occurrences=tuple(draw(st.lists(st.builds(Occurrence, _text(2, 2), _dates), max_size=2))),
        values=tuple(draw(st.lists(st.builds(ValueCode, _text(2, 2), money()), max_size=13))),
        condition_codes=tuple(draw(st.lists(_text(2, 2), max_size=3))),
        treatment_codes=tuple(draw(st.lists(_text(5, 1), max_size=2))),
        attending_provider=draw(st.none() | providers(taxonomy=True)),
        operating_physician=draw(st.none() | providers()),
        service_facility=draw(
            st.none() | st.builds(Provider, _text(35), st.none(), st.just("2"), address=addresses())
        ),
        referring_provider=draw(st.none() | providers()),
        other_payers=others,
    )


@st.composite
def institutional_claim_lists(draw: Any, max_size: int = 4) -> list[InstitutionalClaim]:
    """Several claims, some sharing their billing provider and subscriber (HL grouping)."""
    first = draw(institutional_claims())
    out = [first]
    for _ in range(draw(st.integers(0, max_size - 1))):
        c = draw(institutional_claims())
        if draw(st.booleans()):
            c = attrs.evolve(c, billing_provider=first.billing_provider)
            if draw(st.booleans()):
                c = attrs.evolve(c, subscriber=first.subscriber, payer=first.payer)
        out.append(c)
    return out
