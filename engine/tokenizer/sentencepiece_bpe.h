#pragma once
// SentencePiece-style BPE (Llama 2, Mistral, Gemma). The text, with every ' ' already written as "▁"
// (U+2581), starts as one symbol per character; the adjacent pair whose concatenation is the
// best-scoring token of the vocabulary is merged (the leftmost among equal scores), until no pair forms
// a token. A symbol the vocabulary lacks is spelled with the byte tokens <0x00>…<0xFF> (byte fallback),
// or <unk> where those are missing.
#include <array>
#include <string_view>
#include <vector>

#include "hearth/tokenizer.h"
#include "tokenizer/vocab.h"

namespace hearth::tokenizer {

inline constexpr std::string_view k_sentencepiece_space = "\xE2\x96\x81";  // "▁"

class SentencePieceBpe {
public:
    explicit SentencePieceBpe(const Vocab& vocab);

    // Appends the tokens of `normalized` (spaces already "▁"). `vocab` is the one given to the constructor.
    void encode(const Vocab& vocab, std::string_view normalized, std::vector<TokenId>& out) const;

    // The byte a <0xNN> token stands for, or -1 for any other token text.
    static int byte_of(std::string_view token_text);

private:
    std::array<TokenId, 256> m_byte_token{};  // -1 where the vocabulary lacks <0xNN>
    TokenId m_unknown = -1;
};

}  // namespace hearth::tokenizer
