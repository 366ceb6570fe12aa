#pragma once
// The paged KV cache's memory: per layer, keys and values for n_blocks × block_size token slots, and the pool of free
// blocks. A sequence owns a list of blocks (its block table); position p lives in block table[p / block_size]
// at offset p % block_size. The runtime issue's scheduler and prefix cache build on this same layout.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "backend/backend.h"

namespace hearth::runtime {

class KvCache {
public:
    // Keys and values of `type` (backend::kv_cache_type_supported), [n_blocks * block_size, n_kv_heads *
    // head_dim] each per layer, plus F8_E4M3's per-(slot, head) scales.
    static Result<std::unique_ptr<KvCache>> create(backend::Backend& backend, std::int64_t n_layers,
                                                   std::int64_t n_kv_heads, std::int64_t head_dim,
                                                   std::int32_t n_blocks, std::int32_t block_size,
                                                   TensorType type = TensorType::F32);

    std::span<const backend::KvLayer> layers() const { return m_layers; }
    std::int32_t block_size() const { return m_block_size; }
    std::int32_t n_blocks() const { return m_n_blocks; }
    std::int32_t free_blocks() const { return static_cast<std::int32_t>(m_free.size()); }
    std::size_t bytes() const;

    std::optional<std::int32_t> allocate_block();
    void release_block(std::int32_t block);

    TensorType type() const { return m_type; }
    static std::size_t bytes_for(std::int64_t n_layers, std::int64_t n_kv_heads, std::int64_t head_dim,
                                 std::int64_t n_tokens, TensorType type = TensorType::F32);

private:
    TensorType m_type = TensorType::F32;
    std::int32_t m_block_size = 0;
    std::int32_t m_n_blocks = 0;
    std::vector<backend::KvLayer> m_layers;
    std::vector<std::unique_ptr<backend::Buffer>> m_buffers;
    std::vector<std::int32_t> m_free;  // a stack: the most recently freed block is reused first
};

}  // namespace hearth::runtime
