#pragma once
#include <span>
#include <string_view>

namespace hearth::cli {

// hearth-cli tokenize --model PATH [--json] [--parse-special] [--add-bos] TEXT
int run_tokenize(std::span<const std::string_view> args);
// hearth-cli detokenize --model PATH IDS…
int run_detokenize(std::span<const std::string_view> args);

}  // namespace hearth::cli
