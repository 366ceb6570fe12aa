#pragma once
// What a Tokenizer holds. Built once by a loader (gguf_tokenizer.cpp, hf_tokenizer.cpp), then only read.
#include <optional>
#include <string>
#include <vector>

#include "hearth/tokenizer.h"
#include "tokenizer/byte_level_bpe.h"
#include "tokenizer/hf_pipeline.h"
#include "tokenizer/pretokenizer.h"
#include "tokenizer/sentencepiece_bpe.h"
#include "tokenizer/special_tokens.h"
#include "tokenizer/vocab.h"

namespace hearth {

struct Tokenizer::Impl {
    TokenizerKind kind = TokenizerKind::byte_level_bpe;
    tokenizer::Vocab vocab;
    std::optional<tokenizer::SpecialTokens> special_tokens;  // tokenizer.json: the non-normalized added tokens
    // tokenizer.json: normalizer, pre-tokenizer steps and (without ByteLevel) the BPE over characters;
    // absent for GGUF. With ByteLevel, `byte_level` below is its model.
    std::optional<tokenizer::HfPipeline> hf;
    // byte_level_bpe
    std::optional<tokenizer::PreTokenizer> pre_tokenizer;
    std::optional<tokenizer::ByteLevelBpe> byte_level;
    // sentencepiece_bpe
    std::optional<tokenizer::SentencePieceBpe> sentencepiece;
    bool add_space_prefix = false;  // write "▁" before the text
    bool strip_first_space = false; // decoding: drop one leading space of the first (normal) token

    std::string pre_name;
    std::optional<TokenId> bos, eos;
    // What EncodeOptions::add_bos / add_eos put around the text (usually BOS and nothing).
    std::vector<TokenId> prefix, suffix;

    // The bytes each token decodes to (decode() is a concatenation of these).
    std::vector<char> decoded;
    std::vector<std::uint32_t> decoded_offsets{0};
    std::string_view decoded_bytes(TokenId id) const {
        return {decoded.data() + decoded_offsets[id], decoded_offsets[id + 1] - decoded_offsets[id]};
    }

    // Fills `decoded` from the vocabulary (GGUF); call once the vocabulary is complete.
    void build_decoded();
    void add_decoded(std::string_view bytes);
};

}  // namespace hearth
