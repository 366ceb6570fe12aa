// Scalar dot products. dot_f32_* dequantize a few blocks at a time into a stack buffer with the reference
// dequantizers and accumulate in f32, so they equal dequantize-then-dot up to the order of the additions.
// dot_*_q8_* are the integer forms of the same sums (see block_layouts.h for each w = f(q)):
//   Q4_0, Q5_0, Q8_0 · Q8_0:  Σ_b dw·dx·Σ qw·qx
//   Q4_1, Q5_1 · Q8_1:        Σ_b dw·dx·Σ qw·qx + m·s              (s = dx·Σqx)
//   Q2_K, Q4_K, Q5_K · Q8_K:  Σ_b dx·(d·Σ_g sc_g·Σ qw·qx − dmin·Σ_g mn_g·Σ_g qx)
//   Q3_K, Q6_K · Q8_K:        Σ_b dx·d·Σ_g sc_g·(Σ u·qx − bias·Σ_g qx)  (q = u − bias, u unsigned)
// Σ_g qx comes from Q8_K's bsums, one per 16 elements.

#include <algorithm>

#include "backend/cpu/quant/block_layouts.h"
#include "backend/cpu/quant/kernels.h"

namespace hearth::cpu::quant::scalar {
namespace {

using DequantizeFn = void (*)(const void*, float*, std::int64_t);

template <DequantizeFn dequantize, int block_elems, int block_bytes>
float dot_via_dequantize(const void* row, const float* x, std::int64_t n) {
    constexpr int chunk = 256;  // a multiple of every block size
    static_assert(chunk % block_elems == 0);
    const auto* p = static_cast<const std::uint8_t*>(row);
    float w[chunk];
    float acc = 0.0f;
    for (std::int64_t i = 0; i < n; i += chunk) {
        const int len = static_cast<int>(std::min<std::int64_t>(chunk, n - i));
        dequantize(p + i / block_elems * block_bytes, w, len);
        for (int j = 0; j < len; ++j) acc += w[j] * x[i + j];
    }
    return acc;
}

std::int16_t bsum(const act_q8_k& a, int g) { return load_i16(a.bsums + 2 * g); }

}  // namespace

float dot_f32_f32(const void* row, const float* x, std::int64_t n) {
    const auto* p = static_cast<const std::uint8_t*>(row);
    float acc = 0.0f;
    for (std::int64_t i = 0; i < n; ++i) acc += load_f32(p + 4 * i) * x[i];
    return acc;
}

float dot_f32_f16(const void* row, const float* x, std::int64_t n) {
    return dot_via_dequantize<dequantize_f16, 1, 2>(row, x, n);
}
float dot_f32_bf16(const void* row, const float* x, std::int64_t n) {
    return dot_via_dequantize<dequantize_bf16, 1, 2>(row, x, n);
}
float dot_f32_q4_0(const void* row, const float* x, std::int64_t n) {
    return dot_via_dequantize<dequantize_q4_0, 32, sizeof(block_q4_0)>(row, x, n);
}
float dot_f32_q4_1(const void* row, const float* x, std::int64_t n) {
    return dot_via_dequantize<dequantize_q4_1, 32, sizeof(block_q4_1)>(row, x, n);
}
float dot_f32_q5_0(const void* row, const float* x, std::int64_t n) {
    return dot_via_dequantize<dequantize_q5_0, 32, sizeof(block_q5_0)>(row, x, n);
}
float dot_f32_q5_1(const void* row, const float* x, std::int64_t n) {
    return dot_via_dequantize<dequantize_q5_1, 32, sizeof(block_q5_1)>(row, x, n);
}
float dot_f32_q8_0(const void* row, const float* x, std::int64_t n) {
    return dot_via_dequantize<dequantize_q8_0, 32, sizeof(block_q8_0)>(row, x, n);
}
float dot_f32_q2_k(const void* row, const float* x, std::int64_t n) {
    return dot_via_dequantize<dequantize_q2_k, 256, sizeof(block_q2_k)>(row, x, n);
}
float dot_f32_q3_k(const void* row, const float* x, std::int64_t n) {
    return dot_via_dequantize<dequantize_q3_k, 256, sizeof(block_q3_k)>(row, x, n);
}
float dot_f32_q4_k(const void* row, const float* x, std::int64_t n) {
    return dot_via_dequantize<dequantize_q4_k, 256, sizeof(block_q4_k)>(row, x, n);
}
float dot_f32_q5_k(const void* row, const float* x, std::int64_t n) {
    return dot_via_dequantize<dequantize_q5_k, 256, sizeof(block_q5_k)>(row, x, n);
}
float dot_f32_q6_k(const void* row, const float* x, std::int64_t n) {
    return dot_via_dequantize<dequantize_q6_k, 256, sizeof(block_q6_k)>(row, x, n);
}

// ---- 32-element blocks ----

float dot_q4_0_q8_0(const void* row, const void* xq, std::int64_t n) {
    const auto* w = static_cast<const block_q4_0*>(row);
    const auto* a = static_cast<const act_q8_0*>(xq);
    float acc = 0.0f;
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        int sum = 0;
        for (int j = 0; j < 16; ++j) {
            sum += ((w[b].qs[j] & 0xF) - 8) * a[b].qs[j] + ((w[b].qs[j] >> 4) - 8) * a[b].qs[j + 16];
        }
        acc += f16_at(w[b].d) * load_f32(a[b].d) * static_cast<float>(sum);
    }
    return acc;
}

