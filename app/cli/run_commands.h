#pragma once
// The commands that run a model.
#include <span>
#include <string_view>

namespace hearth::cli {

// hearth-cli generate --model PATH --prompt TEXT [--max-tokens N] [--raw] [--json] [sampling options]
int run_generate(std::span<const std::string_view> args);
// hearth-cli chat --model PATH [--system TEXT] [sampling options]: an interactive terminal chat
int run_chat(std::span<const std::string_view> args);
// hearth-cli logits --model PATH --tokens FILE.json [--top-k K] [--json]
int run_logits(std::span<const std::string_view> args);
// hearth-cli bench --model PATH [--prompt-tokens P] [--gen-tokens G] [--threads N] [--json]
int run_bench(std::span<const std::string_view> args);
// hearth-cli doctor --model PATH [--simulate PROFILE] [--weights-dtype X] [--kv-dtype Y] [--ctx N] [--measure] [--json]
int run_doctor(std::span<const std::string_view> args);

}  // namespace hearth::cli
