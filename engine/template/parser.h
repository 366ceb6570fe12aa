#pragma once
// Tokens → syntax tree, following Jinja2's grammar and operator precedence (lowest first):
//   a if b else c · or · and · not · comparisons (== != < <= > >= in, not in) · + - · ~ · * / // % ·
//   ** (left-associative, as in Jinja2) · unary - + · primary with .attr [item] [a:b:c] (call) | filter is test
// Unknown filters and tests, unknown tags and unclosed blocks are compile errors (RenderError with the
// line). Nesting of expressions and blocks is bounded so a hostile template cannot exhaust the stack.

#include <vector>

#include "template/ast.h"
#include "template/lexer.h"

namespace hearth::jinja {

inline constexpr int max_parse_depth = 64;

Body parse(const std::vector<Token>& tokens);

}  // namespace hearth::jinja