float dot_q4_1_q8_1(const void* row, const void* xq, std::int64_t n) {
    const auto* w = static_cast<const block_q4_1*>(row);
    const auto* a = static_cast<const act_q8_1*>(xq);
    float acc = 0.0f;
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        int sum = 0;
        for (int j = 0; j < 16; ++j) {
            sum += (w[b].qs[j] & 0xF) * a[b].qs[j] + (w[b].qs[j] >> 4) * a[b].qs[j + 16];
        }
        acc += f16_at(w[b].d) * load_f32(a[b].d) * static_cast<float>(sum) + f16_at(w[b].m) * load_f32(a[b].s);
    }
    return acc;
}

float dot_q5_0_q8_0(const void* row, const void* xq, std::int64_t n) {
    const auto* w = static_cast<const block_q5_0*>(row);
    const auto* a = static_cast<const act_q8_0*>(xq);
    float acc = 0.0f;
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        const std::uint32_t qh = load_u32(w[b].qh);
        int sum = 0;
        for (int j = 0; j < 16; ++j) {
            const int lo = ((w[b].qs[j] & 0xF) | (((qh >> j) & 1) << 4)) - 16;
            const int hi = ((w[b].qs[j] >> 4) | (((qh >> (j + 16)) & 1) << 4)) - 16;
            sum += lo * a[b].qs[j] + hi * a[b].qs[j + 16];
        }
        acc += f16_at(w[b].d) * load_f32(a[b].d) * static_cast<float>(sum);
    }
    return acc;
}

float dot_q5_1_q8_1(const void* row, const void* xq, std::int64_t n) {
    const auto* w = static_cast<const block_q5_1*>(row);
    const auto* a = static_cast<const act_q8_1*>(xq);
    float acc = 0.0f;
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        const std::uint32_t qh = load_u32(w[b].qh);
        int sum = 0;
        for (int j = 0; j < 16; ++j) {
            const int lo = (w[b].qs[j] & 0xF) | (((qh >> j) & 1) << 4);
            const int hi = (w[b].qs[j] >> 4) | (((qh >> (j + 16)) & 1) << 4);
            sum += lo * a[b].qs[j] + hi * a[b].qs[j + 16];
        }
        acc += f16_at(w[b].d) * load_f32(a[b].d) * static_cast<float>(sum) + f16_at(w[b].m) * load_f32(a[b].s);
    }
    return acc;
}

float dot_q8_0_q8_0(const void* row, const void* xq, std::int64_t n) {
    const auto* w = static_cast<const block_q8_0*>(row);
    const auto* a = static_cast<const act_q8_0*>(xq);
    float acc = 0.0f;
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        int sum = 0;
        for (int j = 0; j < 32; ++j) sum += w[b].qs[j] * a[b].qs[j];
        acc += f16_at(w[b].d) * load_f32(a[b].d) * static_cast<float>(sum);
    }
    return acc;
}

// ---- 256-element super-blocks ----

float dot_q2_k_q8_k(const void* row, const void* xq, std::int64_t n) {
    const auto* w = static_cast<const block_q2_k*>(row);
    const auto* a = static_cast<const act_q8_k*>(xq);
    float acc = 0.0f;
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        int sum = 0, sum_min = 0;
        for (int g = 0; g < 16; ++g) {
            const int h = g / 8, j = (g % 8) / 2, l0 = 16 * (g % 2);
            int s = 0;
            for (int l = l0; l < l0 + 16; ++l) s += ((w[b].qs[32 * h + l] >> (2 * j)) & 3) * a[b].qs[16 * g + l - l0];
            sum += (w[b].scales[g] & 0xF) * s;
            sum_min += (w[b].scales[g] >> 4) * bsum(a[b], g);
        }
        const float dx = load_f32(a[b].d);
        acc += dx * (f16_at(w[b].d) * static_cast<float>(sum) - f16_at(w[b].dmin) * static_cast<float>(sum_min));
    }
    return acc;
}

