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
// Weight rows per task. Decode (a token or a few) is a pure stream over the weights: tasks of up to about
// 256 KB of contiguous rows keep the hardware prefetchers on long runs (16 KB tasks measured half the
// speed of one half per thread on SmolLM2, 2 threads), and the task count is a multiple of the thread
// count with equal tasks, so no thread idles while another finishes a long last one (a 553 KB matrix
// cut into 256 KB tasks left one thread alone with the 40 KB tail). Prefill reuses each row across many
// tokens and is compute-bound: smaller tasks balance the threads better there.
std::int64_t row_grain(const Tensor& w, std::int64_t n_tokens, int threads) {
    const std::int64_t bytes = std::max<std::int64_t>(static_cast<std::int64_t>(w.row_bytes), 1);
    if (n_tokens <= 4) {
        constexpr std::int64_t k_task_bytes = 256 << 10;
        const std::int64_t per_thread = (w.rows * bytes + threads * k_task_bytes - 1) / (threads * k_task_bytes);
        const std::int64_t tasks = std::max<std::int64_t>(per_thread, 1) * threads;
        return std::max<std::int64_t>((w.rows + tasks - 1) / tasks, 1);
    }
    return std::clamp<std::int64_t>(16384 / bytes, 1, 64);
}
// o[first .. first + group_rows) for the group of interleaved rows starting at row `first` (the eight-row
// layouts), plus the bias where there is one.
void group_dots(const RowKernels* kernels, const Tensor& w, std::int64_t first, const std::byte* xq, std::int64_t in,
                const float* bias, float* o) {
    kernels->dot_rows_quantized16(w.row(first), xq, in, o + first);
    if (bias)
        for (std::int64_t r = first; r < first + kernels->group_rows; ++r) o[r] += bias[r];
}
}  // namespace

std::string_view name(MatmulPath path) {
    switch (path) {
    case MatmulPath::int16: return "16-bit activations";
    case MatmulPath::split8: return "8+8-bit activations";
    case MatmulPath::int8: return "8-bit activations";
    case MatmulPath::exact: return "exact F32 activations";
    }
    return "?";
}

void CpuBackend::matmul(const Tensor& x, const Weight& w, const Tensor& out) {
    const RowKernels* kernels = kernels_for(w);
    const std::int64_t n_tokens = x.rows;
    const std::int64_t in = w.matrix.cols;
    const float* bias = w.has_bias() ? w.bias.f32() : nullptr;
    const std::int64_t grain = row_grain(w.matrix, n_tokens, m_pool.size());
    // Runs dot(row r, activations of token t) for every row and token, rows spread over the threads.
    auto for_each_dot = [&](auto&& dot) {
        m_pool.run(w.matrix.rows, grain, [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t t = 0; t < n_tokens; ++t) {
                float* o = out.row_f32(t);
                for (std::int64_t r = begin; r < end; ++r) o[r] = dot(w.matrix.row(r), t) + (bias ? bias[r] : 0.0f);
            }
        });
    };

    if (m_matmul_path == MatmulPath::int16 && (kernels->dot_quantized16 != nullptr || kernels->dot_rows_quantized16 != nullptr)) {
        const std::size_t row_bytes = activation16_row_bytes(kernels->activation16, in);
        m_quantized_activations.resize(row_bytes * static_cast<std::size_t>(n_tokens));
        std::byte* xq = m_quantized_activations.data();
        m_pool.run(n_tokens, 8, [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t t = begin; t < end; ++t) kernels->quantize_activations16(x.row_f32(t), xq + row_bytes * t, in);
        });
        if (kernels->dot_rows_quantized16 != nullptr) {
            // Rows interleaved in groups (the eight-row layouts): tasks of whole groups.
            const std::int64_t g = kernels->group_rows, groups = w.matrix.rows / g;
            m_pool.run(groups, std::max<std::int64_t>(1, grain / g), [&](std::int64_t begin, std::int64_t end) {
                for (std::int64_t t = 0; t < n_tokens; ++t) {
                    float* o = out.row_f32(t);
                    for (std::int64_t group = begin; group < end; ++group)
                        group_dots(kernels, w.matrix, group * g, xq + row_bytes * t, in, bias, o);
                }
            });
            return;
        }
        for_each_dot([&](const void* row, std::int64_t t) { return kernels->dot_quantized16(row, xq + row_bytes * t, in); });
        return;
    }

    if (m_matmul_path != MatmulPath::exact && kernels->dot_quantized != nullptr) {
        // Per token: part 1 at xq + row_bytes·t; with two parts, part 2 (the remainder) right after all part 1s.
        const bool split = m_matmul_path == MatmulPath::split8 || m_matmul_path == MatmulPath::int16;
        const std::size_t row_bytes = activation_row_bytes(kernels->activation_type, in);
        const std::size_t part2 = row_bytes * static_cast<std::size_t>(n_tokens);
        m_quantized_activations.resize(split ? 2 * part2 : part2);
        if (split) m_activation_remainder.resize(static_cast<std::size_t>(in * m_pool.size()));
        std::byte* xq = m_quantized_activations.data();
        m_pool.run(n_tokens, 8, [&](std::int64_t begin, std::int64_t end) {
            float* remainder = split ? m_activation_remainder.data() + in * ThreadPool::current_thread_index() : nullptr;
            for (std::int64_t t = begin; t < end; ++t) {
                const float* xt = x.row_f32(t);
                kernels->quantize_activations(xt, xq + row_bytes * t, in);
                if (!split) continue;
                dequantize_activations(kernels->activation_type, xq + row_bytes * t, remainder, in);
                for (std::int64_t i = 0; i < in; ++i) remainder[i] = xt[i] - remainder[i];
                kernels->quantize_activations(remainder, xq + part2 + row_bytes * t, in);
            }
        });
        if (!split) {
            for_each_dot([&](const void* row, std::int64_t t) { return kernels->dot_quantized(row, xq + row_bytes * t, in); });
        } else if (kernels->dot_quantized_split) {
            for_each_dot([&](const void* row, std::int64_t t) {
                const std::byte* x1 = xq + row_bytes * t;
                return kernels->dot_quantized_split(row, x1, x1 + part2, in);
            });
        } else {
            for_each_dot([&](const void* row, std::int64_t t) {
                const std::byte* x1 = xq + row_bytes * t;
                return kernels->dot_quantized(row, x1, in) + kernels->dot_quantized(row, x1 + part2, in);  // row in L1
            });
        }
        return;
    }
    for_each_dot([&](const void* row, std::int64_t t) { return kernels->dot_f32(row, x.row_f32(t), in); });
}

