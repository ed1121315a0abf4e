"""The 277CA reader on the corpus (statuses hand-checked from the files) and on bad input."""

from __future__ import annotations

import contextlib
import datetime as dt
import pathlib
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edi837 import status_277ca
from models.acknowledgment import Disposition, StatusCode
from x12.errors import IssueLog, X12Error


def _corpus_file(corpus: pathlib.Path, name: str) -> pathlib.Path:
    path = corpus / "277" / name
    if not path.is_file():
        pytest.skip(f"{name} is not in the corpus")
    return path


def test_accepted_277ca(corpus: pathlib.Path) -> None:
    path = _corpus_file(corpus, "ims_277CA_accepted.txt")
    log = IssueLog()
    with path.open("rb") as fp:
        (report,) = status_277ca.load(fp, log=log)
    assert not log.errors
    assert (report.control_number, report.reference, report.transaction_type) == (
        "000014420",
        "000000674",
        "TH",
    )
    (source,) = report.sources
    assert source.source is not None and source.source.entity == "PR"
    assert (source.trace_number, source.received_date, source.process_date) == (
        "000014420",
        dt.date(2011, 3, 11),
        dt.date(2011, 3, 11),
    )
    (receiver,) = source.receivers
    # STC*A1:20*20110311*WQ*125.0, QTY*90*1, AMT*YU*125.0
    assert receiver.trace_number == "000000674"
    assert receiver.statuses[0].codes == (StatusCode("A1", "20"),)
    assert receiver.statuses[0].disposition is Disposition.ACCEPTED
    assert (receiver.accepted_quantity, receiver.accepted_amount) == (
        Decimal("1"),
        Decimal("125.0"),
    )
    (claim,) = report.claims
    # TRN*2*5781, STC*A2:20*20110311*WQ*125, REF*1K*1107000000014420, DTP*472*D8*10010101
    assert claim.patient_control_number == "5781"
    assert claim.status is not None and claim.status.category == "A2"
    assert claim.status.amount == Decimal("125") and claim.status.action == "WQ"
    assert claim.accepted and not claim.rejected
    assert claim.payer_claim_number == "1107000000014420"
    assert claim.service_date_from == dt.date(1001, 1, 1)
    assert claim.provider is not None and claim.provider.id == "1234567890"
    assert report.claim("5781") is claim
    assert claim.unmapped == ()


def test_rejected_277ca(corpus: pathlib.Path) -> None:
    path = _corpus_file(corpus, "ims_277CA_rejected.txt")
    (report,) = status_277ca.loads(path.read_bytes())
    (claim,) = report.claims
    # STC*A7|562|85*20110311*WQ*199.14 (component separator "|"), REF*BLT*731
    assert claim.patient_control_number == "3920394930203"
    assert claim.statuses[0].codes == (StatusCode("A7", "562", "85"),)
    assert claim.disposition is Disposition.REJECTED and claim.rejected
    assert claim.statuses[0].amount == Decimal("199.14")
    assert (claim.payer_claim_number, claim.bill_type) == ("1107000000001120", "731")
    assert claim.service_date_from == claim.service_date_to == dt.date(2009, 3, 11)
    # the batch itself was received (A1) at the receiver level
    assert report.sources[0].receivers[0].statuses[0].category == "A1"


def test_x212_status_is_read_leniently(corpus: pathlib.Path) -> None:
    path = _corpus_file(corpus, "lfh_277_x212_claim_level_status.277")
    log = IssueLog()
    (report,) = status_277ca.loads(path.read_text(), log=log)
    codes = {i.code for i in log}
    assert "NOT_277CA" in codes and "UNKNOWN_HL_LEVEL" in codes
    assert report.claims == ()
    providers = report.sources[0].receivers[0].providers
    assert len(providers) == 2
    kept = [u.id for p in providers for u in p.unmapped]
    assert "SVC" in kept and "STC" in kept  # nothing of the unknown levels is lost


