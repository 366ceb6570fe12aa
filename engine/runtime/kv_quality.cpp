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

Result<KvQualityReport> measure_kv_quality(LanguageModel& model, std::span<const TokenId> tokens, TensorType candidate,
                                           TensorType reference, const std::function<bool(double)>& progress) {
    if (tokens.size() < 2) return Error{"the KV quality measurement needs a text of at least 2 tokens"};
    auto reference_session = model.start_session(reference);
    if (!reference_session) return reference_session.error();
    auto candidate_session = model.start_session(candidate);
    if (!candidate_session) return candidate_session.error();
    if (static_cast<std::int64_t>(tokens.size()) > (*reference_session)->capacity())
        return Error{"the measurement text has " + std::to_string(tokens.size()) + " tokens, more than the context of " +
                     std::to_string((*reference_session)->capacity())};

    KvQualityReport report;
    report.candidate = candidate;
    report.reference = reference;
    std::vector<std::vector<double>> reference_rows(k_chunk);
    std::vector<std::size_t> reference_argmax(k_chunk);
    std::vector<double> candidate_row;
    double kl_sum = 0.0;
    std::int64_t agree = 0;
    for (std::size_t start = 0; start < tokens.size(); start += k_chunk) {
        const auto chunk = tokens.subspan(start, std::min(k_chunk, tokens.size() - start));
        auto ran = (*reference_session)->append(chunk, Session::Logits::all, [&](std::int64_t i, std::span<const float> row) {
            log_softmax(row, reference_rows[static_cast<std::size_t>(i)]);
            reference_argmax[static_cast<std::size_t>(i)] =
                static_cast<std::size_t>(std::max_element(row.begin(), row.end()) - row.begin());
        });
        if (!ran) return ran.error();
        ran = (*candidate_session)->append(chunk, Session::Logits::all, [&](std::int64_t i, std::span<const float> row) {
            log_softmax(row, candidate_row);
            const auto& p = reference_rows[static_cast<std::size_t>(i)];
            double kl = 0.0;
            for (std::size_t v = 0; v < p.size(); ++v) kl += std::exp(p[v]) * (p[v] - candidate_row[v]);
            kl = std::max(kl, 0.0);  // rounding can make a zero divergence slightly negative
            kl_sum += kl;
            report.max_kl = std::max(report.max_kl, kl);
            const auto best = static_cast<std::size_t>(std::max_element(row.begin(), row.end()) - row.begin());
            agree += best == reference_argmax[static_cast<std::size_t>(i)];
            ++report.positions;
        });
        if (!ran) return ran.error();
        if (progress && !progress(static_cast<double>(start + chunk.size()) / static_cast<double>(tokens.size())))
            return Error{"the KV quality measurement was cancelled"};
    }
    report.mean_kl = kl_sum / static_cast<double>(report.positions);
    report.argmax_agreement = static_cast<double>(agree) / static_cast<double>(report.positions);
    return report;
}

}  // namespace hearth
