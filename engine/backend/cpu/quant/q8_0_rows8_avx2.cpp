// AVX2 kernel for Q8_0 matrices in the eight-row layout (block_layouts.h) against act_q16_0 activations.
// Per block: sixteen sign extensions of 16 quants, each multiplied (vpmaddwd, or vpdpwssd on AVX-VNNI) by
// one activation pair broadcast to all lanes and summed into int32 lane r = row r; then one conversion, one
// multiply for the eight rows' dw·dx and one FMA.

#include "backend/cpu/quant/avx2_common.h"
#include "backend/cpu/quant/kernels.h"

namespace hearth::cpu::quant::avx2 {
namespace {
HEARTH_AVX2_INLINE __m256i quants_at(const std::int8_t* qs, int chunk) {
    return _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(qs + 16 * chunk)));
}
}  // namespace

// The kernel, once per multiply-add (vpmaddwd + vpaddd, or vpdpwssd); two int32 sums alternate.
#define HEARTH_DOT_Q8_0R8(target, madd_add)                                                                \
    target void dot_q8_0r8_q16_0(const void* group, const void* xq, std::int64_t n, float* out) {        \
        const auto* blocks = static_cast<const q8_0_rows8_block*>(group);                                 \
        const auto* act = static_cast<const act_q16_0*>(xq);                                               \
        __m256 acc = _mm256_setzero_ps();                                                                 \
        for (std::int64_t b = 0; b < n / qk_legacy; ++b) {                                                \
            const q8_0_rows8_block& g = blocks[b];                                                        \
            __m256i s0 = _mm256_setzero_si256(), s1 = _mm256_setzero_si256();                             \
            for (int p = 0; p < 16; p += 2) {                                                             \
                s0 = madd_add(s0, quants_at(g.qs, p), broadcast_pair(act[b].qs, p));                              \
                s1 = madd_add(s1, quants_at(g.qs, p + 1), broadcast_pair(act[b].qs, p + 1));                      \
            }                                                                                             \
            const __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(g.d)));    \
            acc = _mm256_fmadd_ps(_mm256_mul_ps(dw, _mm256_set1_ps(load_f32(act[b].d))),                  \
                                  _mm256_cvtepi32_ps(_mm256_add_epi32(s0, s1)), acc);                     \
        }                                                                                                 \
        _mm256_storeu_ps(out, acc);                                                                       \
    }

HEARTH_DOT_Q8_0R8(HEARTH_AVX2, madd_add)

}  // namespace hearth::cpu::quant::avx2

namespace hearth::cpu::quant::avxvnni {
using namespace avx2;
HEARTH_DOT_Q8_0R8(HEARTH_AVXVNNI, madd_add_vnni)
#undef HEARTH_DOT_Q8_0R8
}  // namespace hearth::cpu::quant::avxvnni
