"""Hypothesis strategies for every model: property-test your own billing code with them.

One import gives a strategy per model of :mod:`models`, each drawing objects that pass the
model's validators and go through :mod:`models.json` and back unchanged::

    from hypothesis import given
    from models import strategies

    @given(strategies.claims())
    def test_my_scrubber_accepts_every_writable_claim(claim):
        assert my_scrubber(claim).ok

    @given(strategies.remittances())
    def test_posting_balances(remittance):
        ledger = post(remittance)
        assert ledger.total == remittance.amount

Claims (837P, 005010X222A1): :func:`claims` (one claim an 837 writer must accept: valid NPIs,
line charges adding up to the claim charge, diagnosis pointers that point at diagnoses, values
within the guide's lengths and code lists), :func:`claim_lists` (claims sharing billing
providers and subscribers), :func:`submissions`, :func:`service_lines`, :func:`diagnoses`,
:func:`billing_providers`, :func:`providers` (rendering, referring, supervising...),
:func:`subscribers`, :func:`patients`, :func:`payers`, :func:`other_payers` (COB),
:func:`submitters`, :func:`receivers`, :func:`addresses`, :func:`npis`, :func:`money`.

Remittances (835, 005010X221A1), balanced at every level: :func:`remittances`,
:func:`claim_payments`, :func:`service_payments`, :func:`adjustments` (one CAS triplet),
:func:`provider_adjustments` (one PLB pair), :func:`remark_codes`.

Claim acknowledgments (277CA, 005010X214): :func:`acknowledgment_reports`,
:func:`claim_acknowledgments`, :func:`line_acknowledgments`, :func:`status_infos`.

Institutional (837I) and dental (837D) strategies are here too once their modules exist
(``models.strategies_institutional`` / ``models.strategies_dental``): the modules as
:data:`institutional` and :data:`dental` (``None`` while absent), and each of their public
names that does not clash with a name above re-exported at this level.

Strategies take keyword arguments where a test needs to steer them (``claims(billing=...)``,
``service_lines(n_diagnoses=3)``, ``remittances(max_claims=10)``...); compose them with
``hypothesis.strategies`` as usual. Hypothesis is an optional extra: without it, importing
this module raises an :class:`ImportError` that says ``pip install "x12-claims[hypothesis]"``.
"""

from __future__ import annotations

import datetime as _dt
import importlib
from decimal import Decimal
from types import ModuleType
from typing import Any

try:
    from hypothesis import strategies as st
except ImportError as _exc:
    raise ImportError(
        'models.strategies needs Hypothesis: pip install "x12-claims[hypothesis]"'
    ) from _exc

from models.acknowledgment import (
    ClaimAcknowledgment,
    ClaimAcknowledgmentReport,
    InformationReceiver,
    InformationSource,
    LineAcknowledgment,
    Party,
    ProviderAcknowledgment,
    StatusCode,
    StatusInfo,
)
from models.strategies_claims import (
    addresses,
    billing_providers,
    claim_lists,
    claims,
    diagnoses,
    money,
    npis,
    other_payers,
    patients,
    payers,
    providers,
    receivers,
    service_lines,
    submissions,
    submitters,
    subscribers,
)
from models.strategies_remittance import (
    adjustments,
    claim_payments,
    provider_adjustments,
    remark_codes,
    remittances,
    service_payments,
)

__all__ = [
    "acknowledgment_reports",
    "addresses",
    "adjustments",
    "billing_providers",
    "claim_acknowledgments",
    "claim_lists",
    "claim_payments",
    "claims",
    "dental",
    "diagnoses",
    "institutional",
    "line_acknowledgments",
    "money",
    "npis",
    "other_payers",
    "patients",
    "payers",
    "provider_acknowledgments",
    "provider_adjustments",
    "providers",
    "receivers",
    "remark_codes",
    "remittances",
    "service_lines",
    "service_payments",
    "status_infos",
    "submissions",
    "submitters",
    "subscribers",
]

