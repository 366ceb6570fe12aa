// hearth-cli generate: one prompt in, the model's continuation out (streamed, or as JSON).
#include <iostream>

#include <nlohmann/json.hpp>

#include "hearth/chat_prompt.h"
#include "hearth/generate.h"
#include "run_commands.h"
#include "run_options.h"

namespace hearth::cli {
namespace {

constexpr std::string_view k_usage =
    "usage: hearth-cli generate --model PATH --prompt TEXT [--max-tokens N] [--raw] [--json] [options]\n"
    "  --prompt TEXT         the user's message (put through the chat template unless --raw)\n"
    "  --max-tokens N        at most N new tokens (default 256)\n"
    "  --raw                 send TEXT as it is, without the chat template\n"
    "  --json                print {\"text\", \"tokens\", \"finish_reason\", …} at the end instead of streaming\n";

}  // namespace

int run_generate(std::span<const std::string_view> args) {
    RunOptions options;
    std::optional<std::string> prompt;
    long long max_tokens = 256;
    bool raw = false, json = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string error;
        if (parse_run_option(args, i, options, error, RunOptionSet::model_and_sampling)) {
            if (!error.empty()) {
                std::cerr << "hearth-cli generate: " << error << "\n";
                return 2;
            }
            continue;
        }
        const auto arg = args[i];
        if (arg == "--prompt" && i + 1 < args.size()) prompt = std::string(args[++i]);
        else if (arg == "--max-tokens" && i + 1 < args.size()) {
            const auto v = parse_integer(args[++i]);
            if (!v || *v < 1) {
                std::cerr << "hearth-cli generate: --max-tokens expects a whole number ≥ 1\n";
                return 2;
            }
            max_tokens = *v;
        } else if (arg == "--raw") raw = true;
        else if (arg == "--json") json = true;
        else {
            std::cerr << "hearth-cli generate: unexpected argument '" << arg << "'\n" << k_usage << k_model_options_usage << k_sampling_options_usage;
            return 2;
        }
    }
    if (options.model.empty() || !prompt) {
        std::cerr << "hearth-cli generate: " << (options.model.empty() ? "--model" : "--prompt") << " is required\n"
                  << k_usage << k_model_options_usage << k_sampling_options_usage;
        return 2;
    }
    if (auto problem = validate_sampling_options(options)) {
        std::cerr << "hearth-cli generate: " << *problem << "\n";
        return 2;
    }
    auto model = load_model_or_report(options, "generate");
    if (!model) return 1;
    apply_model_sampling_defaults(*model, options);
    if (model->tokenizer() == nullptr) {
        std::cerr << "hearth-cli generate: " << model->tokenizer_problem() << "; use 'hearth-cli logits' with token "
                  << "ids instead\n";
        return 1;
    }

    GenerationRequest request;
    request.sampling = options.sampling;
    request.max_tokens = max_tokens;
    if (raw) {
        request.prompt = model->tokenizer()->encode(*prompt, EncodeOptions{.add_bos = model->tokenizer()->adds_bos()});
    } else {
        auto chat = ChatPrompt::for_model(*model);
        if (!chat) {
            std::cerr << "hearth-cli generate: " << chat.error().message << "\n";
            return 1;
        }
        if (chat->is_fallback())
            std::cerr << "warning [" << template_missing_code << "]: the model has no chat template; using the "
                      << chat->source().origin << " (use --raw to send the prompt as it is)\n";
        auto tokens = chat->encode(nlohmann::ordered_json::array({{{"role", "user"}, {"content", *prompt}}}), true);
        if (!tokens) {
            std::cerr << "hearth-cli generate: " << tokens.error().message << "\n";
            return 1;
        }
        request.prompt = std::move(tokens).value();
    }

    auto session = model->start_session();
    if (!session) {
        std::cerr << "hearth-cli generate: " << session.error().message << "\n";
        return 1;
    }
    auto result = generate(**session, request, [&](std::string_view piece) {
        if (!json) std::cout << piece << std::flush;
        return true;
    });
    if (!result) {
        std::cerr << "\nhearth-cli generate: " << result.error().message << "\n";
        return 1;
    }
    if (json) {
        nlohmann::ordered_json out = {
            {"text", result->text},
            {"tokens", result->tokens},
            {"finish_reason", result->finish_reason},
            {"prompt_tokens", result->prompt_tokens},
            {"seed", result->seed},
            {"prefill_seconds", result->prefill_seconds},
            {"decode_seconds", result->decode_seconds},
        };
        std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
        std::cout << "\n";
        const double decoded = static_cast<double>(result->tokens.size()) - 1.0;
        std::cerr << "[" << result->prompt_tokens << " prompt tokens, " << result->tokens.size() << " generated, "
                  << result->finish_reason;
        if (decoded > 0 && result->decode_seconds > 0)
            std::cerr << ", " << static_cast<int>(decoded / result->decode_seconds + 0.5) << " tokens/s";
        std::cerr << "]\n";
    }
    return 0;
}

}  // namespace hearth::cli
