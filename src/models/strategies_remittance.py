"""Hypothesis strategies for remittances (public: test your own posting code with them).

``remittances()`` draws :class:`~models.remittance.Remittance` objects that are valid by the
005010X221A1 guide (codes from its lists, required values present) and balanced at every
level: each line's charge - paid equals its adjustments, each claim's charge - paid equals
claim and line adjustments, the payment equals the claims' payments minus the provider
adjustments. ``hypothesis`` is needed only when this module is imported (the ``hypothesis``
extra: ``pip install "x12-claims[hypothesis]"``; without it the import raises an
:class:`ImportError` saying so). The one public entry point for every model's strategies is
:mod:`models.strategies`.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

try:
    from hypothesis import strategies as st
except ImportError as _exc:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        'the model strategies need Hypothesis: pip install "x12-claims[hypothesis]"'
    ) from _exc

from models.common import Address, Adjustment, AdjustmentGroup, Contact
from models.remittance import (
    Amount,
    ClaimGroup,
    ClaimPayment,
    Party,
    Procedure,
    ProviderAdjustment,
    Reference,
    RemarkCode,
    Remittance,
    RemittanceDelivery,
    RemittanceParty,
    ServicePayment,
)

__all__ = [
    "addresses",
    "adjustments",
    "claim_payments",
    "dates",
    "money",
    "provider_adjustments",
    "remark_codes",
    "remittances",
    "service_payments",
    "texts",
]

_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_ZERO = Decimal(0)
_NPIS = ("1234567893", "1245319599", "1003000126", "1497758544")


def texts(min_size: int = 2, max_size: int = 12) -> st.SearchStrategy[str]:
    """Upper-case letters and digits (never a delimiter, never blank)."""
    return st.text(alphabet=_ALNUM, min_size=min_size, max_size=max_size)


def names() -> st.SearchStrategy[str]:
    return st.builds(
        lambda a, b: f"{a} {b}" if b else a,
        st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=10),
        st.one_of(
            st.just(""), st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=8)
        ),
    )


def money(min_cents: int = 0, max_cents: int = 500_000) -> st.SearchStrategy[Decimal]:
    """Amounts with two decimal places."""
    return st.integers(min_cents, max_cents).map(lambda c: Decimal(c).scaleb(-2))


def dates() -> st.SearchStrategy[_dt.date]:
    return st.dates(_dt.date(2000, 1, 1), _dt.date(2030, 12, 31))


def addresses() -> st.SearchStrategy[Address]:
    return st.builds(
        Address,
        line1=names(),
        city=names(),
        state=st.sampled_from(("IL", "NY", "CA", "TX")),
        postal_code=st.sampled_from(("62701", "100011234", "94105")),
    )


_GROUPS = ("CO", "CR", "OA", "PI", "PR")
_REASONS = ("1", "2", "3", "23", "45", "50", "96", "97", "109", "253")


def adjustments(
    groups: tuple[str, ...] = _GROUPS, max_cents: int = 500_000
) -> st.SearchStrategy[Adjustment]:
    """One CAS triplet (group, CARC, amount, optional quantity); amounts may be negative
    (reversals and corrections carry negative adjustments)."""
    return st.builds(
        Adjustment,
        st.sampled_from(groups).map(AdjustmentGroup),
        st.sampled_from(_REASONS),
        money(-max_cents, max_cents),
        st.one_of(st.none(), st.integers(1, 99).map(Decimal)),
    )


def remark_codes() -> st.SearchStrategy[RemarkCode]:
    """A remark (LQ): RARC (HE) or NCPDP reject code (RX); values only."""
    return st.one_of(
        st.builds(RemarkCode, st.just("HE"), st.sampled_from(("N130", "M15", "N290", "MA130"))),
        st.builds(RemarkCode, st.just("RX"), st.sampled_from(("70", "75", "76"))),
    )


def provider_adjustments() -> st.SearchStrategy[ProviderAdjustment]:
    """One PLB reason/amount pair (positive reduces the payment, negative adds to it)."""
    return st.builds(
        ProviderAdjustment,
        st.sampled_from(_NPIS),
        st.integers(2001, 2030).map(lambda y: _dt.date(y, 12, 31)),
        st.sampled_from(("L6", "WO", "FB", "CS", "72", "J1")),
        money(-500_000, 500_000).filter(lambda a: a != 0),
        st.one_of(st.none(), texts(2, 15)),
    )


@st.composite
def _adjustments(draw: st.DrawFn, budget: Decimal, groups: tuple[str, ...]) -> list[Adjustment]:
    out: list[Adjustment] = []
    left = budget
    for _ in range(draw(st.integers(0, 3))):
        if left <= 0:
            break
        amt = Decimal(draw(st.integers(1, int(left * 100)))).scaleb(-2)
        group = AdjustmentGroup(draw(st.sampled_from(groups)))
        reason = draw(st.sampled_from(("1", "2", "3", "45", "23", "96", "97", "253")))
        qty = draw(st.one_of(st.none(), st.integers(1, 9).map(Decimal)))
        out.append(Adjustment(group, reason, amt, qty))
        left -= amt
    return out


@st.composite
def service_payments(draw: st.DrawFn) -> ServicePayment:
    """A balanced service line (charge - paid = its adjustments)."""
    charge = draw(money(100, 200_000))
    adj = draw(_adjustments(charge, ("CO", "PR", "OA", "PI")))
    paid = charge - sum((a.amount for a in adj), _ZERO)
    mods = tuple(draw(st.lists(st.sampled_from(("25", "59", "GT", "26", "TC")), max_size=4)))
    qual = draw(st.sampled_from(("HC", "AD")))
    code = draw(st.sampled_from(("99213", "85025", "97110", "D1110", "71046")))
    use_range = draw(st.booleans())
    start = draw(dates())
    return ServicePayment(
        procedure=Procedure(qual, code, mods if qual == "HC" else ()),
        charge=charge,
        paid=paid,
        units=draw(st.one_of(st.none(), st.integers(1, 5).map(Decimal))),
        service_date=None if use_range else start,
        service_from=start if use_range else None,
        service_to=start + _dt.timedelta(days=draw(st.integers(0, 3))) if use_range else None,
        adjustments=tuple(adj),
        references=(Reference("6R", draw(texts(2, 20))),) if draw(st.booleans()) else (),
        amounts=(Amount("B6", charge - sum((a.amount for a in adj if a.group == "CO"), _ZERO)),)
        if draw(st.booleans())
        else (),
        remarks=tuple(
            RemarkCode("HE", c)
            for c in draw(
                st.lists(st.sampled_from(("N130", "M15", "N290")), max_size=2, unique=True)
            )
        ),
    )


@st.composite
def claim_payments(draw: st.DrawFn) -> ClaimPayment:
    """A balanced claim payment."""
    services = draw(st.lists(service_payments(), max_size=3))
    extra = draw(money(0, 50_000))
    lines_charge = sum((s.charge for s in services), _ZERO)
    charge = lines_charge + extra if services else draw(money(100, 300_000))
    budget = extra if services else charge
    cas = draw(_adjustments(budget, ("CO", "PR", "OA")))
    claim_cas = sum((a.amount for a in cas), _ZERO)
    paid = sum((s.paid for s in services), _ZERO) + (budget - claim_cas)
    status = draw(st.sampled_from(("1", "2", "3", "19", "20", "21", "23", "25")))
    patient = Party(
        "QC",
        "1",
        draw(names()),
        draw(st.one_of(st.none(), names())),
        id_qualifier="MI",
        id=draw(texts(2, 15)),
    )
    rendering = draw(
        st.one_of(
            st.none(),
            st.builds(
                lambda npi, nm: Party("82", "2", nm, id_qualifier="XX", id=npi),
                st.sampled_from(_NPIS),
                names(),
            ),
        )
    )
    pr = sum((a.amount for a in cas if a.group == "PR"), _ZERO) + sum(
        (a.amount for s in services for a in s.adjustments if a.group == "PR"), _ZERO
    )
    return ClaimPayment(
        patient_control_number=draw(texts(2, 20)),
        status=status,
        charge=charge,
        paid=paid,
        patient_responsibility=pr if draw(st.booleans()) else None,
        filing_indicator=draw(st.sampled_from(("12", "MB", "MC", "HM", "15"))),
        payer_claim_number=draw(texts(2, 20)),
        facility_type=draw(st.sampled_from(("11", "22", "13"))),
        frequency="1",
        adjustments=tuple(cas),
        patient=patient,
        rendering_provider=rendering,
        references=(Reference("1L", draw(texts(2, 10))),) if draw(st.booleans()) else (),
        statement_from=draw(st.one_of(st.none(), dates())),
        received=draw(st.one_of(st.none(), dates())),
        amounts=(Amount("AU", charge),) if draw(st.booleans()) else (),
        services=tuple(services),
    )


@st.composite
def remittances(draw: st.DrawFn, max_claims: int = 4) -> Remittance:
    """A guide-valid, balanced remittance (check or no payment)."""
    grouped: list[list[ClaimPayment]] = draw(
        st.lists(st.lists(claim_payments(), min_size=1, max_size=max_claims), max_size=2)
    )
    claims = [c for g in grouped for c in g]
    total = sum((c.paid for c in claims), _ZERO)
    npi = draw(st.sampled_from(_NPIS))
    plb: list[ProviderAdjustment] = []
    with_plb: bool = draw(st.booleans())
    # One fiscal period and provider for every pair, at most six pairs: a single PLB
    # segment (pyx12 4.0.0 reports a second PLB as a second FOOTER loop, although the guide
    # lets PLB repeat).
    when = _dt.date(draw(st.integers(2001, 2030)), 12, 31)
    if claims and with_plb:
        for _ in range(draw(st.integers(1, 3))):
            amt = draw(money(-5000, 5000))
            if amt == 0:
                continue
            reason = draw(st.sampled_from(("L6", "WO", "FB", "CS")))
            ref = draw(st.one_of(st.none(), texts(2, 15))) if reason != "L6" else None
            plb.append(ProviderAdjustment(npi, when, reason, amt, ref))
    amount = total - sum((p.amount for p in plb), _ZERO)
    if amount < 0:
        plb.append(ProviderAdjustment(npi, when, "FB", amount, None))
        amount = _ZERO
    method = "NON" if amount == 0 else "CHK"
    return Remittance(
        handling="H" if method == "NON" else "I",
        amount=amount,
        credit_debit="C",
        method=method,
        payment_date=draw(dates()),
        trace_type="1",
        trace_number=draw(texts(2, 30)),
        trace_originator="1" + draw(st.text(alphabet="0123456789", min_size=9, max_size=9)),
        references=(Reference("EV", draw(texts(2, 15))),) if draw(st.booleans()) else (),
        production_date=draw(st.one_of(st.none(), dates())),
        payer=RemittanceParty(
            name=draw(names()),
            id_qualifier="XV",
            id=draw(texts(2, 10)),
            address=draw(addresses()),
            contacts=(Contact(draw(st.one_of(st.none(), names())), (("TE", "8005551234"),), "BL"),),
        ),
        payee=RemittanceParty(
            name=draw(names()),
            id_qualifier="XX",
            id=npi,
            address=draw(st.one_of(st.none(), addresses())),
            references=(
                Reference("TJ", draw(st.text(alphabet="0123456789", min_size=9, max_size=9))),
            )
            if draw(st.booleans())
            else (),
            delivery=draw(
                st.one_of(
                    st.none(),
                    st.builds(
                        RemittanceDelivery,
                        st.sampled_from(("BM", "EM", "FT", "OL")),
                        st.one_of(st.none(), names()),
                        st.one_of(st.none(), texts(2, 20)),
                    ),
                )
            ),
        ),
        groups=tuple(ClaimGroup(number=str(i + 1), claims=tuple(g)) for i, g in enumerate(grouped)),
        provider_adjustments=tuple(plb),
    )
