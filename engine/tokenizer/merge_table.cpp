#include "tokenizer/merge_table.h"

#include <algorithm>
#include <functional>

namespace hearth::tokenizer {

void MergeTable::apply(std::vector<TokenId>& ids) const {
    if (ids.size() < 2) return;
    // symbols: a doubly linked list over the ids; a merge folds the right symbol into the left.
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
    for (const TokenId id : ids) {
        const auto n = static_cast<std::int32_t>(symbols.size());
        symbols.push_back({id, n - 1, n + 1});
    }
    symbols.back().next = -1;

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
    ids.clear();
    for (std::int32_t i = 0; i >= 0; i = symbols[i].next) ids.push_back(symbols[i].id);
}

}  // namespace hearth::tokenizer
