#include "runtime/request_stream.h"

#include <algorithm>
#include <cmath>
#include <spdlog/spdlog.h>

namespace hearth::runtime {
namespace {
double seconds_between(RequestStream::Clock::time_point from, RequestStream::Clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}
}  // namespace

RequestStream::RequestStream(RequestId id, Request request, std::vector<TokenId> prompt, const Tokenizer* tokenizer,
                             std::span<const TokenId> model_end_ids, std::int64_t context_length,
                             Clock::time_point submitted)
    : m_id(id),
      m_request(std::move(request)),
      m_prompt(std::move(prompt)),
      m_end_ids(m_request.sampling.stop_token_ids),
      m_context_length(context_length),
      m_sampler(m_request.sampling),
      m_stops(m_request.sampling.stop),
      m_submitted(submitted) {
    if (!m_request.sampling.ignore_eos) m_end_ids.insert(m_end_ids.end(), model_end_ids.begin(), model_end_ids.end());
    if (tokenizer) m_decoder.emplace(*tokenizer, DecodeOptions{.skip_control = true});
    m_stats.prompt_tokens = static_cast<std::int64_t>(m_prompt.size());
    m_stats.seed = m_sampler.seed();
}

RequestUpdate RequestStream::on_logits(std::span<const float> logits) {
    RequestUpdate update;
    update.id = m_id;
    // A step that produced NaN or Inf would sample garbage silently: fail the request instead.
    if (std::any_of(logits.begin(), logits.end(), [](float x) { return !std::isfinite(x); })) {
        m_finished = true;
        update.finish = FinishReason::error;
        update.error = "the model produced non-finite logits (NaN or Inf) at token " +
                       std::to_string(m_prompt.size() + m_generated.size()) +
                       "; the weights or the KV cache precision cannot represent this input";
        m_stats.generated_tokens = static_cast<std::int64_t>(m_generated.size());
        update.stats = m_stats;
        return update;
    }
    const TokenId token = m_sampler.sample(logits, m_prompt, m_generated);
    const auto now = Clock::now();
    if (m_generated.empty()) {
        m_first_token = now;
        m_stats.time_to_first_token = seconds_between(m_submitted, now);
    }
    m_generated.push_back(token);
    update.tokens.push_back(token);

    if (std::find(m_end_ids.begin(), m_end_ids.end(), token) != m_end_ids.end()) {
        complete(update, FinishReason::stop);
        return update;
    }
    if (m_decoder) {
        const auto fed = m_stops.feed(m_decoder->push(token));
        update.text = fed.text;
        if (fed.stopped) {
            complete(update, FinishReason::stop);
            return update;
        }
    }
    const auto length = static_cast<std::int64_t>(m_prompt.size() + m_generated.size());
    if (static_cast<std::int64_t>(m_generated.size()) >= m_request.max_tokens || length > m_context_length)
        complete(update, FinishReason::length);
    return update;
}

void RequestStream::complete(RequestUpdate& update, FinishReason reason) {
    if (m_decoder && !m_stops.stopped()) update.text += m_stops.feed(m_decoder->finish()).text + m_stops.flush();
    m_finished = true;
    update.finish = reason;
    m_stats.generated_tokens = static_cast<std::int64_t>(m_generated.size());
    if (!m_generated.empty()) m_stats.decode_seconds = seconds_between(m_first_token, Clock::now());
    update.stats = m_stats;
}

RequestUpdate RequestStream::finish(FinishReason reason, std::string error) {
    RequestUpdate update;
    update.id = m_id;
    m_finished = true;
    update.finish = reason;
    update.error = std::move(error);
    m_stats.generated_tokens = static_cast<std::int64_t>(m_generated.size());
    if (!m_generated.empty()) m_stats.decode_seconds = seconds_between(m_first_token, Clock::now());
    update.stats = m_stats;
    return update;
}

void RequestStream::deliver(const RequestUpdate& update) const {
    if (!update.finish && update.text.empty() && update.tokens.empty()) return;
    try {
        m_request.on_update(update);
    } catch (const std::exception& e) {
        // The engine thread must survive a caller's bug; the request's output is the caller's to lose.
        spdlog::error("request {}: its update callback threw: {}", m_id, e.what());
    }
}

}  // namespace hearth::runtime
