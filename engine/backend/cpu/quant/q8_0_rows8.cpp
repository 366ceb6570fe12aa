// Q8_0 matrices in the eight-row layout (block_layouts.h): the repacking, and the scalar kernels that define
// what the AVX2 one (q8_0_rows8_avx2.cpp) computes. The layout exists only in memory, made at load time.

#include <cstring>

#include "backend/cpu/quant/block_layouts.h"
#include "backend/cpu/quant/kernels.h"

namespace hearth::cpu::quant {
namespace {
// Where element e (0..31) of row r sits in a group block's quants: chunk e / 2, byte 2r + e % 2.
int quant_at(int r, int e) { return 16 * (e / 2) + 2 * r + e % 2; }
}  // namespace

void repack_q8_0_rows8(const void* rows, std::size_t row_bytes, void* out, std::int64_t n) {
    auto* blocks = static_cast<q8_0_rows8_block*>(out);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        q8_0_rows8_block& g = blocks[b];
        for (int r = 0; r < 8; ++r) {
            const auto& src = reinterpret_cast<const block_q8_0*>(static_cast<const std::uint8_t*>(rows) + row_bytes * r)[b];
            std::memcpy(g.d + 2 * r, src.d, 2);
            for (int e = 0; e < qk_legacy; ++e) g.qs[quant_at(r, e)] = src.qs[e];
        }
    }
}

namespace scalar {

void dot_q8_0r8_q16_0(const void* group, const void* xq, std::int64_t n, float* out) {
    const auto* blocks = static_cast<const q8_0_rows8_block*>(group);
    const auto* act = static_cast<const act_q16_0*>(xq);
    for (int r = 0; r < 8; ++r) out[r] = 0.0f;
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        for (int r = 0; r < 8; ++r) {
            int sum = 0;
            for (int e = 0; e < qk_legacy; ++e) sum += blocks[b].qs[quant_at(r, e)] * load_i16(act[b].qs + 2 * e);
            out[r] += f16_at(blocks[b].d + 2 * r) * load_f32(act[b].d) * static_cast<float>(sum);
        }
    }
}

void dequantize_q8_0r8_row(const void* group, int r, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const q8_0_rows8_block*>(group);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b)
        for (int e = 0; e < qk_legacy; ++e)
            out[b * qk_legacy + e] = static_cast<float>(blocks[b].qs[quant_at(r, e)]) * f16_at(blocks[b].d + 2 * r);
}

}  // namespace scalar
}  // namespace hearth::cpu::quant
