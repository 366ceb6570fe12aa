#include "runtime/kv_cache.h"

#include <string>

namespace hearth::runtime {

std::size_t KvCache::bytes_for(std::int64_t n_layers, std::int64_t n_kv_heads, std::int64_t head_dim,
                               std::int64_t n_tokens, TensorType type) {
    return static_cast<std::size_t>(n_layers * n_tokens) * backend::kv_cache_slot_bytes(type, n_kv_heads, head_dim);
}

std::size_t KvCache::bytes() const {
    std::size_t total = 0;
    for (const auto& buffer : m_buffers) total += buffer->size();
    return total;
}

Result<std::unique_ptr<KvCache>> KvCache::create(backend::Backend& backend, std::int64_t n_layers,
                                                 std::int64_t n_kv_heads, std::int64_t head_dim,
                                                 std::int32_t n_blocks, std::int32_t block_size, TensorType type) {
    if (!backend::kv_cache_type_supported(type))
        return Error{"a KV cache of " + std::string(name(type)) + " is not supported; expected F32, F16, BF16, "
                     "F8_E4M3 or F8_E5M2"};
    std::unique_ptr<KvCache> cache(new KvCache);
    cache->m_type = type;
    cache->m_block_size = block_size;
    cache->m_n_blocks = n_blocks;
    const std::int64_t n_slots = static_cast<std::int64_t>(n_blocks) * block_size;
    const std::int64_t kv_dim = n_kv_heads * head_dim;
    const std::size_t row_bytes = static_cast<std::size_t>(kv_dim) * static_cast<std::size_t>(traits(type).block_bytes);
    auto make = [&](backend::Tensor& t, TensorType t_type, std::int64_t cols, std::size_t bytes_per_row) -> std::optional<Error> {
        auto buffer = backend.allocate(bytes_per_row * static_cast<std::size_t>(n_slots));
        if (!buffer)
            return Error{"KV cache for " + std::to_string(n_slots) + " tokens: " + buffer.error().message};
        t = backend::Tensor{buffer.value()->data(), t_type, n_slots, cols, bytes_per_row};
        cache->m_buffers.push_back(std::move(buffer).value());
        return std::nullopt;
    };
    for (std::int64_t i = 0; i < n_layers; ++i) {
        backend::KvLayer layer;
        layer.block_size = block_size;
        layer.head_dim = static_cast<std::int32_t>(head_dim);
        for (backend::Tensor* t : {&layer.keys, &layer.values})
            if (auto error = make(*t, type, kv_dim, row_bytes)) return *error;
        if (type == TensorType::F8_E4M3)
            for (backend::Tensor* t : {&layer.key_scales, &layer.value_scales})
                if (auto error = make(*t, TensorType::F32, n_kv_heads, static_cast<std::size_t>(n_kv_heads) * sizeof(float)))
                    return *error;
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
