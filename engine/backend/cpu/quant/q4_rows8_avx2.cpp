// AVX2 kernels for Q4_0, Q4_1 and Q5_0 matrices in the eight-row layouts (block_layouts.h), against
// act_q16_0 (Q4_0) and act_q16_1s activations. Q5_0 ORs each quant's fifth bit in (a shift and an and of its
// qh word) and takes 16·Σx off through the activations' block sums. Per block: four 32-byte loads of nibbles; per load four nibble extractions (an
// and, a shift, or both; Q4_0 then subtracts 8), each multiplied (vpmaddwd, or vpdpwssd on AVX-VNNI) by one
// activation pair broadcast to all lanes and summed into int32 lane r = row r; then one conversion, one
// multiply for the eight rows' dw·dx and one FMA (Q4_1: one more for its offsets m·s).

#include "backend/cpu/quant/avx2_common.h"
#include "backend/cpu/quant/kernels.h"

namespace hearth::cpu::quant::avx2 {
namespace {
// Σ over one block of each row's quants (minus 8 where `centered`) times the 32 int16 activations at xs:
// int32 lane r = row r. Two sums alternate so consecutive multiply-adds do not wait on each other. (A macro,
// not a lambda: a lambda would not inherit the function's target.)
#define HEARTH_CENTER(v) (centered ? _mm256_sub_epi16((v), eight) : (v))
#define HEARTH_NIBBLE_DOTS(inline_target, name, madd_add)                                                  \
    template <bool centered>                                                                              \
    inline_target __m256i name(const std::uint8_t* qs, const std::uint8_t* xs) {                         \
        const __m256i low4 = _mm256_set1_epi16(0x0F), eight = _mm256_set1_epi16(8);                       \
        __m256i s0 = _mm256_setzero_si256(), s1 = _mm256_setzero_si256();                                 \
        for (int c = 0; c < 4; ++c) {                                                                     \
            const __m256i w = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(qs + 32 * c));          \
            s0 = madd_add(s0, HEARTH_CENTER(_mm256_and_si256(w, low4)), broadcast_pair(xs, 4 * c));                     \
            s1 = madd_add(s1, HEARTH_CENTER(_mm256_and_si256(_mm256_srli_epi16(w, 4), low4)), broadcast_pair(xs, 4 * c + 1)); \
            s0 = madd_add(s0, HEARTH_CENTER(_mm256_and_si256(_mm256_srli_epi16(w, 8), low4)), broadcast_pair(xs, 4 * c + 2)); \
            s1 = madd_add(s1, HEARTH_CENTER(_mm256_srli_epi16(w, 12)), broadcast_pair(xs, 4 * c + 3));                 \
        }                                                                                                 \
        return _mm256_add_epi32(s0, s1);                                                                  \
    }
HEARTH_NIBBLE_DOTS(HEARTH_AVX2_INLINE, nibble_dots, madd_add)
HEARTH_NIBBLE_DOTS(HEARTH_AVXVNNI_INLINE, nibble_dots_vnni, madd_add_vnni)
#undef HEARTH_NIBBLE_DOTS
#undef HEARTH_CENTER

// The same over Q5_0's quants: each nibble ORed with its fifth bit, bit 4c + j of the lane's qh word moved
// to bit 4 (c and j are constants once the loop is unrolled, so both shifts take immediates).
#define HEARTH_BIT4(index) \
    _mm256_and_si256((index) < 4 ? _mm256_slli_epi16(high, 4 - (index)) : _mm256_srli_epi16(high, (index) - 4), bit4)
#define HEARTH_FIVE_BIT_DOTS(inline_target, name, madd_add)                                                \
    inline_target __m256i name(const std::uint8_t* qs, const std::uint8_t* qh, const std::uint8_t* xs) { \
        const __m256i low4 = _mm256_set1_epi16(0x0F), bit4 = _mm256_set1_epi16(0x10);                    \
        const __m256i high = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(qh));                    \
        __m256i s0 = _mm256_setzero_si256(), s1 = _mm256_setzero_si256();                                 \
        _Pragma("GCC unroll 4") for (int c = 0; c < 4; ++c) {                                             \
            const __m256i w = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(qs + 32 * c));          \
            s0 = madd_add(s0, _mm256_or_si256(_mm256_and_si256(w, low4), HEARTH_BIT4(4 * c)), broadcast_pair(xs, 4 * c)); \
            s1 = madd_add(s1, _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(w, 4), low4), HEARTH_BIT4(4 * c + 1)), \
                          broadcast_pair(xs, 4 * c + 1));                                                 \
            s0 = madd_add(s0, _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(w, 8), low4), HEARTH_BIT4(4 * c + 2)), \
                          broadcast_pair(xs, 4 * c + 2));                                                 \
            s1 = madd_add(s1, _mm256_or_si256(_mm256_srli_epi16(w, 12), HEARTH_BIT4(4 * c + 3)), broadcast_pair(xs, 4 * c + 3)); \
        }                                                                                                 \
        return _mm256_add_epi32(s0, s1);                                                                  \
    }
