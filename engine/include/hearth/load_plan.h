#pragma once
// What loading a model will do on this machine: the model, where it runs, in which precisions, and how
// much KV cache it gets. The planner (hearth/plan.h, the planner issue) resolves one from a ModelInfo,
// the hardware and the user's options, with its findings; the Engine loads exactly what it says.
// Filled by hand it is the "load it like this" of the CLI and tests.

#include <cstdint>

#include "hearth/language_model.h"
#include "hearth/model_info.h"
#include "hearth/tensor_type.h"

namespace hearth {

struct LoadPlan {
    ModelInfo model;
    int threads = 0;                                  // CPU threads; 0 = every core
    MatmulPrecision matmul = MatmulPrecision::split8;
    // Element type of the KV cache: F32, F16, BF16, F8_E4M3 (with per-head scales) or F8_E5M2.
    TensorType kv_cache_type = TensorType::F32;
    std::int64_t context_length = 0;    // tokens one request may hold; 0 = the model's, capped at 4096
    std::int64_t kv_cache_tokens = 0;   // tokens the KV pool holds for all requests; 0 = 2 × context_length
    std::int32_t max_running = 16;      // requests that run at once; more wait
    std::int32_t max_batch_tokens = 256;  // tokens per model step (decode of every request + prefill chunks)
};

}  // namespace hearth
