"""Split what the patient owes into deductible, coinsurance, copay and the rest.

Patient responsibility is the CAS group PR: CARC 1 deductible, 2 coinsurance, 3 copay;
other PR reasons (e.g. non-covered services the patient agreed to pay) go to "other".

Run: PYTHONPATH=src python examples/split_patient_responsibility.py [file.835]
"""

from __future__ import annotations

import pathlib
import sys
from decimal import Decimal

import edi835
from models.common import AdjustmentGroup
from models.remittance_records import payment_records

path = pathlib.Path(
    sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent / "sample.835"
)
remittances = edi835.loads(path.read_bytes())

# The flat records already split the PR group for you ...
for rec in payment_records(remittances):
    if rec.level == "claim" and rec.patient_responsibility:
        other = rec.patient_responsibility - rec.deductible - rec.coinsurance - rec.copay
        print(
            f"claim {rec.patient_control_number}: patient owes {rec.patient_responsibility}"
            f" = deductible {rec.deductible} + coinsurance {rec.coinsurance}"
            f" + copay {rec.copay} + other {other}"
        )

# ... and the same from the models directly, per service line.
for rem in remittances:
    for claim in rem.claims:
        for n, line in enumerate(claim.services, 1):
            pr = [a for a in line.adjustments if a.group == AdjustmentGroup.PATIENT_RESPONSIBILITY]
            if pr:
                parts = ", ".join(f"CARC {a.reason}: {a.amount}" for a in pr)
                total = sum((a.amount for a in pr), Decimal(0))
                print(
                    f"  {claim.patient_control_number} line {n} ({line.procedure.code}): {parts}"
                    f" -> {total}"
                )
