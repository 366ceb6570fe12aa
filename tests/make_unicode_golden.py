#!/usr/bin/env python3
"""Write tests/data/golden/unicode_normalization.txt for tests/engine/test_unicode_normalization.cpp:
Unicode normalization by Python's unicodedata.normalize (Unicode 14.0.0, Python 3.11), and where they differ
by Hugging Face `tokenizers`' normalizers (Unicode 9.0.0 tables), which tokenizer.json files are run with.

Regenerate (from the repository root; `tokenizers` as pinned in tests/requirements-tokenizer.txt):

    python3 -m venv /tmp/tokvenv && /tmp/tokvenv/bin/pip install -r tests/requirements-tokenizer.txt
    /tmp/tokvenv/bin/python tests/make_unicode_golden.py tests/data/golden/unicode_normalization.txt

Layout: UAX #15's NormalizationTest.txt, one case a line,

    source;NFC;NFD;NFKC;NFKD; # comment

each field code points in hex separated by spaces. `@` lines start a section:

    @code_points    every code point that some form changes (surrogates left out), alone
    @sequences      hand-written cases (canonical reordering, composition blocked and not, Hangul LV/LVT with
                    trailing jamo, singletons, exclusions, ligatures, Korean and Vietnamese text), one case per
                    code point with a non-zero combining class that must be reordered with a mark beside it,
                    and seeded random sequences of starters, marks, jamo and compatibility characters
    @tokenizers     the cases of the sections above where `tokenizers` gives something else, with what it
                    gives (the same layout); the C++ must give these with UnicodeVersion::v9_0
"""

from __future__ import annotations

import argparse
import importlib.metadata
import random
import sys
import unicodedata
from pathlib import Path

FORMS = ("NFC", "NFD", "NFKC", "NFKD")


def hexes(s: str) -> str:
    return " ".join(f"{ord(c):04X}" for c in s)


def line(source: str, results: list[str], comment: str = "") -> str:
    fields = [hexes(source)] + [hexes(r) for r in results]
    return ";".join(fields) + ";" + (f" # {comment}" if comment else "")


def code_point_cases() -> list[tuple[str, str]]:
    cases = []
    for c in range(0x110000):
        if 0xD800 <= c <= 0xDFFF:
            continue
        s = chr(c)
        if any(unicodedata.normalize(f, s) != s for f in FORMS):
            cases.append((s, ""))
    return cases


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


