#!/usr/bin/env python3
"""Write engine/common/unicode_normalization_data.inc: the Unicode data behind normalize_utf8()
(engine/common/unicode_normalization.cpp), taken from Python's own `unicodedata` (standard library only).

Regenerate (from the repository root) with a Python whose unicodedata is Unicode 14.0.0 (Python 3.11):

    python3 tests/make_unicode_tables.py engine/common/unicode_normalization_data.inc

The tables (all sorted, searched by binary search; Hangul syllables are left out, they are algorithmic):

  k_combining_class_ranges   {first, last, ccc}: runs of code points with the same non-zero canonical
                             combining class
  k_decompositions           one 64-bit word per code point with a decomposition mapping (UnicodeData.txt
                             field 5, one level: the C++ applies it recursively):
                               bits 32..52  the code point
                               bit  31      compatibility mapping (<font>, <compat>, ...): NFKD/NFKC only
                               bits 24..28  length of the mapping (1..18)
                               bits  0..20  length 1: the code point it maps to; else the offset of the
                                            mapping in k_decomposition_code_points
  k_decomposition_code_points  the mappings of two or more code points, back to back
  k_compositions             {first, second, composite}: the canonical pairs NFC composes (canonical mappings
                             of two code points whose composite unicodedata.normalize('NFC') keeps: no
                             singletons, non-starter decompositions or composition exclusions), sorted by
                             (first, second)
  k_block_bitmaps            for each block of 256 code points (up to the last with data), which of
  k_data_bitmaps             k_data_bitmaps (256 bits: 4 words, bit c % 64 of word c / 64 % 4) says which code
                             points of the block have data: a non-zero combining class, a decomposition, or
                             being the second of a composition pair (Hangul syllables and vowel and trailing
                             jamo included). A code point without is a starter that normalization leaves
                             alone and that composes with nothing before it: most text takes no other lookup.
                             Bitmap 0 is all clear.
  k_not_in_unicode_9         code points with normalization data in Unicode 14.0 that Hugging Face
                             `tokenizers` does not know: its normalizers (Rust crate
                             unicode-normalization-alignments 0.1.12) have Unicode 9.0.0 tables, so it treats
                             these as unassigned (combining class 0, no decomposition, never composed).
                             tokenizer.json's normalizers must give what `tokenizers` gives, so Hearth's
                             tokenizer normalizes with UnicodeVersion::v9_0, which ignores these.

NOT_IN_UNICODE_9 below was measured with `tokenizers` 0.23.3 (tests/requirements-tokenizer.txt): every code
point normalized alone in all four forms, every non-zero combining class put next to a mark it must be
reordered with, and every canonical pair composed, compared with unicodedata. Repeat the measurement with

    /tmp/tokvenv/bin/python tests/make_unicode_tables.py --check-tokenizers

(fails, printing the measured list, when it differs). tests/make_unicode_golden.py records what `tokenizers`
gives on the golden cases where it differs, and test_unicode_normalization checks v9_0 against it.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

UNICODE_VERSION = "14.0.0"

# Measured, see the docstring. Ranges of code points (hex), inclusive.
NOT_IN_UNICODE_9 = """
07FD 0898-089F 08CA-08D3 09FE 0C3C 0D3B-0D3C 0EBA 1715 1ABF-1ACE 1DF6-1DFA 32FF A7F2-A7F4 A82C AB69
10781-10785 10787-107B0 107B2-107BA 10D24-10D27 10EAB-10EAC 10F46-10F50 10F82-10F85 11070 1133B 1145E
11839-1183A 11938 1193D-1193E 11943 119E0 11A34 11A47 11A99 11D42 11D44-11D45 11D97 16FF0-16FF1
1E130-1E136 1E2AE 1E2EC-1E2EF 1F16C 1FBF0-1FBF9
"""

S_BASE, S_COUNT = 0xAC00, 11172


def code_points():
    """Every code point except surrogates and Hangul syllables."""
    for c in range(0x110000):
        if 0xD800 <= c <= 0xDFFF or S_BASE <= c < S_BASE + S_COUNT:
            continue
        yield c


def mapping_of(c: int) -> tuple[bool, list[int]] | None:
    """UnicodeData.txt's decomposition mapping of c: (is a compatibility mapping, code points), or None."""
    field = unicodedata.decomposition(chr(c))
    if not field:
        return None
    parts = field.split()
    compat = parts[0].startswith("<")
    return compat, [int(p, 16) for p in (parts[1:] if compat else parts)]


