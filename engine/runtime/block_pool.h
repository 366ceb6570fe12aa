#pragma once
// The KV cache's blocks as pure bookkeeping: reference counts, the free list, and the prefix cache's
// hash → block map with least-recently-used eviction. It never touches KV memory; block b's slots are
// b * block_size … b * block_size + block_size - 1 in every layer (backend/backend.h, KvLayer).
//
// Every block is in exactly one state:
//   in use        ref > 0 (one reference per sequence whose block table holds it)
//   cached, free  ref == 0, content registered: on the LRU list, reusable by a prefix hit until evicted
//   empty         ref == 0, no content worth keeping: on the free list
// A cached block is found by the chained hash of its tokens and verified exactly (its tokens and its parent
// block, including the parent's generation), so a hash collision can never hand out wrong keys and values.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace hearth::runtime {

using BlockId = std::int32_t;
using BlockHash = std::uint64_t;
inline constexpr BlockId k_no_block = -1;

// The hash of a full block: its parent's hash (or a seed naming the model, for the first block) chained
// with its tokens.
BlockHash chain_block_hash(BlockHash parent, std::span<const std::int32_t> tokens);

class BlockPool {
public:
    BlockPool(std::int32_t n_blocks, std::int32_t block_size);

    std::int32_t n_blocks() const { return static_cast<std::int32_t>(m_blocks.size()); }
    std::int32_t block_size() const { return m_block_size; }
    // Blocks that can be handed out now: empty ones plus cached ones not in use.
    std::int32_t n_available() const { return static_cast<std::int32_t>(m_free.size()) + m_n_cached_free; }
    std::int32_t n_in_use() const { return n_blocks() - n_available(); }
    std::int32_t n_cached() const { return static_cast<std::int32_t>(m_by_hash.size()); }
    std::int32_t ref_count(BlockId block) const { return m_blocks[static_cast<std::size_t>(block)].ref; }

    // A block for new content, with one reference: an empty block first, else the least recently used
    // cached one (its content forgotten). None when every block is in use.
    std::optional<BlockId> allocate();
    // Takes a reference to a block found by lookup(): a cached free block leaves the LRU list.
    void add_ref(BlockId block);
    // Drops one reference. At zero a cached block becomes the most recently used free one; any other
    // goes back to the free list.
    void release(BlockId block);

    // Registers the content of a full, computed block. Does nothing when an identical block is already
    // registered (two sequences computed the same prefix at once): the first stays the cached one.
    void register_content(BlockId block, BlockHash hash, std::span<const std::int32_t> tokens, BlockId parent);
    // The cached block holding exactly `tokens` after `parent` (k_no_block for a sequence's first block).
    std::optional<BlockId> lookup(BlockHash hash, std::span<const std::int32_t> tokens, BlockId parent) const;

    // For tests: a description of the first broken invariant, given the references every holder claims.
    std::optional<std::string> check(std::span<const std::int32_t> expected_refs) const;

private:
    struct Block {
        std::int32_t ref = 0;
        std::uint32_t generation = 0;  // bumped whenever the block gets new content
        bool cached = false;
        BlockHash hash = 0;
        BlockId parent = k_no_block;
        std::uint32_t parent_generation = 0;
        BlockId lru_prev = k_no_block;  // neighbours on the LRU list while cached and free
        BlockId lru_next = k_no_block;
    };

    void lru_unlink(BlockId block);
    void lru_push_back(BlockId block);
    void forget_content(BlockId block);
    std::span<const std::int32_t> tokens_of(BlockId block) const;

    std::int32_t m_block_size;
    std::vector<Block> m_blocks;
    std::vector<std::int32_t> m_tokens;  // [n_blocks, block_size]: the content of cached blocks
    std::vector<BlockId> m_free;         // a stack of empty blocks
    BlockId m_lru_head = k_no_block;     // least recently used cached free block
    BlockId m_lru_tail = k_no_block;
    std::int32_t m_n_cached_free = 0;
    std::unordered_map<BlockHash, BlockId> m_by_hash;
};

}  // namespace hearth::runtime
