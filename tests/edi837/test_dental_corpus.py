"""Every 5010 837D in the shared corpus (not INVALID) reads and writes back segment for segment."""

from __future__ import annotations

import pathlib

import pytest

from edi837.dental_reader import read_dental
from edi837.dental_writer import dumps_dental_submissions
from x12.tokenizer import tokenize

CORPUS = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "837d"
_ENVELOPE = ("ISA", "GS", "GE", "IEA")


def _files() -> list[pathlib.Path]:
    if not CORPUS.is_dir():
        return []
    return [p for p in sorted(CORPUS.iterdir()) if "INVALID" not in p.name and "4010" not in p.name]


def _body(segments: list[list[str]]) -> list[list[str]]:
    """Transaction bodies: no envelope, ST02/SE (control numbers and counts are recomputed)."""
    out = []
    for seg in segments:
        if seg[0] in _ENVELOPE or seg[0] == "SE":
            continue
        out.append(seg[:2] + seg[3:] if seg[0] == "ST" else seg)
    return out


@pytest.mark.skipif(not _files(), reason=f"shared corpus not found at {CORPUS}")
@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_corpus_file_round_trips(path: pathlib.Path) -> None:
    raw = path.read_bytes()
    result = read_dental(raw)
    assert result.claims, "no claim read"
    assert all(c.service_lines for c in result.claims)
    text = dumps_dental_submissions(result.submissions, check=False)
    assert _body(tokenize(text)) == _body(tokenize(raw))
    again = read_dental(text)
    assert again.submissions == result.submissions


def test_corpus_example_is_modelled() -> None:
    path = CORPUS / "machete_dental_5010_tr3_newline_noGE.837"
    if not path.is_file():
        pytest.skip(f"shared corpus file not found: {path}")
    claim = read_dental(path.read_bytes()).claims[0]
    line = claim.service_lines[0]
    assert line.procedure == "D3320"
    assert [t.number for t in line.teeth] == ["5"]
    assert claim.patient is not None and claim.patient.relationship == "19"
    assert claim.rendering_provider is not None
    assert claim.rendering_provider.taxonomy == "1223P0221X"
    # nothing kept unmapped: every segment of the example has its field
    assert not claim.unmapped and not line.unmapped
