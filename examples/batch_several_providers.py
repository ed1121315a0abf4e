"""Write one 837P batch holding claims of several billing providers, then check it.

The writer groups claims under their billing provider (HL 20), subscriber (HL 22) and
patient (HL 23) levels for you: hand it claims in any order.

Run: PYTHONPATH=src python examples/batch_several_providers.py
"""

from __future__ import annotations

import collections
import pathlib
import tempfile

import edi837
from edi837 import fake
from edi837.writer import dumps

# 1. Claims for three practices (synthetic: made-up people, valid NPIs). In real code these
#    come from your billing system as models.claim.Claim objects.
claims = fake.generate(12, seed=2024, providers=3)

# 2. One interchange: the submitter (you or your clearinghouse login) and the receiver.
text = dumps(
    claims,
    submitter=fake.submitter(),
    receiver=fake.receiver(),
    usage="T",  # ISA15: T for test files, P for production
    timestamp=fake.timestamp_for(2024),  # fixed so the file is reproducible
)

out = pathlib.Path(tempfile.mkdtemp(prefix="x12-batch-")) / "batch.837"
out.write_text(text, encoding="utf-8")
print(f"wrote {out} ({len(claims)} claims, {text.count('~')} segments)")

# 3. Read it back and count claims per billing provider (HL 20 loop 2000A).
per_provider = collections.Counter(
    (c.billing_provider.name, c.billing_provider.npi) for c in edi837.loads(text)
)
for (name, npi), n in sorted(per_provider.items(), key=lambda kv: str(kv[0])):
    print(f"  {name} (NPI {npi}): {n} claims")
billing_levels = [s for s in text.split("~") if s.startswith("HL*") and s.split("*")[3] == "20"]
print(f"billing provider levels (HL 20) in the batch: {len(billing_levels)}")
