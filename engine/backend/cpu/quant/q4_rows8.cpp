// Q4_0, Q4_1 and Q5_0 matrices in the eight-row layouts (block_layouts.h): the repacking, and the scalar
// kernels that define what the AVX2 ones (q4_rows8_avx2.cpp) compute. The layouts exist only in memory, made
// at load time. All three arrange their low nibbles the same way; Q4_1 adds each row's offset m, Q5_0 each
// quant's fifth bit.

#include <cstring>

#include "backend/cpu/quant/block_layouts.h"
#include "backend/cpu/quant/kernels.h"

namespace hearth::cpu::quant {
namespace {
// Where element e (0..31) of row r sits in a group block's nibbles: chunk, 16-bit word and nibble.
struct NibbleAt {
    int chunk, word, shift;
};
NibbleAt nibble_at(int r, int e) {
    const int pair = e / 2;  // the activation pair the kernel broadcasts: 4·chunk + nibble index
    return {pair / 4, 2 * r + e % 2, 4 * (pair % 4)};
}
int nibble_of(const std::uint8_t* group_qs, int r, int e) {
    const NibbleAt at = nibble_at(r, e);
    return (load_u16(group_qs + 32 * at.chunk + 2 * at.word) >> at.shift) & 0xF;
}

// The 128 nibble bytes of one block of eight rows, from each row's 16 stored bytes (GGML order: elements
// 0..15 in the low nibbles, 16..31 in the high ones).
void arrange_nibbles(const std::uint8_t* const row_qs[8], std::uint8_t* out) {
    std::uint16_t words[4][16] = {};
    for (int r = 0; r < 8; ++r) {
        for (int e = 0; e < qk_legacy; ++e) {
            const int q = e < 16 ? row_qs[r][e] & 0xF : row_qs[r][e - 16] >> 4;
            const NibbleAt at = nibble_at(r, e);
            words[at.chunk][at.word] = static_cast<std::uint16_t>(words[at.chunk][at.word] | q << at.shift);
        }
    }
    std::memcpy(out, words, sizeof words);  // little-endian words, as the kernels load them
}

// Q5_0's fifth bits of one block of eight rows: word k (k = 2r + e) gets bit 4c + j for the element whose
// nibble sits at nibble j of word k in chunk c.
void arrange_high_bits(const std::uint8_t* const row_qh[8], std::uint8_t* out) {
    std::uint16_t words[16] = {};
    for (int r = 0; r < 8; ++r) {
        const std::uint32_t qh = load_u32(row_qh[r]);
        for (int e = 0; e < qk_legacy; ++e) {
            const NibbleAt at = nibble_at(r, e);
            const auto bit = static_cast<std::uint16_t>((qh >> e) & 1u);
            words[at.word] = static_cast<std::uint16_t>(words[at.word] | bit << (4 * at.chunk + at.shift / 4));
        }
    }
    std::memcpy(out, words, sizeof words);
}
int q5_of(const std::uint8_t* group_qs, const std::uint8_t* group_qh, int r, int e) {
    const NibbleAt at = nibble_at(r, e);
    const int high = (load_u16(group_qh + 2 * at.word) >> (4 * at.chunk + at.shift / 4)) & 1;
    return nibble_of(group_qs, r, e) | high << 4;
}

template <typename Stored>
const Stored& stored_block(const void* rows, std::size_t row_bytes, int r, std::int64_t b) {
    return reinterpret_cast<const Stored*>(static_cast<const std::uint8_t*>(rows) + row_bytes * static_cast<std::size_t>(r))[b];
}
}  // namespace

void repack_q4_0_rows8(const void* rows, std::size_t row_bytes, void* out, std::int64_t n) {
    auto* blocks = static_cast<q4_0_rows8_block*>(out);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        const std::uint8_t* row_qs[8];
        for (int r = 0; r < 8; ++r) {
            const auto& src = stored_block<block_q4_0>(rows, row_bytes, r, b);
            std::memcpy(blocks[b].d + 2 * r, src.d, 2);
            row_qs[r] = src.qs;
        }
        arrange_nibbles(row_qs, blocks[b].qs);
    }
}

void repack_q5_0_rows8(const void* rows, std::size_t row_bytes, void* out, std::int64_t n) {
    auto* blocks = static_cast<q5_0_rows8_block*>(out);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        const std::uint8_t* row_qs[8];
        const std::uint8_t* row_qh[8];
        for (int r = 0; r < 8; ++r) {
            const auto& src = stored_block<block_q5_0>(rows, row_bytes, r, b);
            std::memcpy(blocks[b].d + 2 * r, src.d, 2);
            row_qs[r] = src.qs;
            row_qh[r] = src.qh;
        }
        arrange_nibbles(row_qs, blocks[b].qs);
        arrange_high_bits(row_qh, blocks[b].qh);
    }
}

