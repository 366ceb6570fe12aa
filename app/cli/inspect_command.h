#pragma once
#include <span>
#include <string_view>

namespace hearth::cli {

// hearth-cli inspect PATH [--json] [--tensors]; returns the process exit code.
int run_inspect(std::span<const std::string_view> args);

}  // namespace hearth::cli
