// The precision rules of DESIGN.md, in one place:
// - Weights: auto = the stored type where the device computes with it, else FP16 (BF16 needs compute
//   capability 8.0); the CPU computes in F32 from whatever is stored. An explicit choice is honoured or refused.
// - Compute: the weights' type on a GPU (for quantized checkpoints: the declared dtype where supported, else
//   FP16); F32 on the CPU.
// - KV cache: auto = the compute type; F32/F16/BF16/FP8 E4M3/FP8 E5M2 are storage types every device offers.
#include <algorithm>

#include "plan/planner.h"

namespace hearth::planner {
namespace {

bool is_float(TensorType t) { return t == TensorType::F32 || t == TensorType::F16 || t == TensorType::BF16; }

TensorType to_type(WeightsDtype d) {
    switch (d) {
    case WeightsDtype::f16: return TensorType::F16;
    case WeightsDtype::bf16: return TensorType::BF16;
    default: return TensorType::F32;
    }
}

// The type most of the checkpoint's unquantized matrices are stored in (by bytes); vectors decide only when
// there are no such matrices (a fully quantized GGUF).
TensorType dominant_float(const ModelInfo& model) {
    std::uint64_t matrix_bytes[3] = {}, any_bytes[3] = {};
    auto slot = [](TensorType t) { return t == TensorType::F32 ? 0 : t == TensorType::F16 ? 1 : 2; };
    for (const TensorInfo& t : model.tensors) {
        if (!is_float(t.type)) continue;
        any_bytes[slot(t.type)] += t.n_bytes;
        if (t.shape.size() >= 2) matrix_bytes[slot(t.type)] += t.n_bytes;
    }
    const std::uint64_t* bytes = (matrix_bytes[0] + matrix_bytes[1] + matrix_bytes[2]) > 0 ? matrix_bytes : any_bytes;
    const TensorType types[3] = {TensorType::F32, TensorType::F16, TensorType::BF16};
    int best = 0;
    for (int i = 1; i < 3; ++i)
        if (bytes[i] > bytes[best]) best = i;
    if (bytes[best] == 0) {
        if (model.declared_dtype == "bfloat16") return TensorType::BF16;
        if (model.declared_dtype == "float16") return TensorType::F16;
        return TensorType::F32;
    }
    return types[best];
}

bool quantized_checkpoint(const ModelInfo& model) {
    if (model.quantization.method != "none" && model.quantization.method != "gguf") return true;
    return std::any_of(model.tensors.begin(), model.tensors.end(),
                       [](const TensorInfo& t) { return traits(t.type).quantized; });
}

}  // namespace

std::string Context::device_label() const { return gpu ? gpu->name : "CPU"; }

std::string Context::cc_label() const {
    return gpu ? std::to_string(gpu->cc_major) + "." + std::to_string(gpu->cc_minor) : std::string();
}

bool Context::converts_to_fp16() const {
    // The CPU converts nothing: it reads every weight as stored and computes in F32.
    if (!gpu || plan.weights_type != TensorType::F16) return false;
    return std::any_of(model.tensors.begin(), model.tensors.end(), [](const TensorInfo& t) {
        return t.type == TensorType::BF16 || t.type == TensorType::F32;
    });
}

void resolve_device(Context& c) {
    const DeviceChoice& want = c.options.device;
    const auto& gpus = c.hardware.gpus;
    std::string fallback_reason, fallback_gpu;
    if (want.kind == DeviceChoice::Kind::cuda) {
        if (want.index >= 0 && static_cast<std::size_t>(want.index) < gpus.size()) {
            c.gpu = &gpus[static_cast<std::size_t>(want.index)];
        } else {
            const std::string have = gpus.empty() ? "it has no NVIDIA GPU: " + c.hardware.gpu_status
                                                  : "it has " + std::to_string(gpus.size()) + " CUDA device(s), cuda:0 to cuda:" +
                                                        std::to_string(gpus.size() - 1);
            c.add(make_finding("device-missing", Severity::refusal,
                               {{"device", name(want)}, {"gpus", have}, {"other", gpus.empty() ? "" : " or cuda:0"}}));
        }
    } else if (want.kind == DeviceChoice::Kind::auto_ && !gpus.empty()) {
        c.gpu = &gpus.front();
    }
    if (c.gpu && !c.options.simulated) {
        // NOTE: the CUDA backend does not exist yet. A real load plans for the CPU and says so; --simulate
        // keeps the GPU plan, which describes what the CUDA backend will do.
        fallback_reason = "Hearth's CUDA backend is not built yet, so the " + c.gpu->name + " cannot be used";
        fallback_gpu = c.gpu->name;
        c.gpu = nullptr;
    }
    if (!fallback_reason.empty())
        c.add(make_finding("cpu-fallback", Severity::warning,
                           {{"reason", fallback_reason},
                            {"extra", "Use --simulate to see the GPU plan."},
                            {"why", "no-cuda-backend"},
                            {"device_name", fallback_gpu}}));
    if (c.gpu) {
        c.plan.device = "cuda:" + std::to_string(c.gpu->index);
        c.plan.device_name = c.gpu->name;
    } else {
        c.plan.device = "cpu";
        c.plan.device_name = c.hardware.cpu.name;
    }
}

void resolve_dtypes(Context& c) {
    const ModelInfo& m = c.model;
    c.stored_float = dominant_float(m);
    const bool quantized = quantized_checkpoint(m);
    const WeightsDtype want = c.options.weights;
    LoadPlan& p = c.plan;

    if (!c.gpu) {
        // The CPU multiplies F32, F16 and BF16 rows (and GGUF blocks) as stored, in F32.
        p.weights_type = c.stored_float;
        p.compute_type = TensorType::F32;
        if (want != WeightsDtype::auto_ && want != WeightsDtype::f32 && to_type(want) != c.stored_float)
            c.add(make_finding("weights-dtype-unsupported", Severity::refusal,
                               {{"requested", std::string(name(to_type(want)))},
                                {"stored", std::string(name(c.stored_float))}}));
    } else {
        const GpuDevice& gpu = *c.gpu;
        const Args device_args = {{"device", gpu.name}, {"cc", c.cc_label()}};
        if (want == WeightsDtype::auto_) {
            p.weights_type = c.stored_float;
            if (c.stored_float == TensorType::BF16 && !gpu.bf16) {
                p.weights_type = TensorType::F16;
                c.add(make_finding("bf16-unsupported", Severity::warning, device_args, "convert"));
            }
        } else if (want == WeightsDtype::bf16 && !gpu.bf16) {
            p.weights_type = TensorType::F16;  // what auto would do; the plan is refused anyway
            c.add(make_finding("bf16-unsupported", Severity::refusal, device_args, "refuse"));
        } else {
            p.weights_type = to_type(want);
        }
        if (quantized && want == WeightsDtype::auto_) {
            // Quantized layers dequantize into the compute type: the checkpoint's declared one where the GPU
            // has it, else FP16.
            TensorType declared = m.declared_dtype == "bfloat16" ? TensorType::BF16
                                  : m.declared_dtype == "float32" ? TensorType::F32
                                                                  : TensorType::F16;
            if (declared == TensorType::BF16 && !gpu.bf16) declared = TensorType::F16;
            if (declared == TensorType::F32) declared = TensorType::F16;  // quantized GEMMs accumulate 16-bit inputs in F32
            p.compute_type = declared;
            if (c.stored_float == TensorType::BF16 && !gpu.bf16) p.weights_type = TensorType::F16;
            else if (m.format == ModelFormat::gguf) p.weights_type = declared;  // GGUF's F32 norms and the like
        } else {
            p.compute_type = p.weights_type;
        }
    }

    switch (c.options.kv) {
    case KvDtype::auto_: p.kv_cache_type = p.compute_type; break;
    case KvDtype::f32: p.kv_cache_type = TensorType::F32; break;
    case KvDtype::f16: p.kv_cache_type = TensorType::F16; break;
    case KvDtype::bf16: p.kv_cache_type = TensorType::BF16; break;
    case KvDtype::fp8_e4m3: p.kv_cache_type = TensorType::F8_E4M3; break;
    case KvDtype::fp8_e5m2: p.kv_cache_type = TensorType::F8_E5M2; break;
    }
}

}  // namespace hearth::planner
