#pragma once
// Row kernels: what the CPU backend needs to multiply by a weight row stored in any supported type, without
// ever making a dequantized copy of the matrix. Two paths per type:
//   exact — the weight block is dequantized in registers and dotted with f32 activations (the reference);
//   fast  — the activation row is quantized once per matmul (Q8_0 / Q8_1 / Q8_K blocks, as ggml does) and
//           the dot product runs on integers, which is what makes decode memory-bound instead of ALU-bound.
// The kernel table is chosen once at start-up from the CPU's features (AVX2+FMA+F16C, else scalar).
//
// Contracts shared by every function below:
//   - n is a whole number of the weight type's blocks (32 or 256 elements; any n for F32/F16/BF16).
//   - Rows and quantized activations need no alignment at all (rows come straight from a memory-mapped
//     file); x needs only float's natural alignment.
//   - dequantize reproduces ggml's dequantize_row_* (and gguf-py's dequantize) bit for bit, on every table.
//   - dot_f32 equals dequantize-then-dot up to the order of the f32 additions (f32 accumulation).
//   - Activation blocks are Hearth's own, not ggml's (block_layouts.h): Q8_0 and Q8_1 keep f32 scales
//     (36 and 40 bytes per 32 elements), Q8_K matches ggml's 292 bytes. Size them with
//     activation_row_bytes(), not traits()/bytes_for(). Each x is replaced by d·q with d = max|x| / 127
//     per block and q = x·(1/d) rounded half to even, in [−127, 127], so |x − d·q| ≤ d/2; that is the
//     only error dot_quantized adds to dot_f32 beyond float rounding. Scalar and AVX2
//     quantize_activations write identical bytes.
//
// A matrix-vector product quantizes x once (quantize_activations into activation_row_bytes(
// activation_type, n) bytes) and then calls dot_quantized for every weight row.

#include <cstddef>
#include <cstdint>

#include "hearth/tensor_type.h"

