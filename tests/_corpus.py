"""Where the public corpus lives (../shared/corpus beside the repo) and what it holds."""

from __future__ import annotations

import csv
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_files(folder: str = "*") -> list[pathlib.Path]:
    """Sample files of the corpus (not the expected outputs), sorted; [] when absent."""
    if not CORPUS.is_dir():
        return []
    return sorted(
        p
        for p in CORPUS.glob(f"{folder}/*")
        if p.is_file() and ".expected" not in p.name and p.suffix not in (".md", ".tsv")
    )


def corpus_manifest() -> dict[str, dict[str, str]]:
    """MANIFEST.tsv rows keyed by their relative file name."""
    path = CORPUS / "MANIFEST.tsv"
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as fp:
        return {row["file"]: row for row in csv.DictReader(fp, delimiter="\t")}
