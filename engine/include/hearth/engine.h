#pragma once
// The engine: one model serving many requests at once. Chats and API clients submit requests from any
// thread; the engine's own thread batches them (continuous batching with chunked prefill, a paged KV
// cache shared through a prefix cache) and streams each request's text back through its callback.
//
//   auto engine = Engine::load(plan, progress);
//   auto id = engine->submit({.messages = chat, .sampling = …, .on_update = [](const RequestUpdate& u) {…}});
//   engine->cancel(*id);   // takes effect within one step; the last update says `cancelled`

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "hearth/kv_quality.h"
#include "hearth/load_plan.h"
#include "hearth/result.h"
#include "hearth/sampling.h"
#include "hearth/tokenizer.h"

namespace hearth {

using RequestId = std::uint64_t;

enum class FinishReason {
    stop,       // an end-of-generation token, a stop token or a stop string
    length,     // max_tokens, or the request's context is full
    cancelled,  // cancel(), or the engine shut down
    error,      // the request could not run: the update's `error` says why
};
std::string_view name(FinishReason reason);

struct RequestStats {
    std::int64_t prompt_tokens = 0;
    std::int64_t cached_prompt_tokens = 0;   // prompt tokens found in the prefix cache, not computed
    std::int64_t generated_tokens = 0;       // an end token included
    double time_to_first_token = 0.0;        // seconds from submit to the first sampled token
    double decode_seconds = 0.0;             // from the first sampled token to the last
    std::int32_t preemptions = 0;            // times its KV blocks were taken back and recomputed
    std::uint64_t seed = 0;                  // the sampler's seed, to repeat the request
};

// What a request's callback receives: new text and tokens as they come, then a last update with
// `finish` set (and, for `error`, the message) and the request's statistics.
struct RequestUpdate {
    RequestId id = 0;
    std::string text;              // whole UTF-8 characters, never part of a stop string
    std::vector<TokenId> tokens;   // the tokens sampled since the last update
    std::optional<FinishReason> finish;
    std::string error;
    RequestStats stats;            // complete on the last update
};

struct Request {
    // A chat, [{"role": …, "content": …}, …], rendered with the model's template by the engine; or, when
    // empty, `prompt` as token ids.
    nlohmann::ordered_json messages;
    bool add_generation_prompt = true;
    std::vector<TokenId> prompt;
    SamplingParams sampling;
    std::int64_t max_tokens = 256;
    // Called on the engine's thread, in order, never after the update that carries `finish`. Keep it
    // short (queue the update to your own thread): the next step waits for it.
    std::function<void(const RequestUpdate&)> on_update;
};

struct EngineStats {
    double decode_tokens_per_s = 0.0;    // generated tokens per second over the last few seconds, all requests
    double prefill_tokens_per_s = 0.0;   // prompt tokens computed per second over the same window
    std::int32_t running = 0;
    std::int32_t waiting = 0;
    std::int32_t kv_blocks_used = 0;
    std::int32_t kv_blocks_total = 0;
    std::int32_t kv_block_size = 0;
    double prefix_cache_hit_rate = 0.0;  // prompt tokens found in the prefix cache / prompt tokens looked up
    std::int64_t prompt_tokens_computed = 0;  // since load
    std::int64_t tokens_generated = 0;        // since load
    std::int64_t preemptions = 0;             // since load
    std::int64_t steps = 0;                   // model steps since load
};

class Engine {
public:
    // Loads the plan's model and starts the engine's thread. progress gets the fraction loaded (0..1) and
    // may return false to stop; `cancel`, when given, stops the load as soon as it reads true.
    static Result<std::unique_ptr<Engine>> load(const LoadPlan& plan, std::function<bool(double)> progress = {},
                                                const std::atomic<bool>* cancel = nullptr);
    // Stops the thread; requests still running finish as `cancelled`.
    ~Engine();

    // Queues a request. Fails at once for what is wrong with the request itself (no prompt, sampling
    // parameters out of range, no callback); problems found later (the template, a prompt longer than the
    // context) arrive as an `error` finish. Callable from any thread.
    Result<RequestId> submit(Request request);
    // Stops a request within one step; unknown or finished ids are ignored. Callable from any thread.
    void cancel(RequestId id);
    EngineStats stats() const;

    // Measures how KV cache types change this model's predictions (hearth/kv_quality.h) on `tokens`,
    // teacher-forced, on the engine's thread between steps: running requests pause until it ends. `done`
    // gets one report per candidate, or the error (also when `progress` returned false, or the engine was
    // destroyed first); both callbacks run on the engine's thread. Callable from any thread.
    void measure_kv_quality(std::vector<TokenId> tokens, std::vector<TensorType> candidates, TensorType reference,
                            std::function<bool(double)> progress,
                            std::function<void(Result<std::vector<KvQualityReport>>)> done);

    const LanguageModel& model() const;
    std::int64_t context_length() const;

private:
    Engine();
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace hearth
