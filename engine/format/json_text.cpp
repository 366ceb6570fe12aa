#include "format/json_text.h"

#include "format/format_error.h"

namespace hearth::format {

void check_json_depth(std::string_view text, const std::string& file_name) {
    int depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > k_max_json_depth) {
                throw FormatError(file_name + ": nests JSON deeper than " + std::to_string(k_max_json_depth) + " levels");
            }
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
}

nlohmann::json parse_json(std::string_view text, const std::string& file_name) {
    check_json_depth(text, file_name);
    try {
        return nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::exception& e) {
        throw FormatError(file_name + ": not valid JSON: " + e.what());
    }
}

}  // namespace hearth::format
