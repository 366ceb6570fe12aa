// AVX2 activation quantizers: byte-identical to activation_quant.cpp (same amax, same d = amax / 127,
// same id = 1/d, x·id rounded half-to-even by cvtps2dq under the default MXCSR).

#include "backend/cpu/quant/avx2_common.h"
#include "backend/cpu/quant/kernels.h"

namespace hearth::cpu::quant::avx2 {
namespace {

// Narrows 4 vectors of int32 in [−127, 127] to 32 int8 in element order.
HEARTH_AVX2_INLINE void store_i8x32(const __m256i* q, std::int8_t* out) {
    // packs works within 128-bit lanes: the bytes come out as dwords [q0 lo, q1 lo, q2 lo, q3 lo |
    // q0 hi, q1 hi, q2 hi, q3 hi]; the permute puts each vector's halves back together.
    const __m256i w01 = _mm256_packs_epi32(q[0], q[1]);
    const __m256i w23 = _mm256_packs_epi32(q[2], q[3]);
    const __m256i bytes = _mm256_packs_epi16(w01, w23);
    const __m256i ordered = _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), ordered);
}

}  // namespace

HEARTH_AVX2 void quantize_q8_0(const float* x, void* out, std::int64_t n) {
    auto* blocks = static_cast<act_q8_0*>(out);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        __m256i q[4];
        store_f32(blocks[b].d, quantize_vectors<4>(x + b * qk_legacy, 127.0f, q));
        store_i8x32(q, blocks[b].qs);
    }
}

HEARTH_AVX2 void quantize_q8_1(const float* x, void* out, std::int64_t n) {
    auto* blocks = static_cast<act_q8_1*>(out);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        __m256i q[4];
        const float d = quantize_vectors<4>(x + b * qk_legacy, 127.0f, q);
        store_i8x32(q, blocks[b].qs);
        const int sum = sum_i32x32(q);
        store_f32(blocks[b].d, d);
        store_f32(blocks[b].s, d * static_cast<float>(sum));
    }
}

HEARTH_AVX2 void quantize_q8_k(const float* x, void* out, std::int64_t n) {
    auto* blocks = static_cast<act_q8_k*>(out);
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        act_q8_k& blk = blocks[b];
        __m256i q[32];
        store_f32(blk.d, quantize_vectors<32>(x + b * qk_k, 127.0f, q));
        for (int i = 0; i < 8; ++i) store_i8x32(q + 4 * i, blk.qs + 32 * i);
        for (int g = 0; g < 16; ++g) {
            const auto s = static_cast<std::int16_t>(hsum_i32(_mm256_add_epi32(q[2 * g], q[2 * g + 1])));
            std::memcpy(blk.bsums + 2 * g, &s, sizeof s);
        }
    }
}

}  // namespace hearth::cpu::quant::avx2
