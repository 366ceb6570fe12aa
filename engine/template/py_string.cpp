#include <cstdio>
#include "template/py_string.h"

#include <algorithm>

#include "common/unicode_case.h"
#include "template/slice.h"
#include "template/value.h"

namespace hearth::jinja {

std::u32string decode(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b0 = static_cast<unsigned char>(s[i]);
        int extra = 0;
        char32_t c = 0;
        char32_t min = 0;
        if (b0 < 0x80) { out.push_back(b0); ++i; continue; }
        if ((b0 & 0xE0) == 0xC0) { extra = 1; c = b0 & 0x1F; min = 0x80; }
        else if ((b0 & 0xF0) == 0xE0) { extra = 2; c = b0 & 0x0F; min = 0x800; }
        else if ((b0 & 0xF8) == 0xF0) { extra = 3; c = b0 & 0x07; min = 0x10000; }
        else { out.push_back(0xDC00 + b0); ++i; continue; }
        bool ok = i + static_cast<std::size_t>(extra) < s.size();
        for (int k = 1; ok && k <= extra; ++k) {
            const auto b = static_cast<unsigned char>(s[i + k]);
            if ((b & 0xC0) != 0x80) ok = false;
            else c = (c << 6) | (b & 0x3F);
        }
        if (!ok || c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
            out.push_back(0xDC00 + b0);
            ++i;
            continue;
        }
        out.push_back(c);
        i += 1 + extra;
    }
    return out;
}

void append_code_point(std::string& out, char32_t c) {
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c >= 0xDC80 && c <= 0xDCFF) {
        out.push_back(static_cast<char>(c - 0xDC00));  // an undecodable byte, restored
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

void append_python_escape(std::string& out, char32_t c) {
    char buf[16];
    if (c < 0x100) std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(c));
    else if (c < 0x10000) std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
    else std::snprintf(buf, sizeof buf, "\\U%08x", static_cast<unsigned>(c));
    out += buf;
}

std::string encode(std::u32string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char32_t c : text) append_code_point(out, c);
    return out;
}

std::size_t code_point_count(std::string_view s) {
    // Fast path for valid UTF-8: count the bytes that are not continuation bytes.
    std::size_t n = 0;
    bool plain = true;
    for (unsigned char b : s) {
        if (b >= 0x80) { plain = false; break; }
        ++n;
    }
    return plain ? n : decode(s).size();
}

bool is_space(char32_t c) {
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
           c == 0x3000;
}

bool is_printable(char32_t c) {
    if (c == ' ') return true;
    if (c < 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0xAD) return false;
    if (is_space(c)) return false;
    if ((c >= 0x600 && c <= 0x605) || c == 0x61C || c == 0x6DD || c == 0x70F || c == 0x180E) return false;
    if ((c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F)) return false;
    if (c >= 0xD800 && c <= 0xF8FF) return false;  // surrogates, private use
    if (c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB) || c == 0xFFFE || c == 0xFFFF) return false;
    if (c >= 0xE0000 && c <= 0xE007F) return false;
    if (c >= 0xF0000) return false;
    return true;
}

char32_t to_upper(char32_t c) { return simple_upper(c); }
char32_t to_lower(char32_t c) { return simple_lower(c); }

bool is_cased(char32_t c) { return to_upper(c) != c || to_lower(c) != c || c == 0xDF; }

bool is_alpha(char32_t c) {
    return is_cased(c) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3040 && c <= 0x30FF) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x600 && c <= 0x6FF && !(c >= 0x660 && c <= 0x669));
}

namespace {

template <class F>
std::string map_chars(std::string_view s, F f) {
    std::string out;
    out.reserve(s.size());
    for (char32_t c : decode(s)) append_code_point(out, f(c));
    return out;
}

}  // namespace

std::string py_upper(std::string_view s) { return map_chars(s, to_upper); }
std::string py_lower(std::string_view s) { return map_chars(s, to_lower); }

std::string py_capitalize(std::string_view s) {
    auto text = decode(s);
    for (std::size_t i = 0; i < text.size(); ++i) text[i] = i == 0 ? to_upper(text[i]) : to_lower(text[i]);
    return encode(text);
}

std::string py_title(std::string_view s) {
    auto text = decode(s);
    bool previous_cased = false;
    for (auto& c : text) {
        c = previous_cased ? to_lower(c) : to_upper(c);
        previous_cased = is_cased(c);
    }
    return encode(text);
}

std::string py_strip(std::string_view s, const std::optional<std::string>& chars, bool left, bool right) {
    if (!chars) {
        // Fast path: ASCII whitespace at the ends, then the rare Unicode spaces.
        const auto text = decode(s);
        std::size_t b = 0, e = text.size();
        if (left) while (b < e && is_space(text[b])) ++b;
        if (right) while (e > b && is_space(text[e - 1])) --e;
        return encode(std::u32string_view(text).substr(b, e - b));
    }
    const auto set = decode(*chars);
    const auto text = decode(s);
    auto in_set = [&](char32_t c) { return set.find(c) != std::u32string::npos; };
    std::size_t b = 0, e = text.size();
    if (left) while (b < e && in_set(text[b])) ++b;
    if (right) while (e > b && in_set(text[e - 1])) --e;
    return encode(std::u32string_view(text).substr(b, e - b));
}

