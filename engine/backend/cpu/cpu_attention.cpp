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
    const std::int32_t block_size = cache.block_size;
    const std::int64_t stride = cache.keys.cols;  // floats from one slot's row to the next
    const std::int64_t n_items = static_cast<std::int64_t>(batch.n_tokens) * params.n_heads;
    // Visits the visible positions [first, last] block by block: runs of slots that are contiguous in memory.
    auto for_each_run = [&](std::int32_t seq, std::int32_t first, std::int32_t last, auto&& visit) {
        const std::int32_t* table = batch.block_table + static_cast<std::int64_t>(seq) * batch.max_blocks_per_seq;
        for (std::int32_t p = first; p <= last;) {
            const std::int32_t offset = p % block_size;
            const std::int32_t run = std::min(block_size - offset, last - p + 1);
            visit(p - first, static_cast<std::int64_t>(table[p / block_size]) * block_size + offset, run);
            p += run;
        }
    };
    // One (token, head) per task: decode has only n_heads items, and they must spread over every thread.
    m_pool.run(n_items, 1, [&](std::int64_t begin, std::int64_t end) {
        // Per-thread scratch, kept between calls: decode runs this task hundreds of times per token.
        thread_local std::vector<float> scores, accumulator;
        accumulator.resize(static_cast<std::size_t>(head_dim));
        for (std::int64_t item = begin; item < end; ++item) {
            const std::int32_t t = static_cast<std::int32_t>(item / params.n_heads);
            const std::int32_t h = static_cast<std::int32_t>(item % params.n_heads);
            const std::int64_t kv_offset = static_cast<std::int64_t>(h / group) * head_dim;
            const std::int32_t seq = batch.seq_of_token[t];
            const std::int32_t position = batch.positions[t];
            const std::int32_t first = first_visible(params, position);
            const std::int32_t count = position - first + 1;
            const float* query = q.row_f32(t) + static_cast<std::int64_t>(h) * head_dim;
            scores.resize(static_cast<std::size_t>(count));

            for_each_run(seq, first, position, [&](std::int32_t i, std::int64_t slot, std::int32_t run) {
                dot_rows_f32(query, cache.keys.row_f32(slot) + kv_offset, stride, run, head_dim, params.scale,
                             scores.data() + i);
            });
            float max_score = -std::numeric_limits<float>::infinity();
            for (float& score : scores) {
                if (params.logit_softcap > 0.0f) score = params.logit_softcap * std::tanh(score / params.logit_softcap);
                max_score = std::max(max_score, score);
            }
            double sum = 0.0;
            for (float& score : scores) {
                score = std::exp(score - max_score);
                sum += score;
            }
            std::fill(accumulator.begin(), accumulator.end(), 0.0f);
            for_each_run(seq, first, position, [&](std::int32_t i, std::int64_t slot, std::int32_t run) {
                accumulate_rows_f32(cache.values.row_f32(slot) + kv_offset, stride, scores.data() + i, run, head_dim,
                                    accumulator.data());
            });
            float* o = out.row_f32(t) + static_cast<std::int64_t>(h) * head_dim;
            const float inv_sum = static_cast<float>(1.0 / sum);
            for (std::int32_t d = 0; d < head_dim; ++d) o[d] = accumulator[static_cast<std::size_t>(d)] * inv_sum;
        }
    });
}

}  // namespace hearth::backend::cpu