HAND_WRITTEN = [
    ("e\u0301", "e + acute composes"),
    ("A\u030a", "A + ring above: U+00C5"),
    ("\u212b", "ANGSTROM SIGN: singleton to U+00C5"),
    ("\u2126", "OHM SIGN: singleton to U+03A9"),
    ("\u212a", "KELVIN SIGN: singleton to K"),
    ("A\u030a\u0301", "A + ring + acute: U+01FA"),
    ("\u00c5\u0301", "U+00C5 + acute: U+01FA"),
    ("\u1e9b\u0323", "UAX #15 example: long s with dot above + dot below"),
    ("q\u0307\u0323", "reordering: dot above (230) after dot below (220)"),
    ("q\u0323\u0307", "already in order"),
    ("\u1e0b\u0323", "d with dot above + dot below: U+1E0D U+0307"),
    ("d\u0307\u0323", "reordered, then d + dot below composes, dot above left"),
    ("a\u0301\u0301", "equal classes: the second acute is blocked"),
    ("a\u0300\u0301", "equal classes keep their order"),
    ("a\u0301\u0300", "equal classes keep their order (other way)"),
    ("a\u0316\u0317\u0301", "two below (220) then above"),
    ("a\u0328\u0301", "ogonek (202) + acute"),
    ("o\u031b\u0323", "horn (216) + dot below (220): U+1EE3"),
    ("o\u0323\u031b", "dot below before horn: reordered, U+1EE3"),
    ("u\u031b\u0309", "u horn hook above: U+1EED"),
    ("a\u0345\u0301\u0313", "Greek-style marks on a Latin letter"),
    ("\u03b1\u0313\u0301\u0345", "alpha psili oxia ypogegrammeni: U+1F84"),
    ("\u03b1\u0345\u0313\u0301", "the same, iota subscript first"),
    ("\u1f00\u0345", "U+1F00 + ypogegrammeni: U+1F80"),
    ("\u03b9\u0308\u0301", "iota dialytika tonos: U+0390"),
    ("\u0390", "U+0390"),
    ("\u0344", "COMBINING GREEK DIALYTIKA TONOS: non-starter decomposition"),
    ("a\u0344", "a + U+0344"),
    ("\u0f73", "TIBETAN VOWEL SIGN II: non-starter decomposition"),
    ("\u0f71\u0f72", "its decomposition, not recomposed"),
    ("\u0f75\u0f81", "Tibetan non-starter decompositions"),
    ("\u0958", "DEVANAGARI QA: composition exclusion"),
    ("\u0915\u093c", "its decomposition, not recomposed"),
    ("\ufb1d", "HEBREW YOD WITH HIRIQ: exclusion"),
    ("\U0001d15e", "MUSICAL SYMBOL HALF NOTE: exclusion"),
    ("\u0b47\u0b3e", "Oriya two-part vowel: starter + starter composes (U+0B4B)"),
    ("\u0b47\u0300\u0b3e", "blocked by a mark between"),
    ("\u0dd9\u0dcf\u0dca", "Sinhala: U+0DDA after composing twice"),
    ("\u1100\u1161", "Hangul L + V: LV"),
    ("\u1100\u1161\u11a8", "Hangul L + V + T: LVT"),
    ("\uac00\u11a8", "LV + T: LVT"),
    ("\uac01\u11a8", "LVT + T: no composition"),
    ("\u1100\u1161\u11a7", "U+11A7 is TBase, not a trailing consonant"),
    ("\uac00\u11a7", "LV + U+11A7: no composition"),
    ("\uac00\u11c3", "LV + U+11C3 (past the trailing range)"),
    ("\u1112\u1175\u11c2", "last syllable U+D7A3"),
    ("\u1100\u0300\u1161", "L, mark, V: blocked"),
    ("\uac00\u0300\u11a8", "LV, mark, T: blocked"),
    ("\u115f\u1161", "choseong filler is not a leading consonant"),
    ("\u1100\u1176", "U+1176 is past the vowel range"),
    ("\u1100\u1161\u1161", "L V V"),
    ("\u1100\u1100\u1161\u11a8\u11a8", "L L V T T"),
    ("\u3131\u314f", "compatibility jamo: NFKC composes to U+AC00"),
    ("\u320e", "PARENTHESIZED HANGUL KIYEOK A: a syllable inside a compatibility mapping"),
    ("\u321d", "PARENTHESIZED KOREAN CHARACTER OJEON"),
    ("\ufb01", "LATIN SMALL LIGATURE FI"),
    ("\ufb03", "LATIN SMALL LIGATURE FFI"),
    ("\ufb00\u0301", "ligature + mark"),
    ("\u01c4", "LATIN CAPITAL LETTER DZ WITH CARON"),
    ("\u01c5\u0301", "Dz with caron + acute"),
    ("\u0132", "LATIN CAPITAL LIGATURE IJ"),
    ("\ufdfa", "ARABIC LIGATURE SALLALLAHOU ALAYHE WASALLAM: 18 code points"),
    ("\ufdfa\u0651", "the ligature + shadda"),
    ("\u3300", "SQUARE APAATO"),
    ("\u33ff", "SQUARE GAL"),
    ("\u00a8\u0301", "diaeresis + acute"),
    ("\u1fed", "GREEK DIALYTIKA AND VARIA"),
    ("\u2460\u00b2\u00bd\u2122\u216b", "circled one, superscript two, one half, trade mark, roman twelve"),
    ("\uff46\uff55\uff4c\uff4c", "fullwidth letters"),
    ("\uff76\uff9e", "halfwidth katakana KA + voiced mark: NFKC U+30AC"),
    ("\u304b\u3099", "hiragana KA + combining voiced mark: U+304C"),
    ("\u30cf\u309a", "katakana HA + semi-voiced: U+30D1"),
    ("\uf900\U0002f800", "CJK compatibility ideographs: singletons"),
    ("\u0301a", "a mark before any starter"),
    ("\u0301\u0316", "marks only, out of order"),
    ("\u0301\u0316a\u0316\u0301", "marks, starter, marks"),
    ("a" + "\u0301\u0316\u0300\u0317\u0345\u031b\u0328\u0334" * 4, "a long run of marks"),
    ("\u0041\u0338\u0301", "overlay (class 1) + acute"),
    ("\u2260\u0338", "NOT EQUAL TO + long solidus overlay"),
    ("=\u0338", "= + long solidus overlay: U+2260"),
    ("\u00c7\u0301", "C cedilla + acute: U+1E08"),
    ("C\u0301\u0327", "C, acute, cedilla: reordered, U+1E08"),
    ("\u1e08", "U+1E08"),
    ("\u0041\u0308\u0304", "A diaeresis macron: U+01DE"),
    ("\u0041\u0304\u0308", "A macron diaeresis: U+0100 U+0308"),
    ("\U0001d160", "MUSICAL SYMBOL EIGHTH NOTE: exclusion, three code points"),
    ("\U00011935\U00011930", "DIVES AKURU (Unicode 13.0): composes to U+11938"),
    ("\U00011938", "U+11938 (Unicode 13.0)"),
    ("\ua7f2\ua7f3\ua7f4", "MODIFIER LETTER CAPITAL C/F/Q (Unicode 14.0)"),
    ("x\u1ac1\u0316", "U+1AC1 (Unicode 13.0, class 230) before a below mark"),
    ("\u0c15\u0c3c\u0c4d", "TELUGU SIGN NUKTA (Unicode 14.0)"),
    ("\u32ff", "SQUARE ERA NAME REIWA (Unicode 12.1)"),
    ("\U0001fbf0\U0001fbf9", "SEGMENTED DIGITS (Unicode 13.0)"),
    (nfd("Tiếng Việt có nhiều dấu: ở, ự, ẫ, ặ, ỗ, ề."), "Vietnamese, decomposed"),
    ("Tiếng Việt có nhiều dấu: ở, ự, ẫ, ặ, ỗ, ề.", "Vietnamese, composed"),
    (unicodedata.normalize("NFD", "Ti\u1ebfng Vi\u1ec7t").replace("\u0323\u0302", "\u0302\u0323"), "Vietnamese, marks out of order"),
    (nfd("안녕하세요, 세계! 한국어 형태소 분석은 어렵습니다."), "Korean, decomposed to jamo"),
    ("안녕하세요, 세계! 한국어 형태소 분석은 어렵습니다.", "Korean"),
    (nfd("Ünïcödé façade naïve café résumé Straße ΑΒΓ ά ῷ Привет, мир! й ё"), "mixed scripts, decomposed"),
    ("Ünïcödé façade naïve café résumé Straße ΑΒΓ ά ῷ Привет, мир! й ё ﬁ Ⅻ ſ K Å", "mixed scripts"),
    ("我们在山上的小屋里生了火。吾輩は猫である。ｶﾀｶﾅ", "CJK with halfwidth katakana"),
    ("नमस्ते क़ ख़ ग़ ज़ ड़ ढ़ फ़ य़", "Devanagari with nukta letters (exclusions)"),
    ("\u0915\u093c\u094d\u0937", "Devanagari cluster with nukta"),
    ("עִבְרִית שָׁלוֹם \ufb2a", "Hebrew points and a precomposed shin"),
    ("مرحبا \ufefb \ufdf2 \u0627\u0653", "Arabic presentation forms, alef + madda: U+0622"),
    ("Thai \u0e33 Lao \u0eb3 \u0ec0\u0e9a\u0eb3", "Thai/Lao SARA AM (compatibility)"),
    ("\u2000\u2001\u2002\u00a0\u202f\u3000", "spaces with compatibility mappings"),
    ("\u1e9b\u0323\u212b\u2126\ufb01\u3131\u314f", "several kinds in one string"),
]


