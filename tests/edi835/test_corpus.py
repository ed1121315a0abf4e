"""Every 835 of the shared corpus: read, written back, balanced (results recorded here)."""

from __future__ import annotations

import pathlib

import pytest

import edi835
from _corpus import corpus_files, corpus_manifest
from edi835.balance import balance_source
from edi835.reader import read
from edi835.writer import dumps
from x12.delimiters import Delimiters
from x12.envelope import read_interchanges

FILES = [p for p in corpus_files("835") if p.suffix == ".835"]
VALID = [p for p in FILES if "INVALID" not in p.name]
V5010 = [p for p in VALID if "4010" not in p.name]

# Reader errors a payer's file earns (lenient read still returns the data).
EXPECTED_ERRORS: dict[str, list[str]] = {
    "lfh_managed_care.835": ["BAD_VALUE"],  # BPR16 = 20002316, not a date
    # SVC01 = "HC" without a procedure code; SVC06 "1" is not a procedure composite
    "lfh_tertiary_payment.835": ["BAD_VALUE", "BAD_VALUE"],
}

# Files whose segments do not come back identical, with the first differing segment
# (original, written) and why.
NOT_IDENTICAL: dict[str, tuple[str, str]] = {
    # Two CAS segments with one group code (CAS*OA*23*516, CAS*OA*94*-9): the writer puts
    # consecutive triplets of one group in one CAS, as the guide intends.
    "badx12_secondary_higher_fee.835": ("CAS*OA*23*516", "CAS*OA*23*516**94*-9"),
    "lfh_cob_contractual_adjustment.835": (
        "SVC*HC>55669*541.00*34.00**1.00",
        "SVC*HC:55669*541.00*34.00**1.00",
    ),
    # The file's composites use '>' though ISA16 is ':'; written with ISA16.
    "lfh_secondary_payment.835": (
        "SVC*HC>12345>26*166.50*30.00**1.00",
        "SVC*HC:12345:26*166.50*30.00**1.00",
    ),
    # BPR16 is not a date (20002316): dropped with an error.
    "lfh_managed_care.835": (
        "BPR*I*945.00*C*ACH*CCP*01*888999777*DA*24681012*1935665544**01*111333555*DA*144444*20002316",
        "BPR*I*945.00*C*ACH*CCP*01*888999777*DA*24681012*1935665544**01*111333555*DA*144444",
    ),
}

# Balancing as the payers published them (every other corpus 835 balances).
UNBALANCED: dict[str, dict[str, int]] = {
    # SVC01 lacks its code, so the line's amounts are off by one element.
    "lfh_tertiary_payment.835": {"line": 1, "claim": 0, "transaction": 0},
    # 4010 samples with masked amounts: BPR02 is not the claims' total.
    "pyx12_835id_4010.835": {"line": 0, "claim": 0, "transaction": 1},
    "tigershark_835_pipe_2st_4010.835": {"line": 0, "claim": 0, "transaction": 1},
    "tigershark_835_pipe_4010.835": {"line": 0, "claim": 0, "transaction": 1},
}


def _needs_corpus() -> None:
    if not FILES:
        pytest.skip("the shared corpus (../shared/corpus) is absent")


def _ids(paths: list[pathlib.Path]) -> list[str]:
    return [p.name for p in paths]


def test_corpus_present() -> None:
    _needs_corpus()
    assert len(V5010) >= 15


@pytest.mark.parametrize("path", VALID, ids=_ids(VALID))
def test_reads(path: pathlib.Path) -> None:
    result = read(path.read_bytes())
    assert result.remittances and all(r.claims for r in result.remittances)
    errors = sorted(i.code for i in result.errors if i.code != "UNSUPPORTED_VERSION")
    assert errors == EXPECTED_ERRORS.get(path.name, [])
    if "4010" in path.name:
        assert "UNSUPPORTED_VERSION" in [i.code for i in result.errors]
    n_claims = sum(len(r.claims) for r in result.remittances)
    listed = corpus_manifest().get(f"835/{path.name}", {})
    if listed.get("n_CLM_or_CLP", "").isdigit():
        assert n_claims == int(listed["n_CLM_or_CLP"])


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_invalid_and_all_files_never_crash(path: pathlib.Path) -> None:
    result = read(path.read_bytes())
    assert isinstance(result.issues, list)


