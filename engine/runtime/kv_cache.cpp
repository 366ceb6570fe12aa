#include "runtime/kv_cache.h"

#include <string>

namespace hearth::runtime {

std::size_t KvCache::bytes_for(std::int64_t n_layers, std::int64_t kv_dim, std::int64_t n_tokens) {
    return static_cast<std::size_t>(n_layers * 2 * kv_dim * n_tokens) * sizeof(float);
}

std::size_t KvCache::bytes() const {
    std::size_t total = 0;
    for (const auto& buffer : m_buffers) total += buffer->size();
    return total;
}

Result<std::unique_ptr<KvCache>> KvCache::create(backend::Backend& backend, std::int64_t n_layers,
                                                 std::int64_t kv_dim, std::int32_t n_blocks, std::int32_t block_size) {
    std::unique_ptr<KvCache> cache(new KvCache);
    cache->m_block_size = block_size;
    cache->m_n_blocks = n_blocks;
    const std::int64_t n_slots = static_cast<std::int64_t>(n_blocks) * block_size;
    const std::size_t row_bytes = static_cast<std::size_t>(kv_dim) * sizeof(float);
    for (std::int64_t i = 0; i < n_layers; ++i) {
        backend::KvLayer layer;
        layer.block_size = block_size;
        for (backend::Tensor* t : {&layer.keys, &layer.values}) {
            auto buffer = backend.allocate(row_bytes * static_cast<std::size_t>(n_slots));
            if (!buffer) return Error{"KV cache for " + std::to_string(n_slots) + " tokens: " + buffer.error().message};
            *t = backend::Tensor{buffer.value()->data(), TensorType::F32, n_slots, kv_dim, row_bytes};
            cache->m_buffers.push_back(std::move(buffer).value());
        }
        cache->m_layers.push_back(layer);
    }
    for (std::int32_t b = n_blocks - 1; b >= 0; --b) cache->m_free.push_back(b);
    return cache;
}

std::optional<std::int32_t> KvCache::allocate_block() {
    if (m_free.empty()) return std::nullopt;
    const std::int32_t block = m_free.back();
    m_free.pop_back();
    return block;
}

void KvCache::release_block(std::int32_t block) { m_free.push_back(block); }

}  // namespace hearth::runtime
