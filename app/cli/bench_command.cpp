// hearth-cli bench: prefill and decode speed on this machine, and decode as a fraction of the memory
// bandwidth limit (every weight byte must stream from memory once per decoded token).
#include <algorithm>
#include <chrono>
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "hearth/memory_bandwidth.h"
#include "hearth/version.h"
#include "run_commands.h"
#include "run_options.h"

namespace hearth::cli {
namespace {

constexpr std::string_view k_usage =
    "usage: hearth-cli bench --model PATH [--prompt-tokens P] [--gen-tokens G] [--threads N] [--matmul split8|int8|exact] [--json]\n";

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int run_bench(std::span<const std::string_view> args) {
    RunOptions options;
    long long prompt_tokens = 512, gen_tokens = 128;
    bool json = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string error;
        if (parse_run_option(args, i, options, error, RunOptionSet::model)) {
            if (!error.empty()) {
                std::cerr << "hearth-cli bench: " << error << "\n";
                return 2;
            }
            continue;
        }
        const auto arg = args[i];
        if ((arg == "--prompt-tokens" || arg == "--gen-tokens") && i + 1 < args.size()) {
            const auto v = parse_integer(args[++i]);
            if (!v || *v < 1) {
                std::cerr << "hearth-cli bench: " << arg << " expects a whole number ≥ 1\n";
                return 2;
            }
            (arg == "--prompt-tokens" ? prompt_tokens : gen_tokens) = *v;
        } else if (arg == "--json") json = true;
        else {
            std::cerr << "hearth-cli bench: unexpected argument '" << arg << "'\n" << k_usage;
            return 2;
        }
    }
    if (options.model.empty()) {
        std::cerr << "hearth-cli bench: --model is required\n" << k_usage;
        return 2;
    }
    options.load.context_length = prompt_tokens + gen_tokens;
    auto model = load_model_or_report(options, "bench");
    if (!model) return 1;
    const MemoryBandwidth bandwidth = measure_memory_bandwidth(model->threads());

    auto session = model->start_session();
    if (!session) {
        std::cerr << "hearth-cli bench: " << session.error().message << "\n";
        return 1;
    }
    // A fixed spread of ids: the speed of a forward pass does not depend on which tokens it sees.
    std::vector<TokenId> prompt(static_cast<std::size_t>(prompt_tokens));
    for (std::size_t i = 0; i < prompt.size(); ++i)
        prompt[i] = static_cast<TokenId>((i * 7919 + 13) % static_cast<std::size_t>(model->vocab_size()));
    TokenId next = 0;
    auto argmax = [&](std::int64_t, std::span<const float> logits) {
        next = static_cast<TokenId>(std::max_element(logits.begin(), logits.end()) - logits.begin());
    };
    auto start = std::chrono::steady_clock::now();
    if (auto ok = (*session)->append(prompt, Session::Logits::last, argmax); !ok) {
        std::cerr << "hearth-cli bench: " << ok.error().message << "\n";
        return 1;
    }
    const double prefill_seconds = seconds_since(start);
    start = std::chrono::steady_clock::now();
    for (long long i = 0; i < gen_tokens; ++i) {
        const TokenId token = next;
        if (auto ok = (*session)->append(std::span<const TokenId>(&token, 1), Session::Logits::last, argmax); !ok) {
            std::cerr << "hearth-cli bench: " << ok.error().message << "\n";
            return 1;
        }
    }
    const double decode_seconds = seconds_since(start);

    const double prefill_tps = static_cast<double>(prompt_tokens) / prefill_seconds;
    const double decode_tps = static_cast<double>(gen_tokens) / decode_seconds;
    const double bytes_per_token = static_cast<double>(model->weight_bytes_per_token());
    const double decode_gbs = bytes_per_token * decode_tps / 1e9;
    // 2 FLOPs per weight per token in the matmuls (attention's share is small at these lengths).
    const double prefill_gflops = 2.0 * static_cast<double>(model->info().n_params) * prefill_tps / 1e9;
    nlohmann::ordered_json out = {
        {"model", model->info().name},
        {"file", options.model},
        {"backend", model->backend_description()},
        {"threads", model->threads()},
        {"prompt_tokens", prompt_tokens},
        {"gen_tokens", gen_tokens},
        {"prefill_tokens_per_s", prefill_tps},
        {"decode_tokens_per_s", decode_tps},
        {"prefill_gflops", prefill_gflops},
        {"weight_bytes_per_token", model->weight_bytes_per_token()},
        {"decode_weight_gbs", decode_gbs},
        {"memory_bandwidth_gbs", bandwidth.copy_gbs},
        {"decode_bandwidth_fraction", decode_gbs / bandwidth.copy_gbs},
        {"hearth", version_with_commit()},
    };
    if (json) {
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    std::cout << std::fixed << std::setprecision(1) << model->info().name << " on " << model->backend_description()
              << ", " << model->threads() << " threads\n"
              << "  prefill  " << prompt_tokens << " tokens: " << prefill_tps << " tokens/s (" << prefill_gflops
              << " GFLOP/s)\n"
              << "  decode   " << gen_tokens << " tokens: " << decode_tps << " tokens/s, " << decode_gbs
              << " GB/s of weights\n"
              << "  memory   " << bandwidth.copy_gbs << " GB/s (copy, " << bandwidth.threads << " threads)\n"
              << std::setprecision(0) << "  decode reaches " << 100.0 * decode_gbs / bandwidth.copy_gbs
              << "% of the bandwidth limit\n";
    return 0;
}

}  // namespace hearth::cli
