#!/usr/bin/env python3
"""Write the golden file for the KV cache element conversions (engine/backend/cpu/kv_convert.*), using torch.

torch's float8_e4m3fn, float8_e5m2, float16 and bfloat16 casts are the oracle for what each code means and
for which code an f32 value rounds to. The C++ test tests/backend/test_kv_cache_types.cpp checks Hearth's
decoders against all 256 codes of each FP8 type and its encoders against the chosen inputs below, bit for
bit, with the two deliberate differences it states and checks on their own:

  - F8_E5M2: a finite value beyond the largest finite code (57344) saturates to ±57344 in Hearth; torch
    rounds it to ±inf once it reaches the rounding midpoint 61440. (±inf itself stays ±inf in both.)
  - F8_E4M3 (the "fn" variant: no infinities): ±inf becomes NaN in Hearth, so a non-finite key or value
    stays visible to the runtime's NaN/Inf guard; torch (2.15) saturates ±inf to ±448. Finite values beyond
    448 saturate to ±448 in both (older torch releases gave NaN there; the test only trusts this file).

NaN inputs are checked as "decodes to NaN", not bitwise (payloads and signs of NaN differ between torch's
casts and the F16C instruction, and none of them matter).

Regenerate (from the repository root, with any Python that has torch ≥ 2.1; the output is deterministic):

    python3 tests/make_fp8_golden.py --out tests/data/golden/kv_types.json

Layout (JSON; every float is given as its IEEE bit pattern, an unsigned integer, so NaN, ±inf, -0 and
subnormals survive):

    {"torch": version,
     "decode": {"F8_E4M3": [256 × f32 bits], "F8_E5M2": [256 × f32 bits]},   value of code 0..255
     "inputs": [N × f32 bits],
     "encode": {"F16": [N × u16], "BF16": [N × u16], "F8_E4M3": [N × u8], "F8_E5M2": [N × u8]}}
"""
import argparse
import json

import numpy as np
import torch

TYPES = {
    "F16": (torch.float16, torch.int16, 0xFFFF),
    "BF16": (torch.bfloat16, torch.int16, 0xFFFF),
    "F8_E4M3": (torch.float8_e4m3fn, torch.uint8, 0xFF),
    "F8_E5M2": (torch.float8_e5m2, torch.uint8, 0xFF),
}


def f32_bits(values):
    return [int(b) for b in np.asarray(values, dtype=np.float32).view(np.uint32)]


def decoded(torch_type, n_bits):
    codes = torch.arange(1 << n_bits, dtype=torch.int32)
    if n_bits == 8:
        raw = codes.to(torch.uint8)
    else:
        raw = codes.to(torch.int16)
    return raw.view(torch_type).to(torch.float32).numpy()


def finite_sorted(values):
    v = values[np.isfinite(values)]
    return np.unique(v.astype(np.float64))


def inputs():
    """A few hundred f32 values: the awkward places of every format, then random ones."""
    rng = np.random.default_rng(20240917)
    out = [0.0, -0.0, 1.0, -1.0, 0.5, 3.0, 1e-30, -1e-30, 1e-45, -1e-45, 1.2e-38, 1e10, -1e10, 1e30, -1e30,
           3.4028235e38, -3.4028235e38, np.inf, -np.inf, np.nan, -np.nan]
    # Every FP8 code's value, the midpoints between neighbours (ties: both even-odd and odd-even), and values
    # a hair either side of each midpoint. Covers FP8 subnormals, the normal/subnormal boundary and the top.
    for torch_type in (torch.float8_e4m3fn, torch.float8_e5m2):
        grid = finite_sorted(decoded(torch_type, 8))
        grid = grid[grid >= 0]
        mids = (grid[:-1] + grid[1:]) / 2
        picks = np.concatenate([grid[::3], mids, mids[::2] * (1 + 2.0**-20), mids[1::2] * (1 - 2.0**-20)])
        out += list(picks) + list(-picks[::5])
    # Saturation: beyond each FP8 maximum, and around its overflow midpoint.
    out += [449.0, 464.0, 470.0, 480.0, 500.0, 1000.0, -464.0, -1000.0,
            57344.0, 59392.0, 60000.0, 61439.99, 61440.0, 61441.0, 65536.0, 1e6, -61440.0, -1e6]
    # F16: subnormals, its smallest values and ties there, the top (65504, the 65520 overflow midpoint).
    h = 2.0**-24
    out += [h, h / 2, h * 1.5, h * 2.5, h / 2 * (1 + 2.0**-10), 2.0**-14, 2.0**-14 - h / 2, 65504.0, 65519.0,
            65520.0, 65536.0, -65520.0, 1.0 + 2.0**-11, 1.0 + 3 * 2.0**-11, 1.0 + 2.0**-11 + 2.0**-20]
    # BF16: ties at the 16th bit (round to even either way), its top, f32 subnormals.
    out += [1.0 + 2.0**-8, 1.0 + 3 * 2.0**-8, 1.0 + 2.0**-8 + 2.0**-23, 3.3895314e38, 3.3961776e38,
            2.0**-126, 2.0**-127, 2.0**-133 * 3, -(2.0**-140)]
    # Random values over many decades (what keys and values look like, and far beyond).
    out += list(rng.standard_normal(60) * 3)
    out += list(np.exp(rng.uniform(np.log(1e-12), np.log(1e12), 60)) * rng.choice([-1, 1], 60))
    values = np.array(out, dtype=np.float64).astype(np.float32)
    # Exact duplicates add nothing; keep the first of each bit pattern, in order.
    _, first = np.unique(values.view(np.uint32), return_index=True)
    return values[np.sort(first)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    x = inputs()
    xt = torch.from_numpy(x.copy())
    golden = {"torch": torch.__version__.split("+")[0], "decode": {}, "inputs": f32_bits(x), "encode": {}}
    for name in ("F8_E4M3", "F8_E5M2"):
        golden["decode"][name] = f32_bits(decoded(TYPES[name][0], 8))
    for name, (torch_type, raw_type, mask) in TYPES.items():
        codes = xt.to(torch_type).view(raw_type).to(torch.int64).numpy()
        golden["encode"][name] = [int(c) & mask for c in codes]

    with open(args.out, "w") as f:
        # One list per line: small, and a regenerated file diffs readably.
        f.write("{\n")
        f.write(f' "torch": {json.dumps(golden["torch"])},\n')
        f.write(' "decode": {\n')
        f.write(",\n".join(f'  "{k}": {json.dumps(v)}' for k, v in golden["decode"].items()))
        f.write("\n },\n")
        f.write(f' "inputs": {json.dumps(golden["inputs"])},\n')
        f.write(' "encode": {\n')
        f.write(",\n".join(f'  "{k}": {json.dumps(v)}' for k, v in golden["encode"].items()))
        f.write("\n }\n}\n")
    print(f"{args.out}: {len(x)} inputs")


if __name__ == "__main__":
    main()
