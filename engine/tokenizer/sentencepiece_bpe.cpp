#include "tokenizer/sentencepiece_bpe.h"

#include <algorithm>
#include <cstdint>
#include <functional>

#include "tokenizer/utf8_scan.h"

namespace hearth::tokenizer {

namespace {

// Tokens that merging may produce: SentencePiece merges into normal and user-defined pieces only, never
// into control, unknown, unused or byte tokens.
bool mergeable(TokenKind kind) { return kind == TokenKind::normal || kind == TokenKind::user_defined; }

}  // namespace

int SentencePieceBpe::byte_of(std::string_view text) {
    if (text.size() != 6 || text.substr(0, 3) != "<0x" || text[5] != '>') return -1;
    const auto hex = [](char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    const int high = hex(text[3]), low = hex(text[4]);
    return high < 0 || low < 0 ? -1 : high * 16 + low;
}

SentencePieceBpe::SentencePieceBpe(const Vocab& vocab) {
    m_byte_token.fill(-1);
    for (std::size_t i = 0; i < vocab.size(); ++i) {
        const auto id = static_cast<TokenId>(i);
        if (vocab.kind(id) == TokenKind::byte) {
            const int byte = byte_of(vocab.text(id));
            if (byte >= 0 && m_byte_token[byte] < 0) m_byte_token[byte] = id;
        } else if (vocab.kind(id) == TokenKind::unknown && m_unknown < 0) {
            m_unknown = id;
        }
    }
}

void SentencePieceBpe::encode(const Vocab& vocab, std::string_view text, std::vector<TokenId>& out) const {
    // symbols: a doubly linked list over the characters; a merge folds the right symbol into the left.
    struct Symbol {
        std::uint32_t start, length;
        std::int32_t prev, next;
    };
    struct Candidate {
        float score;
        std::int32_t left;
        std::uint32_t length;  // of the merged text: a stale candidate no longer matches it
        TokenId result;
        // The heap's top is the best candidate: highest score, then leftmost.
        bool operator<(const Candidate& o) const { return score != o.score ? score < o.score : left > o.left; }
    };
    thread_local std::vector<Symbol> symbols;
    thread_local std::vector<Candidate> heap;
    symbols.clear();
    heap.clear();
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = std::max<std::size_t>(1, utf8_char_length(text, i));  // a broken byte alone
        const auto n = static_cast<std::int32_t>(symbols.size());
        symbols.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(length), n - 1, n + 1});
        i += length;
    }
    if (symbols.empty()) return;
    symbols.back().next = -1;

    const auto consider = [&](std::int32_t left) {
        if (left < 0) return;
        const std::int32_t right = symbols[left].next;
        if (right < 0) return;
        const std::uint32_t length = symbols[left].length + symbols[right].length;
        const TokenId id = vocab.lookup(text.substr(symbols[left].start, length));
        if (id < 0 || !mergeable(vocab.kind(id))) return;
        heap.push_back({vocab.score(id), left, length, id});
        std::push_heap(heap.begin(), heap.end());
    };
    for (std::int32_t i = 0; i + 1 < static_cast<std::int32_t>(symbols.size()); ++i) consider(i);

    while (!heap.empty()) {
        std::pop_heap(heap.begin(), heap.end());
        const Candidate top = heap.back();
        heap.pop_back();
        Symbol& left = symbols[top.left];
        // A symbol only ever grows, so the pair is unchanged exactly when the two lengths still add up.
        if (left.length == 0 || left.next < 0 || left.length + symbols[left.next].length != top.length) continue;
        const std::int32_t right = left.next;
        left.length = top.length;
        left.next = symbols[right].next;
        if (left.next >= 0) symbols[left.next].prev = top.left;
        symbols[right].length = 0;  // removed
        consider(left.prev);
        consider(top.left);
    }

    for (std::int32_t i = 0; i >= 0; i = symbols[i].next) {
        const std::string_view piece = text.substr(symbols[i].start, symbols[i].length);
        const TokenId id = vocab.lookup(piece);
        if (id >= 0 && mergeable(vocab.kind(id))) {
            out.push_back(id);
            continue;
        }
        for (const char c : piece) {
            const TokenId byte = m_byte_token[static_cast<std::uint8_t>(c)];
            if (byte >= 0) out.push_back(byte);
            else if (m_unknown >= 0 && (out.empty() || out.back() != m_unknown)) out.push_back(m_unknown);
        }
    }
}

}  // namespace hearth::tokenizer
