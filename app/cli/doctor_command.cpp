// hearth-cli doctor: what loading a model would do on this machine (or a simulated one), before anything
// heavy happens: the load plan with its dtypes, kernels, memory and findings, for people or as JSON.
// --measure runs the built-in calibration text through the CPU engine with the chosen KV type and a 16-bit
// cache and attaches the KL divergence to the fp8-kv-* findings.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "hearth/hardware.h"
#include "hearth/kv_quality.h"
#include "hearth/language_model.h"
#include "hearth/plan.h"
#include "run_commands.h"
#include "run_options.h"

namespace hearth::cli {
namespace {

constexpr std::string_view k_usage =
    "usage: hearth-cli doctor --model PATH [--simulate PROFILE] [--device auto|cpu|cuda:N]\n"
    "                         [--weights-dtype auto|f32|f16|bf16] [--kv-dtype auto|f32|f16|bf16|fp8-e4m3|fp8-e5m2]\n"
    "                         [--ctx N] [--measure] [--json] [--threads N]\n"
    "  --simulate PROFILE    plan for a described machine: gtx1080, v100, t4, rtx3090, rtx4090, h100, cpu\n"
    "  --measure             measure the KV cache type's effect on this model (KL divergence against F16)\n";

std::string gib(std::uint64_t bytes) {
    char text[32];
    if (bytes >= (1ull << 30)) std::snprintf(text, sizeof text, "%.2f GiB", static_cast<double>(bytes) / (1ull << 30));
    else std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1ull << 20));
    return text;
}

nlohmann::ordered_json plan_json(const LoadPlan& p, bool simulated) {
    nlohmann::ordered_json j;
    j["model"] = p.model.path.string();
    j["device"] = p.device;
    j["device_name"] = p.device_name;
    j["simulated"] = simulated;
    j["weights_dtype"] = std::string(name(p.weights_type));
    j["weights"] = p.weights_description;
    j["compute_dtype"] = std::string(name(p.compute_type));
    j["kv_dtype"] = std::string(name(p.kv_cache_type));
    j["context_length"] = p.context_length;
    j["max_context_that_fits"] = p.max_context_that_fits;
    j["kv_cache_tokens"] = p.kv_cache_tokens;
    const MemoryEstimate& m = p.memory;
    j["memory"] = {{"weights", m.weights},
                   {"kv_bytes_per_token", m.kv_bytes_per_token},
                   {"kv_per_1k_tokens", m.kv_bytes_per_token * 1000},
                   {"kv_cache", m.kv_cache},
                   {"workspace", m.workspace},
                   {"overhead", m.overhead},
                   {"total", m.total},
                   {"budget", m.budget}};
    auto& kernels = j["kernels"] = nlohmann::ordered_json::array();
    for (const KernelChoice& k : p.kernels)
        kernels.push_back({{"layer_kind", k.layer_kind}, {"count", k.count}, {"weights", k.weights}, {"path", k.path},
                           {"reason", k.reason}});
    auto& findings = j["findings"] = nlohmann::ordered_json::array();
    for (const Finding& f : p.findings) {
        nlohmann::ordered_json args = nlohmann::ordered_json::object();
        for (const auto& [k, v] : f.args) args[k] = v;
        findings.push_back({{"severity", std::string(name(f.severity))}, {"code", f.code}, {"message", f.message},
                            {"suggestion", f.suggestion}, {"args", args}});
    }
    j["refused"] = p.refused();
    return j;
}

void print_plan(std::ostream& out, const LoadPlan& p, const HardwareInfo& hw, bool simulated) {
    out << "Model:    " << p.model.name << " (" << p.model.architecture << ", " << p.model.path.string() << ")\n";
    out << "Machine:  " << (simulated ? "simulated — " : "") << describe(hw) << "\n";
    out << "Device:   " << p.device << " (" << p.device_name << ")\n";
    out << "Weights:  " << p.weights_description << "; unquantized weights as " << name(p.weights_type)
        << ", compute in " << name(p.compute_type) << "\n";
    out << "KV cache: " << name(p.kv_cache_type) << ", " << gib(p.memory.kv_bytes_per_token * 1000) << " per 1,000 tokens\n";
    out << "Context:  " << p.context_length << " tokens (the largest that fits: " << p.max_context_that_fits << ")\n";
    const MemoryEstimate& m = p.memory;
    out << "Memory:   " << gib(m.total) << " of " << gib(m.budget) << " available — weights " << gib(m.weights)
        << ", KV cache " << gib(m.kv_cache) << " (" << p.kv_cache_tokens << " tokens), workspace " << gib(m.workspace)
        << ", other " << gib(m.overhead) << "\n";
    out << "Kernels:\n";
    for (const KernelChoice& k : p.kernels)
        out << "  " << k.layer_kind << " ×" << k.count << ": " << k.path << " [" << k.weights << "] — " << k.reason << "\n";
    if (!p.findings.empty()) out << "Findings:\n";
    for (const Finding& f : p.findings) {
        out << "  " << name(f.severity) << " " << f.code << ": " << f.message << "\n";
        if (!f.suggestion.empty()) out << "      → " << f.suggestion << "\n";
    }
    out << (p.refused() ? "Verdict:  Hearth will not load this model with these options (see the refusals above).\n"
                        : "Verdict:  ready to load.\n");
}

