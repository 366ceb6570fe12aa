#pragma once
// Text ↔ token ids for the models Hearth runs. Two algorithms, both read from a GGUF file's metadata:
//   byte-level BPE (tokenizer.ggml.model "gpt2": SmolLM2, Llama 3, Qwen 2/2.5/3): text is split by the
//     pre-tokenizer regex that tokenizer.ggml.pre names, each piece's bytes are spelled in GPT-2's byte
//     alphabet and merged by the rank of tokenizer.ggml.merges;
//   SentencePiece-style BPE (tokenizer.ggml.model "llama": Llama 2, Mistral, Gemma): spaces become "▁",
//     characters are merged by the score of the merged token, and what the vocabulary lacks is spelled
//     with the byte tokens <0xNN>.
// A Tokenizer is immutable once built; encode() and decode() may be called from several threads at once.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/result.h"

namespace hearth::format { class GgufFile; }

namespace hearth {

using TokenId = std::int32_t;

// GGUF's tokenizer.ggml.token_type values.
enum class TokenKind : std::uint8_t { normal = 1, unknown = 2, control = 3, user_defined = 4, unused = 5, byte = 6 };

enum class TokenizerKind { byte_level_bpe, sentencepiece_bpe };

struct EncodeOptions {
    // Prepend the BOS token when the model's metadata asks for one (tokenizer.ggml.add_bos_token; a
    // SentencePiece vocabulary that does not say adds one, as llama.cpp does).
    bool add_bos = false;
    // Turn the text of control tokens (`<|im_start|>`, `<start_of_turn>`) into those tokens. Off by
    // default: text a user typed is encoded as the characters it is. User-defined tokens (token type 4,
    // e.g. Gemma's "\n\n" or `<table>`) are part of the vocabulary proper and are always matched, as
    // llama.cpp and transformers do.
    bool parse_special = false;
};

struct DecodeOptions {
    bool skip_control = false;  // leave out control tokens (BOS, EOS, `<|im_end|>`) instead of writing their text
};

class Tokenizer {
public:
    static Result<Tokenizer> from_gguf(const std::filesystem::path& path);
    // From an already parsed file; errors name the file and the tokenizer.ggml.* key at fault.
    static Result<Tokenizer> from_gguf(const format::GgufFile& file);

    std::vector<TokenId> encode(std::string_view text, EncodeOptions options = {}) const;
    // The bytes the tokens stand for, concatenated. Ids outside the vocabulary are skipped. The result
    // is valid UTF-8 whenever the ids came from encode() of valid UTF-8.
    std::string decode(std::span<const TokenId> ids, DecodeOptions options = {}) const;

    // The token as the vocabulary spells it (byte-level: in GPT-2's byte alphabet, "Ġthe"; SentencePiece:
    // "▁the"); empty for an id outside the vocabulary.
    std::string_view token_text(TokenId id) const;
    std::optional<TokenId> find(std::string_view token_text) const;
    TokenKind kind_of(TokenId id) const;
    bool is_control(TokenId id) const { return kind_of(id) == TokenKind::control; }

    std::optional<TokenId> bos() const;
    std::optional<TokenId> eos() const;
    bool adds_bos() const;
    std::size_t size() const;
    TokenizerKind kind() const;
    std::string_view pre_tokenizer() const;  // tokenizer.ggml.pre as stated ("smollm", "qwen2", …), or ""

    struct Impl;

private:
    explicit Tokenizer(std::shared_ptr<const Impl> impl) : m_impl(std::move(impl)) {}
    std::shared_ptr<const Impl> m_impl;
    friend class StreamingDecoder;
};

// Decodes a stream of generated tokens piece by piece. What push() returns is always valid UTF-8: bytes of
// a character split across tokens are held until the character is complete. Concatenating every push()
// and finish() gives decode() of all the tokens (when that is valid UTF-8); a byte sequence that can never
// become a valid character is written as U+FFFD.
class StreamingDecoder {
public:
    explicit StreamingDecoder(const Tokenizer& tokenizer, DecodeOptions options = {});
    std::string push(TokenId id);
    std::string finish();  // whatever is held (an unfinished character comes out as U+FFFD); then resets

private:
    std::shared_ptr<const Tokenizer::Impl> m_impl;
    DecodeOptions m_options;
    std::string m_pending;   // bytes of an unfinished UTF-8 character
    bool m_first = true;     // the next token is the first one (SentencePiece prefix-space stripping)
};

}  // namespace hearth
