"""Records straight from a file: the flat tables posting and analytics code wants.

:func:`iter_payment_records` and :func:`load_records` read an 835 claim by claim
(:func:`edi835.reader.stream_transactions`): each claim's records are made as the claim is
read, so memory holds a batch of segments and what the caller keeps, whatever the size of a
transaction; only the claims after a reversal whose correction has not come yet wait
(:class:`~models.remittance_records.ReversalLinker`). The records and the issues are those of
the whole read (:func:`~edi835.reader.iter_remittances`, then
:func:`~models.remittance_records.claim_records`).

:func:`load_records` gives tables of records: ``claims`` and ``service_lines``
(:class:`~models.remittance_records.PaymentRecord`), ``denials``
(:class:`~models.remittance_records.DenialRecord`) and ``provider_adjustments``
(:class:`~models.remittance.ProviderAdjustment` with the payment's trace number).
"""

from __future__ import annotations

from collections.abc import Iterator

from edi835.reader import StreamedTransaction, stream_transactions
from models.remittance import ProviderAdjustment, Remittance
from models.remittance_records import (
    CodeDescriptions,
    DenialRecord,
    PaymentRecord,
    ReversalLinker,
    denial_records,
    linked_records,
    remittance_context,
)
from x12.envelope import Source
from x12.errors import IssueLog
from x12.gcpause import collector_paused

__all__ = ["iter_payment_records", "load_records", "transaction_records"]


def transaction_records(
    st: StreamedTransaction,
    denials: list[DenialRecord] | None = None,
    descriptions: CodeDescriptions | None = None,
) -> Iterator[list[PaymentRecord]]:
    """The payment records of one streamed transaction, a list per batch of segments read
    (and a last one for the claims that waited on a reversal); ``denials``, when given,
    gets the transaction's denial records too. Call ``st.remittance()`` afterwards: that
    reports what the remittance lacks, as the whole read does."""
    linker = ReversalLinker()
    header: Remittance | None = None
    context = None
    for batch in st.claim_batches():
        if not batch:
            continue
        if header is None or context is None:
            header = st.header()  # its fields before the groups are final by now
            context = remittance_context(header)
        if denials is not None:
            denials += denial_records((), descriptions, claims=[(header, c) for _, c in batch])
        released = []
        for _, claim in batch:
            released += linker.push(claim)
        yield list(linked_records(context, released))
    if context is not None:
        yield list(linked_records(context, linker.finish()))


def iter_payment_records(
    source: Source, *, strict: bool = False, log: IssueLog | None = None
) -> Iterator[PaymentRecord]:
    """Payment records (each claim, then its lines) of every remittance in ``source``, in
    bounded memory (see the module's docstring). With ``strict=True`` the first error is
    raised where it is read, after the records of the claims before it."""
    log = log if log is not None else IssueLog(strict=strict)
    for st in stream_transactions(source, log):
        for part in transaction_records(st):
            yield from part
        st.remittance()


def load_records(
    source: Source,
    *,
    strict: bool = False,
    log: IssueLog | None = None,
    descriptions: CodeDescriptions | None = None,
) -> dict[str, list[PaymentRecord] | list[DenialRecord] | list[tuple[str, ProviderAdjustment]]]:
    """Tables of records: ``claims``, ``service_lines``, ``denials``, ``provider_adjustments``
    (rows of ``(trace number, ProviderAdjustment)``). Memory holds the records, not the
    remittances' models (see the module's docstring)."""
    log = log if log is not None else IssueLog(strict=strict)
    claims: list[PaymentRecord] = []
    lines: list[PaymentRecord] = []
    denials: list[DenialRecord] = []
    plb: list[tuple[str, ProviderAdjustment]] = []
    for st in stream_transactions(source, log):
        with collector_paused(keep=True):  # records are acyclic and kept
            for part in transaction_records(st, denials, descriptions):
                for rec in part:
                    (claims if rec.level == "claim" else lines).append(rec)
            rem = st.remittance()
            plb += [(rem.trace_number, p) for p in rem.provider_adjustments]
    return {
        "claims": claims,
        "service_lines": lines,
        "denials": denials,
        "provider_adjustments": plb,
    }
