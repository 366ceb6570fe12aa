// AVX2 kernels for Q4_1 rows in the split layout (block_layouts.h) against act_q16_1s activations. Per
// eight blocks, two conversions give the eight weight scales and offsets, one multiply the eight products
// dw·dx and one FMA the offsets' share Σ m·s; per block there remain the nibble widening, two vpmaddwd and
// one FMA with the block's broadcast product (block_q4_1's kernel converts and multiplies per block).

#include "backend/cpu/quant/avx2_common.h"
#include "backend/cpu/quant/kernels.h"

namespace hearth::cpu::quant::avx2 {
namespace {

// One block's 16 bytes of nibbles (elements 0..15 low, 16..31 high) as two vectors of 16 int16.
HEARTH_AVX2_INLINE void widen_nibbles(const std::uint8_t* qs, __m256i& lo, __m256i& hi) {
    const __m256i bytes = _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(qs)));
    lo = _mm256_and_si256(bytes, _mm256_set1_epi16(0x0F));
    hi = _mm256_srli_epi16(bytes, 4);
}
HEARTH_AVX2_INLINE __m256i block_dot(const std::uint8_t* qs, const std::uint8_t* xs) {
    __m256i lo, hi;
    widen_nibbles(qs, lo, hi);
    return int16_block_dot(lo, hi, xs);
}
HEARTH_AVXVNNI_INLINE __m256i block_dot_vnni(const std::uint8_t* qs, const std::uint8_t* xs) {
    __m256i lo, hi;
    widen_nibbles(qs, lo, hi);
    return int16_block_dot_vnni(lo, hi, xs);
}

}  // namespace

void quantize_q16_1s(const float* x, void* out, std::int64_t n) { quantize_q16_1s_with(quantize_q16_1, x, out, n); }

// The kernel, once per block dot (vpmaddwd, or vpdpwssd on AVX-VNNI).
#define HEARTH_DOT_Q4_1S(target, block_dot)                                                               \
    target float dot_q4_1s_q16_1s(const void* row, const void* xq, std::int64_t n) {                     \
        const q4_1_split_row r = q4_1_split_row::at(row, n);                                              \
        const act_q16_1s_row a = act_q16_1s_row::at(xq, n);                                               \
        __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps(), offsets = _mm256_setzero_ps();      \
        alignas(32) float scale[8];                                                                       \
        std::int64_t b = 0;                                                                               \
        for (; b + 8 <= r.nb; b += 8) {                                                                   \
            const __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r.d + 2 * b))); \
            const __m256 mw = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r.m + 2 * b))); \
            _mm256_store_ps(scale, _mm256_mul_ps(dw, _mm256_loadu_ps(reinterpret_cast<const float*>(a.d + 4 * b)))); \
            offsets = _mm256_fmadd_ps(mw, _mm256_loadu_ps(reinterpret_cast<const float*>(a.s + 4 * b)), offsets); \
            for (int k = 0; k < 8; k += 2) {                                                              \
                const std::int64_t i = b + k;                                                             \
                acc0 = _mm256_fmadd_ps(_mm256_broadcast_ss(scale + k),                                    \
                                       _mm256_cvtepi32_ps(block_dot(r.qs + 16 * i, a.qs + 64 * i)), acc0); \
                acc1 = _mm256_fmadd_ps(_mm256_broadcast_ss(scale + k + 1),                                \
                                       _mm256_cvtepi32_ps(block_dot(r.qs + 16 * (i + 1), a.qs + 64 * (i + 1))), acc1); \
            }                                                                                             \
        }                                                                                                 \
        float tail_offsets = 0.0f;                                                                        \
        for (; b < r.nb; ++b) {                                                                           \
            const float s = f16_hw(r.d + 2 * b) * load_f32(a.d + 4 * b);                                  \
            acc0 = _mm256_fmadd_ps(_mm256_set1_ps(s), _mm256_cvtepi32_ps(block_dot(r.qs + 16 * b, a.qs + 64 * b)), acc0); \
            tail_offsets += f16_hw(r.m + 2 * b) * load_f32(a.s + 4 * b);                                  \
        }                                                                                                 \
        return hsum(_mm256_add_ps(acc0, acc1)) + hsum(offsets) + tail_offsets;                            \
    }

HEARTH_DOT_Q4_1S(HEARTH_AVX2, block_dot)

}  // namespace hearth::cpu::quant::avx2

namespace hearth::cpu::quant::avxvnni {
using namespace avx2;
HEARTH_DOT_Q4_1S(HEARTH_AVXVNNI, block_dot_vnni)
#undef HEARTH_DOT_Q4_1S
}  // namespace hearth::cpu::quant::avxvnni
