// The Engine: a thread that loops schedule → model step → sample, fed by submit() and cancel() from any
// thread through a small locked inbox. Everything else (scheduler, block manager, KV memory, request
// streams) is touched only by the engine's thread.
#include "hearth/engine.h"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>

#include "hearth/chat_prompt.h"
#include "model/transformer.h"
#include "runtime/kv_cache.h"
#include "runtime/model_step.h"
#include "runtime/request_stream.h"
#include "runtime/scheduler.h"

namespace hearth {
namespace {

constexpr std::int32_t k_block_size = 16;
constexpr double k_rate_window_seconds = 5.0;

// What the cached keys and values depend on besides the tokens: the model file and how it runs.
std::uint64_t cache_identity(const LoadPlan& plan) {
    const std::string key = plan.model.path.string() + '\n' + std::to_string(plan.model.file_bytes) + '\n' +
                            std::to_string(static_cast<int>(plan.kv_cache_type)) + '\n' +
                            std::to_string(static_cast<int>(plan.matmul));
    return std::hash<std::string>{}(key);
}

}  // namespace

std::string_view name(FinishReason reason) {
    switch (reason) {
    case FinishReason::stop: return "stop";
    case FinishReason::length: return "length";
    case FinishReason::cancelled: return "cancelled";
    case FinishReason::error: return "error";
    }
    return "error";
}

struct Engine::Impl {
    using Clock = std::chrono::steady_clock;

    std::unique_ptr<LanguageModel> model;
    std::unique_ptr<runtime::KvCache> cache;
    std::unique_ptr<runtime::BlockPool> pool;
    std::unique_ptr<runtime::KvCacheManager> kv;
    std::unique_ptr<runtime::Scheduler> scheduler;
    std::unique_ptr<runtime::ModelStep> step;
    std::optional<ChatPrompt> chat_prompt;
    std::string chat_prompt_problem;
    std::int64_t context_length = 0;

    // The inbox, shared with callers' threads.
    mutable std::mutex mutex;
    std::condition_variable wake;
    std::vector<std::pair<RequestId, Request>> submitted;
    std::vector<RequestId> cancelled;
    std::vector<std::function<void()>> tasks;             // run on the engine thread between steps
    std::vector<std::function<void()>> tasks_if_stopped;  // the same tasks' answer when they never run
    bool stopping = false;
    std::atomic<RequestId> next_id{1};
    EngineStats published;  // stats() reads this copy

    // The engine thread's own state.
    std::map<RequestId, std::unique_ptr<runtime::RequestStream>> active;
    struct StepRecord {
        Clock::time_point at;
        std::int64_t generated;
        std::int64_t prefilled;
    };
    std::deque<StepRecord> recent;
    EngineStats totals;
    std::thread thread;

    void loop();
    void admit(RequestId id, Request request);
    void run_one_step();
    void end(RequestId id, FinishReason reason, std::string error = {});
    void publish_stats();
};

Engine::Engine() : m_impl(std::make_unique<Impl>()) {}

Engine::~Engine() {
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->stopping = true;
    }
    m_impl->wake.notify_all();
    if (m_impl->thread.joinable()) m_impl->thread.join();
}

