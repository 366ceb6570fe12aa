#pragma once
// The planner's working state and its steps, one file each: precision_rules.cpp (device and dtypes),
// linear_layers.cpp (what each layer of the checkpoint is and which kernel runs it), tensor_check.cpp
// (missing and unexpected tensors), attention_paths.cpp, fp16_range.cpp, memory_estimate.cpp, and
// planner.cpp, which runs them in order.
#include <cstdint>
#include <string>
#include <vector>

#include "hearth/plan.h"
#include "plan/findings.h"

namespace hearth::planner {

// One module of the checkpoint with its tensors: a linear layer ("model.layers.0.self_attn.q_proj"), a
// norm, the embedding. A quantized layer's packed weight, scales and zero points belong to one module.
struct Module {
    enum class Kind { dense, quantized, vector };
    std::string name;
    Kind kind = Kind::dense;
    std::string layer_kind;                    // "attention-projections", "mlp", "experts", "router", …
    std::string layout;                        // "F16", "Q4_K", "GPTQ int4", "bitsandbytes nf4", …
    TensorType dense_type = TensorType::F32;   // for dense modules and vectors
    std::vector<const TensorInfo*> tensors;
    std::uint64_t bytes = 0;                   // as stored
    const TensorInfo* empty_tensor = nullptr;  // a tensor of the module with no elements, if any
};

struct Context {
    const ModelInfo& model;
    const HardwareInfo& hardware;
    const LoadOptions& options;
    LoadPlan& plan;

    const GpuDevice* gpu = nullptr;            // the plan's device; null = the CPU
    TensorType stored_float = TensorType::F32; // the checkpoint's unquantized weights' type
    std::vector<Module> modules;

    void add(Finding finding) { plan.findings.push_back(std::move(finding)); }
    std::string device_label() const;         // "Tesla T4", "CPU"
    std::string cc_label() const;             // "7.5"
    bool converts_to_fp16() const;            // some stored BF16/F32 weights become F16
};

// The module a tensor belongs to ("model.layers.0.mlp.up_proj.qweight" → "model.layers.0.mlp.up_proj").
std::string module_of(std::string_view tensor_name);

void resolve_device(Context& c);                 // device, cpu-fallback, device-missing
void resolve_dtypes(Context& c);                 // weights, compute and KV types; bf16-unsupported, …
void classify_modules(Context& c);               // modules, tensor-empty, quant-dense-layer
void choose_kernels(Context& c);                 // kernels; quant-generic-kernel, quant-unsupported
void check_architecture(Context& c);             // arch-unsupported
void check_tensors(Context& c);                  // tensor-missing, tensor-unexpected
void choose_attention(Context& c);               // attention kernels; attention-chunked
void check_fp16_range(Context& c);               // fp16-range
void estimate_memory(Context& c);                // memory, context; weights-/kv-exceeds-memory, fp8-kv
void kv_findings(Context& c);                    // fp8-kv-gqa, fp8-kv-e5m2

// The S2 guarantee, for tests: every attention path of the table supports every attention variant.
bool every_attention_path_has_every_feature();

// Memory pieces, shared with tests and with the fallback decision.
std::uint64_t kv_bytes_per_token(const ModelInfo& model, TensorType kv_type);
std::uint64_t weights_bytes(const Context& c);

}  // namespace hearth::planner
