"""837P data as tables: plain rows and Arrow tables with fixed columns.

Two tables (:data:`SCHEMAS` lists each column and its kind), the 837P counterpart of
:mod:`edi835.frames`:

``claims``
    one row per claim (2300 CLM) with its billing provider, payer, subscriber and patient.
``service_lines``
    one row per service line (2400 SV1).

Every row is keyed by ``file``, ``interchange_control_number`` (ISA13),
``transaction_control_number`` (ST02), ``transaction_index`` (0-based position of the 837 in
what was read), ``claim_index`` (0-based within the transaction) and ``claim_id`` (CLM01, the
patient control number); service lines add ``line_index``. The control numbers are known when
the rows are built from a file; from models alone pass them in ``controls`` or they stay empty.

Column kinds are those of :mod:`edi835.frames`: ``string``, ``int``, ``decimal`` (exact:
:class:`decimal.Decimal`, ``decimal128(38, 10)`` in Arrow) and ``date`` (``date32``). Amounts
are never floats. Rows need nothing beyond the standard library; Arrow needs pyarrow
(``pip install "x12-claims[tables]"``), imported on first use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from models.claim import Claim, ServiceLine, Submission
from x12.optional import require
from x12.table_files import arrow_table

__all__ = ["SCHEMAS", "TABLES", "Controls", "arrow_schema", "claim_rows", "rows", "to_arrow"]

INSTALL_HINT = 'pip install "x12-claims[tables]"'

#: (interchange control number ISA13, transaction set control number ST02) per submission.
Controls = tuple[str | None, str | None]

_KEYS = (
    ("file", "string"),
    ("interchange_control_number", "string"),
    ("transaction_control_number", "string"),
    ("transaction_index", "int"),
    ("claim_index", "int"),
    ("claim_id", "string"),  # CLM01
)

#: Column names and kinds of each table, in column order.
SCHEMAS: dict[str, tuple[tuple[str, str], ...]] = {
    "claims": (
        *_KEYS,
        ("submission_reference", "string"),  # BHT03
        ("charge", "decimal"),  # CLM02
        ("place_of_service", "string"),  # CLM05-1
        ("frequency", "string"),  # CLM05-3
        ("billing_provider_npi", "string"),  # 2010AA NM109
        ("billing_provider_name", "string"),  # 2010AA NM103
        ("billing_provider_tax_id", "string"),  # 2010AA REF02 (REF*EI / REF*SY)
        ("payer_name", "string"),  # 2010BB NM103
        ("payer_id", "string"),  # 2010BB NM109
        ("payer_responsibility", "string"),  # SBR01
        ("claim_filing_code", "string"),  # SBR09
        ("subscriber_member_id", "string"),  # 2010BA NM109
        ("subscriber_last_name", "string"),  # 2010BA NM103
        ("subscriber_first_name", "string"),  # 2010BA NM104
        ("subscriber_birth_date", "date"),  # 2010BA DMG02
        ("subscriber_gender", "string"),  # 2010BA DMG03
        ("patient_relationship", "string"),  # PAT01 (2000C), "18" when the subscriber
        ("patient_last_name", "string"),  # 2010CA NM103 (empty when the subscriber)
        ("patient_first_name", "string"),  # 2010CA NM104
        ("patient_birth_date", "date"),  # 2010CA DMG02
        ("patient_gender", "string"),  # 2010CA DMG03
        ("principal_diagnosis", "string"),  # HI01-2
        ("diagnosis_codes", "string"),  # HI0n-2, all, joined with ":"
        ("rendering_provider_npi", "string"),  # 2310B NM109
        ("referring_provider_npi", "string"),  # 2310A NM109 (the first)
        ("prior_authorization", "string"),  # REF*G1
        ("payer_claim_control_number", "string"),  # REF*F8
        ("patient_paid", "decimal"),  # AMT*F5
        ("other_payer_count", "int"),  # 2320 loops
        ("other_payers_paid", "decimal"),  # sum of 2320 AMT*D (empty when none)
        ("line_count", "int"),
        ("line_charge_total", "decimal"),  # sum of SV102
        ("first_service_date", "date"),  # earliest 2400 DTP*472
        ("last_service_date", "date"),  # latest 2400 DTP*472 (RD8 end included)
    ),
    "service_lines": (
        *_KEYS,
        ("line_index", "int"),
        ("procedure_qualifier", "string"),  # SV101-1
        ("procedure_code", "string"),  # SV101-2
        ("modifiers", "string"),  # SV101-3..6 joined with ":"
        ("charge", "decimal"),  # SV102
        ("unit_type", "string"),  # SV103
        ("units", "decimal"),  # SV104
        ("place_of_service", "string"),  # SV105 (empty: the claim's CLM05-1)
        ("diagnosis_pointers", "string"),  # SV107-1..4 joined with ":"
        ("diagnosis_codes", "string"),  # the codes the pointers name, joined with ":"
        ("service_date", "date"),  # DTP*472 (D8, or RD8 start)
        ("service_date_end", "date"),  # DTP*472 RD8 end
        ("line_control_number", "string"),  # REF*6R
        ("ndc", "string"),  # 2410 LIN03
        ("drug_quantity", "decimal"),  # 2410 CTP04
        ("drug_unit", "string"),  # 2410 CTP05-1
        ("rendering_provider_npi", "string"),  # 2420A NM109
        ("adjudicated_paid", "decimal"),  # sum of 2430 SVD02 (empty when none)
    ),
}

#: The table names, in the order they are written.
TABLES: tuple[str, ...] = tuple(SCHEMAS)

Row = dict[str, Any]


def _joined(values: Iterable[str]) -> str | None:
    return ":".join(values) or None


def _reference(claim: Claim, qualifier: str) -> str | None:
    for ref in claim.references:
        if ref.qualifier == qualifier:
            return ref.value
    return None


def _line_row(key: Row, j: int, line: ServiceLine, diagnoses: Sequence[str]) -> Row:
    drug = line.drug
    pointers = line.diagnosis_pointers
    return {
        **key,
        "line_index": j,
        "procedure_qualifier": line.procedure_qualifier,
        "procedure_code": line.procedure,
        "modifiers": _joined(line.modifiers),
        "charge": line.charge,
        "unit_type": str(line.unit_type),
        "units": line.units,
        "place_of_service": line.place_of_service,
        "diagnosis_pointers": _joined(str(p) for p in pointers),
        "diagnosis_codes": _joined(diagnoses[p - 1] for p in pointers if 0 < p <= len(diagnoses)),
        "service_date": line.service_date,
        "service_date_end": line.service_date_end,
        "line_control_number": line.control_number,
        "ndc": drug.ndc if drug else None,
        "drug_quantity": drug.quantity if drug else None,
        "drug_unit": drug.unit if drug else None,
        "rendering_provider_npi": line.rendering_provider.npi if line.rendering_provider else None,
        "adjudicated_paid": (
            sum((a.paid for a in line.adjudications), Decimal(0)) if line.adjudications else None
        ),
    }


def claim_rows(
    out: dict[str, list[Row]], base: Row, i: int, claim: Claim, reference: str | None = None
) -> None:
    """Append the rows of one claim (index ``i`` in its transaction) to ``out``'s tables;
    ``base`` holds the transaction's key columns, ``reference`` its BHT03."""
    key = {**base, "claim_index": i, "claim_id": claim.id}
    bp, sub, pt = claim.billing_provider, claim.subscriber, claim.patient
    diagnoses = [d.code for d in claim.diagnoses]
    lines = claim.service_lines
    starts = [ln.service_date for ln in lines]
    ends = [ln.service_date_end or ln.service_date for ln in lines]
    others = claim.other_payers
    paid_by_others = [op.paid for op in others if op.paid is not None]
    out["claims"].append(
        {
            **key,
            "submission_reference": reference,
            "charge": claim.charge,
            "place_of_service": claim.place_of_service,
            "frequency": str(claim.frequency),
            "billing_provider_npi": bp.npi,
            "billing_provider_name": bp.name,
            "billing_provider_tax_id": bp.tax_id,
            "payer_name": claim.payer.name,
            "payer_id": claim.payer.id,
            "payer_responsibility": sub.payer_responsibility,
            "claim_filing_code": sub.claim_filing_code,
            "subscriber_member_id": sub.member_id,
            "subscriber_last_name": sub.last_name,
            "subscriber_first_name": sub.first_name,
            "subscriber_birth_date": sub.birth_date,
            "subscriber_gender": sub.gender,
            "patient_relationship": pt.relationship if pt else "18",
            "patient_last_name": pt.last_name if pt else None,
            "patient_first_name": pt.first_name if pt else None,
            "patient_birth_date": pt.birth_date if pt else None,
            "patient_gender": pt.gender if pt else None,
            "principal_diagnosis": diagnoses[0] if diagnoses else None,
            "diagnosis_codes": _joined(diagnoses),
            "rendering_provider_npi": (
                claim.rendering_provider.npi if claim.rendering_provider else None
            ),
            "referring_provider_npi": (
                claim.referring_providers[0].npi if claim.referring_providers else None
            ),
            "prior_authorization": _reference(claim, "G1"),
            "payer_claim_control_number": _reference(claim, "F8"),
            "patient_paid": claim.patient_paid,
            "other_payer_count": len(others),
            "other_payers_paid": sum(paid_by_others, Decimal(0)) if paid_by_others else None,
            "line_count": len(lines),
            "line_charge_total": sum((ln.charge for ln in lines), Decimal(0)),
            "first_service_date": min(starts) if starts else None,
            "last_service_date": max(ends) if ends else None,
        }
    )
    service_lines = out["service_lines"]
    for j, line in enumerate(lines):
        service_lines.append(_line_row(key, j, line, diagnoses))


