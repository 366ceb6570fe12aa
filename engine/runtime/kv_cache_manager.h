#pragma once
// Which KV blocks each sequence holds. Allocation is all or nothing; the prefix cache is consulted when a
// sequence is admitted and fed as its blocks fill with computed tokens. Pure logic over a BlockPool.

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "runtime/block_pool.h"

namespace hearth::runtime {

using SequenceId = std::uint64_t;

class KvCacheManager {
public:
    // `identity` names what the cached keys and values depend on besides the tokens: the model, its
    // weights' precision, the KV element type. It seeds every sequence's hash chain.
    KvCacheManager(BlockPool& pool, std::uint64_t identity);

    // For a sequence that holds no blocks yet: takes the cached blocks of the longest prefix of `tokens`,
    // whole blocks only, and always leaves at least one token to compute (its logits are needed).
    // Returns how many tokens those blocks hold.
    std::int64_t reuse_cached_prefix(SequenceId seq, std::span<const std::int32_t> tokens);
    // Grows the sequence's block table to cover `n_tokens` slots. All or nothing: false when the pool
    // lacks the blocks, with nothing allocated.
    bool reserve(SequenceId seq, std::int64_t n_tokens);
    // Slots the sequence's table could cover after reserve() with the blocks available now.
    std::int64_t reservable_tokens(SequenceId seq) const;
    // Registers every block of the sequence now full of computed tokens: tokens[0, n_computed).
    void cache_full_blocks(SequenceId seq, std::span<const std::int32_t> tokens, std::int64_t n_computed);
    // Releases every block of the sequence (the cached ones stay findable until evicted).
    void free(SequenceId seq);

    std::span<const BlockId> block_table(SequenceId seq) const;
    std::int64_t slot_of(SequenceId seq, std::int64_t position) const;
    const BlockPool& pool() const { return m_pool; }

    // Prefix-cache statistics over every admission: tokens looked up, and tokens found.
    std::int64_t prefix_queried_tokens() const { return m_queried_tokens; }
    std::int64_t prefix_hit_tokens() const { return m_hit_tokens; }

    // For tests: references each block should have according to the block tables.
    std::vector<std::int32_t> expected_refs() const;

private:
    struct Entry {
        std::vector<BlockId> table;
        std::int64_t n_registered = 0;  // leading blocks whose content is hashed (registered or found)
        BlockHash last_hash = 0;        // hash of the last of those, or the identity seed
    };

    BlockPool& m_pool;
    std::uint64_t m_identity;
    std::unordered_map<SequenceId, Entry> m_entries;
    std::int64_t m_queried_tokens = 0;
    std::int64_t m_hit_tokens = 0;
};

}  // namespace hearth::runtime
