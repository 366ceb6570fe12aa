// Scalar dequantizers: the reference every other kernel is checked against, and ggml's dequantize_row_*
// semantics to the bit. The float operations follow ggml's order (d·sc, then ·q, then − m). The products
// are exact in f32 (an f16 scale's 11 significant bits times integer factors of at most 12 bits together,
// Q6_K's 127·31 being the widest), so the only rounding is the final add of m in the affine types.

#include <cstring>

#include "backend/cpu/quant/block_layouts.h"
#include "backend/cpu/quant/kernels.h"

namespace hearth::cpu::quant::scalar {

void dequantize_f32(const void* row, float* out, std::int64_t n) {
    std::memcpy(out, row, static_cast<std::size_t>(n) * sizeof(float));
}

void dequantize_f16(const void* row, float* out, std::int64_t n) {
    const auto* p = static_cast<const std::uint8_t*>(row);
    for (std::int64_t i = 0; i < n; ++i) out[i] = f16_at(p + 2 * i);
}

void dequantize_bf16(const void* row, float* out, std::int64_t n) {
    const auto* p = static_cast<const std::uint8_t*>(row);
    for (std::int64_t i = 0; i < n; ++i) out[i] = bf16_to_f32(load_u16(p + 2 * i));
}

void dequantize_q4_0(const void* row, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const block_q4_0*>(row);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b, out += qk_legacy) {
        const block_q4_0& blk = blocks[b];
        const float d = f16_at(blk.d);
        for (int j = 0; j < 16; ++j) {
            out[j] = d * static_cast<float>((blk.qs[j] & 0xF) - 8);
            out[j + 16] = d * static_cast<float>((blk.qs[j] >> 4) - 8);
        }
    }
}

void dequantize_q4_1(const void* row, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const block_q4_1*>(row);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b, out += qk_legacy) {
        const block_q4_1& blk = blocks[b];
        const float d = f16_at(blk.d);
        const float m = f16_at(blk.m);
        for (int j = 0; j < 16; ++j) {
            out[j] = d * static_cast<float>(blk.qs[j] & 0xF) + m;
            out[j + 16] = d * static_cast<float>(blk.qs[j] >> 4) + m;
        }
    }
}

void dequantize_q5_0(const void* row, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const block_q5_0*>(row);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b, out += qk_legacy) {
        const block_q5_0& blk = blocks[b];
        const float d = f16_at(blk.d);
        const std::uint32_t qh = load_u32(blk.qh);
        for (int j = 0; j < 16; ++j) {
            const int lo = (blk.qs[j] & 0xF) | (((qh >> j) & 1) << 4);
            const int hi = (blk.qs[j] >> 4) | (((qh >> (j + 16)) & 1) << 4);
            out[j] = d * static_cast<float>(lo - 16);
            out[j + 16] = d * static_cast<float>(hi - 16);
        }
    }
}

void dequantize_q5_1(const void* row, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const block_q5_1*>(row);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b, out += qk_legacy) {
        const block_q5_1& blk = blocks[b];
        const float d = f16_at(blk.d);
        const float m = f16_at(blk.m);
        const std::uint32_t qh = load_u32(blk.qh);
        for (int j = 0; j < 16; ++j) {
            const int lo = (blk.qs[j] & 0xF) | (((qh >> j) & 1) << 4);
            const int hi = (blk.qs[j] >> 4) | (((qh >> (j + 16)) & 1) << 4);
            out[j] = d * static_cast<float>(lo) + m;
            out[j + 16] = d * static_cast<float>(hi) + m;
        }
    }
}

void dequantize_q8_0(const void* row, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const block_q8_0*>(row);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b, out += qk_legacy) {
        const float d = f16_at(blocks[b].d);
        for (int j = 0; j < 32; ++j) out[j] = d * static_cast<float>(blocks[b].qs[j]);
    }
}

void dequantize_q2_k(const void* row, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const block_q2_k*>(row);
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        const block_q2_k& blk = blocks[b];
        const float d = f16_at(blk.d);
        const float dmin = f16_at(blk.dmin);
        for (int e = 0; e < qk_k; ++e) {
            const int h = e / 128, j = (e % 128) / 32, l = e % 32, g = e / 16;
            const float dl = d * static_cast<float>(blk.scales[g] & 0xF);
            const float ml = dmin * static_cast<float>(blk.scales[g] >> 4);
            const int q = (blk.qs[32 * h + l] >> (2 * j)) & 3;
            *out++ = dl * static_cast<float>(q) - ml;
        }
    }
}

void dequantize_q3_k(const void* row, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const block_q3_k*>(row);
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        const block_q3_k& blk = blocks[b];
        const float d = f16_at(blk.d);
        std::int8_t sc[16];
        q3_k_scales(blk.scales, sc);
        for (int e = 0; e < qk_k; ++e) {
            const int h = e / 128, j = (e % 128) / 32, l = e % 32;
            const int low = (blk.qs[32 * h + l] >> (2 * j)) & 3;
            const int high = (blk.hmask[l] >> (4 * h + j)) & 1;
            const float dl = d * static_cast<float>(sc[e / 16]);
            *out++ = dl * static_cast<float>(low - (high ? 0 : 4));
        }
    }
}

void dequantize_q4_k(const void* row, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const block_q4_k*>(row);
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        const block_q4_k& blk = blocks[b];
        const float d = f16_at(blk.d);
        const float dmin = f16_at(blk.dmin);
        for (int g = 0; g < 8; ++g) {
            std::uint8_t sc, mn;
            k_scale_min(blk.scales, g, sc, mn);
            const float d1 = d * static_cast<float>(sc);
            const float m1 = dmin * static_cast<float>(mn);
            const std::uint8_t* qs = blk.qs + 32 * (g / 2);
            const int shift = 4 * (g % 2);
            for (int l = 0; l < 32; ++l) *out++ = d1 * static_cast<float>((qs[l] >> shift) & 0xF) - m1;
        }
    }
}

void dequantize_q5_k(const void* row, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const block_q5_k*>(row);
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        const block_q5_k& blk = blocks[b];
        const float d = f16_at(blk.d);
        const float dmin = f16_at(blk.dmin);
        for (int g = 0; g < 8; ++g) {
            std::uint8_t sc, mn;
            k_scale_min(blk.scales, g, sc, mn);
            const float d1 = d * static_cast<float>(sc);
            const float m1 = dmin * static_cast<float>(mn);
            const std::uint8_t* qs = blk.qs + 32 * (g / 2);
            const int shift = 4 * (g % 2);
            for (int l = 0; l < 32; ++l) {
                const int q = ((qs[l] >> shift) & 0xF) | (((blk.qh[l] >> g) & 1) << 4);
                *out++ = d1 * static_cast<float>(q) - m1;
            }
        }
    }
}

void dequantize_q6_k(const void* row, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const block_q6_k*>(row);
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        const block_q6_k& blk = blocks[b];
        const float d = f16_at(blk.d);
        for (int e = 0; e < qk_k; ++e) {
            const int h = e / 128, r = e % 128;
            const int low = (blk.ql[64 * h + r % 64] >> (4 * (r / 64))) & 0xF;
            const int high = (blk.qh[32 * h + r % 32] >> (2 * (r / 32))) & 3;
            const float dl = d * static_cast<float>(blk.scales[e / 16]);
            *out++ = dl * static_cast<float>((low | (high << 4)) - 32);
        }
    }
}

}  // namespace hearth::cpu::quant::scalar
