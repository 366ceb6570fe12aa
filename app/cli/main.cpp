// hearth-cli: inspect models (and, as the engine grows, generate, chat, bench) from a terminal.
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/spdlog.h>

#include "inspect_command.h"
#include "run_commands.h"
#include "template_command.h"
#include "tokenize_command.h"
#include "hearth/logging.h"
#include "hearth/version.h"

namespace {

constexpr std::string_view k_usage = R"(usage: hearth-cli [--log-level LEVEL] COMMAND [ARGS]

commands:
  inspect PATH [--json] [--tensors]   what a GGUF file or Hugging Face folder holds
  tokenize --model PATH [--json] [--parse-special] [--add-bos] TEXT
                                      token ids of TEXT (control-token text stays text unless --parse-special)
  detokenize --model PATH IDS...      the text of token ids
  template --model PATH --messages FILE.json [--add-generation-prompt]
                                      the prompt the model's chat template makes of a conversation
  generate --model PATH --prompt TEXT [--max-tokens N] [--raw] [--json] [sampling options]
                                      the model's answer to one prompt, streamed
  chat --model PATH [--system TEXT]   an interactive chat in the terminal
  logits --model PATH --tokens FILE.json [--top-k K] [--json]
                                      top-k logits and log-sum-exp at every position of a token sequence
  bench --model PATH [--prompt-tokens P] [--gen-tokens G] [--threads N] [--json]
                                      prefill and decode speed, against the measured memory bandwidth
  doctor --model PATH [--simulate PROFILE] [--weights-dtype X] [--kv-dtype Y] [--ctx N] [--measure] [--json]
                                      what loading the model would do here (or on a simulated GPU), and why
  (each command's --help-less usage lists its options: run it without arguments)

options:
  --version            print the version and exit
  --log-level LEVEL    trace, debug, info, warn, error, critical or off (default: $HEARTH_LOG, else info)
  -h, --help           this help
)";

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string_view> args(argv + 1, argv + argc);
    std::optional<std::string_view> log_level;
    std::size_t i = 0;
    for (; i < args.size(); ++i) {
        const auto arg = args[i];
        if (arg == "--version") {
            std::cout << "hearth-cli " << hearth::version_with_commit() << "\n";
            return 0;
        }
        if (arg == "-h" || arg == "--help") {
            std::cout << k_usage;
            return 0;
        }
        if (arg == "--log-level") {
            if (i + 1 >= args.size()) {
                std::cerr << "hearth-cli: --log-level needs a value\n";
                return 2;
            }
            log_level = args[++i];
            if (auto problem = hearth::validate_log_level(*log_level)) {
                std::cerr << "hearth-cli: " << *problem << "\n";
                return 2;
            }
            continue;
        }
        if (arg.starts_with("--log-level=")) {
            log_level = arg.substr(12);
            if (auto problem = hearth::validate_log_level(*log_level)) {
                std::cerr << "hearth-cli: " << *problem << "\n";
                return 2;
            }
            continue;
        }
        break;
    }
    hearth::setup_logging(log_level, "hearth-cli");
    if (i >= args.size()) {
        std::cerr << k_usage;
        return 2;
    }
    const auto command = args[i];
    const std::span<const std::string_view> rest(args.data() + i + 1, args.size() - i - 1);
    spdlog::debug("hearth-cli {} {}", hearth::version_with_commit(), command);
    if (command == "inspect") return hearth::cli::run_inspect(rest);
    if (command == "tokenize") return hearth::cli::run_tokenize(rest);
    if (command == "detokenize") return hearth::cli::run_detokenize(rest);
    if (command == "template") return hearth::cli::run_template(rest);
    if (command == "generate") return hearth::cli::run_generate(rest);
    if (command == "chat") return hearth::cli::run_chat(rest);
    if (command == "logits") return hearth::cli::run_logits(rest);
    if (command == "bench") return hearth::cli::run_bench(rest);
    if (command == "doctor") return hearth::cli::run_doctor(rest);
    std::cerr << "hearth-cli: unknown command '" << command << "'\n\n" << k_usage;
    return 2;
}