def parse_ranges(text: str) -> list[tuple[int, int]]:
    ranges = []
    for item in text.split():
        first, _, last = item.partition("-")
        ranges.append((int(first, 16), int(last or first, 16)))
    return sorted(ranges)


def as_ranges(points) -> list[tuple[int, int]]:
    ranges: list[list[int]] = []
    for c in sorted(points):
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return [(a, b) for a, b in ranges]


def format_ranges(ranges) -> str:
    return " ".join(f"{a:04X}" if a == b else f"{a:04X}-{b:04X}" for a, b in ranges)


def build() -> dict:
    ccc_ranges: list[list[int]] = []
    decompositions = []  # (code point, compat, mapping)
    for c in code_points():
        ccc = unicodedata.combining(chr(c))
        if ccc:
            if ccc_ranges and ccc_ranges[-1][1] == c - 1 and ccc_ranges[-1][2] == ccc:
                ccc_ranges[-1][1] = c
            else:
                ccc_ranges.append([c, c, ccc])
        m = mapping_of(c)
        if m:
            decompositions.append((c, m[0], m[1]))

    compositions = []
    for c, compat, mapping in decompositions:
        if compat or len(mapping) != 2:
            continue
        kept = unicodedata.normalize("NFC", chr(c)) == chr(c)
        composed = unicodedata.normalize("NFC", chr(mapping[0]) + chr(mapping[1])) == chr(c)
        assert kept == composed, f"U+{c:04X}: NFC keeps it ({kept}) but does not compose its pair ({composed})"
        if kept:
            compositions.append((mapping[0], mapping[1], c))
    compositions.sort()

    # Code points normalization must look at; a bitmap of them per block of 256.
    with_data = set()
    for first, last, _ in ccc_ranges:
        with_data.update(range(first, last + 1))
    with_data.update(c for c, _, _ in decompositions)
    with_data.update(second for _, second, _ in compositions)
    with_data.update(range(0x1161, 0x1176))  # Hangul vowel jamo: seconds of L + V
    with_data.update(range(0x11A8, 0x11C3))  # trailing jamo: seconds of LV + T
    with_data.update(range(S_BASE, S_BASE + S_COUNT))
    bitmaps = [(0, 0, 0, 0)]
    block_bitmaps = [0] * ((max(with_data) >> 8) + 1)
    for block in range(len(block_bitmaps)):
        words = tuple(
            sum(1 << bit for bit in range(64) if (block << 8) + word * 64 + bit in with_data) for word in range(4)
        )
        if words not in bitmaps:
            bitmaps.append(words)
        block_bitmaps[block] = bitmaps.index(words)
    assert len(bitmaps) <= 256

    return {"ccc": ccc_ranges, "decompositions": decompositions, "compositions": compositions,
            "block_bitmaps": block_bitmaps, "bitmaps": bitmaps, "not_in_9": parse_ranges(NOT_IN_UNICODE_9)}


def check_not_in_unicode_9(tables: dict) -> None:
    """Every listed code point has normalization data here (so the list names nothing by mistake)."""
    decomposed = {c for c, _, _ in tables["decompositions"]}
    for first, last in tables["not_in_9"]:
        for c in range(first, last + 1):
            assert unicodedata.combining(chr(c)) or c in decomposed, f"U+{c:04X} in NOT_IN_UNICODE_9 has no normalization data"


def wrap(items: list[str], indent: str = "    ", width: int = 118) -> str:
    lines, line = [], indent
    for item in items:
        if len(line) + len(item) + 1 > width and line.strip():
            lines.append(line.rstrip())
            line = indent
        line += item + " "
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)


