#include "backend/cpu/kv_prefetch.h"

#include <cstdlib>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace hearth::backend::cpu {
namespace {
constexpr auto k_line = static_cast<std::uintptr_t>(KvPrefetch::k_line_bytes);
constexpr std::int32_t k_decode_tokens = 4;

bool disabled_by_environment() {
    static const bool off = [] {
        const char* v = std::getenv("HEARTH_NO_KV_PREFETCH");
        return v != nullptr && *v != '\0' && *v != '0';
    }();
    return off;
}
}  // namespace

void KvPrefetch::clear() {
    m_ranges.clear();
    m_lines = 0;
}

void KvPrefetch::add(const void* start, std::size_t bytes) {
    const auto first = reinterpret_cast<std::uintptr_t>(start) & ~(k_line - 1);
    const auto last = reinterpret_cast<std::uintptr_t>(start) + bytes;
    m_ranges.push_back({reinterpret_cast<const char*>(first), m_lines});
    m_lines += static_cast<std::int64_t>((last - first + k_line - 1) / k_line);
}

void KvPrefetch::plan(const KvLayer& cache, const BatchLayout& batch, const AttentionParams& params,
                      std::size_t limit_bytes) {
    clear();
    const std::size_t row_bytes = cache.keys.row_bytes;
    if (disabled_by_environment() || batch.n_tokens > k_decode_tokens || cache.block_size <= 0 || row_bytes == 0) return;
    std::size_t planned = 0;
    for (std::int32_t t = 0; t < batch.n_tokens; ++t) {
        const std::int32_t first = first_visible_position(params, batch.positions[t]);
        const std::int32_t* table =
            batch.block_table + static_cast<std::int64_t>(batch.seq_of_token[t]) * batch.max_blocks_per_seq;
        // The positions before the token's own (store_kv writes that one just before attention), newest
        // first, a run of slots within one block at a time.
        for (std::int32_t last = batch.positions[t] - 1; last >= first;) {
            const auto room = static_cast<std::int32_t>(std::min<std::size_t>((limit_bytes - planned) / (2 * row_bytes), 1 << 30));
            const std::int32_t run = std::min({last % cache.block_size + 1, last - first + 1, room});
            if (run <= 0) return;
            const std::int64_t slot =
                static_cast<std::int64_t>(table[last / cache.block_size]) * cache.block_size + last % cache.block_size - run + 1;
            const std::size_t bytes = static_cast<std::size_t>(run) * row_bytes;
            add(cache.keys.row(slot), bytes);
            add(cache.values.row(slot), bytes);
            planned += 2 * bytes;
            last -= run;
        }
    }
}

void KvPrefetch::issue(std::int64_t begin, std::int64_t end, std::int64_t total) const {
#if defined(__x86_64__) || defined(__i386__)
    for_each_line(begin, end, total, [](const char* line) { _mm_prefetch(line, _MM_HINT_T1); });
#else
    (void)begin;
    (void)end;
    (void)total;
#endif
}

}  // namespace hearth::backend::cpu
