// AVX2 dequantizers: the bits of each block are unpacked to one byte per element with the same vector code
// the integer dot products use, then widened and scaled with the scalar reference's float operations
// (mul, then add; a − m is computed as a + (−m), which IEEE makes identical), so the output is
// bit-identical to dequantize.cpp and to ggml.

#include "backend/cpu/quant/avx2_common.h"
#include "backend/cpu/quant/kernels.h"

namespace hearth::cpu::quant::avx2 {
namespace {

HEARTH_AVX2_INLINE __m256i srl16(__m256i v, int count) { return _mm256_srl_epi16(v, _mm_cvtsi32_si128(count)); }

HEARTH_AVX2_INLINE __m256i load256(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }

}  // namespace

HEARTH_AVX2 void dequantize_f32(const void* row, float* out, std::int64_t n) {
    std::memcpy(out, row, static_cast<std::size_t>(n) * sizeof(float));
}

HEARTH_AVX2 void dequantize_f16(const void* row, float* out, std::int64_t n) {
    const auto* p = static_cast<const std::uint8_t*>(row);
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        _mm256_storeu_ps(out + i, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 2 * i))));
    }
    for (; i < n; ++i) out[i] = f16_hw(p + 2 * i);
}

HEARTH_AVX2 void dequantize_bf16(const void* row, float* out, std::int64_t n) {
    const auto* p = static_cast<const std::uint8_t*>(row);
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256i v = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 2 * i)));
        _mm256_storeu_ps(out + i, _mm256_castsi256_ps(_mm256_slli_epi32(v, 16)));
    }
    for (; i < n; ++i) out[i] = bf16_to_f32(load_u16(p + 2 * i));
}

HEARTH_AVX2 void dequantize_q4_0(const void* row, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const block_q4_0*>(row);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b, out += qk_legacy) {
        const __m256i q = _mm256_sub_epi8(nibbles_32(blocks[b].qs), _mm256_set1_epi8(8));
        store_i8x32<false>(q, f16_hw(blocks[b].d), 0.0f, out);
    }
}

HEARTH_AVX2 void dequantize_q4_1(const void* row, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const block_q4_1*>(row);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b, out += qk_legacy) {
        store_i8x32<true>(nibbles_32(blocks[b].qs), f16_hw(blocks[b].d), f16_hw(blocks[b].m), out);
    }
}

HEARTH_AVX2 void dequantize_q5_0(const void* row, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const block_q5_0*>(row);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b, out += qk_legacy) {
        // q − 16 in one step: a clear fifth bit makes the byte 0xF0 | nibble, i.e. nibble − 16 as int8.
        const __m256i minus16 = _mm256_andnot_si256(bits_to_bytes_32(blocks[b].qh), _mm256_set1_epi8(char(0xF0)));
        const __m256i q = _mm256_or_si256(nibbles_32(blocks[b].qs), minus16);
        store_i8x32<false>(q, f16_hw(blocks[b].d), 0.0f, out);
    }
}

HEARTH_AVX2 void dequantize_q5_1(const void* row, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const block_q5_1*>(row);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b, out += qk_legacy) {
        const __m256i high = _mm256_and_si256(bits_to_bytes_32(blocks[b].qh), _mm256_set1_epi8(0x10));
        const __m256i q = _mm256_or_si256(nibbles_32(blocks[b].qs), high);
        store_i8x32<true>(q, f16_hw(blocks[b].d), f16_hw(blocks[b].m), out);
    }
}

HEARTH_AVX2 void dequantize_q8_0(const void* row, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const block_q8_0*>(row);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b, out += qk_legacy) {
        store_i8x32<false>(load256(blocks[b].qs), f16_hw(blocks[b].d), 0.0f, out);
    }
}

HEARTH_AVX2 void dequantize_q2_k(const void* row, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const block_q2_k*>(row);
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        const block_q2_k& blk = blocks[b];
        const float d = f16_hw(blk.d);
        const float dmin = f16_hw(blk.dmin);
        for (int h = 0; h < 2; ++h) {
            const __m256i qs = load256(blk.qs + 32 * h);
            for (int j = 0; j < 4; ++j, out += 32) {
                const __m256i q = _mm256_and_si256(srl16(qs, 2 * j), _mm256_set1_epi8(3));
                const int g = 8 * h + 2 * j;
                store_i8x16<true>(_mm256_castsi256_si128(q), d * static_cast<float>(blk.scales[g] & 0xF),
                                  -(dmin * static_cast<float>(blk.scales[g] >> 4)), out);
                store_i8x16<true>(_mm256_extracti128_si256(q, 1), d * static_cast<float>(blk.scales[g + 1] & 0xF),
                                  -(dmin * static_cast<float>(blk.scales[g + 1] >> 4)), out + 16);
            }
        }
    }
}

