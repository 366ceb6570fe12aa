#pragma once
#include <span>
#include <string_view>

namespace hearth::cli {

// hearth-cli template --model PATH --messages FILE.json [--add-generation-prompt]
int run_template(std::span<const std::string_view> args);

}  // namespace hearth::cli
