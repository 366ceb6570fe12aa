// AVX2 + FMA dot products with f32 activations: the plain types stream straight from the row; quantized
// rows are dequantized 256 elements at a time into an L1-resident buffer by the (exact) AVX2 dequantizers
// and dotted from there. Four accumulators hide the FMA latency.

#include <algorithm>

#include "backend/cpu/quant/avx2_common.h"
#include "backend/cpu/quant/kernels.h"

namespace hearth::cpu::quant::avx2 {
namespace {

// Loads 8 weights as f32 from a row of the plain type at element i.
struct LoadF32 {
    HEARTH_AVX2_INLINE static __m256 load(const std::uint8_t* p, std::int64_t i) {
        return _mm256_loadu_ps(reinterpret_cast<const float*>(p + 4 * i));
    }
    static float one(const std::uint8_t* p, std::int64_t i) { return load_f32(p + 4 * i); }
};
struct LoadF16 {
    HEARTH_AVX2_INLINE static __m256 load(const std::uint8_t* p, std::int64_t i) {
        return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 2 * i)));
    }
    HEARTH_AVX2_INLINE static float one(const std::uint8_t* p, std::int64_t i) { return f16_hw(p + 2 * i); }
};
struct LoadBF16 {
    HEARTH_AVX2_INLINE static __m256 load(const std::uint8_t* p, std::int64_t i) {
        const __m256i v = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 2 * i)));
        return _mm256_castsi256_ps(_mm256_slli_epi32(v, 16));
    }
    static float one(const std::uint8_t* p, std::int64_t i) { return bf16_to_f32(load_u16(p + 2 * i)); }
};

template <typename Load>
HEARTH_AVX2_INLINE float dot_plain(const void* row, const float* x, std::int64_t n) {
    const auto* p = static_cast<const std::uint8_t*>(row);
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    __m256 acc2 = _mm256_setzero_ps(), acc3 = _mm256_setzero_ps();
    std::int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        acc0 = _mm256_fmadd_ps(Load::load(p, i), _mm256_loadu_ps(x + i), acc0);
        acc1 = _mm256_fmadd_ps(Load::load(p, i + 8), _mm256_loadu_ps(x + i + 8), acc1);
        acc2 = _mm256_fmadd_ps(Load::load(p, i + 16), _mm256_loadu_ps(x + i + 16), acc2);
        acc3 = _mm256_fmadd_ps(Load::load(p, i + 24), _mm256_loadu_ps(x + i + 24), acc3);
    }
    for (; i + 8 <= n; i += 8) acc0 = _mm256_fmadd_ps(Load::load(p, i), _mm256_loadu_ps(x + i), acc0);
    float acc = hsum(_mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3)));
    for (; i < n; ++i) acc += Load::one(p, i) * x[i];
    return acc;
}

using DequantizeFn = void (*)(const void*, float*, std::int64_t);

template <DequantizeFn dequantize, int block_elems, int block_bytes>
HEARTH_AVX2_INLINE float dot_via_dequantize(const void* row, const float* x, std::int64_t n) {
    constexpr int chunk = 256;  // a multiple of every block size; 1 KiB of f32
    static_assert(chunk % block_elems == 0);
    const auto* p = static_cast<const std::uint8_t*>(row);
    alignas(32) float w[chunk];
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    __m256 acc2 = _mm256_setzero_ps(), acc3 = _mm256_setzero_ps();
    for (std::int64_t i = 0; i < n; i += chunk) {
        const int len = static_cast<int>(std::min<std::int64_t>(chunk, n - i));  // a multiple of 32
        dequantize(p + i / block_elems * block_bytes, w, len);
        for (int j = 0; j < len; j += 32) {
            acc0 = _mm256_fmadd_ps(_mm256_load_ps(w + j), _mm256_loadu_ps(x + i + j), acc0);
            acc1 = _mm256_fmadd_ps(_mm256_load_ps(w + j + 8), _mm256_loadu_ps(x + i + j + 8), acc1);
            acc2 = _mm256_fmadd_ps(_mm256_load_ps(w + j + 16), _mm256_loadu_ps(x + i + j + 16), acc2);
            acc3 = _mm256_fmadd_ps(_mm256_load_ps(w + j + 24), _mm256_loadu_ps(x + i + j + 24), acc3);
        }
    }
    return hsum(_mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3)));
}

}  // namespace

HEARTH_AVX2 float dot_f32_f32(const void* row, const float* x, std::int64_t n) { return dot_plain<LoadF32>(row, x, n); }
HEARTH_AVX2 float dot_f32_f16(const void* row, const float* x, std::int64_t n) { return dot_plain<LoadF16>(row, x, n); }
HEARTH_AVX2 float dot_f32_bf16(const void* row, const float* x, std::int64_t n) { return dot_plain<LoadBF16>(row, x, n); }

HEARTH_AVX2 float dot_f32_q4_0(const void* row, const float* x, std::int64_t n) {
    return dot_via_dequantize<dequantize_q4_0, 32, sizeof(block_q4_0)>(row, x, n);
}
HEARTH_AVX2 float dot_f32_q4_1(const void* row, const float* x, std::int64_t n) {
    return dot_via_dequantize<dequantize_q4_1, 32, sizeof(block_q4_1)>(row, x, n);
}
HEARTH_AVX2 float dot_f32_q5_0(const void* row, const float* x, std::int64_t n) {
    return dot_via_dequantize<dequantize_q5_0, 32, sizeof(block_q5_0)>(row, x, n);
}
HEARTH_AVX2 float dot_f32_q5_1(const void* row, const float* x, std::int64_t n) {
    return dot_via_dequantize<dequantize_q5_1, 32, sizeof(block_q5_1)>(row, x, n);
}
HEARTH_AVX2 float dot_f32_q8_0(const void* row, const float* x, std::int64_t n) {
    return dot_via_dequantize<dequantize_q8_0, 32, sizeof(block_q8_0)>(row, x, n);
}
HEARTH_AVX2 float dot_f32_q2_k(const void* row, const float* x, std::int64_t n) {
    return dot_via_dequantize<dequantize_q2_k, 256, sizeof(block_q2_k)>(row, x, n);
}
HEARTH_AVX2 float dot_f32_q3_k(const void* row, const float* x, std::int64_t n) {
    return dot_via_dequantize<dequantize_q3_k, 256, sizeof(block_q3_k)>(row, x, n);
}
HEARTH_AVX2 float dot_f32_q4_k(const void* row, const float* x, std::int64_t n) {
    return dot_via_dequantize<dequantize_q4_k, 256, sizeof(block_q4_k)>(row, x, n);
}
HEARTH_AVX2 float dot_f32_q5_k(const void* row, const float* x, std::int64_t n) {
    return dot_via_dequantize<dequantize_q5_k, 256, sizeof(block_q5_k)>(row, x, n);
}
HEARTH_AVX2 float dot_f32_q6_k(const void* row, const float* x, std::int64_t n) {
    return dot_via_dequantize<dequantize_q6_k, 256, sizeof(block_q6_k)>(row, x, n);
}

}  // namespace hearth::cpu::quant::avx2