_MINI = (
    "ISA*00*          *00*          *ZZ*A              *ZZ*B              *240101*1200*^*00501"
    "*000000001*0*T*:~GS*HN*A*B*20240101*1200*1*X*005010X214~ST*277*0001*005010X214~"
    "BHT*0085*08*REF1*20240101*1200*TH~HL*1**20*1~NM1*PR*2*PAYER*****PI*1~TRN*1*T1~"
    "DTP*050*D8*20240101~DTP*009*D8*20240102~HL*2*1*21*1~NM1*41*2*SUB*****46*S~TRN*2*B1~"
    "STC*A1:19*20240101*WQ*300~QTY*90*1~QTY*AA*1~AMT*YU*100~AMT*YY*200~"
    "HL*3*2*19*1~NM1*85*2*CLINIC*****XX*1234567893~TRN*1*P1~REF*TJ*123456789~QTY*QA*1~"
    "HL*4*3*PT~NM1*QC*1*DOE*JANE****MI*M1~TRN*2*PCN-9~STC*A3:21:77*20240101*U*200~"
    "REF*1K*PAYER-CLAIM~REF*D9*CH-TRACE~DTP*472*RD8*20231201-20231203~"
    "SVC*HC:99213:25*200*****1~STC*A3:453*20240101*U*200~REF*FJ*LINE-1~DTP*472*D8*20231201~"
    "AMT*XX*5~SE*30*0001~GE*1*1~IEA*1*000000001~"
)


def test_every_level_and_lines() -> None:
    log = IssueLog()
    (report,) = status_277ca.loads(_MINI, log=log)
    assert not log.errors, [str(i) for i in log]
    receiver = report.sources[0].receivers[0]
    assert (receiver.rejected_quantity, receiver.rejected_amount) == (Decimal(1), Decimal(200))
    provider = receiver.providers[0]
    assert provider.references == (("TJ", "123456789"),)
    assert provider.accepted_quantity == Decimal(1)
    (claim,) = provider.claims
    assert claim.statuses[0].codes == (StatusCode("A3", "21", "77"),)
    assert claim.clearinghouse_trace_number == "CH-TRACE"
    assert (claim.service_date_from, claim.service_date_to) == (
        dt.date(2023, 12, 1),
        dt.date(2023, 12, 3),
    )
    (line,) = claim.lines
    assert line.procedure == ("HC", "99213", "25")
    assert (line.charge, line.units, line.line_item_control_number) == (
        Decimal(200),
        Decimal(1),
        "LINE-1",
    )
    assert line.disposition is Disposition.REJECTED
    assert [u.id for u in line.unmapped] == ["AMT"]  # kept, not dropped


def test_bad_values_are_located_issues() -> None:
    text = _MINI.replace("STC*A3:21:77*20240101", "STC*A3:21:77*20241399").replace(
        "AMT*YU*100", "AMT*YU*1X0"
    )
    log = IssueLog()
    (report,) = status_277ca.loads(text, log=log)
    found = {i.code: i.location for i in log.errors}
    assert set(found) == {"BAD_DATE", "BAD_AMOUNT"}
    assert found["BAD_DATE"] is not None and found["BAD_DATE"].segment_id == "STC"
    assert found["BAD_AMOUNT"] is not None and found["BAD_AMOUNT"].element == 2
    assert report.claims[0].statuses[0].date is None
    with pytest.raises(X12Error):
        status_277ca.loads(text, strict=True)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from([*_MINI.split("~")[3:-4], "HL*9*7*PT", "SVC", "STC*", "DTP*472*RD8*2"]),
        max_size=25,
    )
)
def test_shuffled_segments_never_crash(body: list[str]) -> None:
    head = "~".join(_MINI.split("~")[:3])
    text = f"{head}~{'~'.join(body)}~SE*{len(body) + 2}*0001~GE*1*1~IEA*1*000000001~"
    with contextlib.suppress(X12Error):
        status_277ca.loads(text)
