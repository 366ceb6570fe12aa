#include "tokenizer/byte_level_bpe.h"

#include <algorithm>
#include <functional>

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

Result<ByteLevelBpe> ByteLevelBpe::build(const Vocab& vocab, const std::vector<std::string_view>& merges) {
    ByteLevelBpe bpe;
    const auto& table = byte_to_code_point();
    for (int b = 0; b < 256; ++b) {
        std::string spelled;
        append_utf8(spelled, table[b]);
        bpe.m_byte_token[b] = vocab.lookup(spelled);
    }
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
        // A repeated merge keeps its first (best) rank.
        bpe.m_merges.try_emplace(key(left_id, right_id), Merge{static_cast<std::int32_t>(rank), result});
    }
    return bpe;
}

void ByteLevelBpe::encode_piece(std::string_view piece, std::vector<TokenId>& out) const {
    // symbols: a doubly linked list over the piece's bytes; a merge folds the right symbol into the left.
    struct Symbol {
        TokenId id;
        std::int32_t prev, next;
    };
    struct Candidate {
        std::int32_t rank, left;
        TokenId left_id, right_id, result;
        bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : left > o.left; }
    };
    thread_local std::vector<Symbol> symbols;
    thread_local std::vector<Candidate> heap;  // a min-heap through std::push_heap / pop_heap
    symbols.clear();
    heap.clear();
    for (const char c : piece) {
        const TokenId id = m_byte_token[static_cast<std::uint8_t>(c)];
        if (id < 0) continue;  // a byte the vocabulary cannot spell is dropped, as HF's BPE does without <unk>
        const auto n = static_cast<std::int32_t>(symbols.size());
        symbols.push_back({id, n - 1, n + 1});
    }
    if (symbols.empty()) return;
    symbols.back().next = -1;
    if (symbols.size() == 1) {
        out.push_back(symbols[0].id);
        return;
    }

    const auto consider = [&](std::int32_t left) {
        if (left < 0) return;
        const std::int32_t right = symbols[left].next;
        if (right < 0) return;
        const auto it = m_merges.find(key(symbols[left].id, symbols[right].id));
        if (it == m_merges.end()) return;
        heap.push_back({it->second.rank, left, symbols[left].id, symbols[right].id, it->second.result});
        std::push_heap(heap.begin(), heap.end(), std::greater<>{});
    };
    for (std::int32_t i = 0; i + 1 < static_cast<std::int32_t>(symbols.size()); ++i) consider(i);

    while (!heap.empty()) {
        std::pop_heap(heap.begin(), heap.end(), std::greater<>{});
        const Candidate top = heap.back();
        heap.pop_back();
        Symbol& left = symbols[top.left];
        // Stale entries (one side merged since) no longer describe the pair at this place.
        if (left.id != top.left_id || left.next < 0 || symbols[left.next].id != top.right_id) continue;
        const std::int32_t right = left.next;
        left.id = top.result;
        left.next = symbols[right].next;
        if (left.next >= 0) symbols[left.next].prev = top.left;
        symbols[right].id = -1;  // removed
        if (left.prev >= 0) consider(left.prev);
        consider(top.left);
    }
    for (std::int32_t i = 0; i >= 0; i = symbols[i].next) out.push_back(symbols[i].id);
}

}  // namespace hearth::tokenizer
