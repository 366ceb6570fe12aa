#pragma once
// JSON from model folders is untrusted: parsing is depth-limited, because nlohmann::json serializes and
// compares nested values recursively, and a file of 100,000 '[' would otherwise overflow the stack.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace hearth::format {

constexpr int k_max_json_depth = 64;  // real configs nest about 4 deep; tokenizer.json about 6

// Throws FormatError("<file_name>: nests JSON deeper than 64 levels") when `text` does.
void check_json_depth(std::string_view text, const std::string& file_name);

// Depth-checked parse; throws FormatError("<file_name>: not valid JSON: …") for anything malformed.
nlohmann::json parse_json(std::string_view text, const std::string& file_name);

}  // namespace hearth::format
