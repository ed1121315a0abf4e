"""The 835 Health Care Claim Payment/Advice (005010X221A1): remittances read into typed
models, payment and denial records, balancing, and a writer for test remittances.

Reading is stdlib-json style: :func:`loads` / :func:`load` return a list of
:class:`models.remittance.Remittance`; :func:`iter_remittances` and :func:`iter_claims`
stream files of any size; :func:`read` also returns the issues found.
"""

from x12._guard import require_library_models

require_library_models()

from typing import TYPE_CHECKING  # noqa: E402

from edi835.reader import (  # noqa: E402
    ReadResult,
    iter_claims,
    iter_remittances,
    load,
    loads,
    read,
)

if TYPE_CHECKING:  # typed for checkers; imported on first use at run time (import time)
    from edi835.records import iter_payment_records, load_records
    from edi835.validation import validate
    from edi835.writer import dump, dumps

__all__ = [
    "ReadResult",
    "dump",
    "dumps",
    "iter_claims",
    "iter_payment_records",
    "iter_remittances",
    "load",
    "load_records",
    "loads",
    "read",
    "validate",
]


def __getattr__(name: str) -> object:
    # The writer and the records are imported on first use to keep ``import edi835`` light.
    if name in ("dumps", "dump"):
        from edi835 import writer

        return getattr(writer, name)
    if name == "validate":
        from edi835.validation import validate

        return validate
    if name in ("load_records", "iter_payment_records"):
        from edi835 import records

        return getattr(records, name)
    raise AttributeError(name)
