#include "hearth/kv_quality.h"

#include <algorithm>
#include <cmath>

namespace hearth {
namespace {

// log-softmax of one row, in double: KL divergences of 1e-4 nats must not drown in rounding.
void log_softmax(std::span<const float> logits, std::vector<double>& out) {
    out.resize(logits.size());
    const double max = *std::max_element(logits.begin(), logits.end());
    double sum = 0.0;
    for (float x : logits) sum += std::exp(static_cast<double>(x) - max);
    const double log_sum = max + std::log(sum);
    for (std::size_t i = 0; i < logits.size(); ++i) out[i] = static_cast<double>(logits[i]) - log_sum;
}

// Positions per append: the reference keeps one chunk of log-probabilities, not the whole text's.
constexpr std::size_t k_chunk = 64;

}  // namespace

Result<std::vector<KvQualityReport>> measure_kv_quality(LanguageModel& model, std::span<const TokenId> tokens,
                                                        std::span<const TensorType> candidates, TensorType reference,
                                                        const std::function<bool(double)>& progress) {
    if (tokens.size() < 2) return Error{"the KV quality measurement needs a text of at least 2 tokens"};
    if (candidates.empty()) return Error{"the KV quality measurement needs a KV cache type to measure"};
    auto reference_session = model.start_session(reference);
    if (!reference_session) return reference_session.error();
    if (static_cast<std::int64_t>(tokens.size()) > (*reference_session)->capacity())
        return Error{"the measurement text has " + std::to_string(tokens.size()) + " tokens, more than the context of " +
                     std::to_string((*reference_session)->capacity())};
    std::vector<std::unique_ptr<Session>> candidate_sessions;
    std::vector<KvQualityReport> reports(candidates.size());
    std::vector<double> kl_sums(candidates.size(), 0.0);
    std::vector<std::int64_t> agreements(candidates.size(), 0);
    for (std::size_t c = 0; c < candidates.size(); ++c) {
        auto session = model.start_session(candidates[c]);
        if (!session) return session.error();
        candidate_sessions.push_back(std::move(session).value());
        reports[c].candidate = candidates[c];
        reports[c].reference = reference;
    }

    std::vector<std::vector<double>> reference_rows(k_chunk);  // log-probabilities
    std::vector<std::vector<double>> reference_probabilities(k_chunk);
    std::vector<std::size_t> reference_argmax(k_chunk);
    std::vector<double> candidate_row;
    for (std::size_t start = 0; start < tokens.size(); start += k_chunk) {
        const auto chunk = tokens.subspan(start, std::min(k_chunk, tokens.size() - start));
        auto ran = (*reference_session)->append(chunk, Session::Logits::all, [&](std::int64_t i, std::span<const float> row) {
            auto& log_p = reference_rows[static_cast<std::size_t>(i)];
            log_softmax(row, log_p);
            auto& p = reference_probabilities[static_cast<std::size_t>(i)];
            p.resize(log_p.size());
            std::transform(log_p.begin(), log_p.end(), p.begin(), [](double x) { return std::exp(x); });
            reference_argmax[static_cast<std::size_t>(i)] =
                static_cast<std::size_t>(std::max_element(row.begin(), row.end()) - row.begin());
        });
        if (!ran) return ran.error();
        for (std::size_t c = 0; c < candidates.size(); ++c) {
            KvQualityReport& report = reports[c];
            ran = candidate_sessions[c]->append(chunk, Session::Logits::all, [&](std::int64_t i, std::span<const float> row) {
                log_softmax(row, candidate_row);
                const auto& log_p = reference_rows[static_cast<std::size_t>(i)];
                const auto& p = reference_probabilities[static_cast<std::size_t>(i)];
                double kl = 0.0;
                for (std::size_t v = 0; v < p.size(); ++v) kl += p[v] * (log_p[v] - candidate_row[v]);
                kl = std::max(kl, 0.0);  // rounding can make a zero divergence slightly negative
                kl_sums[c] += kl;
                report.max_kl = std::max(report.max_kl, kl);
                const auto best = static_cast<std::size_t>(std::max_element(row.begin(), row.end()) - row.begin());
                agreements[c] += best == reference_argmax[static_cast<std::size_t>(i)];
                ++report.positions;
            });
            if (!ran) return ran.error();
        }
        if (progress && !progress(static_cast<double>(start + chunk.size()) / static_cast<double>(tokens.size())))
            return Error{"the KV quality measurement was cancelled"};
    }
    for (std::size_t c = 0; c < candidates.size(); ++c) {
        reports[c].mean_kl = kl_sums[c] / static_cast<double>(reports[c].positions);
        reports[c].argmax_agreement = static_cast<double>(agreements[c]) / static_cast<double>(reports[c].positions);
    }
    return reports;
}

Result<KvQualityReport> measure_kv_quality(LanguageModel& model, std::span<const TokenId> tokens, TensorType candidate,
                                           TensorType reference, const std::function<bool(double)>& progress) {
    auto reports = measure_kv_quality(model, tokens, std::span<const TensorType>(&candidate, 1), reference, progress);
    if (!reports) return reports.error();
    return reports->front();
}

}  // namespace hearth
