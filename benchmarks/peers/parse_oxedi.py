"""Peer: oxedi (Rust core), minimal native read. Run inside benchmarks/.venvs/oxedi.

``python parse_oxedi.py FILE``. Its documented direct read without a dataframe library:
``oxedi.parse_file`` builds the document and its typed tables in Rust; ``count_claims`` and
``sum_payments`` walk them. ``sum_payments`` is the total of the payments (BPR02), not of the
claims' CLP04, hence ``paid_kind`` in the output; parse_oxedi-polars.py sums the claims table.
This row is the near-native reference the ratios are computed against.
"""

import json
import sys
from decimal import Decimal

import oxedi


def main(path: str) -> None:
    result = oxedi.parse_file(path)
    claims = result.count_claims()
    assert len(result.tables["claims"]) == claims
    paid = Decimal(result.sum_payments()).quantize(Decimal("0.01"))
    print(json.dumps({"claims": claims, "paid_total": format(paid, "f"), "paid_kind": "BPR02"}))


if __name__ == "__main__":
    main(sys.argv[1])
