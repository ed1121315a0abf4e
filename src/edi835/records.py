"""Records straight from a file: the flat tables posting and analytics code wants.

:func:`load_records` reads an 835 (streamed, one transaction at a time) into tables of
records: ``claims`` and ``service_lines`` (:class:`~models.remittance_records.PaymentRecord`),
``denials`` (:class:`~models.remittance_records.DenialRecord`) and ``provider_adjustments``
(:class:`~models.remittance.ProviderAdjustment` with the payment's trace number).
"""

from __future__ import annotations

from collections.abc import Iterator

from edi835.reader import iter_remittances
from models.remittance import ProviderAdjustment
from models.remittance_records import (
    CodeDescriptions,
    DenialRecord,
    PaymentRecord,
    claim_records,
    denial_records,
)
from x12.envelope import Source
from x12.errors import IssueLog
from x12.gcpause import collector_paused

__all__ = ["iter_payment_records", "load_records"]


def iter_payment_records(
    source: Source, *, strict: bool = False, log: IssueLog | None = None
) -> Iterator[PaymentRecord]:
    """Payment records (each claim, then its lines) of every remittance in ``source``."""
    for rem in iter_remittances(source, strict=strict, log=log):
        yield from claim_records(rem)


def load_records(
    source: Source,
    *,
    strict: bool = False,
    log: IssueLog | None = None,
    descriptions: CodeDescriptions | None = None,
) -> dict[str, list[PaymentRecord] | list[DenialRecord] | list[tuple[str, ProviderAdjustment]]]:
    """Tables of records: ``claims``, ``service_lines``, ``denials``, ``provider_adjustments``
    (rows of ``(trace number, ProviderAdjustment)``)."""
    claims: list[PaymentRecord] = []
    lines: list[PaymentRecord] = []
    denials: list[DenialRecord] = []
    plb: list[tuple[str, ProviderAdjustment]] = []
    for rem in iter_remittances(source, strict=strict, log=log):
        with collector_paused(keep=True):  # records are acyclic and kept
            for rec in claim_records(rem):
                (claims if rec.level == "claim" else lines).append(rec)
            denials += denial_records([rem], descriptions)
            plb += [(rem.trace_number, p) for p in rem.provider_adjustments]
    return {
        "claims": claims,
        "service_lines": lines,
        "denials": denials,
        "provider_adjustments": plb,
    }
