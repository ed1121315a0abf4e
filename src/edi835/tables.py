"""The 005010X221A1 loop structure as the reader and writer use it (hand-kept, checked
against the generated ``guide_x221a1.GUIDE`` by the tests).

Reader states are loops; ``LOOP_SEGMENTS`` lists, per loop, the segments that belong to it
in guide order (the writer emits them in this order), ``LOOP_TRIGGERS`` the segments that
open a loop and from which loops they may be reached. Qualifier tables say which qualifiers
the guide defines for a segment in a loop; values outside them are read and kept, with a
warning.
"""

from __future__ import annotations

__all__ = [
    "CLAIM",
    "CLAIM_DATES",
    "CLAIM_PARTIES",
    "FOOTER",
    "GROUP",
    "HEADER",
    "LOOP_NAMES",
    "LOOP_SEGMENTS",
    "PAYEE",
    "PAYER",
    "SERVICE",
    "SERVICE_DATES",
]

# Reader states (loops).
HEADER, PAYER, PAYEE, GROUP, CLAIM, SERVICE, FOOTER = range(7)

LOOP_NAMES = ("HEADER", "1000A", "1000B", "2000", "2100", "2110", "FOOTER")

# Segments of each loop in guide order (trigger first); the writer follows this order.
LOOP_SEGMENTS: dict[int, tuple[str, ...]] = {
    HEADER: ("BPR", "TRN", "CUR", "REF", "DTM"),
    PAYER: ("N1", "N3", "N4", "REF", "PER"),
    PAYEE: ("N1", "N3", "N4", "REF", "RDM"),
    GROUP: ("LX", "TS3", "TS2"),
    CLAIM: ("CLP", "CAS", "NM1", "MIA", "MOA", "REF", "DTM", "PER", "AMT", "QTY"),
    SERVICE: ("SVC", "DTM", "CAS", "REF", "AMT", "QTY", "LQ"),
    FOOTER: ("PLB",),
}

# NM101 of loop 2100 -> ClaimPayment field, in guide order.
CLAIM_PARTIES: dict[str, str] = {
    "QC": "patient",
    "IL": "insured",
    "74": "corrected_patient",
    "82": "rendering_provider",
    "TT": "crossover_carrier",
    "PR": "corrected_priority_payer",
    "GB": "other_subscriber",
}

# DTM01 of loop 2100 -> ClaimPayment field, in guide order.
CLAIM_DATES: dict[str, str] = {
    "232": "statement_from",
    "233": "statement_to",
    "036": "coverage_expiration",
    "050": "received",
}

# DTM01 of loop 2110 -> ServicePayment field, in the order written.
SERVICE_DATES: dict[str, str] = {
    "150": "service_from",
    "151": "service_to",
    "472": "service_date",
}

# Qualifiers the guide defines (for warnings; anything is kept).
HEADER_REFS = frozenset({"EV", "F2"})
PAYER_REFS = frozenset({"2U", "EO", "HI", "NF"})
PAYEE_REFS = frozenset({"0B", "D3", "PQ", "TJ"})
CLAIM_REFS = frozenset(
    {"1L", "1W", "28", "6P", "9A", "9C", "BB", "CE", "EA", "F8", "G1", "G3", "IG", "SY"}
    | {"0B", "1A", "1B", "1C", "1D", "1G", "1H", "1J", "D3", "G2", "LU"}
)
SERVICE_REFS = frozenset(
    {"1S", "APC", "BB", "E9", "G1", "G3", "LU", "RB", "6R", "0K"}
    | {"0B", "1A", "1B", "1C", "1D", "1G", "1H", "1J", "D3", "G2", "HPI", "SY", "TJ"}
)
CLAIM_CAS_GROUPS = frozenset({"CO", "OA", "PI", "PR"})
