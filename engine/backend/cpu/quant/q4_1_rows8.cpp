// Q4_1 matrices in the eight-row layout (block_layouts.h): the repacking, and the scalar kernels that define
// what the AVX2 one (q4_1_rows8_avx2.cpp) computes. The layout exists only in memory, made at load time.

#include <cstring>

#include "backend/cpu/quant/block_layouts.h"
#include "backend/cpu/quant/kernels.h"

namespace hearth::cpu::quant {
namespace {
// Where element e (0..31) of row r sits in a group block: chunk, 16-bit word and nibble.
struct NibbleAt {
    int chunk, word, shift;
};
NibbleAt nibble_at(int r, int e) {
    const int pair = e / 2;  // the activation pair the kernel broadcasts: 4·chunk + nibble index
    return {pair / 4, 2 * r + e % 2, 4 * (pair % 4)};
}
}  // namespace

void repack_q4_1_rows8(const void* rows, std::size_t row_bytes, void* out, std::int64_t n) {
    const std::int64_t nb = n / qk_legacy;
    auto* blocks = static_cast<q4_1_rows8_block*>(out);
    for (std::int64_t b = 0; b < nb; ++b) {
        q4_1_rows8_block& g = blocks[b];
        std::uint16_t words[4][16] = {};
        for (int r = 0; r < 8; ++r) {
            const auto& src = reinterpret_cast<const block_q4_1*>(static_cast<const std::uint8_t*>(rows) + row_bytes * r)[b];
            std::memcpy(g.d + 2 * r, src.d, 2);
            std::memcpy(g.m + 2 * r, src.m, 2);
            for (int e = 0; e < qk_legacy; ++e) {
                const int q = e < 16 ? src.qs[e] & 0xF : src.qs[e - 16] >> 4;
                const NibbleAt at = nibble_at(r, e);
                words[at.chunk][at.word] = static_cast<std::uint16_t>(words[at.chunk][at.word] | q << at.shift);
            }
        }
        std::memcpy(g.qs, words, sizeof words);  // little-endian words, as the kernel loads them
    }
}

namespace scalar {

void dot_q4_1r8_q16_1s(const void* group, const void* xq, std::int64_t n, float* out) {
    const auto* blocks = static_cast<const q4_1_rows8_block*>(group);
    const act_q16_1s_row a = act_q16_1s_row::at(xq, n);
    for (int r = 0; r < 8; ++r) out[r] = 0.0f;
    for (std::int64_t b = 0; b < a.nb; ++b) {
        const q4_1_rows8_block& g = blocks[b];
        for (int r = 0; r < 8; ++r) {
            int sum = 0;
            for (int e = 0; e < qk_legacy; ++e) {
                const NibbleAt at = nibble_at(r, e);
                const int q = (load_u16(g.qs + 32 * at.chunk + 2 * at.word) >> at.shift) & 0xF;
                sum += q * load_i16(a.qs + 64 * b + 2 * e);
            }
            out[r] += f16_at(g.d + 2 * r) * load_f32(a.d + 4 * b) * static_cast<float>(sum) +
                      f16_at(g.m + 2 * r) * load_f32(a.s + 4 * b);
        }
    }
}

void dequantize_q4_1r8_row(const void* group, int r, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const q4_1_rows8_block*>(group);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        const q4_1_rows8_block& g = blocks[b];
        for (int e = 0; e < qk_legacy; ++e) {
            const NibbleAt at = nibble_at(r, e);
            const int q = (load_u16(g.qs + 32 * at.chunk + 2 * at.word) >> at.shift) & 0xF;
            out[b * qk_legacy + e] = static_cast<float>(q) * f16_at(g.d + 2 * r) + f16_at(g.m + 2 * r);
        }
    }
}

}  // namespace scalar
}  // namespace hearth::cpu::quant
