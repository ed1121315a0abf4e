"""Generate the 837 Dental guide table (005010X224A2): ``src/edi837/guide_x224a2.py``.

    python tools/gen_guide_x224a2.py [--check]

pyx12 4.0.0 ships no X224A2 map, so this table is assembled, not read from one map:

* **Loops the three 5010 837 guides share** (header, submitter/receiver, billing provider and
  pay-to loops 2000A-2010AC, other-payer loops, line adjudication 2430 ...) are taken from the
  generated 837P table (:mod:`edi837.guide_x222a1`, from pyx12's X222A1 map) and the
  subscriber/patient levels (2000B-2010CA, which the dental guide shapes like the institutional
  one: no PAT at 2000B, no PER in 2010BA) from the 837I table (:mod:`edi837.guide_x223a2`).
* **Dental segments** (SV3, TOO, DN1, DN2, the dental DTP qualifiers 441/446/452, QTY) take
  their elements, codes and lengths from pyx12's 4010 dental map (``837.4010.X097.A1.xml``,
  data read with lxml at generation time), with the 5010 changes made here in code, each one
  commented below (SV311 diagnosis pointers, SV301-7 description, the 5010 loops 2310E,
  2330C-H, 2420D).
* Names, usages and max uses of the dental loops follow the public X224A2 table of contents.
  Where this script is unsure of a 5010 detail it marks the segment or element situational
  (``S``) and says so in a ``# UNVERIFIED`` comment, so the table errs towards accepting a file
  rather than rejecting a valid one.

The output is a plain literal in exactly the format of the generated tables (the same
:mod:`x12.guide` classes, the same renderer: :mod:`tools.gen_guide_tables`), qualifiers found
the same way. Running it again reproduces the file byte for byte; ``--check`` exits 1 when the
file on disk is stale.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
from collections.abc import Callable, Iterable, Sequence

import attrs

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tools"))

import gen_guide_tables as gen  # noqa: E402

from edi837.guide_x222a1 import GUIDE as P  # noqa: E402
from edi837.guide_x223a2 import GUIDE as I  # noqa: E402
from x12.guide import ElementSpec, Guide, LoopSpec, SegmentSpec  # noqa: E402

OUT = "src/edi837/guide_x224a2.py"
GUIDE_ID = "005010X224A2"
MAP_4010 = "837.4010.X097.A1.xml"

Child = SegmentSpec | LoopSpec


# --------------------------------------------------------------------------- lookups
def _d4010() -> Guide:
    dataele = gen.read_dataele(gen.map_dir() / "dataele.xml")
    target = gen.Target(MAP_4010, "004010X097A1", "837", "", "")
    guide, _ = gen.read_guide(target, dataele)
    return guide


D4 = _d4010()


def seg(guide: Guide, loop_id: str, seg_id: str, qualifier: str | None = None) -> SegmentSpec:
    return guide.segment(loop_id, seg_id, qualifier)


def el(spec: ElementSpec, **changes: object) -> ElementSpec:
    return attrs.evolve(spec, **changes)  # type: ignore[arg-type]


def edit(
    spec: SegmentSpec,
    *,
    name: str | None = None,
    usage: str | None = None,
    max_use: int | str | None = "keep",
    position: int | None = None,
    elements: dict[str, dict[str, object]] | None = None,
    append: Sequence[ElementSpec] = (),
) -> SegmentSpec:
    """A copy of ``spec`` with some fields and some elements (by ref, or ref of a component)."""

    def fix(e: ElementSpec) -> ElementSpec:
        changes = dict((elements or {}).get(e.ref, {}))
        if e.components:
            changes.setdefault("components", tuple(fix(c) for c in e.components))
        return el(e, **changes) if changes else e

    return SegmentSpec(
        spec.id,
        name if name is not None else spec.name,
        usage if usage is not None else spec.usage,
        spec.max_use if max_use == "keep" else max_use,  # type: ignore[arg-type]
        position if position is not None else spec.position,
        elements=tuple(fix(e) for e in spec.elements) + tuple(append),
        syntax=spec.syntax,
        qualifier=None,
    )


def with_first_codes(spec: SegmentSpec, codes: tuple[str, ...], name: str) -> SegmentSpec:
    first = el(spec.elements[0], codes=codes)
    return attrs.evolve(spec, name=name, elements=(first, *spec.elements[1:]), qualifier=None)


def loop(
    loop_id: str,
    name: str,
    usage: str,
    max_use: int | None,
    position: int,
    children: Iterable[Child],
) -> LoopSpec:
    return LoopSpec(loop_id, name, usage, max_use, position, children=tuple(children))


def copy_loop(
    guide: Guide,
    loop_id: str,
    *,
    new_id: str | None = None,
    name: str | None = None,
    usage: str | None = None,
    max_use: int | str | None = "keep",
    position: int | None = None,
    keep: Callable[[SegmentSpec], bool] = lambda s: True,
    rename: Callable[[SegmentSpec], SegmentSpec] = lambda s: s,
    loops: Sequence[LoopSpec] = (),
) -> LoopSpec:
    """Loop ``loop_id`` of ``guide``, its own segments filtered/renamed, nested loops replaced."""
    src = guide.loop(loop_id)
    segs = [rename(s) for s in src.segments if keep(s)]
    return LoopSpec(
        new_id or src.id,
        name if name is not None else src.name,
        usage if usage is not None else src.usage,
        src.max_use if max_use == "keep" else max_use,  # type: ignore[arg-type]
        position if position is not None else src.position,
        children=(*segs, *loops),
    )


def renamed(spec: SegmentSpec, old: str, new: str) -> SegmentSpec:
    return attrs.evolve(spec, name=spec.name.replace(old, new), qualifier=None)


def not_qualified(*codes: str) -> Callable[[SegmentSpec], bool]:
    """Keep a segment unless its element-1 codes are exactly one of ``codes``."""
    return lambda s: not (len(s.codes_of(1)) == 1 and s.codes_of(1)[0] in codes)


# --------------------------------------------------------------------------- header
def header_segments() -> tuple[SegmentSpec, SegmentSpec]:
    st = P.root.children[0]
    se = P.root.children[-1]
    assert isinstance(st, SegmentSpec) and isinstance(se, SegmentSpec)
    st = edit(st, elements={"ST03": {"usage": "R", "codes": (GUIDE_ID,)}})
    return st, se


# --------------------------------------------------------------------------- claim (2300)
def claim_segments() -> list[SegmentSpec]:
    clm = edit(
        seg(P, "2300", "CLM"),
        elements={
            # X224A2: CLM10 (patient signature source) is not used on dental claims.
            "CLM10": {"usage": "N", "codes": ()},
            # Special program codes of the dental guide (4010 X097A1 list; UNVERIFIED for 5010).
            "CLM12": {"codes": ("01", "02", "03", "05")},
            # CLM19: PB = predetermination of dental benefits (X097A1, X224A2).
            "CLM19": {"usage": "S", "codes": ("PB",), "name": "Predetermination of Benefits Code"},
        },
    )
    dtp = seg(P, "2300", "DTP", "439")
    dates = [
        seg(P, "2300", "DTP", "439"),  # accident
        # Orthodontic appliance placement (X097A1 max use 5).
        with_first_codes(
            edit(seg(D4, "2300", "DTP", "452"), position=dtp.position),
            ("452",),
            "Date - Appliance Placement",
        ),
        # Claim-level service date: D8 or RD8 (same element shape as the 837P line date).
        edit(seg(P, "2400", "DTP", "472"), usage="S", position=dtp.position),
        # UNVERIFIED: admission/discharge dates (hospital dentistry) come from 4010 X097A1;
        # kept situational so files that send them are read, marked here as not confirmed.
        seg(P, "2300", "DTP", "435"),
        seg(P, "2300", "DTP", "096"),
        seg(P, "2300", "DTP", "050"),  # repricer received
    ]
    dn1 = seg(D4, "2300", "DN1")
    dn1 = edit(
        dn1,
        position=1450,
        # UNVERIFIED: X224A2 uses DN104 for a yes/no orthodontic questionnaire response;
        # 4010 used DN103. Both kept situational.
        elements={"DN104": {"usage": "S"}},
    )
    dn2 = edit(seg(D4, "2300", "DN2"), position=1500)
    # PWK01 report types of the dental guide (radiographs, models, periodontal charts...).
    pwk = edit(
        seg(P, "2300", "PWK"),
        elements={
            "PWK01": {"codes": ("B4", "DA", "DG", "EB", "OZ", "P6", "RB", "RR")},
        },
    )
    refs = [
        with_first_codes(seg(P, "2300", "REF", "9F"), ("G3",), "Predetermination Identification"),
        seg(P, "2300", "REF", "4N"),
        seg(P, "2300", "REF", "F8"),
        seg(P, "2300", "REF", "9F"),
        seg(P, "2300", "REF", "G1"),
        seg(P, "2300", "REF", "9A"),
        seg(P, "2300", "REF", "9C"),
        seg(P, "2300", "REF", "D9"),
    ]
    hi = seg(P, "2300", "HI", "ABK")
    # Dental claims carry at most 4 diagnoses (SV311 points at 1-4); the HI is situational.
    hi_elements = tuple(
        e if i < 4 else el(e, usage="N", components=tuple(el(c, usage="N") for c in e.components))
        for i, e in enumerate(hi.elements)
    )
    hi = attrs.evolve(hi, usage="S", elements=hi_elements, qualifier=None)
    return [
        clm,
        *dates,
        dn1,
        dn2,
        pwk,
        seg(P, "2300", "CN1"),
        seg(P, "2300", "AMT", "F5"),
        *refs,
        seg(P, "2300", "K3"),
        seg(P, "2300", "NTE", "ADD"),
        hi,
        seg(P, "2300", "HCP"),
    ]


def provider_loops_2310() -> list[LoopSpec]:
    prv_pe = seg(P, "2310B", "PRV", "PE")
    referring = copy_loop(
        P,
        "2310A",
        loops=(),
    )
    # 2310A carries the referring provider's taxonomy (PRV01 = RF) between NM1 and REF.
    ref_children = referring.children
    referring = attrs.evolve(
        referring,
        children=(
            ref_children[0],
            with_first_codes(prv_pe, ("RF",), "Referring Provider Specialty Information"),
            *ref_children[1:],
        ),
    )
    rendering = copy_loop(P, "2310B")
    # UNVERIFIED: the dental 2310C has no PER (the 837P one does); it is kept situational.
    facility = copy_loop(P, "2310C")
    assistant = copy_loop(
        P,
        "2310B",
        new_id="2310D",
        name="Assistant Surgeon Name",
        rename=lambda s: _assistant(s),
    )
    supervising = copy_loop(P, "2310D", new_id="2310E")
    return [referring, rendering, facility, assistant, supervising]


def _assistant(s: SegmentSpec) -> SegmentSpec:
    """A rendering-provider segment turned into its assistant-surgeon twin (NM1*DD, PRV*AS)."""
    if s.id == "NM1":
        return with_first_codes(s, ("DD",), "Assistant Surgeon Name")
    if s.id == "PRV":
        return with_first_codes(s, ("AS",), "Assistant Surgeon Specialty Information")
    return renamed(s, "Rendering Provider", "Assistant Surgeon")


def other_payer_loop() -> LoopSpec:
    # 2330B gains the other payer's predetermination number (REF*G3).
    b = P.loop("2330B")
    b_children: list[Child] = []
    for c in b.children:
        b_children.append(c)
        if isinstance(c, SegmentSpec) and c.id == "REF" and c.codes_of(1) == ("T4",):
            b_children.append(
                with_first_codes(c, ("G3",), "Other Payer Predetermination Identification")
            )
    loop_b = attrs.evolve(b, children=tuple(b_children))
    pos = P.loop("2330A").position

    def moved(src: str, new_id: str) -> LoopSpec:
        return attrs.evolve(P.loop(src), id=new_id, position=pos)

    assistant = attrs.evolve(
        P.loop("2330D"),
        id="2330H",
        name="Other Payer Assistant Surgeon",
        position=pos,
        children=tuple(
            with_first_codes(c, ("DD",), "Other Payer Assistant Surgeon")
            if isinstance(c, SegmentSpec) and c.id == "NM1"
            else renamed(c, "Rendering Provider", "Assistant Surgeon")
            if isinstance(c, SegmentSpec)
            else c
            for c in P.loop("2330D").children
        ),
    )
    loops = [
        P.loop("2330A"),
        loop_b,
        moved("2330C", "2330C"),  # referring
        moved("2330D", "2330D"),  # rendering
        moved("2330F", "2330E"),  # supervising
        moved("2330G", "2330F"),  # billing provider
        moved("2330E", "2330G"),  # service facility location
        assistant,
    ]
    return copy_loop(P, "2320", loops=loops)


# --------------------------------------------------------------------------- line (2400)
def line_loop() -> LoopSpec:
    sv3 = seg(D4, "2400", "SV3")
    pointer = ElementSpec("SV311-01", "Diagnosis Code Pointer", "R", "N0", 1, 2, data_ele="1328")
    sv3 = edit(
        sv3,
        position=3800,
        elements={
            # 5010 allows a procedure description (X224A2 SV301-7).
            "SV301-07": {"usage": "S"},
            # UNVERIFIED: X097A1 required the procedure count; kept situational for 5010.
            "SV306": {"usage": "S"},
            # 5010 added the diagnosis code pointers (C004, up to 4).
            "SV311": {
                "usage": "S",
                "components": (
                    pointer,
                    *(el(pointer, ref=f"SV311-0{k}", usage="S") for k in range(2, 5)),
                ),
            },
        },
    )
    too = edit(seg(D4, "2400", "TOO"), position=3820)
    line_472 = edit(seg(P, "2400", "DTP", "472"), usage="S")
    dtp_pos = line_472.position

    def dental_date(code: str, name: str, src: SegmentSpec | None = None) -> SegmentSpec:
        base = src if src is not None else seg(D4, "2400", "DTP", "441")
        return with_first_codes(edit(base, position=dtp_pos, max_use=1), (code,), name)

    dates = [
        line_472,
        dental_date("441", "Date - Prior Placement", seg(D4, "2400", "DTP", "441")),
        dental_date("452", "Date - Appliance Placement", seg(D4, "2400", "DTP", "452")),
        dental_date("446", "Date - Replacement", seg(D4, "2400", "DTP", "446")),
        # 5010 additions (orthodontic treatment start/completion, qualifiers 196/198).
        dental_date("196", "Date - Treatment Start"),
        dental_date("198", "Date - Treatment Completion"),
    ]
    # UNVERIFIED: anesthesia quantity and line note are X097A1 segments; kept situational.
    qty = edit(seg(D4, "2400", "QTY"), position=4600, max_use=5)
    g1 = seg(P, "2400", "REF", "G1")
    refs = [
        with_first_codes(g1, ("G3",), "Service Predetermination Identification"),
        g1,
        seg(P, "2400", "REF", "6R"),
        seg(P, "2400", "REF", "9B"),
        seg(P, "2400", "REF", "9D"),
        seg(P, "2400", "REF", "9F"),
    ]
    rendering = copy_loop(P, "2420A")
    assistant = copy_loop(
        P,
        "2420A",
        new_id="2420B",
        name="Assistant Surgeon Name",
        rename=lambda s: _assistant(s),
    )
    supervising = copy_loop(P, "2420D", new_id="2420C")
    # UNVERIFIED: N3/N4 of the line service facility are kept situational.
    facility = copy_loop(
        P,
        "2420C",
        new_id="2420D",
        rename=lambda s: edit(s, usage="S") if s.id in ("N3", "N4") else s,
    )
    adjudication = copy_loop(
        P,
        "2430",
        # Dental line adjudication names a CDT code: SVD03-1 = AD.
        rename=lambda s: edit(s, elements={"SVD03-01": {"codes": ("AD",)}}) if s.id == "SVD" else s,
    )
    return loop(
        "2400",
        "Service Line Number",
        "R",
        50,
        P.loop("2400").position,
        [
            seg(P, "2400", "LX"),
            sv3,
            too,
            *dates,
            qty,
            seg(P, "2400", "CN1"),
            *refs,
            seg(P, "2400", "AMT", "T"),
            seg(P, "2400", "K3"),
            seg(P, "2400", "NTE", "ADD"),
            seg(P, "2400", "HCP"),
            rendering,
            assistant,
            supervising,
            facility,
            adjudication,
        ],
    )


def claim_loop(usage: str) -> LoopSpec:
    src = P.loop("2300")
    return loop(
        "2300",
        src.name,
        usage,
        src.max_use,
        src.position,
        [*claim_segments(), *provider_loops_2310(), other_payer_loop(), line_loop()],
    )


# --------------------------------------------------------------------------- levels
def build() -> Guide:
    st, se = header_segments()
    header = P.loop("HEADER")
    patient_level = copy_loop(
        I,
        "2000C",
        position=P.loop("2000C").position,
        loops=(I.loop("2010CA"), claim_loop("R")),
    )
    subscriber_level = copy_loop(
        I,
        "2000B",
        position=P.loop("2000B").position,
        loops=(I.loop("2010BA"), I.loop("2010BB"), claim_loop("S"), patient_level),
    )
    p2000a = P.loop("2000A")
    billing = attrs.evolve(
        p2000a,
        children=tuple(
            subscriber_level if isinstance(c, LoopSpec) and c.id == "2000B" else c
            for c in p2000a.children
        ),
    )
    detail = attrs.evolve(P.loop("DETAIL"), children=(billing,))
    footer = P.loop("FOOTER")
    root = attrs.evolve(P.root, children=(st, header, detail, footer, se))
    root = gen.with_qualifiers(root, gen.qualifiers(root))
    return Guide(GUIDE_ID, "837", "HIPAA Health Care Claim: Dental X224A2-837", root)


DOC = '''"""The 837 Dental guide (005010X224A2) as data.

