#pragma once
// Continuous batching: which sequences run in the next model step, and how many of their tokens each.
// Pure logic over a KvCacheManager — no model, no threads; the Engine runs the plan it emits.

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <vector>

#include "runtime/kv_cache_manager.h"

namespace hearth::runtime {

struct SchedulerConfig {
    std::int32_t max_batch_tokens = 256;  // tokens per model step, all sequences together
    std::int32_t max_running = 16;        // sequences holding KV blocks at once
};

// One sequence's share of a step: its tokens [start, start + n_tokens) are computed. When they reach the
// end of its tokens the step also gives logits for the last one (`samples`), and the caller appends the
// sampled token with append_token().
struct ScheduledChunk {
    SequenceId seq = 0;
    std::int64_t start = 0;
    std::int32_t n_tokens = 0;
    bool samples = false;
};

struct StepPlan {
    std::vector<ScheduledChunk> chunks;    // decoding sequences first, then prefill chunks
    std::vector<SequenceId> preempted;     // lost their blocks this step; they will be recomputed
    std::int32_t n_tokens = 0;
    bool empty() const { return chunks.empty(); }
};

class Scheduler {
public:
    Scheduler(SchedulerConfig config, KvCacheManager& kv);

    // Queues a sequence: its prompt, to be followed by what it generates.
    void add(SequenceId seq, std::vector<std::int32_t> tokens);
    // Forgets a sequence (finished or cancelled), waiting or running, and frees its blocks.
    void remove(SequenceId seq);

    StepPlan schedule();
    // The model ran `plan`: its tokens are computed, and the blocks they filled join the prefix cache.
    void complete(const StepPlan& plan);
    // A token sampled from a chunk with `samples`: the sequence decodes it next.
    void append_token(SequenceId seq, std::int32_t token);

    struct Sequence {
        SequenceId id = 0;
        std::vector<std::int32_t> tokens;  // prompt, then generated tokens
        std::int64_t n_computed = 0;       // tokens whose keys and values are in the cache
        std::int64_t n_cached = 0;         // of those, found in the prefix cache at the last admission
        std::uint64_t arrival = 0;         // order of add(): the older, the higher the priority
        std::int32_t n_preemptions = 0;
    };
    const Sequence* find(SequenceId seq) const;
    std::size_t n_running() const { return m_running.size(); }
    std::size_t n_waiting() const { return m_waiting.size(); }
    std::span<const Sequence> running() const { return m_running; }
    std::span<const Sequence> waiting() const { return m_waiting; }
    const KvCacheManager& kv() const { return m_kv; }

private:
    Sequence* find_running(SequenceId seq);
    // Frees the newest running sequence's blocks and queues it again in arrival order; returns its id.
    SequenceId preempt_newest(StepPlan& plan);

    SchedulerConfig m_config;
    KvCacheManager& m_kv;
    std::vector<Sequence> m_running;  // in arrival order
    std::vector<Sequence> m_waiting;  // in arrival order
    std::uint64_t m_next_arrival = 0;
};

}  // namespace hearth::runtime
