#include "tokenizer/special_tokens.h"

#include <algorithm>

namespace hearth::tokenizer {

SpecialTokens::SpecialTokens(const Vocab& vocab) : m_nodes(1) {
    for (std::size_t i = 0; i < vocab.size(); ++i) {
        const auto id = static_cast<TokenId>(i);
        const TokenKind kind = vocab.kind(id);
        if (kind != TokenKind::control && kind != TokenKind::unknown && kind != TokenKind::user_defined) continue;
        const std::string_view text = vocab.text(id);
        if (text.empty()) continue;
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
        if (m_nodes[node].token < 0) {  // the first of duplicate texts wins
            m_nodes[node].token = id;
            m_nodes[node].control = kind != TokenKind::user_defined;
        }
        m_first[static_cast<std::uint8_t>(text[0])] = true;
    }
}

std::int32_t SpecialTokens::child(std::int32_t node, std::uint8_t byte) const {
    const auto& children = m_nodes[node].children;
    const auto at = std::lower_bound(children.begin(), children.end(), std::make_pair(byte, std::int32_t{-1}));
    return at != children.end() && at->first == byte ? at->second : -1;
}

void SpecialTokens::split(std::string_view text, bool parse_special, std::vector<Fragment>& out) const {
    std::size_t plain_start = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        if (!m_first[static_cast<std::uint8_t>(text[i])]) {
            ++i;
            continue;
        }
        // The longest token that starts here.
        std::size_t best_length = 0;
        TokenId best = -1;
        std::int32_t node = 0;
        for (std::size_t k = i; k < text.size(); ++k) {
            node = child(node, static_cast<std::uint8_t>(text[k]));
            if (node < 0) break;
            const Node& n = m_nodes[node];
            if (n.token >= 0 && (parse_special || !n.control)) {
                best = n.token;
                best_length = k - i + 1;
            }
        }
        if (best < 0) {
            ++i;
            continue;
        }
        if (i > plain_start) out.push_back({text.substr(plain_start, i - plain_start), -1});
        out.push_back({text.substr(i, best_length), best});
        i += best_length;
        plain_start = i;
    }
    if (plain_start < text.size()) out.push_back({text.substr(plain_start), -1});
}

}  // namespace hearth::tokenizer
