// plan(): the planner's steps in order. Each step adds to the plan and its findings; none stops the
// others, so a refused plan still says everything that is wrong at once.
#include "plan/planner.h"

namespace hearth {
namespace {

LoadPlan plan_once(const ModelInfo& model, const HardwareInfo& hardware, const LoadOptions& options) {
    LoadPlan p;
    p.model = model;
    p.max_running = options.max_running;
    p.max_batch_tokens = options.max_batch_tokens;
    planner::Context c{model, hardware, options, p, nullptr, TensorType::F32, {}};
    planner::resolve_device(c);
    planner::resolve_dtypes(c);
    planner::check_architecture(c);
    planner::classify_modules(c);
    planner::check_tensors(c);
    planner::choose_kernels(c);
    planner::choose_attention(c);
    planner::check_fp16_range(c);
    planner::estimate_memory(c);
    planner::kv_findings(c);
    if (model.tokenizer.kind != "none" && !model.tokenizer.has_chat_template)
        c.add(planner::make_finding("template-missing", Severity::info, {{"family", model.architecture}}));
    return p;
}

}  // namespace

LoadPlan plan(const ModelInfo& model, const HardwareInfo& hardware, const LoadOptions& options) {
    LoadPlan p = plan_once(model, hardware, options);
    // Left to choose, Hearth runs a model that does not fit the GPU on the CPU rather than refusing it.
    const bool on_gpu = p.device != "cpu";
    if (on_gpu && options.device.kind == DeviceChoice::Kind::auto_ && p.find("weights-exceed-memory")) {
        LoadOptions cpu = options;
        cpu.device.kind = DeviceChoice::Kind::cpu;
        LoadPlan fallback = plan_once(model, hardware, cpu);
        if (!fallback.find("weights-exceed-memory")) {
            const std::string reason = "the model needs " + planner::format_bytes(p.memory.weights) + " for its weights, more than the " +
                                       p.device_name + "'s " + planner::format_bytes(p.memory.budget);
            fallback.findings.insert(fallback.findings.begin(),
                                     planner::make_finding("cpu-fallback", Severity::warning,
                                                           {{"reason", reason},
                                                            {"extra", "A quantized file of the model may fit the GPU."},
                                                            {"why", "weights-exceed-gpu"},
                                                            {"needed", planner::format_bytes(p.memory.weights)},
                                                            {"available", planner::format_bytes(p.memory.budget)},
                                                            {"device_name", p.device_name}}));
            return fallback;
        }
    }
    return p;
}

}  // namespace hearth
