#pragma once
// Options shared by the commands that run a model (generate, chat, logits, bench): which model, how many
// threads, which matmul path, how to sample. Each command parses its own extras and hands the rest here.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "hearth/engine.h"
#include "hearth/language_model.h"
#include "hearth/sampling.h"

namespace hearth::cli {

struct RunOptions {
    std::string model;
    ModelLoadOptions load;
    SamplingParams sampling;
    bool temperature_given = false;
};

// Which run options a command takes: every command loads a model; only generate and chat sample.
enum class RunOptionSet { model, model_and_sampling };

// Consumes args[i] (and its value) when it is a run option of `set`; returns true then. Sets `error` when
// the option is known but its value is not valid.
bool parse_run_option(std::span<const std::string_view> args, std::size_t& i, RunOptions& options,
                      std::string& error, RunOptionSet set);

// Usage text for the model options, and for the sampling options of generate and chat.
extern const char* const k_model_options_usage;
extern const char* const k_sampling_options_usage;

// Reads an integer / a number from an option value; nullopt when it is not one.
std::optional<long long> parse_integer(std::string_view text);
std::optional<double> parse_number(std::string_view text);

// SamplingParams::validate() for the command line: nothing, or the problem worded with the option's name
// ("--top-p must be …" instead of "top_p must be …").
std::optional<std::string> validate_sampling_options(const RunOptions& options);

// Loads the model, with a progress line on stderr when it is a terminal. Errors are printed; nullptr then.
std::unique_ptr<LanguageModel> load_model_or_report(const RunOptions& options, std::string_view command);

// The same for an Engine: the plan is `extras` (pool size, concurrency) with the model and the model options
// filled in from `options`.
std::unique_ptr<Engine> load_engine_or_report(const RunOptions& options, std::string_view command,
                                              const LoadPlan& extras = {});

// "fp8-e4m3" → F8_E4M3 and the like: the --kv-cache values.
std::optional<TensorType> parse_kv_cache_type(std::string_view text);

// Fills sampling fields the user did not give from the model's generation_config defaults.
void apply_model_sampling_defaults(const LanguageModel& model, RunOptions& options);

}  // namespace hearth::cli
