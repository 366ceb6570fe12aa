#!/usr/bin/env python3
"""Write golden JSON descriptions of GGUF files, using the PyPI `gguf` package.

The C++ GGUF reader is tested against these files: `gguf` (maintained with
llama.cpp) is the oracle for what the header, metadata and tensor table of a
file say. Only facts are recorded, no tensor data.

Regenerate (from the repository root; the venv is the one that
tests/make_tiny_models.sh makes, the same place the build's ctest uses, and
has the pinned gguf version):

    tests/make_tiny_models.sh build/fixtures/models
    build/fixtures/fixtures-venv/bin/python tests/make_gguf_golden.py \\
        $(tests/fetch_models.sh all) --out tests/data/golden

For each MODEL.gguf this writes OUT/<basename, lower case, without .gguf>.json:

    file, sha256, file_size, gguf_package_version, version, alignment,
    data_offset          absolute start of the tensor data section
    metadata             key -> {"type": GGUFValueType name, "value": v}, or for
                         arrays {"type": "ARRAY", "element_type": name,
                         "length": n, "head": first (up to) 8 items}
    tensors              in file order: name, type (GGMLQuantizationType
                         name), type_id, ne (ggml order, innermost first, as
                         stored), offset (absolute), n_elements, n_bytes

and OUT/ggml_types.json: {type name: {id, block_elements, block_bytes}} for
every type in gguf.constants.GGML_QUANT_SIZES.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import os
import re
import sys
from pathlib import Path

import gguf
from gguf.constants import GGML_QUANT_SIZES, GGUFValueType

ARRAY_HEAD = 8
REQUIREMENTS = Path(__file__).resolve().parent / "requirements-fixtures.txt"


def pinned_gguf_version() -> str | None:
    try:
        m = re.search(r"^gguf==(\S+)", REQUIREMENTS.read_text(), re.MULTILINE)
    except OSError:
        return None
    return m.group(1) if m else None


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def describe_field(field: gguf.ReaderField) -> dict:
    vtype = field.types[0]
    if vtype != GGUFValueType.ARRAY:
        return {"type": vtype.name, "value": field.contents()}
    # Arrays can be huge (262k tokens); the length and a few leading items
    # are enough to check that a reader walks them correctly.
    elem = field.types[-1] if len(field.types) > 1 else None
    out = {
        "type": "ARRAY",
        "element_type": elem.name if elem is not None else None,
        "length": len(field.data),
    }
    if len(field.types) > 2:
        # Arrays of arrays: gguf's contents() cannot slice these; record the
        # shape only. (Neither real test model has one.)
        out["head"] = []
    else:
        out["head"] = field.contents(slice(0, ARRAY_HEAD))
    return out


def describe(path: Path) -> dict:
    reader = gguf.GGUFReader(path)
    metadata = {}
    for name, field in reader.fields.items():
        # The reader exposes the header (version, counts) as pseudo-fields
        # named GGUF.*; they are not key/value pairs in the file.
        if name.startswith("GGUF."):
            continue
        metadata[name] = describe_field(field)
    tensors = [
        {
            "name": t.name,
            "type": t.tensor_type.name,
            "type_id": int(t.tensor_type),
            "ne": [int(d) for d in t.shape],
            "offset": int(t.data_offset),
            "n_elements": int(t.n_elements),
            "n_bytes": int(t.n_bytes),
        }
        for t in reader.tensors
    ]
    return {
        "file": path.name,
        "sha256": sha256(path),
        "file_size": path.stat().st_size,
        "gguf_package_version": importlib.metadata.version("gguf"),
        "version": int(reader.fields["GGUF.version"].contents()),
        "alignment": int(reader.alignment),
        "data_offset": int(reader.data_offset),
        "metadata": metadata,
        "tensors": tensors,
    }


def ggml_types() -> dict:
    return {
        qtype.name: {"id": int(qtype), "block_elements": int(block), "block_bytes": int(size)}
        for qtype, (block, size) in GGML_QUANT_SIZES.items()
    }


def write_json(path: Path, obj: object) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(obj, indent=1, sort_keys=True) + "\n")
    os.replace(tmp, path)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("models", nargs="+", type=Path, metavar="MODEL.gguf")
    ap.add_argument("--out", type=Path, required=True, help="output folder, e.g. tests/data/golden")
    args = ap.parse_args()

    have, want = importlib.metadata.version("gguf"), pinned_gguf_version()
    if want is not None and have != want:
        print(f"make_gguf_golden.py: warning: gguf {have} installed, {REQUIREMENTS.name} pins {want}",
              file=sys.stderr)

    args.out.mkdir(parents=True, exist_ok=True)
    for model in args.models:
        name = model.name.lower()
        name = name[: -len(".gguf")] if name.endswith(".gguf") else name
        dest = args.out / f"{name}.json"
        write_json(dest, describe(model))
        print(f"make_gguf_golden.py: wrote {dest}", file=sys.stderr)
    write_json(args.out / "ggml_types.json", ggml_types())
    print(f"make_gguf_golden.py: wrote {args.out / 'ggml_types.json'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
