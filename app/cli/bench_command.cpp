// hearth-cli bench: prefill and decode speed on this machine, and decode as a fraction of the memory
// bandwidth limit (every weight byte must stream from memory once per decoded token).
#include <algorithm>
#include <chrono>
#include <iomanip>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "hearth/memory_bandwidth.h"
#include "hearth/version.h"
#include "run_commands.h"
#include "run_options.h"

namespace hearth::cli {
namespace {

constexpr std::string_view k_usage =
    "usage: hearth-cli bench --model PATH [--prompt-tokens P] [--gen-tokens G] [--concurrency N] [--repeat R]\n"
    "                        [--json] [options]\n"
    "  --prompt-tokens P     tokens of each prompt (default 512)\n"
    "  --gen-tokens G        tokens generated per stream (default 128)\n"
    "  --concurrency N       N streams (default 1) at once through the engine; decode_tokens_per_s is their\n"
    "                        aggregate rate\n"
    "  --repeat R            R measurements (default 1), each after its own bandwidth measurement; the rates\n"
    "                        and the fraction reported are the medians, every run is listed in \"runs\"\n"
    "  --json                one JSON object instead of the table\n";

// One measurement: the machine's copy bandwidth just before, then prefill and decode of `concurrency`
// streams. Prompts are distinct per stream and per run (`run` in the ids), so no stream finds another's
// prefix in the cache, and the speed of a forward pass does not depend on which tokens it sees.
struct Measurement {
    double bandwidth_gbs = 0;
    double prefill_tps = 0, decode_tps = 0;
    double ttft_ms = 0, ttft_max_ms = 0;
};

std::optional<Measurement> measure_once(Engine& engine, long long prompt_tokens, long long gen_tokens,
                                        long long concurrency, long long run) {
    const LanguageModel* model = &engine.model();
    Measurement m;
    m.bandwidth_gbs = measure_memory_bandwidth(model->threads()).copy_gbs;
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
        const auto stream = static_cast<std::size_t>(run * concurrency + s);
        for (std::size_t i = 0; i < request.prompt.size(); ++i)
            request.prompt[i] = static_cast<TokenId>((i * 7919 + 13 + stream * 104729) %
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
        if (auto id = engine.submit(std::move(request)); !id) {
            std::cerr << "hearth-cli bench: " << id.error().message << "\n";
            return std::nullopt;
        }
    }
    {
        std::unique_lock lock(mutex);
        all_done.wait(lock, [&] { return streams_finished == concurrency; });
    }
    const double total_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!failure.empty()) {
        std::cerr << "hearth-cli bench: " << failure << "\n";
        return std::nullopt;
    }
    double ttft_sum = 0;
    for (const RequestStats& stats : finished) {
        ttft_sum += stats.time_to_first_token;
        m.ttft_max_ms = std::max(m.ttft_max_ms, 1000.0 * stats.time_to_first_token);
    }
    // Decode: the window in which every stream decodes (all have their first token, none has finished).
    // With one token to generate there is no such window; the rate is then that of the whole run.
    const double window = std::chrono::duration<double>(first_finished - all_started).count();
    m.decode_tps = window > 0 && tokens_at_first_finish > tokens_at_all_started
                       ? static_cast<double>(tokens_at_first_finish - tokens_at_all_started) / window
                       : static_cast<double>(tokens) / total_seconds;
    // Prefill: every prompt token computed by the time the last stream had its first token.
    m.prefill_tps = static_cast<double>(prompt_tokens * concurrency) / (m.ttft_max_ms / 1000.0);
    m.ttft_ms = 1000.0 * ttft_sum / static_cast<double>(concurrency);
    return m;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int run_bench(std::span<const std::string_view> args) {
    RunOptions options;
    long long prompt_tokens = 512, gen_tokens = 128, concurrency = 1, repeat = 1;
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
        if ((arg == "--prompt-tokens" || arg == "--gen-tokens" || arg == "--concurrency" || arg == "--repeat") &&
            i + 1 < args.size()) {
            const auto v = parse_integer(args[++i]);
            if (!v || *v < 1) {
                std::cerr << "hearth-cli bench: " << arg << " expects a whole number ≥ 1\n";
                return 2;
            }
            (arg == "--prompt-tokens" ? prompt_tokens
             : arg == "--gen-tokens"  ? gen_tokens
             : arg == "--repeat"      ? repeat
                                      : concurrency) = *v;
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
    std::vector<Measurement> runs;
    for (long long r = 0; r < repeat; ++r) {
        auto m = measure_once(*engine, prompt_tokens, gen_tokens, concurrency, r);
        if (!m) return 1;
        runs.push_back(*m);
    }
    auto median_of = [&](double Measurement::*field) {
        std::vector<double> v;
        for (const Measurement& m : runs) v.push_back(m.*field);
        return median(v);
    };
    const double bytes_per_token = static_cast<double>(model->weight_bytes_per_token());
    // One decode step reads every weight once for all streams together.
    auto weight_gbs = [&](const Measurement& m) { return bytes_per_token * m.decode_tps / static_cast<double>(concurrency) / 1e9; };
    std::vector<double> fractions;
    for (const Measurement& m : runs) fractions.push_back(weight_gbs(m) / m.bandwidth_gbs);
    const double decode_tps = median_of(&Measurement::decode_tps);
    const double prefill_tps = median_of(&Measurement::prefill_tps);
    const double ttft_ms = median_of(&Measurement::ttft_ms);
    const double ttft_max = median_of(&Measurement::ttft_max_ms) / 1000.0;
    const double bandwidth_gbs = median_of(&Measurement::bandwidth_gbs);
    const double fraction = median(fractions);
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
        {"memory_bandwidth_gbs", bandwidth_gbs},
        {"decode_bandwidth_fraction", fraction},
        {"hearth", version_with_commit()},
    };
    if (repeat > 1) {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const Measurement& m : runs)
            list.push_back({{"prefill_tokens_per_s", m.prefill_tps},
                            {"decode_tokens_per_s", m.decode_tps},
                            {"memory_bandwidth_gbs", m.bandwidth_gbs},
                            {"decode_bandwidth_fraction", weight_gbs(m) / m.bandwidth_gbs}});
        out["runs"] = std::move(list);
    }
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
              << "  memory   " << bandwidth_gbs << " GB/s (copy, " << model->threads() << " threads)\n"
              << std::setprecision(0) << "  decode reaches " << 100.0 * fraction << "% of the bandwidth limit\n";
    if (repeat > 1) {
        std::cout << "  (medians of " << repeat << " runs; decode tokens/s and fraction per run:";
        for (const Measurement& m : runs)
            std::cout << std::setprecision(1) << " " << m.decode_tps << std::setprecision(2) << " (" << weight_gbs(m) / m.bandwidth_gbs << ")";
        std::cout << ")\n";
    }
    return 0;
}

}  // namespace hearth::cli
