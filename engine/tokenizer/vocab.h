#pragma once
// The vocabulary both BPE flavours share: each token's text, kind and score, and text → id lookup.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hearth/tokenizer.h"

namespace hearth::tokenizer {

class Vocab {
public:
    Vocab() = default;
    Vocab(const Vocab&) = delete;  // the index points into the arena: copies would point into the original
    Vocab& operator=(const Vocab&) = delete;
    Vocab(Vocab&&) = default;      // a vector's buffer stays where it is when the vector moves
    Vocab& operator=(Vocab&&) = default;

    // Texts are copied into one arena; the index is built once all are in.
    void reserve(std::size_t n_tokens, std::size_t n_bytes);
    void add(std::string_view text, TokenKind kind, float score);
    void build_index();  // call once after the last add(); later duplicates of a text keep the first id

    std::size_t size() const { return m_kinds.size(); }
    bool contains(TokenId id) const { return id >= 0 && static_cast<std::size_t>(id) < m_kinds.size(); }
    std::string_view text(TokenId id) const {
        return {m_arena.data() + m_offsets[id], m_offsets[id + 1] - m_offsets[id]};
    }
    TokenKind kind(TokenId id) const { return m_kinds[id]; }
    float score(TokenId id) const { return m_scores.empty() ? 0.0f : m_scores[id]; }
    std::optional<TokenId> find(std::string_view text) const {
        const auto it = m_index.find(text);
        if (it == m_index.end()) return std::nullopt;
        return it->second;
    }
    // Like find(), without the optional: -1 when absent (the hot path of the BPE loops).
    TokenId lookup(std::string_view text) const {
        const auto it = m_index.find(text);
        return it == m_index.end() ? -1 : it->second;
    }

private:
    std::vector<char> m_arena;
    std::vector<std::uint32_t> m_offsets{0};
    std::vector<TokenKind> m_kinds;
    std::vector<float> m_scores;
    std::unordered_map<std::string_view, TokenId> m_index;
};

}  // namespace hearth::tokenizer
