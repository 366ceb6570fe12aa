// AVX2 kernel for Q4_1 matrices in the eight-row layout (block_layouts.h) against act_q16_1s activations.
// Per block: four 32-byte loads of nibbles; per load four nibble extractions (an and, a shift, or both),
// each multiplied (vpmaddwd, or vpdpwssd on AVX-VNNI) by one activation pair broadcast to all lanes and
// summed into int32 lane r = row r; then one conversion, one multiply for the eight rows' dw·dx and one FMA
// each for the sums and the offsets m·s.

#include "backend/cpu/quant/avx2_common.h"
#include "backend/cpu/quant/kernels.h"

namespace hearth::cpu::quant::avx2 {
namespace {
HEARTH_AVX2_INLINE __m256i pair_at(const std::uint8_t* xs, int pair) {
    return _mm256_set1_epi32(static_cast<int>(load_u32(xs + 4 * pair)));
}
HEARTH_AVX2_INLINE __m256i madd_add(__m256i acc, __m256i w, __m256i x) {
    return _mm256_add_epi32(acc, _mm256_madd_epi16(w, x));
}
HEARTH_AVXVNNI_INLINE __m256i madd_add_vnni(__m256i acc, __m256i w, __m256i x) {
    return _mm256_dpwssd_avx_epi32(acc, w, x);
}
}  // namespace

// The kernel, once per multiply-add (vpmaddwd + vpaddd, or vpdpwssd). Two int32 sums alternate so that
// consecutive multiply-adds do not wait on each other.
#define HEARTH_DOT_Q4_1R8(target, madd_add)                                                                \
    target void dot_q4_1r8_q16_1s(const void* group, const void* xq, std::int64_t n, float* out) {       \
        const auto* blocks = static_cast<const q4_1_rows8_block*>(group);                                 \
        const act_q16_1s_row a = act_q16_1s_row::at(xq, n);                                                \
        const __m256i low4 = _mm256_set1_epi16(0x0F);                                                     \
        __m256 acc = _mm256_setzero_ps(), offsets = _mm256_setzero_ps();                                  \
        for (std::int64_t b = 0; b < a.nb; ++b) {                                                         \
            const q4_1_rows8_block& g = blocks[b];                                                        \
            const std::uint8_t* xs = a.qs + 64 * b;                                                        \
            __m256i s0 = _mm256_setzero_si256(), s1 = _mm256_setzero_si256();                             \
            for (int c = 0; c < 4; ++c) {                                                                 \
                const __m256i w = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(g.qs + 32 * c));    \
                s0 = madd_add(s0, _mm256_and_si256(w, low4), pair_at(xs, 4 * c));                          \
                s1 = madd_add(s1, _mm256_and_si256(_mm256_srli_epi16(w, 4), low4), pair_at(xs, 4 * c + 1)); \
                s0 = madd_add(s0, _mm256_and_si256(_mm256_srli_epi16(w, 8), low4), pair_at(xs, 4 * c + 2)); \
                s1 = madd_add(s1, _mm256_srli_epi16(w, 12), pair_at(xs, 4 * c + 3));                      \
            }                                                                                             \
            const __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(g.d)));    \
            const __m256 mw = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(g.m)));    \
            acc = _mm256_fmadd_ps(_mm256_mul_ps(dw, _mm256_set1_ps(load_f32(a.d + 4 * b))),               \
                                  _mm256_cvtepi32_ps(_mm256_add_epi32(s0, s1)), acc);                     \
            offsets = _mm256_fmadd_ps(mw, _mm256_set1_ps(load_f32(a.s + 4 * b)), offsets);                \
        }                                                                                                 \
        _mm256_storeu_ps(out, _mm256_add_ps(acc, offsets));                                               \
    }

HEARTH_DOT_Q4_1R8(HEARTH_AVX2, madd_add)

}  // namespace hearth::cpu::quant::avx2

namespace hearth::cpu::quant::avxvnni {
using namespace avx2;
HEARTH_DOT_Q4_1R8(HEARTH_AVXVNNI, madd_add_vnni)
#undef HEARTH_DOT_Q4_1R8
}  // namespace hearth::cpu::quant::avxvnni
