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
#include "tokenizer/merge_table.h"
#include "tokenizer/vocab.h"

namespace hearth::tokenizer {

// GPT-2's byte → code point table, and its inverse (-1 for code points that spell no byte).
const std::array<std::uint32_t, 256>& byte_to_code_point();
int code_point_to_byte(std::uint32_t code_point);

class ByteLevelBpe {
public:
    // `merges` are "left right" in rank order (tokenizer.ggml.merges). Errors name the merge's index.
    static Result<ByteLevelBpe> build(const Vocab& vocab, const std::vector<std::string_view>& merges);
    // From merges already resolved to ids (tokenizer.json). With `ignore_merges`, a piece the vocabulary
    // holds whole is that token, merges or not (tokenizers' BPE ignore_merges, Llama 3).
    ByteLevelBpe(const Vocab& vocab, MergeTable merges, bool ignore_merges = false);

    // Appends the tokens of one pre-tokenized piece (raw bytes, any content).
    void encode_piece(std::string_view piece, std::vector<TokenId>& out) const;

    // The bytes a token's text spells (characters outside the byte alphabet are kept as their UTF-8).
    static std::string unmap(std::string_view token_text);

    // The piece spelled in GPT-2's byte alphabet (how the vocabulary writes it).
    static std::string map(std::string_view bytes);

private:
    ByteLevelBpe() = default;
    void find_byte_tokens(const Vocab& vocab);
    std::array<TokenId, 256> m_byte_token{};  // the token spelling each single byte, -1 if the vocabulary lacks it
    MergeTable m_merges;
    const Vocab* m_vocab = nullptr;  // for ignore_merges only
};

}  // namespace hearth::tokenizer