def render(tables: dict) -> str:
    pool: list[int] = []
    words = []
    for c, compat, mapping in tables["decompositions"]:
        assert 1 <= len(mapping) < 32
        if len(mapping) == 1:
            payload = mapping[0]
        else:
            payload = len(pool)
            pool.extend(mapping)
        assert payload < (1 << 21)
        words.append((c << 32) | (int(compat) << 31) | (len(mapping) << 24) | payload)
    assert words == sorted(words)
    firsts = [s for _, s, _ in tables["compositions"]]

    out = [
        "// Generated by tests/make_unicode_tables.py from Python's unicodedata (Unicode "
        f"{unicodedata.unidata_version}). Do not edit:",
        "// regenerate with `python3 tests/make_unicode_tables.py engine/common/unicode_normalization_data.inc`.",
        "// Included by engine/common/unicode_normalization.cpp, which defines the element types; the script's",
        "// docstring describes each table and the bit layout of k_decompositions.",
        "",
        f"// {len(tables['ccc'])} ranges, {sum(b - a + 1 for a, b, _ in tables['ccc'])} code points",
        "constexpr CombiningClassRange k_combining_class_ranges[] = {",
        wrap([f"{{0x{a:04X}, 0x{b:04X}, {k}}}," for a, b, k in tables["ccc"]]),
        "};",
        "",
        f"// {len(words)} code points ({sum(1 for _, compat, _ in tables['decompositions'] if not compat)} canonical)",
        "constexpr std::uint64_t k_decompositions[] = {",
        wrap([f"0x{w:X}," for w in words]),
        "};",
        "",
        f"constexpr char32_t k_decomposition_code_points[] = {{  // {len(pool)}",
        wrap([f"0x{c:X}," for c in pool]),
        "};",
        "",
        f"// {len(tables['compositions'])} pairs; the smallest second is U+{min(firsts):04X}",
        f"constexpr char32_t k_first_composition_second = 0x{min(firsts):04X};",
        "constexpr Composition k_compositions[] = {",
        wrap([f"{{0x{a:04X}, 0x{b:04X}, 0x{c:04X}}}," for a, b, c in tables["compositions"]]),
        "};",
        "",
        f"// {len(tables['block_bitmaps'])} blocks, {len(tables['bitmaps'])} distinct bitmaps",
        "constexpr std::uint8_t k_block_bitmaps[] = {",
        wrap([f"{b}," for b in tables["block_bitmaps"]]),
        "};",
        "constexpr std::uint64_t k_data_bitmaps[][4] = {",
        wrap([f"{{0x{a:X}, 0x{b:X}, 0x{c:X}, 0x{d:X}}}," for a, b, c, d in tables["bitmaps"]]),
        "};",
        "",
        "constexpr CodePointRange k_not_in_unicode_9[] = {",
        wrap([f"{{0x{a:04X}, 0x{b:04X}}}," for a, b in tables["not_in_9"]]),
        "};",
        "",
    ]
    return "\n".join(out)


def measure_tokenizers() -> list[tuple[int, int]]:
    """Code points whose normalization in `tokenizers` differs from unicodedata's (see the docstring)."""
    from tokenizers import normalizers

    forms = {f: getattr(normalizers, f)() for f in ("NFC", "NFKC", "NFD", "NFKD")}
    differ = set()
    for c in range(0x110000):
        if 0xD800 <= c <= 0xDFFF:
            continue
        s = chr(c)
        if any(unicodedata.normalize(f, s) != n.normalize_str(s) for f, n in forms.items()):
            differ.add(c)
        ccc = unicodedata.combining(s)
        if ccc:
            # A mark it must move past: U+0345 (class 240) before it, or U+0301 (230) after one of class 240.
            probe = "a\u0345" + s if ccc < 240 else "a" + s + "\u0301"
            if unicodedata.normalize("NFD", probe) != forms["NFD"].normalize_str(probe):
                differ.add(c)
        m = mapping_of(c)
        if m and not m[0] and len(m[1]) == 2:
            pair = chr(m[1][0]) + chr(m[1][1])
            if unicodedata.normalize("NFC", pair) != forms["NFC"].normalize_str(pair):
                differ.add(c)
    return as_ranges(differ)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, nargs="?", help="the .inc file to write")
    parser.add_argument("--check-tokenizers", action="store_true",
                        help="measure NOT_IN_UNICODE_9 again with the `tokenizers` package and compare")
    args = parser.parse_args()
    if unicodedata.unidata_version != UNICODE_VERSION:
        print(f"unicodedata is Unicode {unicodedata.unidata_version}; the tables are {UNICODE_VERSION} "
              "(use Python 3.11, or change UNICODE_VERSION and re-measure NOT_IN_UNICODE_9)", file=sys.stderr)
        return 1
    tables = build()
    check_not_in_unicode_9(tables)
    if args.check_tokenizers:
        measured = measure_tokenizers()
        if measured != tables["not_in_9"]:
            print("NOT_IN_UNICODE_9 differs from the measurement; measured:\n" + format_ranges(measured), file=sys.stderr)
            return 1
        print(f"NOT_IN_UNICODE_9 matches `tokenizers` ({sum(b - a + 1 for a, b in measured)} code points)")
    if args.out:
        text = render(tables)
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
