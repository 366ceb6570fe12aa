#pragma once
// One request's side of generation: samples its next token from the logits a step produced, turns tokens
// into UTF-8-safe text, watches end tokens, stop strings and limits, and builds the updates its callback
// receives. Knows nothing of batching; the Engine feeds it one logits row at a time.

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "hearth/engine.h"
#include "runtime/sampler.h"
#include "runtime/stop_strings.h"

namespace hearth::runtime {

class RequestStream {
public:
    using Clock = std::chrono::steady_clock;

    // `prompt` is the request's prompt as token ids (templated and encoded already); `tokenizer` may be
    // null (token ids only: no text is produced and stop strings cannot match).
    RequestStream(RequestId id, Request request, std::vector<TokenId> prompt, const Tokenizer* tokenizer,
                  std::span<const TokenId> model_end_ids, std::int64_t context_length, Clock::time_point submitted);

    RequestId id() const { return m_id; }
    const std::vector<TokenId>& prompt() const { return m_prompt; }
    bool finished() const { return m_finished; }
    // The token sampled last: the sequence's next token to compute, unless the request finished.
    TokenId last_token() const { return m_generated.back(); }

    // Samples from one position's logits ([vocab]) and returns the update to deliver: new text and the
    // token, plus the finish when an end token, a stop string or a limit was reached.
    RequestUpdate on_logits(std::span<const float> logits);
    // Ends the request for a reason of the engine's (cancelled, error); any text held back is dropped.
    RequestUpdate finish(FinishReason reason, std::string error = {});

    void set_cached_prompt_tokens(std::int64_t n) { m_stats.cached_prompt_tokens = n; }
    void count_preemption() { ++m_stats.preemptions; }
    void deliver(const RequestUpdate& update) const;

private:
    void complete(RequestUpdate& update, FinishReason reason);

    RequestId m_id;
    Request m_request;
    std::vector<TokenId> m_prompt;
    std::vector<TokenId> m_generated;
    std::vector<TokenId> m_end_ids;
    std::int64_t m_context_length;
    Sampler m_sampler;
    StopStringMatcher m_stops;
    std::optional<StreamingDecoder> m_decoder;
    Clock::time_point m_submitted;
    Clock::time_point m_first_token;
    RequestStats m_stats;
    bool m_finished = false;
};

}  // namespace hearth::runtime
