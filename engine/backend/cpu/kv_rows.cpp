#include "backend/cpu/kv_rows.h"

#include <cstring>

#include "backend/cpu/kv_convert.h"
#include "backend/cpu/quant/row_kernels.h"
#include "backend/cpu/vector_math.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#include "backend/cpu/avx2_float.h"
#define HEARTH_KV_ROWS_AVX2 1
#define HEARTH_KV_AVX2 __attribute__((target("avx2,fma,f16c")))
#define HEARTH_KV_AVX2_INLINE __attribute__((target("avx2,fma,f16c"), always_inline)) inline
#endif

namespace hearth::backend::cpu {
namespace {

// ---- Element decoders. `factor`: the vector decoder yields value / factor (exact: a power of two), the
// kernels multiply it back once per score and once per weight. `scalar` follows the vector decoder.

struct F16Elements {
    using elem = std::uint16_t;
    static constexpr float factor = 1.0f;
    static float scalar(elem e) { return f16_to_f32(e); }
#ifdef HEARTH_KV_ROWS_AVX2
    static HEARTH_KV_AVX2_INLINE __m256 load8(const elem* p) {
        return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    }
    static HEARTH_KV_AVX2_INLINE void load16(const elem* p, __m256& lo, __m256& hi) {
        lo = load8(p);
        hi = load8(p + 8);
    }
#endif
};

struct BF16Elements {
    using elem = std::uint16_t;
    static constexpr float factor = 1.0f;
    static float scalar(elem e) { return bf16_to_f32(e); }
#ifdef HEARTH_KV_ROWS_AVX2
    static HEARTH_KV_AVX2_INLINE __m256 load8(const elem* p) {
        const __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
        return _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16));
    }
    static HEARTH_KV_AVX2_INLINE void load16(const elem* p, __m256& lo, __m256& hi) {
        lo = load8(p);
        hi = load8(p + 8);
    }
#endif
};

// E5M2 is the top byte of an F16 (same exponent bias), so code << 8 is its exact F16 form, subnormals, inf
// and NaN included.
struct E5M2Elements {
    using elem = std::uint8_t;
    static constexpr float factor = 1.0f;
    static float scalar(elem e) { return fp8_e5m2_to_f32(e); }
#ifdef HEARTH_KV_ROWS_AVX2
    static HEARTH_KV_AVX2_INLINE __m256 load8(const elem* p) {
        const __m128i codes = _mm_cvtepu8_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)));
        return _mm256_cvtph_ps(_mm_slli_epi16(codes, 8));
    }
    static HEARTH_KV_AVX2_INLINE void load16(const elem* p, __m256& lo, __m256& hi) {
        lo = load8(p);
        hi = load8(p + 8);
    }
#endif
};

// E4M3 as an F16 bit pattern: sign to bit 15, exponent and mantissa shifted up by 7 land in F16's fields,
// and F16's exponent bias (15) is 8 more than E4M3's (7), so the F16 value is the E4M3 value / 256. That
// holds for E4M3's subnormals too (F16 subnormals of the same mantissa). The NaN codes (S.1111.111) are
// made all ones, an F16 NaN. Cheaper than a 256-entry gather.
struct E4M3Elements {
    using elem = std::uint8_t;
    static constexpr float factor = 256.0f;
    static float scalar(elem e) { return fp8_e4m3_to_f32(e) * (1.0f / 256.0f); }
#ifdef HEARTH_KV_ROWS_AVX2
    static HEARTH_KV_AVX2_INLINE __m256 load8(const elem* p) {
        // Sign-extended to 16 bits and shifted by 7: magnitude in bits 13..7, the sign in bits 15 and 14;
        // clearing bit 14 leaves exactly the F16 pattern.
        const __m128i wide = _mm_cvtepi8_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)));
        const __m128i half = _mm_and_si128(_mm_slli_epi16(wide, 7), _mm_set1_epi16(static_cast<short>(0xBF80)));
        const __m128i nan = _mm_cmpeq_epi16(_mm_and_si128(half, _mm_set1_epi16(0x3F80)), _mm_set1_epi16(0x3F80));
        return _mm256_cvtph_ps(_mm_or_si128(half, nan));
    }
    // Sixteen at a time: the integer work runs on 16-bit lanes of a whole register.
    static HEARTH_KV_AVX2_INLINE void load16(const elem* p, __m256& lo, __m256& hi) {
        const __m256i wide = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
        const __m256i half = _mm256_and_si256(_mm256_slli_epi16(wide, 7), _mm256_set1_epi16(static_cast<short>(0xBF80)));
        const __m256i nan =
            _mm256_cmpeq_epi16(_mm256_and_si256(half, _mm256_set1_epi16(0x3F80)), _mm256_set1_epi16(0x3F80));
        const __m256i bits = _mm256_or_si256(half, nan);
        lo = _mm256_cvtph_ps(_mm256_castsi256_si128(bits));
        hi = _mm256_cvtph_ps(_mm256_extracti128_si256(bits, 1));
    }
