"""Post an 835's payments against your open claims (a tiny accounts-receivable ledger).

Each claim payment (CLP) is matched on the patient control number you sent in CLM01; the
payment, contractual write-off and patient responsibility are posted; reversals (CLP02 22)
take back an earlier posting.

Run: PYTHONPATH=src python examples/post_payments.py [file.835]
"""

from __future__ import annotations

import pathlib
import sys
from decimal import Decimal

import edi835
from models.remittance_records import payment_records

path = pathlib.Path(
    sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent / "sample.835"
)
remittances = edi835.loads(path.read_bytes())

# Your open receivables, keyed by patient control number (here: built from the file itself).
ledger: dict[str, Decimal] = {}
for rem in remittances:
    for claim in rem.claims:
        ledger.setdefault(claim.patient_control_number, claim.charge)

print(f"{'claim':<16} {'kind':<10} {'billed':>9} {'paid':>9} {'write-off':>9} {'patient':>9}")
for rec in payment_records(remittances):
    if rec.level != "claim":
        continue  # post at claim level; line records carry the same money per line
    balance = ledger.get(rec.patient_control_number)
    if balance is None:
        print(f"{rec.patient_control_number:<16} not one of our claims: route to a person")
        continue
    # A reversal carries negative amounts, so the same arithmetic undoes the earlier posting.
    balance -= rec.paid + rec.contractual + rec.other_adjustments
    ledger[rec.patient_control_number] = balance
    print(
        f"{rec.patient_control_number:<16} {rec.kind:<10} {rec.billed:>9} {rec.paid:>9}"
        f" {rec.contractual:>9} {rec.patient_responsibility:>9}"
    )

total_paid = sum((r.amount for r in remittances), Decimal(0))
print(
    f"deposit expected: {total_paid} (check/EFT {', '.join(r.trace_number for r in remittances)})"
)
print(f"still owed by patients or payers: {sum(ledger.values(), Decimal(0))}")