float dot_q3_k_q8_k(const void* row, const void* xq, std::int64_t n) {
    const auto* w = static_cast<const block_q3_k*>(row);
    const auto* a = static_cast<const act_q8_k*>(xq);
    float acc = 0.0f;
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        std::int8_t sc[16];
        q3_k_scales(w[b].scales, sc);
        int sum = 0;
        for (int g = 0; g < 16; ++g) {
            const int h = g / 8, j = (g % 8) / 2, l0 = 16 * (g % 2);
            int s = 0;
            for (int l = l0; l < l0 + 16; ++l) {
                const int u = ((w[b].qs[32 * h + l] >> (2 * j)) & 3) | (((w[b].hmask[l] >> (4 * h + j)) & 1) << 2);
                s += u * a[b].qs[16 * g + l - l0];
            }
            sum += sc[g] * (s - 4 * bsum(a[b], g));
        }
        acc += load_f32(a[b].d) * f16_at(w[b].d) * static_cast<float>(sum);
    }
    return acc;
}

float dot_q4_k_q8_k(const void* row, const void* xq, std::int64_t n) {
    const auto* w = static_cast<const block_q4_k*>(row);
    const auto* a = static_cast<const act_q8_k*>(xq);
    float acc = 0.0f;
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        int sum = 0, sum_min = 0;
        for (int g = 0; g < 8; ++g) {
            std::uint8_t sc, mn;
            k_scale_min(w[b].scales, g, sc, mn);
            const std::uint8_t* qs = w[b].qs + 32 * (g / 2);
            int s = 0;
            for (int l = 0; l < 32; ++l) s += ((qs[l] >> (4 * (g % 2))) & 0xF) * a[b].qs[32 * g + l];
            sum += sc * s;
            sum_min += mn * (bsum(a[b], 2 * g) + bsum(a[b], 2 * g + 1));
        }
        const float dx = load_f32(a[b].d);
        acc += dx * (f16_at(w[b].d) * static_cast<float>(sum) - f16_at(w[b].dmin) * static_cast<float>(sum_min));
    }
    return acc;
}

float dot_q5_k_q8_k(const void* row, const void* xq, std::int64_t n) {
    const auto* w = static_cast<const block_q5_k*>(row);
    const auto* a = static_cast<const act_q8_k*>(xq);
    float acc = 0.0f;
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        int sum = 0, sum_min = 0;
        for (int g = 0; g < 8; ++g) {
            std::uint8_t sc, mn;
            k_scale_min(w[b].scales, g, sc, mn);
            const std::uint8_t* qs = w[b].qs + 32 * (g / 2);
            int s = 0;
            for (int l = 0; l < 32; ++l) {
                const int q = ((qs[l] >> (4 * (g % 2))) & 0xF) | (((w[b].qh[l] >> g) & 1) << 4);
                s += q * a[b].qs[32 * g + l];
            }
            sum += sc * s;
            sum_min += mn * (bsum(a[b], 2 * g) + bsum(a[b], 2 * g + 1));
        }
        const float dx = load_f32(a[b].d);
        acc += dx * (f16_at(w[b].d) * static_cast<float>(sum) - f16_at(w[b].dmin) * static_cast<float>(sum_min));
    }
    return acc;
}

float dot_q6_k_q8_k(const void* row, const void* xq, std::int64_t n) {
    const auto* w = static_cast<const block_q6_k*>(row);
    const auto* a = static_cast<const act_q8_k*>(xq);
    float acc = 0.0f;
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        int sum = 0;
        for (int g = 0; g < 16; ++g) {
            int s = 0;
            for (int i = 0; i < 16; ++i) {
                const int e = 16 * g + i, h = e / 128, r = e % 128;
                const int low = (w[b].ql[64 * h + r % 64] >> (4 * (r / 64))) & 0xF;
                const int high = (w[b].qh[32 * h + r % 32] >> (2 * (r / 32))) & 3;
                s += (low | (high << 4)) * a[b].qs[e];
            }
            sum += w[b].scales[g] * (s - 32 * bsum(a[b], g));
        }
        acc += load_f32(a[b].d) * f16_at(w[b].d) * static_cast<float>(sum);
    }
    return acc;
}

}  // namespace hearth::cpu::quant::scalar
