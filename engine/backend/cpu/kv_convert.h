#pragma once
// Element conversions of the KV cache (KvLayer in backend/backend.h): F32 keys and values in, stored as F32,
// F16, BF16, F8_E4M3 (with a per (slot, head) scale) or F8_E5M2, and back. The math of attention stays in
// F32; these only define what a stored element means.
//
// Rounding is to nearest, ties to even, everywhere. Beyond that (tests/make_fp8_golden.py has torch's view):
//   F16, BF16  IEEE: a finite value past the largest finite one becomes ±inf, as torch's casts do.
//   F8_E5M2    finite values saturate to ±57344 (torch would give ±inf from 61440 on); ±inf stays ±inf.
//   F8_E4M3    the "fn" variant (no infinities, NaN = S.1111.111): finite values saturate to ±448;
//              ±inf becomes NaN (torch saturates it), so a non-finite input stays non-finite.
//   NaN stays NaN in every type.
// E4M3 rows are scaled per head: scale = max|x| / 448 over the head's finite values (1 if that is 0,
// which also covers rows of zeros, NaN and inf only), stored code = encode(x / scale).
#include <cstddef>
#include <cstdint>

#include "hearth/tensor_type.h"

namespace hearth::backend::cpu {

// F32, F16, BF16, F8_E4M3 and F8_E5M2.
bool kv_type_supported(TensorType type);  // = backend::kv_cache_type_supported

inline constexpr float fp8_e4m3_max = 448.0f;
inline constexpr float fp8_e5m2_max = 57344.0f;

// Single elements (scalar code; the reference the row functions are tested against).
std::uint16_t f32_to_f16(float x);
std::uint16_t f32_to_bf16(float x);
std::uint8_t f32_to_fp8_e4m3(float x);
std::uint8_t f32_to_fp8_e5m2(float x);
float f16_to_f32(std::uint16_t h);
float bf16_to_f32(std::uint16_t b);
float fp8_e4m3_to_f32(std::uint8_t code);
float fp8_e5m2_to_f32(std::uint8_t code);
// The value of each of the 256 codes of F8_E4M3 or F8_E5M2.
const float* fp8_table(TensorType type);

// One token's keys or values, x: [n_heads · head_dim] F32, into the cache row `dst` of `type`. For F8_E4M3
// also writes scales[h] for each head (scales is ignored, and may be null, for the other types). Uses F16C
// for F16 where the CPU has it; the result is the same bits either way.
void encode_kv_row(TensorType type, const float* x, std::int32_t n_heads, std::int32_t head_dim, void* dst,
                   float* scales);
// The inverse: out[i] = value of element i, times its head's scale for F8_E4M3.
void decode_kv_row(TensorType type, const void* src, const float* scales, std::int32_t n_heads,
                   std::int32_t head_dim, float* out);
// encode_kv_row with the scalar code only (tests compare it with the F16C path).
void encode_kv_row_scalar(TensorType type, const float* x, std::int32_t n_heads, std::int32_t head_dim, void* dst,
                          float* scales);

}  // namespace hearth::backend::cpu
