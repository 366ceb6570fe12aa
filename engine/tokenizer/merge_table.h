#pragma once
// The merge loop both rank-ordered BPE flavours share (GPT-2 byte-level, and tokenizer.json's BPE over
// characters): adjacent tokens are merged, lowest merge rank first (leftmost first among equal ranks),
// until no listed merge applies. This is Hugging Face tokenizers' Word::merge_all without dropout.
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "hearth/tokenizer.h"

namespace hearth::tokenizer {

class MergeTable {
public:
    void reserve(std::size_t n) { m_merges.reserve(n); }
    // A repeated pair keeps its first (best) rank.
    void add(TokenId left, TokenId right, std::int32_t rank, TokenId result) {
        m_merges.try_emplace(key(left, right), Merge{rank, result});
    }
    std::size_t size() const { return m_merges.size(); }

    // Merges `ids` (the initial symbols of one piece) in place.
    void apply(std::vector<TokenId>& ids) const;

private:
    struct Merge {
        std::int32_t rank;
        TokenId result;
    };
    static std::uint64_t key(TokenId left, TokenId right) {
        return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(left)) << 32) | static_cast<std::uint32_t>(right);
    }
    std::unordered_map<std::uint64_t, Merge> m_merges;
};

}  // namespace hearth::tokenizer
