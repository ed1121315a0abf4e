"""Regenerate the shipped JSON Schemas (src/models/schemas/*.schema.json) from the models.

Run: PYTHONPATH=src python tools/gen_json_schema.py          (writes the files)
     PYTHONPATH=src python tools/gen_json_schema.py --check  (exit 1 when a file is stale)

The output is deterministic: running it again reproduces the files byte for byte.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from models.schema import SCHEMA_FILES, schema_text  # noqa: E402

OUT = HERE.parent / "src" / "models" / "schemas"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the files are current")
    args = parser.parse_args(argv)
    stale = []
    for name in SCHEMA_FILES:
        path = OUT / name
        text = schema_text(name)
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(name)
        else:
            OUT.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            print(f"wrote {path.relative_to(HERE.parent)}")
    if stale:
        print("stale: " + ", ".join(stale) + " (run tools/gen_json_schema.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
