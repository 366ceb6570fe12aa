#pragma once
// Small dense loops shared by the CPU ops: attention's q·k, softmax numerators and p·v, and the SwiGLU
// gate. Each has an AVX2 + FMA version (chosen at run time with the row kernels' CPU check, so the binary
// still runs on any x86-64) and a portable one.
#include <cstdint>

namespace hearth::backend::cpu {

// scores[j] = scale · Σ q[i]·rows[j·stride + i] for j < count (keys of one head, `stride` floats apart).
void dot_rows_f32(const float* q, const float* rows, std::int64_t stride, std::int32_t count, std::int32_t n,
                  float scale, float* scores);
// acc[i] += Σ_j weights[j] · rows[j·stride + i] (values of one head); fastest for n a multiple of 8.
void accumulate_rows_f32(const float* rows, std::int64_t stride, const float* weights, std::int32_t count,
                         std::int32_t n, float* acc);
// The largest of v[0..count) that is not NaN (−inf for none): NaN scores reach the softmax sum instead.
float max_value(const float* v, std::int32_t count);
// v[j] = exp(v[j] − shift) for j < count; returns Σ v[j]. For softmax: shift = max, so every argument is
// ≤ 0. The vector exp is within 2 ulp of expf for arguments in [−87, 88]; below −87 it returns a value
// under 2^-125 instead of the (denormal or zero) true one, which no softmax sum can notice, above 88 it
// returns e^88, and NaN stays NaN.
float exp_and_sum(float* v, std::int32_t count, float shift);
// out[i] = silu(gate[i]) · up[i] = gate[i] / (1 + exp(−gate[i])) · up[i] (SwiGLU), same exp accuracy.
void silu_mul(const float* gate, const float* up, float* out, std::int64_t n);

}  // namespace hearth::backend::cpu
