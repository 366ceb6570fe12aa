// Row-wise and elementwise ops of the CPU backend. All math in F32 in the order Hugging Face's PyTorch
// modules use, so results agree with transformers to float rounding.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/vector_math.h"
#include "backend/cpu/quant/row_kernels.h"

namespace hearth::backend::cpu {
namespace {
// Rows per task for cheap row ops: enough work to pay for handing it out.
std::int64_t grain_for(std::int64_t cols) { return std::max<std::int64_t>(1, 16384 / std::max<std::int64_t>(cols, 1)); }
}  // namespace

void CpuBackend::embed(const Tensor& table, const std::int32_t* ids, const Tensor& out) {
    const RowKernels* kernels = row_kernels(table.type);
    m_pool.run(out.rows, grain_for(out.cols), [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) kernels->dequantize(table.row(ids[i]), out.row_f32(i), table.cols);
    });
}

void CpuBackend::rms_norm(const Tensor& x, const Tensor& weight, float eps, const Tensor& out) {
    // x: [n, cols], normalised in groups of weight.cols (a whole row, or one head for QK-norm).
    const std::int64_t group = weight.cols;
    const std::int64_t groups_per_row = x.cols / group;
    const float* w = weight.f32();
    m_pool.run(x.rows, grain_for(x.cols), [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t r = begin; r < end; ++r) {
            const float* in = x.row_f32(r);
            float* o = out.row_f32(r);
            for (std::int64_t g = 0; g < groups_per_row; ++g) {
                const float* gi = in + g * group;
                float* go = o + g * group;
                // PyTorch reduces in F32 too; double here only makes the mean less order-dependent. Four
                // partial sums, so the adds do not wait on each other (decode runs this 2·layers + 1 times
                // per token on one thread).
                double partial[4] = {0.0, 0.0, 0.0, 0.0};
                std::int64_t i = 0;
                for (; i + 4 <= group; i += 4)
                    for (int k = 0; k < 4; ++k) partial[k] += double(gi[i + k]) * gi[i + k];
                for (; i < group; ++i) partial[0] += double(gi[i]) * gi[i];
                const double sum_squares = (partial[0] + partial[1]) + (partial[2] + partial[3]);
                const float mean = static_cast<float>(sum_squares / double(group));
                const float inv_rms = 1.0f / std::sqrt(mean + eps);
                for (std::int64_t j = 0; j < group; ++j) go[j] = w[j] * (gi[j] * inv_rms);
            }
        }
    });
}

void CpuBackend::gated_activation(const Tensor& gate, const Tensor& up, Activation act, const Tensor& out) {
    m_pool.run(gate.rows, grain_for(gate.cols), [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t r = begin; r < end; ++r) {
            const float* g = gate.row_f32(r);
            const float* u = up.row_f32(r);
            float* o = out.row_f32(r);
            if (act == Activation::silu) {
                silu_mul(g, u, o, gate.cols);
            } else {
                // PyTorch's gelu(approximate="tanh").
                constexpr float k_sqrt_2_over_pi = 0.7978845608028654f;
                for (std::int64_t i = 0; i < gate.cols; ++i) {
                    const float v = g[i];
                    const float inner = k_sqrt_2_over_pi * (v + 0.044715f * v * v * v);
                    o[i] = 0.5f * v * (1.0f + std::tanh(inner)) * u[i];
                }
            }
        }
    });
}

void CpuBackend::add(const Tensor& a, const Tensor& b, const Tensor& out) {
    m_pool.run(a.rows, grain_for(a.cols), [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t r = begin; r < end; ++r) {
            const float* x = a.row_f32(r);
            const float* y = b.row_f32(r);
            float* o = out.row_f32(r);
            for (std::int64_t i = 0; i < a.cols; ++i) o[i] = x[i] + y[i];
        }
    });
}

void CpuBackend::scale(const Tensor& x, float factor) {
    for (std::int64_t r = 0; r < x.rows; ++r) {
        float* v = x.row_f32(r);
        for (std::int64_t i = 0; i < x.cols; ++i) v[i] *= factor;
    }
}

void CpuBackend::softcap(const Tensor& x, float cap) {
    m_pool.run(x.rows, grain_for(x.cols), [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t r = begin; r < end; ++r) {
            float* v = x.row_f32(r);
            for (std::int64_t i = 0; i < x.cols; ++i) v[i] = cap * std::tanh(v[i] / cap);
        }
    });
}

void CpuBackend::gather_rows(const Tensor& x, const std::int32_t* rows, const Tensor& out) {
    for (std::int64_t i = 0; i < out.rows; ++i)
        std::memcpy(out.row_f32(i), x.row_f32(rows[i]), static_cast<std::size_t>(x.cols) * sizeof(float));
}

}  // namespace hearth::backend::cpu
