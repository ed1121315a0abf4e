"""Peer: pyx12 4.0.0. Run inside benchmarks/.venvs/pyx12: python parse_pyx12.py FILE.

Its documented read: ``x12context.X12ContextReader`` walks the file against the 835 map
(validating as it goes); ``iter_segments("2100")`` yields each claim loop as a tree whose
``get_value("CLP04")`` is the paid amount.
"""

import json
import sys
from decimal import Decimal

import pyx12.error_handler
import pyx12.params
import pyx12.x12context


def main(path: str) -> None:
    param = pyx12.params.params()
    errh = pyx12.error_handler.errh_null()
    count = 0
    paid = Decimal(0)
    with open(path, encoding="ascii") as fp:
        reader = pyx12.x12context.X12ContextReader(param, errh, fp)
        for node in reader.iter_segments("2100"):
            if node.id == "2100":
                count += 1
                paid += Decimal(node.get_value("CLP04") or 0)
    print(json.dumps({"claims": count, "paid_total": format(paid.quantize(Decimal("0.01")), "f")}))


if __name__ == "__main__":
    main(sys.argv[1])
