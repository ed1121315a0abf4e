"""The 837P writer: claims (models) -> segments -> one interchange.

Claims are grouped into the guide's HL hierarchy (2000A billing provider -> 2000B subscriber
-> 2000C patient when the patient is not the subscriber), HL numbers, parents and child
codes computed. Every loop object's segments are written in the guide's order; segments a
reader kept without modelling them (``unmapped``) go back to their guide position, found
in the generated table :mod:`edi837.guide_x222a1`, which also gives the max-use limits that
are checked (or split, for the 100 claims of a subscriber/patient level).

Everything is checked before a byte is written; :class:`x12.errors.X12WriteError` lists
every problem by field path (``claims[3].service_lines[0].charge``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from typing import IO, Any

from edi837.engine import (
    Element,
    GuideTables,
    Problems,
    Seg,
    address,
    amt,
    cas,
    crc,
    date8,
    dtp,
    dumps_transactions,
    nm1,
    opt,
    payer_loop,
    per,
    person_loop,
    provider_loop,
    pwk,
    ref,
    sbr,
    transaction_body,
    unmapped_seg,
    yn,
)
from edi837.engine import group_claims as engine_group_claims
from edi837.guide_x222a1 import GUIDE
from models.claim import (
    AmbulanceTransport,
    Claim,
    Diagnosis,
    OtherPayer,
    Patient,
    Payer,
    Place,
    Provider,
    Receiver,
    ServiceLine,
    Submission,
    Submitter,
    Subscriber,
)
from x12.delimiters import Delimiters
from x12.envelope import ControlNumbers, InterchangeOptions
from x12.errors import X12WriteError

__all__ = ["dump", "dump_any", "dumps", "dumps_any", "group_claims", "transaction_segments"]

IMPLEMENTATION = "005010X222A1"

_T = GuideTables(GUIDE)
_CHECK = _T.check
_merge = _T.merge
_split = _T.split
_max_use = _T.max_use
_unmapped_seg = unmapped_seg
_amt = amt
_date = date8
_yn = yn
_o = opt
_nm1 = nm1
_address = address
_per = per
_ref = ref
_dtp = dtp
_pwk = pwk
_crc = crc
_cas = cas
_Problems = Problems


def _cr1(a: AmbulanceTransport) -> Seg:
    weight = _amt(a.patient_weight_lbs) if a.patient_weight_lbs is not None else ""
    return (
        "CR1",
        [
            "LB" if weight else "",
            weight,
            "",
            a.reason,
            "DH",
            _amt(a.distance_miles),
            "",
            "",
            _o(a.round_trip_purpose),
            _o(a.stretcher_purpose),
        ],
    )


def _place(code: str, p: Place, out: list[Seg]) -> None:
    out.append(_nm1(code, "2", _o(p.name)))
    _address(p.address, out)


# --------------------------------------------------------------------------- checks
def _check_claim(claim: Claim, path: str, p: _Problems) -> None:
    if not claim.service_lines:
        p.add(f"{path}.service_lines", "a claim needs at least one service line (2400)")
    limit = _max_use("2400")
    if limit is not None and len(claim.service_lines) > limit:
        p.add(f"{path}.service_lines", f"at most {limit} service lines per claim (loop 2400)")
    if not claim.diagnoses:
        p.add(f"{path}.diagnoses", "a claim needs at least one diagnosis (HI ABK/BK)")
    if claim.service_lines and claim.charge != claim.line_total:
        p.add(f"{path}.charge", "CLM02 must equal the sum of the service line charges (SV102)")
    if len(claim.related_causes) > 2:
        p.add(f"{path}.related_causes", "at most 2 related causes (CLM11-1, CLM11-2)")
    if "AA" in claim.related_causes and not claim.accident_state:
        p.add(f"{path}.accident_state", "required when a related cause is AA (auto accident)")
    for name, limit_loop, items in (
        ("referring_providers", "2310A", claim.referring_providers),
        ("other_payers", "2320", claim.other_payers),
    ):
        lim = _max_use(limit_loop)
        if lim is not None and len(items) > lim:
            p.add(f"{path}.{name}", f"at most {lim} (loop {limit_loop})")
    if claim.service_facility is not None and claim.service_facility.address is None:
        p.add(f"{path}.service_facility.address", "required (2310C N3/N4)")
    bp = claim.billing_provider
    if bp.npi is None:
        p.add(f"{path}.billing_provider.npi", "required (2010AA NM109)")
    if bp.address is None:
        p.add(f"{path}.billing_provider.address", "required (2010AA N3/N4)")
    if bp.tax_id is None:
        p.add(f"{path}.billing_provider.tax_id", "required (2010AA REF EI/SY)")
    if claim.patient is not None:
        if claim.patient.address is None:
            p.add(f"{path}.patient.address", "required (2010CA N3/N4)")
        if claim.patient.birth_date is None or claim.patient.gender is None:
            p.add(f"{path}.patient.birth_date", "birth date and gender required (2010CA DMG)")
    if len(claim.condition_codes) > 24:
        p.add(f"{path}.condition_codes", "at most 24 condition codes (2 HI BG)")
    if len(claim.anesthesia_procedures) > 2:
        p.add(f"{path}.anesthesia_procedures", "at most 2 (HI BP/BO)")
    n_diag = len(claim.diagnoses)
    icd9 = {d.icd9 for d in claim.diagnoses}
    if len(icd9) > 1:
        p.add(f"{path}.diagnoses", "ICD-9 and ICD-10 codes cannot be mixed in one HI")
    payer_ids = {op.payer.id for op in claim.other_payers}
    for i, line in enumerate(claim.service_lines):
        lp = f"{path}.service_lines[{i}]"
        for j, ptr in enumerate(line.diagnosis_pointers):
            if ptr > n_diag:
                p.add(f"{lp}.diagnosis_pointers[{j}]", f"points at diagnosis {ptr} of {n_diag}")
        if not line.diagnosis_pointers:
            p.add(f"{lp}.diagnosis_pointers", "at least one pointer required (SV107-1)")
        if line.modifiers and len(line.modifiers) > 4:
            p.add(f"{lp}.modifiers", "at most 4 modifiers")
        for name, loop_id, seq in (
            ("adjudications", "2430", line.adjudications),
            ("referring_providers", "2420F", line.referring_providers),
        ):
            lim = _max_use(loop_id)
            if lim is not None and len(seq) > lim:
                p.add(f"{lp}.{name}", f"at most {lim} (loop {loop_id})")
        if line.service_facility is not None and line.service_facility.address is None:
            p.add(f"{lp}.service_facility.address", "required (2420C N3/N4)")
        for k, adj in enumerate(line.adjudications):
            if adj.payer_id not in payer_ids:
                p.add(
                    f"{lp}.adjudications[{k}].payer_id",
                    "must name an other payer of the claim (SVD01 = 2330B NM109)",
                )
    for k, op in enumerate(claim.other_payers):
        if op.subscriber.relationship is None:
            p.add(f"{path}.other_payers[{k}].subscriber.relationship", "required (2320 SBR02)")


# --------------------------------------------------------------------------- loops
def _provider_segs(code: str, pv: Provider, loop_id: str, field: str = "") -> list[Seg]:
    return provider_loop(_T, code, pv, loop_id, field=field)


def _providers(
    field: str,
    index: int,
    loops: Sequence[tuple[str, str, Provider | tuple[Provider, ...] | None, str]],
    out: list[Seg],
) -> None:
    """The provider loops of ``field[index]`` (a claim's other payer, a line), in the order
    given: each (entity code, loop, the provider or providers or None, field name). The
    field path is only made when there is a provider to write."""
    at = ""
    for code, loop_id, pv, name in loops:
        if pv is None or (isinstance(pv, tuple) and not pv):
            continue
        at = at or f"{field}[{index}]"
        if isinstance(pv, tuple):
            for i, one in enumerate(pv):
                out.extend(_provider_segs(code, one, loop_id, f"{at}.{name}[{i}]"))
        else:
            out.extend(_provider_segs(code, pv, loop_id, f"{at}.{name}"))


def _payer_segs(code: str, loop_id: str, payer: Payer, extra: Sequence[Seg] = ()) -> list[Seg]:
    return payer_loop(_T, code, loop_id, payer, extra)


def _person_segs(
    code: str,
    loop_id: str,
    s: Subscriber | Patient,
    id_qual: str | None,
    ident: str | None,
    unmapped: Sequence[Seg],
) -> list[Seg]:
    return person_loop(_T, code, loop_id, s, id_qual, ident, unmapped)


_sbr = sbr


def _claim(c: Claim, out: list[Seg]) -> None:
    causes = ""
    if c.related_causes or c.accident_state or c.accident_country:
        rc = [*c.related_causes, "", ""]
        causes_t = (rc[0], rc[1], "", _o(c.accident_state), _o(c.accident_country))
        causes = causes_t  # type: ignore[assignment]
    clm: list[Element] = [
        c.id,
        _amt(c.charge),
        "",
        "",
        (c.place_of_service, "B", c.frequency),
        _yn(c.provider_signature),
        c.assignment,
        c.benefits_assigned,
        c.release_of_information,
        _o(c.patient_signature_source),
        causes,
        _o(c.special_program),
    ]
    if c.delay_reason:
        clm += ["", "", "", "", "", "", "", c.delay_reason]
    segs: list[Seg] = [("CLM", clm)]
    for d in c.dates:
        segs.append(_dtp(d.kind, d.start, d.end))
    segs.extend(_pwk(a) for a in c.attachments)
    if c.patient_paid is not None:
        segs.append(("AMT", ["F5", _amt(c.patient_paid)]))
    segs.extend(_ref(r) for r in c.references)
    if c.note is not None:
        segs.append(("NTE", [c.note.code, c.note.text]))
    if c.ambulance is not None:
        segs.append(_cr1(c.ambulance))
    segs.extend(_crc(x) for x in c.conditions)
    if c.diagnoses:
        segs.append(("HI", _hi(c.diagnoses)))
    if c.anesthesia_procedures:
        segs.append(
            (
                "HI",
                [
                    ("BP" if i == 0 else "BO", code)
                    for i, code in enumerate(c.anesthesia_procedures)
                ],
            )
        )
    codes = c.condition_codes
    for start in range(0, len(codes), 12):
        segs.append(("HI", [("BG", code) for code in codes[start : start + 12]]))
    # typed segments were appended by kind; the guide orders DTP/REF/... by qualifier
    out.extend(_merge("2300", segs, (_unmapped_seg(u) for u in c.unmapped), order=True))
    for i, pv in enumerate(c.referring_providers):
        out.extend(_provider_segs("DN", pv, "2310A", f"referring_providers[{i}]"))
    if c.rendering_provider is not None:
        out.extend(_provider_segs("82", c.rendering_provider, "2310B", "rendering_provider"))
    if c.service_facility is not None:
        out.extend(_provider_segs("77", c.service_facility, "2310C", "service_facility"))
    if c.supervising_provider is not None:
        out.extend(_provider_segs("DQ", c.supervising_provider, "2310D", "supervising_provider"))
    if c.ambulance_pickup is not None:
        seg: list[Seg] = []
        _place("PW", c.ambulance_pickup, seg)
        out.extend(_merge("2310E", seg, (_unmapped_seg(u) for u in c.ambulance_pickup.unmapped)))
    if c.ambulance_dropoff is not None:
        seg = []
        _place("45", c.ambulance_dropoff, seg)
        out.extend(_merge("2310F", seg, (_unmapped_seg(u) for u in c.ambulance_dropoff.unmapped)))
    for k, op in enumerate(c.other_payers):
        _other_payer(k, op, out)
    for n, line in enumerate(c.service_lines, 1):
        _line(n, line, out)


def _hi(diagnoses: Sequence[Diagnosis]) -> list[Element]:
    els: list[Element] = []
    for i, d in enumerate(diagnoses):
        q = "BK" if d.icd9 else "ABK"
        els.append((q if i == 0 else q[:-1] + "F", d.code))
    return els


def _other_payer(k: int, op: OtherPayer, out: list[Seg]) -> None:
    s = op.subscriber
    segs: list[Seg] = [_sbr(s, _o(s.relationship))]
    segs.extend(_cas(op.adjustments))
    if op.paid is not None:
        segs.append(("AMT", ["D", _amt(op.paid)]))
    if op.non_covered is not None:
        segs.append(("AMT", ["A8", _amt(op.non_covered)]))
    if op.remaining_liability is not None:
        segs.append(("AMT", ["EAF", _amt(op.remaining_liability)]))
    segs.append(
        (
            "OI",
            [
                "",
                "",
                op.benefits_assigned,
                _o(op.patient_signature_source),
                "",
                op.release_of_information,
            ],
        )
    )
    out.extend(_merge("2320", segs, (_unmapped_seg(u) for u in op.unmapped)))
    out.extend(
        _person_segs(
            "IL", "2330A", s, s.id_qualifier, s.member_id, [_unmapped_seg(u) for u in s.unmapped]
        )
    )
    extra: list[Seg] = []
    if op.adjudication_date is not None:
        extra.append(_dtp("573", op.adjudication_date))
    payer_segs = _payer_segs("PR", "2330B", op.payer, extra)
    payer_segs.extend(_ref(r) for r in op.payer_references)
    out.extend(_merge("2330B", payer_segs, (), order=True))
    _providers(
        "other_payers",
        k,
        (
            ("DN", "2330C", op.referring_providers, "referring_providers"),
            ("82", "2330D", op.rendering_provider, "rendering_provider"),
            ("77", "2330E", op.service_facility, "service_facility"),
            ("DQ", "2330F", op.supervising_provider, "supervising_provider"),
            ("85", "2330G", op.billing_provider, "billing_provider"),
        ),
        out,
    )


def _line(n: int, ln: ServiceLine, out: list[Seg]) -> None:
    # Hot (one call per service line): optional parts are tested before any generator or
    # field path is made for them.
    proc: tuple[str, ...] = (ln.procedure_qualifier, ln.procedure, *ln.modifiers)
    if ln.description:
        proc = proc + ("",) * (6 - len(proc)) + (ln.description,)
    sv1: list[Element] = [
        proc,
        _amt(ln.charge),
        ln.unit_type,
        _amt(ln.units),
        _o(ln.place_of_service),
        "",
        tuple([str(p) for p in ln.diagnosis_pointers]),
        "",
        "Y" if ln.emergency else "",
        "",
        "Y" if ln.epsdt else "",
        "Y" if ln.family_planning else "",
        "",
        "",
        "0" if ln.copay_exempt else "",
    ]
    segs: list[Seg] = [("LX", [str(n)]), ("SV1", sv1)]
    if ln.attachments:
        segs.extend([_pwk(a) for a in ln.attachments])
    if ln.ambulance is not None:
        segs.append(_cr1(ln.ambulance))
    if ln.dme_certification is not None:
        segs.append(
            (
                "CR3",
                [
                    ln.dme_certification.certification_type,
                    "MO",
                    _amt(ln.dme_certification.duration_months),
                ],
            )
        )
    if ln.conditions:
        segs.extend([_crc(x) for x in ln.conditions])
    segs.append(_dtp("472", ln.service_date, ln.service_date_end))
    if ln.dates:
        segs.extend([_dtp(d.kind, d.start, d.end) for d in ln.dates])
    if ln.control_number:
        segs.append(("REF", ["6R", ln.control_number]))
    if ln.references:
        segs.extend([_ref(r) for r in ln.references])
    if ln.sales_tax is not None:
        segs.append(("AMT", ["T", _amt(ln.sales_tax)]))
    if ln.postage is not None:
        segs.append(("AMT", ["F4", _amt(ln.postage)]))
    if ln.note is not None:
        segs.append(("NTE", [ln.note.code, ln.note.text]))
    if ln.third_party_note is not None:
        segs.append(("NTE", ["TPO", ln.third_party_note]))
    out.extend(_merge("2400", segs, _T.kept(ln.unmapped), order=True))
    if ln.drug is not None:
        dr = ln.drug
        dsegs: list[Seg] = [
            ("LIN", ["", dr.id_qualifier, dr.ndc]),
            ("CTP", ["", "", "", _amt(dr.quantity), dr.unit]),
        ]
        if dr.prescription is not None:
            dsegs.append(_ref(dr.prescription))
        out.extend(_merge("2410", dsegs, _T.kept(dr.unmapped)))
    _providers(
        "service_lines",
        n - 1,
        (
            ("82", "2420A", ln.rendering_provider, "rendering_provider"),
            ("QB", "2420B", ln.purchased_service_provider, "purchased_service_provider"),
            ("77", "2420C", ln.service_facility, "service_facility"),
            ("DQ", "2420D", ln.supervising_provider, "supervising_provider"),
            ("DK", "2420E", ln.ordering_provider, "ordering_provider"),
            ("DN", "2420F", ln.referring_providers, "referring_providers"),
        ),
        out,
    )
    for code, loop_id, place in (
        ("PW", "2420G", ln.ambulance_pickup),
        ("45", "2420H", ln.ambulance_dropoff),
    ):
        if place is not None:
            seg: list[Seg] = []
            _place(code, place, seg)
            out.extend(_merge(loop_id, seg, _T.kept(place.unmapped)))
    for adj in ln.adjudications:
        proc2: tuple[str, ...] = (adj.procedure_qualifier, adj.procedure, *adj.modifiers)
        if adj.description:
            proc2 = proc2 + ("",) * (6 - len(proc2)) + (adj.description,)
        asegs: list[Seg] = [
            (
                "SVD",
                [adj.payer_id, _amt(adj.paid), proc2, "", _amt(adj.units), _o(adj.bundled_line)],
            )
        ]
        asegs.extend(_cas(adj.adjustments))
        asegs.append(_dtp("573", adj.paid_date))
        if adj.remaining_liability is not None:
            asegs.append(("AMT", ["EAF", _amt(adj.remaining_liability)]))
        out.extend(_merge("2430", asegs, (_unmapped_seg(u) for u in adj.unmapped)))
    for form in ln.forms:
        fsegs: list[Seg] = [("LQ", [form.qualifier, form.form_id])]
        fsegs.extend(("FRM", list(a)) for a in form.answers)
        out.extend(_merge("2440", fsegs, (_unmapped_seg(u) for u in form.unmapped)))


# --------------------------------------------------------------------------- grouping
def group_claims(claims: Iterable[Claim]) -> list[Claim]:
    """The claims in the order the writer writes them (and a reader reads them back).

    Grouped by billing provider (with pay-to address and plan), then subscriber and payer,
    then patient, each group in order of first appearance; within a subscriber, the
    subscriber's own claims come before those of dependents.
    """
    return engine_group_claims(claims)


# --------------------------------------------------------------------------- transaction
def transaction_segments(
    submission: Submission, *, timestamp: _dt.datetime | None = None, check: bool = True
) -> tuple[list[Seg], list[tuple[str, str]]]:
    """The body segments (BHT .. last claim; no ST/SE) and the problems found.

    ``check=False`` skips the guide's business checks (sums, pointers, required parties,
    max use) but never the delimiter checks: what a lenient reader kept from a deviating
    file is written back as it was read.
    """
    segs, problems, _marks = _transaction(submission, timestamp, check)
    return segs, problems


def _transaction(
    submission: Submission, timestamp: _dt.datetime | None, check: bool
) -> tuple[list[Seg], list[tuple[str, str]], list[tuple[int, str]]]:
    return transaction_body(_T, submission, timestamp, check, _check_claim, _claim)


def dumps_submissions(
    submissions: Sequence[Submission],
    *,
    sender_id: str | None = None,
    receiver_id: str | None = None,
    usage: str = "T",
    delimiters: Delimiters | None = None,
    control_numbers: ControlNumbers | None = None,
    timestamp: _dt.datetime | None = None,
    options: InterchangeOptions | None = None,
    check: bool = True,
) -> str:
    """One interchange with one ST..SE per submission (all in one functional group)."""
    when = timestamp or (options.timestamp if options else None) or _dt.datetime.now()
    return dumps_transactions(
        submissions,
        lambda sm: _transaction(sm, when, check),
        sender_id=sender_id,
        receiver_id=receiver_id,
        usage=usage,
        delimiters=delimiters,
        control_numbers=control_numbers,
        timestamp=when,
        options=options,
    )


def dumps(
    claims: Iterable[Claim],
    *,
    submitter: Submitter,
    receiver: Receiver,
    sender_id: str | None = None,
    receiver_id: str | None = None,
    usage: str = "T",
    delimiters: Delimiters | None = None,
    control_numbers: ControlNumbers | None = None,
    timestamp: _dt.datetime | None = None,
    reference: str = "0001",
    options: InterchangeOptions | None = None,
) -> str:
    """One 837P interchange (ISA .. IEA, one ST) holding ``claims``.

    ``sender_id``/``receiver_id`` (ISA06/ISA08, GS02/GS03) default to the submitter's and
    receiver's ids; ``usage`` is ISA15 (T test, P production). Raises
    :class:`~x12.errors.X12WriteError` listing every problem by field path; nothing is
    returned then.
    """
    claim_list = list(claims)
    sm = Submission(submitter, receiver, tuple(claim_list), reference=reference)
    return dumps_submissions(
        [sm],
        sender_id=sender_id,
        receiver_id=receiver_id,
        usage=usage,
        delimiters=delimiters,
        control_numbers=control_numbers,
        timestamp=timestamp,
        options=options,
    )


def dump(claims: Iterable[Claim], fp: IO[str], **kwargs: Any) -> None:
    """:func:`dumps` to a text file object (nothing is written when refused)."""
    fp.write(dumps(claims, **kwargs))


def dumps_any(claims: Iterable[Any], **kwargs: Any) -> str:
    """One interchange of the guide of ``claims``' type: :class:`~models.claim.Claim` ->
    837P (X222A1), :class:`~models.institutional.InstitutionalClaim` -> 837I (X223A2),
    :class:`~models.dental.DentalClaim` -> 837D (X224A2); see :mod:`edi837.registry`.
    ``kwargs`` go to that guide's writer (``submitter``, ``receiver``, ``timestamp``...).

    Claims of several types, or of a type no guide holds, are refused with
    :class:`~x12.errors.X12WriteError` by field path (an interchange of one type each).
    """
    from edi837 import registry

    items = list(claims)
    problems: list[tuple[str, str]] = []
    first: registry.Entry | None = None
    for i, c in enumerate(items):
        entry = registry.entry_for_claim(c)
        if entry is None:
            problems.append((f"claims[{i}]", f"{type(c).__name__} is no 837 claim type"))
        elif first is None:
            first = entry
        elif entry is not first:
            problems.append(
                (
                    f"claims[{i}]",
                    f"a {entry.kind} claim among {first.kind} claims: write each type apart",
                )
            )
    if problems:
        raise X12WriteError(problems)
    if first is None:
        raise X12WriteError([("claims", "at least one claim is needed")])
    return first.writer()(items, **kwargs)


def dump_any(claims: Iterable[Any], fp: IO[str], **kwargs: Any) -> None:
    """:func:`dumps_any` to a text file object (nothing is written when refused)."""
    fp.write(dumps_any(claims, **kwargs))