void CpuBackend::matmuls(const Tensor& x, std::span<const MatmulTarget> targets) {
    // Decode's case: a few tokens on the int16 path, every matrix with int16 kernels. x is quantized once per
    // activation format, and every matrix's row tasks go into one job, so the threads meet once for Q, K
    // and V (or gate and up) instead of once per matrix. Anything else runs matrix by matrix.
    const std::int64_t n_tokens = x.rows;
    const std::int64_t in = x.cols;
    constexpr std::size_t k_max_targets = 4;  // Q, K, V; gate, up
    bool one_job = m_matmul_path == MatmulPath::int16 && n_tokens <= 4 && targets.size() > 1 &&
                   targets.size() <= k_max_targets;
    for (const MatmulTarget& target : targets) {
        const RowKernels* kernels = kernels_for(*target.weight);
        one_job = one_job && (kernels->dot_quantized16 != nullptr || kernels->dot_rows_quantized16 != nullptr) &&
                  target.weight->matrix.cols == in;
    }
    if (!one_job) {
        for (const MatmulTarget& target : targets) matmul(x, *target.weight, target.out);
        return;
    }
    // Activations in every int16 format some target needs, one after the other, n_tokens rows each.
    constexpr int k_formats = 5;  // Activation16::none, q16_0, q16_1, q16_k, q16_1s
    std::size_t offset[k_formats] = {}, row_size[k_formats] = {};
    const RowKernels* quantizer[k_formats] = {};
    std::size_t total = 0;
    for (const MatmulTarget& target : targets) {
        const RowKernels* kernels = kernels_for(*target.weight);
        const auto f = static_cast<std::size_t>(kernels->activation16);
        if (quantizer[f] != nullptr) continue;
        quantizer[f] = kernels;
        row_size[f] = activation16_row_bytes(kernels->activation16, in);
        offset[f] = total;
        total += row_size[f] * static_cast<std::size_t>(n_tokens);
    }
    m_quantized_activations.resize(total);
    std::byte* xq_all = m_quantized_activations.data();
    for (int f = 1; f < k_formats; ++f) {
        if (quantizer[f] == nullptr) continue;
        for (std::int64_t t = 0; t < n_tokens; ++t)
            quantizer[f]->quantize_activations16(x.row_f32(t), xq_all + offset[f] + row_size[f] * static_cast<std::size_t>(t), in);
    }
    // Tasks of all matrices, in order: task k belongs to the target whose range holds it.
    std::int64_t first_task[k_max_targets + 1] = {};
    std::int64_t grains[k_max_targets] = {};
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const Tensor& w = targets[i].weight->matrix;
        const std::int64_t group = kernels_for(*targets[i].weight)->group_rows;  // tasks of whole groups
        grains[i] = (row_grain(w, n_tokens, m_pool.size()) + group - 1) / group * group;
        first_task[i + 1] = first_task[i] + (w.rows + grains[i] - 1) / grains[i];
    }
    m_pool.run(first_task[targets.size()], 1, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t task = begin; task < end; ++task) {
            std::size_t i = 0;
            while (first_task[i + 1] <= task) ++i;
            const Weight& weight = *targets[i].weight;
            const RowKernels* kernels = kernels_for(weight);
            const auto f = static_cast<std::size_t>(kernels->activation16);
            const std::byte* xq = xq_all + offset[f];
            const std::size_t row_bytes = row_size[f];
            const std::int64_t row_begin = (task - first_task[i]) * grains[i];
            const std::int64_t row_end = std::min(weight.matrix.rows, row_begin + grains[i]);
            const float* bias = weight.has_bias() ? weight.bias.f32() : nullptr;
            for (std::int64_t t = 0; t < n_tokens; ++t) {
                float* o = targets[i].out.row_f32(t);
                if (kernels->dot_rows_quantized16 != nullptr) {
                    const std::int64_t g = kernels->group_rows;
                    for (std::int64_t r = row_begin; r < row_end; r += g)
                        group_dots(kernels, weight.matrix, r, xq + row_bytes * t, in, bias, o);
                    continue;
                }
                for (std::int64_t r = row_begin; r < row_end; ++r)
                    o[r] = kernels->dot_quantized16(weight.matrix.row(r), xq + row_bytes * t, in) + (bias ? bias[r] : 0.0f);
            }
        }
    });
}

}  // namespace hearth::backend::cpu
