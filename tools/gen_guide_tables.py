"""Generate the implementation guides as Python tables from pyx12's XML maps.

    python tools/gen_guide_tables.py [--out DIR] [--check]

Reads the transaction set part (``ST`` .. ``SE``) of pyx12's maps with lxml, the element types
and lengths from its ``dataele.xml``, and writes one module per guide (a plain literal build of
:mod:`x12.guide` objects) under ``src/`` (or ``DIR``). The maps are data read at generation time;
nothing of pyx12's code is used. Running it again reproduces the files byte for byte; ``--check``
only says whether the files on disk are up to date (exit 1 when not).

The qualifier of a segment (which element tells ``NM1*85`` from ``NM1*87``) is derived from the
maps' code lists: for a segment id used more than once in a guide (in distinct ways), the first
of element 1 (or its first component when it is a composite), element 2 and element 3 that
every use of the id requires with a closed code list (``NM101``, ``REF01``, ``HL03``...).
"""

from __future__ import annotations

import argparse
import pathlib
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from lxml import etree

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from x12.guide import ElementSpec, Guide, LoopSpec, SegmentSpec  # noqa: E402

LINE_LENGTH = 100
INDENT = "    "


class Target:
    """One generated module: which map, which guide id, where it goes, what it says."""

    def __init__(self, map_file: str, guide_id: str, transaction: str, path: str, doc: str) -> None:
        self.map_file = map_file
        self.guide_id = guide_id
        self.transaction = transaction
        self.path = path
        self.doc = doc


TARGETS = (
    Target(
        "837.5010.X222.A1.xml",
        "005010X222A1",
        "837",
        "src/edi837/guide_x222a1.py",
        "The 837 Professional guide (005010X222A1) as data.",
    ),
    Target(
        "837Q3.I.5010.X223.A1.xml",
        "005010X223A2",
        "837",
        "src/edi837/guide_x223a2.py",
        "The 837 Institutional guide (005010X223A2) as data.\n\n"
        "pyx12 ships no X223A2 map of its own: this table is generated from its X223.A1 map\n"
        "(``837Q3.I.5010.X223.A1.xml``, whose title names 005010X223A2). Where the A2 errata\n"
        "changed the guide and pyx12's map did not follow, this table does not either.",
    ),
    Target(
        "835.5010.X221.A1.xml",
        "005010X221A1",
        "835",
        "src/edi835/guide_x221a1.py",
        "The 835 Health Care Claim Payment/Advice guide (005010X221A1) as data.",
    ),
    Target(
        "999.5010X231.A1.xml",
        "005010X231A1",
        "999",
        "src/x12/guide_x231a1.py",
        "The 999 Implementation Acknowledgment guide (005010X231A1) as data.",
    ),
    Target(
        "277.5010.X214.xml",
        "005010X214",
        "277",
        "src/x12/guide_x214.py",
        "The 277CA Health Care Claim Acknowledgment guide (005010X214) as data.",
    ),
)


def map_dir() -> pathlib.Path:
    import pyx12

    return pathlib.Path(pyx12.__file__).resolve().parent / "map"


def pyx12_version() -> str:
    import pyx12

    return str(getattr(pyx12, "__version__", "unknown"))


# --- reading the maps -----------------------------------------------------------------------

DataEle = dict[str, tuple[str, int, int]]


def read_dataele(path: pathlib.Path) -> DataEle:
    tree = etree.parse(str(path))
    out: DataEle = {}
    for node in tree.getroot().iter("data_ele"):
        out[node.get("ele_num")] = (
            node.get("data_type") or "",
            int(node.get("min_len") or 0),
            int(node.get("max_len") or 0),
        )
    return out


def _text(node: Any, tag: str, default: str = "") -> str:
    value = node.findtext(tag)
    return value.strip() if value is not None else default


def _max(value: str) -> int | None:
    return None if value.startswith(">") else int(value)


