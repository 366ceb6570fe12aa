#pragma once
// Text generation on a Session: prefill the prompt, then sample token by token, streaming decoded text,
// until an end-of-generation token, a stop string or stop token, the token limit, or the caller cancels.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/language_model.h"
#include "hearth/sampling.h"

namespace hearth {

struct GenerationRequest {
    std::vector<TokenId> prompt;
    SamplingParams sampling;
    std::int64_t max_tokens = 256;
};

struct GenerationResult {
    std::string text;                 // the generated text, stop string and end token excluded
    std::vector<TokenId> tokens;      // every generated token (an end token or stop token included)
    // "stop" (end token, stop token or stop string), "length" (max_tokens or the context is full),
    // "cancelled" (the callback said so)
    std::string finish_reason;
    std::int64_t prompt_tokens = 0;
    double prefill_seconds = 0.0;     // prompt processing, up to the first sampled token
    double decode_seconds = 0.0;      // the remaining tokens
    std::uint64_t seed = 0;           // the sampler's seed (drawn at random unless the request gave one)
};

// Receives each piece of text as soon as it is safe to show (whole UTF-8 characters, never part of a stop
// string) with the token that completed it; returning false cancels generation at once.
using TextCallback = std::function<bool(std::string_view piece)>;

// Appends the prompt to `session` and generates after it. Requires a model with a tokenizer.
Result<GenerationResult> generate(Session& session, const GenerationRequest& request, const TextCallback& on_text = {});

}  // namespace hearth
