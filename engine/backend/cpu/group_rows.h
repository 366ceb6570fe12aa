#pragma once
// Attention's row loops over F32 (and F16) keys and values for all query heads of a GQA group at once: each key or
// value row is loaded once for up to three heads, where the one-head loops (vector_math.h) load it once per
// FMA. Those loops were bound by loads (one per FMA, ~0.8 FMA per cycle); here three FMAs share a load.
// AVX2 + FMA chosen at run time like vector_math's, a portable version otherwise.
#include <cstdint>

namespace hearth::backend::cpu {

// scores[h·scores_stride + j] = scale · Σ_i q[h·q_stride + i] · rows[j·stride + i] for heads h < heads,
// keys j < count, n elements each.
void dot_rows_f32_heads(const float* q, std::int64_t q_stride, std::int32_t heads, const float* rows,
                        std::int64_t stride, std::int32_t count, std::int32_t n, float scale, float* scores,
                        std::int64_t scores_stride);

// acc[h·acc_stride + i] += Σ_j weights[h·weights_stride + j] · rows[j·stride + i] for heads h < heads.
void accumulate_rows_f32_heads(const float* rows, std::int64_t stride, const float* weights,
                               std::int64_t weights_stride, std::int32_t heads, std::int32_t count, std::int32_t n,
                               float* acc, std::int64_t acc_stride);

// The same two over F16 rows (the KV cache's F16, converted with F16C), only where
// group_rows_f16_available(n): AVX2 + FMA + F16C and n % 32 == 0; callers fall back to one head at a time.
bool group_rows_f16_available(std::int32_t n);
void dot_rows_f16_heads(const float* q, std::int64_t q_stride, std::int32_t heads, const std::uint16_t* rows,
                        std::int64_t stride, std::int32_t count, std::int32_t n, float scale, float* scores,
                        std::int64_t scores_stride);
void accumulate_rows_f16_heads(const std::uint16_t* rows, std::int64_t stride, const float* weights,
                               std::int64_t weights_stride, std::int32_t heads, std::int32_t count, std::int32_t n,
                               float* acc, std::int64_t acc_stride);

}  // namespace hearth::backend::cpu
