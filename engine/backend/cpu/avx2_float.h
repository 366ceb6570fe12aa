#pragma once
// Horizontal sums of float vectors for the CPU backend's AVX2 loops (vector_math.cpp, kv_rows.cpp).
// Only AVX is needed, so the helpers inline into functions of any AVX2 target.
#include <immintrin.h>

#define HEARTH_AVX_FLOAT_INLINE __attribute__((target("avx"), always_inline)) inline

namespace hearth::backend::cpu::avx2 {

HEARTH_AVX_FLOAT_INLINE float hsum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// The eight horizontal sums of a[0..7], in order, as one vector: a tree of hadds instead of eight hsums.
HEARTH_AVX_FLOAT_INLINE __m256 hsum8(const __m256 a[8]) {
    const __m256 s0123 = _mm256_hadd_ps(_mm256_hadd_ps(a[0], a[1]), _mm256_hadd_ps(a[2], a[3]));
    const __m256 s4567 = _mm256_hadd_ps(_mm256_hadd_ps(a[4], a[5]), _mm256_hadd_ps(a[6], a[7]));
    // s0123 = [sums of the low halves of a0..a3 | of their high halves], likewise s4567.
    return _mm256_add_ps(_mm256_permute2f128_ps(s0123, s4567, 0x20), _mm256_permute2f128_ps(s0123, s4567, 0x31));
}

}  // namespace hearth::backend::cpu::avx2
