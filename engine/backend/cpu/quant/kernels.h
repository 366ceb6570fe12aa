#pragma once
// Every row kernel, by instruction set; row_kernels.cpp puts them in the tables. Signatures are those of
// row_kernels.h. n is always a whole number of the weight type's blocks (and of the activation blocks).
//
// Naming: dequantize_<w>, dot_f32_<w>, quantize_<act>, dot_<w>_<act>.

#include <cstddef>
#include <cstdint>

namespace hearth::cpu::quant {

#define HEARTH_ROW_KERNELS(X) \
    X(f32) X(f16) X(bf16) X(q4_0) X(q4_1) X(q5_0) X(q5_1) X(q8_0) X(q2_k) X(q3_k) X(q4_k) X(q5_k) X(q6_k)

#define HEARTH_DECLARE_WEIGHT_KERNELS(w)                                   \
    void dequantize_##w(const void* row, float* out, std::int64_t n); \
    float dot_f32_##w(const void* row, const float* x, std::int64_t n);

#define HEARTH_DECLARE_ACTIVATION_KERNELS                                         \
    void quantize_q8_0(const float* x, void* out, std::int64_t n);               \
    void quantize_q8_1(const float* x, void* out, std::int64_t n);               \
    void quantize_q8_k(const float* x, void* out, std::int64_t n);               \
    float dot_q4_0_q8_0(const void* row, const void* xq, std::int64_t n);        \
    float dot_q4_1_q8_1(const void* row, const void* xq, std::int64_t n);        \
    float dot_q5_0_q8_0(const void* row, const void* xq, std::int64_t n);        \
    float dot_q5_1_q8_1(const void* row, const void* xq, std::int64_t n);        \
    float dot_q8_0_q8_0(const void* row, const void* xq, std::int64_t n);        \
    float dot_q2_k_q8_k(const void* row, const void* xq, std::int64_t n);        \
    float dot_q3_k_q8_k(const void* row, const void* xq, std::int64_t n);        \
    float dot_q4_k_q8_k(const void* row, const void* xq, std::int64_t n);        \
    float dot_q5_k_q8_k(const void* row, const void* xq, std::int64_t n);        \
    float dot_q6_k_q8_k(const void* row, const void* xq, std::int64_t n);        \
    void quantize_q16_0(const float* x, void* out, std::int64_t n);              \
    void quantize_q16_1(const float* x, void* out, std::int64_t n);              \
    float dot_q4_0_q16_0(const void* row, const void* xq, std::int64_t n);       \
    float dot_q4_1_q16_1(const void* row, const void* xq, std::int64_t n);       \
    float dot_q5_0_q16_0(const void* row, const void* xq, std::int64_t n);       \
    float dot_q5_1_q16_1(const void* row, const void* xq, std::int64_t n);       \
    float dot_q8_0_q16_0(const void* row, const void* xq, std::int64_t n);       \
    void quantize_q16_k(const float* x, void* out, std::int64_t n);              \
    float dot_q4_k_q16_k(const void* row, const void* xq, std::int64_t n);       \
    float dot_q5_k_q16_k(const void* row, const void* xq, std::int64_t n);       \
    float dot_q6_k_q16_k(const void* row, const void* xq, std::int64_t n);

// Q4_1 rows in the split layout (block_layouts.h), made from block_q4_1 rows by repack_q4_1_split.
void repack_q4_1_split(const void* row, void* out, std::int64_t n);
// Eight Q4_1 rows (block_q4_1, `row_bytes` apart) into one group of the eight-row layout (block_layouts.h).
void repack_q4_1_rows8(const void* rows, std::size_t row_bytes, void* out, std::int64_t n);
// The same for eight Q4_0 rows (block_q4_0) into the Q4_0 eight-row layout, and for Q5_0.
void repack_q4_0_rows8(const void* rows, std::size_t row_bytes, void* out, std::int64_t n);
void repack_q5_0_rows8(const void* rows, std::size_t row_bytes, void* out, std::int64_t n);
// The same for eight Q8_0 rows (block_q8_0) into the Q8_0 eight-row layout.
void repack_q8_0_rows8(const void* rows, std::size_t row_bytes, void* out, std::int64_t n);
// act_q16_1s activations through a table's act_q16_1 quantizer (the scalar and AVX2 quantize_q16_1s).
void quantize_q16_1s_with(void (*quantize_q16_1)(const float*, void*, std::int64_t), const float* x, void* out,
                          std::int64_t n);

// Plain C++: the reference, and the fallback on CPUs without AVX2/FMA/F16C.
namespace scalar {
HEARTH_ROW_KERNELS(HEARTH_DECLARE_WEIGHT_KERNELS)
HEARTH_DECLARE_ACTIVATION_KERNELS
void dequantize_q4_1s(const void* row, float* out, std::int64_t n);
float dot_f32_q4_1s(const void* row, const float* x, std::int64_t n);
void quantize_q16_1s(const float* x, void* out, std::int64_t n);
float dot_q4_1s_q16_1s(const void* row, const void* xq, std::int64_t n);
// out[r] = row r of the eight-row group · the act_q16_1s activations, r = 0..7.
void dot_q4_1r8_q16_1s(const void* group, const void* xq, std::int64_t n, float* out);
// Row r (0..7) of an eight-row group, dequantized (for tests).
void dequantize_q4_1r8_row(const void* group, int r, float* out, std::int64_t n);
// The same two for Q4_0 groups, against act_q16_0 activations.
void dot_q4_0r8_q16_0(const void* group, const void* xq, std::int64_t n, float* out);
void dequantize_q4_0r8_row(const void* group, int r, float* out, std::int64_t n);
// The same two for Q5_0 groups, against act_q16_1s activations.
void dot_q5_0r8_q16_1s(const void* group, const void* xq, std::int64_t n, float* out);
void dequantize_q5_0r8_row(const void* group, int r, float* out, std::int64_t n);
// The same two for Q8_0 groups, against act_q16_0 activations.
void dot_q8_0r8_q16_0(const void* group, const void* xq, std::int64_t n, float* out);
void dequantize_q8_0r8_row(const void* group, int r, float* out, std::int64_t n);
}  // namespace scalar

// AVX2 + FMA + F16C, compiled per function (target attribute); call only when the CPU has all three.
namespace avx2 {
HEARTH_ROW_KERNELS(HEARTH_DECLARE_WEIGHT_KERNELS)
HEARTH_DECLARE_ACTIVATION_KERNELS
// One pass over a weight row against both activation parts of the split path (DotQuantizedSplitFn).
float dot_q4_0_q8_0_split(const void* row, const void* x1, const void* x2, std::int64_t n);
float dot_q4_1_q8_1_split(const void* row, const void* x1, const void* x2, std::int64_t n);
float dot_q5_0_q8_0_split(const void* row, const void* x1, const void* x2, std::int64_t n);
float dot_q5_1_q8_1_split(const void* row, const void* x1, const void* x2, std::int64_t n);
float dot_q8_0_q8_0_split(const void* row, const void* x1, const void* x2, std::int64_t n);
void quantize_q16_1s(const float* x, void* out, std::int64_t n);
float dot_q4_1s_q16_1s(const void* row, const void* xq, std::int64_t n);
void dot_q4_0r8_q16_0(const void* group, const void* xq, std::int64_t n, float* out);
void dot_q4_1r8_q16_1s(const void* group, const void* xq, std::int64_t n, float* out);
void dot_q5_0r8_q16_1s(const void* group, const void* xq, std::int64_t n, float* out);
void dot_q8_0r8_q16_0(const void* group, const void* xq, std::int64_t n, float* out);
}  // namespace avx2

// The int16 dots again with AVX-VNNI's vpdpwssd (call only when the CPU has AVX2, FMA, F16C and AVX-VNNI).
namespace avxvnni {
float dot_q4_0_q16_0(const void* row, const void* xq, std::int64_t n);
float dot_q4_1_q16_1(const void* row, const void* xq, std::int64_t n);
float dot_q5_0_q16_0(const void* row, const void* xq, std::int64_t n);
float dot_q5_1_q16_1(const void* row, const void* xq, std::int64_t n);
float dot_q8_0_q16_0(const void* row, const void* xq, std::int64_t n);
float dot_q4_1s_q16_1s(const void* row, const void* xq, std::int64_t n);
void dot_q4_0r8_q16_0(const void* group, const void* xq, std::int64_t n, float* out);
void dot_q4_1r8_q16_1s(const void* group, const void* xq, std::int64_t n, float* out);
void dot_q5_0r8_q16_1s(const void* group, const void* xq, std::int64_t n, float* out);
void dot_q8_0r8_q16_0(const void* group, const void* xq, std::int64_t n, float* out);
}  // namespace avxvnni

#undef HEARTH_ROW_KERNELS
#undef HEARTH_DECLARE_WEIGHT_KERNELS
#undef HEARTH_DECLARE_ACTIVATION_KERNELS

}  // namespace hearth::cpu::quant
