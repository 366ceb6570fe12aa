// Rotary position embedding, in place. Angles are computed as transformers does (position × inv_freq in
// F32, then cos/sin in F32) so positions far into a long context agree with it too.
#include <cmath>
#include <vector>

#include "backend/cpu/cpu_backend.h"

namespace hearth::backend::cpu {

void CpuBackend::rope(const Tensor& x, std::int32_t n_heads, const RopeParams& params, const BatchLayout& batch) {
    const std::int32_t head_dim = params.head_dim;
    const std::int32_t half = params.rotary_dim / 2;
    const float* inv_freq = params.inv_freq.f32();
    m_pool.run(x.rows, 4, [&](std::int64_t begin, std::int64_t end) {
        thread_local std::vector<float> cos_table, sin_table;  // per thread, kept between calls
        cos_table.resize(static_cast<std::size_t>(half));
        sin_table.resize(static_cast<std::size_t>(half));
        for (std::int64_t t = begin; t < end; ++t) {
            const float position = static_cast<float>(batch.positions[t]);
            for (std::int32_t j = 0; j < half; ++j) {
                const float angle = position * inv_freq[j];
                cos_table[j] = std::cos(angle) * params.attention_factor;
                sin_table[j] = std::sin(angle) * params.attention_factor;
            }
            float* row = x.row_f32(t);
            for (std::int32_t h = 0; h < n_heads; ++h) {
                float* head = row + static_cast<std::int64_t>(h) * head_dim;
                for (std::int32_t j = 0; j < half; ++j) {
                    // neox pairs (j, j + half); gptj pairs (2j, 2j + 1).
                    float& a = params.style == RopeStyle::neox ? head[j] : head[2 * j];
                    float& b = params.style == RopeStyle::neox ? head[j + half] : head[2 * j + 1];
                    const float x0 = a, x1 = b;
                    a = x0 * cos_table[j] - x1 * sin_table[j];
                    b = x1 * cos_table[j] + x0 * sin_table[j];
                }
            }
        }
    });
}

}  // namespace hearth::backend::cpu
