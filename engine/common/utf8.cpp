#include "common/utf8.h"

#include <cstdint>
#include <string>

namespace hearth {

bool is_valid_utf8(std::string_view text) {
    std::size_t i = 0;
    const std::size_t n = text.size();
    while (i < n) {
        const auto c = static_cast<std::uint8_t>(text[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        std::uint32_t code = 0;
        if ((c & 0xE0) == 0xC0) { length = 2; code = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { length = 3; code = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { length = 4; code = c & 0x07; }
        else return false;
        if (n - i < length) return false;
        for (std::size_t k = 1; k < length; ++k) {
            const auto cc = static_cast<std::uint8_t>(text[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            code = (code << 6) | (cc & 0x3F);
        }
        static constexpr std::uint32_t k_min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
        if (code < k_min_for_length[length]) return false;       // overlong
        if (code >= 0xD800 && code <= 0xDFFF) return false;      // UTF-16 surrogate
        if (code > 0x10FFFF) return false;
        i += length;
    }
    return true;
}

std::string escape_for_message(std::string_view text, std::size_t max_length) {
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string out;
    const bool valid = is_valid_utf8(text);
    for (std::size_t i = 0; i < text.size() && out.size() < max_length; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        // Valid UTF-8 beyond ASCII is shown as it is; control characters and broken bytes are escaped.
        if ((c >= 0x20 && c < 0x7F) || (valid && c >= 0x80)) {
            out += static_cast<char>(c);
        } else {
            out += "\\x";
            out += k_hex[c >> 4];
            out += k_hex[c & 0xF];
        }
    }
    if (out.size() >= max_length && text.size() > max_length) out += "…";
    return out;
}

}  // namespace hearth
