#pragma once
#include <string>
#include <string_view>

namespace hearth {

// True if `text` is well-formed UTF-8: no stray continuation bytes, no overlong forms, no surrogates,
// nothing above U+10FFFF. Keys and names in model files are checked with it before anyone prints them.
bool is_valid_utf8(std::string_view text);

// `text` with every byte that is not printable ASCII written as \xNN: safe to put into an error message
// whatever the file contained.
std::string escape_for_message(std::string_view text, std::size_t max_length = 200);

// escape_for_message() in single quotes: how readers name a key or tensor in an error.
// (Appended piece by piece: GCC 12's -O3 warns falsely, -Wrestrict, about "'" + std::string&&.)
inline std::string quoted_for_message(std::string_view text) {
    const std::string escaped = escape_for_message(text);
    std::string out;
    out.reserve(escaped.size() + 2);
    out += '\'';
    out += escaped;
    out += '\'';
    return out;
}

}  // namespace hearth