# --------------------------------------------------------------------- acknowledgments
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_dates = st.dates(_dt.date(2000, 1, 1), _dt.date(2035, 12, 31))
_ids = st.text(_ALNUM, min_size=2, max_size=20)
_names = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=20)
_amounts = st.integers(0, 9_999_999).map(lambda c: Decimal(c).scaleb(-2))
_counts = st.integers(0, 9999).map(Decimal)
# Claim status category codes (STC01-1) of the 277CA: accepted, rejected, errors.
_CATEGORIES = ("A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "E0", "E1", "P1", "F1")


def _opt(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def _status_codes() -> st.SearchStrategy[StatusCode]:
    return st.builds(
        StatusCode,
        st.sampled_from(_CATEGORIES),
        st.sampled_from(("", "20", "21", "33", "145", "562")),
        st.sampled_from(("", "85", "QC", "PR", "IL")),
        st.just(""),
    )


def status_infos() -> st.SearchStrategy[StatusInfo]:
    """One STC: up to three status composites (STC01, STC10, STC11), date, action, amounts."""
    return st.builds(
        StatusInfo,
        st.lists(_status_codes(), min_size=1, max_size=3).map(tuple),
        _opt(_dates),
        st.sampled_from(("", "WQ", "U")),
        _opt(_amounts),
        _opt(_amounts),
        st.one_of(st.just(""), st.text(_ALNUM + " ", max_size=40).map(str.strip)),
    )


def _parties(entity: str, person: bool) -> st.SearchStrategy[Party]:
    return st.builds(
        Party,
        st.just(entity),
        st.just("1" if person else "2"),
        _names,
        _names if person else st.just(""),
        st.just(""),
        st.just(""),
        st.sampled_from(("MI",) if person else ("XX", "FI", "46", "PI")),
        _ids,
    )


@st.composite
def _date_range(draw: Any) -> tuple[_dt.date | None, _dt.date | None]:
    start = draw(_opt(_dates))
    if start is None:
        return None, None
    return start, start + _dt.timedelta(days=draw(st.integers(0, 30)))


@st.composite
def line_acknowledgments(draw: Any) -> LineAcknowledgment:
    """A 2220D service line status (SVC, STC, REF*FJ, DTP*472)."""
    start, end = draw(_date_range())
    code = draw(st.sampled_from(("99213", "85025", "97110", "71046", "0450")))
    mods = draw(st.lists(st.sampled_from(("25", "59", "GT")), max_size=2, unique=True))
    return LineAcknowledgment(
        ("HC", code, *mods),
        charge=draw(_opt(_amounts)),
        paid=draw(_opt(_amounts)),
        units=draw(_opt(st.integers(1, 99).map(Decimal))),
        statuses=tuple(draw(st.lists(status_infos(), min_size=1, max_size=2))),
        line_item_control_number=draw(st.one_of(st.just(""), _ids)),
        service_date_from=start,
        service_date_to=end,
    )


@st.composite
def claim_acknowledgments(draw: Any) -> ClaimAcknowledgment:
    """A 2000D-2220D claim status: patient, TRN02 (the 837's CLM01), STCs, lines."""
    start, end = draw(_date_range())
    return ClaimAcknowledgment(
        draw(_opt(_parties("QC", True))),
        draw(_ids),
        statuses=tuple(draw(st.lists(status_infos(), min_size=1, max_size=2))),
        payer_claim_number=draw(st.one_of(st.just(""), _ids)),
        clearinghouse_trace_number=draw(st.one_of(st.just(""), _ids)),
        references=tuple(draw(st.lists(st.tuples(st.sampled_from(("EJ", "BLT")), _ids)))),
        service_date_from=start,
        service_date_to=end,
        lines=tuple(draw(st.lists(line_acknowledgments(), max_size=3))),
    )


@st.composite
def provider_acknowledgments(draw: Any, max_claims: int = 3) -> ProviderAcknowledgment:
    """A 2000C-2200C billing provider with its totals and claim statuses."""
    acks = tuple(draw(st.lists(claim_acknowledgments(), min_size=1, max_size=max_claims)))
    return ProviderAcknowledgment(
        draw(_opt(_parties("85", False))),
        trace_number=draw(_ids),
        statuses=tuple(draw(st.lists(status_infos(), max_size=1))),
        references=tuple(draw(st.lists(st.tuples(st.just("TJ"), _ids), max_size=1))),
        accepted_quantity=draw(_opt(_counts)),
        rejected_quantity=draw(_opt(_counts)),
        accepted_amount=draw(_opt(_amounts)),
        rejected_amount=draw(_opt(_amounts)),
        claims=acks,
    )


@st.composite
def acknowledgment_reports(draw: Any, max_claims: int = 3) -> ClaimAcknowledgmentReport:
    """One 277CA transaction: source -> receiver -> providers -> claims."""
    provs = tuple(
        draw(st.lists(provider_acknowledgments(max_claims=max_claims), min_size=1, max_size=2))
    )
    receiver = InformationReceiver(
        draw(_opt(_parties("41", False))),
        trace_number=draw(_ids),
        statuses=tuple(draw(st.lists(status_infos(), max_size=1))),
        accepted_quantity=draw(_opt(_counts)),
        rejected_quantity=draw(_opt(_counts)),
        providers=provs,
    )
    source = InformationSource(
        draw(_opt(_parties("PR", False))),
        trace_number=draw(_ids),
        received_date=draw(_opt(_dates)),
        process_date=draw(_opt(_dates)),
        receivers=(receiver,),
    )
    return ClaimAcknowledgmentReport(
        draw(st.integers(1, 999_999_999).map(lambda n: f"{n:04d}")),
        reference=draw(_ids),
        created=draw(_opt(_dates)),
        time=draw(st.sampled_from(("", "0930", "153045"))),
        transaction_type=draw(st.sampled_from(("", "TH"))),
        sources=(source,),
    )


# --------------------------------------------------------- 837I / 837D (when present)
def _optional(name: str) -> ModuleType | None:
    """``models.<name>`` when it exists, else None (an error inside it still raises)."""
    full = f"models.{name}"
    try:
        return importlib.import_module(full)
    except ModuleNotFoundError as exc:
        if exc.name == full:
            return None
        raise


#: ``models.strategies_institutional`` (837I strategies), or None before it exists.
institutional: ModuleType | None = _optional("strategies_institutional")
#: ``models.strategies_dental`` (837D strategies), or None before it exists.
dental: ModuleType | None = _optional("strategies_dental")


def _reexport(module: ModuleType | None) -> None:
    if module is None:
        return
    for name in getattr(module, "__all__", ()):
        if name not in globals():
            globals()[name] = getattr(module, name)
            __all__.append(name)


_reexport(institutional)
_reexport(dental)