#endif
};

template <class D>
const typename D::elem* row_at(const void* rows, std::size_t row_bytes, std::int32_t j) {
    return reinterpret_cast<const typename D::elem*>(static_cast<const char*>(rows) + j * row_bytes);
}

// ---- Scalar kernels: the plain loops.

template <class D>
void dot_rows_scalar(const float* q, const void* rows, std::size_t row_bytes, std::int32_t count, std::int32_t n,
                     float scale, float* scores) {
    for (std::int32_t j = 0; j < count; ++j) {
        const auto* r = row_at<D>(rows, row_bytes, j);
        float sum = 0.0f;
        for (std::int32_t i = 0; i < n; ++i) sum += q[i] * D::scalar(r[i]);
        scores[j] = sum * (scale * D::factor);
    }
}

template <class D>
void accumulate_rows_scalar(const void* rows, std::size_t row_bytes, const float* weights, std::int32_t count,
                            std::int32_t n, float* acc) {
    for (std::int32_t j = 0; j < count; ++j) {
        const auto* r = row_at<D>(rows, row_bytes, j);
        const float w = weights[j] * D::factor;
        for (std::int32_t i = 0; i < n; ++i) acc[i] += w * D::scalar(r[i]);
    }
}

void dot_rows_f32_plain(const float* q, const void* rows, std::size_t row_bytes, std::int32_t count, std::int32_t n,
                        float scale, float* scores) {
    for (std::int32_t j = 0; j < count; ++j) {
        const auto* r = reinterpret_cast<const float*>(static_cast<const char*>(rows) + j * row_bytes);
        float sum = 0.0f;
        for (std::int32_t i = 0; i < n; ++i) sum += q[i] * r[i];
        scores[j] = sum * scale;
    }
}

void accumulate_rows_f32_plain(const void* rows, std::size_t row_bytes, const float* weights, std::int32_t count,
                               std::int32_t n, float* acc) {
    for (std::int32_t j = 0; j < count; ++j) {
        const auto* r = reinterpret_cast<const float*>(static_cast<const char*>(rows) + j * row_bytes);
        for (std::int32_t i = 0; i < n; ++i) acc[i] += weights[j] * r[i];
    }
}

// The F32 hot path, unchanged: vector_math's kernels (target_clones), stride in floats.
void dot_rows_f32_vector(const float* q, const void* rows, std::size_t row_bytes, std::int32_t count,
                         std::int32_t n, float scale, float* scores) {
    dot_rows_f32(q, static_cast<const float*>(rows), static_cast<std::int64_t>(row_bytes / sizeof(float)), count, n,
                 scale, scores);
}

void accumulate_rows_f32_vector(const void* rows, std::size_t row_bytes, const float* weights, std::int32_t count,
                                std::int32_t n, float* acc) {
    accumulate_rows_f32(static_cast<const float*>(rows), static_cast<std::int64_t>(row_bytes / sizeof(float)), weights,
                        count, n, acc);
}

#ifdef HEARTH_KV_ROWS_AVX2
// ---- AVX2 kernels: 8 elements per step, FMA, the scalar decoder for a tail of n % 8.

using avx2::hsum;
using avx2::hsum8;

