"""The 837 Health Care Claim: professional (005010X222A1), institutional (005010X223A2) and
dental (005010X224A2) claims (typed models) written to and read from X12, stdlib-json style.

837P: :func:`dumps` / :func:`dump` write claims as one interchange (grouped into the HL
hierarchy, checked before a byte is written); :func:`loads` / :func:`load` read any 837P
interchange back into :class:`models.claim.Claim` objects; :func:`iter_claims` streams a
file of any size; :func:`read` also returns the submissions (BHT, submitter, receiver) and
the issues found. 837I and 837D have the same functions with ``_institutional`` /
``_dental`` in their names. :func:`loads_any` / :func:`load_any` read any 837, each
transaction by its guide (GS08/ST03), and :func:`dumps_any` writes the guide of the claims'
type (:mod:`edi837.registry`). :func:`validate` checks a file (SNIP 1-5, located findings,
a 999).
"""

from x12._guard import require_library_models

require_library_models()

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:  # typed for checkers; imported on first use (the 837I/D tables are big)
    from edi837.dental_reader import iter_dental_claims, load_dental, loads_dental, read_dental
    from edi837.dental_writer import dump_dental, dumps_dental
    from edi837.institutional_reader import (
        iter_institutional_claims,
        load_institutional,
        loads_institutional,
        read_institutional,
    )
    from edi837.institutional_writer import dump_institutional, dumps_institutional

from edi837.reader import (  # noqa: E402
    ReadResult,
    iter_claims,
    load,
    load_any,
    loads,
    loads_any,
    read,
)

if TYPE_CHECKING:  # the writer and the validator are imported on first use, too
    from edi837.validation import validate
    from edi837.writer import (
        dump,
        dump_any,
        dumps,
        dumps_any,
        dumps_submissions,
        group_claims,
    )

__all__ = [
    "ReadResult",
    "dump",
    "dump_any",
    "dump_dental",
    "dump_institutional",
    "dumps",
    "dumps_any",
    "dumps_dental",
    "dumps_institutional",
    "dumps_submissions",
    "group_claims",
    "iter_claims",
    "iter_dental_claims",
    "iter_institutional_claims",
    "load",
    "load_any",
    "load_dental",
    "load_institutional",
    "loads",
    "loads_any",
    "loads_dental",
    "loads_institutional",
    "read",
    "read_dental",
    "read_institutional",
    "validate",
]


_LAZY = {
    "validate": "edi837.validation",
    "dump": "edi837.writer",
    "dump_any": "edi837.writer",
    "dumps": "edi837.writer",
    "dumps_any": "edi837.writer",
    "dumps_submissions": "edi837.writer",
    "group_claims": "edi837.writer",
    "iter_dental_claims": "edi837.dental_reader",
    "load_dental": "edi837.dental_reader",
    "loads_dental": "edi837.dental_reader",
    "read_dental": "edi837.dental_reader",
    "dump_dental": "edi837.dental_writer",
    "dumps_dental": "edi837.dental_writer",
    "iter_institutional_claims": "edi837.institutional_reader",
    "load_institutional": "edi837.institutional_reader",
    "loads_institutional": "edi837.institutional_reader",
    "read_institutional": "edi837.institutional_reader",
    "dump_institutional": "edi837.institutional_writer",
    "dumps_institutional": "edi837.institutional_writer",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'edi837' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
