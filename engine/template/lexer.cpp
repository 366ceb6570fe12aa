#include "template/lexer.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "template/py_string.h"
#include "template/value.h"

namespace hearth::jinja {
namespace {

[[noreturn]] void syntax_error(std::string message, int line) { throw RenderError{std::move(message), line}; }

int count_newlines(std::string_view s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

// Length of the run of Python whitespace (regex \s) starting at `pos`.
std::size_t whitespace_run(std::string_view s, std::size_t pos) {
    std::size_t i = pos;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            if (!is_space(b)) break;
            ++i;
            continue;
        }
        // A multi-byte character: decode just this one.
        std::size_t len = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
        const auto cps = decode(s.substr(i, len));
        if (cps.size() != 1 || !is_space(cps[0])) break;
        i += len;
    }
    return i - pos;
}

std::string rstrip_whitespace(std::string_view s) {
    // Python's str.rstrip(): trailing Unicode whitespace.
    std::size_t end = s.size();
    while (end > 0) {
        std::size_t start = end - 1;
        while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
        const auto cps = decode(s.substr(start, end - start));
        if (cps.size() != 1 || !is_space(cps[0])) break;
        end = start;
    }
    return std::string(s.substr(0, end));
}

// Python's unicode-escape decoding of a string literal's body (after Jinja's backslashreplace step, which
// makes a backslash directly before a non-ASCII character escape the backslash of that character's
// \x/\u/\U spelling instead).
std::string unescape(std::string_view body, int line) {
    std::string out;
    const auto text = decode(body);
    auto hex = [&](std::size_t& i, int digits, std::string_view kind) -> char32_t {
        char32_t v = 0;
        for (int k = 0; k < digits; ++k) {
            if (i >= text.size() || !std::isxdigit(static_cast<int>(text[i] < 0x80 ? text[i] : 0)))
                syntax_error("truncated " + std::string(kind) + " escape in a string literal", line);
            const char32_t c = text[i++];
            v = v * 16 + static_cast<char32_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        return v;
    };
    for (std::size_t i = 0; i < text.size();) {
        char32_t c = text[i++];
        if (c != '\\') { append_code_point(out, c); continue; }
        if (i >= text.size()) { out.push_back('\\'); break; }
        c = text[i++];
        switch (c) {
        case '\n': break;
        case '\\': out.push_back('\\'); break;
        case '\'': out.push_back('\''); break;
        case '"': out.push_back('"'); break;
        case 'a': out.push_back('\a'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'v': out.push_back('\v'); break;
        case 'x': append_code_point(out, hex(i, 2, "\\xXX")); break;
        case 'u': append_code_point(out, hex(i, 4, "\\uXXXX")); break;
        case 'U': {
            const char32_t v = hex(i, 8, "\\UXXXXXXXX");
            if (v > 0x10FFFF) syntax_error("illegal Unicode character in a string literal", line);
            append_code_point(out, v);
            break;
        }
        case 'N': syntax_error("\\N{...} escapes are not supported in chat templates", line);
        default:
            if (c >= '0' && c <= '7') {
                char32_t v = c - '0';
                for (int k = 0; k < 2 && i < text.size() && text[i] >= '0' && text[i] <= '7'; ++k)
                    v = v * 8 + (text[i++] - '0');
                append_code_point(out, v);
            } else if (c >= 0x80) {
                // "\é" is "\\xe9" after backslashreplace: an escaped backslash, then "xe9".
                append_python_escape(out, c);
            } else {
                out.push_back('\\');
                append_code_point(out, c);
            }
        }
    }
    return out;
}

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

class Lexer {
public:
    explicit Lexer(std::string src) : m_src(std::move(src)) {}

    std::vector<Token> run() {
        while (m_pos < m_src.size()) {
            const std::size_t tag = next_tag(m_pos);
            if (tag == std::string::npos) {
                emit_data(m_src.substr(m_pos), m_line);
                m_line += count_newlines(std::string_view(m_src).substr(m_pos));
                m_pos = m_src.size();
                break;
            }
            const char kind = m_src[tag + 1];  // '{', '%' or '#'
            char sign = tag + 2 < m_src.size() ? m_src[tag + 2] : '\0';
            if (sign != '-' && sign != '+') sign = '\0';
            const std::string_view raw_text = std::string_view(m_src).substr(m_pos, tag - m_pos);
            emit_data(apply_lstrip(raw_text, sign, kind != '{'), m_line);
            m_line += count_newlines(raw_text);
            m_pos = tag + 2 + (sign ? 1 : 0);
            if (kind == '#') lex_comment();
            else if (kind == '%' && try_raw(tag)) continue;
            else lex_tag(kind == '%');
        }
        m_tokens.push_back({TokenType::eof, {}, m_line});
        return std::move(m_tokens);
    }

private:
    std::string m_src;
    std::size_t m_pos = 0;
    int m_line = 1;
    bool m_line_starting = true;
    std::vector<Token> m_tokens;

    std::size_t next_tag(std::size_t from) const {
        for (std::size_t p = m_src.find('{', from); p != std::string::npos; p = m_src.find('{', p + 1)) {
            if (p + 1 < m_src.size() && (m_src[p + 1] == '{' || m_src[p + 1] == '%' || m_src[p + 1] == '#'))
                return p;
        }
        return std::string::npos;
    }

    std::string apply_lstrip(std::string_view text, char sign, bool block_or_comment) const {
        if (sign == '-') return rstrip_whitespace(text);
        if (sign == '+' || !block_or_comment) return std::string(text);
        const auto nl = text.rfind('\n');
        const std::size_t l_pos = nl == std::string_view::npos ? 0 : nl + 1;
        if (l_pos > 0 || m_line_starting) {
            const auto rest = text.substr(l_pos);
            if (!rest.empty() && whitespace_run(rest, 0) == rest.size()) return std::string(text.substr(0, l_pos));
        }
        return std::string(text);
    }

    void emit_data(std::string text, int line) {
        if (!text.empty()) m_tokens.push_back({TokenType::data, std::move(text), line});
    }

    // After an end delimiter: `-` strips all following whitespace, `+` nothing, otherwise trim_blocks
    // drops one newline. Sets line_starting from the last character consumed, as Jinja2 does.
    void after_end(char sign, bool trim_newline, std::size_t end) {
        std::size_t p = end;
        if (sign == '-') p += whitespace_run(m_src, p);
        else if (sign != '+' && trim_newline && p < m_src.size() && m_src[p] == '\n') ++p;
        m_line += count_newlines(std::string_view(m_src).substr(end, p - end));
        m_line_starting = p > 0 && m_src[p - 1] == '\n';
        m_pos = p;
    }

    void lex_comment() {
        const int start_line = m_line;
        const auto close = m_src.find("#}", m_pos);
        if (close == std::string::npos) syntax_error("missing end of comment tag", start_line);
        char sign = '\0';
        if (close > m_pos && (m_src[close - 1] == '-' || m_src[close - 1] == '+')) sign = m_src[close - 1];
        m_line += count_newlines(std::string_view(m_src).substr(m_pos, close - m_pos));
        after_end(sign, true, close + 2);
    }

    // {% raw %}…{% endraw %}: the body is data, untouched.
    bool try_raw(std::size_t tag) {
        std::size_t p = m_pos;
        p += whitespace_run(m_src, p);
        if (m_src.compare(p, 3, "raw") != 0) return false;
        p += 3;
        p += whitespace_run(m_src, p);
        bool dash = false;
        if (m_src.compare(p, 3, "-%}") == 0) { dash = true; p += 3; }
        else if (m_src.compare(p, 2, "%}") == 0) p += 2;
        else return false;
        const int raw_line = m_line;
        m_line += count_newlines(std::string_view(m_src).substr(m_pos, p - m_pos));
        if (dash) {
            const auto ws = whitespace_run(m_src, p);
            m_line += count_newlines(std::string_view(m_src).substr(p, ws));
            p += ws;
        }
        m_line_starting = m_src[p - 1] == '\n';
        // Find {%[-+]? endraw [-+]?%}
        for (std::size_t q = m_src.find("{%", p); q != std::string::npos; q = m_src.find("{%", q + 2)) {
            std::size_t r = q + 2;
            char sign = '\0';
            if (r < m_src.size() && (m_src[r] == '-' || m_src[r] == '+')) sign = m_src[r++];
            r += whitespace_run(m_src, r);
            if (m_src.compare(r, 6, "endraw") != 0) continue;
            r += 6;
            r += whitespace_run(m_src, r);
            char end_sign = '\0';
            if (r < m_src.size() && (m_src[r] == '-' || m_src[r] == '+')) end_sign = m_src[r++];
            if (m_src.compare(r, 2, "%}") != 0) continue;
            const std::string_view body = std::string_view(m_src).substr(p, q - p);
            emit_data(apply_lstrip(body, sign, true), m_line);
            m_line += count_newlines(std::string_view(m_src).substr(p, r - p));
            after_end(end_sign, true, r + 2);
            return true;
        }
        (void)tag;
        syntax_error("missing end of raw directive", raw_line);
    }

    void lex_tag(bool block) {
        m_tokens.push_back({block ? TokenType::block_begin : TokenType::var_begin, {}, m_line});
        std::vector<char> brackets;
        const char* close = block ? "%}" : "}}";
        while (true) {
            const auto ws = whitespace_run(m_src, m_pos);
            m_line += count_newlines(std::string_view(m_src).substr(m_pos, ws));
            m_pos += ws;
            if (m_pos >= m_src.size()) return;  // the parser reports the unexpected end
            if (brackets.empty()) {
                if (m_src.compare(m_pos, 2, close) == 0) {
                    m_tokens.push_back({block ? TokenType::block_end : TokenType::var_end, {}, m_line});
                    after_end('\0', block, m_pos + 2);
                    return;
                }
                if ((m_src[m_pos] == '-' || (block && m_src[m_pos] == '+')) && m_src.compare(m_pos + 1, 2, close) == 0) {
                    m_tokens.push_back({block ? TokenType::block_end : TokenType::var_end, {}, m_line});
                    after_end(m_src[m_pos], block, m_pos + 3);
                    return;
                }
            }
            lex_one(brackets);
        }
    }

    void lex_one(std::vector<char>& brackets) {
        const char c = m_src[m_pos];
        const int line = m_line;
        if (is_digit(c) && (m_pos == 0 || m_src[m_pos - 1] != '.')) {
            if (lex_float()) return;
        }
        if (is_digit(c)) { lex_integer(); return; }
        if (is_name_start(c)) {
            std::size_t e = m_pos;
            while (e < m_src.size() && is_name_char(m_src[e])) ++e;
            m_tokens.push_back({TokenType::name, m_src.substr(m_pos, e - m_pos), line});
            m_pos = e;
            return;
        }
        if (c == '\'' || c == '"') {
            std::size_t e = m_pos + 1;
            while (e < m_src.size() && m_src[e] != c) e += m_src[e] == '\\' ? 2 : 1;
            if (e >= m_src.size()) syntax_error("unterminated string literal", line);
            const std::string_view body = std::string_view(m_src).substr(m_pos + 1, e - m_pos - 1);
            m_tokens.push_back({TokenType::string, unescape(body, line), line});
            m_line += count_newlines(body);
            m_pos = e + 1;
            return;
        }
        static constexpr std::string_view two[] = {"//", "**", "==", "!=", ">=", "<="};
        for (auto op : two) {
            if (m_src.compare(m_pos, 2, op) == 0) {
                m_tokens.push_back({TokenType::op, std::string(op), line});
                m_pos += 2;
                return;
            }
        }
        static constexpr std::string_view one = "+-/*%~[](){}><=.:|,;";
        if (one.find(c) == std::string_view::npos) {
            syntax_error("unexpected character '" + escape_char(c) + "'", line);
        }
        if (c == '(' || c == '[' || c == '{') brackets.push_back(c == '(' ? ')' : c == '[' ? ']' : '}');
        if (c == ')' || c == ']' || c == '}') {
            if (brackets.empty()) syntax_error(std::string("unexpected '") + c + "'", line);
            if (brackets.back() != c)
                syntax_error(std::string("unexpected '") + c + "', expected '" + brackets.back() + "'", line);
            brackets.pop_back();
        }
        m_tokens.push_back({TokenType::op, std::string(1, c), line});
        ++m_pos;
    }

    static std::string escape_char(char c) {
        const auto b = static_cast<unsigned char>(c);
        if (b >= 0x20 && b < 0x7F) return std::string(1, c);
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", b);
        return buf;
    }

    // digits with single underscores between them; returns the end position, or `from` if none.
    std::size_t digits(std::size_t from) const {
        std::size_t p = from;
        if (p >= m_src.size() || !is_digit(m_src[p])) return from;
        while (p < m_src.size()) {
            if (is_digit(m_src[p])) ++p;
            else if (m_src[p] == '_' && p + 1 < m_src.size() && is_digit(m_src[p + 1])) ++p;
            else break;
        }
        return p;
    }

    bool lex_float() {
        std::size_t p = digits(m_pos);
        bool fraction = false;
        if (p < m_src.size() && m_src[p] == '.') {
            const auto f = digits(p + 1);
            if (f > p + 1) { p = f; fraction = true; }
        }
        bool exponent = false;
        if (p < m_src.size() && (m_src[p] == 'e' || m_src[p] == 'E')) {
            std::size_t q = p + 1;
            if (q < m_src.size() && (m_src[q] == '+' || m_src[q] == '-')) ++q;
            const auto e = digits(q);
            if (e > q) { p = e; exponent = true; }
        }
        if (!fraction && !exponent) return false;
        std::string text;
        for (std::size_t i = m_pos; i < p; ++i)
            if (m_src[i] != '_') text.push_back(m_src[i]);
        m_tokens.push_back({TokenType::floating, std::move(text), m_line});
        m_pos = p;
        return true;
    }

    void lex_integer() {
        std::size_t p = m_pos;
        std::string text;
        if (m_src[p] == '0' && p + 1 < m_src.size() && std::string_view("bBoOxX").find(m_src[p + 1]) != std::string_view::npos) {
            const char base = static_cast<char>(m_src[p + 1] | 0x20);
            auto ok = [&](char d) {
                d = static_cast<char>(d | 0x20);
                if (base == 'b') return d == '0' || d == '1';
                if (base == 'o') return d >= '0' && d <= '7';
                return is_digit(d) || (d >= 'a' && d <= 'f');
            };
            std::size_t q = p + 2;
            text = std::string("0") + base;
            while (q < m_src.size()) {
                if (m_src[q] == '_' && q + 1 < m_src.size() && ok(m_src[q + 1])) ++q;
                else if (ok(m_src[q])) text.push_back(m_src[q++]);
                else break;
            }
            if (text.size() > 2) {
                m_tokens.push_back({TokenType::integer, std::move(text), m_line});
                m_pos = q;
                return;
            }
            text.clear();
        }
        if (m_src[p] == '0') {
            // "0", "00", "0_0": zero; a digit after it starts another token, as in Jinja2.
            ++p;
            while (p < m_src.size() && (m_src[p] == '0' || (m_src[p] == '_' && p + 1 < m_src.size() && m_src[p + 1] == '0'))) ++p;
            m_tokens.push_back({TokenType::integer, "0", m_line});
            m_pos = p;
            return;
        }
        const auto e = digits(p);
        for (std::size_t i = p; i < e; ++i)
            if (m_src[i] != '_') text.push_back(m_src[i]);
        m_tokens.push_back({TokenType::integer, std::move(text), m_line});
        m_pos = e;
    }
};

std::string normalize_newlines(std::string_view source) {
    std::string out;
    out.reserve(source.size());
    for (std::size_t i = 0; i < source.size(); ++i) {
        if (source[i] == '\r') {
            out.push_back('\n');
            if (i + 1 < source.size() && source[i + 1] == '\n') ++i;
        } else {
            out.push_back(source[i]);
        }
    }
    if (!out.empty() && out.back() == '\n') out.pop_back();  // keep_trailing_newline=False
    return out;
}

}  // namespace

std::vector<Token> tokenize(std::string_view source) { return Lexer(normalize_newlines(source)).run(); }

}  // namespace hearth::jinja
