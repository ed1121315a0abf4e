"""pyx12 as an external judge (x12.pyx12_check): every error collected, located, values masked.

pyx12 checks ~6,000-10,000 segments a second but loads its map on every call (0.16 s for an
837P, 0.03 s for an 835), so a call costs 0.05-0.3 s for a small file: these tests run about
40 validations, a few seconds in all.
"""

from __future__ import annotations

import io
import json
import logging
import threading

import pytest

from _corpus import CORPUS, corpus_files
from x12.errors import Severity
from x12.pyx12_check import (
    MASK,
    Pyx12Report,
    mask_values,
    pyx12_available,
    validate_with_pyx12,
)

pytestmark = pytest.mark.skipif(not pyx12_available(), reason="pyx12 is not installed")

NO_CORPUS = f"the shared corpus is not at {CORPUS} (clone ../shared beside the repo)"

# 5010 corpus files pyx12 accepts with zero errors (all the others are rejected; the 4010
# files pyx12_835id_4010.835 and pyx12_simple_837p_4010.837 pass too, but 5010 is our target).
ACCEPTED_5010 = [
    "835/badx12_dollars_data_separate.835",
    "835/badx12_dollars_data_together.835",
    "835/badx12_multi_claims_single_check.835",
    "835/badx12_secondary_higher_fee.835",
    "835/herophilus_emedny_inpatient_drg_retro.835",
    "835/herophilus_emedny_institutional.835",
    "835/herophilus_emedny_outpatient_retro.835",
    "835/herophilus_emedny_pharmacy.835",
    "835/herophilus_emedny_prof_no_payment.835",
    "835/jdavisp3_tigershark_5010_835_ex1.835",
    "835/jdavisp3_tigershark_5010_835_ex2.835",
    "835/jdavisp3_tigershark_5010_835_ex3.835",
    "835/pyx12_835_mult_loops.835",
    "837p/badx12_anesthesia.837",
    "837p/badx12_chiropractic.837",
    "837p/badx12_cob_payer_to_payer.837",
    "837p/badx12_drug_in_office.837",
    "837p/badx12_home_infusion_ndc.837",
    "837p/badx12_msp_cob.837",
    "837p/uhin_837p.837",
]


def corpus_bytes(name: str) -> bytes:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(NO_CORPUS if not CORPUS.is_dir() else f"{name} is not in the corpus")
    return path.read_bytes()


# A small 835 built here: pyx12 accepts it with zero findings.
BODY_835 = [
    "BPR*I*100*C*CHK************20240105",
    "TRN*1*12345*1512345678",
    "DTM*405*20240105",
    "N1*PR*ACME INSURANCE",
    "N3*1 MAIN ST",
    "N4*ANYTOWN*CA*94000",
    "PER*BL*TECH SUPPORT*TE*5555551212",
    "N1*PE*NORTH CLINIC*XX*1234567893",
    "LX*1",
    "CLP*ACCT0001*1*150*100**12*CLAIM0001",
    "NM1*QC*1*DOE*JANE****MI*MEMBER0001",
    "SVC*HC:99213*150*100**1",
    "DTM*472*20240101",
    "CAS*CO*45*50",
]
ISA = (
    "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       "
    "*240101*1200*^*00501*000000001*0*T*:"
)


def build_835(body: list[str] = BODY_835, gs08: str = "005010X221A1") -> str:
    segments = [
        ISA,
        f"GS*HP*SENDER*RECEIVER*20240101*1200*1*X*{gs08}",
        "ST*835*0001",
        *body,
        f"SE*{len(body) + 2}*0001",
        "GE*1*1",
        "IEA*1*000000001",
    ]
    return "~\n".join(segments) + "~\n"


def with_segment(index: int, segment: str) -> list[str]:
    body = list(BODY_835)
    body[index] = segment
    return body


# ---------------------------------------------------------------------------------------------
# Accepted texts


def test_built_835_passes() -> None:
    report = validate_with_pyx12(build_835())
    assert report.ok and report.findings == [] and report.passed, str(report)
    assert report.errors == []
    assert report.segments == len(BODY_835) + 6
    assert str(report) == "pyx12: ok, no findings"


def test_bytes_are_accepted_too() -> None:
    assert validate_with_pyx12(build_835().encode("ascii")).passed


@pytest.mark.parametrize("name", ACCEPTED_5010)
def test_corpus_file_pyx12_accepts(name: str) -> None:
    report = validate_with_pyx12(corpus_bytes(name))
    assert report.ok, str(report)
    assert report.findings == [], str(report)


# ---------------------------------------------------------------------------------------------
# Located findings