void repack_q4_1_rows8(const void* rows, std::size_t row_bytes, void* out, std::int64_t n) {
    auto* blocks = static_cast<q4_1_rows8_block*>(out);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        const std::uint8_t* row_qs[8];
        for (int r = 0; r < 8; ++r) {
            const auto& src = stored_block<block_q4_1>(rows, row_bytes, r, b);
            std::memcpy(blocks[b].d + 2 * r, src.d, 2);
            std::memcpy(blocks[b].m + 2 * r, src.m, 2);
            row_qs[r] = src.qs;
        }
        arrange_nibbles(row_qs, blocks[b].qs);
    }
}

namespace scalar {

void dot_q4_0r8_q16_0(const void* group, const void* xq, std::int64_t n, float* out) {
    const auto* blocks = static_cast<const q4_0_rows8_block*>(group);
    const auto* act = static_cast<const act_q16_0*>(xq);
    for (int r = 0; r < 8; ++r) out[r] = 0.0f;
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        for (int r = 0; r < 8; ++r) {
            int sum = 0;
            for (int e = 0; e < qk_legacy; ++e) sum += (nibble_of(blocks[b].qs, r, e) - 8) * load_i16(act[b].qs + 2 * e);
            out[r] += f16_at(blocks[b].d + 2 * r) * load_f32(act[b].d) * static_cast<float>(sum);
        }
    }
}

void dot_q5_0r8_q16_1s(const void* group, const void* xq, std::int64_t n, float* out) {
    const auto* blocks = static_cast<const q5_0_rows8_block*>(group);
    const act_q16_1s_row a = act_q16_1s_row::at(xq, n);
    for (int r = 0; r < 8; ++r) out[r] = 0.0f;
    for (std::int64_t b = 0; b < a.nb; ++b) {
        const q5_0_rows8_block& g = blocks[b];
        for (int r = 0; r < 8; ++r) {
            int sum = 0;
            for (int e = 0; e < qk_legacy; ++e) sum += q5_of(g.qs, g.qh, r, e) * load_i16(a.qs + 64 * b + 2 * e);
            // Σ (q − 16)·x = Σ q·x − 16·Σx, the second through the block's s = dx·Σx.
            const float dw = f16_at(g.d + 2 * r);
            out[r] += dw * load_f32(a.d + 4 * b) * static_cast<float>(sum) - 16.0f * dw * load_f32(a.s + 4 * b);
        }
    }
}

void dot_q4_1r8_q16_1s(const void* group, const void* xq, std::int64_t n, float* out) {
    const auto* blocks = static_cast<const q4_1_rows8_block*>(group);
    const act_q16_1s_row a = act_q16_1s_row::at(xq, n);
    for (int r = 0; r < 8; ++r) out[r] = 0.0f;
    for (std::int64_t b = 0; b < a.nb; ++b) {
        const q4_1_rows8_block& g = blocks[b];
        for (int r = 0; r < 8; ++r) {
            int sum = 0;
            for (int e = 0; e < qk_legacy; ++e) sum += nibble_of(g.qs, r, e) * load_i16(a.qs + 64 * b + 2 * e);
            out[r] += f16_at(g.d + 2 * r) * load_f32(a.d + 4 * b) * static_cast<float>(sum) +
                      f16_at(g.m + 2 * r) * load_f32(a.s + 4 * b);
        }
    }
}

void dequantize_q4_0r8_row(const void* group, int r, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const q4_0_rows8_block*>(group);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b)
        for (int e = 0; e < qk_legacy; ++e)
            out[b * qk_legacy + e] = static_cast<float>(nibble_of(blocks[b].qs, r, e) - 8) * f16_at(blocks[b].d + 2 * r);
}

void dequantize_q5_0r8_row(const void* group, int r, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const q5_0_rows8_block*>(group);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b)
        for (int e = 0; e < qk_legacy; ++e)
            out[b * qk_legacy + e] = f16_at(blocks[b].d + 2 * r) * static_cast<float>(q5_of(blocks[b].qs, blocks[b].qh, r, e) - 16);
}

void dequantize_q4_1r8_row(const void* group, int r, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const q4_1_rows8_block*>(group);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        const q4_1_rows8_block& g = blocks[b];
        for (int e = 0; e < qk_legacy; ++e)
            out[b * qk_legacy + e] = static_cast<float>(nibble_of(g.qs, r, e)) * f16_at(g.d + 2 * r) + f16_at(g.m + 2 * r);
    }
}

}  // namespace scalar
}  // namespace hearth::cpu::quant
