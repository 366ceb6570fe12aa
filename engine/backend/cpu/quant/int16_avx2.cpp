// AVX2 kernels of the precise path: int16 activations (act_q16_0 / act_q16_1) and the dot products of the
// 32-element weight blocks with them. Per block the weights widen to two vectors of 16 int16 (elements
// 0..15 and 16..31), two vpmaddwd against the activations give exact int32 pair sums, then one
// conversion and one FMA with dw·dx — the same work per block as the 8-bit path's maddubs + madd, so
// the precise path costs what the 8-bit one does (the split 8+8-bit path did it twice).

#include "backend/cpu/quant/avx2_common.h"
#include "backend/cpu/quant/kernels.h"

namespace hearth::cpu::quant::avx2 {
namespace {

HEARTH_AVX2_INLINE __m256i load256(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }
HEARTH_AVX2_INLINE __m128i load128(const void* p) { return _mm_loadu_si128(static_cast<const __m128i*>(p)); }


// 16 packed bytes of nibbles → elements 0..15 (low nibbles) and 16..31 (high nibbles) as int16.
HEARTH_AVX2_INLINE void nibbles_16x2(const std::uint8_t* qs, __m256i& lo, __m256i& hi) {
    const __m256i bytes = _mm256_cvtepu8_epi16(load128(qs));
    lo = _mm256_and_si256(bytes, _mm256_set1_epi16(0x0F));
    hi = _mm256_srli_epi16(bytes, 4);
}

// The 5-bit quants 0..31 of a Q5_0 / Q5_1 block as int16 halves.
HEARTH_AVX2_INLINE void five_bit_16x2(const std::uint8_t* qs, const std::uint8_t* qh, __m256i& lo, __m256i& hi) {
    const __m256i q = _mm256_or_si256(nibbles_32(qs), _mm256_and_si256(bits_to_bytes_32(qh), _mm256_set1_epi8(0x10)));
    lo = _mm256_cvtepu8_epi16(_mm256_castsi256_si128(q));
    hi = _mm256_cvtepu8_epi16(_mm256_extracti128_si256(q, 1));
}

// A kernel describes block i: widen() gives its weights as two int16 halves, scale() the factor of its
// integer dot (and keeps any offset term), act() its activations; the block loops below do the integer
// dot with vpmaddwd or, on AVX-VNNI, vpdpwssd.
// Symmetric weights (Q4_0, Q5_0, Q8_0): `Widen` turns block i into its two int16 halves.
template <typename Block, typename Widen>
struct Symmetric {
    const Block* w;
    const act_q16_0* a;
    HEARTH_AVX2_INLINE void widen(std::int64_t i, __m256i& lo, __m256i& hi) const { Widen{}(w[i], lo, hi); }
    HEARTH_AVX2_INLINE const std::uint8_t* act(std::int64_t i) const { return a[i].qs; }
    HEARTH_AVX2_INLINE __m256 scale(std::int64_t i) { return _mm256_set1_ps(f16_hw(w[i].d) * load_f32(a[i].d)); }
    static float extra() { return 0.0f; }
};

// Q4_1 / Q5_1: one f16 pair conversion gives [dw, m], one multiply by [dx, s] gives [dw·dx, m·s]; lane 0
// scales the block, lane 1 is summed into `ms` (as the 8-bit kernels do).
template <typename Block, typename Widen>
struct Affine {
    const Block* w;
    const act_q16_1* a;
    __m128 ms = _mm_setzero_ps();
    HEARTH_AVX2_INLINE void widen(std::int64_t i, __m256i& lo, __m256i& hi) const { Widen{}(w[i], lo, hi); }
    HEARTH_AVX2_INLINE const std::uint8_t* act(std::int64_t i) const { return a[i].qs; }
    HEARTH_AVX2_INLINE __m256 scale(std::int64_t i) {
        const __m128 prod = affine_scales(w[i].d, a[i].d);
        ms = _mm_add_ps(ms, prod);
        return _mm256_broadcastss_ps(prod);
    }
    HEARTH_AVX2_INLINE float extra() const { return _mm_cvtss_f32(_mm_movehdup_ps(ms)); }
};

// Both loops: blocks alternate between two accumulators so consecutive FMAs do not wait on each other.
// Two copies because a function's target (avxvnni or not) cannot be a template parameter, and a VNNI
// helper may only be inlined into a VNNI function.
template <typename Kernel>
HEARTH_AVX2_INLINE __m256 block_fma(Kernel& k, std::int64_t i, __m256 acc) {
    __m256i lo, hi;
    k.widen(i, lo, hi);
    return _mm256_fmadd_ps(k.scale(i), _mm256_cvtepi32_ps(int16_block_dot(lo, hi, k.act(i))), acc);
}
template <typename Kernel>
HEARTH_AVXVNNI_INLINE __m256 block_fma_vnni(Kernel& k, std::int64_t i, __m256 acc) {
    __m256i lo, hi;
    k.widen(i, lo, hi);
    return _mm256_fmadd_ps(k.scale(i), _mm256_cvtepi32_ps(int16_block_dot_vnni(lo, hi, k.act(i))), acc);
}
template <typename Kernel>
HEARTH_AVX2_INLINE float run_int16(Kernel& k, std::int64_t nb) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    std::int64_t i = 0;
    for (; i + 2 <= nb; i += 2) {
        acc0 = block_fma(k, i, acc0);
        acc1 = block_fma(k, i + 1, acc1);
    }
    if (i < nb) acc0 = block_fma(k, i, acc0);
    return hsum(_mm256_add_ps(acc0, acc1)) + k.extra();
}
template <typename Kernel>
HEARTH_AVXVNNI_INLINE float run_int16_vnni(Kernel& k, std::int64_t nb) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    std::int64_t i = 0;
    for (; i + 2 <= nb; i += 2) {
        acc0 = block_fma_vnni(k, i, acc0);
        acc1 = block_fma_vnni(k, i + 1, acc1);
    }
    if (i < nb) acc0 = block_fma_vnni(k, i, acc0);
    return hsum(_mm256_add_ps(acc0, acc1)) + k.extra();
}

