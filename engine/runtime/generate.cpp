#include "hearth/generate.h"

#include <algorithm>
#include <chrono>

#include "runtime/sampler.h"
#include "runtime/stop_strings.h"

namespace hearth {
namespace {
double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
}  // namespace

Result<GenerationResult> generate(Session& session, const GenerationRequest& request, const TextCallback& on_text) {
    const LanguageModel& model = session.model();
    const Tokenizer* tokenizer = model.tokenizer();
    if (tokenizer == nullptr) return Error{model.tokenizer_problem() + "; text generation needs a tokenizer"};
    if (auto problem = request.sampling.validate()) return Error{*problem};
    if (request.prompt.empty()) return Error{"the prompt is empty"};

    runtime::Sampler sampler(request.sampling);
    runtime::StopStringMatcher stops(request.sampling.stop);
    StreamingDecoder decoder(*tokenizer, DecodeOptions{.skip_control = true});
    std::vector<TokenId> end_ids = request.sampling.stop_token_ids;
    if (!request.sampling.ignore_eos)
        end_ids.insert(end_ids.end(), model.end_of_generation_ids().begin(), model.end_of_generation_ids().end());

    GenerationResult result;
    result.prompt_tokens = static_cast<std::int64_t>(request.prompt.size());
    result.seed = sampler.seed();
    std::vector<float> logits;
    auto keep_logits = [&](std::int64_t, std::span<const float> row) { logits.assign(row.begin(), row.end()); };

    auto start = std::chrono::steady_clock::now();
    if (auto ok = session.append(request.prompt, Session::Logits::last, keep_logits); !ok) return ok.error();

    bool cancelled = false;
    auto show = [&](const std::string& text) {
        if (text.empty() || cancelled) return;
        result.text += text;
        if (on_text && !on_text(text)) cancelled = true;
    };
    result.finish_reason = "length";
    for (std::int64_t step = 0; step < request.max_tokens; ++step) {
        const TokenId token = sampler.sample(logits, request.prompt, result.tokens);
        if (step == 0) {
            result.prefill_seconds = seconds_since(start);
            start = std::chrono::steady_clock::now();
        }
        result.tokens.push_back(token);
        if (std::find(end_ids.begin(), end_ids.end(), token) != end_ids.end()) {
            result.finish_reason = "stop";
            break;
        }
        const auto fed = stops.feed(decoder.push(token));
        show(fed.text);
        if (fed.stopped) {
            result.finish_reason = "stop";
            break;
        }
        if (cancelled) {
            result.finish_reason = "cancelled";
            break;
        }
        if (step + 1 == request.max_tokens) break;
        if (session.length() >= session.capacity()) break;  // context full: "length"
        if (auto ok = session.append(std::span<const TokenId>(&token, 1), Session::Logits::last, keep_logits); !ok)
            return ok.error();
    }
    if (!stops.stopped()) show(stops.feed(decoder.finish()).text + stops.flush());
    if (cancelled) result.finish_reason = "cancelled";
    result.decode_seconds = seconds_since(start);
    return result;
}

}  // namespace hearth
