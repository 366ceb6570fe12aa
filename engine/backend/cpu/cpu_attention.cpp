// Attention over the paged KV cache. Keys and values of position p of sequence s live in slot
// block_table[s][p / block_size] * block_size + p % block_size; a query at position q sees the positions
// its mask allows (causal, sliding window, or its chunk), all of them already stored by store_kv.
//
// The cache holds F32, F16, BF16, F8_E4M3 (with a scale per slot and head) or F8_E5M2 (kv_convert.h):
// store_kv converts the batch's F32 keys and values into that type, attention decodes them in registers
// (kv_rows.h) and does all its math in F32. F32 keeps its own direct calls: it is the decode hot path.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/kv_convert.h"
#include "backend/cpu/kv_rows.h"
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

// The cache's head_dim: its own field, else (a cache made before the field existed) what the E4M3 scales
// imply; types without scales do not need it.
std::int32_t cache_head_dim(const KvLayer& cache) {
    if (cache.head_dim > 0) return cache.head_dim;
    if (cache.key_scales.cols > 0) return static_cast<std::int32_t>(cache.keys.cols / cache.key_scales.cols);
    return static_cast<std::int32_t>(cache.keys.cols);
}

}  // namespace

void CpuBackend::store_kv(const Tensor& keys, const Tensor& values, const KvLayer& cache, const BatchLayout& batch) {
    const TensorType type = cache.keys.type;
    if (type == TensorType::F32) {
        const std::size_t row = static_cast<std::size_t>(keys.cols) * sizeof(float);
        for (std::int32_t t = 0; t < batch.n_tokens; ++t) {
            const std::int64_t slot = batch.slot_mapping[t];
            std::memcpy(cache.keys.row_f32(slot), keys.row_f32(t), row);
            std::memcpy(cache.values.row_f32(slot), values.row_f32(t), row);
        }
        return;
    }
    if (!kv_type_supported(type)) return;  // the runtime never makes one (kv_type_supported); attention says NaN
    const std::int32_t head_dim = cache_head_dim(cache);
    const auto n_heads = static_cast<std::int32_t>(keys.cols / head_dim);
    const bool scaled = type == TensorType::F8_E4M3;
    for (std::int32_t t = 0; t < batch.n_tokens; ++t) {
        const std::int64_t slot = batch.slot_mapping[t];
        encode_kv_row(type, keys.row_f32(t), n_heads, head_dim, const_cast<void*>(cache.keys.row(slot)),
                      scaled ? cache.key_scales.row_f32(slot) : nullptr);
        encode_kv_row(type, values.row_f32(t), n_heads, head_dim, const_cast<void*>(cache.values.row(slot)),
                      scaled ? cache.value_scales.row_f32(slot) : nullptr);
    }
}

void CpuBackend::attention(const Tensor& q, const KvLayer& cache, const BatchLayout& batch,
                           const AttentionParams& params, const Tensor& out) {
    const std::int32_t head_dim = params.head_dim;
    const std::int32_t group = params.n_heads / params.n_kv_heads;
    const std::int32_t block_size = cache.block_size;
    const std::int64_t stride = cache.keys.cols;  // F32: floats from one slot's row to the next
    const std::int64_t n_items = static_cast<std::int64_t>(batch.n_tokens) * params.n_heads;
    const TensorType type = cache.keys.type;
    const bool f32 = type == TensorType::F32;
    const bool scaled = type == TensorType::F8_E4M3;
    const KvRowKernels* kernels = kv_row_kernels(type);
    if (kernels == nullptr) {
        // A cache type the backend cannot read: never garbage that looks like an answer.
        for (std::int32_t t = 0; t < batch.n_tokens; ++t)
            std::fill_n(out.row_f32(t), static_cast<std::int64_t>(params.n_heads) * head_dim,
                        std::numeric_limits<float>::quiet_NaN());
        return;
    }
    const auto element_bytes = static_cast<std::size_t>(traits(type).block_bytes);
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
        thread_local std::vector<float> scores, accumulator, weights;
        accumulator.resize(static_cast<std::size_t>(head_dim));
        if (scaled) weights.resize(static_cast<std::size_t>(block_size));
        for (std::int64_t item = begin; item < end; ++item) {
            const std::int32_t t = static_cast<std::int32_t>(item / params.n_heads);
            const std::int32_t h = static_cast<std::int32_t>(item % params.n_heads);
            const std::int32_t kv_head = h / group;
            const std::int64_t kv_offset = static_cast<std::int64_t>(kv_head) * head_dim;
            const std::size_t kv_byte_offset = static_cast<std::size_t>(kv_offset) * element_bytes;
            const std::int32_t seq = batch.seq_of_token[t];
            const std::int32_t position = batch.positions[t];
            const std::int32_t first = first_visible(params, position);
            const std::int32_t count = position - first + 1;
            const float* query = q.row_f32(t) + static_cast<std::int64_t>(h) * head_dim;
            scores.resize(static_cast<std::size_t>(count));

            for_each_run(seq, first, position, [&](std::int32_t i, std::int64_t slot, std::int32_t run) {
                float* s = scores.data() + i;
                if (f32) {
                    dot_rows_f32(query, cache.keys.row_f32(slot) + kv_offset, stride, run, head_dim, params.scale, s);
                    return;
                }
                kernels->dot_rows(query, static_cast<const char*>(cache.keys.row(slot)) + kv_byte_offset,
                                  cache.keys.row_bytes, run, head_dim, params.scale, s);
                if (scaled)
                    for (std::int32_t j = 0; j < run; ++j) s[j] *= cache.key_scales.row_f32(slot + j)[kv_head];
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
                if (f32) {
                    accumulate_rows_f32(cache.values.row_f32(slot) + kv_offset, stride, scores.data() + i, run,
                                        head_dim, accumulator.data());
                    return;
                }
                const float* w = scores.data() + i;
                if (scaled) {
                    // Each value row's scale folds into its weight: Σ p·(s·v) = Σ (p·s)·v.
                    for (std::int32_t j = 0; j < run; ++j)
                        weights[static_cast<std::size_t>(j)] = w[j] * cache.value_scales.row_f32(slot + j)[kv_head];
                    w = weights.data();
                }
                kernels->accumulate_rows(static_cast<const char*>(cache.values.row(slot)) + kv_byte_offset,
                                         cache.values.row_bytes, w, run, head_dim, accumulator.data());
            });
            float* o = out.row_f32(t) + static_cast<std::int64_t>(h) * head_dim;
            const float inv_sum = static_cast<float>(1.0 / sum);
            for (std::int32_t d = 0; d < head_dim; ++d) o[d] = accumulator[static_cast<std::size_t>(d)] * inv_sum;
        }
    });
}

}  // namespace hearth::backend::cpu
