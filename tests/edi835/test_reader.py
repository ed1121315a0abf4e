"""The 835 reader: table-driven segment cases, the corpus, streaming, strictness, fuzz."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import edi835
from edi835 import tables as T
from edi835.reader import read
from models.common import Adjustment, AdjustmentGroup
from models.remittance import ClaimStatus, Procedure
from x12.errors import IssueLog, X12Error

HEAD = (
    "ISA*00*          *00*          *ZZ*PAYER          *ZZ*PAYEE          *240101*1200*^*00501*"
    "000000001*0*T*:~GS*HP*PAYER*PAYEE*20240101*1200*1*X*005010X221A1~ST*835*0001~"
    "BPR*I*{amount}*C*CHK************20240105~TRN*1*TRACE1*1512345678~DTM*405*20240103~"
    "N1*PR*ACME~N3*1 MAIN ST~N4*SPRINGFIELD*IL*62701~PER*BL*EDI*TE*8005551234~"
    "N1*PE*CLINIC*XX*1234567893~"
)


def wrap(body: str, amount: str = "0") -> str:
    text = HEAD.format(amount=amount) + body
    n = text.count("~") - 2 + 1  # segments from ST (ISA, GS excluded) plus the SE
    return text + f"SE*{n}*0001~GE*1*1~IEA*1*000000001~"


def one_claim(body: str) -> object:
    (rem,) = edi835.loads(wrap("LX*1~" + body + "~"))
    (claim,) = rem.claims
    return claim


# (segments in a claim loop, attribute path, expected value): one table for the reader.
CLAIM_CASES = [
    ("CLP*A1*1*100*80*20*12*PCN*11*1", "status", ClaimStatus.PRIMARY),
    ("CLP*A1*1*100*80*20*12*PCN*11*1", "charge", Decimal("100")),
    ("CLP*A1*1*100*80*20*12*PCN*11*1", "patient_responsibility", Decimal("20")),
    ("CLP*A1*1*100*80*20*12*PCN*11*1", "payer_claim_number", "PCN"),
    ("CLP*A1*1*100*80**12*PCN*11*1**DRG1*1.5*0.5", "drg_code", "DRG1"),
    ("CLP*A1*1*100*80**12*PCN*11*1**DRG1*1.5*0.5", "drg_weight", Decimal("1.5")),
    ("CLP*A1*4*100*0**12~CAS*CO*29*100", "adjustments", (Adjustment("CO", "29", Decimal(100)),)),
    (
        "CLP*A1*1*100*80**12~CAS*PR*1*10**2*5*1*3*5",
        "adjustments",
        (
            Adjustment(AdjustmentGroup.PATIENT_RESPONSIBILITY, "1", Decimal(10)),
            Adjustment(AdjustmentGroup.PATIENT_RESPONSIBILITY, "2", Decimal(5), Decimal(1)),
            Adjustment(AdjustmentGroup.PATIENT_RESPONSIBILITY, "3", Decimal(5)),
        ),
    ),
    ("CLP*A1*1*1*1**12~NM1*QC*1*DOE*JANE*Q***MI*M1", "patient.first_name", "JANE"),
    ("CLP*A1*1*1*1**12~NM1*QC*1*DOE*JANE*Q***MI*M1", "patient.middle_name", "Q"),
    ("CLP*A1*1*1*1**12~NM1*IL*1*DOE*JOHN****MI*M2", "insured.id", "M2"),
    ("CLP*A1*1*1*1**12~NM1*74*1*DOE*JAN", "corrected_patient.first_name", "JAN"),
    ("CLP*A1*1*1*1**12~NM1*82*2*CLINIC*****XX*1234567893", "rendering_provider.id", "1234567893"),
    ("CLP*A1*1*1*1**12~NM1*TT*2*MEDIGAP*****PI*X9", "crossover_carrier.name", "MEDIGAP"),
    ("CLP*A1*1*1*1**12~NM1*PR*2*OTHER*****PI*P1", "corrected_priority_payer.id", "P1"),
    ("CLP*A1*1*1*1**12~NM1*GB*1*SUB*SAM****MI*G1", "other_subscriber.name", "SUB"),
    ("CLP*A1*1*1*1**12~MIA*3***12.5*N689", "inpatient.drg_amount", Decimal("12.5")),
    ("CLP*A1*1*1*1**12~MIA*3***12.5*N689", "inpatient.remarks", ("N689",)),
    ("CLP*A1*1*1*1**12~MOA*0.5**MA01*N1", "outpatient.remarks", ("MA01", "N1")),
    ("CLP*A1*1*1*1**12~REF*1L*GRP", "references[0].value", "GRP"),
    ("CLP*A1*1*1*1**12~DTM*232*20240101", "statement_from", dt.date(2024, 1, 1)),
    ("CLP*A1*1*1*1**12~DTM*233*20240102", "statement_to", dt.date(2024, 1, 2)),
    ("CLP*A1*1*1*1**12~DTM*036*20241231", "coverage_expiration", dt.date(2024, 12, 31)),
    ("CLP*A1*1*1*1**12~DTM*050*20240110", "received", dt.date(2024, 1, 10)),
    ("CLP*A1*1*1*1**12~AMT*AU*50", "amounts[0].amount", Decimal(50)),
    ("CLP*A1*1*1*1**12~QTY*CA*4", "quantities[0].quantity", Decimal(4)),
    ("CLP*A1*1*1*1**12~PER*CX*DESK*TE*8005551234", "contacts[0].numbers", (("TE", "8005551234"),)),
    (
        "CLP*A1*1*1*1**12~SVC*HC:99213:25:59*100*80**1",
        "services[0].procedure",
        Procedure("HC", "99213", ("25", "59")),
    ),
    (
        "CLP*A1*1*1*1**12~SVC*NU:0450*100*80*0450*1*HC:99283",
        "services[0].submitted_procedure",
        Procedure("HC", "99283"),
    ),
    ("CLP*A1*1*1*1**12~SVC*NU:0450*100*80*0450*1", "services[0].revenue_code", "0450"),
    (
        "CLP*A1*1*1*1**12~SVC*HC:A*1*1~DTM*472*20240105",
        "services[0].service_date",
        dt.date(2024, 1, 5),
    ),
    (
        "CLP*A1*1*1*1**12~SVC*HC:A*1*1~DTM*150*20240105~DTM*151*20240106",
        "services[0].service_to",
        dt.date(2024, 1, 6),
    ),
    ("CLP*A1*1*1*1**12~SVC*HC:A*1*1~REF*6R*LINE1", "services[0].line_item_control_number", "LINE1"),
    ("CLP*A1*1*1*1**12~SVC*HC:A*1*1~AMT*B6*0.75", "services[0].allowed", Decimal("0.75")),
    ("CLP*A1*1*1*1**12~SVC*HC:A*1*1~LQ*HE*N130", "services[0].remarks[0].code", "N130"),
    ("CLP*A1*1*1*1**12~SVC*HC:A*1*1~CAS*CO*45*1", "services[0].adjustment_total", Decimal(1)),
]


def _get(obj: object, path: str) -> object:
    for part in path.split("."):
        name, _, idx = part.partition("[")
        obj = getattr(obj, name)
        if idx:
            obj = obj[int(idx.rstrip("]"))]  # type: ignore[index]
    return obj


@pytest.mark.parametrize(("body", "path", "expected"), CLAIM_CASES)
def test_claim_segments(body: str, path: str, expected: object) -> None:
    claim = one_claim(body)
    assert _get(claim, path) == expected


def test_header_fields() -> None:
    (rem,) = edi835.loads(wrap("LX*1~CLP*A*1*10*10**12~", amount="10"))
    assert rem.amount == Decimal(10)
    assert rem.method == "CHK"
    assert rem.payment_date == dt.date(2024, 1, 5)
    assert rem.production_date == dt.date(2024, 1, 3)
    assert rem.trace_number == "TRACE1"
    assert rem.payer.address is not None and rem.payer.address.city == "SPRINGFIELD"
    assert rem.payer.contacts[0].function == "BL"
    assert rem.payee.npi == "1234567893"
    assert rem.groups[0].number == "1"


def test_unknown_segment_kept_and_reported() -> None:
    log = IssueLog()
    (rem,) = edi835.loads(wrap("LX*1~CLP*A*1*10*10**12~ZZZ*1*2~"), log=log)
    assert rem.claims[0].unmapped[0].id == "ZZZ"
    assert [i.code for i in log.issues] == ["UNEXPECTED_SEGMENT"]


def test_strict_raises_with_location() -> None:
    text = wrap("LX*1~CLP*A*1*10*X1**12~")
    with pytest.raises(X12Error) as info:
        edi835.loads(text, strict=True)
    assert info.value.location is not None
    assert info.value.location.segment_id == "CLP"
    result = read(text)
    assert result.errors and result.errors[0].location.element == 4  # type: ignore[union-attr]
    assert result.remittances[0].claims[0].paid == 0


def test_4010_reported_as_unsupported_but_read() -> None:
    text = wrap("LX*1~CLP*A*1*10*10**12~").replace("005010X221A1", "004010X091A1")
    result = read(text)
    assert [i.code for i in result.errors] == ["UNSUPPORTED_VERSION"]
    assert len(result.remittances[0].claims) == 1
    with pytest.raises(X12Error):
        edi835.loads(text, strict=True)


def test_iter_claims_matches_load() -> None:
    body = "LX*1~CLP*A*1*10*10**12~CLP*B*1*5*5**12~LX*2~CLP*C*4*7*0**12~CAS*CO*29*7~"
    text = wrap(body, amount="15")
    (rem,) = edi835.loads(text)
    pairs = list(edi835.iter_claims(text))
    assert [c for _, c in pairs] == list(rem.claims)
    assert all(h.trace_number == "TRACE1" and h.claims == () for h, _ in pairs)


def test_iter_claims_leaves_the_collector_idle_and_on_in_the_callers_loop() -> None:
    """Each batch is read with the collector paused and its ``(header, claim)`` pairs made
    before it resumes; a caller that lets each claim go leaves it nothing to scan (39 young
    collections on these 2,000 claims when batches were read with it on)."""
    from _generated import write_835
    from _helpers import collections_during

    data = write_835(2000).encode("ascii")
    whole = [c.payer_claim_number for rem in edi835.loads(data) for c in rem.claims]
    seen, runs = collections_during(edi835.iter_claims(data), lambda p: p[1].payer_claim_number)
    assert seen == whole
    assert len(runs) <= 10, runs


def test_load_binary_and_text_files(tmp_path: object) -> None:
    import pathlib

    p = pathlib.Path(str(tmp_path)) / "a.835"
    p.write_text(wrap("LX*1~CLP*A*1*10*10**12~").replace("~", "~\r\n"))
    with p.open("rb") as fb, p.open() as ft:
        assert edi835.load(fb) == edi835.load(ft)


def test_component_separator_mismatch_is_tolerated() -> None:
    result = read(wrap("LX*1~CLP*A*1*10*10**12~SVC*HC>99213>25*10*10**1~"))
    svc = result.remittances[0].claims[0].services[0]
    assert svc.procedure == Procedure("HC", "99213", ("25",))
    assert [i.code for i in result.issues] == ["COMPONENT_SEPARATOR_MISMATCH"]
    with pytest.raises(X12Error):
        edi835.loads(wrap("LX*1~CLP*A*1*10*10**12~SVC*HC>99213*10*10**1~"), strict=True)


def test_guide_segments_all_handled() -> None:
    """Every loop and segment of the generated X221A1 table has a place in the reader."""
    from edi835.guide_x221a1 import GUIDE

    mapping = {
        "HEADER": T.HEADER,
        "1000A": T.PAYER,
        "1000B": T.PAYEE,
        "2000": T.GROUP,
        "2100": T.CLAIM,
        "2110": T.SERVICE,
        "FOOTER": T.FOOTER,
    }
    seen = set()
    for loop in GUIDE.root.walk():
        if loop.id in ("ST_LOOP", "DETAIL"):
            continue
        state = mapping[loop.id]
        for seg in loop.segments:
            assert seg.id in T.LOOP_SEGMENTS[state], (loop.id, seg.id)
            seen.add((loop.id, seg.id))
    assert len(seen) >= 30
    for code in GUIDE.segment("2100", "NM1", "QC").codes_of(1):
        assert code in T.CLAIM_PARTIES


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400))
def test_any_input_raises_only_x12_errors(data: bytes | str) -> None:
    with contextlib.suppress(X12Error):
        edi835.loads(data)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "CLP*A*1*10*10**12",
                "SVC*HC:1*1*1",
                "CAS*CO*1*1",
                "CAS*XX*1",
                "DTM*472*2024",
                "LX*1",
                "NM1*QC*1",
                "MIA*X",
                "MOA*1*2*3*4*5*6*7*8*9*10*11",
                "PLB*1*20241231*WO*1",
                "PLB*1",
                "REF*6R",
                "AMT*B6*Z",
                "LQ*HE",
                "TS3*1*2*20240101*1*1*9",
                "N1*PR*X",
                "N3",
                "N4*A",
                "BPR*I*1",
                "TRN",
                "CLP*A",
                "SVC*HC",
                "QTY*X*Y",
                "PER*CX*A*TE",
            ]
        ),
        max_size=12,
    )
)
def test_any_segment_order_is_survived(segments: list[str]) -> None:
    result = read(wrap("~".join(segments) + ("~" if segments else "")))
    assert len(result.remittances) == 1


# -- code values shared across claims (edi835.reader._CODES) ---------------------------------

_TWO_CLAIMS = (
    "LX*1~CLP*A1*1*100*80*20*12*P1*11*1~CAS*CO*45*20~NM1*QC*1*DOE*JOHN****MI*M1~"
    "SVC*HC:99213:25*100*80**1~CAS*CO*45*20~AMT*B6*80~"
    "CLP*A2*1*100*80*20*12*P2*11*1~CAS*CO*45*20~NM1*QC*1*ROE*JANE****MI*M2~"
    "SVC*HC:99213:25*100*80**1~CAS*CO*45*20~AMT*B6*80~"
)


def test_code_values_are_one_object_per_value_across_claims() -> None:
    """The same code (CAS02, NM101, NM108, CLP02/06, SVC01-1/-2, modifiers, AMT01) read on two
    claims is one string object: the models hold less and the collector walks less. Names and
    ids are not shared."""
    (rem,) = edi835.loads(wrap(_TWO_CLAIMS))
    a, b = rem.claims
    assert a.adjustments[0].reason == "45"
    assert a.adjustments[0].reason is b.adjustments[0].reason
    assert a.status is b.status and a.filing_indicator is b.filing_indicator
    assert a.patient is not None and b.patient is not None
    assert a.patient.entity is b.patient.entity
    assert a.patient.id_qualifier is b.patient.id_qualifier
    sa, sb = a.services[0], b.services[0]
    assert sa.procedure.code is sb.procedure.code
    assert sa.procedure.qualifier is sb.procedure.qualifier
    assert (
        sa.procedure.modifiers == ("25",) and sa.procedure.modifiers[0] is sb.procedure.modifiers[0]
    )
    assert sa.amounts[0].qualifier is sb.amounts[0].qualifier
    assert a.patient.id == "M1" and b.patient.id == "M2"


_MANY_CODES = "".join(
    f"LX*{i}~CLP*C{i}*1*10*8*2*12*P{i}*11*1~CAS*CO*R{i}*2~" for i in range(1, 3001)
)
_MANY_VALUES = "".join(
    f"LX*{i}~CLP*C{i}*1*10*8*2*12*P{i}*11*1~SVC*HC:P{i}*10*8**1~AMT*B6*{i}~" for i in range(1, 1501)
)


@pytest.mark.parametrize(
    ("cache", "body", "total", "kept"),
    [
        ("_CODES", _MANY_CODES, "24000", 3000),  # every distinct reason at least (bound 4,096)
        ("_VALUES", _MANY_VALUES, "12000", 3000),  # 1,500 procedures and 1,500 AMTs
    ],
)
def test_sharing_is_bounded_and_does_not_change_what_is_read(
    monkeypatch: pytest.MonkeyPatch, cache: str, body: str, total: str, kept: int
) -> None:
    """The shared codes and values are emptied between batches once past their bound: a file
    of many distinct ones cannot grow them without limit, and emptying them (bound 0: every
    batch) reads the same models."""
    from edi835 import reader as r

    shared = getattr(r, cache)
    text = wrap(body, amount=total)
    shared.clear()
    normal = edi835.loads(text)
    grown = len(shared)
    monkeypatch.setattr(r, "_CODES_MAX", 0)
    shared.clear()
    emptied = edi835.loads(text)
    assert emptied == normal
    assert grown >= kept  # each distinct one kept once while under the bound
    assert len(shared) < kept // 2  # with bound 0, emptied at every batch


# -- procedures and AMT amounts shared across lines (edi835.reader._VALUES) ---------------------


def test_equal_procedures_and_amounts_are_one_object_across_lines() -> None:
    """Models are frozen, so an SVC01 composite read twice is one Procedure object and an AMT
    segment read twice one ``(Amount,)``: fewer objects for the collector to walk. Different
    values stay different objects."""
    body = _TWO_CLAIMS + "CLP*A3*1*50*40*10*12*P3*11*1~SVC*HC:99214*50*40**1~AMT*B6*40~"
    (rem,) = edi835.loads(wrap(body))
    a, b, c = rem.claims
    sa, sb, sc = a.services[0], b.services[0], c.services[0]
    assert sa.procedure == Procedure("HC", "99213", ("25",))
    assert sa.procedure is sb.procedure
    assert sa.amounts is sb.amounts and sa.amounts[0].amount == Decimal(80)
    assert sc.procedure == Procedure("HC", "99214") and sc.procedure is not sa.procedure
    assert sc.amounts[0].amount == Decimal(40)


def test_shared_procedures_follow_the_component_separator() -> None:
    """The same SVC01 text under another component separator is read under that separator:
    the shared objects are keyed by the separator too, across files read in one process, and
    a file whose composites use another separator is still reported each time it is read."""
    mismatched = wrap("LX*1~CLP*A*1*10*10**12~SVC*HC>99213*10*10**1~")  # ISA16 is ":"
    matching = mismatched.replace("*T*:~", "*T*>~")  # ISA16 is ">"
    for text, codes in ((matching, []), (mismatched, ["COMPONENT_SEPARATOR_MISMATCH"])) * 2:
        result = read(text)
        assert result.remittances[0].claims[0].services[0].procedure == Procedure("HC", "99213")
        assert [i.code for i in result.issues] == codes
