"""Peer: x12sdk (Pydantic 2). Run inside benchmarks/.venvs/x12sdk: python parse_x12sdk.py FILE.

Its documented read: ``X12ModelReader(path).models()`` yields one validated Pydantic model per
transaction; on an 835, ``model.claims()`` yields the claim payments with ``paid``.
"""

import json
import sys
from decimal import Decimal

from x12sdk.io import X12ModelReader


def main(path: str) -> None:
    count = 0
    paid = Decimal(0)
    with X12ModelReader(path) as reader:
        for model in reader.models():
            for claim in model.claims():
                count += 1
                paid += Decimal(str(claim.paid))
    print(json.dumps({"claims": count, "paid_total": format(paid.quantize(Decimal("0.01")), "f")}))


if __name__ == "__main__":
    main(sys.argv[1])
