// AVX2 integer dot products of the 32-element weight blocks (Q4_0 … Q8_0) with Q8_0 / Q8_1 activations.
// Per block: unpack the weights to 32 bytes, maddubs + madd against the activation bytes (exact int32),
// convert, and one FMA with dw·dx. Blocks alternate between two accumulators so consecutive FMAs do not
// wait on each other; that latency, not the loads, is what limits a single chain.

#include "backend/cpu/quant/avx2_common.h"
#include "backend/cpu/quant/kernels.h"

namespace hearth::cpu::quant::avx2 {
namespace {

HEARTH_AVX2_INLINE __m256i load256(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }

// The split 8+8-bit path: the same weight row against two activation parts (x ≈ d₁q₁ + d₂q₂) in one
// pass. Both kernels read the same weight block, so after inlining the compiler unpacks it once.
template <typename Kernel>
HEARTH_AVX2_INLINE float run_blocks_split(Kernel& first, Kernel& second, std::int64_t nb) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    for (std::int64_t i = 0; i < nb; ++i) {
        acc0 = first.fma(i, acc0);
        acc1 = second.fma(i, acc1);
    }
    return hsum(_mm256_add_ps(acc0, acc1)) + first.extra() + second.extra();
}

// dw·dx for the symmetric blocks (f16 weight scale, f32 activation scale).
HEARTH_AVX2_INLINE __m256 scale_q8_0(const std::uint8_t* wd, const act_q8_0& a) {
    return _mm256_set1_ps(f16_hw(wd) * load_f32(a.d));
}

struct Q4_0 {
    const block_q4_0* w;
    const act_q8_0* a;
    HEARTH_AVX2_INLINE __m256 fma(std::int64_t i, __m256 acc) const {
        const __m256i q = _mm256_sub_epi8(nibbles_32(w[i].qs), _mm256_set1_epi8(8));  // [−8, 7]
        const __m256i p = dot_i8_i8(q, load256(a[i].qs));
        return _mm256_fmadd_ps(scale_q8_0(w[i].d, a[i]), _mm256_cvtepi32_ps(p), acc);
    }
    static float extra() { return 0.0f; }
};

struct Q5_0 {
    const block_q5_0* w;
    const act_q8_0* a;
    HEARTH_AVX2_INLINE __m256 fma(std::int64_t i, __m256 acc) const {
        // q − 16 in one step: a clear fifth bit makes the byte 0xF0 | nibble, i.e. nibble − 16 as int8.
        const __m256i minus16 = _mm256_andnot_si256(bits_to_bytes_32(w[i].qh), _mm256_set1_epi8(char(0xF0)));
        const __m256i q = _mm256_or_si256(nibbles_32(w[i].qs), minus16);
        const __m256i p = dot_i8_i8(q, load256(a[i].qs));
        return _mm256_fmadd_ps(scale_q8_0(w[i].d, a[i]), _mm256_cvtepi32_ps(p), acc);
    }
    static float extra() { return 0.0f; }
};

struct Q8_0 {
    const block_q8_0* w;
    const act_q8_0* a;
    HEARTH_AVX2_INLINE __m256 fma(std::int64_t i, __m256 acc) const {
        const __m256i p = dot_i8_i8(load256(w[i].qs), load256(a[i].qs));
        return _mm256_fmadd_ps(scale_q8_0(w[i].d, a[i]), _mm256_cvtepi32_ps(p), acc);
    }
    static float extra() { return 0.0f; }
};

// Q4_1 / Q5_1 with Q8_1: one f16 pair conversion gives [dw, m], one multiply by [dx, s] gives
// [dw·dx, m·s]; lane 0 scales the block, lane 1 is summed into `ms`.
template <typename Block, bool five_bit>
struct Affine {
    const Block* w;
    const act_q8_1* a;
    __m128 ms = _mm_setzero_ps();
    HEARTH_AVX2_INLINE __m256 fma(std::int64_t i, __m256 acc) {
        const __m128 prod = affine_scales(w[i].d, a[i].d);
        ms = _mm_add_ps(ms, prod);
        __m256i q = nibbles_32(w[i].qs);
        if constexpr (five_bit) {
            q = _mm256_or_si256(q, _mm256_and_si256(bits_to_bytes_32(w[i].qh), _mm256_set1_epi8(0x10)));
        }
        const __m256i p = dot_u8_i8(q, load256(a[i].qs));
        return _mm256_fmadd_ps(_mm256_broadcastss_ps(prod), _mm256_cvtepi32_ps(p), acc);
    }
    HEARTH_AVX2_INLINE float extra() const { return _mm_cvtss_f32(_mm_movehdup_ps(ms)); }
};

}  // namespace

HEARTH_AVX2 float dot_q4_0_q8_0(const void* row, const void* xq, std::int64_t n) {
    Q4_0 k{static_cast<const block_q4_0*>(row), static_cast<const act_q8_0*>(xq)};
    return run_blocks(k, n / qk_legacy);
}

HEARTH_AVX2 float dot_q5_0_q8_0(const void* row, const void* xq, std::int64_t n) {
    Q5_0 k{static_cast<const block_q5_0*>(row), static_cast<const act_q8_0*>(xq)};
    return run_blocks(k, n / qk_legacy);
}

HEARTH_AVX2 float dot_q8_0_q8_0(const void* row, const void* xq, std::int64_t n) {
    Q8_0 k{static_cast<const block_q8_0*>(row), static_cast<const act_q8_0*>(xq)};
    return run_blocks(k, n / qk_legacy);
}

HEARTH_AVX2 float dot_q4_1_q8_1(const void* row, const void* xq, std::int64_t n) {
    Affine<block_q4_1, false> k{static_cast<const block_q4_1*>(row), static_cast<const act_q8_1*>(xq)};
    return run_blocks(k, n / qk_legacy);
}

HEARTH_AVX2 float dot_q5_1_q8_1(const void* row, const void* xq, std::int64_t n) {
    Affine<block_q5_1, true> k{static_cast<const block_q5_1*>(row), static_cast<const act_q8_1*>(xq)};
    return run_blocks(k, n / qk_legacy);
}

#define HEARTH_SPLIT_DOT(name, Kernel, block, act)                                                              \
    HEARTH_AVX2 float name(const void* row, const void* x1, const void* x2, std::int64_t n) {                \
        Kernel first{static_cast<const block*>(row), static_cast<const act*>(x1)};                          \
        Kernel second{static_cast<const block*>(row), static_cast<const act*>(x2)};                         \
        return run_blocks_split(first, second, n / qk_legacy);                                              \
    }
HEARTH_SPLIT_DOT(dot_q4_0_q8_0_split, Q4_0, block_q4_0, act_q8_0)
HEARTH_SPLIT_DOT(dot_q5_0_q8_0_split, Q5_0, block_q5_0, act_q8_0)
HEARTH_SPLIT_DOT(dot_q8_0_q8_0_split, Q8_0, block_q8_0, act_q8_0)
using Q4_1 = Affine<block_q4_1, false>;
using Q5_1 = Affine<block_q5_1, true>;
HEARTH_SPLIT_DOT(dot_q4_1_q8_1_split, Q4_1, block_q4_1, act_q8_1)
HEARTH_SPLIT_DOT(dot_q5_1_q8_1_split, Q5_1, block_q5_1, act_q8_1)
#undef HEARTH_SPLIT_DOT

}  // namespace hearth::cpu::quant::avx2
