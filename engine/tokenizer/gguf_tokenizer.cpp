// Tokenizer::from_gguf: the tokenizer.ggml.* metadata llama.cpp writes, checked and turned into a Tokenizer.
//   model          "gpt2" (byte-level BPE) or "llama" (SentencePiece-style BPE)
//   tokens         [n] strings: the vocabulary (byte-level: in GPT-2's byte alphabet)
//   token_type     [n] integers, optional: 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte
//   scores         [n] numbers, optional (SentencePiece merge priority: higher merges first)
//   merges         [m] strings "left right", in rank order (byte-level only, required there)
//   pre            the pre-tokenizer's name (byte-level only; absent = "default")
//   bos_token_id, eos_token_id, unknown_token_id, padding_token_id: token ids, optional, within [0, n)
//   add_bos_token, add_eos_token, add_space_prefix: booleans, optional
#include <limits>
#include <memory>
#include <string>

#include "common/utf8.h"
#include "format/format_error.h"
#include "format/gguf_reader.h"
#include "hearth/tokenizer.h"
#include "tokenizer/tokenizer_impl.h"

namespace hearth {

namespace {

using format::FormatError;
using format::GgufArray;
using format::GgufFile;
using format::GgufType;

constexpr std::string_view k_prefix = "tokenizer.ggml.";

std::string key_of(std::string_view name) { return std::string(k_prefix) + std::string(name); }

[[noreturn]] void fail(const GgufFile& file, const std::string& message) {
    throw FormatError(file.file_name() + ": " + message);
}

// The array under `name`, or nullptr when absent; an error when present with another element type or count.
const GgufArray* find_array(const GgufFile& file, std::string_view name, bool numeric, std::optional<std::uint64_t> count) {
    const auto* value = file.find(key_of(name));
    if (!value) return nullptr;
    const GgufArray* array = value->as_array();
    const bool element_ok = array && (numeric ? array->element_type != GgufType::string && array->element_type != GgufType::array
                                              : array->element_type == GgufType::string);
    if (!element_ok) {
        fail(file, key_of(name) + " must be an array of " + (numeric ? "numbers" : "strings") + ", found " +
                       std::string(format::name(value->type)) +
                       (array ? " of " + std::string(format::name(array->element_type)) : std::string{}));
    }
    if (count && array->count != *count) {
        fail(file, key_of(name) + " has " + std::to_string(array->count) + " entries; expected one per token (" +
                       std::to_string(*count) + ", as tokenizer.ggml.tokens has)");
    }
    return array;
}

std::optional<TokenId> token_id(const GgufFile& file, std::string_view name, std::size_t n_tokens) {
    const auto id = file.get_integer(key_of(name));
    if (!id) return std::nullopt;
    if (*id < 0 || static_cast<std::uint64_t>(*id) >= n_tokens) {
        fail(file, key_of(name) + " " + std::to_string(*id) + " is out of range: the vocabulary has " +
                       std::to_string(n_tokens) + " tokens");
    }
    return static_cast<TokenId>(*id);
}

TokenKind kind_from(const GgufFile& file, const GgufArray& types, std::uint64_t i) {
    const auto v = types.integer(i);
    if (!v) fail(file, key_of("token_type") + "[" + std::to_string(i) + "] is not an integer");
    switch (*v) {
    case 0:  // LLAMA_TOKEN_TYPE_UNDEFINED in older files: an ordinary token
    case 1: return TokenKind::normal;
    case 2: return TokenKind::unknown;
    case 3: return TokenKind::control;
    case 4: return TokenKind::user_defined;
    case 5: return TokenKind::unused;
    case 6: return TokenKind::byte;
    default:
        fail(file, key_of("token_type") + "[" + std::to_string(i) + "] is " + std::to_string(*v) +
                       "; expected 1 (normal) … 6 (byte)");
    }
}

std::shared_ptr<Tokenizer::Impl> load(const GgufFile& file) {
    auto impl = std::make_shared<Tokenizer::Impl>();

    const auto model = file.get_string(key_of("model"));
    if (!model) fail(file, key_of("model") + " is missing: the file names no tokenizer");
    if (*model == "gpt2") impl->kind = TokenizerKind::byte_level_bpe;
    else if (*model == "llama") impl->kind = TokenizerKind::sentencepiece_bpe;
    else fail(file, key_of("model") + " " + quoted_for_message(*model) +
                        " is not a tokenizer Hearth supports (expected \"gpt2\" or \"llama\")");
    const bool byte_level = impl->kind == TokenizerKind::byte_level_bpe;

    const GgufArray* tokens = find_array(file, "tokens", false, std::nullopt);
    if (!tokens) fail(file, key_of("tokens") + " is missing: expected the vocabulary as an array of strings");
    if (tokens->count == 0) fail(file, key_of("tokens") + " is empty");
    if (tokens->count > static_cast<std::uint64_t>(std::numeric_limits<TokenId>::max())) {
        fail(file, key_of("tokens") + " has " + std::to_string(tokens->count) + " entries, more than a token id can count");
    }
    const std::size_t n = tokens->count;
    const GgufArray* types = find_array(file, "token_type", true, n);
    const GgufArray* scores = find_array(file, "scores", true, n);

    std::size_t total_bytes = 0;
    for (const auto text : tokens->strings) total_bytes += text.size();
    if (total_bytes > std::numeric_limits<std::uint32_t>::max() / 2) fail(file, key_of("tokens") + " is too large");
    impl->vocab.reserve(n, total_bytes);
    for (std::size_t i = 0; i < n; ++i) {
        const TokenKind kind = types ? kind_from(file, *types, i) : TokenKind::normal;
        float score = 0.0f;
        if (scores) {
            const auto s = scores->number(i);
            if (!s) fail(file, key_of("scores") + "[" + std::to_string(i) + "] is not a number");
            score = static_cast<float>(*s);
        }
        impl->vocab.add(tokens->strings[i], kind, score);
    }
    impl->vocab.build_index();

    impl->bos = token_id(file, "bos_token_id", n);
    impl->eos = token_id(file, "eos_token_id", n);
    (void)token_id(file, "unknown_token_id", n);
    (void)token_id(file, "padding_token_id", n);
    // llama.cpp's defaults: a SentencePiece vocabulary adds BOS and a space prefix unless it says otherwise.
    if (file.get_bool(key_of("add_bos_token")).value_or(!byte_level) && impl->bos) impl->prefix.push_back(*impl->bos);
    if (file.get_bool(key_of("add_eos_token")).value_or(false) && impl->eos) impl->suffix.push_back(*impl->eos);

    if (byte_level) {
        const GgufArray* merges = find_array(file, "merges", false, std::nullopt);
        if (!merges) fail(file, key_of("merges") + " is missing: a byte-level BPE vocabulary needs its merges");
        auto bpe = tokenizer::ByteLevelBpe::build(impl->vocab, merges->strings);
        if (!bpe) fail(file, bpe.error().message);
        impl->byte_level.emplace(std::move(bpe).value());
        impl->pre_name = std::string(file.get_string(key_of("pre")).value_or("default"));
        auto pre = tokenizer::PreTokenizer::for_gguf_pre(impl->pre_name);
        if (!pre) fail(file, pre.error().message);
        impl->pre_tokenizer.emplace(std::move(pre).value());
    } else {
        impl->pre_name = std::string(file.get_string(key_of("pre")).value_or(""));
        impl->add_space_prefix = file.get_bool(key_of("add_space_prefix")).value_or(true);
        impl->strip_first_space = impl->add_space_prefix;
        impl->sentencepiece.emplace(impl->vocab);
    }
    impl->special_tokens.emplace(impl->vocab);
    impl->build_decoded();
    return impl;
}

}  // namespace

Result<Tokenizer> Tokenizer::from_gguf(const format::GgufFile& file) {
    try {
        return Tokenizer(load(file));
    } catch (const FormatError& e) {
        return Error{e.what()};
    }
}

Result<Tokenizer> Tokenizer::from_gguf(const std::filesystem::path& path) {
    auto file = GgufFile::open(path);
    if (!file) return file.error();
    return from_gguf(file.value());
}

}  // namespace hearth