template <class D>
HEARTH_KV_AVX2 void dot_rows_avx2(const float* q, const void* rows, std::size_t row_bytes, std::int32_t count,
                                  std::int32_t n, float scale, float* scores) {
    const std::int32_t n8 = n & ~7;
    const float s = scale * D::factor;
    std::int32_t j = 0;
    if (n8 == n) {
        // Eight keys at a time: eight independent FMA chains keep both FMA units busy.
        const __m256 vs = _mm256_set1_ps(s);
        for (; j + 8 <= count; j += 8) {
            __m256 a[8];
#pragma GCC unroll 8
            for (int k = 0; k < 8; ++k) a[k] = _mm256_setzero_ps();
            for (std::int32_t i = 0; i < n; i += 8) {
                const __m256 qv = _mm256_loadu_ps(q + i);
#pragma GCC unroll 8
                for (int k = 0; k < 8; ++k) a[k] = _mm256_fmadd_ps(qv, D::load8(row_at<D>(rows, row_bytes, j + k) + i), a[k]);
            }
            _mm256_storeu_ps(scores + j, _mm256_mul_ps(hsum8(a), vs));
        }
    }
    // Four keys at a time: each slice of q is loaded once for four rows.
    for (; j + 4 <= count; j += 4) {
        const auto* r0 = row_at<D>(rows, row_bytes, j);
        const auto* r1 = row_at<D>(rows, row_bytes, j + 1);
        const auto* r2 = row_at<D>(rows, row_bytes, j + 2);
        const auto* r3 = row_at<D>(rows, row_bytes, j + 3);
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
        std::int32_t i = 0;
        for (; i + 16 <= n8; i += 16) {
            const __m256 qlo = _mm256_loadu_ps(q + i), qhi = _mm256_loadu_ps(q + i + 8);
            __m256 lo, hi;
            D::load16(r0 + i, lo, hi);
            a0 = _mm256_fmadd_ps(qhi, hi, _mm256_fmadd_ps(qlo, lo, a0));
            D::load16(r1 + i, lo, hi);
            a1 = _mm256_fmadd_ps(qhi, hi, _mm256_fmadd_ps(qlo, lo, a1));
            D::load16(r2 + i, lo, hi);
            a2 = _mm256_fmadd_ps(qhi, hi, _mm256_fmadd_ps(qlo, lo, a2));
            D::load16(r3 + i, lo, hi);
            a3 = _mm256_fmadd_ps(qhi, hi, _mm256_fmadd_ps(qlo, lo, a3));
        }
        for (; i < n8; i += 8) {
            const __m256 qv = _mm256_loadu_ps(q + i);
            a0 = _mm256_fmadd_ps(qv, D::load8(r0 + i), a0);
            a1 = _mm256_fmadd_ps(qv, D::load8(r1 + i), a1);
            a2 = _mm256_fmadd_ps(qv, D::load8(r2 + i), a2);
            a3 = _mm256_fmadd_ps(qv, D::load8(r3 + i), a3);
        }
        float t0 = hsum(a0), t1 = hsum(a1), t2 = hsum(a2), t3 = hsum(a3);
        for (i = n8; i < n; ++i) {
            t0 += q[i] * D::scalar(r0[i]);
            t1 += q[i] * D::scalar(r1[i]);
            t2 += q[i] * D::scalar(r2[i]);
            t3 += q[i] * D::scalar(r3[i]);
        }
        scores[j] = t0 * s;
        scores[j + 1] = t1 * s;
        scores[j + 2] = t2 * s;
        scores[j + 3] = t3 * s;
    }
    for (; j < count; ++j) {
        const auto* r = row_at<D>(rows, row_bytes, j);
        __m256 a = _mm256_setzero_ps();
        for (std::int32_t i = 0; i < n8; i += 8) a = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), D::load8(r + i), a);
        float t = hsum(a);
        for (std::int32_t i = n8; i < n; ++i) t += q[i] * D::scalar(r[i]);
        scores[j] = t * s;
    }
}

// acc[0 .. 8·lanes) += Σ_j w_j · v_j[offset …], the accumulators held in registers across the rows.
template <class D, int lanes>
HEARTH_KV_AVX2_INLINE void accumulate_chunk_avx2(const void* rows, std::size_t row_bytes, std::int32_t offset,
                                                 const float* weights, std::int32_t count, float* acc) {
    __m256 a[lanes];
#pragma GCC unroll 8
    for (int k = 0; k < lanes; ++k) a[k] = _mm256_loadu_ps(acc + 8 * k);
    for (std::int32_t j = 0; j < count; ++j) {
        const __m256 wv = _mm256_set1_ps(weights[j] * D::factor);
        const auto* r = row_at<D>(rows, row_bytes, j) + offset;
        if constexpr (lanes % 2 == 0) {
#pragma GCC unroll 8
            for (int k = 0; k < lanes; k += 2) {
                __m256 lo, hi;
                D::load16(r + 8 * k, lo, hi);
                a[k] = _mm256_fmadd_ps(wv, lo, a[k]);
                a[k + 1] = _mm256_fmadd_ps(wv, hi, a[k + 1]);
            }
        } else {
#pragma GCC unroll 8
            for (int k = 0; k < lanes; ++k) a[k] = _mm256_fmadd_ps(wv, D::load8(r + 8 * k), a[k]);
        }
    }
#pragma GCC unroll 8
    for (int k = 0; k < lanes; ++k) _mm256_storeu_ps(acc + 8 * k, a[k]);
}