pyx12 ships no X224A2 map; this table is assembled by ``tools/gen_guide_x224a2.py``:

* loops the 5010 837 guides share come from the generated 837P table (``guide_x222a1``,
  pyx12's X222A1 map), the subscriber and patient levels (2000B-2010CA) from the 837I table
  (``guide_x223a2``);
* the dental segments (SV3, TOO, DN1, DN2, the DTP qualifiers 441, 446 and 452, QTY) take their
  elements, codes and lengths from pyx12's 4010 dental map (``837.4010.X097.A1.xml``), with the
  5010 changes (SV311 diagnosis pointers, SV301-7, treatment start/completion dates 196/198,
  the 5010 loops 2310E, 2330C-H and 2420D) made in the script, each one commented there;
* loop names, usages and max uses follow the X224A2 table of contents. Where a 5010 detail
  could not be confirmed the script marks it situational (its ``# UNVERIFIED`` comments:
  admission/discharge dates, DN103/DN104, SV306, QTY, the line NTE, 2420D N3/N4), so the
  table errs towards reading a file rather than rejecting a valid one.

A test (``tests/edi837/test_dental_guide.py``) checks every loop this table shares with the
837P table against it (trigger qualifiers, HL levels, usages, nesting).

Fields in order: ``ElementSpec(ref, name, usage, data_type, min_len, max_len)``,
``SegmentSpec(id, name, usage, max_use, position)``, ``LoopSpec(id, name, usage,
max_use, position)``; ``None`` as max use is the guide's ">1".
"""'''


def render(guide: Guide) -> str:
    module = gen.Module()
    root_name = module.loop(guide.root)
    head = [
        "# Generated by tools/gen_guide_x224a2.py from the X222A1/X223A2 tables and pyx12's",
        "# 4010 dental map; do not edit.",
        DOC,
        "",
        "from x12.guide import ElementSpec, Guide, LoopSpec, SegmentSpec",
        "",
        '__all__ = ["GUIDE"]',
        "",
    ]
    guide_code = gen.Code(
        "Guide(",
        [
            gen.atom(guide.id),
            gen.atom(guide.transaction),
            gen.atom(guide.name),
            gen.Code(root_name, atom=True),
        ],
    )
    body = [*module.blocks, "\n".join(guide_code.lines(0, prefix="GUIDE: Guide = "))]
    return "\n".join(head) + "\n" + "\n\n".join(body) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare, exit 1 if stale")
    args = parser.parse_args(argv)
    path = ROOT / OUT
    text = render(build())
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if current == text:
        return 0
    if args.check:
        print(f"stale: {path}")
        return 1
    path.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
