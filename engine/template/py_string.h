#pragma once
// Python str semantics on UTF-8 text: code points, whitespace, case, strip/split.
// NOTE: bytes that are not valid UTF-8 decode to U+DC80..U+DCFF and encode back to the same byte
// (Python's "surrogateescape"), so no input byte is ever lost or changed by a round trip.
// Case mapping covers ASCII and Latin-1 only; other scripts pass through unchanged.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::jinja {

std::u32string decode(std::string_view utf8);
std::string encode(std::u32string_view text);
void append_code_point(std::string& out, char32_t c);
// Python's escape of a code point: \xNN below U+0100, \uNNNN below U+10000, else \UNNNNNNNN.
void append_python_escape(std::string& out, char32_t c);
std::size_t code_point_count(std::string_view utf8);

bool is_space(char32_t c);       // str.isspace()
bool is_printable(char32_t c);   // str.isprintable(), approximately (controls, separators, format chars)
char32_t to_upper(char32_t c);
char32_t to_lower(char32_t c);
bool is_alpha(char32_t c);
bool is_cased(char32_t c);

std::string py_upper(std::string_view s);
std::string py_lower(std::string_view s);
std::string py_capitalize(std::string_view s);
std::string py_title(std::string_view s);  // str.title()

// str.strip / lstrip / rstrip; `chars` absent: whitespace.
std::string py_strip(std::string_view s, const std::optional<std::string>& chars, bool left, bool right);
// str.split(sep, maxsplit) and str.rsplit; `sep` absent: runs of whitespace.
std::vector<std::string> py_split(std::string_view s, const std::optional<std::string>& sep,
                                  long long maxsplit, bool from_right);
std::vector<std::string> py_splitlines(std::string_view s);
std::string py_replace(std::string_view s, std::string_view old, std::string_view replacement,
                       long long count);
long long py_count(std::string_view s, std::string_view sub);
// str.find / rfind in code points, -1 when absent.
long long py_find(std::string_view s, std::string_view sub, bool from_right);

// s[start:stop:step] in code points, with Python's clamping; absent bounds are std::nullopt.
std::string py_slice(std::string_view s, std::optional<long long> start, std::optional<long long> stop,
                     long long step);

}  // namespace hearth::jinja
