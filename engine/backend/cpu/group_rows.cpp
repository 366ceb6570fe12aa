#include "backend/cpu/group_rows.h"

#include <cstring>

#include "backend/cpu/quant/row_kernels.h"
#include "backend/cpu/vector_math.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#include "backend/cpu/avx2_float.h"
#define HEARTH_GROUP_AVX2 1
#define HEARTH_GROUP_AVX2_FN __attribute__((target("avx2,fma,f16c")))
#define HEARTH_GROUP_AVX2_INLINE __attribute__((target("avx2,fma,f16c"), always_inline)) inline
#else
#define HEARTH_GROUP_AVX2 0
#endif

namespace hearth::backend::cpu {
namespace {

#if HEARTH_GROUP_AVX2
// The four sums of a[0..3]: [Σa0, Σa1, Σa2, Σa3].
HEARTH_GROUP_AVX2_INLINE __m128 hsum4(__m256 a0, __m256 a1, __m256 a2, __m256 a3) {
    const __m256 s = _mm256_hadd_ps(_mm256_hadd_ps(a0, a1), _mm256_hadd_ps(a2, a3));
    return _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
}

// H heads (1–3) × four keys per step: 4 key loads and H query loads feed 4·H FMAs. n % 8 == 0.
// Eight elements of a row as floats: F32 as they are, F16 through F16C.
struct F32Row {
    using elem = float;
    static HEARTH_GROUP_AVX2_INLINE __m256 load8(const float* p) { return _mm256_loadu_ps(p); }
};
struct F16Row {
    using elem = std::uint16_t;
    static HEARTH_GROUP_AVX2_INLINE __m256 load8(const std::uint16_t* p) {
        return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    }
};

template <class R, int H>
HEARTH_GROUP_AVX2_INLINE void dot_heads(const float* q, std::int64_t q_stride, const typename R::elem* rows, std::int64_t stride,
                                        std::int32_t count, std::int32_t n, float scale, float* scores,
                                        std::int64_t scores_stride) {
    const __m128 vscale = _mm_set1_ps(scale);
    std::int32_t j = 0;
    for (; j + 4 <= count; j += 4) {
        const typename R::elem* r = rows + j * stride;
        __m256 a[H][4];
#pragma GCC unroll 3
        for (int h = 0; h < H; ++h)
#pragma GCC unroll 4
            for (int k = 0; k < 4; ++k) a[h][k] = _mm256_setzero_ps();
        for (std::int32_t i = 0; i < n; i += 8) {
            const __m256 k0 = R::load8(r + i), k1 = R::load8(r + stride + i);
            const __m256 k2 = R::load8(r + 2 * stride + i), k3 = R::load8(r + 3 * stride + i);
#pragma GCC unroll 3
            for (int h = 0; h < H; ++h) {
                const __m256 qv = _mm256_loadu_ps(q + h * q_stride + i);
                a[h][0] = _mm256_fmadd_ps(qv, k0, a[h][0]);
                a[h][1] = _mm256_fmadd_ps(qv, k1, a[h][1]);
                a[h][2] = _mm256_fmadd_ps(qv, k2, a[h][2]);
                a[h][3] = _mm256_fmadd_ps(qv, k3, a[h][3]);
            }
        }
#pragma GCC unroll 3
        for (int h = 0; h < H; ++h)
            _mm_storeu_ps(scores + h * scores_stride + j, _mm_mul_ps(hsum4(a[h][0], a[h][1], a[h][2], a[h][3]), vscale));
    }
    for (; j < count; ++j) {
        const typename R::elem* r = rows + j * stride;
#pragma GCC unroll 3
        for (int h = 0; h < H; ++h) {
            __m256 a = _mm256_setzero_ps();
            for (std::int32_t i = 0; i < n; i += 8) a = _mm256_fmadd_ps(_mm256_loadu_ps(q + h * q_stride + i), R::load8(r + i), a);
            scores[h * scores_stride + j] = avx2::hsum(a) * scale;
        }
    }
}

// H heads (1–3) × 32 elements: per row, 4 value loads and H weight broadcasts feed 4·H FMAs, the
// accumulators in registers across the rows. n % 32 == 0.
template <class R, int H>
HEARTH_GROUP_AVX2_INLINE void accumulate_heads(const typename R::elem* rows, std::int64_t stride, const float* weights,
                                               std::int64_t weights_stride, std::int32_t count, std::int32_t n,
                                               float* acc, std::int64_t acc_stride) {
    for (std::int32_t c = 0; c < n; c += 32) {
        __m256 a[H][4];
#pragma GCC unroll 3
        for (int h = 0; h < H; ++h)
#pragma GCC unroll 4
            for (int v = 0; v < 4; ++v) a[h][v] = _mm256_loadu_ps(acc + h * acc_stride + c + 8 * v);
        for (std::int32_t j = 0; j < count; ++j) {
            const typename R::elem* r = rows + j * stride + c;
            __m256 w[H];
#pragma GCC unroll 3
            for (int h = 0; h < H; ++h) w[h] = _mm256_broadcast_ss(weights + h * weights_stride + j);
#pragma GCC unroll 4
            for (int v = 0; v < 4; ++v) {
                const __m256 value = R::load8(r + 8 * v);
#pragma GCC unroll 3
                for (int h = 0; h < H; ++h) a[h][v] = _mm256_fmadd_ps(w[h], value, a[h][v]);
            }
        }
#pragma GCC unroll 3
        for (int h = 0; h < H; ++h)
#pragma GCC unroll 4
            for (int v = 0; v < 4; ++v) _mm256_storeu_ps(acc + h * acc_stride + c + 8 * v, a[h][v]);
    }
}

template <class R>
HEARTH_GROUP_AVX2_FN void dot_rows_heads_avx2(const float* q, std::int64_t q_stride, std::int32_t heads,
                                              const typename R::elem* rows, std::int64_t stride, std::int32_t count,
                                              std::int32_t n, float scale, float* scores, std::int64_t scores_stride) {
    for (std::int32_t h = 0; h < heads;) {
        const std::int32_t take = heads - h >= 3 ? 3 : heads - h;
        const float* qh = q + h * q_stride;
        float* sh = scores + h * scores_stride;
        if (take == 3) dot_heads<R, 3>(qh, q_stride, rows, stride, count, n, scale, sh, scores_stride);
        else if (take == 2) dot_heads<R, 2>(qh, q_stride, rows, stride, count, n, scale, sh, scores_stride);
        else dot_heads<R, 1>(qh, q_stride, rows, stride, count, n, scale, sh, scores_stride);
        h += take;
    }
}

template <class R>
HEARTH_GROUP_AVX2_FN void accumulate_rows_heads_avx2(const typename R::elem* rows, std::int64_t stride, const float* weights,
                                                     std::int64_t weights_stride, std::int32_t heads,
                                                     std::int32_t count, std::int32_t n, float* acc,
                                                     std::int64_t acc_stride) {
    for (std::int32_t h = 0; h < heads;) {
        const std::int32_t take = heads - h >= 3 ? 3 : heads - h;
        const float* wh = weights + h * weights_stride;
        float* ah = acc + h * acc_stride;
        if (take == 3) accumulate_heads<R, 3>(rows, stride, wh, weights_stride, count, n, ah, acc_stride);
        else if (take == 2) accumulate_heads<R, 2>(rows, stride, wh, weights_stride, count, n, ah, acc_stride);
        else accumulate_heads<R, 1>(rows, stride, wh, weights_stride, count, n, ah, acc_stride);
        h += take;
    }
}

bool use_avx2() {
    static const bool yes = std::strcmp(hearth::cpu::row_kernels_isa(), "avx2") == 0;  // AVX2 + FMA + F16C
    return yes;
}
#endif

}  // namespace

void dot_rows_f32_heads(const float* q, std::int64_t q_stride, std::int32_t heads, const float* rows,
                        std::int64_t stride, std::int32_t count, std::int32_t n, float scale, float* scores,
                        std::int64_t scores_stride) {
#if HEARTH_GROUP_AVX2
    if (n % 8 == 0 && use_avx2())
        return dot_rows_heads_avx2<F32Row>(q, q_stride, heads, rows, stride, count, n, scale, scores, scores_stride);
#endif
    for (std::int32_t h = 0; h < heads; ++h)
        dot_rows_f32(q + h * q_stride, rows, stride, count, n, scale, scores + h * scores_stride);
}

void accumulate_rows_f32_heads(const float* rows, std::int64_t stride, const float* weights,
                               std::int64_t weights_stride, std::int32_t heads, std::int32_t count, std::int32_t n,
                               float* acc, std::int64_t acc_stride) {
#if HEARTH_GROUP_AVX2
    if (n % 32 == 0 && use_avx2())
        return accumulate_rows_heads_avx2<F32Row>(rows, stride, weights, weights_stride, heads, count, n, acc, acc_stride);
#endif
    for (std::int32_t h = 0; h < heads; ++h)
        accumulate_rows_f32(rows, stride, weights + h * weights_stride, count, n, acc + h * acc_stride);
}

bool group_rows_f16_available(std::int32_t n) {
#if HEARTH_GROUP_AVX2
    return n % 32 == 0 && use_avx2();
#else
    (void)n;
    return false;
#endif
}

void dot_rows_f16_heads(const float* q, std::int64_t q_stride, std::int32_t heads, const std::uint16_t* rows,
                        std::int64_t stride, std::int32_t count, std::int32_t n, float scale, float* scores,
                        std::int64_t scores_stride) {
#if HEARTH_GROUP_AVX2
    dot_rows_heads_avx2<F16Row>(q, q_stride, heads, rows, stride, count, n, scale, scores, scores_stride);
#else
    (void)q, (void)q_stride, (void)heads, (void)rows, (void)stride, (void)count, (void)n, (void)scale, (void)scores, (void)scores_stride;
#endif
}

void accumulate_rows_f16_heads(const std::uint16_t* rows, std::int64_t stride, const float* weights,
                               std::int64_t weights_stride, std::int32_t heads, std::int32_t count, std::int32_t n,
                               float* acc, std::int64_t acc_stride) {
#if HEARTH_GROUP_AVX2
    accumulate_rows_heads_avx2<F16Row>(rows, stride, weights, weights_stride, heads, count, n, acc, acc_stride);
#else
    (void)rows, (void)stride, (void)weights, (void)weights_stride, (void)heads, (void)count, (void)n, (void)acc, (void)acc_stride;
#endif
}

}  // namespace hearth::backend::cpu
