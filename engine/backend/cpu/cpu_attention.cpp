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
#include "backend/cpu/group_rows.h"
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

namespace {
// Positions per pass inside an attention task: one pass of K and V rows (64 × 256 bytes each for a
// 64-dim F32 head) stays in L1/L2 while every query head of the GQA group reads it.
constexpr std::int32_t k_pass_positions = 64;
// Decode has few (token, kv head) pairs; their positions are then cut into chunks of at least this many
// so every thread gets work, and the chunks' partial softmaxes are merged at the end.
constexpr std::int32_t k_min_chunk_positions = 32;

// Positions per task. With fewer (token, kv head) pairs than a few per thread, the positions are cut into
// chunks so that the tasks come to a multiple of the thread count: SmolLM2's 3 KV heads on 2 threads as
// 3 whole tasks left one thread with two of them.
// Chunks are whole cache blocks where blocks are small (runs of whole blocks keep the q·k loop on its
// eight-key steps; ragged runs left up to seven keys each to the one-key loop).
std::int32_t chunk_positions(std::int64_t pairs, std::int32_t most_visible, int threads, std::int32_t block_size) {
    const std::int64_t wanted_tasks = 4 * static_cast<std::int64_t>(threads);
    if (threads == 1 || pairs >= wanted_tasks || most_visible < 2 * k_min_chunk_positions) return most_visible;
    std::int64_t chunks = (wanted_tasks + pairs - 1) / pairs;
    while ((pairs * chunks) % threads != 0) ++chunks;  // at most threads − 1 steps
    const auto by_count = static_cast<std::int32_t>((most_visible + chunks - 1) / chunks);
    const std::int32_t unit = block_size > 0 && block_size <= k_min_chunk_positions ? block_size : 8;
    return std::max(k_min_chunk_positions, (by_count + unit - 1) / unit * unit);
}
}  // namespace