def read_element(node: Any, dataele: DataEle, seg_id: str) -> ElementSpec:
    data_ele = _text(node, "data_ele")
    # pyx12's 999 and 277 maps leave some composites without an xid: name them by position.
    ref = node.get("xid") or f"{seg_id}{int(_text(node, 'seq', '0')):02d}"
    repeat_text = _text(node, "repeat", "1")
    if not repeat_text.isdigit():
        raise SystemExit(f"{ref}: element repeat {repeat_text!r} is not a number")
    if node.tag == "composite":
        components = tuple(read_element(c, dataele, ref) for c in node.findall("element"))
        return ElementSpec(
            ref,
            _text(node, "name"),
            _text(node, "usage"),
            "",
            0,
            0,
            repeat=int(repeat_text),
            components=components,
            data_ele=data_ele,
        )
    data_type, min_len, max_len = dataele.get(data_ele, ("", 0, 0))
    valid = node.find("valid_codes")
    codes: tuple[str, ...] = ()
    external = None
    if valid is not None:
        codes = tuple((c.text or "").strip() for c in valid.findall("code"))
        external = valid.get("external")
    return ElementSpec(
        ref,
        _text(node, "name"),
        _text(node, "usage"),
        data_type,
        min_len,
        max_len,
        codes=codes,
        external=external,
        repeat=int(repeat_text),
        data_ele=data_ele,
    )


def _syntax(rule: str) -> tuple[str, tuple[int, ...]]:
    body = rule[1:]
    return rule[0], tuple(int(body[i : i + 2]) for i in range(0, len(body), 2))


def read_segment(node: Any, dataele: DataEle) -> SegmentSpec:
    return SegmentSpec(
        node.get("xid"),
        _text(node, "name"),
        _text(node, "usage"),
        _max(_text(node, "max_use")),
        int(_text(node, "pos")),
        elements=tuple(
            read_element(c, dataele, node.get("xid"))
            for c in node
            if c.tag in ("element", "composite")
        ),
        syntax=tuple(_syntax((s.text or "").strip()) for s in node.findall("syntax")),
    )


def read_loop(node: Any, dataele: DataEle) -> LoopSpec:
    children: list[SegmentSpec | LoopSpec] = []
    for child in node:
        if child.tag == "segment":
            children.append(read_segment(child, dataele))
        elif child.tag == "loop":
            children.append(read_loop(child, dataele))
    return LoopSpec(
        node.get("xid"),
        _text(node, "name"),
        _text(node, "usage"),
        _max(_text(node, "repeat")),
        int(_text(node, "pos")),
        children=tuple(children),
        wrapper=node.get("type") == "wrapper",
    )


def _segments(loop: LoopSpec) -> Iterator[SegmentSpec]:
    for child in loop.children:
        if isinstance(child, LoopSpec):
            yield from _segments(child)
        else:
            yield child


def _keyed_at(spec: SegmentSpec, position: tuple[int, int]) -> bool:
    """Whether ``spec`` has a required element with a closed code list at ``position``."""
    element = spec.element(*position)
    if element is None or not element.codes:
        return False
    outer = spec.element(position[0])
    return element.usage == "R" and outer is not None and outer.usage == "R"


def qualifiers(root: LoopSpec) -> dict[str, tuple[int, int]]:
    """Where each repeated segment id of the guide carries its qualifier."""
    by_id: dict[str, list[SegmentSpec]] = {}
    # Distinct uses only: a loop that sits at two places of the guide (837 loop 2300 under
    # 2000B and 2000C) does not make its segments repeated.
    for spec in dict.fromkeys(_segments(root)):
        by_id.setdefault(spec.id, []).append(spec)
    out: dict[str, tuple[int, int]] = {}
    for seg_id, specs in by_id.items():
        if len(specs) < 2:
            continue
        first = specs[0].element(1)
        candidates = [(1, 1 if first is not None and first.components else 0), (2, 0), (3, 0)]
        for position in candidates:
            if all(_keyed_at(spec, position) for spec in specs):
                out[seg_id] = position
                break
    return out


