#pragma once
// Attention's two inner loops over a run of KV cache rows stored in any cache type (kv_convert.h says what
// the elements mean): each element is decoded in registers and the math is F32. F8_E4M3's per-row scales
// are not applied here: the caller multiplies the scores by the key scales and the weights by the value
// scales. Picked once at start-up like the row kernels: AVX2+FMA+F16C where the CPU has them, else scalar.
//
// The F32 entries are dot_rows_f32 / accumulate_rows_f32 (vector_math.h) themselves, so F32 rows must be
// a whole number of floats apart; the other types need no alignment at all.
#include <cstddef>
#include <cstdint>

#include "hearth/tensor_type.h"

namespace hearth::backend::cpu {

struct KvRowKernels {
    // scores[j] = scale · Σ_i q[i] · k_j[i] for j < count; k_j is the n elements at rows + j · row_bytes.
    void (*dot_rows)(const float* q, const void* rows, std::size_t row_bytes, std::int32_t count, std::int32_t n,
                     float scale, float* scores);
    // acc[i] += Σ_j weights[j] · v_j[i] for i < n; v_j is the n elements at rows + j · row_bytes.
    void (*accumulate_rows)(const void* rows, std::size_t row_bytes, const float* weights, std::int32_t count,
                            std::int32_t n, float* acc);
};

// The kernels for cache rows of `type`, or nullptr for a type the KV cache cannot hold.
const KvRowKernels* kv_row_kernels(TensorType type);
// The plain-loop kernels (tests compare them with the vector ones).
const KvRowKernels* kv_row_kernels_scalar(TensorType type);

}  // namespace hearth::backend::cpu
