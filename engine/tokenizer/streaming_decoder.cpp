#include "hearth/tokenizer.h"

#include "tokenizer/tokenizer_impl.h"
#include "tokenizer/utf8_scan.h"

namespace hearth {

namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";  // U+FFFD

// Moves the complete characters at the front of `pending` to `out`. What is left is the start of a
// character that later bytes may still complete. Bytes that can never be part of a valid character go out
// as U+FFFD, one per byte.
void drain(std::string& pending, std::string& out) {
    std::size_t i = 0;
    while (i < pending.size()) {
        const std::size_t length = tokenizer::utf8_char_length(pending, i);
        if (length != 0) {
            out.append(pending, i, length);
            i += length;
            continue;
        }
        // Not a whole character here: is it a prefix that more bytes could complete?
        const auto lead = static_cast<std::uint8_t>(pending[i]);
        const std::size_t expected = tokenizer::utf8_expected_length(lead);
        const std::size_t available = pending.size() - i;
        if (expected > available) {
            std::string candidate = pending.substr(i);
            // Complete it with the smallest continuation bytes and see whether that could be valid.
            while (candidate.size() < expected) candidate += static_cast<char>(0x80);
            bool could_complete = tokenizer::utf8_char_length(candidate, 0) == expected;
            if (!could_complete) {
                candidate.resize(available);
                while (candidate.size() < expected) candidate += static_cast<char>(0xBF);
                could_complete = tokenizer::utf8_char_length(candidate, 0) == expected;
            }
            if (could_complete) break;
        }
        out.append(k_replacement);
        ++i;
    }
    pending.erase(0, i);
}

}  // namespace

StreamingDecoder::StreamingDecoder(const Tokenizer& tokenizer, DecodeOptions options)
    : m_impl(tokenizer.m_impl), m_options(options) {}

std::string StreamingDecoder::push(TokenId id) {
    const Tokenizer::Impl& impl = *m_impl;
    std::string out;
    if (!impl.vocab.contains(id) || (m_options.skip_control && impl.vocab.kind(id) == TokenKind::control)) return out;
    std::string_view bytes = impl.decoded_bytes(id);
    if (m_first && impl.strip_first_space && impl.vocab.kind(id) == TokenKind::normal && !bytes.empty() && bytes[0] == ' ') {
        bytes.remove_prefix(1);
    }
    m_first = false;
    m_pending.append(bytes);
    drain(m_pending, out);
    return out;
}

std::string StreamingDecoder::finish() {
    std::string out;
    for (std::size_t i = 0; i < m_pending.size(); ++i) out.append(k_replacement);
    m_pending.clear();
    m_first = true;
    return out;
}

}  // namespace hearth
