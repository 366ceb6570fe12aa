#include "runtime/block_pool.h"

#include <algorithm>
#include <cassert>

namespace hearth::runtime {
namespace {

std::uint64_t mix64(std::uint64_t x) {  // splitmix64's finaliser: every input bit moves every output bit
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

}  // namespace

BlockHash chain_block_hash(BlockHash parent, std::span<const std::int32_t> tokens) {
    std::uint64_t h = mix64(parent ^ 0x9e3779b97f4a7c15ULL);
    for (std::int32_t token : tokens) h = mix64(h + static_cast<std::uint32_t>(token));
    return mix64(h ^ tokens.size());
}

BlockPool::BlockPool(std::int32_t n_blocks, std::int32_t block_size)
    : m_block_size(block_size),
      m_blocks(static_cast<std::size_t>(n_blocks)),
      m_tokens(static_cast<std::size_t>(n_blocks) * static_cast<std::size_t>(block_size)) {
    // Block 0 is handed out first: a stack popped from the back.
    for (BlockId b = n_blocks - 1; b >= 0; --b) m_free.push_back(b);
}

std::span<const std::int32_t> BlockPool::tokens_of(BlockId block) const {
    return std::span<const std::int32_t>(m_tokens).subspan(static_cast<std::size_t>(block) * m_block_size,
                                                            static_cast<std::size_t>(m_block_size));
}

void BlockPool::lru_unlink(BlockId block) {
    Block& b = m_blocks[static_cast<std::size_t>(block)];
    (b.lru_prev == k_no_block ? m_lru_head : m_blocks[static_cast<std::size_t>(b.lru_prev)].lru_next) = b.lru_next;
    (b.lru_next == k_no_block ? m_lru_tail : m_blocks[static_cast<std::size_t>(b.lru_next)].lru_prev) = b.lru_prev;
    b.lru_prev = b.lru_next = k_no_block;
    --m_n_cached_free;
}

void BlockPool::lru_push_back(BlockId block) {
    Block& b = m_blocks[static_cast<std::size_t>(block)];
    b.lru_prev = m_lru_tail;
    b.lru_next = k_no_block;
    (m_lru_tail == k_no_block ? m_lru_head : m_blocks[static_cast<std::size_t>(m_lru_tail)].lru_next) = block;
    m_lru_tail = block;
    ++m_n_cached_free;
}

void BlockPool::forget_content(BlockId block) {
    Block& b = m_blocks[static_cast<std::size_t>(block)];
    if (b.cached) {
        auto it = m_by_hash.find(b.hash);
        if (it != m_by_hash.end() && it->second == block) m_by_hash.erase(it);
        b.cached = false;
    }
    ++b.generation;  // children registered under the old content no longer match this block
}

std::optional<BlockId> BlockPool::allocate() {
    BlockId block = k_no_block;
    if (!m_free.empty()) {
        block = m_free.back();
        m_free.pop_back();
    } else if (m_lru_head != k_no_block) {
        block = m_lru_head;
        lru_unlink(block);
    } else {
        return std::nullopt;
    }
    forget_content(block);
    m_blocks[static_cast<std::size_t>(block)].ref = 1;
    return block;
}

void BlockPool::add_ref(BlockId block) {
    Block& b = m_blocks[static_cast<std::size_t>(block)];
    if (b.ref == 0) {
        assert(b.cached);
        lru_unlink(block);
    }
    ++b.ref;
}

void BlockPool::release(BlockId block) {
    Block& b = m_blocks[static_cast<std::size_t>(block)];
    assert(b.ref > 0);
    if (--b.ref > 0) return;
    if (b.cached) {
        lru_push_back(block);
    } else {
        forget_content(block);
        m_free.push_back(block);
    }
}

void BlockPool::register_content(BlockId block, BlockHash hash, std::span<const std::int32_t> tokens, BlockId parent) {
    assert(static_cast<std::int32_t>(tokens.size()) == m_block_size);
    Block& b = m_blocks[static_cast<std::size_t>(block)];
    if (b.cached || m_by_hash.contains(hash)) return;
    b.cached = true;
    b.hash = hash;
    b.parent = parent;
    b.parent_generation = parent == k_no_block ? 0 : m_blocks[static_cast<std::size_t>(parent)].generation;
    std::copy(tokens.begin(), tokens.end(), m_tokens.begin() + static_cast<std::ptrdiff_t>(block) * m_block_size);
    m_by_hash.emplace(hash, block);
}

std::optional<BlockId> BlockPool::lookup(BlockHash hash, std::span<const std::int32_t> tokens, BlockId parent) const {
    auto it = m_by_hash.find(hash);
    if (it == m_by_hash.end()) return std::nullopt;
    const BlockId block = it->second;
    const Block& b = m_blocks[static_cast<std::size_t>(block)];
    if (b.parent != parent) return std::nullopt;
    if (parent != k_no_block && b.parent_generation != m_blocks[static_cast<std::size_t>(parent)].generation)
        return std::nullopt;
    const auto content = tokens_of(block);
    if (!std::equal(content.begin(), content.end(), tokens.begin(), tokens.end())) return std::nullopt;
    return block;
}

std::optional<std::string> BlockPool::check(std::span<const std::int32_t> expected_refs) const {
    std::vector<int> seen(m_blocks.size(), 0);  // 1 free list, 2 LRU list
    for (BlockId b : m_free) {
        if (seen[static_cast<std::size_t>(b)]++) return "block " + std::to_string(b) + " is on the free list twice";
        if (m_blocks[static_cast<std::size_t>(b)].ref != 0 || m_blocks[static_cast<std::size_t>(b)].cached)
            return "block " + std::to_string(b) + " is on the free list while in use or cached";
    }
    std::int32_t lru_length = 0;
    for (BlockId b = m_lru_head; b != k_no_block; b = m_blocks[static_cast<std::size_t>(b)].lru_next) {
        if (seen[static_cast<std::size_t>(b)]) return "block " + std::to_string(b) + " is on two free lists";
        seen[static_cast<std::size_t>(b)] = 2;
        ++lru_length;
        if (m_blocks[static_cast<std::size_t>(b)].ref != 0 || !m_blocks[static_cast<std::size_t>(b)].cached)
            return "block " + std::to_string(b) + " is on the LRU list while in use or not cached";
    }
    if (lru_length != m_n_cached_free) return "the LRU list's length disagrees with its count";
    for (std::size_t b = 0; b < m_blocks.size(); ++b) {
        const std::int32_t expected = b < expected_refs.size() ? expected_refs[b] : 0;
        if (m_blocks[b].ref != expected)
            return "block " + std::to_string(b) + " has " + std::to_string(m_blocks[b].ref) + " references, its holders " +
                   std::to_string(expected);
        if (m_blocks[b].ref == 0 && !seen[b]) return "block " + std::to_string(b) + " is leaked: unused but not free";
    }
    for (const auto& [hash, block] : m_by_hash)
        if (!m_blocks[static_cast<std::size_t>(block)].cached || m_blocks[static_cast<std::size_t>(block)].hash != hash)
            return "the hash map points at block " + std::to_string(block) + " whose content is another";
    return std::nullopt;
}

}  // namespace hearth::runtime