Result<std::unique_ptr<Engine>> Engine::load(const LoadPlan& plan, std::function<bool(double)> progress,
                                             const std::atomic<bool>* cancel) {
    if (cancel && cancel->load()) return Error{"loading was cancelled"};
    ModelLoadOptions options;
    options.threads = plan.threads;
    options.matmul = plan.matmul;
    options.context_length = plan.context_length;
    options.kv_cache_type = plan.kv_cache_type;
    options.progress = [&](double fraction) {
        if (cancel && cancel->load()) return false;
        return progress ? progress(fraction) : true;
    };
    auto model = LanguageModel::load(plan.model, options);
    if (!model) return model.error();

    std::unique_ptr<Engine> engine(new Engine);
    Impl& impl = *engine->m_impl;
    impl.model = std::move(model).value();
    impl.context_length = impl.model->context_length();
    const std::int64_t pool_tokens = std::max(plan.kv_cache_tokens > 0 ? plan.kv_cache_tokens : 2 * impl.context_length,
                                              impl.context_length);
    // The pool holds at least one whole context, so a request alone always fits (the scheduler preempts
    // the others for it).
    const auto n_blocks = static_cast<std::int32_t>((pool_tokens + k_block_size - 1) / k_block_size);
    model::Transformer& transformer = impl.model->transformer();
    const auto& config = transformer.config();
    auto cache = runtime::KvCache::create(impl.model->backend(), config.n_layers, config.n_kv_heads, config.head_dim,
                                          n_blocks, k_block_size, plan.kv_cache_type);
    if (!cache) return cache.error();
    impl.cache = std::move(cache).value();
    impl.pool = std::make_unique<runtime::BlockPool>(n_blocks, k_block_size);
    impl.kv = std::make_unique<runtime::KvCacheManager>(*impl.pool, cache_identity(plan));
    impl.scheduler = std::make_unique<runtime::Scheduler>(
        runtime::SchedulerConfig{.max_batch_tokens = std::max(plan.max_batch_tokens, 1),
                                 .max_running = std::max(plan.max_running, 1)},
        *impl.kv);
    impl.step = std::make_unique<runtime::ModelStep>(impl.model->backend(), transformer, *impl.cache);
    if (impl.model->tokenizer()) {
        auto prompt = ChatPrompt::for_model(*impl.model);
        if (prompt) impl.chat_prompt.emplace(std::move(prompt).value());
        else impl.chat_prompt_problem = prompt.error().message;
    } else {
        impl.chat_prompt_problem = impl.model->tokenizer_problem() + "; chat messages need a tokenizer";
    }
    impl.totals.kv_blocks_total = n_blocks;
    impl.totals.kv_block_size = k_block_size;
    impl.published = impl.totals;
    spdlog::info("engine: KV cache of {} tokens ({} MiB, {}), up to {} {} at once, {} tokens per step",
                 static_cast<std::int64_t>(n_blocks) * k_block_size, impl.cache->bytes() >> 20,
                 std::string(name(plan.kv_cache_type)), plan.max_running,
                 plan.max_running == 1 ? "request" : "requests", plan.max_batch_tokens);
    impl.thread = std::thread([&impl] { impl.loop(); });
    return engine;
}

const LanguageModel& Engine::model() const { return *m_impl->model; }
std::int64_t Engine::context_length() const { return m_impl->context_length; }

Result<RequestId> Engine::submit(Request request) {
    if (!request.on_update) return Error{"the request has no update callback"};
    if (request.messages.empty() && request.prompt.empty()) return Error{"the request has neither messages nor a prompt"};
    if (!request.messages.empty() && !request.messages.is_array())
        return Error{"the request's messages must be an array of {\"role\", \"content\"} objects"};
    if (request.max_tokens <= 0)
        return Error{"max_tokens is " + std::to_string(request.max_tokens) + "; expected at least 1"};
    if (auto problem = request.sampling.validate()) return Error{*problem};
    const RequestId id = m_impl->next_id++;
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->submitted.emplace_back(id, std::move(request));
    }
    m_impl->wake.notify_all();
    return id;
}

void Engine::measure_kv_quality(std::vector<TokenId> tokens, std::vector<TensorType> candidates, TensorType reference,
                                std::function<bool(double)> progress,
                                std::function<void(Result<std::vector<KvQualityReport>>)> done) {
    auto shared_done = std::make_shared<decltype(done)>(std::move(done));
    Impl& impl = *m_impl;
    auto task = [&impl, tokens = std::move(tokens), candidates = std::move(candidates), reference,
                 progress = std::move(progress), shared_done] {
        auto result = hearth::measure_kv_quality(*impl.model, tokens, candidates, reference, progress);
        if (*shared_done) (*shared_done)(std::move(result));
    };
    {
        std::lock_guard lock(impl.mutex);
        impl.tasks.push_back(std::move(task));
        impl.tasks_if_stopped.push_back([shared_done] {
            if (*shared_done) (*shared_done)(Error{"the engine stopped before the KV quality measurement ran"});
        });
    }
    impl.wake.notify_all();
}