def with_qualifiers(loop: LoopSpec, where: dict[str, tuple[int, int]]) -> LoopSpec:
    children: list[SegmentSpec | LoopSpec] = []
    for child in loop.children:
        if isinstance(child, LoopSpec):
            children.append(with_qualifiers(child, where))
        else:
            children.append(
                SegmentSpec(
                    child.id,
                    child.name,
                    child.usage,
                    child.max_use,
                    child.position,
                    elements=child.elements,
                    syntax=child.syntax,
                    qualifier=where.get(child.id),
                )
            )
    return LoopSpec(
        loop.id,
        loop.name,
        loop.usage,
        loop.max_use,
        loop.position,
        children=tuple(children),
        wrapper=loop.wrapper,
    )


def read_guide(target: Target, dataele: DataEle) -> tuple[Guide, str]:
    tree = etree.parse(str(map_dir() / target.map_file))
    root_node = tree.getroot()
    st_loop = root_node.find(".//loop[@xid='ST_LOOP']")
    if st_loop is None:
        raise SystemExit(f"{target.map_file}: no ST_LOOP")
    root = read_loop(st_loop, dataele)
    root = with_qualifiers(root, qualifiers(root))
    name = _text(root_node, "name")
    return Guide(target.guide_id, target.transaction, name, root), name


# --- writing Python -------------------------------------------------------------------------
# A tiny formatter producing what `ruff format` produces for these literals: a call or tuple
# stays on one line when it fits, otherwise it is exploded one item per line with a trailing
# comma (which ruff keeps as a "magic trailing comma").


class Code:
    """A Python expression: ``head(`` items ``)`` or an atom."""

    def __init__(self, head: str, items: Sequence[Code | str] = (), atom: bool = False) -> None:
        self.head = head
        self.items = list(items)
        self.atom = atom

    def flat(self) -> str:
        if self.atom:
            return self.head
        inner = ", ".join(i if isinstance(i, str) else i.flat() for i in self.items)
        if self.head == "(" and len(self.items) == 1:
            inner += ","
        return f"{self.head}{inner})"

    def lines(self, indent: int, prefix: str = "", suffix: str = "") -> list[str]:
        pad = INDENT * indent
        flat = f"{pad}{prefix}{self.flat()}{suffix}"
        if self.atom or len(flat) <= LINE_LENGTH or not self.items:
            return [flat]
        out = [f"{pad}{prefix}{self.head}"]
        for item in self.items:
            if isinstance(item, str):
                out.append(f"{pad}{INDENT}{item},")
            else:
                out.extend(item.lines(indent + 1, suffix=","))
        out.append(f"{pad}){suffix}")
        return out


class Kw(Code):
    """``name=value`` inside a call."""

    def __init__(self, name: str, value: Code) -> None:
        super().__init__(name)
        self.value = value

    def flat(self) -> str:
        return f"{self.head}={self.value.flat()}"

    def lines(self, indent: int, prefix: str = "", suffix: str = "") -> list[str]:
        return self.value.lines(indent, prefix=f"{prefix}{self.head}=", suffix=suffix)


def atom(value: object) -> Code:
    if isinstance(value, str):
        return Code(quote(value), atom=True)
    return Code(repr(value), atom=True)


def quote(value: str) -> str:
    if '"' in value and "'" not in value:
        return "'" + value.replace("\\", "\\\\") + "'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def tup(items: Sequence[Code]) -> Code:
    return Code("(", items)


def element_code(spec: ElementSpec) -> Code:
    items: list[Code] = [
        atom(spec.ref),
        atom(spec.name),
        atom(spec.usage),
        atom(spec.data_type),
        atom(spec.min_len),
        atom(spec.max_len),
    ]
    if spec.codes:
        items.append(Kw("codes", tup([atom(c) for c in spec.codes])))
    if spec.external is not None:
        items.append(Kw("external", atom(spec.external)))
    if spec.repeat != 1:
        items.append(Kw("repeat", atom(spec.repeat)))
    if spec.components:
        items.append(Kw("components", tup([element_code(c) for c in spec.components])))
    if spec.data_ele:
        items.append(Kw("data_ele", atom(spec.data_ele)))
    return Code("ElementSpec(", items)


