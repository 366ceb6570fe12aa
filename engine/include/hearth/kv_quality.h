#pragma once
// How much a KV cache element type changes what the loaded model predicts: the same text runs through a
// session with a reference cache (16-bit) and one with the candidate type (FP8, say), and the next-token
// distributions are compared at every position. This is the measurement the planner offers for FP8 KV
// caches and the load dialog's "Measure quality" button runs.

#include <atomic>
#include <functional>
#include <span>
#include <vector>

#include "hearth/language_model.h"

namespace hearth {

struct KvQualityReport {
    TensorType candidate = TensorType::F8_E4M3;
    TensorType reference = TensorType::F16;
    std::int64_t positions = 0;
    double mean_kl = 0.0;            // nats: mean over positions of KL(reference ‖ candidate)
    double max_kl = 0.0;             // nats: the worst position
    double argmax_agreement = 0.0;   // fraction of positions whose most likely token is the same
};

// Runs `tokens` (at least 2) teacher-forced through both caches. progress gets the fraction done and may
// return false to stop (the result is then an error saying so).
Result<KvQualityReport> measure_kv_quality(LanguageModel& model, std::span<const TokenId> tokens, TensorType candidate,
                                           TensorType reference = TensorType::F16,
                                           const std::function<bool(double)>& progress = {});
// Several candidates against one reference pass (one report per candidate, in order): cheaper than one
// call per candidate, which would recompute the reference each time.
Result<std::vector<KvQualityReport>> measure_kv_quality(LanguageModel& model, std::span<const TokenId> tokens,
                                                        std::span<const TensorType> candidates,
                                                        TensorType reference = TensorType::F16,
                                                        const std::function<bool(double)>& progress = {});

}  // namespace hearth
