// Scalar kernels of the precise path for the K types: activations quantized to int16 per 256 elements
// (act_q16_k) and the integer dot products of Q4_K, Q5_K and Q6_K super-blocks with them. The AVX2
// quantizer (int16_avx2_k.cpp) does the same float operations in the same order and writes the same bytes.
//
// Integer sums are kept in 64 bits here: the reference has no headroom argument to make.

#include <cmath>

#include "backend/cpu/quant/block_layouts.h"
#include "backend/cpu/quant/kernels.h"

namespace hearth::cpu::quant::scalar {
namespace {

std::int64_t x16(const act_q16_k& a, int e) { return load_i16(a.qs + 2 * e); }
std::int64_t group_sum(const act_q16_k& a, int g) {
    std::int32_t s;
    std::memcpy(&s, a.sums + 4 * g, sizeof s);
    return s;
}

// Q4_K / Q5_K: Σ w·x = d·dx·Σ_g sc_g·Σ q·x − dmin·dx·Σ_g mn_g·Σ x over the 8 groups of 32.
template <typename Block, bool five_bit>
float dot_q45_k(const Block* w, const act_q16_k* a, std::int64_t nb) {
    float acc = 0.0f;
    for (std::int64_t b = 0; b < nb; ++b) {
        std::int64_t sum = 0, sum_min = 0;
        for (int g = 0; g < 8; ++g) {
            std::uint8_t sc, mn;
            k_scale_min(w[b].scales, g, sc, mn);
            const std::uint8_t* qs = w[b].qs + 32 * (g / 2);
            std::int64_t s = 0;
            for (int l = 0; l < 32; ++l) {
                int q = (qs[l] >> (4 * (g % 2))) & 0xF;
                if constexpr (five_bit) q |= ((w[b].qh[l] >> g) & 1) << 4;
                s += q * x16(a[b], 32 * g + l);
            }
            sum += sc * s;
            sum_min += mn * group_sum(a[b], g);
        }
        const float dx = load_f32(a[b].d);
        acc += dx * (f16_at(w[b].d) * static_cast<float>(sum) - f16_at(w[b].dmin) * static_cast<float>(sum_min));
    }
    return acc;
}

}  // namespace

void quantize_q16_k(const float* x, void* out, std::int64_t n) {
    auto* blocks = static_cast<act_q16_k*>(out);
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        const float* xb = x + b * qk_k;
        float amax = 0.0f;
        for (int i = 0; i < qk_k; ++i) amax = std::fmax(amax, std::fabs(xb[i]));
        const float d = amax / 32767.0f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        store_f32(blocks[b].d, d);
        for (int g = 0; g < 8; ++g) {
            std::int32_t sum = 0;
            for (int l = 0; l < 32; ++l) {
                const int i = 32 * g + l;
                const auto q = static_cast<std::int16_t>(std::nearbyint(xb[i] * id));  // |x·id| < 32767.5
                std::memcpy(blocks[b].qs + 2 * i, &q, sizeof q);
                sum += q;
            }
            std::memcpy(blocks[b].sums + 4 * g, &sum, sizeof sum);
        }
    }
}

float dot_q4_k_q16_k(const void* row, const void* xq, std::int64_t n) {
    return dot_q45_k<block_q4_k, false>(static_cast<const block_q4_k*>(row), static_cast<const act_q16_k*>(xq), n / qk_k);
}

float dot_q5_k_q16_k(const void* row, const void* xq, std::int64_t n) {
    return dot_q45_k<block_q5_k, true>(static_cast<const block_q5_k*>(row), static_cast<const act_q16_k*>(xq), n / qk_k);
}

float dot_q6_k_q16_k(const void* row, const void* xq, std::int64_t n) {
    const auto* w = static_cast<const block_q6_k*>(row);
    const auto* a = static_cast<const act_q16_k*>(xq);
    float acc = 0.0f;
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        std::int64_t sum = 0;
        for (int g = 0; g < 16; ++g) {
            std::int64_t s = 0;
            for (int i = 0; i < 16; ++i) {
                const int e = 16 * g + i, h = e / 128, r = e % 128;
                const int low = (w[b].ql[64 * h + r % 64] >> (4 * (r / 64))) & 0xF;
                const int high = (w[b].qh[32 * h + r % 32] >> (2 * (r / 32))) & 3;
                s += ((low | (high << 4)) - 32) * x16(a[b], e);
            }
            sum += w[b].scales[g] * s;
        }
        acc += load_f32(a[b].d) * f16_at(w[b].d) * static_cast<float>(sum);
    }
    return acc;
}

}  // namespace hearth::cpu::quant::scalar
