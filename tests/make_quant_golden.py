#!/usr/bin/env python3
"""Write golden rows for the CPU row kernels (engine/backend/cpu/quant/), using the PyPI `gguf` package.

`gguf.quants.dequantize` (maintained with llama.cpp, a port of ggml's dequantize_row_*) is the oracle for
what every block of every supported weight type means. The C++ test tests/backend/test_row_kernels.cpp
checks that Hearth's dequantizers reproduce it exactly and uses the values as the reference for the dot
products.

Regenerate (from the repository root; the venv is the one tests/make_tiny_models.sh makes next to the
models it writes, with the pinned gguf and numpy of tests/requirements-fixtures.txt):

    tests/make_tiny_models.sh build/fixtures/models
    build/fixtures/fixtures-venv/bin/python tests/make_quant_golden.py --out tests/data/golden/quant

The output is deterministic (numpy's PCG64 stream, fixed seed), so regenerating with the same pins gives
byte-identical files.

Data: per type a few rows of random blocks. Raw random bytes are what a dequantizer must handle (every bit
pattern of the packed quants and 6-bit scales), but random f16 scale fields would be NaN/Inf now and then,
so those are replaced by finite values of either sign spread over five decades, with one f16 subnormal
scale per row to catch a sloppy f16 conversion. For the types gguf can quantize (Q4_0 … Q8_0) row 0 is a
real quantized row instead. Row lengths span several blocks and are not powers of two.

One file per type, OUT/<TYPE>.bin, little-endian:

    char[8]  magic "HQGOLD01"
    u32      ggml type id
    u32      n_rows
    u32      n_per_row          elements per row
    u32      row_bytes
    u8       rows[n_rows * row_bytes]          the raw rows, as a GGUF file stores them
    f32      values[n_rows * n_per_row]        gguf.quants.dequantize of those rows

and OUT/manifest.json with the package versions, the seed and each file's sha256.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import struct
from pathlib import Path

import numpy as np
from gguf import quants
from gguf.constants import GGML_QUANT_SIZES, GGMLQuantizationType as T

SEED = 20250214
MAGIC = b"HQGOLD01"

# Byte offsets of the f16 scale fields inside one block (from the block layouts gguf's dequantizers split).
F16_FIELDS = {
    T.Q4_0: [0],          # d
    T.Q4_1: [0, 2],       # d, m
    T.Q5_0: [0],          # d
    T.Q5_1: [0, 2],       # d, m
    T.Q8_0: [0],          # d
    T.Q2_K: [80, 82],     # d, dmin (after scales[16], qs[64])
    T.Q3_K: [108],        # d (after hmask[32], qs[64], scales[12])
    T.Q4_K: [0, 2],       # d, dmin
    T.Q5_K: [0, 2],       # d, dmin
    T.Q6_K: [208],        # d (after ql[128], qh[64], scales[16])
}
LEGACY = [T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1, T.Q8_0]
K_TYPES = [T.Q2_K, T.Q3_K, T.Q4_K, T.Q5_K, T.Q6_K]


def sane_f16(rng: np.random.Generator, count: int) -> np.ndarray:
    """Finite f16 scales of either sign, |v| log-uniform in [1e-4, 1]."""
    mag = 10.0 ** rng.uniform(-4.0, 0.0, size=count)
    sign = np.where(rng.random(count) < 0.5, -1.0, 1.0)
    return (sign * mag).astype(np.float16)


def random_blocks(rng: np.random.Generator, qtype: T, n_rows: int, n_per_row: int) -> np.ndarray:
    block_elems, block_bytes = GGML_QUANT_SIZES[qtype]
    n_blocks = n_per_row // block_elems
    raw = rng.integers(0, 256, size=(n_rows, n_blocks, block_bytes), dtype=np.uint8)
    for off in F16_FIELDS[qtype]:
        scales = sane_f16(rng, n_rows * n_blocks).reshape(n_rows, n_blocks)
        scales[:, n_blocks // 2] = np.float16(3.0e-6)  # an f16 subnormal (exponent field 0)
        raw[:, :, off:off + 2] = scales.view(np.uint8).reshape(n_rows, n_blocks, 2)
    return raw.reshape(n_rows, n_blocks * block_bytes)


def make_rows(rng: np.random.Generator, qtype: T) -> tuple[np.ndarray, int]:
    if qtype == T.F32:
        n_rows, n = 3, 333
        return rng.standard_normal((n_rows, n)).astype(np.float32).view(np.uint8), n
    if qtype in (T.F16, T.BF16):
        n_rows, n = 3, 333
        bits = rng.integers(0, 1 << 16, size=(n_rows, n), dtype=np.uint16)
        # Keep every finite bit pattern (zeros and subnormals included) but no Inf/NaN exponent.
        exp_mask = np.uint16(0x7C00) if qtype == T.F16 else np.uint16(0x7F80)
        bits = np.where((bits & exp_mask) == exp_mask, bits ^ np.uint16(0x4000), bits).astype(np.uint16)
        return bits.view(np.uint8), n
    if qtype in LEGACY:
        n_rows, n = 4, 32 * 13
        raw = random_blocks(rng, qtype, n_rows, n)
        real = quants.quantize(rng.standard_normal((1, n)).astype(np.float32), qtype)
        raw[0] = real.reshape(-1)
        return raw, n
    n_rows, n = 3, 256 * 3
    return random_blocks(rng, qtype, n_rows, n), n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    rng = np.random.default_rng(SEED)
    manifest = {
        "gguf_package_version": importlib.metadata.version("gguf"),
        "numpy_version": np.__version__,
        "seed": SEED,
        "files": {},
    }
    for qtype in [T.F32, T.F16, T.BF16] + LEGACY + K_TYPES:
        raw, n = make_rows(rng, qtype)
        values = quants.dequantize(raw, qtype).astype(np.float32).reshape(raw.shape[0], n)
        assert np.isfinite(values).all(), qtype.name
        header = MAGIC + struct.pack("<4I", qtype.value, raw.shape[0], n, raw.shape[1])
        blob = header + raw.tobytes() + values.astype("<f4").tobytes()
        path = args.out / f"{qtype.name}.bin"
        path.write_bytes(blob)
        manifest["files"][path.name] = {
            "ggml_type": qtype.value,
            "rows": raw.shape[0],
            "n_per_row": n,
            "row_bytes": raw.shape[1],
            "sha256": hashlib.sha256(blob).hexdigest(),
        }
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
