#pragma once
// The chat-template lexer: template source → tokens, with Jinja2's whitespace rules as transformers
// configures them (trim_blocks and lstrip_blocks on, keep_trailing_newline off):
//  - newlines in the source are normalized to "\n" and one trailing newline is dropped;
//  - `{%-`/`{{-`/`{#-` strip all whitespace before the tag, `-%}`/`-}}`/`-#}` all whitespace after;
//  - trim_blocks: one "\n" directly after `%}` or `#}` is dropped (not after `}}`, not after `+%}`);
//  - lstrip_blocks: spaces and tabs between the start of a line and `{%` or `{#` are dropped, unless
//    the tag is written `{%+`.
// Inside tags, end delimiters only count while brackets are balanced (`{{ {'a': 1}}}` is one tag).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::jinja {

enum class TokenType : std::uint8_t {
    data,         // template text, whitespace rules applied
    var_begin,    // {{
    var_end,      // }}
    block_begin,  // {%
    block_end,    // %}
    name,
    string,       // text: the value, escapes resolved
    integer,      // text: digits without underscores (base prefix kept)
    floating,
    op,           // text: the operator
    eof,
};

struct Token {
    TokenType type;
    std::string text;
    int line;
};

// Fails (RenderError with the line set) on an unterminated comment or raw block, an unterminated
// string, an unbalanced bracket or a character that starts no token.
std::vector<Token> tokenize(std::string_view source);

}  // namespace hearth::jinja
