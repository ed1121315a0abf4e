"""Peer: oxedi (Rust core) read as its README shows, claims table into Polars.

Run inside benchmarks/.venvs/oxedi (set up with the ``oxedi[polars]`` extra):
``python parse_oxedi-polars.py FILE``. ``oxedi.parse_file`` then
``result.tables["claims"].to_polars()`` (zero-copy through Arrow); the claims are counted and
their ``payment_amount`` (CLP04) summed.
"""

import json
import sys
from decimal import Decimal

import oxedi


def main(path: str) -> None:
    result = oxedi.parse_file(path)
    claims = result.tables["claims"].to_polars()
    paid = Decimal(str(claims["payment_amount"].sum())).quantize(Decimal("0.01"))
    print(json.dumps({"claims": claims.height, "paid_total": format(paid, "f")}))


if __name__ == "__main__":
    main(sys.argv[1])
