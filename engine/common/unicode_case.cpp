#include "common/unicode_case.h"

namespace hearth {

namespace {

// Blocks where upper and lower case alternate: an even (or odd) code point is the capital, the next one
// its small letter.
bool in_pairs(char32_t c, char32_t first, char32_t last) { return c >= first && c <= last; }

}  // namespace

char32_t simple_upper(char32_t c) {
    if (c < 0x80) return c >= 'a' && c <= 'z' ? c - 32 : c;
    if ((c >= 0xE0 && c <= 0xFE && c != 0xF7)) return c - 32;
    if (c == 0xFF) return 0x178;
    if (c == 0xB5) return 0x39C;
    // Latin Extended-A: capital even, small odd, except 0x139…0x148 and 0x179…0x17E (capital odd).
    if ((in_pairs(c, 0x100, 0x12F) || in_pairs(c, 0x132, 0x137) || in_pairs(c, 0x14A, 0x177)) && (c & 1)) return c - 1;
    if ((in_pairs(c, 0x139, 0x148) || in_pairs(c, 0x179, 0x17E)) && !(c & 1)) return c - 1;
    if (c == 0x131) return 'I';
    if (c == 0x17F) return 'S';
    // Greek
    if (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) return c - 32;
    if (c == 0x3C2) return 0x3A3;
    if (c == 0x3AC) return 0x386;
    if (c >= 0x3AD && c <= 0x3AF) return c - 37;
    if (c == 0x3CC) return 0x38C;
    if (c == 0x3CD || c == 0x3CE) return c - 63;
    // Cyrillic
    if (c >= 0x430 && c <= 0x44F) return c - 32;
    if (c >= 0x450 && c <= 0x45F) return c - 80;
    if ((in_pairs(c, 0x460, 0x481) || in_pairs(c, 0x48A, 0x4BF) || in_pairs(c, 0x4D0, 0x52F)) && (c & 1)) return c - 1;
    if (in_pairs(c, 0x4C1, 0x4CE) && !(c & 1)) return c - 1;
    // Armenian
    if (c >= 0x561 && c <= 0x586) return c - 48;
    // Roman numerals, circled letters, fullwidth Latin
    if (c >= 0x2170 && c <= 0x217F) return c - 16;
    if (c >= 0x24D0 && c <= 0x24E9) return c - 26;
    if (c >= 0xFF41 && c <= 0xFF5A) return c - 32;
    return c;
}

char32_t simple_lower(char32_t c) {
    if (c < 0x80) return c >= 'A' && c <= 'Z' ? c + 32 : c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
    if (c == 0x178) return 0xFF;
    if ((in_pairs(c, 0x100, 0x12F) || in_pairs(c, 0x132, 0x137) || in_pairs(c, 0x14A, 0x177)) && !(c & 1)) return c + 1;
    if ((in_pairs(c, 0x139, 0x148) || in_pairs(c, 0x179, 0x17E)) && (c & 1)) return c + 1;
    // Greek
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;
    if (c == 0x386) return 0x3AC;
    if (c >= 0x388 && c <= 0x38A) return c + 37;
    if (c == 0x38C) return 0x3CC;
    if (c == 0x38E || c == 0x38F) return c + 63;
    // Cyrillic
    if (c >= 0x410 && c <= 0x42F) return c + 32;
    if (c >= 0x400 && c <= 0x40F) return c + 80;
    if ((in_pairs(c, 0x460, 0x481) || in_pairs(c, 0x48A, 0x4BF) || in_pairs(c, 0x4D0, 0x52F)) && !(c & 1)) return c + 1;
    if (in_pairs(c, 0x4C1, 0x4CE) && (c & 1)) return c + 1;
    if (c == 0x4C0) return 0x4CF;
    // Armenian
    if (c >= 0x531 && c <= 0x556) return c + 48;
    // Letterlike symbols that are capitals of ordinary letters (Ohm, Kelvin, Angstrom), then Roman numerals,
    // circled letters, fullwidth Latin
    if (c == 0x2126) return 0x3C9;
    if (c == 0x212A) return 'k';
    if (c == 0x212B) return 0xE5;
    if (c >= 0x2160 && c <= 0x216F) return c + 16;
    if (c >= 0x24B6 && c <= 0x24CF) return c + 26;
    if (c >= 0xFF21 && c <= 0xFF3A) return c + 32;
    return c;
}

}  // namespace hearth
