#include "backend/cpu/vector_math.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "backend/cpu/quant/row_kernels.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#include "backend/cpu/avx2_float.h"
#define HEARTH_VECTOR_AVX2 1
#define HEARTH_AVX2_FMA __attribute__((target("avx2,fma")))
#define HEARTH_AVX2_FMA_INLINE __attribute__((target("avx2,fma"), always_inline)) inline
#else
#define HEARTH_VECTOR_AVX2 0
#endif

namespace hearth::backend::cpu {
namespace {

// ---- Portable versions: plain loops for CPUs without AVX2/FMA (the compiler vectorizes what it can) ----

void dot_rows_portable(const float* q, const float* rows, std::int64_t stride, std::int32_t count, std::int32_t n,
                       float scale, float* scores) {
    for (std::int32_t j = 0; j < count; ++j) {
        float s = 0.0f;
        for (std::int32_t i = 0; i < n; ++i) s += q[i] * rows[j * stride + i];
        scores[j] = s * scale;
    }
}

void accumulate_rows_portable(const float* rows, std::int64_t stride, const float* weights, std::int32_t count,
                              std::int32_t n, float* acc) {
    for (std::int32_t j = 0; j < count; ++j)
        for (std::int32_t c = 0; c < n; ++c) acc[c] += weights[j] * rows[j * stride + c];
}

float max_value_portable(const float* v, std::int32_t count) {
    float m = -std::numeric_limits<float>::infinity();
    for (std::int32_t j = 0; j < count; ++j) m = std::max(m, v[j]);  // a NaN v[j] leaves m as it is
    return m;
}

float exp_and_sum_portable(float* v, std::int32_t count, float shift) {
    float sum = 0.0f;
    for (std::int32_t j = 0; j < count; ++j) {
        v[j] = std::exp(v[j] - shift);
        sum += v[j];
    }
    return sum;
}

void silu_mul_portable(const float* gate, const float* up, float* out, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) out[i] = gate[i] / (1.0f + std::exp(-gate[i])) * up[i];
}

#if HEARTH_VECTOR_AVX2
// ---- AVX2 + FMA ----

using avx2::hsum;
using avx2::hsum8;

// exp(x) for 8 floats: x = n·ln2 + r with |r| ≤ ln2/2 (ln2 split in two for an exact n·ln2_hi), e^r by
// Cephes' degree-7 polynomial, 2^n through the exponent bits. Arguments are clamped to [−87, 88] so 2^n
// stays a normal float.
HEARTH_AVX2_FMA_INLINE __m256 exp8(__m256 x) {
    // max/min return their second operand when either is NaN: x second, so a NaN argument stays NaN.
    x = _mm256_min_ps(_mm256_set1_ps(88.0f), _mm256_max_ps(_mm256_set1_ps(-87.0f), x));
    const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    const __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(bits));
}

HEARTH_AVX2_FMA void dot_rows_avx2(const float* q, const float* rows, std::int64_t stride, std::int32_t count,
                                   std::int32_t n, float scale, float* scores) {
    std::int32_t j = 0;
    if (n % 8 == 0) {
        // Eight keys at a time: each slice of q is loaded once for eight rows, and eight independent FMA
        // chains keep both FMA units busy (four chains left half of their slots empty).
        const __m256 vscale = _mm256_set1_ps(scale);
        for (; j + 8 <= count; j += 8) {
            const float* r = rows + j * stride;
            __m256 a[8];
#pragma GCC unroll 8
            for (int k = 0; k < 8; ++k) a[k] = _mm256_setzero_ps();
            for (std::int32_t i = 0; i < n; i += 8) {
                const __m256 qv = _mm256_loadu_ps(q + i);
#pragma GCC unroll 8
                for (int k = 0; k < 8; ++k) a[k] = _mm256_fmadd_ps(qv, _mm256_loadu_ps(r + k * stride + i), a[k]);
            }
            _mm256_storeu_ps(scores + j, _mm256_mul_ps(hsum8(a), vscale));
        }
        for (; j < count; ++j) {
            const float* r = rows + j * stride;
            __m256 a = _mm256_setzero_ps();
            for (std::int32_t i = 0; i < n; i += 8) a = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), _mm256_loadu_ps(r + i), a);
            scores[j] = hsum(a) * scale;
        }
        return;
    }
    dot_rows_portable(q, rows, stride, count, n, scale, scores);
}

// acc[0..8·lanes) += Σ_j weights[j] · rows[j·stride + …], the accumulators in registers. The unroll
// pragmas are what keeps them there: GCC's -O2 does not unroll loops over a small array of vectors, and
// left in memory every FMA waits for the last one's store (attention measured ~5× slower).
template <int lanes>
HEARTH_AVX2_FMA_INLINE void accumulate_chunk(const float* rows, std::int64_t stride, const float* weights,
                                             std::int32_t count, float* acc) {
    __m256 a[lanes];
#pragma GCC unroll 8
    for (int k = 0; k < lanes; ++k) a[k] = _mm256_loadu_ps(acc + 8 * k);
    for (std::int32_t j = 0; j < count; ++j) {
        const __m256 w = _mm256_broadcast_ss(weights + j);
        const float* row = rows + j * stride;
#pragma GCC unroll 8
        for (int k = 0; k < lanes; ++k) a[k] = _mm256_fmadd_ps(w, _mm256_loadu_ps(row + 8 * k), a[k]);
    }
#pragma GCC unroll 8
    for (int k = 0; k < lanes; ++k) _mm256_storeu_ps(acc + 8 * k, a[k]);
}

