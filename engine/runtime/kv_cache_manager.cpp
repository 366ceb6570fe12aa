#include "runtime/kv_cache_manager.h"

#include <cassert>

namespace hearth::runtime {

KvCacheManager::KvCacheManager(BlockPool& pool, std::uint64_t identity) : m_pool(pool), m_identity(identity) {}

std::int64_t KvCacheManager::reuse_cached_prefix(SequenceId seq, std::span<const std::int32_t> tokens) {
    Entry& entry = m_entries[seq];
    assert(entry.table.empty());
    entry.n_registered = 0;
    entry.last_hash = m_identity;
    const std::int64_t block_size = m_pool.block_size();
    // At least one token is left to compute, so a fully cached prompt recomputes its last block.
    const std::int64_t max_blocks = (static_cast<std::int64_t>(tokens.size()) - 1) / block_size;
    BlockId parent = k_no_block;
    for (std::int64_t i = 0; i < max_blocks; ++i) {
        const auto content = tokens.subspan(static_cast<std::size_t>(i * block_size), static_cast<std::size_t>(block_size));
        const BlockHash hash = chain_block_hash(entry.last_hash, content);
        const auto block = m_pool.lookup(hash, content, parent);
        if (!block) break;
        m_pool.add_ref(*block);
        entry.table.push_back(*block);
        entry.last_hash = hash;
        entry.n_registered = i + 1;
        parent = *block;
    }
    const std::int64_t hit = entry.n_registered * block_size;
    m_queried_tokens += static_cast<std::int64_t>(tokens.size());
    m_hit_tokens += hit;
    return hit;
}

std::int64_t KvCacheManager::reservable_tokens(SequenceId seq) const {
    auto it = m_entries.find(seq);
    const std::int64_t held = it == m_entries.end() ? 0 : static_cast<std::int64_t>(it->second.table.size());
    return (held + m_pool.n_available()) * m_pool.block_size();
}

bool KvCacheManager::reserve(SequenceId seq, std::int64_t n_tokens) {
    Entry& entry = m_entries[seq];
    const std::int64_t block_size = m_pool.block_size();
    const std::int64_t needed = (n_tokens + block_size - 1) / block_size - static_cast<std::int64_t>(entry.table.size());
    if (needed <= 0) return true;
    if (needed > m_pool.n_available()) return false;
    for (std::int64_t i = 0; i < needed; ++i) {
        const auto block = m_pool.allocate();
        assert(block);
        entry.table.push_back(*block);
    }
    return true;
}

void KvCacheManager::cache_full_blocks(SequenceId seq, std::span<const std::int32_t> tokens, std::int64_t n_computed) {
    auto it = m_entries.find(seq);
    if (it == m_entries.end()) return;
    Entry& entry = it->second;
    const std::int64_t block_size = m_pool.block_size();
    const std::int64_t full = std::min<std::int64_t>(n_computed / block_size, static_cast<std::int64_t>(entry.table.size()));
    for (std::int64_t i = entry.n_registered; i < full; ++i) {
        const auto content = tokens.subspan(static_cast<std::size_t>(i * block_size), static_cast<std::size_t>(block_size));
        const BlockHash hash = chain_block_hash(entry.last_hash, content);
        const BlockId parent = i == 0 ? k_no_block : entry.table[static_cast<std::size_t>(i - 1)];
        m_pool.register_content(entry.table[static_cast<std::size_t>(i)], hash, content, parent);
        entry.last_hash = hash;
        entry.n_registered = i + 1;
    }
}

void KvCacheManager::free(SequenceId seq) {
    auto it = m_entries.find(seq);
    if (it == m_entries.end()) return;
    // The tail first: among equally old cached blocks, the LRU list then evicts a prefix's end before its
    // start, so the shared beginnings of prompts survive longest.
    for (auto block = it->second.table.rbegin(); block != it->second.table.rend(); ++block) m_pool.release(*block);
    m_entries.erase(it);
}

std::span<const BlockId> KvCacheManager::block_table(SequenceId seq) const {
    auto it = m_entries.find(seq);
    if (it == m_entries.end()) return {};
    return it->second.table;
}

std::int64_t KvCacheManager::slot_of(SequenceId seq, std::int64_t position) const {
    const auto table = block_table(seq);
    const std::int64_t block_size = m_pool.block_size();
    return static_cast<std::int64_t>(table[static_cast<std::size_t>(position / block_size)]) * block_size +
           position % block_size;
}

std::vector<std::int32_t> KvCacheManager::expected_refs() const {
    std::vector<std::int32_t> refs(static_cast<std::size_t>(m_pool.n_blocks()), 0);
    for (const auto& [seq, entry] : m_entries)
        for (BlockId block : entry.table) ++refs[static_cast<std::size_t>(block)];
    return refs;
}

}  // namespace hearth::runtime