struct WidenQ4_0 {
    HEARTH_AVX2_INLINE void operator()(const block_q4_0& b, __m256i& lo, __m256i& hi) const {
        nibbles_16x2(b.qs, lo, hi);
        lo = _mm256_sub_epi16(lo, _mm256_set1_epi16(8));
        hi = _mm256_sub_epi16(hi, _mm256_set1_epi16(8));
    }
};
struct WidenQ4_1 {
    HEARTH_AVX2_INLINE void operator()(const block_q4_1& b, __m256i& lo, __m256i& hi) const { nibbles_16x2(b.qs, lo, hi); }
};
struct WidenQ5_0 {
    HEARTH_AVX2_INLINE void operator()(const block_q5_0& b, __m256i& lo, __m256i& hi) const {
        five_bit_16x2(b.qs, b.qh, lo, hi);
        lo = _mm256_sub_epi16(lo, _mm256_set1_epi16(16));
        hi = _mm256_sub_epi16(hi, _mm256_set1_epi16(16));
    }
};
struct WidenQ5_1 {
    HEARTH_AVX2_INLINE void operator()(const block_q5_1& b, __m256i& lo, __m256i& hi) const {
        five_bit_16x2(b.qs, b.qh, lo, hi);
    }
};
struct WidenQ8_0 {
    HEARTH_AVX2_INLINE void operator()(const block_q8_0& b, __m256i& lo, __m256i& hi) const {
        lo = _mm256_cvtepi8_epi16(load128(b.qs));
        hi = _mm256_cvtepi8_epi16(load128(b.qs + 16));
    }
};

}  // namespace

HEARTH_AVX2 void quantize_q16_0(const float* x, void* out, std::int64_t n) {
    auto* blocks = static_cast<act_q16_0*>(out);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        __m256i q[4];
        store_f32(blocks[b].d, quantize_vectors<4>(x + b * qk_legacy, 32767.0f, q));
        store_i16x32(q, blocks[b].qs);
    }
}

HEARTH_AVX2 void quantize_q16_1(const float* x, void* out, std::int64_t n) {
    auto* blocks = static_cast<act_q16_1*>(out);
    for (std::int64_t b = 0; b < n / qk_legacy; ++b) {
        __m256i q[4];
        const float d = quantize_vectors<4>(x + b * qk_legacy, 32767.0f, q);
        store_i16x32(q, blocks[b].qs);
        store_f32(blocks[b].d, d);
        store_f32(blocks[b].s, d * static_cast<float>(sum_i32x32(q)));
    }
}

using DotQ4_0 = Symmetric<block_q4_0, WidenQ4_0>;
using DotQ5_0 = Symmetric<block_q5_0, WidenQ5_0>;
using DotQ8_0 = Symmetric<block_q8_0, WidenQ8_0>;
using DotQ4_1 = Affine<block_q4_1, WidenQ4_1>;
using DotQ5_1 = Affine<block_q5_1, WidenQ5_1>;

#define HEARTH_DOT16(target, run, name, Kernel, Block, Act)                                        \
    target float name(const void* row, const void* xq, std::int64_t n) {                         \
        Kernel k{static_cast<const Block*>(row), static_cast<const Act*>(xq)};                    \
        return run(k, n / qk_legacy);                                                             \
    }
HEARTH_DOT16(HEARTH_AVX2, run_int16, dot_q4_0_q16_0, DotQ4_0, block_q4_0, act_q16_0)
HEARTH_DOT16(HEARTH_AVX2, run_int16, dot_q5_0_q16_0, DotQ5_0, block_q5_0, act_q16_0)
HEARTH_DOT16(HEARTH_AVX2, run_int16, dot_q8_0_q16_0, DotQ8_0, block_q8_0, act_q16_0)
HEARTH_DOT16(HEARTH_AVX2, run_int16, dot_q4_1_q16_1, DotQ4_1, block_q4_1, act_q16_1)
HEARTH_DOT16(HEARTH_AVX2, run_int16, dot_q5_1_q16_1, DotQ5_1, block_q5_1, act_q16_1)

}  // namespace hearth::cpu::quant::avx2

namespace hearth::cpu::quant::avxvnni {
using namespace avx2;
HEARTH_DOT16(HEARTH_AVXVNNI, run_int16_vnni, dot_q4_0_q16_0, DotQ4_0, block_q4_0, act_q16_0)
HEARTH_DOT16(HEARTH_AVXVNNI, run_int16_vnni, dot_q5_0_q16_0, DotQ5_0, block_q5_0, act_q16_0)
HEARTH_DOT16(HEARTH_AVXVNNI, run_int16_vnni, dot_q8_0_q16_0, DotQ8_0, block_q8_0, act_q16_0)
HEARTH_DOT16(HEARTH_AVXVNNI, run_int16_vnni, dot_q4_1_q16_1, DotQ4_1, block_q4_1, act_q16_1)
HEARTH_DOT16(HEARTH_AVXVNNI, run_int16_vnni, dot_q5_1_q16_1, DotQ5_1, block_q5_1, act_q16_1)
#undef HEARTH_DOT16
}  // namespace hearth::cpu::quant::avxvnni