def random_cases(count: int, seed: int = 15) -> list[tuple[str, str]]:
    """Seeded random sequences: the order and mix of starters and marks the hand-written cases do not cover."""
    rng = random.Random(seed)
    starters = list("aeiouyAEOUcdnstzq=<>") + [
        "\u00c5", "\u00e9", "\u1e0b", "\u0b47", "\u0dd9", "\u304b", "\u03b1", "\u1f00", "\u0418", "\u0438",
        "\uac00", "\uac01", "\ud7a3", "\u2260", "\u0915", "\u05e9", "\u0627", "\u1025", "\U00011935", "\u0b92",
    ]
    jamo = ["\u1100", "\u1112", "\u1161", "\u1175", "\u11a7", "\u11a8", "\u11c2", "\u11c3", "\u115f", "\u1160"]
    marks = [
        "\u0300", "\u0301", "\u0302", "\u0303", "\u0304", "\u0306", "\u0307", "\u0308", "\u030a", "\u030c",
        "\u0313", "\u0314", "\u0316", "\u031b", "\u0323", "\u0327", "\u0328", "\u0331", "\u0334", "\u0338",
        "\u0342", "\u0344", "\u0345", "\u05b4", "\u05c1", "\u0653", "\u093c", "\u0b3e", "\u0dca", "\u0dcf",
        "\u3099", "\u309a", "\u1ac1", "\u0c3c", "\u102e", "\U00011930", "\u0f71", "\u0f72", "\u0f80", "\u0bd7",
    ]
    compat = ["\ufb01", "\u2460", "\u00bd", "\u3131", "\u314f", "\uff76", "\uff9e", "\u212b", "\u1e9b", "\u01c5", "\u0340", "\u0f73"]
    pools = [starters, jamo, marks, marks, compat]
    cases = []
    for k in range(count):
        length = rng.randint(2, 9)
        s = "".join(rng.choice(rng.choice(pools)) for _ in range(length))
        cases.append((s, f"random {k}"))
    return cases