void CpuBackend::attention(const Tensor& q, const KvLayer& cache, const BatchLayout& batch,
                           const AttentionParams& params, const Tensor& out) {
    const std::int32_t head_dim = params.head_dim;
    const std::int32_t group = params.n_heads / params.n_kv_heads;
    const std::int32_t block_size = cache.block_size;
    const std::int64_t stride = cache.keys.cols;  // F32: floats from one slot's row to the next
    const TensorType type = cache.keys.type;
    const bool f32 = type == TensorType::F32;
    // F16 rows also go through the GQA-group loops where the CPU has them (group_rows.h).
    const bool f16_group = type == TensorType::F16 && group_rows_f16_available(params.head_dim);
    const std::int64_t f16_stride = static_cast<std::int64_t>(cache.keys.row_bytes / sizeof(std::uint16_t));
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

    // Tasks: (token, kv head, chunk of visible positions). A task runs all query heads of its kv head over
    // its chunk, pass by pass, so each K and V row comes from memory once for the whole GQA group.
    std::int32_t most_visible = 1;
    for (std::int32_t t = 0; t < batch.n_tokens; ++t)
        most_visible = std::max(most_visible, batch.positions[t] - first_visible(params, batch.positions[t]) + 1);
    const std::int64_t pairs = static_cast<std::int64_t>(batch.n_tokens) * params.n_kv_heads;
    const std::int32_t chunk = chunk_positions(pairs, most_visible, m_pool.size(), block_size);
    const std::int32_t n_chunks = (most_visible + chunk - 1) / chunk;
    // With several chunks, each (token, head, chunk) leaves [max, sum, acc[head_dim]] here for the merge.
    const std::size_t partial_floats = static_cast<std::size_t>(head_dim) + 2;
    if (n_chunks > 1)
        m_attention_partials.resize(static_cast<std::size_t>(batch.n_tokens) * static_cast<std::size_t>(params.n_heads) *
                                    static_cast<std::size_t>(n_chunks) * partial_floats);

    m_pool.run(pairs * n_chunks, 1, [&](std::int64_t begin, std::int64_t end) {
        // Per-thread scratch, kept between calls: decode runs this task hundreds of times per token.
        thread_local std::vector<float> scores, accumulators, weights;
        thread_local std::vector<double> sums;
        thread_local std::vector<float> maxima;
        scores.resize(static_cast<std::size_t>(group) * static_cast<std::size_t>(k_pass_positions));
        accumulators.resize(static_cast<std::size_t>(group) * static_cast<std::size_t>(head_dim));
        sums.resize(static_cast<std::size_t>(group));
        maxima.resize(static_cast<std::size_t>(group));
        if (scaled) weights.resize(static_cast<std::size_t>(k_pass_positions));
        for (std::int64_t item = begin; item < end; ++item) {
            const auto c = static_cast<std::int32_t>(item % n_chunks);
            const auto kv_head = static_cast<std::int32_t>((item / n_chunks) % params.n_kv_heads);
            const auto t = static_cast<std::int32_t>(item / n_chunks / params.n_kv_heads);
            const std::int64_t kv_offset = static_cast<std::int64_t>(kv_head) * head_dim;
            const std::size_t kv_byte_offset = static_cast<std::size_t>(kv_offset) * element_bytes;
            const std::int32_t seq = batch.seq_of_token[t];
            const std::int32_t position = batch.positions[t];
            const std::int32_t first = first_visible(params, position);
            const std::int32_t lo = first + c * chunk;
            const std::int32_t hi = std::min(position, lo + chunk - 1);  // lo > hi: this token has no such chunk
            std::fill(accumulators.begin(), accumulators.end(), 0.0f);
            std::fill(sums.begin(), sums.end(), 0.0);
            std::fill(maxima.begin(), maxima.end(), -std::numeric_limits<float>::infinity());

            // The group's query heads are consecutive: head kv_head·group + g at query + g·head_dim.
            const float* query = q.row_f32(t) + static_cast<std::int64_t>(kv_head) * group * head_dim;
            const std::int64_t score_stride = k_pass_positions;
            for (std::int32_t pass = lo; pass <= hi; pass += k_pass_positions) {
                const std::int32_t pass_last = std::min(hi, pass + k_pass_positions - 1);
                const std::int32_t count = pass_last - pass + 1;
                // Scores of every head of the group: F32 reads each key row once for all of them.
                for_each_run(seq, pass, pass_last, [&](std::int32_t i, std::int64_t slot, std::int32_t run) {
                    if (f32) {
                        dot_rows_f32_heads(query, head_dim, group, cache.keys.row_f32(slot) + kv_offset, stride, run,
                                           head_dim, params.scale, scores.data() + i, score_stride);
                        return;
                    }
                    if (f16_group) {
                        dot_rows_f16_heads(query, head_dim, group, static_cast<const std::uint16_t*>(cache.keys.row(slot)) + kv_offset,
                                           f16_stride, run, head_dim, params.scale, scores.data() + i, score_stride);
                        return;
                    }
                    for (std::int32_t g = 0; g < group; ++g) {
                        float* s = scores.data() + g * score_stride + i;
                        kernels->dot_rows(query + g * head_dim, static_cast<const char*>(cache.keys.row(slot)) + kv_byte_offset,
                                          cache.keys.row_bytes, run, head_dim, params.scale, s);
                        if (scaled)
                            for (std::int32_t j = 0; j < run; ++j) s[j] *= cache.key_scales.row_f32(slot + j)[kv_head];
                    }
                });
                for (std::int32_t g = 0; g < group; ++g) {
                    float* s = scores.data() + g * score_stride;
                    float* acc = accumulators.data() + static_cast<std::size_t>(g) * static_cast<std::size_t>(head_dim);
                    if (params.logit_softcap > 0.0f)
                        for (std::int32_t j = 0; j < count; ++j) s[j] = params.logit_softcap * std::tanh(s[j] / params.logit_softcap);
                    const float pass_max = max_value(s, count);
                    // Online softmax: a new maximum rescales what the earlier passes accumulated.
                    float& running_max = maxima[static_cast<std::size_t>(g)];
                    if (pass_max > running_max) {
                        if (sums[static_cast<std::size_t>(g)] != 0.0) {
                            const float factor = std::exp(running_max - pass_max);
                            sums[static_cast<std::size_t>(g)] *= factor;
                            for (std::int32_t d = 0; d < head_dim; ++d) acc[d] *= factor;
                        }
                        running_max = pass_max;
                    }
                    sums[static_cast<std::size_t>(g)] += exp_and_sum(s, count, running_max);
                }
                // Weighted values into every head's accumulator: F32 reads each value row once for all.
                for_each_run(seq, pass, pass_last, [&](std::int32_t i, std::int64_t slot, std::int32_t run) {
                    if (f32) {
                        accumulate_rows_f32_heads(cache.values.row_f32(slot) + kv_offset, stride, scores.data() + i,
                                                  score_stride, group, run, head_dim, accumulators.data(), head_dim);
                        return;
                    }
                    if (f16_group) {
                        accumulate_rows_f16_heads(static_cast<const std::uint16_t*>(cache.values.row(slot)) + kv_offset,
                                                  f16_stride, scores.data() + i, score_stride, group, run, head_dim,
                                                  accumulators.data(), head_dim);
                        return;
                    }
                    for (std::int32_t g = 0; g < group; ++g) {
                        const float* w = scores.data() + g * score_stride + i;
                        if (scaled) {
                            // Each value row's scale folds into its weight: Σ p·(s·v) = Σ (p·s)·v.
                            for (std::int32_t j = 0; j < run; ++j)
                                weights[static_cast<std::size_t>(j)] = w[j] * cache.value_scales.row_f32(slot + j)[kv_head];
                            w = weights.data();
                        }
                        kernels->accumulate_rows(static_cast<const char*>(cache.values.row(slot)) + kv_byte_offset,
                                                 cache.values.row_bytes, w, run, head_dim,
                                                 accumulators.data() + static_cast<std::size_t>(g) * static_cast<std::size_t>(head_dim));
                    }
                });
            }

            for (std::int32_t g = 0; g < group; ++g) {
                const std::int32_t h = kv_head * group + g;
                const float* acc = accumulators.data() + static_cast<std::size_t>(g) * static_cast<std::size_t>(head_dim);
                if (n_chunks == 1) {
                    float* o = out.row_f32(t) + static_cast<std::int64_t>(h) * head_dim;
                    const float inv_sum = static_cast<float>(1.0 / sums[static_cast<std::size_t>(g)]);
                    for (std::int32_t d = 0; d < head_dim; ++d) o[d] = acc[d] * inv_sum;
                    continue;
                }
                float* partial = m_attention_partials.data() +
                                 ((static_cast<std::size_t>(t) * static_cast<std::size_t>(params.n_heads) + static_cast<std::size_t>(h)) *
                                      static_cast<std::size_t>(n_chunks) + static_cast<std::size_t>(c)) * partial_floats;
                partial[0] = maxima[static_cast<std::size_t>(g)];
                partial[1] = static_cast<float>(sums[static_cast<std::size_t>(g)]);
                std::copy_n(acc, head_dim, partial + 2);
            }
        }
    });
    if (n_chunks == 1) return;

    // Merge the chunks: out = Σ_c acc_c·e^(m_c − M) / Σ_c sum_c·e^(m_c − M), M the largest chunk maximum.
    // Decode's merge is a few thousand floats: in one piece on this thread, which beats waking another.
    const std::int64_t merge_items = static_cast<std::int64_t>(batch.n_tokens) * params.n_heads;
    const std::int64_t merge_grain = std::max<std::int64_t>(1, 16384 / (static_cast<std::int64_t>(n_chunks) * head_dim));
    m_pool.run(merge_items, merge_grain, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t item = begin; item < end; ++item) {
            const float* partials = m_attention_partials.data() + static_cast<std::size_t>(item) * static_cast<std::size_t>(n_chunks) * partial_floats;
            float top = -std::numeric_limits<float>::infinity();
            for (std::int32_t c = 0; c < n_chunks; ++c) top = std::max(top, partials[static_cast<std::size_t>(c) * partial_floats]);
            float* o = out.row_f32(item / params.n_heads) + (item % params.n_heads) * head_dim;
            std::fill_n(o, head_dim, 0.0f);
            double sum = 0.0;
            for (std::int32_t c = 0; c < n_chunks; ++c) {
                const float* p = partials + static_cast<std::size_t>(c) * partial_floats;
                if (p[1] == 0.0f) continue;  // a chunk past this token's last position
                const float factor = std::exp(p[0] - top);
                sum += static_cast<double>(p[1]) * factor;
                for (std::int32_t d = 0; d < head_dim; ++d) o[d] += p[2 + d] * factor;
            }
            const float inv_sum = static_cast<float>(1.0 / sum);
            for (std::int32_t d = 0; d < head_dim; ++d) o[d] *= inv_sum;
        }
    });
}

}  // namespace hearth::backend::cpu
