"""Hypothesis strategies for the claim models (public: test your own code with them).

``claims()`` draws professional claims that a writer must accept: valid NPIs, line charges
that add up to the claim charge, diagnosis pointers that point at existing diagnoses,
values within the 005010X222A1 lengths and code lists, each optional part (other payers
with line adjudication, drug, ambulance, DME, forms, the 2310/2420 providers) drawn or
not. ``claim_lists()`` draws lists of them sharing billing providers and subscribers, so
that the HL grouping is exercised.

Needs ``hypothesis`` (the ``hypothesis`` extra: ``pip install "x12-claims[hypothesis]"``);
importing this module without it raises an :class:`ImportError` saying so. The one public
entry point for every model's strategies is :mod:`models.strategies`.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

try:
    from hypothesis import strategies as st
except ImportError as _exc:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        'the model strategies need Hypothesis: pip install "x12-claims[hypothesis]"'
    ) from _exc

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
    Submission,
    Submitter,
    Subscriber,
)
from models.common import Address, Adjustment, Contact, npi_check_digit

__all__ = [
    "addresses",
    "billing_providers",
    "claim_lists",
    "claims",
    "diagnoses",
    "money",
    "npis",
    "other_payers",
    "patients",
    "payers",
    "providers",
    "receivers",
    "service_lines",
    "submissions",
    "submitters",
    "subscribers",
]

_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _text(max_size: int, min_size: int = 1, alphabet: str = _ALNUM) -> st.SearchStrategy[str]:
    """Printable X12-safe text without leading/trailing blanks (inner blanks allowed)."""
    inner = st.text(alphabet + " ", min_size=0, max_size=max(0, max_size - 2))
    ends = st.sampled_from(alphabet)
    one = st.text(alphabet, min_size=min_size, max_size=min(max_size, 1))
    if max_size < 2:
        return one
    return st.one_of(
        st.text(alphabet, min_size=max(min_size, 1), max_size=max_size),
        st.builds(lambda a, m, b: a + m + b, ends, inner, ends).filter(lambda s: "  " not in s),
    )


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=n, max_size=n)


@st.composite
def npis(draw: Any) -> str:
    """A valid NPI (Luhn check digit with the 80840 prefix)."""
    first: str = draw(st.sampled_from("12")) + draw(_digits(8))
    return first + str(npi_check_digit(first))


def money(max_value: int = 99999) -> st.SearchStrategy[Decimal]:
    """Non-negative amounts with two decimal places."""
    return st.decimals(min_value=0, max_value=max_value, places=2, allow_nan=False)


_dates = st.dates(_dt.date(2000, 1, 1), _dt.date(2035, 12, 31))
_states = st.sampled_from(("NY", "CA", "TX", "IL", "OH", "FL", "WA", "CO", "NC", "PA"))


@st.composite
def addresses(draw: Any, nine_digit: bool = False) -> Address:
    """US addresses (N3/N4); ``nine_digit`` for the loops that require ZIP+4."""
    postal = draw(_digits(9) if nine_digit else st.one_of(_digits(5), _digits(9)))
    return Address(
        draw(_text(55)),
        draw(_text(30, 2)),
        draw(_states),
        postal,
        draw(st.none() | _text(55)),
    )


_names = _text(35)
_first = _text(25)


def _contact() -> st.SearchStrategy[Contact]:
    number = st.tuples(st.sampled_from(("TE", "FX")), _digits(10))
    return st.builds(
        Contact,
        st.none() | _text(60),
        st.lists(number, min_size=1, max_size=3).map(tuple),
    )


@st.composite
def _person_provider(draw: Any, role: Any = None, taxonomy: bool = False) -> Provider:
    person = True  # 2310A/D, 2420D-F take persons only
    return Provider(
        draw(_names),
        draw(npis()),
        "1" if person else "2",
        first_name=draw(st.none() | _first) if person else None,
        role=draw(role) if role is not None else None,
        taxonomy=draw(st.none() | _text(10, 10)) if taxonomy else None,
    )


def providers(taxonomy: bool = False) -> st.SearchStrategy[Provider]:
    """A person provider with an NPI, as the 2310A/B/D and 2420A/D-F loops take
    (``taxonomy``: with a PRV taxonomy code, as rendering providers may have)."""
    return _person_provider(taxonomy=taxonomy)


@st.composite
def billing_providers(draw: Any) -> Provider:
    """A billing provider with what 2000A/2010AA require (NPI, address, tax id)."""
    return Provider(
        draw(_names),
        draw(npis()),
        "2",
        taxonomy=draw(st.none() | _text(10, 10)),
        tax_id=draw(_digits(9)),
        address=draw(addresses(nine_digit=True)),
        contacts=tuple(draw(st.lists(_contact(), max_size=2))),
        secondary_ids=tuple(
            draw(st.lists(st.builds(Reference, st.just("0B"), _text(30, 2)), max_size=1))
        ),
    )


@st.composite
def payers(draw: Any) -> Payer:
    return Payer(draw(_names), draw(_text(20, 2)), address=draw(st.none() | addresses()))


_FILING = ("CI", "MB", "MC", "BL", "HM", "12", "16", "ZZ")


@st.composite
def subscribers(draw: Any, other: bool = False) -> Subscriber:
    """A 2000B subscriber (``other``: a 2320/2330A other subscriber)."""
    dmg = not other and draw(st.booleans())
    return Subscriber(
        draw(_names),
        draw(_text(20, 2)),
        first_name=draw(st.none() | _first),
        payer_responsibility=draw(st.sampled_from(("P", "S", "T"))),
        relationship=draw(st.sampled_from(("18", "01", "19", "20"))) if other else None,
        group_number=draw(st.none() | _text(20, 2)),
        claim_filing_code=draw(st.sampled_from(_FILING)),
        address=None if other else draw(st.none() | addresses()),
        birth_date=draw(_dates) if dmg else None,
        gender=draw(st.sampled_from("FMU")) if dmg else None,
    )


@st.composite
def patients(draw: Any) -> Patient:
    return Patient(
        draw(_names),
        draw(st.sampled_from(("01", "19", "20", "21", "39", "40", "53", "G8"))),
        draw(addresses()),
        draw(_dates),
        draw(st.sampled_from("FMU")),
        first_name=draw(st.none() | _first),
    )


_ICD10 = st.builds(
    lambda letter, rest: letter + rest,
    st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWYZ"),
    st.text("0123456789", min_size=2, max_size=6),
)


def diagnoses() -> st.SearchStrategy[Diagnosis]:
    """An ICD-10-CM-shaped diagnosis code (a letter and 2-6 digits; HI ABK/ABF)."""
    return st.builds(Diagnosis, _ICD10)


_CPT = st.one_of(_digits(5), st.builds(lambda c, d: c + d, st.sampled_from("AEGJ"), _digits(4)))
_MOD = st.text("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ", min_size=2, max_size=2)


@st.composite
def service_lines(draw: Any, n_diagnoses: int = 1, payer_ids: tuple[str, ...] = ()) -> ServiceLine:
    """One 2400 line; pointers within ``n_diagnoses``; 2430 only for ``payer_ids``."""
    start = draw(_dates)
    ranged = draw(st.booleans())
    charge = draw(money())
    procedure = draw(_CPT)
    ptrs = draw(
        st.lists(st.integers(1, n_diagnoses), min_size=1, max_size=min(4, n_diagnoses), unique=True)
    )
    optional = draw(st.booleans())
    kw: dict[str, Any] = {}
    if optional:
        kw = {
            "description": draw(st.none() | _text(80)),
            "place_of_service": draw(st.none() | st.sampled_from(("11", "22", "21"))),
            "emergency": draw(st.booleans()),
            "control_number": draw(st.none() | _text(30, 2)),
            "dates": tuple(
                draw(st.lists(st.builds(EventDate, st.just("471"), _dates), max_size=1))
            ),
            "references": tuple(
                draw(st.lists(st.builds(Reference, st.just("G1"), _text(30, 2)), max_size=2))
            ),
            "note": draw(st.none() | st.builds(Note, st.just("ADD"), _text(80))),
            "drug": draw(
                st.none()
                | st.builds(
                    Drug, _digits(11), money(9999), st.sampled_from(("UN", "ML", "GR", "F2", "ME"))
                )
            ),
            "rendering_provider": draw(st.none() | _person_provider(taxonomy=True)),
            "ordering_provider": draw(st.none() | _person_provider()),
            "referring_providers": tuple(draw(st.lists(_person_provider(), max_size=1))),
            "dme_certification": draw(
                st.none()
                | st.builds(
                    DmeCertification, st.sampled_from("IRS"), st.integers(1, 99).map(Decimal)
                )
            ),
            "forms": tuple(
                draw(
                    st.lists(
                        st.builds(
                            Form,
                            _text(15),
                            st.lists(
                                st.tuples(_text(20, 2), st.sampled_from(("Y", "N"))),
                                min_size=1,
                                max_size=3,
                            ).map(tuple),
                        ),
                        max_size=1,
                    )
                )
            ),
        }
        if payer_ids:
            kw["adjudications"] = tuple(
                draw(
                    st.lists(
                        st.builds(
                            LineAdjudication,
                            st.sampled_from(payer_ids),
                            money(),
                            st.just(procedure),
                            st.integers(1, 9).map(Decimal),
                            _dates,
                            adjustments=st.lists(
                                st.builds(
                                    Adjustment,
                                    st.sampled_from(("CO", "PR", "OA")),
                                    st.sampled_from(("1", "2", "3", "45", "97")),
                                    money(999),
                                ),
                                max_size=3,
                            ).map(_by_group),
                        ),
                        max_size=2,
                    )
                )
            )
    return ServiceLine(
        procedure,
        charge,
        start,
        draw(st.integers(1, 99).map(Decimal)),
        modifiers=tuple(draw(st.lists(_MOD, max_size=4))),
        diagnosis_pointers=tuple(ptrs),
        service_date_end=start + _dt.timedelta(days=draw(st.integers(1, 5))) if ranged else None,
        **kw,
    )


def _by_group(items: list[Adjustment]) -> tuple[Adjustment, ...]:
    """CAS triplets grouped by group code, the order a writer gives them back in."""
    return tuple(sorted(items, key=lambda a: str(a.group)))


@st.composite
def other_payers(draw: Any) -> OtherPayer:
    return OtherPayer(
        draw(subscribers(other=True)),
        Payer(draw(_names), draw(_text(20, 2))),
        adjustments=tuple(
            draw(
                st.lists(
                    st.builds(
                        Adjustment,
                        st.sampled_from(("CO", "PR", "OA")),
                        st.sampled_from(("1", "2", "45", "96")),
                        money(999),
                    ),
                    max_size=3,
                ).map(_by_group)
            )
        ),
        paid=draw(st.none() | money()),
        adjudication_date=draw(st.none() | _dates),
        payer_references=tuple(
            draw(st.lists(st.builds(Reference, st.just("F8"), _text(30, 2)), max_size=1))
        ),
        rendering_provider=draw(
            st.none()
            | st.builds(
                Provider,
                st.none(),
                st.none(),
                st.just("1"),
                secondary_ids=st.just((Reference("G2", "X1"),)),
            )
        ),
    )


_DATE_ORDER = ("431", "304", "439")  # a subset of the 2300 DTPs, in guide order
_REF_ORDER = ("G1", "F8", "D9", "EA")  # a subset of the 2300 REFs, in guide order


@st.composite
def claims(
    draw: Any,
    billing: st.SearchStrategy[Provider] | None = None,
    subscriber: st.SearchStrategy[Subscriber] | None = None,
) -> Claim:
    """One claim a writer must accept."""
    n_diag = draw(st.integers(1, 12))
    diagnoses = tuple(
        Diagnosis(c) for c in draw(st.lists(_ICD10, min_size=n_diag, max_size=n_diag))
    )
    others = tuple(draw(st.lists(other_payers(), max_size=2, unique_by=lambda o: o.payer.id)))
    payer_ids = tuple(o.payer.id for o in others)
    lines = tuple(draw(st.lists(service_lines(n_diag, payer_ids), min_size=1, max_size=4)))
    causes = tuple(draw(st.lists(st.sampled_from(("AA", "EM", "OA")), max_size=2, unique=True)))
    ambulance = draw(st.booleans())
    return Claim(
        draw(_text(38, 2)),
        sum((ln.charge for ln in lines), Decimal(0)),
        draw(st.sampled_from(("11", "12", "21", "22", "23", "41", "02"))),
        draw(billing if billing is not None else billing_providers()),
        draw(subscriber if subscriber is not None else subscribers()),
        draw(payers()),
        diagnoses,
        lines,
        draw(st.none() | patients()),
        pay_to_address=draw(st.none() | addresses()),
        frequency=draw(st.sampled_from(("1", "7", "8"))),
        provider_signature=draw(st.booleans()),
        patient_signature_source=draw(st.none() | st.just("P")),
        related_causes=causes,
        accident_state=draw(_states) if "AA" in causes else None,
        delay_reason=draw(st.none() | st.sampled_from(("1", "2", "3", "7", "11"))),
        # drawn in the guide's order, which is the order a writer gives them back in
        dates=tuple(
            sorted(
                draw(
                    st.lists(
                        st.builds(EventDate, st.sampled_from(_DATE_ORDER), _dates),
                        max_size=3,
                        unique_by=lambda d: d.kind,
                    )
                ),
                key=lambda d: _DATE_ORDER.index(d.kind),
            )
        ),
        references=tuple(
            sorted(
                draw(
                    st.lists(
                        st.builds(Reference, st.sampled_from(_REF_ORDER), _text(30, 2)),
                        max_size=3,
                        unique_by=lambda r: r.qualifier,
                    )
                ),
                key=lambda r: _REF_ORDER.index(r.qualifier),
            )
        ),
        attachments=tuple(
            draw(
                st.lists(
                    st.builds(
                        Attachment,
                        st.sampled_from(("09", "OZ", "B4")),
                        st.sampled_from(("FX", "EL", "BM")),
                        _text(30, 2),
                    ),
                    max_size=2,
                )
            )
        ),
        patient_paid=draw(st.none() | money()),
        note=draw(st.none() | st.builds(Note, st.sampled_from(("ADD", "DCP")), _text(80))),
        ambulance=draw(
            st.builds(
                AmbulanceTransport, st.sampled_from("ABCDE"), st.integers(0, 999).map(Decimal)
            )
        )
        if ambulance
        else None,
        conditions=tuple(
            draw(
                st.lists(
                    st.builds(
                        Condition,
                        st.just("07"),
                        st.booleans(),
                        st.lists(
                            st.sampled_from(("01", "04", "05", "06")),
                            min_size=1,
                            max_size=5,
                            unique=True,
                        ).map(tuple),
                    ),
                    max_size=1,
                )
            )
        )
        if ambulance
        else (),
        ambulance_pickup=draw(st.builds(Place, addresses())) if ambulance else None,
        referring_providers=tuple(
            draw(
                st.lists(
                    _person_provider(role=st.sampled_from((None, "P3"))),
                    max_size=2,
                    unique_by=lambda p: p.role,
                )
            )
        ),
        rendering_provider=draw(st.none() | _person_provider(taxonomy=True)),
        service_facility=draw(
            st.none() | st.builds(Provider, _names, npis(), address=addresses(nine_digit=True))
        ),
        supervising_provider=draw(st.none() | _person_provider()),
        other_payers=others,
    )


@st.composite
def claim_lists(draw: Any, max_size: int = 6) -> list[Claim]:
    """Lists of claims sharing billing providers and subscribers (HL grouping exercised)."""
    billing = draw(st.lists(billing_providers(), min_size=1, max_size=2))
    subs = draw(st.lists(subscribers(), min_size=1, max_size=3))
    drawn: list[Claim] = draw(
        st.lists(
            claims(st.sampled_from(billing), st.sampled_from(subs)),
            min_size=1,
            max_size=max_size,
        )
    )
    return drawn


def submitters() -> st.SearchStrategy[Submitter]:
    """A 1000A submitter with one EDI contact (PER)."""
    return st.builds(
        Submitter,
        _names,
        _text(20, 2),
        st.lists(_contact(), min_size=1, max_size=2).map(tuple),
    )


def receivers() -> st.SearchStrategy[Receiver]:
    """A 1000B receiver."""
    return st.builds(Receiver, _names, _text(20, 2))


@st.composite
def submissions(draw: Any, max_claims: int = 4) -> Submission:
    """One 837P transaction: submitter, receiver, BHT and a list of claims."""
    return Submission(
        draw(submitters()),
        draw(receivers()),
        tuple(draw(claim_lists(max_size=max_claims))),
        reference=draw(_text(30, 2)),
        created=draw(st.none() | _dates),
        purpose=draw(st.sampled_from(("00", "18"))),
        transaction_type=draw(st.sampled_from(("CH", "RP"))),
    )
