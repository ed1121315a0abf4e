"""Read an 837P a partner sent: claims, their parties and lines, and any problems found.

Without an argument the script first writes a small synthetic 837P (made-up people) to a
temporary directory, so it runs anywhere.

Run: PYTHONPATH=src python examples/read_837.py [FILE.837]
"""

from __future__ import annotations

import pathlib
import sys
import tempfile

import edi837
from edi837 import fake

if len(sys.argv) > 1:
    path = pathlib.Path(sys.argv[1])
else:
    path = pathlib.Path(tempfile.mkdtemp(prefix="x12-read-")) / "partner.837"
    text = edi837.dumps(
        fake.generate(4, seed=7, every_loop=True),
        submitter=fake.submitter(),
        receiver=fake.receiver(),
        timestamp=fake.timestamp_for(7),
    )
    path.write_text(text, encoding="utf-8")

# Lenient by default: problems are collected with their locations, not raised.
# (edi837.iter_claims(fp) streams files of any size one claim at a time.)
result = edi837.read(path.read_bytes())
for issue in result.issues:  # locations and codes only, never patient data
    print("issue:", issue)

for sub in result.submissions:
    print(f"transaction {sub.reference}: {sub.submitter.name} -> {sub.receiver.name}")
    for claim in sub.claims:
        patient = claim.patient or claim.subscriber
        who = "subscriber" if claim.patient is None else "dependent"
        print(
            f"  claim {claim.id}: {claim.charge} billed by {claim.billing_provider.name}"
            f" (NPI {claim.billing_provider.npi}) to {claim.payer.name};"
            f" patient is the {who}, born {patient.birth_date}"
        )
        print(f"    diagnoses: {', '.join(d.code for d in claim.diagnoses)}")
        for n, line in enumerate(claim.service_lines, 1):
            mods = ":".join(line.modifiers)
            print(
                f"    line {n}: {line.procedure}{':' + mods if mods else ''}"
                f" x{line.units} {line.charge} on {line.service_date}"
                f" (diagnosis pointers {line.diagnosis_pointers})"
            )
        for other in claim.other_payers:
            print(f"    other payer: {other.payer.name} paid {other.paid}")
print(f"{len(result.claims)} claim(s) read")
