// hearth-cli bench: prefill and decode speed on this machine, and decode as a fraction of the memory
// bandwidth limit (every weight byte must stream from memory once per decoded token).
#include <algorithm>
#include <chrono>
#include <iomanip>
#include <condition_variable>
#include <iostream>
#include <mutex>

#include <nlohmann/json.hpp>

#include "hearth/memory_bandwidth.h"
#include "hearth/version.h"
#include "run_commands.h"
#include "run_options.h"

namespace hearth::cli {
namespace {

constexpr std::string_view k_usage =
    "usage: hearth-cli bench --model PATH [--prompt-tokens P] [--gen-tokens G] [--concurrency N] [--json] [options]\n"
    "  --prompt-tokens P     tokens of each prompt (default 512)\n"
    "  --gen-tokens G        tokens generated per stream (default 128)\n"
    "  --concurrency N       N streams (default 1) at once through the engine; decode_tokens_per_s is their\n"
    "                        aggregate rate\n"
    "  --json                one JSON object instead of the table\n";

}  // namespace

int run_bench(std::span<const std::string_view> args) {
    RunOptions options;
    long long prompt_tokens = 512, gen_tokens = 128, concurrency = 1;
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
        if ((arg == "--prompt-tokens" || arg == "--gen-tokens" || arg == "--concurrency") && i + 1 < args.size()) {
            const auto v = parse_integer(args[++i]);
            if (!v || *v < 1) {
                std::cerr << "hearth-cli bench: " << arg << " expects a whole number ≥ 1\n";
                return 2;
            }
            (arg == "--prompt-tokens" ? prompt_tokens : arg == "--gen-tokens" ? gen_tokens : concurrency) = *v;
        } else if (arg == "--json") json = true;
        else {
            std::cerr << "hearth-cli bench: unexpected argument '" << arg << "'\n" << k_usage << k_model_options_usage;
            return 2;
        }
    }
    if (options.model.empty()) {
        std::cerr << "hearth-cli bench: --model is required\n" << k_usage << k_model_options_usage;
        return 2;
    }
    options.load.context_length = prompt_tokens + gen_tokens;
    // Every stream gets its whole context in the pool: the benchmark measures batching, not preemption.
    LoadPlan extras;
    extras.max_running = static_cast<std::int32_t>(concurrency);
    extras.kv_cache_tokens = concurrency * (prompt_tokens + gen_tokens);
    auto engine = load_engine_or_report(options, "bench", extras);
    if (!engine) return 1;
    const LanguageModel* model = &engine->model();
    const MemoryBandwidth bandwidth = measure_memory_bandwidth(model->threads());

    // Distinct prompts of a fixed spread of ids: no stream finds another's prefix in the cache, and the speed
    // of a forward pass does not depend on which tokens it sees.
    std::mutex mutex;
    std::condition_variable all_done;
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    long long streams_started = 0, streams_finished = 0, tokens = 0;
    long long tokens_at_all_started = 0, tokens_at_first_finish = 0;
    Clock::time_point all_started, first_finished;
    std::vector<RequestStats> finished;
    std::string failure;
    for (long long s = 0; s < concurrency; ++s) {
        Request request;
        request.prompt.resize(static_cast<std::size_t>(prompt_tokens));
        for (std::size_t i = 0; i < request.prompt.size(); ++i)
            request.prompt[i] = static_cast<TokenId>((i * 7919 + 13 + static_cast<std::size_t>(s) * 104729) %
                                                     static_cast<std::size_t>(model->vocab_size()));
        request.sampling.temperature = 0.0;
        request.sampling.ignore_eos = true;
        request.max_tokens = gen_tokens;
        request.on_update = [&, started = false](const RequestUpdate& update) mutable {
            std::lock_guard lock(mutex);
            const auto now = Clock::now();
            tokens += static_cast<long long>(update.tokens.size());
            if (!started && !update.tokens.empty()) {
                started = true;
                if (++streams_started == concurrency) {
                    all_started = now;
                    tokens_at_all_started = tokens;
                }
            }
            if (update.finish) {
                if (update.finish != FinishReason::length && failure.empty())
                    failure = update.error.empty() ? "a stream ended early: " + std::string(name(*update.finish))
                                                   : update.error;
                if (streams_finished++ == 0) {
                    first_finished = now;
                    tokens_at_first_finish = tokens;
                }
                finished.push_back(update.stats);
                all_done.notify_one();
            }
        };
        if (auto id = engine->submit(std::move(request)); !id) {
            std::cerr << "hearth-cli bench: " << id.error().message << "\n";
            return 1;
        }
    }
    {
        std::unique_lock lock(mutex);
        all_done.wait(lock, [&] { return streams_finished == concurrency; });
    }
    const double total_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!failure.empty()) {
        std::cerr << "hearth-cli bench: " << failure << "\n";
        return 1;
    }
    double ttft_sum = 0, ttft_max = 0;
    for (const RequestStats& s : finished) {
        ttft_sum += s.time_to_first_token;
        ttft_max = std::max(ttft_max, s.time_to_first_token);
    }
    // Decode: the window in which every stream decodes (all have their first token, none has finished).
    // With one token to generate there is no such window; the rate is then that of the whole run.
    const double window = std::chrono::duration<double>(first_finished - all_started).count();
    const double decode_tps = window > 0 && tokens_at_first_finish > tokens_at_all_started
                                  ? static_cast<double>(tokens_at_first_finish - tokens_at_all_started) / window
                                  : static_cast<double>(tokens) / total_seconds;
    // Prefill: every prompt token computed by the time the last stream had its first token.
    const double prefill_seconds = ttft_max;
    const double prefill_tps = static_cast<double>(prompt_tokens * concurrency) / prefill_seconds;
    const double ttft_ms = 1000.0 * ttft_sum / static_cast<double>(concurrency);
    const double bytes_per_token = static_cast<double>(model->weight_bytes_per_token());
    // One decode step reads every weight once for all streams together.
    const double decode_gbs = bytes_per_token * decode_tps / static_cast<double>(concurrency) / 1e9;
    // 2 FLOPs per weight per token in the matmuls (attention's share is small at these lengths).
    const double prefill_gflops = 2.0 * static_cast<double>(model->info().n_params) * prefill_tps / 1e9;
    nlohmann::ordered_json out = {
        {"model", model->info().name},
        {"file", options.model},
        {"backend", model->backend_description()},
        {"threads", model->threads()},
        {"prompt_tokens", prompt_tokens},
        {"gen_tokens", gen_tokens},
        {"concurrency", concurrency},
        {"kv_cache_type", std::string(name(options.load.kv_cache_type))},
        {"time_to_first_token_ms", ttft_ms},
        {"time_to_first_token_ms_max", 1000.0 * ttft_max},
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
              << "  streams  " << concurrency << " at once, KV cache " << name(options.load.kv_cache_type) << "\n"
              << "  prefill  " << prompt_tokens << " tokens each: " << prefill_tps << " tokens/s (" << prefill_gflops
              << " GFLOP/s); first token after " << ttft_ms << " ms on average, " << 1000.0 * ttft_max
              << " ms at most\n"
              << "  decode   " << gen_tokens << " tokens each: " << decode_tps << " tokens/s together, " << decode_gbs
              << " GB/s of weights\n"
              << "  memory   " << bandwidth.copy_gbs << " GB/s (copy, " << bandwidth.threads << " threads)\n"
              << std::setprecision(0) << "  decode reaches " << 100.0 * decode_gbs / bandwidth.copy_gbs
              << "% of the bandwidth limit\n";
    return 0;
}

}  // namespace hearth::cli
