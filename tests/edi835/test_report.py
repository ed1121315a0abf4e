"""edi835.report: the remittance as a printable, self-contained, escaped HTML page."""

from __future__ import annotations

import datetime
import html.parser
import io
import pathlib
import re
import shutil
import subprocess
from decimal import Decimal

import attrs
import pytest

from edi835 import fake, report
from edi835.writer import dumps
from models.remittance import Party, ProviderAdjustment, Remittance
from models.remittance_records import CodeDescriptions
from x12.errors import X12Error

CORPUS = pathlib.Path("/work/shared/corpus/835")


def _rem(seed: int = 9, n: int = 12) -> Remittance:
    return fake.adjudicate(fake.synthetic_claims(n, seed=seed), seed=seed)


class _Text(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs_)))

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _parse(page: str) -> _Text:
    p = _Text()
    p.feed(page)
    return p


def test_every_claim_line_and_total_is_shown() -> None:
    rem = _rem()
    page = report.render_html([rem])
    text = " ".join(_parse(page).parts)
    assert rem.payer.name in text and rem.payee.name in text
    assert rem.trace_number in text
    for c in rem.claims:
        assert c.patient_control_number in text
        for s in c.services:
            assert s.procedure.code in text
    assert f"{rem.amount:,.2f}" in text
    assert "Summary by payer" in text


def test_adjustments_grouped_with_carcs_and_remarks() -> None:
    rem = _rem(seed=21, n=30)
    page = report.render_html([rem])
    groups = {str(a.group) for c in rem.claims for s in c.services for a in s.adjustments}
    for g in groups:
        assert f"<span class='tag'>{g}</span>" in page
    remarks = {r.code for c in rem.claims for s in c.services for r in s.remarks}
    for code in remarks:
        assert code in page
    if rem.provider_adjustments:
        assert "Provider adjustments (PLB)" in page


def test_self_contained_no_scripts_no_external_assets() -> None:
    page = report.render_html([_rem()])
    tags = _parse(page).tags
    assert not [t for t, _ in tags if t in ("script", "link", "img", "iframe", "object")]
    assert not re.search(r"(src|href)\s*=", page)
    assert "url(" not in page and "@import" not in page


def test_every_value_is_escaped() -> None:
    rem = _rem(n=2)
    evil = "<script>alert(1)</script>&\"'"
    claim = attrs.evolve(
        rem.claims[0],
        patient_control_number=evil,
        patient=Party(entity="QC", entity_type="1", name=evil, first_name=evil),
    )
    group = attrs.evolve(rem.groups[0], claims=(claim, *rem.groups[0].claims[1:]))
    rem = attrs.evolve(
        rem,
        groups=(group,),
        payer=attrs.evolve(rem.payer, name=evil),
        trace_number=evil,
        provider_adjustments=(
            ProviderAdjustment(
                evil, rem.payment_date or datetime.date(2024, 1, 1), evil, Decimal("1.00"), evil
            ),
        ),
    )
    page = report.render_html([rem], title=evil)
    assert "<script" not in page
    assert "&lt;script&gt;" in page


def test_licensed_descriptions_are_optional() -> None:
    rem = _rem(seed=21, n=30)
    desc = CodeDescriptions(carc={"45": "TEXT FOR 45 <b>"}, rarc={})
    page = report.render_html([rem], descriptions=desc)
    assert "TEXT FOR 45 &lt;b&gt;" in page
    assert "TEXT FOR 45" not in report.render_html([rem])


def test_empty() -> None:
    assert "No remittances" in report.render_html([])


def test_run_report(tmp_path: pathlib.Path) -> None:
    src = tmp_path / "in.835"
    src.write_text(dumps([_rem()], sender_id="PAYER", receiver_id="PROVIDER"))
    out = tmp_path / "r.html"
    err = io.StringIO()
    assert report.run_report(str(src), str(out), err=err) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert report.run_report(str(src), str(src), err=err) == 2  # never over the input
    assert src.read_text().startswith("ISA")
    bad = tmp_path / "bad.835"
    bad.write_text("not x12")
    err = io.StringIO()
    assert report.run_report(str(bad), str(out), err=err) == 2
    assert "bad.835" in err.getvalue()
    assert report.run_report(str(tmp_path / "nope.835"), str(out), err=err) == 2


def test_add_report_arguments() -> None:
    import argparse

    p = argparse.ArgumentParser()
    report.add_report_arguments(p)
    ns = p.parse_args(["f.835", "-o", "r.html", "--carc", "carc.csv"])
    assert (ns.file, ns.output, ns.carc, ns.rarc) == ("f.835", "r.html", "carc.csv", None)


def _corpus_file() -> tuple[pathlib.Path, list[Remittance]]:
    import edi835

    if not CORPUS.is_dir():
        pytest.skip(f"corpus not present at {CORPUS}")
    best: tuple[pathlib.Path, list[Remittance]] | None = None
    for path in sorted(CORPUS.iterdir()):
        if "INVALID" in path.name:
            continue
        try:
            rems = edi835.loads(path.read_bytes())
        except X12Error:
            continue
        n = sum(len(r.claims) for r in rems)
        if best is None or n > sum(len(r.claims) for r in best[1]):
            best = (path, rems)
    assert best is not None
    return best


def test_corpus_report_renders_in_headless_chromium(tmp_path: pathlib.Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("Chromium not installed (apt-get install chromium)")
    path, rems = _corpus_file()
    page = tmp_path / "report.html"
    report.write_report(rems, page)
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    shot = tmp_path / "shot.png"
    subprocess.run(
        [*flags, f"--screenshot={shot}", "--window-size=1200,1600", page.as_uri()],
        capture_output=True,
        timeout=60,
        check=False,
    )
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000, "blank or missing screenshot"
    dom = subprocess.run(
        [*flags, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    ).stdout
    text = " ".join(_parse(dom).parts)
    claims = [c for r in rems for c in r.claims]
    assert dom.count('<div class="claim') == len(claims), path.name
    for c in claims:
        assert c.patient_control_number in text