HEARTH_FIVE_BIT_DOTS(HEARTH_AVX2_INLINE, five_bit_dots, madd_add)
HEARTH_FIVE_BIT_DOTS(HEARTH_AVXVNNI_INLINE, five_bit_dots_vnni, madd_add_vnni)
#undef HEARTH_FIVE_BIT_DOTS
#undef HEARTH_BIT4
}  // namespace

// The kernels, once per nibble_dots / five_bit_dots (vpmaddwd + vpaddd, or vpdpwssd).
#define HEARTH_DOT_Q4R8(target, nibble_dots, five_bit_dots)                                                \
    target void dot_q4_0r8_q16_0(const void* group, const void* xq, std::int64_t n, float* out) {        \
        const auto* blocks = static_cast<const q4_0_rows8_block*>(group);                                 \
        const auto* act = static_cast<const act_q16_0*>(xq);                                               \
        __m256 acc = _mm256_setzero_ps();                                                                 \
        for (std::int64_t b = 0; b < n / qk_legacy; ++b) {                                                \
            const __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks[b].d))); \
            acc = _mm256_fmadd_ps(_mm256_mul_ps(dw, _mm256_set1_ps(load_f32(act[b].d))),                  \
                                  _mm256_cvtepi32_ps(nibble_dots<true>(blocks[b].qs, act[b].qs)), acc);   \
        }                                                                                                 \
        _mm256_storeu_ps(out, acc);                                                                       \
    }                                                                                                     \
    target void dot_q4_1r8_q16_1s(const void* group, const void* xq, std::int64_t n, float* out) {       \
        const auto* blocks = static_cast<const q4_1_rows8_block*>(group);                                 \
        const act_q16_1s_row a = act_q16_1s_row::at(xq, n);                                                \
        __m256 acc = _mm256_setzero_ps(), offsets = _mm256_setzero_ps();                                  \
        for (std::int64_t b = 0; b < a.nb; ++b) {                                                         \
            const q4_1_rows8_block& g = blocks[b];                                                        \
            const __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(g.d)));    \
            const __m256 mw = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(g.m)));    \
            acc = _mm256_fmadd_ps(_mm256_mul_ps(dw, _mm256_set1_ps(load_f32(a.d + 4 * b))),               \
                                  _mm256_cvtepi32_ps(nibble_dots<false>(g.qs, a.qs + 64 * b)), acc);      \
            offsets = _mm256_fmadd_ps(mw, _mm256_set1_ps(load_f32(a.s + 4 * b)), offsets);                \
        }                                                                                                 \
        _mm256_storeu_ps(out, _mm256_add_ps(acc, offsets));                                               \
    }                                                                                                     \
    target void dot_q5_0r8_q16_1s(const void* group, const void* xq, std::int64_t n, float* out) {       \
        const auto* blocks = static_cast<const q5_0_rows8_block*>(group);                                 \
        const act_q16_1s_row a = act_q16_1s_row::at(xq, n);                                                \
        __m256 acc = _mm256_setzero_ps(), sums = _mm256_setzero_ps();                                     \
        for (std::int64_t b = 0; b < a.nb; ++b) {                                                         \
            const q5_0_rows8_block& g = blocks[b];                                                        \
            const __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(g.d)));    \
            acc = _mm256_fmadd_ps(_mm256_mul_ps(dw, _mm256_set1_ps(load_f32(a.d + 4 * b))),               \
                                  _mm256_cvtepi32_ps(five_bit_dots(g.qs, g.qh, a.qs + 64 * b)), acc);     \
            sums = _mm256_fmadd_ps(dw, _mm256_set1_ps(load_f32(a.s + 4 * b)), sums);                       \
        }                                                                                                 \
        _mm256_storeu_ps(out, _mm256_fnmadd_ps(_mm256_set1_ps(16.0f), sums, acc));                        \
    }

HEARTH_DOT_Q4R8(HEARTH_AVX2, nibble_dots, five_bit_dots)

}  // namespace hearth::cpu::quant::avx2

namespace hearth::cpu::quant::avxvnni {
using namespace avx2;
HEARTH_DOT_Q4R8(HEARTH_AVXVNNI, nibble_dots_vnni, five_bit_dots_vnni)
#undef HEARTH_DOT_Q4R8
}  // namespace hearth::cpu::quant::avxvnni
