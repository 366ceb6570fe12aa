#pragma once
// Text ↔ token ids for the models Hearth runs. Two algorithms, read from a GGUF file's metadata or from a
// Hugging Face folder's tokenizer.json + tokenizer_config.json:
//   byte-level BPE (tokenizer.ggml.model "gpt2": SmolLM2, Llama 3, Qwen 2/2.5/3): text is split by the
//     pre-tokenizer regex that tokenizer.ggml.pre names, each piece's bytes are spelled in GPT-2's byte
//     alphabet and merged by the rank of tokenizer.ggml.merges;
//   SentencePiece-style BPE (tokenizer.ggml.model "llama": Llama 2, Mistral, Gemma): spaces become "▁",
//     characters are merged by the score of the merged token, and what the vocabulary lacks is spelled
//     with the byte tokens <0xNN>.
// A tokenizer.json describes the same algorithms as a pipeline (normalizer, pre-tokenizer, BPE model with
// merge ranks, decoder, post-processor); from_hf_folder() runs that pipeline as the `tokenizers` library does.
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

// A byte range [begin, end) of a text.
struct TextRange {
    std::size_t begin = 0, end = 0;
};

struct EncodeOptions {
    // Prepend the BOS token when the model's metadata asks for one (tokenizer.ggml.add_bos_token; a
    // SentencePiece vocabulary that does not say adds one, as llama.cpp does).
    bool add_bos = false;
    // Turn the text of control tokens (`<|im_start|>`, `<start_of_turn>`) into those tokens. Off by
    // default: text a user typed is encoded as the characters it is. User-defined tokens (token type 4,
    // e.g. Gemma's "\n\n" or `<table>`) are part of the vocabulary proper and are always matched, as
    // llama.cpp and transformers do.
    bool parse_special = false;
    // Append the EOS token when the model asks for one (tokenizer_config.json add_eos_token, a
    // post-processor that ends with it, GGUF tokenizer.ggml.add_eos_token).
    bool add_eos = false;
    // With parse_special: byte ranges of the text (sorted, not overlapping) that are encoded as if
    // parse_special were off: control-token text overlapping them stays text. A chat prompt passes the
    // ranges that came from message contents, so the template's own markup becomes control tokens and
    // what a user typed does not.
    std::span<const TextRange> literal = {};
};

struct DecodeOptions {
    bool skip_control = false;  // leave out control tokens (BOS, EOS, `<|im_end|>`) instead of writing their text
};

class Tokenizer {
public:
    static Result<Tokenizer> from_gguf(const std::filesystem::path& path);
    // From an already parsed file; errors name the file and the tokenizer.ggml.* key at fault.
    static Result<Tokenizer> from_gguf(const format::GgufFile& file);
    // From a Hugging Face folder: `dir`/tokenizer.json (required) and `dir`/tokenizer_config.json
    // (optional: bos_token, eos_token, add_bos_token, add_eos_token). Errors name the file and the JSON
    // path at fault ("tokenizer.json: normalizer.normalizers[1].type \"BertNormalizer\" is not supported").
    static Result<Tokenizer> from_hf_folder(const std::filesystem::path& dir);

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
    bool adds_eos() const;
    std::size_t size() const;
    TokenizerKind kind() const;
    // tokenizer.ggml.pre as stated ("smollm", "qwen2", …), "" when absent; "tokenizer.json" for a
    // tokenizer loaded from a Hugging Face folder.
    std::string_view pre_tokenizer() const;

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