def segment_code(spec: SegmentSpec) -> Code:
    items: list[Code] = [
        atom(spec.id),
        atom(spec.name),
        atom(spec.usage),
        atom(spec.max_use),
        atom(spec.position),
    ]
    if spec.elements:
        items.append(Kw("elements", tup([element_code(e) for e in spec.elements])))
    if spec.syntax:
        rules = [tup([atom(kind), tup([atom(p) for p in pos])]) for kind, pos in spec.syntax]
        items.append(Kw("syntax", tup(rules)))
    if spec.qualifier is not None:
        items.append(Kw("qualifier", tup([atom(p) for p in spec.qualifier])))
    return Code("SegmentSpec(", items)


class Module:
    """Collects one module-level variable per distinct loop, children first."""

    def __init__(self) -> None:
        self.names: dict[LoopSpec, str] = {}
        self.used: set[str] = set()
        self.blocks: list[str] = []

    def loop(self, spec: LoopSpec) -> str:
        if spec in self.names:
            return self.names[spec]
        children: list[Code] = []
        for child in spec.children:
            if isinstance(child, LoopSpec):
                children.append(Code(self.loop(child), atom=True))
            else:
                children.append(segment_code(child))
        base = "LOOP_" + "".join(ch if ch.isalnum() else "_" for ch in spec.id).upper()
        name, n = base, 1
        while name in self.used:
            n += 1
            name = f"{base}_{n}"
        self.used.add(name)
        self.names[spec] = name
        items: list[Code] = [
            atom(spec.id),
            atom(spec.name),
            atom(spec.usage),
            atom(spec.max_use),
            atom(spec.position),
        ]
        if children:
            items.append(Kw("children", tup(children)))
        if spec.wrapper:
            items.append(Kw("wrapper", atom(True)))
        self.blocks.append("\n".join(Code("LoopSpec(", items).lines(0, prefix=f"{name} = ")))
        return name


def render(target: Target, guide: Guide, map_name: str, version: str) -> str:
    module = Module()
    root_name = module.loop(guide.root)
    head = [
        f"# Generated by tools/gen_guide_tables.py from pyx12 {version} maps; do not edit.",
        '"""' + target.doc,
        "",
        f"Source: pyx12 {version} ``map/{target.map_file}`` ({map_name}), the transaction set",
        "(ST .. SE) only; element types and lengths from ``map/dataele.xml``. Each loop is a",
        "module-level ``LOOP_<id>`` variable (a loop shared by two places of the guide, e.g. an",
        "837 loop under both 2000B and 2000C, is one variable); ``GUIDE`` is the whole guide.",
        "",
        "Fields in order: ``ElementSpec(ref, name, usage, data_type, min_len, max_len)``,",
        "``SegmentSpec(id, name, usage, max_use, position)``, ``LoopSpec(id, name, usage,",
        'max_use, position)``; ``None`` as max use is the guide\'s ">1".',
        '"""',
        "",
        "from x12.guide import ElementSpec, Guide, LoopSpec, SegmentSpec",
        "",
        '__all__ = ["GUIDE"]',
        "",
    ]
    guide_code = Code(
        "Guide(",
        [atom(guide.id), atom(guide.transaction), atom(map_name), Code(root_name, atom=True)],
    )
    body = [*module.blocks, "\n".join(guide_code.lines(0, prefix="GUIDE: Guide = "))]
    return "\n".join(head) + "\n" + "\n\n".join(body) + "\n"


def generate(out_dir: pathlib.Path) -> dict[pathlib.Path, str]:
    """Render every target; returns ``{path: text}`` (paths under ``out_dir``)."""
    dataele = read_dataele(map_dir() / "dataele.xml")
    version = pyx12_version()
    result: dict[pathlib.Path, str] = {}
    for target in TARGETS:
        guide, map_name = read_guide(target, dataele)
        result[out_dir / target.path] = render(target, guide, map_name, version)
    return result


def main(argv: Sequence[str] | None = None, write: Callable[[str], object] = print) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=ROOT, help="repository root")
    parser.add_argument("--check", action="store_true", help="only compare, exit 1 if stale")
    args = parser.parse_args(argv)
    stale = 0
    for path, text in generate(args.out).items():
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        stale += 1
        if args.check:
            write(f"stale: {path}")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            write(f"wrote {path}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