template <class D>
HEARTH_KV_AVX2 void accumulate_rows_avx2(const void* rows, std::size_t row_bytes, const float* weights,
                                         std::int32_t count, std::int32_t n, float* acc) {
    std::int32_t c = 0;
    for (; c + 64 <= n; c += 64) accumulate_chunk_avx2<D, 8>(rows, row_bytes, c, weights, count, acc + c);
    for (; c + 8 <= n; c += 8) accumulate_chunk_avx2<D, 1>(rows, row_bytes, c, weights, count, acc + c);
    if (c == n) return;
    for (std::int32_t j = 0; j < count; ++j) {
        const auto* r = row_at<D>(rows, row_bytes, j);
        const float w = weights[j] * D::factor;
        for (std::int32_t i = c; i < n; ++i) acc[i] += w * D::scalar(r[i]);
    }
}

bool use_avx2() {
    // The row kernels' check: AVX2, FMA and F16C present and YMM state saved by the OS.
    static const bool yes = std::strcmp(hearth::cpu::row_kernels_isa(), "avx2") == 0;
    return yes;
}
#endif

const KvRowKernels scalar_f32{dot_rows_f32_plain, accumulate_rows_f32_plain};
const KvRowKernels scalar_f16{dot_rows_scalar<F16Elements>, accumulate_rows_scalar<F16Elements>};
const KvRowKernels scalar_bf16{dot_rows_scalar<BF16Elements>, accumulate_rows_scalar<BF16Elements>};
const KvRowKernels scalar_e4m3{dot_rows_scalar<E4M3Elements>, accumulate_rows_scalar<E4M3Elements>};
const KvRowKernels scalar_e5m2{dot_rows_scalar<E5M2Elements>, accumulate_rows_scalar<E5M2Elements>};
// F32 keeps vector_math's own kernels on every CPU (they carry their own target_clones dispatch).
const KvRowKernels vector_f32{dot_rows_f32_vector, accumulate_rows_f32_vector};
#ifdef HEARTH_KV_ROWS_AVX2
const KvRowKernels avx2_f16{dot_rows_avx2<F16Elements>, accumulate_rows_avx2<F16Elements>};
const KvRowKernels avx2_bf16{dot_rows_avx2<BF16Elements>, accumulate_rows_avx2<BF16Elements>};
const KvRowKernels avx2_e4m3{dot_rows_avx2<E4M3Elements>, accumulate_rows_avx2<E4M3Elements>};
const KvRowKernels avx2_e5m2{dot_rows_avx2<E5M2Elements>, accumulate_rows_avx2<E5M2Elements>};
#endif

}  // namespace

const KvRowKernels* kv_row_kernels_scalar(TensorType type) {
    switch (type) {
    case TensorType::F32: return &scalar_f32;
    case TensorType::F16: return &scalar_f16;
    case TensorType::BF16: return &scalar_bf16;
    case TensorType::F8_E4M3: return &scalar_e4m3;
    case TensorType::F8_E5M2: return &scalar_e5m2;
    default: return nullptr;
    }
}

const KvRowKernels* kv_row_kernels(TensorType type) {
    if (type == TensorType::F32) return &vector_f32;
#ifdef HEARTH_KV_ROWS_AVX2
    if (use_avx2()) {
        switch (type) {
        case TensorType::F16: return &avx2_f16;
        case TensorType::BF16: return &avx2_bf16;
        case TensorType::F8_E4M3: return &avx2_e4m3;
        case TensorType::F8_E5M2: return &avx2_e5m2;
        default: return nullptr;
        }
    }
#endif
    return kv_row_kernels_scalar(type);
}

}  // namespace hearth::backend::cpu
