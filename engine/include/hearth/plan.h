#pragma once
// The load planner: from what a model file says (ModelInfo), what the machine has (HardwareInfo) and what
// the user asked for (LoadOptions), decide once, before anything heavy happens, where the model runs, in
// which precision every tensor and kernel works, how much memory it takes, and what the user should know.
// Every combination either gets a plan that runs, or a refusal that says what to choose instead.
//
//   auto options = LoadOptions{.weights = WeightsDtype::auto_, .kv = KvDtype::fp8_e4m3};
//   LoadPlan p = plan(inspect(path).value(), probe(), options);
//   for (const Finding& f : p.findings) …;   // keyed on f.code
//   if (!p.refused()) auto engine = Engine::load(p);

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hearth/hardware.h"
#include "hearth/kv_quality.h"
#include "hearth/load_plan.h"
#include "hearth/model_info.h"

namespace hearth {

enum class WeightsDtype { auto_, f32, f16, bf16 };
enum class KvDtype { auto_, f32, f16, bf16, fp8_e4m3, fp8_e5m2 };

struct DeviceChoice {
    enum class Kind { auto_, cpu, cuda } kind = Kind::auto_;
    int index = 0;  // cuda:N
};

struct LoadOptions {
    WeightsDtype weights = WeightsDtype::auto_;
    KvDtype kv = KvDtype::auto_;
    std::int64_t context_length = 0;  // 0 = the model's, capped at 4096 (and shrunk to what fits)
    DeviceChoice device;
    // The hardware is described, not present (--simulate, tests): plan for its GPU as the CUDA backend will
    // run it. Without it, a GPU plan on this machine falls back to the CPU (no CUDA backend yet).
    bool simulated = false;
    // Read the weights that a plan converts to FP16 and count the values outside FP16's range (fp16-range).
    // Reads every such tensor from disk once: doctor and the load dialog set it, quick plans do not.
    bool scan_fp16_range = false;
    // A quality measurement of the chosen KV type on this model (doctor --measure), attached to fp8-kv-*.
    std::optional<KvQualityReport> kv_quality;
    std::int32_t max_running = 16;       // copied to the plan: sizes the KV pool and the workspace
    std::int32_t max_batch_tokens = 256;
};

// Parsers for the option words the CLI and the GUI share; nullopt for an unknown word.
std::optional<WeightsDtype> parse_weights_dtype(std::string_view text);  // auto f32 f16 bf16
std::optional<KvDtype> parse_kv_dtype(std::string_view text);            // auto f32 f16 bf16 fp8-e4m3 fp8-e5m2
std::optional<DeviceChoice> parse_device(std::string_view text);         // auto cpu cuda cuda:N
std::string_view name(WeightsDtype dtype);
std::string_view name(KvDtype dtype);
std::string name(const DeviceChoice& device);

LoadPlan plan(const ModelInfo& model, const HardwareInfo& hardware, const LoadOptions& options);

// The built-in calibration text for KV quality measurements: original English prose of about 512 tokens.
std::string_view calibration_text();

}  // namespace hearth
