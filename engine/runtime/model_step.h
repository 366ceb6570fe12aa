#pragma once
// Turns a scheduler's StepPlan into one forward pass: the flat token batch (positions, sequence of each
// token, KV slots, block tables) and the logits of every chunk that samples.

#include <span>
#include <vector>

#include "backend/backend.h"
#include "runtime/kv_cache.h"
#include "runtime/scheduler.h"

namespace hearth::model { class Transformer; }

namespace hearth::runtime {

class ModelStep {
public:
    ModelStep(backend::Backend& backend, model::Transformer& transformer, const KvCache& cache);

    // Runs the plan's tokens through the model; their keys and values land in the cache. Afterwards
    // logits(i) is the [vocab] row of the i-th chunk with `samples`, in plan order.
    Result<bool> run(const StepPlan& plan, const Scheduler& scheduler, const KvCacheManager& kv);
    std::span<const float> logits(std::size_t i) const;

private:
    backend::Backend& m_backend;
    model::Transformer& m_transformer;
    const KvCache& m_cache;
    std::int64_t m_vocab;
    // Host-side batch description, reused between steps (on the CPU backend host memory is backend memory).
    std::vector<std::int32_t> m_token_ids, m_positions, m_seq_of_token, m_query_start, m_context_len, m_block_table;
    std::vector<std::int64_t> m_slots;
    std::vector<std::int32_t> m_logit_rows;
    std::unique_ptr<backend::Buffer> m_logits_buffer;
    std::int64_t m_logits_rows_capacity = 0;
    std::vector<float> m_logits;
};

}  // namespace hearth::runtime