std::vector<std::string> py_split(std::string_view s, const std::optional<std::string>& sep,
                                  long long maxsplit, bool from_right) {
    std::vector<std::string> parts;
    if (sep) {
        if (sep->empty()) fail("empty separator");
        if (!from_right) {
            std::size_t pos = 0;
            while (maxsplit < 0 || static_cast<long long>(parts.size()) < maxsplit) {
                const auto hit = s.find(*sep, pos);
                if (hit == std::string_view::npos) break;
                parts.emplace_back(s.substr(pos, hit - pos));
                pos = hit + sep->size();
            }
            parts.emplace_back(s.substr(pos));
        } else {
            std::size_t end = s.size();
            std::vector<std::string> rev;
            while (maxsplit < 0 || static_cast<long long>(rev.size()) < maxsplit) {
                if (end < sep->size()) break;
                const auto hit = s.substr(0, end).rfind(*sep);
                if (hit == std::string_view::npos) break;
                rev.emplace_back(s.substr(hit + sep->size(), end - hit - sep->size()));
                end = hit;
            }
            rev.emplace_back(s.substr(0, end));
            parts.assign(rev.rbegin(), rev.rend());
        }
        return parts;
    }
    const auto text = decode(s);
    if (!from_right) {
        std::size_t i = 0;
        while (true) {
            while (i < text.size() && is_space(text[i])) ++i;
            if (i == text.size()) break;
            if (maxsplit >= 0 && static_cast<long long>(parts.size()) == maxsplit) {
                std::size_t e = text.size();
                while (e > i && is_space(text[e - 1])) --e;
                parts.push_back(encode(std::u32string_view(text).substr(i, e - i)));
                break;
            }
            std::size_t j = i;
            while (j < text.size() && !is_space(text[j])) ++j;
            parts.push_back(encode(std::u32string_view(text).substr(i, j - i)));
            i = j;
        }
        return parts;
    }
    std::vector<std::string> rev;
    std::size_t e = text.size();
    while (true) {
        while (e > 0 && is_space(text[e - 1])) --e;
        if (e == 0) break;
        if (maxsplit >= 0 && static_cast<long long>(rev.size()) == maxsplit) {
            std::size_t b = 0;
            while (b < e && is_space(text[b])) ++b;
            rev.push_back(encode(std::u32string_view(text).substr(b, e - b)));
            break;
        }
        std::size_t b = e;
        while (b > 0 && !is_space(text[b - 1])) --b;
        rev.push_back(encode(std::u32string_view(text).substr(b, e - b)));
        e = b;
    }
    parts.assign(rev.rbegin(), rev.rend());
    return parts;
}

std::vector<std::string> py_splitlines(std::string_view s) {
    const auto text = decode(s);
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char32_t c = text[i];
        const bool brk = c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || (c >= 0x1C && c <= 0x1E) ||
                         c == 0x85 || c == 0x2028 || c == 0x2029;
        if (!brk) continue;
        lines.push_back(encode(std::u32string_view(text).substr(start, i - start)));
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        start = i + 1;
    }
    if (start < text.size()) lines.push_back(encode(std::u32string_view(text).substr(start)));
    return lines;
}

std::string py_replace(std::string_view s, std::string_view old, std::string_view replacement,
                       long long count) {
    std::string out;
    if (old.empty()) {
        const auto text = decode(s);
        long long done = 0;
        for (char32_t c : text) {
            if (count < 0 || done < count) { out += replacement; ++done; }
            append_code_point(out, c);
        }
        if (count < 0 || done < count) out += replacement;
        return out;
    }
    std::size_t pos = 0;
    long long done = 0;
    while (count < 0 || done < count) {
        const auto hit = s.find(old, pos);
        if (hit == std::string_view::npos) break;
        out.append(s.substr(pos, hit - pos));
        out.append(replacement);
        pos = hit + old.size();
        ++done;
    }
    out.append(s.substr(pos));
    return out;
}

long long py_count(std::string_view s, std::string_view sub) {
    if (sub.empty()) return static_cast<long long>(code_point_count(s)) + 1;
    long long n = 0;
    for (std::size_t pos = s.find(sub); pos != std::string_view::npos; pos = s.find(sub, pos + sub.size())) ++n;
    return n;
}

long long py_find(std::string_view s, std::string_view sub, bool from_right) {
    const auto hit = from_right ? s.rfind(sub) : s.find(sub);
    if (hit == std::string_view::npos) return -1;
    return static_cast<long long>(code_point_count(s.substr(0, hit)));
}

std::string py_slice(std::string_view s, std::optional<long long> start, std::optional<long long> stop,
                     long long step) {
    const auto text = decode(s);
    std::string out;
    for (std::size_t i : slice_indices(text.size(), start, stop, step)) append_code_point(out, text[i]);
    return out;
}

}  // namespace hearth::jinja
