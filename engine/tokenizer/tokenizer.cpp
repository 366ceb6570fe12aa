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
        decoded.insert(decoded.end(), bytes.begin(), bytes.end());
        decoded_offsets.push_back(static_cast<std::uint32_t>(decoded.size()));
    }
}

std::vector<TokenId> Tokenizer::encode(std::string_view text, EncodeOptions options) const {
    const Impl& impl = *m_impl;
    std::vector<TokenId> out;
    out.reserve(text.size() / 3 + 2);
    if (options.add_bos && impl.add_bos && impl.bos) out.push_back(*impl.bos);

    thread_local std::vector<Fragment> fragments;
    thread_local std::vector<std::string_view> pieces;
    thread_local std::string normalized;
    fragments.clear();
    impl.special_tokens->split(text, options.parse_special, fragments);
    for (const Fragment& fragment : fragments) {
        if (fragment.token >= 0) {
            out.push_back(fragment.token);
            continue;
        }
        if (impl.kind == TokenizerKind::byte_level_bpe) {
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
        if (first && impl.add_space_prefix && impl.vocab.kind(id) == TokenKind::normal && !bytes.empty() && bytes[0] == ' ') {
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
bool Tokenizer::adds_bos() const { return m_impl->add_bos && m_impl->bos.has_value(); }
std::size_t Tokenizer::size() const { return m_impl->vocab.size(); }
TokenizerKind Tokenizer::kind() const { return m_impl->kind; }
std::string_view Tokenizer::pre_tokenizer() const { return m_impl->pre_name; }

}  // namespace hearth
