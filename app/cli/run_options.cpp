#include "run_options.h"

#include <algorithm>
#include <charconv>
#include <type_traits>
#include <cstdio>
#include <iostream>
#include <unistd.h>

#include "hearth/hardware.h"
#include "hearth/plan.h"

namespace hearth::cli {

const char* const k_model_options_usage =
    "  --model PATH          a .gguf file or a Hugging Face folder (required)\n"
    "  --threads N           CPU threads (default: every core)\n"
    "  --matmul MODE         int16 (default: 16-bit activations), split8 (two 8-bit parts), int8 (one 8-bit\n"
    "                        part, least exact) or exact (F32 activations, slowest)\n"
    "  --exact               the same as --matmul exact\n"
    "  --context N           tokens of context to reserve (default: the model's, at most 4096)\n"
    "  --kv-dtype TYPE       KV cache element type: f32 (default), f16, bf16, fp8-e4m3, fp8-e5m2\n"
    "                        (--kv-cache is the same option)\n";

const char* const k_sampling_options_usage =
    "  --temperature T       0 = greedy (default: the model's generation_config, else 0.8)\n"
    "  --top-k K  --top-p P  --min-p P\n"
    "  --repeat-penalty R  --frequency-penalty F  --presence-penalty P\n"
    "  --seed S              repeatable sampling\n"
    "  --stop TEXT           stop before TEXT (repeatable)\n"
    "  --ignore-eos          keep generating past end-of-text tokens\n";

std::optional<long long> parse_integer(std::string_view text) {
    long long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<double> parse_number(std::string_view text) {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<TensorType> parse_kv_cache_type(std::string_view text) {
    static constexpr std::pair<std::string_view, TensorType> k_types[] = {
        {"f32", TensorType::F32}, {"f16", TensorType::F16}, {"bf16", TensorType::BF16},
        {"fp8-e4m3", TensorType::F8_E4M3}, {"fp8-e5m2", TensorType::F8_E5M2}};
    for (const auto& [name, type] : k_types)
        if (text == name) return type;
    return std::nullopt;
}

bool parse_run_option(std::span<const std::string_view> args, std::size_t& i, RunOptions& o, std::string& error,
                      RunOptionSet set) {
    const std::string_view arg = args[i];
    const bool sampling = set == RunOptionSet::model_and_sampling;
    if (arg == "--exact") {
        o.load.matmul = MatmulPrecision::exact;
        return true;
    }
    if (arg == "--ignore-eos" && sampling) {
        o.sampling.ignore_eos = true;
        return true;
    }
    static constexpr std::string_view k_model_valued[] = {"--model", "--matmul", "--threads", "--context",
                                                          "--kv-dtype", "--kv-cache"};
    static constexpr std::string_view k_sampling_valued[] = {"--temperature", "--top-k", "--top-p", "--min-p",
                                                             "--repeat-penalty", "--frequency-penalty",
                                                             "--presence-penalty", "--seed", "--stop"};
    const bool known = std::find(std::begin(k_model_valued), std::end(k_model_valued), arg) != std::end(k_model_valued) ||
                       (sampling && std::find(std::begin(k_sampling_valued), std::end(k_sampling_valued), arg) !=
                                        std::end(k_sampling_valued));
    if (!known) return false;
    if (i + 1 >= args.size()) {
        error = std::string(arg) + " needs a value";
        return true;
    }
    const std::string_view value = args[++i];
    auto integer = [&](auto& field, long long min) {
        const auto v = parse_integer(value);
        if (!v || *v < min) error = std::string(arg) + " expects a whole number ≥ " + std::to_string(min) + ", not '" + std::string(value) + "'";
        else field = static_cast<std::remove_reference_t<decltype(field)>>(*v);
    };
    auto number = [&](double& field) {
        const auto v = parse_number(value);
        if (!v) error = std::string(arg) + " expects a number, not '" + std::string(value) + "'";
        else field = *v;
    };
    if (arg == "--model") o.model = std::string(value);
    else if (arg == "--matmul") {
        if (value == "int16") o.load.matmul = MatmulPrecision::int16;
        else if (value == "split8") o.load.matmul = MatmulPrecision::split8;
        else if (value == "int8") o.load.matmul = MatmulPrecision::int8;
        else if (value == "exact") o.load.matmul = MatmulPrecision::exact;
        else error = "--matmul expects int16, split8, int8 or exact, not '" + std::string(value) + "'";
    }
    else if (arg == "--kv-dtype" || arg == "--kv-cache") {
        if (auto type = parse_kv_cache_type(value)) o.load.kv_cache_type = *type;
        else error = std::string(arg) + " expects f32, f16, bf16, fp8-e4m3 or fp8-e5m2, not '" + std::string(value) + "'";
    }
    else if (arg == "--threads") integer(o.load.threads, 1);
    else if (arg == "--context") integer(o.load.context_length, 1);
    else if (arg == "--temperature") { number(o.sampling.temperature); o.temperature_given = true; }
    else if (arg == "--top-k") integer(o.sampling.top_k, 0);
    else if (arg == "--top-p") number(o.sampling.top_p);
    else if (arg == "--min-p") number(o.sampling.min_p);
    else if (arg == "--repeat-penalty") number(o.sampling.repetition_penalty);
    else if (arg == "--frequency-penalty") number(o.sampling.frequency_penalty);
    else if (arg == "--presence-penalty") number(o.sampling.presence_penalty);
    else if (arg == "--stop") o.sampling.stop.emplace_back(value);
    else if (arg == "--seed") {
        std::uint64_t seed = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seed);
        if (ec != std::errc() || end != value.data() + value.size()) error = "--seed expects a whole number ≥ 0";
        else o.sampling.seed = seed;
    }
    return true;
}

std::optional<std::string> validate_sampling_options(const RunOptions& options) {
    auto problem = options.sampling.validate();
    if (!problem) return problem;
    static constexpr std::pair<std::string_view, std::string_view> k_options[] = {
        {"temperature", "--temperature"}, {"top_k", "--top-k"}, {"top_p", "--top-p"}, {"min_p", "--min-p"},
        {"repetition_penalty", "--repeat-penalty"}, {"frequency_penalty", "--frequency-penalty"},
        {"presence_penalty", "--presence-penalty"}, {"stop", "--stop"}};
    for (const auto& [field, option] : k_options) {
        if (problem->starts_with(field) && (problem->size() == field.size() || (*problem)[field.size()] == ' '))
            return std::string(option) + problem->substr(field.size());
    }
    return problem;
}

namespace {
KvDtype kv_dtype_of(TensorType type) {
    switch (type) {
    case TensorType::F16: return KvDtype::f16;
    case TensorType::BF16: return KvDtype::bf16;
    case TensorType::F8_E4M3: return KvDtype::fp8_e4m3;
    case TensorType::F8_E5M2: return KvDtype::fp8_e5m2;
    default: return KvDtype::f32;
    }
}

// The planner decides device, precisions and context for this machine; what it warns about is said
// before loading, and a refusal stops here with its reasons (hearth-cli doctor shows the whole plan).
std::optional<LoadPlan> plan_or_report(const ModelInfo& info, const RunOptions& options, std::string_view command,
                                       const LoadPlan& extras) {
    LoadOptions wanted;
    wanted.kv = kv_dtype_of(options.load.kv_cache_type);
    wanted.context_length = options.load.context_length;
    wanted.max_running = extras.max_running;
    wanted.max_batch_tokens = extras.max_batch_tokens;
    LoadPlan plan = hearth::plan(info, probe(), wanted);
    for (const Finding& f : plan.findings) {
        if (f.severity == Severity::info) continue;
        std::cerr << "hearth-cli " << command << ": " << name(f.severity) << " [" << f.code << "]: " << f.message;
        if (!f.suggestion.empty()) std::cerr << " " << f.suggestion;
        std::cerr << "\n";
    }
    if (plan.refused()) return std::nullopt;
    return plan;
}
}  // namespace

std::unique_ptr<LanguageModel> load_model_or_report(const RunOptions& options, std::string_view command) {
    auto info = inspect(options.model);
    if (!info) {
        std::cerr << "hearth-cli " << command << ": " << info.error().message << "\n";
        return nullptr;
    }
    auto planned = plan_or_report(*info, options, command, LoadPlan{});
    if (!planned) return nullptr;
    ModelLoadOptions load = options.load;
    load.context_length = planned->context_length;
    load.kv_cache_type = planned->kv_cache_type;
    const bool show_progress = isatty(STDERR_FILENO) != 0;
    if (show_progress) {
        load.progress = [](double fraction) {
            std::fprintf(stderr, "\rloading %3d%%", static_cast<int>(fraction * 100.0 + 0.5));
            std::fflush(stderr);
            return true;
        };
    }
    auto model = LanguageModel::load(std::move(info).value(), load);
    if (show_progress) std::fprintf(stderr, "\r             \r");
    if (!model) {
        std::cerr << "hearth-cli " << command << ": " << model.error().message << "\n";
        return nullptr;
    }
    return std::move(model).value();
}

std::unique_ptr<Engine> load_engine_or_report(const RunOptions& options, std::string_view command,
                                              const LoadPlan& extras) {
    auto info = inspect(options.model);
    if (!info) {
        std::cerr << "hearth-cli " << command << ": " << info.error().message << "\n";
        return nullptr;
    }
    auto planned = plan_or_report(*info, options, command, extras);
    if (!planned) return nullptr;
    LoadPlan plan = std::move(*planned);
    plan.threads = options.load.threads;
    plan.matmul = options.load.matmul;
    if (extras.kv_cache_tokens > 0) plan.kv_cache_tokens = extras.kv_cache_tokens;
    const bool show_progress = isatty(STDERR_FILENO) != 0;
    std::function<bool(double)> progress;
    if (show_progress) {
        progress = [](double fraction) {
            std::fprintf(stderr, "\rloading %3d%%", static_cast<int>(fraction * 100.0 + 0.5));
            std::fflush(stderr);
            return true;
        };
    }
    auto engine = Engine::load(plan, progress);
    if (show_progress) std::fprintf(stderr, "\r             \r");
    if (!engine) {
        std::cerr << "hearth-cli " << command << ": " << engine.error().message << "\n";
        return nullptr;
    }
    return std::move(engine).value();
}

void apply_model_sampling_defaults(const LanguageModel& model, RunOptions& options) {
    const GenerationDefaults& defaults = model.info().generation;
    if (!options.temperature_given) options.sampling.temperature = defaults.temperature.value_or(0.8);
    // top_k / top_p / repetition penalty from the model only where the user left them at "off".
    if (options.sampling.top_k == 0 && defaults.top_k) options.sampling.top_k = static_cast<int>(*defaults.top_k);
    if (options.sampling.top_p == 1.0 && defaults.top_p) options.sampling.top_p = *defaults.top_p;
    if (options.sampling.repetition_penalty == 1.0 && defaults.repetition_penalty)
        options.sampling.repetition_penalty = *defaults.repetition_penalty;
}

}  // namespace hearth::cli
