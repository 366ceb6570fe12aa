// Scalar kernels of the precise path: activations quantized to int16 (act_q16_0 / act_q16_1) and the
// integer dot products of the 32-element weight blocks with them. The AVX2 versions (int16_avx2.cpp) do
// the same float operations in the same order for the quantizers, so both write the same bytes.

#include <cmath>

#include "backend/cpu/quant/block_layouts.h"
#include "backend/cpu/quant/kernels.h"

namespace hearth::cpu::quant::scalar {
namespace {

// Quantizes 32 values to int16 with d = amax / 32767; writes q (little-endian) and returns d. Σq to *sum.
float quantize_block16(const float* x, std::uint8_t* qs, int* sum) {
    float amax = 0.0f;
    for (int i = 0; i < qk_legacy; ++i) amax = std::fmax(amax, std::fabs(x[i]));
    const float d = amax / 32767.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    int s = 0;
    for (int i = 0; i < qk_legacy; ++i) {
        // |x·id| ≤ 32767·(1 + 3 ulp) < 32767.5, so the rounded value stays in [−32767, 32767].
        const int v = static_cast<int>(std::nearbyint(x[i] * id));
        const auto q = static_cast<std::int16_t>(v);
        std::memcpy(qs + 2 * i, &q, sizeof q);
        s += v;
    }
    if (sum) *sum = s;
    return d;
}

// Σ q_w[j]·q_x[j] over one block, q_w(j) giving the weight's integer for element j. At most 32·128·32767 in
// magnitude (Q8_0), well inside int.
template <typename WeightInt>
int block_sum(const std::uint8_t* qs16, WeightInt q_w) {
    int sum = 0;
    for (int j = 0; j < qk_legacy; ++j) sum += q_w(j) * load_i16(qs16 + 2 * j);
    return sum;
}

int nibble(const std::uint8_t* qs, int j) { return j < 16 ? (qs[j] & 0xF) : (qs[j - 16] >> 4); }
int fifth_bit(std::uint32_t qh, int j) { return static_cast<int>((qh >> j) & 1) << 4; }

}  // namespace

void quantize_q16_0(const float* x, void* out, std::int64_t n) {
    auto* blocks = static_cast<act_q16_0*>(out);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b)
        store_f32(blocks[b].d, quantize_block16(x + b * qk_legacy, blocks[b].qs, nullptr));
}

void quantize_q16_1(const float* x, void* out, std::int64_t n) {
    auto* blocks = static_cast<act_q16_1*>(out);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        int sum = 0;
        const float d = quantize_block16(x + b * qk_legacy, blocks[b].qs, &sum);
        store_f32(blocks[b].d, d);
        store_f32(blocks[b].s, d * static_cast<float>(sum));
    }
}

float dot_q4_0_q16_0(const void* row, const void* xq, std::int64_t n) {
    const auto* w = static_cast<const block_q4_0*>(row);
    const auto* a = static_cast<const act_q16_0*>(xq);
    float acc = 0.0f;
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        const int sum = block_sum(a[b].qs, [&](int j) { return nibble(w[b].qs, j) - 8; });
        acc += f16_at(w[b].d) * load_f32(a[b].d) * static_cast<float>(sum);
    }
    return acc;
}

float dot_q4_1_q16_1(const void* row, const void* xq, std::int64_t n) {
    const auto* w = static_cast<const block_q4_1*>(row);
    const auto* a = static_cast<const act_q16_1*>(xq);
    float acc = 0.0f;
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        const int sum = block_sum(a[b].qs, [&](int j) { return nibble(w[b].qs, j); });
        acc += f16_at(w[b].d) * load_f32(a[b].d) * static_cast<float>(sum) + f16_at(w[b].m) * load_f32(a[b].s);
    }
    return acc;
}

float dot_q5_0_q16_0(const void* row, const void* xq, std::int64_t n) {
    const auto* w = static_cast<const block_q5_0*>(row);
    const auto* a = static_cast<const act_q16_0*>(xq);
    float acc = 0.0f;
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        const std::uint32_t qh = load_u32(w[b].qh);
        const int sum = block_sum(a[b].qs, [&](int j) { return (nibble(w[b].qs, j) | fifth_bit(qh, j)) - 16; });
        acc += f16_at(w[b].d) * load_f32(a[b].d) * static_cast<float>(sum);
    }
    return acc;
}

float dot_q5_1_q16_1(const void* row, const void* xq, std::int64_t n) {
    const auto* w = static_cast<const block_q5_1*>(row);
    const auto* a = static_cast<const act_q16_1*>(xq);
    float acc = 0.0f;
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        const std::uint32_t qh = load_u32(w[b].qh);
        const int sum = block_sum(a[b].qs, [&](int j) { return nibble(w[b].qs, j) | fifth_bit(qh, j); });
        acc += f16_at(w[b].d) * load_f32(a[b].d) * static_cast<float>(sum) + f16_at(w[b].m) * load_f32(a[b].s);
    }
    return acc;
}

float dot_q8_0_q16_0(const void* row, const void* xq, std::int64_t n) {
    const auto* w = static_cast<const block_q8_0*>(row);
    const auto* a = static_cast<const act_q16_0*>(xq);
    float acc = 0.0f;
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        const int sum = block_sum(a[b].qs, [&](int j) { return static_cast<int>(w[b].qs[j]); });
        acc += f16_at(w[b].d) * load_f32(a[b].d) * static_cast<float>(sum);
    }
    return acc;
}

}  // namespace hearth::cpu::quant::scalar