HEARTH_AVX2_FMA void accumulate_rows_avx2(const float* rows, std::int64_t stride, const float* weights,
                                          std::int32_t count, std::int32_t n, float* acc) {
    std::int32_t c = 0;
    for (; c + 64 <= n; c += 64) accumulate_chunk<8>(rows + c, stride, weights, count, acc + c);
    for (; c + 8 <= n; c += 8) accumulate_chunk<1>(rows + c, stride, weights, count, acc + c);
    if (c < n) accumulate_rows_portable(rows + c, stride, weights, count, n - c, acc + c);
}

HEARTH_AVX2_FMA float max_value_avx2(const float* v, std::int32_t count) {
    // max_ps returns its second operand when either is NaN: the running maximum second skips NaNs.
    __m256 m = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
    std::int32_t j = 0;
    for (; j + 8 <= count; j += 8) m = _mm256_max_ps(_mm256_loadu_ps(v + j), m);
    __m128 h = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
    h = _mm_max_ps(h, _mm_movehl_ps(h, h));
    h = _mm_max_ss(h, _mm_movehdup_ps(h));
    return std::max(_mm_cvtss_f32(h), max_value_portable(v + j, count - j));
}

HEARTH_AVX2_FMA float exp_and_sum_avx2(float* v, std::int32_t count, float shift) {
    const __m256 s = _mm256_set1_ps(shift);
    __m256 sum = _mm256_setzero_ps();
    std::int32_t j = 0;
    for (; j + 8 <= count; j += 8) {
        const __m256 e = exp8(_mm256_sub_ps(_mm256_loadu_ps(v + j), s));
        _mm256_storeu_ps(v + j, e);
        sum = _mm256_add_ps(sum, e);
    }
    if (j < count) {
        // The tail through the same exp, so every element sees one function.
        float tail[8] = {};
        std::memcpy(tail, v + j, sizeof(float) * static_cast<std::size_t>(count - j));
        const __m256 mask = _mm256_cmp_ps(_mm256_setr_ps(0, 1, 2, 3, 4, 5, 6, 7),
                                          _mm256_set1_ps(static_cast<float>(count - j)), _CMP_LT_OQ);
        const __m256 e = _mm256_and_ps(exp8(_mm256_sub_ps(_mm256_loadu_ps(tail), s)), mask);
        _mm256_storeu_ps(tail, e);
        std::memcpy(v + j, tail, sizeof(float) * static_cast<std::size_t>(count - j));
        sum = _mm256_add_ps(sum, e);
    }
    return hsum(sum);
}

HEARTH_AVX2_FMA void silu_mul_avx2(const float* gate, const float* up, float* out, std::int64_t n) {
    std::int64_t i = 0;
    const __m256 one = _mm256_set1_ps(1.0f);
    for (; i + 8 <= n; i += 8) {
        const __m256 g = _mm256_loadu_ps(gate + i);
        const __m256 e = exp8(_mm256_sub_ps(_mm256_setzero_ps(), g));
        _mm256_storeu_ps(out + i, _mm256_mul_ps(_mm256_div_ps(g, _mm256_add_ps(one, e)), _mm256_loadu_ps(up + i)));
    }
    if (i < n) silu_mul_portable(gate + i, up + i, out + i, n - i);
}

bool use_avx2() {
    static const bool yes = std::strcmp(hearth::cpu::row_kernels_isa(), "avx2") == 0;  // AVX2 + FMA + F16C
    return yes;
}
#else
bool use_avx2() { return false; }
#endif

}  // namespace

void dot_rows_f32(const float* q, const float* rows, std::int64_t stride, std::int32_t count, std::int32_t n,
                  float scale, float* scores) {
#if HEARTH_VECTOR_AVX2
    if (use_avx2()) return dot_rows_avx2(q, rows, stride, count, n, scale, scores);
#endif
    dot_rows_portable(q, rows, stride, count, n, scale, scores);
}

void accumulate_rows_f32(const float* rows, std::int64_t stride, const float* weights, std::int32_t count,
                         std::int32_t n, float* acc) {
#if HEARTH_VECTOR_AVX2
    if (use_avx2()) return accumulate_rows_avx2(rows, stride, weights, count, n, acc);
#endif
    accumulate_rows_portable(rows, stride, weights, count, n, acc);
}

float max_value(const float* v, std::int32_t count) {
#if HEARTH_VECTOR_AVX2
    if (use_avx2()) return max_value_avx2(v, count);
#endif
    return max_value_portable(v, count);
}

float exp_and_sum(float* v, std::int32_t count, float shift) {
#if HEARTH_VECTOR_AVX2
    if (use_avx2()) return exp_and_sum_avx2(v, count, shift);
#endif
    return exp_and_sum_portable(v, count, shift);
}

void silu_mul(const float* gate, const float* up, float* out, std::int64_t n) {
#if HEARTH_VECTOR_AVX2
    if (use_avx2()) return silu_mul_avx2(gate, up, out, n);
#endif
    silu_mul_portable(gate, up, out, n);
}

}  // namespace hearth::backend::cpu
