// Scalar activation quantizers (layouts in block_layouts.h). The AVX2 ones in activation_quant_avx2.cpp do
// the same float operations in the same order, so both give the same bytes: d = amax / 127 and
// q = round-half-even(x · (1/d)), the rounding of cvtps2dq under the default MXCSR.

#include <cmath>

#include "backend/cpu/quant/block_layouts.h"
#include "backend/cpu/quant/kernels.h"

namespace hearth::cpu::quant::scalar {
namespace {

// Quantizes `count` values with one scale; returns d and writes q. Σq goes to *sum when asked.
float quantize_block(const float* x, int count, std::int8_t* q, int* sum) {
    float amax = 0.0f;
    for (int i = 0; i < count; ++i) amax = std::fmax(amax, std::fabs(x[i]));
    const float d = amax / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    int s = 0;
    for (int i = 0; i < count; ++i) {
        // |x·id| ≤ 127·(1 + 3 ulp), so the rounded value stays in [−127, 127].
        const int v = static_cast<int>(std::nearbyint(x[i] * id));
        q[i] = static_cast<std::int8_t>(v);
        s += v;
    }
    if (sum) *sum = s;
    return d;
}

}  // namespace

void quantize_q8_0(const float* x, void* out, std::int64_t n) {
    auto* blocks = static_cast<act_q8_0*>(out);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        store_f32(blocks[b].d, quantize_block(x + b * qk_legacy, qk_legacy, blocks[b].qs, nullptr));
    }
}

void quantize_q8_1(const float* x, void* out, std::int64_t n) {
    auto* blocks = static_cast<act_q8_1*>(out);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        int sum = 0;
        const float d = quantize_block(x + b * qk_legacy, qk_legacy, blocks[b].qs, &sum);
        store_f32(blocks[b].d, d);
        store_f32(blocks[b].s, d * static_cast<float>(sum));
    }
}

void quantize_q8_k(const float* x, void* out, std::int64_t n) {
    auto* blocks = static_cast<act_q8_k*>(out);
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        act_q8_k& blk = blocks[b];
        store_f32(blk.d, quantize_block(x + b * qk_k, qk_k, blk.qs, nullptr));
        for (int g = 0; g < 16; ++g) {
            std::int16_t s = 0;
            for (int i = 0; i < 16; ++i) s = static_cast<std::int16_t>(s + blk.qs[16 * g + i]);
            std::memcpy(blk.bsums + 2 * g, &s, sizeof s);
        }
    }
}

}  // namespace hearth::cpu::quant::scalar
