#pragma once
// Byte layouts of the blocks the row kernels read: the GGML weight blocks exactly as a GGUF file stores them,
// and the activation blocks Hearth quantizes x into for the integer dot products.
//
// NOTE: every field is a byte array and every multi-byte value is read with memcpy (little-endian hosts
// only), so a block may sit at any address: weight rows come straight from a memory-mapped file and a
// 2-byte f16 scale inside an 18-byte Q4_0 block is aligned to nothing in particular.

#include <cstdint>
#include <cstring>

namespace hearth::cpu::quant {

inline constexpr int qk_legacy = 32;  // elements per Q4_0 … Q8_0 block
inline constexpr int qk_k = 256;      // elements per K-quant super-block

// ---- GGML weight blocks (ggml's block_* structs, fields in file order) ----

// w = d·(q − 8), q 4-bit. Element j < 16 is the low nibble of qs[j], element j + 16 its high nibble.
struct block_q4_0 {
    std::uint8_t d[2];  // f16
    std::uint8_t qs[16];
};
// w = d·q + m, q 4-bit, nibble order as Q4_0.
struct block_q4_1 {
    std::uint8_t d[2];  // f16
    std::uint8_t m[2];  // f16
    std::uint8_t qs[16];
};
// w = d·(q − 16), q 5-bit: low 4 bits as Q4_0, bit 4 of element j is bit j of qh (a little-endian u32).
struct block_q5_0 {
    std::uint8_t d[2];  // f16
    std::uint8_t qh[4];
    std::uint8_t qs[16];
};
// w = d·q + m, q 5-bit packed as Q5_0.
struct block_q5_1 {
    std::uint8_t d[2];  // f16
    std::uint8_t m[2];  // f16
    std::uint8_t qh[4];
    std::uint8_t qs[16];
};
// w = d·q, q int8.
struct block_q8_0 {
    std::uint8_t d[2];  // f16
    std::int8_t qs[32];
};

// 16 groups of 16: w = d·sc·q − dmin·mn, q 2-bit, sc and mn the low and high nibble of scales[group].
// Element e = 128·h + 32·j + l (h < 2, j < 4, l < 32) is bits 2j..2j+1 of qs[32·h + l].
struct block_q2_k {
    std::uint8_t scales[16];
    std::uint8_t qs[64];
    std::uint8_t d[2];     // f16
    std::uint8_t dmin[2];  // f16
};
// 16 groups of 16: w = d·(sc − 32)·(q − 4·!hbit), q 2-bit packed as Q2_K, hbit = bit (4h + j) of hmask[l],
// sc 6-bit: low 4 bits from scales[0..7] (low nibbles, then high nibbles), high 2 bits from scales[8..11].
struct block_q3_k {
    std::uint8_t hmask[32];
    std::uint8_t qs[64];
    std::uint8_t scales[12];
    std::uint8_t d[2];  // f16
};
// 8 groups of 32: w = d·sc·q − dmin·mn, q 4-bit, sc and mn 6-bit packed in scales[12] (see k_scale_min()).
// Element e = 64·c + 32·h + l (c < 4, h < 2) is nibble h of qs[32·c + l]; its group is e / 32.
struct block_q4_k {
    std::uint8_t d[2];     // f16
    std::uint8_t dmin[2];  // f16
    std::uint8_t scales[12];
    std::uint8_t qs[128];
};
// As Q4_K with a fifth bit: bit (e / 32) of qh[e % 32].
struct block_q5_k {
    std::uint8_t d[2];     // f16
    std::uint8_t dmin[2];  // f16
    std::uint8_t scales[12];
    std::uint8_t qh[32];
    std::uint8_t qs[128];
};
// 16 groups of 16: w = d·sc·(q − 32), sc int8, q 6-bit. For e = 128·h + r: the low 4 bits are nibble
// (r / 64) of ql[64·h + r % 64]; the high 2 bits are bits 2k..2k+1 of qh[32·h + r % 32], k = r / 32.
struct block_q6_k {
    std::uint8_t ql[128];
    std::uint8_t qh[64];
    std::int8_t scales[16];
    std::uint8_t d[2];  // f16
};

static_assert(sizeof(block_q4_0) == 18 && sizeof(block_q4_1) == 20 && sizeof(block_q5_0) == 22);
static_assert(sizeof(block_q5_1) == 24 && sizeof(block_q8_0) == 34);
static_assert(sizeof(block_q2_k) == 84 && sizeof(block_q3_k) == 110 && sizeof(block_q4_k) == 144);
static_assert(sizeof(block_q5_k) == 176 && sizeof(block_q6_k) == 210);

// ---- Activation blocks (Hearth's own; they live in scratch memory, never in a file) ----
// NOTE: the 32-element blocks keep their scales in f32, unlike ggml's block_q8_0/q8_1 (f16): an f16 scale
// would add up to 2^-11 relative error per block and cost an F16C conversion in the hot loop, and nothing
// outside this backend reads these bytes. Size them with activation_row_bytes(), never traits().
// Every activation quantizer gives x ≈ d·q with q in [−127, 127] (never −128, so sign tricks and
// maddubs cannot overflow) and |x − d·q| ≤ d/2, d = max|x| / 127 over the block.

// Activations for Q4_0, Q5_0, Q8_0 weights.
struct act_q8_0 {
    std::uint8_t d[4];  // f32
    std::int8_t qs[32];
};
// Activations for Q4_1, Q5_1 weights: s = d·Σqs, so that Σ m·x costs one multiply per block.
struct act_q8_1 {
    std::uint8_t d[4];  // f32
    std::uint8_t s[4];  // f32
    std::int8_t qs[32];
};
// Activations for the K types; the same bytes as ggml's block_q8_K. bsums[g] = Σ qs[16g .. 16g+15].
struct act_q8_k {
    std::uint8_t d[4];  // f32
    std::int8_t qs[256];
    std::uint8_t bsums[32];  // int16[16]
};

static_assert(sizeof(act_q8_0) == 36 && sizeof(act_q8_1) == 40 && sizeof(act_q8_k) == 292);

// The precise path's activations (row_kernels.h, dot_quantized16): 32 elements as int16 with d = max|x| /
// 32767, so |x − d·q| ≤ d/2 is 258 times smaller than with 8 bits: as close to the F32 dot as two 8-bit
// parts, for the cost of one integer pass (vpmaddwd takes int16 pairs as vpmaddubsw takes bytes).
// q is in [−32767, 32767]. Activations for Q4_0, Q5_0, Q8_0 weights:
struct act_q16_0 {
    std::uint8_t d[4];    // f32
    std::uint8_t qs[64];  // int16[32], little-endian
};
// Activations for Q4_1, Q5_1 weights: s = d·Σq, as in act_q8_1.
struct act_q16_1 {
    std::uint8_t d[4];    // f32
    std::uint8_t s[4];    // f32
    std::uint8_t qs[64];  // int16[32]
};

// Activations for the K types (Q4_K, Q5_K, Q6_K): 256 elements with one scale, and Σq over each group of
// 32 for the K types' minimums.
struct act_q16_k {
    std::uint8_t d[4];     // f32
    std::uint8_t qs[512];  // int16[256]
    std::uint8_t sums[32];  // int32[8]: sums[g] = Σ qs[32g .. 32g+31]
};

static_assert(sizeof(act_q16_0) == 68 && sizeof(act_q16_1) == 72 && sizeof(act_q16_k) == 548);

// ---- The split layout: Q4_1 rows rearranged at load time (never in a file) ----
// A row of nb blocks keeps its bytes but gathers the scales: [d: nb f16][m: nb f16][qs: nb × 16 bytes]. Eight
// blocks' scales then convert with one instruction, and the kernel only broadcasts a ready product per
// block (a third fewer instructions per block than block_q4_1, and faster from memory too: the scales
// come first, so a row is still read front to back). Its activations, act_q16_1s, are act_q16_1's values
// arranged the same way: [d: nb f32][s: nb f32][qs: nb × 64 bytes].
struct q4_1_split_row {
    std::uint8_t* d;
    std::uint8_t* m;
    std::uint8_t* qs;
    std::int64_t nb;
    static q4_1_split_row at(const void* row, std::int64_t n) {
        auto* p = static_cast<std::uint8_t*>(const_cast<void*>(row));
        const std::int64_t nb = n / qk_legacy;
        return {p, p + 2 * nb, p + 4 * nb, nb};
    }
};
// ---- The eight-row layout: Q4_1 matrices with a multiple of 8 rows, rearranged at load time ----
// Rows 8g … 8g+7 share their 8 × row_bytes bytes, block by block: for block b, 160 bytes =
// [d: 8 × f16, one per row][m: 8 × f16][4 chunks × 32 bytes]. In chunk c, the 16-bit word k (k = 2r + e) holds
// four nibbles, nibble j (bits 4j..4j+3) being row r's quant of element 32b + 2(4c + j) + e. One and/shift per
// nibble then gives 16 int16 lanes — two weights of each of the eight rows — that one vpmaddwd multiplies by
// the same two activations broadcast, summing into one int32 lane per row: per block the eight rows cost
// sixteen vpmaddwd, one conversion and one FMA, with no per-row horizontal sums (about a third faster than
// the split layout per weight, in cache and from memory, measured on Zen 4). Activations: act_q16_1s.
constexpr std::int64_t rows8_group = 8;  // rows per group, in every eight-row layout
struct q4_1_rows8_block {
    std::uint8_t d[16];   // f16[8]
    std::uint8_t m[16];   // f16[8]
    std::uint8_t qs[128];  // 4 chunks of 16 × u16
};
static_assert(sizeof(q4_1_rows8_block) == 8 * sizeof(block_q4_1));
// Q4_0 the same way without the offsets: [d: 8 × f16][4 chunks × 32 bytes], quants 0..15 standing for −8..7.
// Activations: act_q16_0.
struct q4_0_rows8_block {
    std::uint8_t d[16];    // f16[8]
    std::uint8_t qs[128];  // 4 chunks of 16 × u16
};
static_assert(sizeof(q4_0_rows8_block) == 8 * sizeof(block_q4_0));
// Q5_0 likewise, with each quant's fifth bit beside: [d: 8 × f16][qh: 16 × u16][4 chunks × 32 bytes of low
// nibbles as Q4_0]. Word k of qh holds lane k's fifth bits, bit 4c + j for nibble j of chunk c. Quants 0..31
// stand for −16..15; the kernel multiplies the unsigned quants and takes 16·Σx off through the activations'
// block sums. Activations: act_q16_1s.
struct q5_0_rows8_block {
    std::uint8_t d[16];    // f16[8]
    std::uint8_t qh[32];   // u16[16]
    std::uint8_t qs[128];  // 4 chunks of 16 × u16
};
static_assert(sizeof(q5_0_rows8_block) == 8 * sizeof(block_q5_0));

// Q8_0 in eight-row groups, the same idea: for block b, 272 bytes = [d: 8 × f16][16 chunks × 16 bytes], byte k
// (k = 2r + e) of chunk p being row r's quant of element 32b + 2p + e. One sign extension of a chunk gives
// the 16 int16 lanes that one vpmaddwd multiplies by activation pair p broadcast. Activations: act_q16_0.
struct q8_0_rows8_block {
    std::uint8_t d[16];   // f16[8]
    std::int8_t qs[256];  // 16 chunks of 16 quants
};
static_assert(sizeof(q8_0_rows8_block) == 8 * sizeof(block_q8_0));

struct act_q16_1s_row {
    std::uint8_t* d;
    std::uint8_t* s;
    std::uint8_t* qs;
    std::int64_t nb;
    static act_q16_1s_row at(const void* row, std::int64_t n) {
        auto* p = static_cast<std::uint8_t*>(const_cast<void*>(row));
        const std::int64_t nb = n / qk_legacy;
        return {p, p + 4 * nb, p + 8 * nb, nb};
    }
};

// ---- Loads and scalar conversions ----

inline float load_f32(const std::uint8_t* p) {
    float v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline void store_f32(std::uint8_t* p, float v) { std::memcpy(p, &v, sizeof v); }
inline std::uint16_t load_u16(const void* p) {
    std::uint16_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline std::uint32_t load_u32(const void* p) {
    std::uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline std::int16_t load_i16(const void* p) {
    std::int16_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline float bits_to_f32(std::uint32_t bits) {
    float v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
}

// IEEE binary16 → binary32, exact for every input (subnormals, infinities and NaN payloads included).
inline float f16_to_f32(std::uint16_t h) {
    const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
    std::uint32_t exp = (h >> 10) & 0x1Fu;
    std::uint32_t man = h & 0x3FFu;
    if (exp == 0x1F) return bits_to_f32(sign | 0x7F800000u | (man << 13));
    if (exp == 0) {
        if (man == 0) return bits_to_f32(sign);
        // Subnormal: value = man · 2^-24, a normal f32. Shift the leading one up to bit 10.
        exp = 1;
        while ((man & 0x400u) == 0) {
            man <<= 1;
            --exp;
        }
        man &= 0x3FFu;
    }
    return bits_to_f32(sign | ((exp + 112) << 23) | (man << 13));
}
inline float f16_at(const std::uint8_t* p) { return f16_to_f32(load_u16(p)); }

// bfloat16 is the top half of an f32.
inline float bf16_to_f32(std::uint16_t b) { return bits_to_f32(static_cast<std::uint32_t>(b) << 16); }

// The 6-bit scale and min of group j (< 8) of a Q4_K / Q5_K block. Bytes 0..3 hold sc[0..3] in their low
// 6 bits, bytes 4..7 mn[0..3]; groups 4..7 take their low 4 bits from the nibbles of bytes 8..11 and their
// top 2 bits from the spare top bits of bytes 0..7.
inline void k_scale_min(const std::uint8_t* s, int j, std::uint8_t& sc, std::uint8_t& mn) {
    if (j < 4) {
        sc = s[j] & 63;
        mn = s[j + 4] & 63;
    } else {
        sc = static_cast<std::uint8_t>((s[j + 4] & 0xF) | ((s[j - 4] >> 6) << 4));
        mn = static_cast<std::uint8_t>((s[j + 4] >> 4) | ((s[j] >> 6) << 4));
    }
}

// The 16 signed scales (sc − 32, in [−32, 31]) of a Q3_K block.
inline void q3_k_scales(const std::uint8_t* s, std::int8_t out[16]) {
    for (int i = 0; i < 16; ++i) {
        const int low = i < 8 ? (s[i] & 0xF) : (s[i - 8] >> 4);
        const int high = (s[8 + i % 4] >> (2 * (i / 4))) & 3;
        out[i] = static_cast<std::int8_t>((low | (high << 4)) - 32);
    }
}

// Word-parallel forms of the two unpackings above for the vector kernels (the golden tests check them
// through the AVX2 dequantizers): 16 bytes returned as two little-endian words, bytes 0..7 and 8..15, so
// they can go straight into a vector register.
struct Bytes16 {
    std::uint64_t lo, hi;
    std::uint8_t operator[](int i) const { return static_cast<std::uint8_t>((i < 8 ? lo : hi) >> (8 * (i % 8))); }
};
// Q4_K / Q5_K: bytes 0..7 = sc[0..7], bytes 8..15 = mn[0..7].
inline Bytes16 k_scales_min_16(const std::uint8_t* s) {
    const std::uint32_t u0 = load_u32(s), u1 = load_u32(s + 4), u2 = load_u32(s + 8);
    const std::uint32_t sc_hi = (u2 & 0x0F0F0F0Fu) | (((u0 >> 6) & 0x03030303u) << 4);
    const std::uint32_t mn_hi = ((u2 >> 4) & 0x0F0F0F0Fu) | (((u1 >> 6) & 0x03030303u) << 4);
    return {(u0 & 0x3F3F3F3Fu) | (static_cast<std::uint64_t>(sc_hi) << 32),
            (u1 & 0x3F3F3F3Fu) | (static_cast<std::uint64_t>(mn_hi) << 32)};
}
// Q3_K: byte i = sc[i] + 32 (unsigned 6-bit, before the −32 bias).
inline Bytes16 q3_k_scales_biased_16(const std::uint8_t* s) {
    std::uint64_t nib;
    std::memcpy(&nib, s, sizeof nib);
    const std::uint32_t top = load_u32(s + 8);
    const std::uint64_t high0 = (top & 0x03030303u) | (static_cast<std::uint64_t>((top >> 2) & 0x03030303u) << 32);
    const std::uint64_t high1 = ((top >> 4) & 0x03030303u) | (static_cast<std::uint64_t>((top >> 6) & 0x03030303u) << 32);
    return {(nib & 0x0F0F0F0F0F0F0F0Full) | (high0 << 4), ((nib >> 4) & 0x0F0F0F0F0F0F0F0Full) | (high1 << 4)};
}

}  // namespace hearth::cpu::quant