void Engine::cancel(RequestId id) {
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->cancelled.push_back(id);
    }
    m_impl->wake.notify_all();
}

EngineStats Engine::stats() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->published;
}

void Engine::Impl::loop() {
    for (;;) {
        std::vector<std::pair<RequestId, Request>> new_requests;
        std::vector<RequestId> cancels;
        std::vector<std::function<void()>> new_tasks;
        {
            std::unique_lock lock(mutex);
            wake.wait(lock, [&] {
                return stopping || !submitted.empty() || !cancelled.empty() || !tasks.empty() ||
                       scheduler->n_running() + scheduler->n_waiting() > 0;
            });
            if (stopping) break;
            new_requests.swap(submitted);
            cancels.swap(cancelled);
            new_tasks.swap(tasks);
            tasks_if_stopped.erase(tasks_if_stopped.begin(),
                                   tasks_if_stopped.begin() + static_cast<std::ptrdiff_t>(new_tasks.size()));
        }
        for (auto& [id, request] : new_requests) admit(id, std::move(request));
        for (RequestId id : cancels) end(id, FinishReason::cancelled);
        for (auto& task : new_tasks) task();  // between steps: the backend runs one thing at a time
        if (scheduler->n_running() + scheduler->n_waiting() > 0) run_one_step();
        publish_stats();
    }
    // Shutting down: every request still known gets its last update.
    std::vector<RequestId> ids;
    for (const auto& [id, _] : active) ids.push_back(id);
    for (RequestId id : ids) end(id, FinishReason::cancelled);
    // What arrived but never ran is answered outside the lock: a callback may call back into the engine.
    std::vector<std::pair<RequestId, Request>> unstarted;
    std::vector<std::function<void()>> unanswered;
    {
        std::lock_guard lock(mutex);
        unstarted.swap(submitted);
        tasks.clear();
        unanswered.swap(tasks_if_stopped);
    }
    for (auto& [id, request] : unstarted) {
        RequestUpdate update;
        update.id = id;
        update.finish = FinishReason::cancelled;
        if (request.on_update) request.on_update(update);
    }
    for (auto& answer : unanswered) answer();
}

void Engine::Impl::admit(RequestId id, Request request) {
    const auto submitted_at = Clock::now();
    std::vector<TokenId> prompt;
    std::string problem;
    if (!request.messages.empty()) {
        if (!chat_prompt) {
            problem = chat_prompt_problem;
        } else if (auto encoded = chat_prompt->encode(request.messages, request.add_generation_prompt)) {
            prompt = std::move(encoded).value();
        } else {
            problem = encoded.error().message;
        }
    } else {
        prompt = request.prompt;
        const std::int64_t vocab = model->vocab_size();
        for (TokenId token : prompt)
            if (token < 0 || token >= vocab) {
                problem = "token id " + std::to_string(token) + " is outside the model's vocabulary of " +
                          std::to_string(vocab);
                break;
            }
    }
    if (problem.empty() && prompt.empty()) problem = "the prompt is empty after applying the chat template";
    if (problem.empty() && static_cast<std::int64_t>(prompt.size()) >= context_length)
        problem = "the prompt has " + std::to_string(prompt.size()) + " tokens; the context holds " +
                  std::to_string(context_length) + " and at least one must be left for the answer";

    const Tokenizer* tokenizer = model->tokenizer();
    auto stream = std::make_unique<runtime::RequestStream>(id, std::move(request), prompt, tokenizer,
                                                           model->end_of_generation_ids(), context_length, submitted_at);
    if (!problem.empty()) {
        stream->deliver(stream->finish(FinishReason::error, std::move(problem)));
        return;
    }
    scheduler->add(id, std::move(prompt));
    active.emplace(id, std::move(stream));
}

