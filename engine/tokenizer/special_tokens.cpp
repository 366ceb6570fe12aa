#include "tokenizer/special_tokens.h"

#include <algorithm>

namespace hearth::tokenizer {

namespace {

// NOTE: lstrip/rstrip take ASCII whitespace only; Hugging Face takes any Unicode whitespace. No real
// tokenizer has an lstrip/rstrip token next to which other whitespace matters.
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// Part of a word for single_word tokens: ASCII letters, digits, '_' and any non-ASCII byte.
bool is_word(char c) {
    const auto b = static_cast<unsigned char>(c);
    return b >= 0x80 || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_';
}

}  // namespace

SpecialTokens::SpecialTokens(const Vocab& vocab) : m_nodes(1) {
    for (std::size_t i = 0; i < vocab.size(); ++i) {
        const auto id = static_cast<TokenId>(i);
        const TokenKind kind = vocab.kind(id);
        if (kind != TokenKind::control && kind != TokenKind::unknown && kind != TokenKind::user_defined) continue;
        insert({std::string(vocab.text(id)), id, kind != TokenKind::user_defined});
    }
}

SpecialTokens::SpecialTokens(const std::vector<AddedToken>& tokens) : m_nodes(1) {
    for (const auto& token : tokens) insert(token);
}

void SpecialTokens::insert(const AddedToken& token) {
    const std::string_view text = token.text;
    if (text.empty()) return;
    std::int32_t node = 0;
    for (const char c : text) {
        const auto byte = static_cast<std::uint8_t>(c);
        std::int32_t next = child(node, byte);
        if (next < 0) {
            next = static_cast<std::int32_t>(m_nodes.size());
            auto& children = m_nodes[node].children;
            const auto at = std::lower_bound(children.begin(), children.end(), std::make_pair(byte, std::int32_t{-1}));
            children.insert(at, {byte, next});
            m_nodes.emplace_back();
        }
        node = next;
    }
    Node& n = m_nodes[node];
    if (n.token < 0) {  // the first of duplicate texts wins
        n.token = token.id;
        n.control = token.control;
        n.lstrip = token.lstrip;
        n.rstrip = token.rstrip;
        n.single_word = token.single_word;
    }
    m_first[static_cast<std::uint8_t>(text[0])] = true;
}

std::int32_t SpecialTokens::child(std::int32_t node, std::uint8_t byte) const {
    const auto& children = m_nodes[node].children;
    const auto at = std::lower_bound(children.begin(), children.end(), std::make_pair(byte, std::int32_t{-1}));
    return at != children.end() && at->first == byte ? at->second : -1;
}

void SpecialTokens::split(std::string_view text, bool parse_special, std::span<const TextRange> literal,
                          std::vector<Fragment>& out) const {
    std::size_t plain_start = 0;
    std::size_t i = 0;
    std::size_t next_literal = 0;  // the first literal range that ends after i
    while (i < text.size()) {
        if (!m_first[static_cast<std::uint8_t>(text[i])]) {
            ++i;
            continue;
        }
        while (next_literal < literal.size() && literal[next_literal].end <= i) ++next_literal;
        // The longest token that starts here.
        std::size_t best_length = 0;
        const Node* best = nullptr;
        std::int32_t node = 0;
        for (std::size_t k = i; k < text.size(); ++k) {
            node = child(node, static_cast<std::uint8_t>(text[k]));
            if (node < 0) break;
            const Node& n = m_nodes[node];
            if (n.token < 0) continue;
            if (n.control) {
                if (!parse_special) continue;
                if (next_literal < literal.size() && literal[next_literal].begin <= k) continue;  // overlaps text to keep literal
            }
            if (n.single_word && ((i > 0 && is_word(text[i - 1])) || (k + 1 < text.size() && is_word(text[k + 1])))) continue;
            best = &n;
            best_length = k - i + 1;
        }
        if (best == nullptr) {
            ++i;
            continue;
        }
        std::size_t begin = i, end = i + best_length;
        if (best->lstrip)
            while (begin > plain_start && is_space(text[begin - 1])) --begin;
        if (best->rstrip)
            while (end < text.size() && is_space(text[end])) ++end;
        if (begin > plain_start) out.push_back({text.substr(plain_start, begin - plain_start), -1});
        out.push_back({text.substr(begin, end - begin), best->token});
        i = end;
        plain_start = i;
    }
    if (plain_start < text.size()) out.push_back({text.substr(plain_start), -1});
}

}  // namespace hearth::tokenizer
