// hearth-cli chat: an interactive conversation in the terminal, streamed, through the model's chat template.
// Each turn is a request to the Engine with the whole conversation; the engine's prefix cache finds the
// earlier turns' keys and values, so a turn computes only its new tokens.
// Ctrl+C stops the reply being written; Ctrl+D (or /exit) ends the chat; /reset starts over.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <deque>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "hearth/chat_prompt.h"
#include "hearth/engine.h"
#include "run_commands.h"
#include "run_options.h"

namespace hearth::cli {
namespace {

constexpr std::string_view k_usage =
    "usage: hearth-cli chat --model PATH [--system TEXT] [--max-tokens N] [--stats] [options]\n"
    "  type a message and press Enter; /reset starts a new conversation, /exit or Ctrl+D ends it,\n"
    "  Ctrl+C stops a reply; --stats prints each reply's time to first token and cache use on stderr\n";

std::atomic<bool> g_interrupted{false};
extern "C" void on_interrupt(int) { g_interrupted.store(true); }

// Updates of the request in flight, handed from the engine's thread to this one.
class UpdateQueue {
public:
    void push(const RequestUpdate& update) {
        {
            std::lock_guard lock(m_mutex);
            m_updates.push_back(update);
        }
        m_ready.notify_one();
    }
    // The next update, or nothing after `timeout` (so the caller can look at Ctrl+C).
    std::optional<RequestUpdate> pop(std::chrono::milliseconds timeout) {
        std::unique_lock lock(m_mutex);
        if (!m_ready.wait_for(lock, timeout, [&] { return !m_updates.empty(); })) return std::nullopt;
        RequestUpdate update = std::move(m_updates.front());
        m_updates.pop_front();
        return update;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_ready;
    std::deque<RequestUpdate> m_updates;
};

}  // namespace

int run_chat(std::span<const std::string_view> args) {
    RunOptions options;
    std::optional<std::string> system;
    long long max_tokens = 1024;
    bool show_stats = false;
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
        else if (arg == "--stats") show_stats = true;
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
    // One conversation: one request at a time, a pool of one context.
    LoadPlan one_at_a_time;
    one_at_a_time.max_running = 1;
    auto engine = load_engine_or_report(options, "chat", one_at_a_time);
    if (!engine) return 1;
    const LanguageModel& model = engine->model();
    apply_model_sampling_defaults(model, options);
    auto chat = ChatPrompt::for_model(model);
    if (!chat) {
        std::cerr << "hearth-cli chat: " << chat.error().message << "\n";
        return 1;
    }
    if (chat->is_fallback())
        std::cerr << "warning [" << template_missing_code << "]: the model has no chat template; using the "
                  << chat->source().origin << "\n";
    std::signal(SIGINT, on_interrupt);

    const bool interactive = isatty(STDIN_FILENO) != 0;
    auto fresh_conversation = [&] {
        nlohmann::ordered_json messages = nlohmann::ordered_json::array();
        if (system) messages.push_back({{"role", "system"}, {"content", *system}});
        return messages;
    };
    nlohmann::ordered_json messages = fresh_conversation();
    const std::int64_t context = engine->context_length();
    if (interactive)
        std::cerr << model.info().name << " — " << model.threads() << " threads, context " << context
                  << " tokens. /reset, /exit\n";
    std::string line;
    for (;;) {
        if (interactive) std::cout << "> " << std::flush;
        g_interrupted.store(false);
        if (!std::getline(std::cin, line)) break;
        if (line == "/exit" || line == "/quit") break;
        if (line == "/reset") {
            messages = fresh_conversation();
            continue;
        }
        if (line.empty()) continue;
        messages.push_back({{"role", "user"}, {"content", line}});

        auto tokens = chat->encode(messages, true);
        // Forget the oldest turns (never the system message) until the conversation fits with room to answer.
        const auto limit = static_cast<std::size_t>(std::max<std::int64_t>(context - 64, 1));
        while (tokens && tokens->size() > limit && messages.size() > (system ? 2u : 1u)) {
            messages.erase(messages.begin() + (system ? 1 : 0));
            tokens = chat->encode(messages, true);
        }
        if (!tokens) {
            std::cerr << "hearth-cli chat: " << tokens.error().message << "\n";
            return 1;
        }
        if (tokens->size() > limit) {
            std::cerr << "(that message is too long for the context of " << context << " tokens)\n";
            messages.erase(messages.end() - 1);
            continue;
        }

        UpdateQueue updates;
        Request request;
        request.messages = messages;
        request.sampling = options.sampling;
        request.max_tokens = max_tokens;
        request.on_update = [&updates](const RequestUpdate& update) { updates.push(update); };
        auto id = engine->submit(std::move(request));
        if (!id) {
            std::cerr << "hearth-cli chat: " << id.error().message << "\n";
            return 1;
        }
        std::string reply;
        bool cancel_sent = false;
        RequestUpdate last;
        for (;;) {
            auto update = updates.pop(std::chrono::milliseconds(50));
            if (g_interrupted.load() && !cancel_sent) {
                engine->cancel(*id);
                cancel_sent = true;
            }
            if (!update) continue;
            std::cout << update->text << std::flush;
            reply += update->text;
            if (update->finish) {
                last = std::move(*update);
                break;
            }
        }
        std::cout << "\n";
        if (last.finish == FinishReason::error) {
            std::cerr << "hearth-cli chat: " << last.error << "\n";
            return 1;
        }
        if (last.finish == FinishReason::cancelled) std::cerr << "(stopped)\n";
        if (show_stats) {
            const RequestStats& s = last.stats;
            std::cerr << std::fixed << std::setprecision(1) << "[" << s.prompt_tokens << " prompt tokens, "
                      << s.cached_prompt_tokens << " from the prefix cache; first token after "
                      << s.time_to_first_token * 1000.0 << " ms; " << s.generated_tokens << " tokens at "
                      << (s.decode_seconds > 0 ? static_cast<double>(s.generated_tokens - 1) / s.decode_seconds : 0.0)
                      << " tokens/s]\n";
        }
        messages.push_back({{"role", "assistant"}, {"content", reply}});
    }
    return 0;
}

}  // namespace hearth::cli
