#pragma once
// Picks the next token from one position's logits, following SamplingParams. Pure logic on the CPU: the
// model hands over a [vocab] row of f32 logits and gets back one id.
//
// One Sampler per sequence: it owns that sequence's PRNG, so a given seed reproduces the same tokens for
// the same logits on every platform (the PRNG is std::mt19937_64, whose output the standard fixes, and the
// draw is our own arithmetic, not a std:: distribution, whose results differ between standard libraries).
// The one platform dependency left is std::exp's last bit, which matters only when a random number lands
// within that bit of a boundary between two tokens.
// Not thread-safe; sequences sampled in parallel each have their own Sampler.

#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "hearth/sampling.h"

namespace hearth::runtime {

class Sampler {
public:
    // params should have passed validate(); values out of range are clamped into range, never rejected here.
    explicit Sampler(const SamplingParams& params);

    // logits: [vocab] f32 for one position, read only (the sampler works on its own copy).
    // prompt: the prompt's token ids; generated: the tokens generated so far for this sequence. Both feed
    // the penalties only; ids outside [0, vocab) are ignored.
    // Returns an id in [0, vocab); 0 for an empty logits row.
    std::int32_t sample(std::span<const float> logits, std::span<const std::int32_t> prompt,
                        std::span<const std::int32_t> generated);

    // The seed in use (the one drawn from std::random_device when params.seed was empty), so a front end
    // can report it and a run can be repeated.
    std::uint64_t seed() const { return m_seed; }

    // Step 2 of sample() alone, in place on `logits` ([vocab]): the repetition penalty, then frequency and
    // presence. Public so tests can compare it with hand-computed values, and for callers that report
    // log-probabilities of the penalised distribution.
    void apply_penalties(std::span<float> logits, std::span<const std::int32_t> prompt,
                         std::span<const std::int32_t> generated);

private:
    struct Candidate {
        float logit;     // after penalties, before temperature
        std::int32_t id;
        double weight;   // exp((logit - max_logit) / temperature): softmax up to a common factor
    };

    void apply_top_p(double target, bool ranked);
    std::int32_t draw();
    double next_unit();  // uniform in [0, 1), 53 random bits

    SamplingParams m_params;
    std::uint64_t m_seed;
    std::mt19937_64 m_rng;

    // Scratch kept between calls so a step allocates nothing once warmed up.
    std::vector<float> m_logits;             // [vocab]
    std::vector<Candidate> m_candidates;     // tokens still in the running
    std::vector<Candidate> m_crossing;       // top-p: the weight bucket where the mass crosses top_p
    std::vector<std::uint32_t> m_seen_mark;  // [vocab] for the repetition penalty: == m_mark when seen this step
    std::uint32_t m_mark = 0;
    std::vector<std::int32_t> m_counts;      // [vocab] occurrences in `generated`, zero between calls
};

}  // namespace hearth::runtime