def reorder_cases() -> list[tuple[str, str]]:
    """Every code point with a non-zero combining class next to a mark it must be reordered with."""
    cases = []
    for c in range(0x110000):
        if 0xD800 <= c <= 0xDFFF:
            continue
        ccc = unicodedata.combining(chr(c))
        if ccc:
            # U+0345 has class 240; one of class 240 goes before U+0301 (230) instead.
            s = "a\u0345" + chr(c) if ccc < 240 else "a" + chr(c) + "\u0301"
            cases.append((s, f"class {ccc}"))
    return cases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    if unicodedata.unidata_version != "14.0.0":
        print(f"unicodedata is Unicode {unicodedata.unidata_version}, expected 14.0.0 (Python 3.11)", file=sys.stderr)
        return 1
    from tokenizers import normalizers

    oracle = {f: getattr(normalizers, f)() for f in FORMS}
    sections = {
        "code_points": code_point_cases(),
        "sequences": [(s, c) for s, c in HAND_WRITTEN] + reorder_cases() + random_cases(400),
    }
    tokenizers_version = importlib.metadata.version("tokenizers")
    out = [
        "# Generated by tests/make_unicode_golden.py from Python's unicodedata.normalize (Unicode "
        f"{unicodedata.unidata_version}) and Hugging Face tokenizers {tokenizers_version}'s normalizers. Do not edit.",
        "# source;NFC;NFD;NFKC;NFKD; # comment   (code points in hex; see the script for the sections)",
    ]
    differ = []
    for name, cases in sections.items():
        out.append(f"@{name}")
        for s, comment in cases:
            ours = [unicodedata.normalize(f, s) for f in FORMS]
            out.append(line(s, ours, comment))
            theirs = [oracle[f].normalize_str(s) for f in FORMS]
            if theirs != ours:
                differ.append(line(s, theirs, comment))
    out.append("@tokenizers")
    out += differ
    args.out.write_text("\n".join(out) + "\n", encoding="utf-8")
    counts = ", ".join(f"{name} {len(cases)}" for name, cases in sections.items())
    print(f"wrote {args.out}: {counts}, tokenizers differs on {len(differ)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
