#pragma once
// How the next token is chosen and when generation stops. The CLI and the GUI fill a SamplingParams;
// the runtime's Sampler and StopStringMatcher carry it out. The defaults change nothing: plain sampling
// from the model's distribution at temperature 1, stopping only at the model's EOS tokens.
//
// The knobs keep the meaning they have elsewhere, so values copied from a model card or an API request
// behave the same here: repetition_penalty as in Hugging Face transformers, frequency_penalty and
// presence_penalty as in the OpenAI API and vLLM, min_p as in vLLM and llama.cpp.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hearth {

struct SamplingParams {
    double temperature = 1.0;  // 0 = greedy (argmax; ties go to the lowest id)
    int top_k = 0;             // 0 = off; otherwise keep exactly the top_k most likely tokens
    double top_p = 1.0;        // 1 = off; keep the smallest set of most likely tokens whose mass is >= top_p
    double min_p = 0.0;        // 0 = off; keep tokens with p >= min_p * p_max

    // transformers semantics: for every token id present in the context (prompt + generated),
    // logit > 0 ? logit / penalty : logit * penalty, applied once per id however often it occurs.
    double repetition_penalty = 1.0;
    // OpenAI / vLLM semantics, over generated tokens only: logit -= frequency_penalty * count,
    // logit -= presence_penalty * (count > 0). Negative values encourage repetition.
    double frequency_penalty = 0.0;
    double presence_penalty = 0.0;

    std::optional<std::uint64_t> seed;         // none = a random seed from std::random_device
    std::vector<std::string> stop;             // stop strings; the text before the first one is kept
    std::vector<std::int32_t> stop_token_ids;  // stop tokens in addition to the model's EOS ids
    bool ignore_eos = false;                   // keep going past the model's EOS ids

    // A message naming the first field out of range and what it must be, or nothing when all are valid.
    std::optional<std::string> validate() const;
};

}  // namespace hearth
