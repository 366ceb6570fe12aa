#pragma once
// Building findings: a code, a severity and named values; the words come from one table
// (finding_text.cpp), so every message lives in one place, ready for translation.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hearth/load_plan.h"

namespace hearth::planner {

using Args = std::vector<std::pair<std::string, std::string>>;

// The finding for `code` (with `variant` when a code has several wordings, e.g. "bf16-unsupported" as a
// warning when Hearth converts and as a refusal when the user insisted), its text rendered from `args`.
Finding make_finding(std::string_view code, Severity severity, Args args, std::string_view variant = {});

// Replaces each {name} in `text` by its value in `args`; unknown names stay as they are.
std::string render(std::string_view text, const Args& args);

// "1.5 GiB", "820 MiB", "12 KiB": memory sizes for people.
std::string format_bytes(std::uint64_t bytes);
// "12,345": counts for people.
std::string format_count(std::uint64_t n);

}  // namespace hearth::planner
