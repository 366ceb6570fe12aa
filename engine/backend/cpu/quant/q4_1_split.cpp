// Q4_1 rows in the split layout (block_layouts.h): the repacking, and the scalar kernels that define what
// the AVX2 ones (q4_1_split_avx2.cpp) compute. The layout exists only in memory, made at load time.

#include <cstring>

#include "backend/cpu/quant/block_layouts.h"
#include "backend/cpu/quant/kernels.h"

namespace hearth::cpu::quant {

void repack_q4_1_split(const void* row, void* out, std::int64_t n) {
    const auto* blocks = static_cast<const block_q4_1*>(row);
    const q4_1_split_row r = q4_1_split_row::at(out, n);
    for (std::int64_t b = 0; b < r.nb; ++b) {
        std::memcpy(r.d + 2 * b, blocks[b].d, 2);
        std::memcpy(r.m + 2 * b, blocks[b].m, 2);
        std::memcpy(r.qs + 16 * b, blocks[b].qs, 16);
    }
}

void quantize_q16_1s_with(void (*quantize_q16_1)(const float*, void*, std::int64_t), const float* x, void* out,
                          std::int64_t n) {
    // act_q16_1's quantizer block by block (so both tables write identical bytes), the values moved apart.
    const act_q16_1s_row a = act_q16_1s_row::at(out, n);
    for (std::int64_t b = 0; b < a.nb; ++b) {
        act_q16_1 block;
        quantize_q16_1(x + b * qk_legacy, &block, qk_legacy);
        std::memcpy(a.d + 4 * b, block.d, 4);
        std::memcpy(a.s + 4 * b, block.s, 4);
        std::memcpy(a.qs + 64 * b, block.qs, 64);
    }
}

namespace scalar {

void dequantize_q4_1s(const void* row, float* out, std::int64_t n) {
    const q4_1_split_row r = q4_1_split_row::at(row, n);
    for (std::int64_t b = 0; b < r.nb; ++b) {
        const float d = f16_at(r.d + 2 * b), m = f16_at(r.m + 2 * b);
        for (int j = 0; j < 16; ++j) {
            out[32 * b + j] = static_cast<float>(r.qs[16 * b + j] & 0xF) * d + m;
            out[32 * b + j + 16] = static_cast<float>(r.qs[16 * b + j] >> 4) * d + m;
        }
    }
}

float dot_f32_q4_1s(const void* row, const float* x, std::int64_t n) {
    const q4_1_split_row r = q4_1_split_row::at(row, n);
    float block[qk_legacy];
    float acc = 0.0f;
    for (std::int64_t b = 0; b < r.nb; ++b) {
        const float d = f16_at(r.d + 2 * b), m = f16_at(r.m + 2 * b);
        for (int j = 0; j < 16; ++j) {
            block[j] = static_cast<float>(r.qs[16 * b + j] & 0xF) * d + m;
            block[j + 16] = static_cast<float>(r.qs[16 * b + j] >> 4) * d + m;
        }
        for (int j = 0; j < qk_legacy; ++j) acc += block[j] * x[b * qk_legacy + j];
    }
    return acc;
}

void quantize_q16_1s(const float* x, void* out, std::int64_t n) { quantize_q16_1s_with(quantize_q16_1, x, out, n); }

float dot_q4_1s_q16_1s(const void* row, const void* xq, std::int64_t n) {
    const q4_1_split_row r = q4_1_split_row::at(row, n);
    const act_q16_1s_row a = act_q16_1s_row::at(xq, n);
    float acc = 0.0f;
    for (std::int64_t b = 0; b < r.nb; ++b) {
        int sum = 0;
        for (int j = 0; j < 16; ++j) {
            sum += (r.qs[16 * b + j] & 0xF) * load_i16(a.qs + 64 * b + 2 * j);
            sum += (r.qs[16 * b + j] >> 4) * load_i16(a.qs + 64 * b + 2 * (j + 16));
        }
        acc += f16_at(r.d + 2 * b) * load_f32(a.d + 4 * b) * static_cast<float>(sum) +
               f16_at(r.m + 2 * b) * load_f32(a.s + 4 * b);
    }
    return acc;
}

}  // namespace scalar
}  // namespace hearth::cpu::quant
