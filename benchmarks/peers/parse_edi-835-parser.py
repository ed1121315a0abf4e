"""Peer: edi-835-parser. Run inside benchmarks/.venvs/edi-835-parser.

Its documented read: ``edi_835_parser.parse(path)`` returns TransactionSets; each transaction
set has ``claims`` (ClaimLoop objects) whose ``claim`` segment carries ``paid_amount``.
"""

import json
import sys
from decimal import Decimal

from edi_835_parser import parse


def main(path: str) -> None:
    count = 0
    paid = Decimal(0)
    for transaction_set in parse(path):
        for claim_loop in transaction_set.claims:
            count += 1
            paid += Decimal(str(claim_loop.claim.paid_amount))
    print(json.dumps({"claims": count, "paid_total": format(paid.quantize(Decimal("0.01")), "f")}))


if __name__ == "__main__":
    main(sys.argv[1])
