"""Peer: linuxforhealth-x12 (Pydantic 1). Run inside benchmarks/.venvs/linuxforhealth-x12.

Its documented read: ``X12ModelReader(path).models()`` yields one validated Pydantic model per
transaction; an 835 model holds ``loop_2000`` (LX) groups of ``loop_2100`` claims whose
``clp_segment.claim_payment_amount`` is CLP04.
"""

import json
import sys
from decimal import Decimal

from linuxforhealth.x12.io import X12ModelReader


def main(path: str) -> None:
    count = 0
    paid = Decimal(0)
    with X12ModelReader(path) as reader:
        for model in reader.models():
            for header in model.loop_2000:
                for claim in header.loop_2100:
                    count += 1
                    paid += Decimal(claim.clp_segment.claim_payment_amount)
    print(json.dumps({"claims": count, "paid_total": format(paid.quantize(Decimal("0.01")), "f")}))


if __name__ == "__main__":
    main(sys.argv[1])
