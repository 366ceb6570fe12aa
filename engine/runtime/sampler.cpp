#include "runtime/sampler.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cmath>
#include <limits>

namespace hearth::runtime {

namespace {

constexpr float k_neg_inf = -std::numeric_limits<float>::infinity();

// Rank order: higher logit first, lower id first among equal logits. A strict total order over distinct
// ids, so sorting by it gives the same sequence with every standard library.
template <class C>
bool ranks_before(const C& a, const C& b) {
    return a.logit > b.logit || (a.logit == b.logit && a.id < b.id);
}

// Argmax of the caller's logits with NaN counted as -inf; ties and the all -inf/NaN row give the lowest id
// (so 0 for a row with nothing usable). This is the fallback when nothing survives processing: a caller
// that feeds garbage gets a valid id rather than an error in the middle of a stream.
std::int32_t argmax_raw(std::span<const float> logits) {
    std::int32_t best = 0;
    float best_logit = k_neg_inf;
    for (std::size_t i = 0; i < logits.size(); ++i) {
        if (logits[i] > best_logit) {  // false for NaN
            best_logit = logits[i];
            best = static_cast<std::int32_t>(i);
        }
    }
    return best;
}

std::uint64_t random_seed() {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

// Out-of-range values (validate() rejects them) get the nearest meaning that cannot misbehave.
SamplingParams clamped(SamplingParams p) {
    if (!(p.temperature > 0.0)) p.temperature = 0.0;
    p.top_k = std::max(p.top_k, 0);
    p.top_p = std::isnan(p.top_p) ? 1.0 : std::clamp(p.top_p, 0.0, 1.0);
    p.min_p = std::isnan(p.min_p) ? 0.0 : std::clamp(p.min_p, 0.0, 1.0);
    if (!(p.repetition_penalty > 0.0 && std::isfinite(p.repetition_penalty))) p.repetition_penalty = 1.0;
    if (!std::isfinite(p.frequency_penalty)) p.frequency_penalty = 0.0;
    if (!std::isfinite(p.presence_penalty)) p.presence_penalty = 0.0;
    return p;
}

}  // namespace

Sampler::Sampler(const SamplingParams& params)
    : m_params(clamped(params)),
      m_seed(params.seed ? *params.seed : random_seed()),
      m_rng(m_seed) {}

// The pipeline, in the order transformers applies its logits processors and vLLM its sampler steps:
//   1. NaN logits become -inf (never chosen);
//   2. penalties: repetition (prompt + generated), then frequency and presence (generated only);
//   3. temperature == 0 or top_k == 1: argmax, ties to the lowest id;
//   4. otherwise temperature: weights exp((logit - max) / T), i.e. softmax(logit / T) up to a factor;
//   5. top-k: exactly the k best (ties at the boundary go to the lower ids);
//   6. top-p: the smallest set of most likely tokens whose probability sums to >= top_p (at least one);
//   7. min-p: drop tokens with p < min_p * p_max;
//   8. renormalise over what is left and draw with the sequence's PRNG.
// If every logit is -inf or NaN after step 2, the result is argmax_raw() of the caller's row.
std::int32_t Sampler::sample(std::span<const float> logits, std::span<const std::int32_t> prompt,
                             std::span<const std::int32_t> generated) {
    const std::size_t n_vocab = logits.size();
    if (n_vocab == 0) return 0;

    m_logits.resize(n_vocab);
    for (std::size_t i = 0; i < n_vocab; ++i) m_logits[i] = std::isnan(logits[i]) ? k_neg_inf : logits[i];
    apply_penalties(m_logits, prompt, generated);

    if (m_params.temperature == 0.0 || m_params.top_k == 1) {
        std::int32_t best = -1;
        float best_logit = k_neg_inf;
        for (std::size_t i = 0; i < n_vocab; ++i) {
            if (m_logits[i] > best_logit) {
                best_logit = m_logits[i];
                best = static_cast<std::int32_t>(i);
            }
        }
        return best >= 0 ? best : argmax_raw(logits);
    }

    // The candidates' order decides which id a given random number lands on, so it must be the same on
    // every platform: id order, or rank order, never an order a std:: algorithm happens to leave behind.
    const bool ranked = m_params.top_k > 0;
    m_candidates.clear();
    if (ranked) {
        // top-k in one pass: a heap of the k best so far, worst on top. On a large vocabulary almost every
        // logit loses to the heap's top at the first comparison, so this is O(vocab), not O(vocab log k).
        // A later id with an equal logit ranks lower, so ties at the boundary keep the lower ids.
        const auto k = static_cast<std::size_t>(m_params.top_k);
        const auto by_rank = [](const Candidate& a, const Candidate& b) { return ranks_before(a, b); };
        for (std::size_t i = 0; i < n_vocab; ++i) {
            if (!(m_logits[i] > k_neg_inf)) continue;
            const Candidate c{m_logits[i], static_cast<std::int32_t>(i), 0.0};
            if (m_candidates.size() < k) {
                m_candidates.push_back(c);
                std::push_heap(m_candidates.begin(), m_candidates.end(), by_rank);
            } else if (ranks_before(c, m_candidates.front())) {
                std::pop_heap(m_candidates.begin(), m_candidates.end(), by_rank);
                m_candidates.back() = c;
                std::push_heap(m_candidates.begin(), m_candidates.end(), by_rank);
            }
        }
        std::sort_heap(m_candidates.begin(), m_candidates.end(), by_rank);  // best first
    } else {
        for (std::size_t i = 0; i < n_vocab; ++i)
            if (m_logits[i] > k_neg_inf) m_candidates.push_back({m_logits[i], static_cast<std::int32_t>(i), 0.0});
    }
    if (m_candidates.empty()) return argmax_raw(logits);
    float max_logit = k_neg_inf;
    for (const Candidate& c : m_candidates) max_logit = std::max(max_logit, c.logit);

    // Weights only after top-k, so a small k on a 262144-token vocabulary costs k exps, not a vocabulary's.
    // The best token gets exactly 1. NOTE: that also covers +inf logits, the limit of tokens outweighing all
    // others: the +inf ones share the draw equally and the rest get exp(-inf) = 0, where the plain formula
    // would give exp(inf - inf) = NaN.
    const double temperature = m_params.temperature;
    double total = 0.0;
    for (Candidate& c : m_candidates) {
        c.weight = c.logit == max_logit ? 1.0 : std::exp((double(c.logit) - double(max_logit)) / temperature);
        total += c.weight;
    }

    if (m_params.top_p < 1.0) apply_top_p(m_params.top_p * total, ranked);

    if (m_params.min_p > 0.0) {
        // p / p_max == weight / weight_max, so no normalisation is needed. The best token always passes.
        double max_weight = 0.0;
        for (const Candidate& c : m_candidates) max_weight = std::max(max_weight, c.weight);
        const double threshold = m_params.min_p * max_weight;
        std::erase_if(m_candidates, [threshold](const Candidate& c) { return c.weight < threshold; });
    }

    return draw();
}

// Keeps the smallest set of best-ranked candidates whose weights sum to >= target (at least one).
// Without top-k the candidates are in id order and may be the whole vocabulary, so rather than sorting
// them all: a histogram of the weights, 16 buckets per octave (read off the double's exponent and top four
// mantissa bits, which order positive doubles), finds the bucket where the mass crosses target; everything
// in earlier buckets is kept as it is, and only the crossing bucket is sorted to find the exact cut.
void Sampler::apply_top_p(double target, bool ranked) {
    double mass = 0.0;
    if (ranked) {
        std::size_t keep = 0;
        while (keep < m_candidates.size() && (keep == 0 || mass < target)) mass += m_candidates[keep++].weight;
        m_candidates.resize(keep);
        return;
    }

    constexpr std::size_t n_buckets = 1024;  // 64 octaves; lighter weights all share the last bucket
    const auto bucket_of = [](double weight) {
        constexpr std::uint64_t one = std::bit_cast<std::uint64_t>(1.0) >> 48;
        const std::uint64_t below_one = one - (std::bit_cast<std::uint64_t>(weight) >> 48);  // weight in [0, 1]
        return static_cast<std::size_t>(std::min<std::uint64_t>(below_one, n_buckets - 1));
    };
    std::array<double, n_buckets> bucket_mass{};
    for (const Candidate& c : m_candidates) bucket_mass[bucket_of(c.weight)] += c.weight;
    std::size_t cut = n_buckets - 1;
    double before_cut = 0.0;
    for (std::size_t b = 0; b < n_buckets; ++b) {
        if (before_cut + bucket_mass[b] >= target) {
            cut = b;
            break;
        }
        before_cut += bucket_mass[b];
    }

    // Compact the earlier buckets to the front, in id order; set the crossing bucket aside.
    m_crossing.clear();
    std::size_t kept = 0;
    for (std::size_t i = 0; i < m_candidates.size(); ++i) {
        const std::size_t b = bucket_of(m_candidates[i].weight);
        if (b < cut) {
            mass += m_candidates[i].weight;
            m_candidates[kept++] = m_candidates[i];
        } else if (b == cut) {
            m_crossing.push_back(m_candidates[i]);
        }
    }
    m_candidates.resize(kept);
    std::sort(m_crossing.begin(), m_crossing.end(), [](const Candidate& a, const Candidate& b) {
        return ranks_before(a, b);
    });
    for (const Candidate& c : m_crossing) {
        if (!m_candidates.empty() && mass >= target) break;
        m_candidates.push_back(c);
        mass += c.weight;
    }
}

void Sampler::apply_penalties(std::span<float> logits, std::span<const std::int32_t> prompt,
                              std::span<const std::int32_t> generated) {
    const std::size_t n_vocab = logits.size();
    const auto in_vocab = [n_vocab](std::int32_t id) { return id >= 0 && static_cast<std::size_t>(id) < n_vocab; };
    // Penalties on an +inf logit can give inf - inf; that token is then treated like any NaN.
    const auto settle = [](float& logit) {
        if (std::isnan(logit)) logit = k_neg_inf;
    };

    if (m_params.repetition_penalty != 1.0) {
        // f32 arithmetic, as transformers does it on f32 logits. A per-vocab mark (not a set) keeps a long
        // context at O(context) per step; the mark value changes every call, so nothing has to be cleared.
        const auto penalty = static_cast<float>(m_params.repetition_penalty);
        if (m_seen_mark.size() != n_vocab) {
            m_seen_mark.assign(n_vocab, 0);
            m_mark = 0;
        }
        if (++m_mark == 0) {
            std::fill(m_seen_mark.begin(), m_seen_mark.end(), 0);
            m_mark = 1;
        }
        const auto visit = [&](std::int32_t id) {
            if (!in_vocab(id) || m_seen_mark[id] == m_mark) return;
            m_seen_mark[id] = m_mark;
            float& logit = logits[id];
            logit = logit > 0.0f ? logit / penalty : logit * penalty;
            settle(logit);
        };
        for (std::int32_t id : prompt) visit(id);
        for (std::int32_t id : generated) visit(id);
    }

    if (m_params.frequency_penalty != 0.0 || m_params.presence_penalty != 0.0) {
        const auto frequency = static_cast<float>(m_params.frequency_penalty);
        const auto presence = static_cast<float>(m_params.presence_penalty);
        if (m_counts.size() != n_vocab) m_counts.assign(n_vocab, 0);
        for (std::int32_t id : generated)
            if (in_vocab(id)) ++m_counts[id];
        // Second pass: apply once per id and zero its count, which both marks it done and leaves m_counts
        // all zero for the next call.
        for (std::int32_t id : generated) {
            if (!in_vocab(id) || m_counts[id] == 0) continue;
            float& logit = logits[id];
            logit -= frequency * static_cast<float>(m_counts[id]);
            logit -= presence;
            settle(logit);
            m_counts[id] = 0;
        }
    }
}

std::int32_t Sampler::draw() {
    // m_candidates is non-empty and holds a weight of 1 (the best token), so total > 0.
    assert(!m_candidates.empty());
    double total = 0.0;
    for (const Candidate& c : m_candidates) total += c.weight;
    const double target = next_unit() * total;
    double mass = 0.0;
    std::int32_t last = m_candidates.front().id;
    for (const Candidate& c : m_candidates) {
        if (c.weight <= 0.0) continue;  // underflowed to zero: never drawn
        mass += c.weight;
        last = c.id;
        if (target < mass) return c.id;
    }
    return last;  // target rounded up to total
}

double Sampler::next_unit() {
    // The top 53 bits as an exact double in [0, 1): the same value from the same seed everywhere.
    return static_cast<double>(m_rng() >> 11) * 0x1.0p-53;
}

}  // namespace hearth::runtime
