"""Balancing an 835 at its three levels (005010X221A1 section 1.10.2):

* line: SVC02 (charge) - SVC03 (paid) = the line's CAS total;
* claim: CLP03 (charge) - CLP04 (paid) = the claim's CAS total + its lines' CAS totals;
* transaction: BPR02 (total payment; negated when BPR03 = D) = sum of CLP04 - sum of PLB
  amounts (a positive PLB amount reduces the payment).

An imbalance is a :class:`BalanceFinding` (level, path, expected and actual amounts, and the
segment's location when the remittance was read from a file), never an exception.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

import attrs

from models.remittance import ClaimPayment, ProviderAdjustment, Remittance
from x12.envelope import Source
from x12.errors import IssueLog, Location

__all__ = ["BalanceFinding", "BalanceReport", "balance", "balance_source"]

_ZERO = Decimal(0)


@attrs.frozen(slots=True)
class BalanceFinding:
    """One imbalance."""

    level: str  # "line", "claim" or "transaction"
    path: str  # remittances[0].claims[3].services[1]
    message: str
    expected: Decimal  # what the adjustments (or claims) say
    actual: Decimal  # what the amounts say
    location: Location | None = None

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location is not None else ""
        return f"{where}{self.path}: {self.message}"


@attrs.frozen(slots=True)
class BalanceReport:
    """The balancing result of a set of remittances."""

    findings: tuple[BalanceFinding, ...] = ()
    transactions: int = 0
    claims: int = 0
    lines: int = 0

    @property
    def balanced(self) -> bool:
        return not self.findings

    def levels(self) -> dict[str, int]:
        """Number of findings per level."""
        out = {"line": 0, "claim": 0, "transaction": 0}
        for f in self.findings:
            out[f.level] += 1
        return out

    def summary(self) -> str:
        lv = self.levels()
        state = "balanced" if self.balanced else "NOT balanced"
        return (
            f"{state}: {self.transactions} transaction(s), {self.claims} claim(s), "
            f"{self.lines} line(s) checked; findings: {lv['transaction']} transaction, "
            f"{lv['claim']} claim, {lv['line']} line"
        )


def _total(items: Iterable[Decimal]) -> Decimal:
    return sum(items, _ZERO)


def balance(
    remittances: Sequence[Remittance],
    positions: Sequence[dict[tuple[int, int], Location]] | None = None,
) -> BalanceReport:
    """Check every line, claim and transaction; ``positions`` (from :func:`balance_source`)
    maps (claim index, line index or -1) to the segment's location per remittance."""
    findings: list[BalanceFinding] = []
    n_claims = n_lines = 0
    for ri, r in enumerate(remittances):
        pos = positions[ri] if positions is not None and ri < len(positions) else {}
        rp = f"remittances[{ri}]"
        paid_total = _ZERO
        for ci, c in enumerate(r.claims):
            n_claims += 1
            n_lines += _balance_claim(f"{rp}.claims[{ci}]", ci, c, pos, findings)
            paid_total += c.paid
        _balance_transaction(rp, r, paid_total, r.provider_adjustments, pos, findings)
    return BalanceReport(tuple(findings), len(remittances), n_claims, n_lines)


def _balance_claim(
    cp: str,
    ci: int,
    c: ClaimPayment,
    pos: Mapping[tuple[int, int], Location],
    findings: list[BalanceFinding],
) -> int:
    """The line and claim balancing of claim ``ci`` (path ``cp``); its number of lines."""
    line_cas = _ZERO
    for si, s in enumerate(c.services):
        cas = _total(a.amount for a in s.adjustments)
        line_cas += cas
        diff = s.charge - s.paid
        if diff != cas:
            findings.append(
                BalanceFinding(
                    "line",
                    f"{cp}.services[{si}]",
                    f"charge - paid (SVC02 - SVC03) = {diff} but the line's "
                    f"adjustments (CAS) total {cas}",
                    cas,
                    diff,
                    pos.get((ci, si)),
                )
            )
    cas = _total(a.amount for a in c.adjustments) + line_cas
    diff = c.charge - c.paid
    if diff != cas:
        findings.append(
            BalanceFinding(
                "claim",
                cp,
                f"charge - paid (CLP03 - CLP04) = {diff} but claim and line "
                f"adjustments (CAS) total {cas}",
                cas,
                diff,
                pos.get((ci, -1)),
            )
        )
    return len(c.services)


def _balance_transaction(
    rp: str,
    header: Remittance,
    paid_total: Decimal,
    provider_adjustments: Iterable[ProviderAdjustment],
    pos: Mapping[tuple[int, int], Location],
    findings: list[BalanceFinding],
) -> None:
    """BPR02 (negated when BPR03 = D) against the claims' CLP04 total less the PLB amounts."""
    plb = _total(p.amount for p in provider_adjustments)
    expected = paid_total - plb
    actual = -header.amount if header.credit_debit == "D" else header.amount
    if expected != actual:
        findings.append(
            BalanceFinding(
                "transaction",
                rp,
                f"total payment (BPR02) = {actual} but claim payments (CLP04) "
                f"{paid_total} - provider adjustments (PLB) {plb} = {expected}",
                expected,
                actual,
                pos.get((-1, -1)),
            )
        )


def balance_source(source: Source, *, log: IssueLog | None = None) -> BalanceReport:
    """Read ``source`` and balance it, locating each finding at its CLP/SVC/BPR segment.

    Streams: each claim is balanced as it is read, then let go (with its locations), so
    memory holds one batch of segments whatever the file's size. The report is
    :func:`balance` of the remittances :func:`edi835.reader.iter_remittances_located` reads;
    the issues ``log`` gets are those of :func:`edi835.reader.iter_claims` (a header's issue,
    such as a missing TRN, is located at the first CLP, where the header is known complete).
    """
    from edi835.reader import _transactions, _TxReader

    log = log if log is not None else IssueLog()
    findings: list[BalanceFinding] = []
    n_tx = n_claims = n_lines = 0
    for ri, tx in enumerate(_transactions(source, log, None)):
        n_tx += 1
        reader = _TxReader(tx, log, keep=False, track=True)
        pos = reader.positions
        rp = f"remittances[{ri}]"
        paid_total = _ZERO
        for ci, c in enumerate(reader.run()):
            n_claims += 1
            lines = _balance_claim(f"{rp}.claims[{ci}]", ci, c, pos, findings)
            n_lines += lines
            paid_total += c.paid
            pos.pop((ci, -1), None)
            for si in range(lines):
                pos.pop((ci, si), None)
        header = reader.header_remittance()
        _balance_transaction(rp, header, paid_total, reader.plb, pos, findings)
    return BalanceReport(tuple(findings), n_tx, n_claims, n_lines)
