#include "tokenizer/vocab.h"

namespace hearth::tokenizer {

void Vocab::reserve(std::size_t n_tokens, std::size_t n_bytes) {
    m_arena.reserve(n_bytes);
    m_offsets.reserve(n_tokens + 1);
    m_kinds.reserve(n_tokens);
    m_scores.reserve(n_tokens);
}

void Vocab::add(std::string_view text, TokenKind kind, float score) {
    m_arena.insert(m_arena.end(), text.begin(), text.end());
    m_offsets.push_back(static_cast<std::uint32_t>(m_arena.size()));
    m_kinds.push_back(kind);
    m_scores.push_back(score);
}

void Vocab::build_index() {
    // NOTE: the index holds views into m_arena, so the arena must not grow after this.
    m_index.clear();
    m_index.reserve(size());
    for (std::size_t i = 0; i < size(); ++i) m_index.emplace(text(static_cast<TokenId>(i)), static_cast<TokenId>(i));
}

}  // namespace hearth::tokenizer
