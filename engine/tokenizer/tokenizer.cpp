#include "hearth/tokenizer.h"

#include "tokenizer/tokenizer_impl.h"

namespace hearth {

using tokenizer::Fragment;

void Tokenizer::Impl::build_decoded() {
    decoded.clear();
    decoded_offsets.assign(1, 0);
    for (std::size_t i = 0; i < vocab.size(); ++i) {
        const auto id = static_cast<TokenId>(i);
        const std::string_view text = vocab.text(id);
        std::string bytes;
        switch (vocab.kind(id)) {
        case TokenKind::control:
        case TokenKind::unknown:
        case TokenKind::user_defined:
            bytes = text;  // stored as the raw text they stand for
            break;
        case TokenKind::byte:
            if (const int b = tokenizer::SentencePieceBpe::byte_of(text); b >= 0 && kind == TokenizerKind::sentencepiece_bpe) {
                bytes = std::string(1, static_cast<char>(b));
                break;
            }
            [[fallthrough]];
        case TokenKind::normal:
        case TokenKind::unused:
            if (kind == TokenizerKind::byte_level_bpe) {
                bytes = tokenizer::ByteLevelBpe::unmap(text);
            } else {
                for (std::size_t k = 0; k < text.size();) {
                    if (text.substr(k, 3) == tokenizer::k_sentencepiece_space) {
                        bytes += ' ';
                        k += 3;
                    } else {
                        bytes += text[k++];
                    }
                }
            }
            break;
        }
        add_decoded(bytes);
    }
}

void Tokenizer::Impl::add_decoded(std::string_view bytes) {
    decoded.insert(decoded.end(), bytes.begin(), bytes.end());
    decoded_offsets.push_back(static_cast<std::uint32_t>(decoded.size()));
}

namespace {

// tokenizer.json's pipeline for one fragment of text that holds no non-normalized added token.
void encode_hf_fragment(const Tokenizer::Impl& impl, std::string_view fragment, bool at_start, bool parse_special,
                        bool literal, std::vector<TokenId>& out) {
    const tokenizer::HfPipeline& hf = *impl.hf;
    const tokenizer::HfPreTokenizer& pre = hf.pre_tokenizer;
    if (hf.normalizer.empty() && pre.steps.empty() && pre.byte_level && !pre.byte_level_prefix_space && pre.byte_level_regex) {
        // GPT-2 style (SmolLM2): nothing but ByteLevel's regex, so the GGUF path's pieces, without copies.
        thread_local std::vector<std::string_view> views;
        views.clear();
        pre.byte_level_regex->split(fragment, views);
        for (const auto piece : views) impl.byte_level->encode_piece(piece, out);
        return;
    }
    const std::string normalized = hf.normalizer.empty() ? std::string(fragment) : hf.normalizer.apply(fragment, at_start);
    std::vector<Fragment> parts;
    if (hf.normalized_added) {
        // NOTE: a fragment that overlaps literal text matches no normalized control token at all: offsets
        // into normalized text do not map back to the input exactly.
        hf.normalized_added->split(normalized, parse_special && !literal, {}, parts);
    } else {
        parts.push_back({normalized, -1});
    }
    std::vector<std::string> pieces;
    for (const Fragment& part : parts) {
        if (part.token >= 0) {
            out.push_back(part.token);
            continue;
        }
        pieces.clear();
        hf.pre_tokenizer.split(part.text, at_start && part.text.data() == normalized.data(), pieces);
        for (const auto& piece : pieces) {
            if (hf.char_bpe) hf.char_bpe->encode(piece, out);
            else impl.byte_level->encode_piece(piece, out);
        }
    }
}

bool overlaps(std::span<const TextRange> ranges, std::size_t begin, std::size_t end) {
    for (const auto& r : ranges)
        if (r.begin < end && begin < r.end) return true;
    return false;
}

}  // namespace

std::vector<TokenId> Tokenizer::encode(std::string_view text, EncodeOptions options) const {
    const Impl& impl = *m_impl;
    std::vector<TokenId> out;
    out.reserve(text.size() / 3 + 2);
    if (options.add_bos) out.insert(out.end(), impl.prefix.begin(), impl.prefix.end());

    thread_local std::vector<Fragment> fragments;
    thread_local std::vector<std::string_view> pieces;
    thread_local std::string normalized;
    fragments.clear();
    impl.special_tokens->split(text, options.parse_special, options.literal, fragments);
    for (const Fragment& fragment : fragments) {
        if (fragment.token >= 0) {
            out.push_back(fragment.token);
            continue;
        }
        if (impl.hf) {
            const auto begin = static_cast<std::size_t>(fragment.text.data() - text.data());
            encode_hf_fragment(impl, fragment.text, begin == 0, options.parse_special,
                               overlaps(options.literal, begin, begin + fragment.text.size()), out);
        } else if (impl.kind == TokenizerKind::byte_level_bpe) {
            pieces.clear();
            impl.pre_tokenizer->split(fragment.text, pieces);
            for (const auto piece : pieces) impl.byte_level->encode_piece(piece, out);
        } else {
            normalized.clear();
            // NOTE: like SentencePiece's dummy prefix, and llama.cpp, the "▁" is written even when the text
            // already starts with a space; only at the very start of the text.
            if (impl.add_space_prefix && fragment.text.data() == text.data()) normalized += tokenizer::k_sentencepiece_space;
            for (const char c : fragment.text) {
                if (c == ' ') normalized += tokenizer::k_sentencepiece_space;
                else normalized += c;
            }
            impl.sentencepiece->encode(impl.vocab, normalized, out);
        }
    }
    if (options.add_eos) out.insert(out.end(), impl.suffix.begin(), impl.suffix.end());
    return out;
}

namespace {

bool skipped(const Tokenizer::Impl& impl, TokenId id, DecodeOptions options) {
    return !impl.vocab.contains(id) || (options.skip_control && impl.vocab.kind(id) == TokenKind::control);
}

}  // namespace

std::string Tokenizer::decode(std::span<const TokenId> ids, DecodeOptions options) const {
    const Impl& impl = *m_impl;
    std::string out;
    bool first = true;
    for (const TokenId id : ids) {
        if (skipped(impl, id, options)) continue;
        std::string_view bytes = impl.decoded_bytes(id);
        // The space SentencePiece put before the text is not part of it.
        if (first && impl.strip_first_space && impl.vocab.kind(id) == TokenKind::normal && !bytes.empty() && bytes[0] == ' ') {
            bytes.remove_prefix(1);
        }
        first = false;
        out.append(bytes);
    }
    return out;
}

std::string_view Tokenizer::token_text(TokenId id) const {
    return m_impl->vocab.contains(id) ? m_impl->vocab.text(id) : std::string_view{};
}

std::optional<TokenId> Tokenizer::find(std::string_view text) const { return m_impl->vocab.find(text); }

TokenKind Tokenizer::kind_of(TokenId id) const {
    return m_impl->vocab.contains(id) ? m_impl->vocab.kind(id) : TokenKind::unused;
}

std::optional<TokenId> Tokenizer::bos() const { return m_impl->bos; }
std::optional<TokenId> Tokenizer::eos() const { return m_impl->eos; }
bool Tokenizer::adds_bos() const { return !m_impl->prefix.empty(); }
bool Tokenizer::adds_eos() const { return !m_impl->suffix.empty(); }
std::size_t Tokenizer::size() const { return m_impl->vocab.size(); }
TokenizerKind Tokenizer::kind() const { return m_impl->kind; }
std::string_view Tokenizer::pre_tokenizer() const { return m_impl->pre_name; }

}  // namespace hearth