def _body(text: str) -> list[str]:
    out = []
    for ic in read_interchanges(text):
        for tx in ic.transactions:
            for seg in tx.segments[1:-1]:
                s = list(seg)
                while len(s) > 1 and not s[-1]:
                    s.pop()
                out.append("*".join(s))
    return out


@pytest.mark.parametrize("path", V5010, ids=_ids(V5010))
def test_written_back_gives_the_same_segments(path: pathlib.Path) -> None:
    text = path.read_bytes().decode("latin-1")
    rems = edi835.loads(text)
    d = read_interchanges(text)[0].header.delimiters  # type: ignore[union-attr]
    out = dumps(rems, delimiters=Delimiters(d.element, d.component, d.repetition, "~"))
    assert edi835.loads(out) == rems
    before, after = _body(text), _body(out)
    first = next(((a, b) for a, b in zip(before, after, strict=False) if a != b), None)
    if first is None and len(before) != len(after):
        first = ("<length>", "<length>")
    assert first == NOT_IDENTICAL.get(path.name)


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_balancing_recorded(path: pathlib.Path) -> None:
    # INVALID files balance too: their defects are in envelopes and placeholders (the
    # placeholder file's amounts are unreadable and count as 0).
    report = balance_source(path.read_bytes())
    expected = UNBALANCED.get(path.name, {"line": 0, "claim": 0, "transaction": 0})
    assert report.levels() == expected
    for f in report.findings:
        assert f.location is not None and f.location.segment_index is not None


# Files a strict read refuses (the first error raised), everything else reads strictly.
STRICT_REFUSES = {
    "lfh_cob_contractual_adjustment.835": "COMPONENT_SEPARATOR_MISMATCH",
    "lfh_managed_care.835": "BAD_VALUE",
    "lfh_secondary_payment.835": "COMPONENT_SEPARATOR_MISMATCH",
    "lfh_tertiary_payment.835": "BAD_VALUE",
    "pyx12_835id_4010.835": "UNSUPPORTED_VERSION",
    "tigershark_835_pipe_2st_4010.835": "UNSUPPORTED_VERSION",
    "tigershark_835_pipe_4010.835": "UNSUPPORTED_VERSION",
}


@pytest.mark.parametrize("path", VALID, ids=_ids(VALID))
def test_strict_read(path: pathlib.Path) -> None:
    from x12.errors import X12Error

    expected = STRICT_REFUSES.get(path.name)
    if expected is None:
        assert edi835.loads(path.read_bytes(), strict=True)
    else:
        with pytest.raises(X12Error) as info:
            edi835.loads(path.read_bytes(), strict=True)
        assert info.value.code == expected
        assert info.value.location is not None


@pytest.mark.parametrize("path", V5010, ids=_ids(V5010))
def test_state_machine_agrees_with_the_generic_loop_walker(path: pathlib.Path) -> None:
    """The reader's hand-tuned state machine places claims and lines as x12.loops does."""
    from edi835.guide_x221a1 import GUIDE
    from x12.errors import IssueLog
    from x12.loops import build_tree

    text = path.read_bytes()
    rems = edi835.loads(text)
    txs = [tx for ic in read_interchanges(text) for tx in ic.transactions]
    assert len(txs) == len(rems)
    for tx, rem in zip(txs, rems, strict=True):
        tree = build_tree(tx.segments, GUIDE, component=tx.delimiters.component, log=IssueLog())
        claims = list(tree.iter("2100"))
        assert len(claims) == len(rem.claims)
        for node, claim in zip(claims, rem.claims, strict=True):
            assert node.first_segment("CLP") is not None
            assert node.first_segment("CLP")[1] == claim.patient_control_number  # type: ignore[index]
            assert len(list(node.iter("2110"))) == len(claim.services)
        assert len(list(tree.iter("2000"))) == len(rem.groups)
