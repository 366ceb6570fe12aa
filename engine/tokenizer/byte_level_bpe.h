#pragma once
// Byte-level BPE (GPT-2): every byte of a piece is spelled as one character of GPT-2's byte alphabet
// (printable bytes as themselves, the rest moved to U+0100…), each such character starts as its own
// token, and adjacent tokens are merged, lowest merge rank first (leftmost first among equal ranks),
// until no listed merge applies.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hearth/result.h"
#include "hearth/tokenizer.h"
#include "tokenizer/vocab.h"

namespace hearth::tokenizer {

// GPT-2's byte → code point table, and its inverse (-1 for code points that spell no byte).
const std::array<std::uint32_t, 256>& byte_to_code_point();
int code_point_to_byte(std::uint32_t code_point);

class ByteLevelBpe {
public:
    // `merges` are "left right" in rank order (tokenizer.ggml.merges). Errors name the merge's index.
    static Result<ByteLevelBpe> build(const Vocab& vocab, const std::vector<std::string_view>& merges);

    // Appends the tokens of one pre-tokenized piece (raw bytes, any content).
    void encode_piece(std::string_view piece, std::vector<TokenId>& out) const;

    // The bytes a token's text spells (characters outside the byte alphabet are kept as their UTF-8).
    static std::string unmap(std::string_view token_text);

private:
    struct Merge {
        std::int32_t rank;
        TokenId result;
    };
    static std::uint64_t key(TokenId left, TokenId right) {
        return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(left)) << 32) | static_cast<std::uint32_t>(right);
    }
    std::array<TokenId, 256> m_byte_token{};  // the token spelling each single byte, -1 if the vocabulary lacks it
    std::unordered_map<std::uint64_t, Merge> m_merges;
};

}  // namespace hearth::tokenizer