def rows(
    data: Iterable[Submission] | Iterable[Claim],
    *,
    file: str | None = None,
    controls: Sequence[Controls] | None = None,
    first_transaction: int = 0,
) -> dict[str, list[dict[str, Any]]]:
    """The two tables as lists of plain rows (``dict`` column -> Python value).

    ``data`` is submissions (one per 837 transaction, as :func:`edi837.reader.iter_submissions`
    yields them) or bare claims (then one transaction, without a BHT reference).
    ``controls[i]`` gives the (ISA13, ST02) of the i-th submission when known;
    ``first_transaction`` is the ``transaction_index`` of the first one (for rows built one
    transaction at a time).
    """
    out: dict[str, list[Row]] = {name: [] for name in TABLES}
    items = list(data)
    if items and all(isinstance(x, Claim) for x in items):
        claims = tuple(x for x in items if isinstance(x, Claim))
        groups: list[tuple[str | None, Sequence[Claim]]] = [(None, claims)]
    else:
        groups = [(s.reference, s.claims) for s in items if isinstance(s, Submission)]
    for t, (reference, claims_of_tx) in enumerate(groups):
        icn, tcn = controls[t] if controls is not None and t < len(controls) else (None, None)
        base: Row = {
            "file": file,
            "interchange_control_number": icn,
            "transaction_control_number": tcn,
            "transaction_index": first_transaction + t,
        }
        for i, claim in enumerate(claims_of_tx):
            claim_rows(out, base, i, claim, reference)
    return out


# ------------------------------------------------------------------------------ arrow
def _require(module: str) -> Any:
    return require(module, INSTALL_HINT)


def _arrow_type(pa: Any, kind: str) -> Any:
    if kind == "int":
        return pa.int64()
    if kind == "decimal":
        return pa.decimal128(38, 10)
    if kind == "date":
        return pa.date32()
    return pa.string()


def arrow_schema(name: str) -> Any:
    """The pyarrow schema of table ``name``."""
    pa = _require("pyarrow")
    return pa.schema([(col, _arrow_type(pa, kind)) for col, kind in SCHEMAS[name]])


def to_arrow(
    data: Iterable[Submission] | Iterable[Claim] | dict[str, list[dict[str, Any]]],
    *,
    file: str | None = None,
    controls: Sequence[Controls] | None = None,
) -> dict[str, Any]:
    """The two tables as ``pyarrow.Table`` (``{name: Table}``) with the fixed schemas.
    Accepts submissions, claims or :func:`rows` output."""
    pa = _require("pyarrow")
    table_rows = data if isinstance(data, dict) else rows(data, file=file, controls=controls)
    return {name: arrow_table(pa, arrow_schema(name), table_rows[name]) for name in TABLES}
