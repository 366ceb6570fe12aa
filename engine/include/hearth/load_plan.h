#pragma once
// What loading a model will do on this machine: the model, where it runs, in which precisions, and how
// much KV cache it gets. The planner (hearth/plan.h) resolves one from a ModelInfo, the hardware and the
// user's options, with its findings; the Engine loads exactly what it says. Filled by hand it is the
// "load it like this" of the CLI and tests (the planner's own fields then keep their defaults).

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hearth/language_model.h"
#include "hearth/model_info.h"
#include "hearth/tensor_type.h"

namespace hearth {

enum class Severity { info, warning, refusal };
std::string_view name(Severity severity);  // "info", "warning", "refusal"

// One thing the planner wants the user to know. The GUI, the CLI and the tests key on `code` (stable,
// e.g. "bf16-unsupported"); `message` and `suggestion` are plain-language text made from the code's
// template (engine/plan/finding_text.cpp) and `args`, so a translation can re-render them from the same data.
struct Finding {
    Severity severity = Severity::info;
    std::string code;
    std::string message;
    std::string suggestion;
    std::vector<std::pair<std::string, std::string>> args;  // the template's named values ("count" → "12")

    std::string_view arg(std::string_view key) const;  // "" when absent
};

// The kernel path one kind of layer takes, and why ("mlp" → "cublas-gemm-f16": "stored BF16, converted …").
struct KernelChoice {
    std::string layer_kind;   // "embedding", "attention-projections", "mlp", "experts", "router", "norms",
                              // "lm-head", "attention (full)", "attention (chunked)", …
    std::int64_t count = 0;   // layers (or tensors, for norms) of this kind
    std::string weights;      // element type the path reads: "F16", "Q4_K", "GPTQ int4", …
    std::string path;         // kernel path name, as the backend calls it
    std::string reason;
};

// Bytes, on the plan's device. total = weights + kv_cache + workspace + overhead.
struct MemoryEstimate {
    std::uint64_t weights = 0;             // as placed: converted types, mapped files, the loader's copies
    std::uint64_t kv_bytes_per_token = 0;  // every layer's keys and values (+ FP8 scales) for one token
    std::uint64_t kv_cache = 0;            // kv_bytes_per_token × kv_cache_tokens (rounded up to blocks)
    std::uint64_t workspace = 0;           // activations of one step, logits
    std::uint64_t overhead = 0;            // tokenizer and runtime tables (CPU); CUDA context (GPU)
    std::uint64_t total = 0;
    std::uint64_t budget = 0;              // what the device has for it (free memory, available RAM)
};

struct LoadPlan {
    ModelInfo model;
    int threads = 0;                                  // CPU threads; 0 = every core
    MatmulPrecision matmul = MatmulPrecision::int16;
    // Element type of the KV cache: F32, F16, BF16, F8_E4M3 (with per-head scales) or F8_E5M2.
    TensorType kv_cache_type = TensorType::F32;
    std::int64_t context_length = 0;    // tokens one request may hold; 0 = the model's, capped at 4096
    std::int64_t kv_cache_tokens = 0;   // tokens the KV pool holds for all requests; 0 = 2 × context_length
    std::int32_t max_running = 16;      // requests that run at once; more wait
    std::int32_t max_batch_tokens = 256;  // tokens per model step (decode of every request + prefill chunks)

    // Filled by plan(); a hand-made plan leaves them as they are.
    std::string device = "cpu";                  // "cpu" or "cuda:N"
    std::string device_name;                     // "NVIDIA Tesla T4", the CPU's name
    TensorType weights_type = TensorType::F32;   // the non-quantized weights' type as placed (quantized
                                                 // layers keep their layout; see kernels)
    std::string weights_description;             // "BF16", "Q4_1 (+ F32 norms)", "GPTQ int4 + F16"
    TensorType compute_type = TensorType::F32;   // activations and accumulation
    std::vector<KernelChoice> kernels;
    MemoryEstimate memory;
    std::int64_t max_context_that_fits = 0;      // largest context (with this KV type and pool rule) in budget
    std::vector<Finding> findings;

    bool refused() const;
    const Finding* find(std::string_view code) const;
};

}  // namespace hearth
