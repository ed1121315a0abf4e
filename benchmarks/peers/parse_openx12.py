"""Peer: openx12. Run inside benchmarks/.venvs/openx12: python parse_openx12.py FILE.

Its documented read: ``x835.parse(content)`` returns an ERA whose ``claims`` are dicts (amounts
as floats, converted here through ``str`` to Decimal for the sum).
"""

import json
import sys
from decimal import Decimal

from openx12 import x835


def main(path: str) -> None:
    with open(path, encoding="utf-8") as fp:
        era = x835.parse(fp.read())
    claims = era.claims
    paid = sum((Decimal(str(c.get("claim_payment_amount", 0))) for c in claims), Decimal(0))
    print(
        json.dumps(
            {"claims": len(claims), "paid_total": format(paid.quantize(Decimal("0.01")), "f")}
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