void Engine::Impl::end(RequestId id, FinishReason reason, std::string error) {
    auto it = active.find(id);
    if (it == active.end()) return;
    scheduler->remove(id);
    auto stream = std::move(it->second);
    active.erase(it);
    stream->deliver(stream->finish(reason, std::move(error)));
}

void Engine::Impl::run_one_step() {
    const runtime::StepPlan plan = scheduler->schedule();
    for (runtime::SequenceId id : plan.preempted)
        if (auto it = active.find(id); it != active.end()) it->second->count_preemption();
    if (plan.empty()) return;
    for (const runtime::ScheduledChunk& chunk : plan.chunks) {
        // A request's first chunk after admission starts where its prefix-cache hit ends.
        const auto* seq = scheduler->find(chunk.seq);
        auto it = active.find(chunk.seq);
        if (it != active.end() && seq->n_cached == chunk.start && seq->n_preemptions == 0)
            it->second->set_cached_prompt_tokens(seq->n_cached);
    }

    Result<bool> ran = Error{""};
    try {
        ran = step->run(plan, *scheduler, *kv);
    } catch (const std::exception& e) {
        ran = Error{std::string("the model step failed: ") + e.what()};
    }
    if (!ran) {
        // The requests of this step fail; the others, and the engine, carry on.
        for (const runtime::ScheduledChunk& chunk : plan.chunks) end(chunk.seq, FinishReason::error, ran.error().message);
        return;
    }
    scheduler->complete(plan);

    std::int64_t generated = 0, prefilled = 0;
    std::size_t sample_index = 0;
    for (const runtime::ScheduledChunk& chunk : plan.chunks) {
        auto it = active.find(chunk.seq);
        if (it != active.end()) {  // prompt tokens computed (recomputations after a preemption included)
            const auto prompt_size = static_cast<std::int64_t>(it->second->prompt().size());
            prefilled += std::max<std::int64_t>(0, std::min(chunk.start + chunk.n_tokens, prompt_size) - chunk.start);
        }
        if (!chunk.samples) continue;
        const std::span<const float> logits = step->logits(sample_index++);
        if (it == active.end()) continue;
        runtime::RequestStream& stream = *it->second;
        const RequestUpdate update = stream.on_logits(logits);
        ++generated;
        if (stream.finished()) {
            scheduler->remove(chunk.seq);
            auto owned = std::move(it->second);
            active.erase(it);
            owned->deliver(update);
        } else {
            scheduler->append_token(chunk.seq, stream.last_token());
            stream.deliver(update);
        }
    }
    totals.prompt_tokens_computed += prefilled;
    totals.tokens_generated += generated;
    totals.preemptions += static_cast<std::int64_t>(plan.preempted.size());
    ++totals.steps;
    const auto now = Clock::now();
    recent.push_back({now, generated, prefilled});
    while (!recent.empty() && std::chrono::duration<double>(now - recent.front().at).count() > k_rate_window_seconds)
        recent.pop_front();
}

void Engine::Impl::publish_stats() {
    EngineStats s = totals;
    s.running = static_cast<std::int32_t>(scheduler->n_running());
    s.waiting = static_cast<std::int32_t>(scheduler->n_waiting());
    s.kv_blocks_used = pool->n_in_use();
    const std::int64_t queried = kv->prefix_queried_tokens();
    s.prefix_cache_hit_rate = queried > 0 ? static_cast<double>(kv->prefix_hit_tokens()) / static_cast<double>(queried) : 0.0;
    if (recent.size() >= 2) {
        const double span = std::chrono::duration<double>(recent.back().at - recent.front().at).count();
        std::int64_t generated = 0, prefilled = 0;
        for (std::size_t i = 1; i < recent.size(); ++i) {  // the first record only marks the window's start
            generated += recent[i].generated;
            prefilled += recent[i].prefilled;
        }
        if (span > 0) {
            s.decode_tokens_per_s = static_cast<double>(generated) / span;
            s.prefill_tokens_per_s = static_cast<double>(prefilled) / span;
        }
    }
    std::lock_guard lock(mutex);
    published = s;
}

}  // namespace hearth
