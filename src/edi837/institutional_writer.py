"""The 837I writer: institutional claims (models) -> segments -> one interchange (005010X223A2).

Built on the shared engine (:mod:`edi837.engine`) with the X223A2 table
(:mod:`edi837.guide_x223a2`): claims are grouped into the HL hierarchy (2000A billing provider
-> 2000B subscriber -> 2000C patient), each loop's segments are written in guide order, and
segments a reader kept without modelling them (``unmapped``: CN1, HCP, K3, MIA, MOA...) go back
to their guide position.

Everything is checked before a byte is written and :class:`x12.errors.X12WriteError` lists
every problem by field path (``claims[3].service_lines[0].revenue_code``): CLM02 equals the sum
of SV203, revenue codes are 4 digits, ICD-10-PCS procedure codes 7 characters, the discharge
(statement end) is not before the admission, the HI code sets fit their segments, prior-payer
line adjudications name a prior payer, and every typed segment matches the guide's table
(required elements, code values, lengths).
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
    amt,
    cas,
    check_parties,
    date8,
    dtp,
    dumps_transactions,
    opt,
    payer_loop,
    person_loop,
    provider_loop,
    pwk,
    ref,
    sbr,
    transaction_body,
    yn,
)
from edi837.guide_x223a2 import GUIDE
from models.claim import Provider, Receiver, Submitter
from models.common import is_hhmm
from models.institutional import (
    InstitutionalClaim,
    InstitutionalDiagnosis,
    InstitutionalOtherPayer,
    InstitutionalServiceLine,
    InstitutionalSubmission,
)
from x12.delimiters import Delimiters
from x12.envelope import ControlNumbers, InterchangeOptions

__all__ = [
    "IMPLEMENTATION",
    "dump_institutional",
    "dumps_institutional",
    "dumps_institutional_submissions",
    "transaction_segments",
]

IMPLEMENTATION = "005010X223A2"

_T = GuideTables(GUIDE)
_CHECK = _T.check

#: HI qualifiers: (ICD-10, ICD-9) for each code set of the claim
_QUAL = {
    "principal": ("ABK", "BK"),
    "admitting": ("ABJ", "BJ"),
    "reason": ("APR", "PR"),
    "external": ("ABN", "BN"),
    "other": ("ABF", "BF"),
    "principal_procedure": ("BBR", "BR"),
    "other_procedure": ("BBQ", "BQ"),
}


# --------------------------------------------------------------------------- checks
def _is_revenue_code(code: str) -> bool:
    return len(code) == 4 and code.isascii() and code.isdigit()


def _is_icd10_pcs(code: str) -> bool:
    return len(code) == 7 and all("0" <= ch <= "9" or "A" <= ch <= "Z" for ch in code)


def _check_claim(c: InstitutionalClaim, path: str, p: Problems) -> None:
    if not c.service_lines:
        p.add(f"{path}.service_lines", "a claim needs at least one service line (2400)")
    limit = _T.max_use("2400")
    if limit is not None and len(c.service_lines) > limit:
        p.add(f"{path}.service_lines", f"at most {limit} service lines per claim (loop 2400)")
    if c.service_lines and c.charge != c.line_total:
        p.add(f"{path}.charge", "CLM02 must equal the sum of the service line charges (SV203)")
    if len(c.other_payers) > (_T.max_use("2320") or 10):
        p.add(f"{path}.other_payers", "at most 10 other payers (loop 2320)")
    if c.principal_diagnosis is None:
        p.add(f"{path}.principal_diagnosis", "required (HI ABK)")
    if c.statement_start is None or c.statement_end is None:
        p.add(f"{path}.statement_start", "the statement period is required (DTP*434)")
    elif c.admission_date is not None and c.statement_end < c.admission_date:
        p.add(
            f"{path}.statement_end",
            "the discharge (statement period end, DTP*434) is before the admission (DTP*435)",
        )
    if c.admission_hour is not None and c.admission_date is None:
        p.add(f"{path}.admission_hour", "an admission hour needs an admission date (DTP*435)")
    for name, hour in (("admission_hour", c.admission_hour), ("discharge_hour", c.discharge_hour)):
        if hour is not None and not is_hhmm(hour):
            p.add(f"{path}.{name}", "must be HHMM (00-23, 00-59)")
    for name, items, most in (
        ("reason_for_visit", c.reason_for_visit, 3),
        ("external_causes", c.external_causes, 12),
        ("other_diagnoses", c.other_diagnoses, 24),
        ("other_procedures", c.other_procedures, 24),
        ("occurrence_spans", c.occurrence_spans, 24),
        ("occurrences", c.occurrences, 24),
        ("values", c.values, 24),
        ("condition_codes", c.condition_codes, 24),
        ("treatment_codes", c.treatment_codes, 24),
    ):
        if len(items) > most:
            p.add(f"{path}.{name}", f"at most {most} (HI)")
    if not c.icd9:
        procs = [("principal_procedure", c.principal_procedure)] + [
            (f"other_procedures[{i}]", pr) for i, pr in enumerate(c.other_procedures)
        ]
        for name, pr in procs:
            if pr is not None and not _is_icd10_pcs(pr.code):
                p.add(f"{path}.{name}.code", "an ICD-10-PCS code is 7 letters and digits")
    payer_ids = {op.payer.id for op in c.other_payers}
    for i, ln in enumerate(c.service_lines):
        lp = f"{path}.service_lines[{i}]"
        if not _is_revenue_code(ln.revenue_code):
            p.add(f"{lp}.revenue_code", "a revenue code is 4 digits (SV201)")
        if len(ln.modifiers) > 4:
            p.add(f"{lp}.modifiers", "at most 4 modifiers")
        if ln.modifiers and ln.procedure is None:
            p.add(f"{lp}.modifiers", "modifiers need a procedure code (SV202-2)")
        if ln.description is not None and ln.procedure is None:
            p.add(f"{lp}.description", "a description needs a procedure code (SV202-2)")
        if ln.service_date_end is not None and ln.service_date is None:
            p.add(f"{lp}.service_date", "required with service_date_end (DTP*472)")
        if len(ln.adjudications) > (_T.max_use("2430") or 15):
            p.add(f"{lp}.adjudications", "at most 15 (loop 2430)")
        for k, adj in enumerate(ln.adjudications):
            ap = f"{lp}.adjudications[{k}]"
            if adj.payer_id not in payer_ids:
                p.add(
                    f"{ap}.payer_id", "must name an other payer of the claim (SVD01 = 2330B NM109)"
                )
            if adj.procedure is None and (adj.modifiers or adj.description):
                p.add(f"{ap}.procedure", "required with modifiers or a description (SVD03)")
            if adj.revenue_code is None:
                p.add(f"{ap}.revenue_code", "required (SVD04)")
    for k, op in enumerate(c.other_payers):
        if op.subscriber.relationship is None:
            p.add(f"{path}.other_payers[{k}].subscriber.relationship", "required (2320 SBR02)")
    check_parties(c, path, p)


# --------------------------------------------------------------------------- HI
def _q(kind: str, icd9: bool) -> str:
    return _QUAL[kind][1 if icd9 else 0]


def _diag(q: str, d: InstitutionalDiagnosis) -> Element:
    if d.present_on_admission:
        return (q, d.code, "", "", "", "", "", "", d.present_on_admission)
    return (q, d.code)


def _his(items: Sequence[Element]) -> list[Seg]:
    return [("HI", list(items[i : i + 12])) for i in range(0, len(items), 12)]


def _hi(c: InstitutionalClaim) -> list[Seg]:
    i9 = c.icd9
    out: list[Seg] = []
    if c.principal_diagnosis is not None:
        out.append(("HI", [_diag(_q("principal", i9), c.principal_diagnosis)]))
    if c.admitting_diagnosis is not None:
        out.append(("HI", [(_q("admitting", i9), c.admitting_diagnosis)]))
    if c.reason_for_visit:
        out.append(("HI", [(_q("reason", i9), code) for code in c.reason_for_visit]))
    if c.external_causes:
        out.extend(_his([_diag(_q("external", i9), d) for d in c.external_causes]))
    if c.drg is not None:
        out.append(("HI", [("DR", c.drg)]))
    out.extend(_his([_diag(_q("other", i9), d) for d in c.other_diagnoses]))
    if c.principal_procedure is not None:
        pr = c.principal_procedure
        out.append(("HI", [(_q("principal_procedure", i9), pr.code, "D8", date8(pr.date))]))
    out.extend(
        _his(
            [
                (_q("other_procedure", i9), pr.code, "D8", date8(pr.date))
                for pr in c.other_procedures
            ]
        )
    )
    out.extend(
        _his(
            [("BI", s.code, "RD8", f"{date8(s.start)}-{date8(s.end)}") for s in c.occurrence_spans]
        )
    )
    out.extend(_his([("BH", o.code, "D8", date8(o.date)) for o in c.occurrences]))
    out.extend(_his([("BE", v.code, "", "", amt(v.amount)) for v in c.values]))
    out.extend(_his([("BG", code) for code in c.condition_codes]))
    out.extend(_his([("TC", code) for code in c.treatment_codes]))
    return out


# --------------------------------------------------------------------------- loops
def _provider(code: str, pv: Provider, loop_id: str, field: str, prv: str = "PE") -> list[Seg]:
    return provider_loop(_T, code, pv, loop_id, prv=prv, field=field)


def _claim(c: InstitutionalClaim, out: list[Seg]) -> None:
    clm: list[Element] = [
        c.id,
        amt(c.charge),
        "",
        "",
        (c.facility_code, "A", c.frequency),
        "" if c.provider_signature is None else yn(c.provider_signature),
        c.assignment,
        c.benefits_assigned,
        c.release_of_information,
    ]
    if c.delay_reason:
        clm += [""] * 10 + [c.delay_reason]
    segs: list[Seg] = [("CLM", clm)]
    if c.discharge_hour is not None:
        segs.append(("DTP", ["096", "TM", c.discharge_hour]))
    if c.statement_start is not None:
        segs.append(dtp("434", c.statement_start, c.statement_end))
    if c.admission_date is not None:
        if c.admission_hour is not None:
            segs.append(("DTP", ["435", "DT", date8(c.admission_date) + c.admission_hour]))
        else:
            segs.append(dtp("435", c.admission_date))
    if c.repricer_received is not None:
        segs.append(dtp("050", c.repricer_received))
    segs.append(("CL1", [opt(c.admission_type), opt(c.admission_source), c.patient_status]))
    segs.extend(pwk(a) for a in c.attachments)
    if c.patient_estimated_due is not None:
        segs.append(("AMT", ["F3", amt(c.patient_estimated_due)]))
    segs.extend(ref(r) for r in c.references)
    segs.extend(("NTE", [n.code, n.text]) for n in c.notes)
    segs.extend(_hi(c))
    out.extend(_T.merge("2300", segs, _T.kept(c.unmapped), order=True))
    for code, loop_id, pv, name, prv in (
        ("71", "2310A", c.attending_provider, "attending_provider", "AT"),
        ("72", "2310B", c.operating_physician, "operating_physician", "PE"),
        ("ZZ", "2310C", c.other_operating_physician, "other_operating_physician", "PE"),
        ("82", "2310D", c.rendering_provider, "rendering_provider", "PE"),
        ("77", "2310E", c.service_facility, "service_facility", "PE"),
        ("DN", "2310F", c.referring_provider, "referring_provider", "PE"),
    ):
        if pv is not None:
            out.extend(_provider(code, pv, loop_id, name, prv))
    for k, op in enumerate(c.other_payers):
        _other_payer(k, op, out)
    base = _CHECK.path
    for n, line in enumerate(c.service_lines, 1):
        _CHECK.path = f"{base}.service_lines[{n - 1}]"
        try:
            _line(n, line, out)
        finally:
            _CHECK.path = base


def _other_payer(k: int, op: InstitutionalOtherPayer, out: list[Seg]) -> None:
    s = op.subscriber
    base = _CHECK.path
    _CHECK.path = f"{base}.other_payers[{k}]"
    try:
        segs: list[Seg] = [sbr(s, opt(s.relationship))]
        segs.extend(cas(op.adjustments))
        if op.paid is not None:
            segs.append(("AMT", ["D", amt(op.paid)]))
        if op.remaining_liability is not None:
            segs.append(("AMT", ["EAF", amt(op.remaining_liability)]))
        if op.non_covered is not None:
            segs.append(("AMT", ["A8", amt(op.non_covered)]))
        segs.append(("OI", ["", "", op.benefits_assigned, "", "", op.release_of_information]))
        out.extend(_T.merge("2320", segs, _T.kept(op.unmapped), order=True))
        out.extend(
            person_loop(_T, "IL", "2330A", s, s.id_qualifier, s.member_id, _T.kept(s.unmapped))
        )
        extra: list[Seg] = []
        if op.adjudication_date is not None:
            extra.append(dtp("573", op.adjudication_date))
        payer_segs = payer_loop(_T, "PR", "2330B", op.payer, extra)
        payer_segs.extend(ref(r) for r in op.payer_references)
        out.extend(_T.merge("2330B", payer_segs, (), order=True))
        for code, loop_id, pv, name in (
            ("71", "2330C", op.attending_provider, "attending_provider"),
            ("72", "2330D", op.operating_physician, "operating_physician"),
            ("ZZ", "2330E", op.other_operating_physician, "other_operating_physician"),
            ("77", "2330F", op.service_facility, "service_facility"),
            ("82", "2330G", op.rendering_provider, "rendering_provider"),
            ("DN", "2330H", op.referring_provider, "referring_provider"),
            ("85", "2330I", op.billing_provider, "billing_provider"),
        ):
            if pv is not None:
                out.extend(_other_payer_provider(code, pv, loop_id, name))
    finally:
        _CHECK.path = base


_NAME_FIELDS = ("name", "npi", "first_name", "middle_name", "suffix", "taxonomy", "tax_id")


def _other_payer_provider(code: str, pv: Provider, loop_id: str, field: str) -> list[Seg]:
    """2330C-I: NM1 with entity code and type only (NM108/NM109 not used) and REF ids."""
    saved = _CHECK.path
    _CHECK.path = f"{saved}.{field}"
    try:
        segs: list[Seg] = [("NM1", [code if pv.role is None else pv.role, pv.entity_type])]
        problems = _CHECK.problems
        if problems is not None:
            for name in (
                "name",
                "npi",
                "first_name",
                "middle_name",
                "suffix",
                "taxonomy",
                "tax_id",
            ):
                if getattr(pv, name) is not None:
                    problems.append(
                        (f"{_CHECK.path}.{name}", f"loop {loop_id} has no place for it (NM1/REF)")
                    )
            if pv.address is not None or pv.contacts or pv.currency is not None:
                problems.append((_CHECK.path, f"loop {loop_id} holds only NM1 and REF"))
        segs.extend(ref(r) for r in pv.secondary_ids)
        return _T.merge(loop_id, segs, _T.kept(pv.unmapped))
    finally:
        _CHECK.path = saved


def _procedure(
    qualifier: str, code: str | None, modifiers: Sequence[str], description: str | None
) -> Element:
    if code is None:
        return ""
    proc: tuple[str, ...] = (qualifier, code, *modifiers)
    if description:
        proc = proc + ("",) * (6 - len(proc)) + (description,)
    return proc


def _line(n: int, ln: InstitutionalServiceLine, out: list[Seg]) -> None:
    sv2: list[Element] = [
        ln.revenue_code,
        _procedure(ln.procedure_qualifier, ln.procedure, ln.modifiers, ln.description),
        amt(ln.charge),
        ln.unit_type,
        amt(ln.units),
        "",
        amt(ln.non_covered) if ln.non_covered is not None else "",
    ]
    segs: list[Seg] = [("LX", [str(n)]), ("SV2", sv2)]
    segs.extend(pwk(a) for a in ln.attachments)
    if ln.service_date is not None:
        segs.append(dtp("472", ln.service_date, ln.service_date_end))
    if ln.control_number:
        segs.append(("REF", ["6R", ln.control_number]))
    segs.extend(ref(r) for r in ln.references)
    if ln.service_tax is not None:
        segs.append(("AMT", ["GT", amt(ln.service_tax)]))
    if ln.facility_tax is not None:
        segs.append(("AMT", ["N8", amt(ln.facility_tax)]))
    if ln.third_party_note is not None:
        segs.append(("NTE", ["TPO", ln.third_party_note]))
    out.extend(_T.merge("2400", segs, _T.kept(ln.unmapped), order=True))
    if ln.drug is not None:
        dr = ln.drug
        dsegs: list[Seg] = [
            ("LIN", ["", dr.id_qualifier, dr.ndc]),
            ("CTP", ["", "", "", amt(dr.quantity), dr.unit]),
        ]
        if dr.prescription is not None:
            dsegs.append(ref(dr.prescription))
        out.extend(_T.merge("2410", dsegs, _T.kept(dr.unmapped)))
    for code, loop_id, pv, name in (
        ("72", "2420A", ln.operating_physician, "operating_physician"),
        ("ZZ", "2420B", ln.other_operating_physician, "other_operating_physician"),
        ("82", "2420C", ln.rendering_provider, "rendering_provider"),
        ("DN", "2420D", ln.referring_provider, "referring_provider"),
    ):
        if pv is not None:
            out.extend(_provider(code, pv, loop_id, name))
    for adj in ln.adjudications:
        asegs: list[Seg] = [
            (
                "SVD",
                [
                    adj.payer_id,
                    amt(adj.paid),
                    _procedure(
                        adj.procedure_qualifier, adj.procedure, adj.modifiers, adj.description
                    ),
                    opt(adj.revenue_code),
                    amt(adj.units),
                    opt(adj.bundled_line),
                ],
            )
        ]
        asegs.extend(cas(adj.adjustments))
        asegs.append(dtp("573", adj.paid_date))
        if adj.remaining_liability is not None:
            asegs.append(("AMT", ["EAF", amt(adj.remaining_liability)]))
        out.extend(_T.merge("2430", asegs, _T.kept(adj.unmapped)))


# --------------------------------------------------------------------------- transaction
def transaction_segments(
    submission: InstitutionalSubmission,
    *,
    timestamp: _dt.datetime | None = None,
    check: bool = True,
) -> tuple[list[Seg], list[tuple[str, str]]]:
    """The body segments (BHT .. last claim; no ST/SE) and the problems found."""
    segs, problems, _marks = _transaction(submission, timestamp, check)
    return segs, problems


def _transaction(
    submission: InstitutionalSubmission, timestamp: _dt.datetime | None, check: bool
) -> tuple[list[Seg], list[tuple[str, str]], list[tuple[int, str]]]:
    return transaction_body(_T, submission, timestamp, check, _check_claim, _claim)


def dumps_institutional_submissions(
    submissions: Sequence[InstitutionalSubmission],
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
    """One interchange with one ST..SE per submission (one HC functional group).

    ``check=False`` skips the business checks (sums, code shapes, the guide's element
    rules) but never the delimiter checks: what a lenient reader kept from a deviating file
    is written back as it was read.
    """
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


def dumps_institutional(
    claims: Iterable[InstitutionalClaim],
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
    """One 837I interchange (ISA .. IEA, one ST, 005010X223A2) holding ``claims``.

    Raises :class:`~x12.errors.X12WriteError` listing every problem by field path.
    """
    sm = InstitutionalSubmission(submitter, receiver, tuple(claims), reference=reference)
    return dumps_institutional_submissions(
        [sm],
        sender_id=sender_id,
        receiver_id=receiver_id,
        usage=usage,
        delimiters=delimiters,
        control_numbers=control_numbers,
        timestamp=timestamp,
        options=options,
    )


def dump_institutional(claims: Iterable[InstitutionalClaim], fp: IO[str], **kwargs: Any) -> None:
    """:func:`dumps_institutional` to a text file object (nothing written when refused)."""
    fp.write(dumps_institutional(claims, **kwargs))
