"""Generate a test 837P and the 835 a payer could answer it with.

Handy for testing a billing system end to end without real patient data: the same seed
always gives the same files.

Run: PYTHONPATH=src python examples/generate_test_claims_and_remittance.py [count] [seed]
"""

from __future__ import annotations

import pathlib
import sys
import tempfile

import edi835
from edi835 import fake as fake835
from edi835.balance import balance
from edi837 import fake as fake837
from edi837.writer import dumps as dumps_837

count = int(sys.argv[1]) if len(sys.argv) > 1 else 20
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 7
out = pathlib.Path(tempfile.mkdtemp(prefix="x12-test-data-"))

# 1. Synthetic professional claims (valid NPIs, real-looking ICD-10 and CPT codes).
claims = fake837.generate(count, seed=seed)
claims_text = dumps_837(
    claims,
    submitter=fake837.submitter(),
    receiver=fake837.receiver(),
    timestamp=fake837.timestamp_for(seed),
)
(out / "claims.837").write_text(claims_text, encoding="utf-8")

# 2. Adjudicate them: paid, contractual reductions, patient responsibility, denials (CARC/RARC).
inputs, parties = fake835.claims_from_837(claims_text)
remittance = fake835.adjudicate(inputs, seed=seed, parties=parties)
remit_text = edi835.dumps([remittance], sender_id="PAYER", receiver_id="PROVIDER")
(out / "remittance.835").write_text(remit_text, encoding="utf-8")

print(f"wrote {out / 'claims.837'} ({len(claims)} claims)")
print(
    f"wrote {out / 'remittance.835'} (payment {remittance.amount}, "
    f"{sum(c.is_denied for c in remittance.claims)} denied)"
)
# 3. The remittance balances (lines -> claims -> payment), as a payer's must.
print(balance(edi835.loads(remit_text)).summary())