def test_bad_element_value_on_a_body_segment_is_located() -> None:
    # CLP02 (claim status) "Q7" is no code; the claim's service date 2024-13-99 is no date.
    body = with_segment(9, "CLP*ACCT0001*Q7*150*100**12*CLAIM0001")
    body[12] = "DTM*472*20241399"
    report = validate_with_pyx12(build_835(body))
    assert not report.ok and not report.passed
    by_segment = {
        (f.location.segment_id, f.location.element): f for f in report.findings if f.location
    }
    clp = by_segment[("CLP", 2)]
    assert clp.code == "pyx12:7" and clp.severity is Severity.ERROR and clp.kind == "value"
    assert clp.location is not None
    assert clp.location.segment_index == 3 + 10  # ISA GS ST, then the 10th body segment
    assert clp.location.loop == "2100"
    assert "is not a valid code for Claim Status Code (CLP02)" in clp.message
    dtm = by_segment[("DTM", 2)]
    assert dtm.code == "pyx12:8" and dtm.location is not None
    assert dtm.location.segment_index == 3 + 13 and dtm.location.loop == "2110"
    # the values are masked everywhere
    text = str(report)
    assert "Q7" not in text and "20241399" not in text and MASK in text


def test_component_position() -> None:
    # SVC01-3, a procedure modifier, 11 characters long: element 01, component 3.
    report = validate_with_pyx12(build_835(with_segment(11, "SVC*HC:99213:ABCDEFGHIJK*150*100**1")))
    (finding,) = report.findings
    assert finding.code == "pyx12:5" and finding.location is not None
    assert finding.location.segment_id == "SVC" and finding.location.loop == "2110"
    assert (finding.location.element, finding.location.component) == (1, 3)
    assert "ABCDEFGHIJK" not in finding.message


def test_missing_segment_and_loop_messages() -> None:
    body = [s for s in BODY_835 if not s.startswith("PER*")]
    report = validate_with_pyx12(build_835(body))
    (finding,) = report.findings
    assert finding.code == "pyx12:3"
    assert "Payer Technical Contact Information" in finding.message
    assert finding.location is not None and finding.location.segment_index is not None


def test_envelope_counts_located_on_se_ge_iea() -> None:
    """The badx12 file with wrong SE01, GE01, IEA01 (and SE02, GE02, IEA02) counts.

    As published its GS01 is "HPO", for which pyx12 has no map: pyx12 stops at the GS. With
    GS01 made "HP" in memory pyx12 reads it all and its trailer errors land on SE, GE, IEA;
    the GS02/GS04 element errors are ones pyx12's JSON visitor drops.
    """
    original = corpus_bytes("835/badx12_INVALID_error_validation.835").decode("ascii")
    report = validate_with_pyx12(original)
    assert not report.ok
    assert report.codes == ["pyx12:no-map"]
    assert "no pyx12 map for 005010X221A1" in report.findings[0].message
    assert "GS01 HPO" in report.findings[0].message

    report = validate_with_pyx12(original.replace("GS*HPO*", "GS*HP*", 1))
    assert not report.ok
    located = {(f.location.segment_id, f.code) for f in report.findings if f.location}
    assert ("SE", "pyx12:4") in located  # SE01 wrong
    assert ("GE", "pyx12:5") in located  # GE01 wrong
    assert ("IEA", "pyx12:021") in located  # IEA01 wrong
    assert ("SE", "pyx12:3") in located and ("GE", "pyx12:4") in located
    assert ("IEA", "pyx12:001") in located  # control numbers do not match
    segments = {
        f.location.segment_id: f.location.segment_index for f in report.findings if f.location
    }
    assert segments["SE"] == 29 and segments["GE"] == 30 and segments["IEA"] == 31
    gs_elements = sorted(
        f.location.element
        for f in report.findings
        if f.location and f.location.segment_id == "GS" and f.location.element
    )
    assert gs_elements == [2, 4]
    se = next(
        f
        for f in report.findings
        if f.code == "pyx12:4" and f.location and f.location.segment_id == "SE"
    )
    assert se.message == f"SE count of {MASK} for SE02={MASK} is wrong. I count 27"


def test_pyx12s_json_visitor_drops_what_we_keep() -> None:
    import pyx12.params
    import pyx12.x12n_document

    text = build_835(gs08="005010X221A1").replace("GS*HP*SENDER*", "GS*HP*S*", 1)
    out = io.StringIO()
    loggers = [logging.getLogger(n) for n in ("pyx12", "pyx12.error_handler")]
    for logger in loggers:
        logger.disabled = True
    try:
        pyx12.x12n_document.x12n_document(
            pyx12.params.ParamsBase(), io.StringIO(text), None, None, fd_json=out
        )
    finally:
        for logger in loggers:
            logger.disabled = False
    assert "GS02" not in json.dumps(json.loads(out.getvalue()))
    report = validate_with_pyx12(text)
    (finding,) = report.findings
    assert finding.location is not None
    assert (finding.location.segment_id, finding.location.element) == ("GS", 2)
    assert finding.code == "pyx12:4"


def test_missing_trailers_at_the_end() -> None:
    text = build_835()
    report = validate_with_pyx12(text[: text.index("SE*")])
    assert not report.ok
    ends = [f for f in report.findings if f.location and f.location.segment_index is None]
    assert sorted(str(f.location.segment_id) for f in ends if f.location) == ["GE", "IEA", "SE"]
    assert all("(at the end of the text)" in f.message for f in ends)


# ---------------------------------------------------------------------------------------------
# Versions pyx12 has no map for, and texts it cannot read


