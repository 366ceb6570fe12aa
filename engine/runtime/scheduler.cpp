#include "runtime/scheduler.h"

#include <algorithm>
#include <cassert>

namespace hearth::runtime {
namespace {

using Sequence = Scheduler::Sequence;

void insert_by_arrival(std::vector<Sequence>& list, Sequence seq) {
    auto at = std::upper_bound(list.begin(), list.end(), seq.arrival,
                               [](std::uint64_t arrival, const Sequence& s) { return arrival < s.arrival; });
    list.insert(at, std::move(seq));
}

std::int64_t remaining(const Sequence& s) { return static_cast<std::int64_t>(s.tokens.size()) - s.n_computed; }

}  // namespace

Scheduler::Scheduler(SchedulerConfig config, KvCacheManager& kv) : m_config(config), m_kv(kv) {}

void Scheduler::add(SequenceId seq, std::vector<std::int32_t> tokens) {
    assert(!tokens.empty());
    Sequence s;
    s.id = seq;
    s.tokens = std::move(tokens);
    s.arrival = m_next_arrival++;
    m_waiting.push_back(std::move(s));
}

void Scheduler::remove(SequenceId seq) {
    for (auto* list : {&m_running, &m_waiting}) {
        auto it = std::find_if(list->begin(), list->end(), [&](const Sequence& s) { return s.id == seq; });
        if (it != list->end()) {
            m_kv.free(seq);
            list->erase(it);
            return;
        }
    }
}

const Scheduler::Sequence* Scheduler::find(SequenceId seq) const {
    for (const auto* list : {&m_running, &m_waiting})
        for (const Sequence& s : *list)
            if (s.id == seq) return &s;
    return nullptr;
}

Scheduler::Sequence* Scheduler::find_running(SequenceId seq) {
    for (Sequence& s : m_running)
        if (s.id == seq) return &s;
    return nullptr;
}

SequenceId Scheduler::preempt_newest(StepPlan& plan) {
    Sequence victim = std::move(m_running.back());
    m_running.pop_back();
    m_kv.free(victim.id);
    auto chunk = std::find_if(plan.chunks.begin(), plan.chunks.end(),
                              [&](const ScheduledChunk& c) { return c.seq == victim.id; });
    if (chunk != plan.chunks.end()) {
        plan.n_tokens -= chunk->n_tokens;
        plan.chunks.erase(chunk);
    }
    victim.n_computed = 0;
    victim.n_cached = 0;
    ++victim.n_preemptions;
    plan.preempted.push_back(victim.id);
    const SequenceId id = victim.id;
    insert_by_arrival(m_waiting, std::move(victim));
    return id;
}

StepPlan Scheduler::schedule() {
    // Policy. A step computes at most max_batch_tokens tokens.
    //  1. Running sequences that are decoding (one token to compute) go first, oldest first, one token each:
    //     a chat that is answering never waits behind someone's long prompt.
    //  2. Then running sequences still prefilling, oldest first, each a chunk of what budget is left
    //     (chunked prefill: a long prompt takes several steps and shares each with the decoders).
    //  3. Then waiting sequences, oldest first (preempted ones keep their original place), while fewer than
    //     max_running run and budget is left: each reuses its cached prefix and starts a chunk with the blocks
    //     available. The first that gets no block stops admission, so a long prompt is never overtaken for
    //     ever by short ones.
    // A running sequence that needs a block when none is free preempts the newest running sequence — itself,
    // if it is the newest: its blocks are freed and it is queued again, to be recomputed from its tokens
    // (prompt and generated so far), so its output is unchanged. A step that preempted admits no one:
    // the blocks just freed are for the sequences already running.
    StepPlan plan;
    auto budget = [&] { return m_config.max_batch_tokens - plan.n_tokens; };

    for (const bool decoding : {true, false}) {
        std::vector<SequenceId> order;
        for (const Sequence& s : m_running)
            if ((remaining(s) == 1) == decoding) order.push_back(s.id);
        for (SequenceId id : order) {
            Sequence* s = find_running(id);
            if (s == nullptr || remaining(*s) <= 0) continue;  // preempted meanwhile, or nothing to compute
            const auto n = static_cast<std::int32_t>(std::min<std::int64_t>(remaining(*s), budget()));
            if (n <= 0) break;
            bool preempted_itself = false;
            while (!m_kv.reserve(id, s->n_computed + n)) {
                if (preempt_newest(plan) == id) {
                    preempted_itself = true;
                    break;
                }
                s = find_running(id);  // the vector shrank; the pointer may have moved
            }
            if (preempted_itself) continue;
            plan.chunks.push_back({id, s->n_computed, n, s->n_computed + n == static_cast<std::int64_t>(s->tokens.size())});
            plan.n_tokens += n;
        }
    }

    while (plan.preempted.empty() && !m_waiting.empty() && budget() > 0 &&
           m_running.size() < static_cast<std::size_t>(m_config.max_running)) {
        Sequence& w = m_waiting.front();
        w.n_computed = m_kv.reuse_cached_prefix(w.id, w.tokens);
        w.n_cached = w.n_computed;
        const std::int64_t fits = m_kv.reservable_tokens(w.id) - w.n_computed;
        const auto n = static_cast<std::int32_t>(std::min({remaining(w), static_cast<std::int64_t>(budget()), fits}));
        if (n <= 0) {
            m_kv.free(w.id);  // gives back the prefix blocks it pinned
            w.n_computed = w.n_cached = 0;
            break;
        }
        const bool reserved = m_kv.reserve(w.id, w.n_computed + n);
        assert(reserved);
        (void)reserved;
        plan.chunks.push_back({w.id, w.n_computed, n, w.n_computed + n == static_cast<std::int64_t>(w.tokens.size())});
        plan.n_tokens += n;
        Sequence admitted = std::move(w);
        m_waiting.erase(m_waiting.begin());
        insert_by_arrival(m_running, std::move(admitted));
    }
    return plan;
}

void Scheduler::complete(const StepPlan& plan) {
    for (const ScheduledChunk& chunk : plan.chunks) {
        Sequence* s = find_running(chunk.seq);
        if (s == nullptr) continue;  // removed after the plan was made
        s->n_computed = chunk.start + chunk.n_tokens;
        m_kv.cache_full_blocks(s->id, s->tokens, s->n_computed);
    }
}

void Scheduler::append_token(SequenceId seq, std::int32_t token) {
    if (Sequence* s = find_running(seq)) s->tokens.push_back(token);
}

}  // namespace hearth::runtime
