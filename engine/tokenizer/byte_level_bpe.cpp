#include "tokenizer/byte_level_bpe.h"

#include "common/utf8.h"
#include "tokenizer/utf8_scan.h"

namespace hearth::tokenizer {

const std::array<std::uint32_t, 256>& byte_to_code_point() {
    // Printable Latin-1 bytes ('!'…'~', '¡'…'¬', '®'…'ÿ') stand for themselves; the other 68 bytes take
    // the code points from U+0100 on, in byte order. So ' ' is 'Ġ' (U+0120) and '\n' is 'Ċ' (U+010A).
    static const std::array<std::uint32_t, 256> k_table = [] {
        std::array<std::uint32_t, 256> table{};
        std::uint32_t next = 256;
        for (std::uint32_t b = 0; b < 256; ++b) {
            const bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = printable ? b : next++;
        }
        return table;
    }();
    return k_table;
}

int code_point_to_byte(std::uint32_t code_point) {
    static const std::array<std::int16_t, 512> k_inverse = [] {
        std::array<std::int16_t, 512> inverse{};
        inverse.fill(-1);
        const auto& table = byte_to_code_point();
        for (int b = 0; b < 256; ++b) inverse[table[b]] = static_cast<std::int16_t>(b);
        return inverse;
    }();
    return code_point < k_inverse.size() ? k_inverse[code_point] : -1;
}

std::string ByteLevelBpe::unmap(std::string_view token_text) {
    std::string bytes;
    bytes.reserve(token_text.size());
    std::size_t i = 0;
    while (i < token_text.size()) {
        const std::size_t length = utf8_char_length(token_text, i);
        if (length == 0) {  // not UTF-8 at all: pass the byte on
            bytes += token_text[i++];
            continue;
        }
        const std::uint32_t code = utf8_decode(token_text, i, length);
        const int byte = code_point_to_byte(code);
        if (byte >= 0) bytes += static_cast<char>(byte);
        else bytes.append(token_text.substr(i, length));
        i += length;
    }
    return bytes;
}

std::string ByteLevelBpe::map(std::string_view bytes) {
    std::string spelled;
    spelled.reserve(bytes.size() * 2);
    const auto& table = byte_to_code_point();
    for (const char c : bytes) append_utf8(spelled, table[static_cast<std::uint8_t>(c)]);
    return spelled;
}

void ByteLevelBpe::find_byte_tokens(const Vocab& vocab) {
    const auto& table = byte_to_code_point();
    for (int b = 0; b < 256; ++b) {
        std::string spelled;
        append_utf8(spelled, table[b]);
        m_byte_token[b] = vocab.lookup(spelled);
    }
}

ByteLevelBpe::ByteLevelBpe(const Vocab& vocab, MergeTable merges, bool ignore_merges)
    : m_merges(std::move(merges)), m_vocab(ignore_merges ? &vocab : nullptr) {
    find_byte_tokens(vocab);
}

Result<ByteLevelBpe> ByteLevelBpe::build(const Vocab& vocab, const std::vector<std::string_view>& merges) {
    ByteLevelBpe bpe;
    bpe.find_byte_tokens(vocab);
    bpe.m_merges.reserve(merges.size());
    std::string joined;
    for (std::size_t rank = 0; rank < merges.size(); ++rank) {
        const std::string_view merge = merges[rank];
        const std::string where = "tokenizer.ggml.merges[" + std::to_string(rank) + "] " + quoted_for_message(merge);
        // Byte-level tokens never hold a space (' ' is spelled 'Ġ'), so the first space separates the two.
        const std::size_t space = merge.find(' ');
        if (space == std::string_view::npos || space == 0 || space + 1 == merge.size()) {
            return Error{where + " is not two tokens separated by a space"};
        }
        const std::string_view left = merge.substr(0, space), right = merge.substr(space + 1);
        const TokenId left_id = vocab.lookup(left), right_id = vocab.lookup(right);
        if (left_id < 0) return Error{where + " names unknown token " + quoted_for_message(left)};
        if (right_id < 0) return Error{where + " names unknown token " + quoted_for_message(right)};
        joined.assign(left).append(right);
        const TokenId result = vocab.lookup(joined);
        if (result < 0) return Error{where + " makes " + quoted_for_message(joined) + ", which is not in the vocabulary"};
        bpe.m_merges.add(left_id, right_id, static_cast<std::int32_t>(rank), result);
    }
    return bpe;
}

void ByteLevelBpe::encode_piece(std::string_view piece, std::vector<TokenId>& out) const {
    if (m_vocab) {
        if (const TokenId whole = m_vocab->lookup(map(piece)); whole >= 0) {
            out.push_back(whole);
            return;
        }
    }
    thread_local std::vector<TokenId> ids;
    ids.clear();
    for (const char c : piece) {
        const TokenId id = m_byte_token[static_cast<std::uint8_t>(c)];
        if (id >= 0) ids.push_back(id);  // a byte the vocabulary cannot spell is dropped, as HF's BPE does without <unk>
    }
    m_merges.apply(ids);
    out.insert(out.end(), ids.begin(), ids.end());
}

}  // namespace hearth::tokenizer