// Runs the calibration text with the plan's KV type and with F16, on the CPU engine.
Result<KvQualityReport> measure(const LoadPlan& p, int threads) {
    ModelLoadOptions load;
    load.threads = threads;
    load.context_length = 1024;
    auto model = LanguageModel::load(p.model, load);
    if (!model) return model.error();
    const Tokenizer* tokenizer = model.value()->tokenizer();
    if (!tokenizer) return Error{"measuring needs the model's tokenizer: " + model.value()->tokenizer_problem()};
    std::vector<TokenId> tokens = tokenizer->encode(calibration_text());
    // About 512 tokens with real vocabularies; a byte-level toy vocabulary gets the first 768.
    if (tokens.size() > 768) tokens.resize(768);
    std::fprintf(stderr, "measuring %s against F16 over %zu tokens…\n", std::string(name(p.kv_cache_type)).c_str(),
                 tokens.size());
    std::function<bool(double)> progress;
    if (isatty(STDERR_FILENO)) {
        progress = [](double fraction) {
            std::fprintf(stderr, "\rmeasuring %3d%%", static_cast<int>(fraction * 100.0 + 0.5));
            std::fflush(stderr);
            return true;
        };
    }
    auto report = measure_kv_quality(*model.value(), tokens, p.kv_cache_type, TensorType::F16, progress);
    if (progress) std::fprintf(stderr, "\r              \r");
    return report;
}

}  // namespace

int run_doctor(std::span<const std::string_view> args) {
    std::string model_path, profile;
    LoadOptions options;
    options.scan_fp16_range = true;
    bool json = false, do_measure = false;
    int threads = 0;
    auto fail = [&](const std::string& message) {
        std::cerr << "hearth-cli doctor: " << message << "\n" << k_usage;
        return 2;
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        const bool has_value = i + 1 < args.size();
        if (arg == "--json") json = true;
        else if (arg == "--measure") do_measure = true;
        else if (!has_value && arg.starts_with("--") && arg != "--json" && arg != "--measure")
            return fail(std::string(arg) + " needs a value");
        else if (arg == "--model") model_path = std::string(args[++i]);
        else if (arg == "--simulate") profile = std::string(args[++i]);
        else if (arg == "--weights-dtype") {
            auto v = parse_weights_dtype(args[++i]);
            if (!v) return fail("--weights-dtype expects auto, f32, f16 or bf16, not '" + std::string(args[i]) + "'");
            options.weights = *v;
        } else if (arg == "--kv-dtype" || arg == "--kv-cache") {
            auto v = parse_kv_dtype(args[++i]);
            if (!v) return fail(std::string(arg) + " expects auto, f32, f16, bf16, fp8-e4m3 or fp8-e5m2, not '" + std::string(args[i]) + "'");
            options.kv = *v;
        } else if (arg == "--device") {
            auto v = parse_device(args[++i]);
            if (!v) return fail("--device expects auto, cpu or cuda:N, not '" + std::string(args[i]) + "'");
            options.device = *v;
        } else if (arg == "--ctx" || arg == "--context") {
            auto v = parse_integer(args[++i]);
            if (!v || *v < 1) return fail(std::string(arg) + " expects a whole number ≥ 1");
            options.context_length = *v;
        } else if (arg == "--threads") {
            auto v = parse_integer(args[++i]);
            if (!v || *v < 1) return fail("--threads expects a whole number ≥ 1");
            threads = static_cast<int>(*v);
        } else {
            return fail("unexpected argument '" + std::string(arg) + "'");
        }
    }
    if (model_path.empty()) return fail("--model is required");

    HardwareInfo hw;
    if (!profile.empty()) {
        auto simulated = hardware_profile(profile);
        if (!simulated)
            return fail("--simulate expects one of " + std::string(hardware_profile_names()) + ", not '" + profile + "'");
        hw = *simulated;
        options.simulated = true;
    } else {
        hw = probe();
    }
    auto info = inspect(model_path);
    if (!info) {
        std::cerr << "hearth-cli doctor: " << info.error().message << "\n";
        return 1;
    }
    LoadPlan p = plan(info.value(), hw, options);
    if (do_measure) {
        const bool fp8 = p.kv_cache_type == TensorType::F8_E4M3 || p.kv_cache_type == TensorType::F8_E5M2;
        if (!fp8) {
            std::cerr << "hearth-cli doctor: --measure compares an FP8 KV cache with F16; this plan's KV cache is "
                      << name(p.kv_cache_type) << ", so there is nothing to measure (add --kv-dtype fp8-e4m3)\n";
        } else {
            auto report = measure(p, threads);
            if (!report) {
                std::cerr << "hearth-cli doctor: the quality measurement failed: " << report.error().message << "\n";
                return 1;
            }
            options.kv_quality = report.value();
            p = plan(info.value(), hw, options);
        }
    }
    if (json) std::cout << plan_json(p, options.simulated).dump(1) << "\n";
    else print_plan(std::cout, p, hw, options.simulated);
    return 0;
}

}  // namespace hearth::cli
