// hearth-cli chat: an interactive conversation in the terminal, streamed, through the model's chat template.
// Ctrl+C stops the reply being written; Ctrl+D (or /exit) ends the chat; /reset starts over.
#include <algorithm>
#include <atomic>
#include <csignal>
#include <iostream>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "hearth/chat_prompt.h"
#include "hearth/generate.h"
#include "run_commands.h"
#include "run_options.h"

namespace hearth::cli {
namespace {

constexpr std::string_view k_usage =
    "usage: hearth-cli chat --model PATH [--system TEXT] [--max-tokens N] [options]\n"
    "  type a message and press Enter; /reset starts a new conversation, /exit or Ctrl+D ends it,\n"
    "  Ctrl+C stops a reply\n";

std::atomic<bool> g_interrupted{false};
extern "C" void on_interrupt(int) { g_interrupted.store(true); }

std::size_t common_prefix(const std::vector<TokenId>& a, const std::vector<TokenId>& b) {
    return static_cast<std::size_t>(std::mismatch(a.begin(), a.end(), b.begin(), b.end()).first - a.begin());
}

}  // namespace

int run_chat(std::span<const std::string_view> args) {
    RunOptions options;
    std::optional<std::string> system;
    long long max_tokens = 1024;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string error;
        if (parse_run_option(args, i, options, error, RunOptionSet::model_and_sampling)) {
            if (!error.empty()) {
                std::cerr << "hearth-cli chat: " << error << "\n";
                return 2;
            }
            continue;
        }
        const auto arg = args[i];
        if (arg == "--system" && i + 1 < args.size()) system = std::string(args[++i]);
        else if (arg == "--max-tokens" && i + 1 < args.size()) {
            const auto v = parse_integer(args[++i]);
            if (!v || *v < 1) {
                std::cerr << "hearth-cli chat: --max-tokens expects a whole number ≥ 1\n";
                return 2;
            }
            max_tokens = *v;
        } else {
            std::cerr << "hearth-cli chat: unexpected argument '" << arg << "'\n" << k_usage << k_model_options_usage << k_sampling_options_usage;
            return 2;
        }
    }
    if (options.model.empty()) {
        std::cerr << "hearth-cli chat: --model is required\n" << k_usage << k_model_options_usage << k_sampling_options_usage;
        return 2;
    }
    if (auto problem = validate_sampling_options(options)) {
        std::cerr << "hearth-cli chat: " << *problem << "\n";
        return 2;
    }
    auto model = load_model_or_report(options, "chat");
    if (!model) return 1;
    apply_model_sampling_defaults(*model, options);
    auto chat = ChatPrompt::for_model(*model);
    if (!chat) {
        std::cerr << "hearth-cli chat: " << chat.error().message << "\n";
        return 1;
    }
    if (chat->is_fallback())
        std::cerr << "warning [" << template_missing_code << "]: the model has no chat template; using the "
                  << chat->source().origin << "\n";
    auto started = model->start_session();
    if (!started) {
        std::cerr << "hearth-cli chat: " << started.error().message << "\n";
        return 1;
    }
    Session& session = **started;
    std::signal(SIGINT, on_interrupt);

    const bool interactive = isatty(STDIN_FILENO) != 0;
    auto fresh_conversation = [&] {
        nlohmann::ordered_json messages = nlohmann::ordered_json::array();
        if (system) messages.push_back({{"role", "system"}, {"content", *system}});
        return messages;
    };
    nlohmann::ordered_json messages = fresh_conversation();
    if (interactive)
        std::cerr << model->info().name << " — " << model->threads() << " threads, context "
                  << model->context_length() << " tokens. /reset, /exit\n";
    std::string line;
    for (;;) {
        if (interactive) std::cout << "> " << std::flush;
        g_interrupted.store(false);
        if (!std::getline(std::cin, line)) break;
        if (line == "/exit" || line == "/quit") break;
        if (line == "/reset") {
            messages = fresh_conversation();
            session.reset();
            continue;
        }
        if (line.empty()) continue;
        messages.push_back({{"role", "user"}, {"content", line}});

        auto tokens = chat->encode(messages, true);
        // Forget the oldest turns (never the system message) until the conversation fits with room to answer.
        const auto limit = static_cast<std::size_t>(std::max<std::int64_t>(session.capacity() - 64, 1));
        while (tokens && tokens->size() > limit && messages.size() > (system ? 2u : 1u)) {
            messages.erase(messages.begin() + (system ? 1 : 0));
            tokens = chat->encode(messages, true);
        }
        if (!tokens) {
            std::cerr << "hearth-cli chat: " << tokens.error().message << "\n";
            return 1;
        }
        if (tokens->size() > limit) {
            std::cerr << "(that message is too long for the context of " << session.capacity() << " tokens)\n";
            messages.erase(messages.end() - 1);
            continue;
        }
        // Reuse the cache for everything the new prompt shares with what the session holds.
        std::size_t shared = common_prefix(session.tokens(), *tokens);
        if (shared == tokens->size()) --shared;  // at least one token must run to get logits
        session.truncate(static_cast<std::int64_t>(shared));

        GenerationRequest request;
        request.sampling = options.sampling;
        request.max_tokens = max_tokens;
        request.prompt.assign(tokens->begin() + static_cast<std::ptrdiff_t>(shared), tokens->end());
        auto result = generate(session, request, [&](std::string_view piece) {
            std::cout << piece << std::flush;
            return !g_interrupted.load();
        });
        std::cout << "\n";
        if (!result) {
            std::cerr << "hearth-cli chat: " << result.error().message << "\n";
            return 1;
        }
        if (result->finish_reason == "cancelled") std::cerr << "(stopped)\n";
        messages.push_back({{"role", "assistant"}, {"content", result->text}});
    }
    return 0;
}

}  // namespace hearth::cli