HEARTH_AVX2 void dequantize_q3_k(const void* row, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const block_q3_k*>(row);
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        const block_q3_k& blk = blocks[b];
        const float d = f16_hw(blk.d);
        const Bytes16 sc = q3_k_scales_biased_16(blk.scales);  // biased by +32
        const __m256i hmask = load256(blk.hmask);
        for (int h = 0; h < 2; ++h) {
            const __m256i qs = load256(blk.qs + 32 * h);
            for (int j = 0; j < 4; ++j, out += 32) {
                const __m256i low = _mm256_and_si256(srl16(qs, 2 * j), _mm256_set1_epi8(3));
                const __m256i high = _mm256_and_si256(srl16(hmask, 4 * h + j), _mm256_set1_epi8(1));
                // q = low − 4·!high = (low | high << 2) − 4
                const __m256i q = _mm256_sub_epi8(_mm256_or_si256(low, _mm256_slli_epi16(high, 2)), _mm256_set1_epi8(4));
                const int g = 8 * h + 2 * j;
                store_i8x16<false>(_mm256_castsi256_si128(q), d * static_cast<float>(sc[g] - 32), 0.0f, out);
                store_i8x16<false>(_mm256_extracti128_si256(q, 1), d * static_cast<float>(sc[g + 1] - 32), 0.0f,
                                   out + 16);
            }
        }
    }
}

HEARTH_AVX2 void dequantize_q4_k(const void* row, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const block_q4_k*>(row);
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        const block_q4_k& blk = blocks[b];
        const float d = f16_hw(blk.d);
        const float dmin = f16_hw(blk.dmin);
        const Bytes16 sc_mn = k_scales_min_16(blk.scales);
        for (int g = 0; g < 8; ++g, out += 32) {
            const std::uint8_t sc = sc_mn[g], mn = sc_mn[8 + g];
            const __m256i q = _mm256_and_si256(srl16(load256(blk.qs + 32 * (g / 2)), 4 * (g % 2)), _mm256_set1_epi8(0xF));
            store_i8x32<true>(q, d * static_cast<float>(sc), -(dmin * static_cast<float>(mn)), out);
        }
    }
}

HEARTH_AVX2 void dequantize_q5_k(const void* row, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const block_q5_k*>(row);
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        const block_q5_k& blk = blocks[b];
        const float d = f16_hw(blk.d);
        const float dmin = f16_hw(blk.dmin);
        const __m256i qh = load256(blk.qh);
        const Bytes16 sc_mn = k_scales_min_16(blk.scales);
        for (int g = 0; g < 8; ++g, out += 32) {
            const std::uint8_t sc = sc_mn[g], mn = sc_mn[8 + g];
            const __m256i low = _mm256_and_si256(srl16(load256(blk.qs + 32 * (g / 2)), 4 * (g % 2)), _mm256_set1_epi8(0xF));
            const __m256i high = _mm256_and_si256(srl16(qh, g), _mm256_set1_epi8(1));
            const __m256i q = _mm256_or_si256(low, _mm256_slli_epi16(high, 4));
            store_i8x32<true>(q, d * static_cast<float>(sc), -(dmin * static_cast<float>(mn)), out);
        }
    }
}

HEARTH_AVX2 void dequantize_q6_k(const void* row, float* out, std::int64_t n) {
    const auto* blocks = static_cast<const block_q6_k*>(row);
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        const block_q6_k& blk = blocks[b];
        const float d = f16_hw(blk.d);
        for (int h = 0; h < 2; ++h) {
            const __m256i qh = load256(blk.qh + 32 * h);
            for (int k = 0; k < 4; ++k, out += 32) {
                // Elements 128h + 32k + l: nibble k/2 of ql[64h + 32(k%2) + l], bits 2k..2k+1 of qh[32h + l].
                const __m256i ql = load256(blk.ql + 64 * h + 32 * (k % 2));
                const __m256i low = _mm256_and_si256(srl16(ql, 4 * (k / 2)), _mm256_set1_epi8(0xF));
                const __m256i high = _mm256_and_si256(srl16(qh, 2 * k), _mm256_set1_epi8(3));
                const __m256i q = _mm256_sub_epi8(_mm256_or_si256(low, _mm256_slli_epi16(high, 4)), _mm256_set1_epi8(32));
                const int g = 8 * h + 2 * k;
                store_i8x16<false>(_mm256_castsi256_si128(q), d * static_cast<float>(blk.scales[g]), 0.0f, out);
                store_i8x16<false>(_mm256_extracti128_si256(q, 1), d * static_cast<float>(blk.scales[g + 1]), 0.0f,
                                   out + 16);
            }
        }
    }
}

}  // namespace hearth::cpu::quant::avx2
