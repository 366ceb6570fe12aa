// Attention over the paged KV cache. Keys and values of position p of sequence s live in slot
// block_table[s][p / block_size] * block_size + p % block_size; a query at position q sees the positions
// its mask allows (causal, sliding window, or its chunk), all of them already stored by store_kv.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/vector_math.h"

namespace hearth::backend::cpu {
namespace {

std::int64_t slot_of(const BatchLayout& batch, std::int32_t seq, std::int32_t position, std::int32_t block_size) {
    const std::int32_t* table = batch.block_table + static_cast<std::int64_t>(seq) * batch.max_blocks_per_seq;
    return static_cast<std::int64_t>(table[position / block_size]) * block_size + position % block_size;
}

// The first key position a query at `q` may see.
std::int32_t first_visible(const AttentionParams& params, std::int32_t q) {
    switch (params.mask) {
    case AttentionMask::causal: return 0;
    case AttentionMask::sliding_window: return std::max(0, q - params.window + 1);
    case AttentionMask::chunked: return q / params.window * params.window;
    }
    return 0;
}

}  // namespace

void CpuBackend::store_kv(const Tensor& keys, const Tensor& values, const KvLayer& cache, const BatchLayout& batch) {
    const std::size_t row = static_cast<std::size_t>(keys.cols) * sizeof(float);
    for (std::int32_t t = 0; t < batch.n_tokens; ++t) {
        const std::int64_t slot = batch.slot_mapping[t];
        std::memcpy(cache.keys.row_f32(slot), keys.row_f32(t), row);
        std::memcpy(cache.values.row_f32(slot), values.row_f32(t), row);
    }
}

void CpuBackend::attention(const Tensor& q, const KvLayer& cache, const BatchLayout& batch,
                           const AttentionParams& params, const Tensor& out) {
    const std::int32_t head_dim = params.head_dim;
    const std::int32_t group = params.n_heads / params.n_kv_heads;
    const std::int64_t n_items = static_cast<std::int64_t>(batch.n_tokens) * params.n_heads;
    // One (token, head) per task: decode has only n_heads items, and they must spread over every thread.
    m_pool.run(n_items, 1, [&](std::int64_t begin, std::int64_t end) {
        std::vector<float>& scores = m_attention_scratch[static_cast<std::size_t>(ThreadPool::current_thread_index())];
        std::vector<float> accumulator(static_cast<std::size_t>(head_dim));
        for (std::int64_t item = begin; item < end; ++item) {
            const std::int32_t t = static_cast<std::int32_t>(item / params.n_heads);
            const std::int32_t h = static_cast<std::int32_t>(item % params.n_heads);
            const std::int32_t kv_head = h / group;
            const std::int32_t seq = batch.seq_of_token[t];
            const std::int32_t position = batch.positions[t];
            const std::int32_t first = first_visible(params, position);
            const std::int32_t count = position - first + 1;
            const float* query = q.row_f32(t) + static_cast<std::int64_t>(h) * head_dim;
            scores.resize(static_cast<std::size_t>(count));

            float max_score = -std::numeric_limits<float>::infinity();
            for (std::int32_t i = 0; i < count; ++i) {
                const float* key = cache.keys.row_f32(slot_of(batch, seq, first + i, cache.block_size)) +
                                   static_cast<std::int64_t>(kv_head) * head_dim;
                float score = dot_f32(query, key, head_dim) * params.scale;
                if (params.logit_softcap > 0.0f) score = params.logit_softcap * std::tanh(score / params.logit_softcap);
                scores[static_cast<std::size_t>(i)] = score;
                max_score = std::max(max_score, score);
            }
            double sum = 0.0;
            for (std::int32_t i = 0; i < count; ++i) {
                const float e = std::exp(scores[static_cast<std::size_t>(i)] - max_score);
                scores[static_cast<std::size_t>(i)] = e;
                sum += e;
            }
            std::fill(accumulator.begin(), accumulator.end(), 0.0f);
            for (std::int32_t i = 0; i < count; ++i) {
                const float* value = cache.values.row_f32(slot_of(batch, seq, first + i, cache.block_size)) +
                                     static_cast<std::int64_t>(kv_head) * head_dim;
                axpy_f32(scores[static_cast<std::size_t>(i)], value, accumulator.data(), head_dim);
            }
            float* o = out.row_f32(t) + static_cast<std::int64_t>(h) * head_dim;
            const float inv_sum = static_cast<float>(1.0 / sum);
            for (std::int32_t d = 0; d < head_dim; ++d) o[d] = accumulator[static_cast<std::size_t>(d)] * inv_sum;
        }
    });
}

}  // namespace hearth::backend::cpu
