"""Read an 835 remittance: payments per claim and line, and whether it balances.

Run: edi835 fake --count 12 --seed 835 -o examples/sample.835   (already in the repo)
     PYTHONPATH=src python examples/read_835.py [examples/sample.835]
"""

from __future__ import annotations

import pathlib
import sys

import edi835
from edi835.balance import balance
from models.remittance_records import payment_records

path = pathlib.Path(
    sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent / "sample.835"
)
result = edi835.read(path.read_bytes())  # lenient: issues are collected, not raised
for issue in result.issues:
    print("issue:", issue)

for rem in result.remittances:
    print(f"{rem.payer.name} paid {rem.amount} ({rem.method}, trace {rem.trace_number})")
    for claim in rem.claims:
        print(f"  claim {claim.payer_claim_number}: billed {claim.charge}, paid {claim.paid}")
        for line in claim.services:
            print(
                f"    {line.procedure.code:<8} billed {line.charge:>8} paid {line.paid:>8}"
                f" allowed {line.allowed}"
            )

for rec in payment_records(result.remittances):
    if rec.level == "claim" and rec.patient_responsibility:
        print(
            f"claim {rec.payer_claim_number}: patient owes {rec.patient_responsibility}"
            f" (deductible {rec.deductible}, coinsurance {rec.coinsurance}, copay {rec.copay})"
        )

print(balance(result.remittances).summary())
