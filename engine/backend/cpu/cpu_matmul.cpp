// out = x · wᵀ (+ bias) for weights of any supported type, never dequantizing the matrix as a whole.
//
// Work is split over output rows: each task takes a run of weight rows and multiplies them with every
// token of the batch, so a weight row is read from memory once per matmul and then reused from cache for
// all tokens. Decode (one token) is then a pure stream over the weights, which is the memory-bound limit.
#include <algorithm>

#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/quant/row_kernels.h"

namespace hearth::backend::cpu {
namespace {
// Weight rows per task: ~8–32 KB of weights, small enough to balance two to sixteen threads.
std::int64_t row_grain(const Tensor& w) {
    const std::int64_t bytes = static_cast<std::int64_t>(w.row_bytes);
    return std::clamp<std::int64_t>(16384 / std::max<std::int64_t>(bytes, 1), 1, 64);
}
}  // namespace

void CpuBackend::matmul(const Tensor& x, const Weight& w, const Tensor& out) {
    const RowKernels* kernels = row_kernels(w.matrix.type);
    const std::int64_t n_tokens = x.rows;
    const std::int64_t in = w.matrix.cols;
    const float* bias = w.has_bias() ? w.bias.f32() : nullptr;
    const bool quantize = m_matmul_path == MatmulPath::fast && kernels->dot_quantized != nullptr;

    if (quantize) {
        const std::size_t row_bytes = activation_row_bytes(kernels->activation_type, in);
        m_quantized_activations.resize(row_bytes * static_cast<std::size_t>(n_tokens));
        std::byte* xq = m_quantized_activations.data();
        m_pool.run(n_tokens, 8, [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t t = begin; t < end; ++t)
                kernels->quantize_activations(x.row_f32(t), xq + row_bytes * t, in);
        });
        m_pool.run(w.matrix.rows, row_grain(w.matrix), [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t t = 0; t < n_tokens; ++t) {
                const std::byte* xt = xq + row_bytes * t;
                float* o = out.row_f32(t);
                for (std::int64_t r = begin; r < end; ++r)
                    o[r] = kernels->dot_quantized(w.matrix.row(r), xt, in) + (bias ? bias[r] : 0.0f);
            }
        });
        return;
    }
    m_pool.run(w.matrix.rows, row_grain(w.matrix), [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t t = 0; t < n_tokens; ++t) {
            const float* xt = x.row_f32(t);
            float* o = out.row_f32(t);
            for (std::int64_t r = begin; r < end; ++r)
                o[r] = kernels->dot_f32(w.matrix.row(r), xt, in) + (bias ? bias[r] : 0.0f);
        }
    });
}

}  // namespace hearth::backend::cpu
