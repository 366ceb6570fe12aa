#pragma once
// Small dense loops shared by the CPU ops (attention's q·k and p·v). GCC/Clang vector extensions keep them
// portable; target_clones compiles an AVX2 copy next to the baseline one and picks at load time, so the
// binary still runs on any x86-64.
#include <cstdint>

namespace hearth::backend::cpu {

// scores[j] = scale · Σ q[i]·rows[j·stride + i] for j < count (keys of one head, `stride` floats apart).
void dot_rows_f32(const float* q, const float* rows, std::int64_t stride, std::int32_t count, std::int32_t n,
                  float scale, float* scores);
// acc[i] += Σ_j weights[j] · rows[j·stride + i] (values of one head); fastest for n a multiple of 8.
void accumulate_rows_f32(const float* rows, std::int64_t stride, const float* weights, std::int32_t count,
                         std::int32_t n, float* acc);

}  // namespace hearth::backend::cpu
