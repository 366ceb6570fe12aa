// AVX2 kernels of the precise path for the K types: int16 activations per 256 elements (act_q16_k) and
// the dot products of Q4_K, Q5_K and Q6_K super-blocks with them. The weights widen to int16 and are
// multiplied by their group's scale in int16 (|q·sc| ≤ 31·63 for Q5_K, 32·128 for Q6_K), so vpmaddwd
// against the activations gives scaled int32 pair sums directly.
//
// int32 headroom, per lane: a super-block's 256 elements fall 32 to a lane; Q4_K 32·15·63·32767 ≈ 0.99e9,
// Q5_K 32·31·63·32767 ≈ 2.05e9 (< 2^31 − 1 = 2.147e9); Q6_K converts to float after each half
// super-block: 16·32·128·32767 = 2.1474e9 ≤ 2^31 − 1.

#include "backend/cpu/quant/avx2_common.h"
#include "backend/cpu/quant/kernels.h"

namespace hearth::cpu::quant::avx2 {
namespace {

HEARTH_AVX2_INLINE __m256i load256(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }
HEARTH_AVX2_INLINE __m128i load128(const void* p) { return _mm_loadu_si128(static_cast<const __m128i*>(p)); }

// Σ over 32 elements of (u·scale)·x for 32 unsigned bytes u, x the 32 int16 at qs16.
HEARTH_AVX2_INLINE __m256i scaled_dot32(__m256i u, __m256i scale, const std::uint8_t* qs16) {
    const __m256i lo = _mm256_mullo_epi16(_mm256_cvtepu8_epi16(_mm256_castsi256_si128(u)), scale);
    const __m256i hi = _mm256_mullo_epi16(_mm256_cvtepu8_epi16(_mm256_extracti128_si256(u, 1)), scale);
    return _mm256_add_epi32(_mm256_madd_epi16(lo, load256(qs16)), _mm256_madd_epi16(hi, load256(qs16 + 32)));
}

template <typename Block, bool five_bit>
HEARTH_AVX2_INLINE float dot_q45_k(const Block* w, const act_q16_k* a, std::int64_t nb) {
    __m256 acc = _mm256_setzero_ps();
    float acc_min = 0.0f;
    for (std::int64_t b = 0; b < nb; ++b) {
        const Bytes16 sc_mn = k_scales_min_16(w[b].scales);
        const float dx = load_f32(a[b].d);
        // Σ_g mn_g · Σx_g: 63 · 32·32767 per term, 8 terms, within int32.
        const __m256i mn = _mm256_cvtepu8_epi32(_mm_cvtsi64_si128(static_cast<long long>(sc_mn.hi)));
        const int min_sum = hsum_i32(_mm256_mullo_epi32(mn, load256(a[b].sums)));
        acc_min += f16_hw(w[b].dmin) * dx * static_cast<float>(min_sum);
        __m256i qh = _mm256_setzero_si256();
        if constexpr (five_bit) qh = load256(w[b].qh);
        __m256i sumi = _mm256_setzero_si256();
        for (int c = 0; c < 4; ++c) {
            __m256i lo, hi;
            k45_chunk<five_bit>(w[b].qs + 32 * c, qh, lo, hi);
            const auto sc_lo = static_cast<short>(sc_mn[2 * c]), sc_hi = static_cast<short>(sc_mn[2 * c + 1]);
            sumi = _mm256_add_epi32(sumi, scaled_dot32(lo, _mm256_set1_epi16(sc_lo), a[b].qs + 128 * c));
            sumi = _mm256_add_epi32(sumi, scaled_dot32(hi, _mm256_set1_epi16(sc_hi), a[b].qs + 128 * c + 64));
        }
        acc = _mm256_fmadd_ps(_mm256_set1_ps(f16_hw(w[b].d) * dx), _mm256_cvtepi32_ps(sumi), acc);
    }
    return hsum(acc) - acc_min;
}

}  // namespace

HEARTH_AVX2 void quantize_q16_k(const float* x, void* out, std::int64_t n) {
    auto* blocks = static_cast<act_q16_k*>(out);
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        __m256i q[32];
        store_f32(blocks[b].d, quantize_vectors<32>(x + b * qk_k, 32767.0f, q));
        for (int g = 0; g < 8; ++g) {
            store_i16x32(q + 4 * g, blocks[b].qs + 64 * g);
            const std::int32_t sum = sum_i32x32(q + 4 * g);
            std::memcpy(blocks[b].sums + 4 * g, &sum, sizeof sum);
        }
    }
}

HEARTH_AVX2 float dot_q4_k_q16_k(const void* row, const void* xq, std::int64_t n) {
    return dot_q45_k<block_q4_k, false>(static_cast<const block_q4_k*>(row), static_cast<const act_q16_k*>(xq), n / qk_k);
}

HEARTH_AVX2 float dot_q5_k_q16_k(const void* row, const void* xq, std::int64_t n) {
    return dot_q45_k<block_q5_k, true>(static_cast<const block_q5_k*>(row), static_cast<const act_q16_k*>(xq), n / qk_k);
}

HEARTH_AVX2 float dot_q6_k_q16_k(const void* row, const void* xq, std::int64_t n) {
    const auto* w = static_cast<const block_q6_k*>(row);
    const auto* a = static_cast<const act_q16_k*>(xq);
    const __m256i bias = _mm256_set1_epi16(32);
    __m256 acc = _mm256_setzero_ps();
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        const __m256 d = _mm256_set1_ps(f16_hw(w[b].d) * load_f32(a[b].d));
        for (int h = 0; h < 2; ++h) {
            __m256i u[4];
            q6_k_half(w[b], h, u);
            __m256i sumi = _mm256_setzero_si256();
            for (int k = 0; k < 4; ++k) {
                // Groups of 16: elements 128h + 32k + 0..15 and + 16..31.
                const int g = 8 * h + 2 * k;
                const __m256i lo = _mm256_mullo_epi16(_mm256_sub_epi16(_mm256_cvtepu8_epi16(_mm256_castsi256_si128(u[k])), bias),
                                                      _mm256_set1_epi16(w[b].scales[g]));
                const __m256i hi = _mm256_mullo_epi16(_mm256_sub_epi16(_mm256_cvtepu8_epi16(_mm256_extracti128_si256(u[k], 1)), bias),
                                                      _mm256_set1_epi16(w[b].scales[g + 1]));
                const std::uint8_t* x = a[b].qs + 2 * (128 * h + 32 * k);
                sumi = _mm256_add_epi32(sumi, _mm256_add_epi32(_mm256_madd_epi16(lo, load256(x)), _mm256_madd_epi16(hi, load256(x + 32))));
            }
            acc = _mm256_fmadd_ps(d, _mm256_cvtepi32_ps(sumi), acc);
        }
    }
    return hsum(acc);
}

}  // namespace hearth::cpu::quant::avx2
