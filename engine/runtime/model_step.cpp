#include "runtime/model_step.h"

#include <algorithm>

#include "model/transformer.h"

namespace hearth::runtime {

ModelStep::ModelStep(backend::Backend& backend, model::Transformer& transformer, const KvCache& cache)
    : m_backend(backend), m_transformer(transformer), m_cache(cache), m_vocab(transformer.config().vocab_size) {}

Result<bool> ModelStep::run(const StepPlan& plan, const Scheduler& scheduler, const KvCacheManager& kv) {
    const auto n_seqs = static_cast<std::int32_t>(plan.chunks.size());
    std::size_t max_blocks = 1;
    for (const ScheduledChunk& chunk : plan.chunks) max_blocks = std::max(max_blocks, kv.block_table(chunk.seq).size());

    m_token_ids.clear();
    m_positions.clear();
    m_seq_of_token.clear();
    m_slots.clear();
    m_logit_rows.clear();
    m_query_start.assign(1, 0);
    m_context_len.clear();
    m_block_table.assign(static_cast<std::size_t>(n_seqs) * max_blocks, 0);
    for (std::int32_t s = 0; s < n_seqs; ++s) {
        const ScheduledChunk& chunk = plan.chunks[static_cast<std::size_t>(s)];
        const Scheduler::Sequence* seq = scheduler.find(chunk.seq);
        if (seq == nullptr) return Error{"internal error: a scheduled request is gone"};
        for (std::int64_t p = chunk.start; p < chunk.start + chunk.n_tokens; ++p) {
            m_token_ids.push_back(seq->tokens[static_cast<std::size_t>(p)]);
            m_positions.push_back(static_cast<std::int32_t>(p));
            m_seq_of_token.push_back(s);
            m_slots.push_back(kv.slot_of(chunk.seq, p));
        }
        m_query_start.push_back(static_cast<std::int32_t>(m_token_ids.size()));
        m_context_len.push_back(static_cast<std::int32_t>(chunk.start + chunk.n_tokens));
        const auto table = kv.block_table(chunk.seq);
        std::copy(table.begin(), table.end(), m_block_table.begin() + static_cast<std::ptrdiff_t>(s * max_blocks));
        if (chunk.samples) m_logit_rows.push_back(m_query_start.back() - 1);
    }

    backend::BatchLayout batch;
    batch.n_tokens = static_cast<std::int32_t>(m_token_ids.size());
    batch.n_seqs = n_seqs;
    batch.token_ids = m_token_ids.data();
    batch.positions = m_positions.data();
    batch.seq_of_token = m_seq_of_token.data();
    batch.slot_mapping = m_slots.data();
    batch.query_start = m_query_start.data();
    batch.context_len = m_context_len.data();
    batch.block_table = m_block_table.data();
    batch.max_blocks_per_seq = static_cast<std::int32_t>(max_blocks);

    const auto rows = static_cast<std::int64_t>(m_logit_rows.size());
    if (rows > m_logits_rows_capacity || !m_logits_buffer) {
        const std::int64_t capacity = std::max<std::int64_t>(rows, 1);
        auto buffer = m_backend.allocate(static_cast<std::size_t>(capacity * m_vocab) * sizeof(float));
        if (!buffer) return buffer.error();
        m_logits_buffer = std::move(buffer).value();
        m_logits_rows_capacity = capacity;
    }
    const backend::Tensor logits{m_logits_buffer->data(), TensorType::F32, rows, m_vocab,
                                 static_cast<std::size_t>(m_vocab) * sizeof(float)};
    m_transformer.forward(batch, m_cache.layers(), m_logit_rows.data(), logits);
    m_logits.resize(static_cast<std::size_t>(rows * m_vocab));
    if (rows > 0) m_backend.download(m_logits.data(), logits.data, m_logits.size() * sizeof(float));
    return true;
}

std::span<const float> ModelStep::logits(std::size_t i) const {
    return std::span<const float>(m_logits).subspan(i * static_cast<std::size_t>(m_vocab), static_cast<std::size_t>(m_vocab));
}

}  // namespace hearth::runtime