def test_dental_has_no_pyx12_map() -> None:
    report = validate_with_pyx12(build_835(gs08="005010X224A2"))
    assert not report.ok
    (finding,) = report.findings
    assert finding.code == "pyx12:no-map"
    assert finding.message.startswith("no pyx12 map for 005010X224A2")
    assert finding.location is not None
    assert (finding.location.segment_index, finding.location.segment_id) == (2, "GS")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "garbage, not X12 at all",
        b"\xff\xfe\x00\x01 binary",
        ISA[:60],
        ISA + "~",
        build_835()[:400],
        build_835().replace("~", "~~", 3),
        build_835().replace("*", "", 5),
        build_835().replace("~", "", 1),
        ISA.replace("*00501*", "*00999*") + "~",
    ],
    ids=[
        "empty",
        "garbage",
        "binary",
        "short-isa",
        "isa-only",
        "truncated",
        "empty-segments",
        "lost-separators",
        "lost-terminator",
        "unknown-isa12",
    ],
)
def test_broken_text_gives_findings_not_exceptions(text: str | bytes) -> None:
    report = validate_with_pyx12(text)
    assert isinstance(report, Pyx12Report)
    assert not report.passed
    assert report.findings and all(f.severity is Severity.ERROR for f in report.findings)
    assert all(f.code.startswith("pyx12:") for f in report.findings)
    assert str(report).count("\n") == len(report.findings) - 1


def test_text_pyx12_does_not_read_is_reported() -> None:
    # pyx12 stops at an empty segment and ignores text after the last terminator, silently.
    report = validate_with_pyx12(build_835() + "NM1*QC*1*DOE")
    assert report.ok and not report.passed
    assert report.codes == ["pyx12:unread"]
    assert report.findings[0].location is not None
    assert report.findings[0].location.segment_index == len(BODY_835) + 7


def test_errors_pyx12_drops_from_its_own_verdict_are_kept() -> None:
    # An ISA with 15 elements: pyx12 raises segment errors before any ST, drops them from
    # its tree and says ok; the judge keeps them, so the text does not pass.
    text = ISA.rsplit("*", 1)[0] + "~GS*HP~"
    report = validate_with_pyx12(text)
    assert report.findings and not report.passed


# ---------------------------------------------------------------------------------------------
# Behaviour


def test_silent(capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    report = validate_with_pyx12(build_835(with_segment(9, "CLP*ACCT0001*Q7*150*100**12*C1")))
    assert report.findings
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    assert [r for r in caplog.records if r.name.startswith("pyx12")] == []
    assert not logging.getLogger("pyx12").disabled  # switched back on afterwards


def test_threads_do_not_mix_findings() -> None:
    texts = [build_835(), build_835(with_segment(9, "CLP*ACCT0001*Q7*150*100**12*C1"))] * 3
    results: list[list[str] | None] = [None] * len(texts)

    def run(i: int) -> None:
        results[i] = validate_with_pyx12(texts[i]).codes

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [[], ["pyx12:7"]] * 3


@pytest.mark.parametrize(
    ("message", "value", "masked"),
    [
        (
            'Data element "Date" (GS04) contains an invalid date (20080543)',
            "20080543",
            f'Data element "Date" (GS04) contains an invalid date ({MASK})',
        ),
        (
            "(Q7) is not a valid code for Claim Status Code (CLP02)",
            "Q7",
            f"({MASK}) is not a valid code for Claim Status Code (CLP02)",
        ),
        (
            'Data element "Last Name" (NM103) is too long: len("SMITHERSON") = 10 > 6 (max_len)',
            "SMITHERSON",
            f'Data element "Last Name" (NM103) is too long: len("{MASK}") = 10 > 6 (max_len)',
        ),
        (
            "Segment NM1*DOE not found.  Started at /ISA_LOOP/GS_LOOP",
            None,
            f"Segment NM1*{MASK} not found.  Started at /ISA_LOOP/GS_LOOP",
        ),
        (
            "Segment ~N3*1 MAIN ST not found.  Started at /ISA_LOOP/ISA",
            None,
            f"Segment {MASK} not found.  Started at /ISA_LOOP/ISA",
        ),
        (
            "GE count of 2 for GE02=20213 is wrong. I count 1",
            None,
            f"GE count of {MASK} for GE02={MASK} is wrong. I count 1",
        ),
        (
            'Mandatory segment "Subscriber Name" (NM1) missing',
            None,
            'Mandatory segment "Subscriber Name" (NM1) missing',
        ),
        ("Some future message quoting (JANE)", "JANE", f"Some future message quoting ({MASK})"),
    ],
)
def test_mask_values(message: str, value: str | None, masked: str) -> None:
    assert mask_values(message, value) == masked


@pytest.mark.skipif(not CORPUS.is_dir(), reason=NO_CORPUS)
def test_invalid_corpus_files_never_pass_and_findings_are_located() -> None:
    files = [p for p in corpus_files() if "INVALID" in p.name]
    assert files
    for path in files:
        report = validate_with_pyx12(path.read_bytes())
        assert not report.passed, path.name
        for finding in report.findings:
            assert finding.location is not None or finding.code in {"pyx12:crash"}, (
                path.name,
                str(finding),
            )