namespace hearth::cpu {

// Converts n elements (a whole number of blocks) of one weight row to f32.
using DequantizeRowFn = void (*)(const void* row, float* out, std::int64_t n);
// Σ w[i]·x[i] over n elements, w dequantized block by block in registers, x in f32.
using DotF32Fn = float (*)(const void* row, const float* x, std::int64_t n);
// Quantizes n f32 activations into the activation type's blocks at `out` (activation_row_bytes(n) bytes).
using QuantizeActivationsFn = void (*)(const float* x, void* out, std::int64_t n);
// Σ w[i]·x[i] with x already quantized by the matching QuantizeActivationsFn.
using DotQuantizedFn = float (*)(const void* row, const void* x_quantized, std::int64_t n);

// dot_quantized(row, x1) + dot_quantized(row, x2) in one pass over the row (the split 8+8-bit path).
using DotQuantizedSplitFn = float (*)(const void* row, const void* x1, const void* x2, std::int64_t n);
// out[r] = Σ w_r[i]·x[i] for every row r of a group of interleaved rows (RowKernels::group_rows of them).
using DotRowsQuantizedFn = void (*)(const void* group, const void* x_quantized, std::int64_t n, float* out);

// The precise path's activation blocks (block_layouts.h): 32 elements as int16 with an f32 scale, plus
// s = d·Σq for the weights with an offset (Q4_1, Q5_1); for the K types 256 elements with one scale and
// the integer sums of each group of 32. |x − d·q| ≤ d/2 with d = max|x| / 32767 over the block.
enum class Activation16 : std::uint8_t { none, q16_0, q16_1, q16_k, q16_1s /* act_q16_1 in the split layout */ };

struct RowKernels {
    TensorType weight_type = TensorType::F32;
    DequantizeRowFn dequantize = nullptr;  // always set for a supported type
    DotF32Fn dot_f32 = nullptr;            // always set for a supported type
    // Fast path; activation_type is F32 (and the two functions null) where the type has none.
    TensorType activation_type = TensorType::F32;  // Q8_0, Q8_1 or Q8_K
    QuantizeActivationsFn quantize_activations = nullptr;
    DotQuantizedFn dot_quantized = nullptr;
    DotQuantizedSplitFn dot_quantized_split = nullptr;  // optional: else dot_quantized runs twice
    // Precise path (Q4_0 … Q8_0, Q4_K, Q5_K, Q6_K; activation16 == none and both null elsewhere): one integer pass
    // against int16 activations, as accurate as the split path at the 8-bit path's cost.
    Activation16 activation16 = Activation16::none;
    QuantizeActivationsFn quantize_activations16 = nullptr;
    DotQuantizedFn dot_quantized16 = nullptr;
    // Layouts that interleave rows (group_rows > 1: the eight-row layouts) multiply a whole group at once,
    // the group of rows g·group_rows … starting at the matrix's row g·group_rows; their single-row
    // functions (dequantize, dot_f32, dot_quantized16) are null.
    std::int64_t group_rows = 1;
    DotRowsQuantizedFn dot_rows_quantized16 = nullptr;
};

// The kernels for rows of `type`, or nullptr when the CPU backend cannot multiply by that type.
// Supported: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K.
const RowKernels* row_kernels(TensorType type);

// How a matrix's rows are arranged in memory: as the file stores them, or rearranged at load time into a
// layout whose kernels are faster (block_layouts.h). A rearranged row keeps its size in bytes; the
// eight-row layouts interleave each group of 8 rows within their 8 × row_bytes.
enum class RowLayout : std::uint8_t { as_stored, q4_1_split, q4_1_rows8, q8_0_rows8, q4_0_rows8, q5_0_rows8 };

// The layout worth repacking a matrix of `type` with `rows` rows into for the int16 path on this CPU
// (as_stored: none). With AVX2, Q4_0, Q4_1, Q5_0 and Q8_0 go into eight-row groups where the rows come in
// eights, other Q4_1 matrices into split rows.
RowLayout preferred_row_layout(TensorType type, std::int64_t rows);
// Rows per group of `layout`: 8 for the eight-row layouts, else 1.
std::int64_t layout_group_rows(RowLayout layout);
// The kernels for rows of `type` in `layout` (row_kernels(type) for as_stored; nullptr for a pair that does
// not exist). The split layout has dequantize, dot_f32 and the int16 path only (no 8-bit fast path).
const RowKernels* row_kernels(TensorType type, RowLayout layout);
// Rearranges one row of n elements from the stored layout into `layout` (out must not overlap row).
// Row-group layouts: repack_rows.
void repack_row(RowLayout layout, const void* row, void* out, std::int64_t n);
// Rearranges layout_group_rows(layout) consecutive rows (row_bytes apart, n elements each) into `layout`,
// group_rows × row_bytes bytes at out (not overlapping the rows).
void repack_rows(RowLayout layout, const void* rows, std::size_t row_bytes, void* out, std::int64_t n);

// Bytes one row of n activations takes once quantized to `activation_type` (n a multiple of its block);
// 0 for any type other than Q8_0, Q8_1 and Q8_K.
std::size_t activation_row_bytes(TensorType activation_type, std::int64_t n);

// The f32 values d·q that quantize_activations() wrote for `activation_type` (Q8_0, Q8_1 or Q8_K).
void dequantize_activations(TensorType activation_type, const void* x_quantized, float* out, std::int64_t n);

// The same two for the precise path's blocks (0 bytes and nothing written for Activation16::none).
std::size_t activation16_row_bytes(Activation16 format, std::int64_t n);
void dequantize_activations16(Activation16 format, const void* x_quantized, float* out, std::int64_t n);

// Which instruction set the table was built for: "avx2" or "scalar" (for logs and the bench report).
const char* row_kernels_isa();
// Whether the avx2 table's int16 dots use AVX-VNNI (vpdpwssd), on CPUs that have it.
bool row_kernels_use_avx_vnni();

// Tests force the scalar table to compare it with the vector one; not for production use.
const RowKernels* row_kernels_scalar(TensorType type);
const RowKernels* row_kernels_scalar(TensorType type, RowLayout layout);

}  // namespace hearth::cpu
