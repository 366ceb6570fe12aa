#pragma once
// Decode's attention reads a layer's whole KV history from memory: a few hundred kilobytes in short strided
// runs per task, which the hardware prefetchers barely get going on (SmolLM2, 2 threads: ~22 µs a layer
// from memory, ~8 µs with the rows in cache). The matmul before it streams weights with memory bandwidth
// to spare, so the backend plans the rows the next attention will read (Backend::expect_attention) and
// that matmul's tasks prefetch them, each its share, between their weight rows.
//
// HEARTH_NO_KV_PREFETCH=1 in the environment turns it off (to measure what it gives).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "backend/backend.h"

namespace hearth::backend::cpu {

class KvPrefetch {
public:
    // Plans the cache rows (keys and values) of the positions before each token that its mask lets it see,
    // when the batch is decode-sized (at most four tokens; a prefill batch reads the rows it has just
    // written). At most `limit_bytes`: the newest rows are kept, the oldest dropped.
    void plan(const KvLayer& cache, const BatchLayout& batch, const AttentionParams& params, std::size_t limit_bytes);
    void clear();
    bool empty() const { return m_lines == 0; }
    // The planned 64-byte lines.
    std::int64_t lines() const { return m_lines; }

    // Prefetches part [begin, end) of `total` of the planned lines (into L2): tasks that cover [0, total)
    // between them issue every line once.
    void issue(std::int64_t begin, std::int64_t end, std::int64_t total) const;
    // The line addresses issue() would prefetch for that part, in order (for tests).
    template <typename Visit>
    void for_each_line(std::int64_t begin, std::int64_t end, std::int64_t total, Visit&& visit) const;

    static constexpr std::int64_t k_line_bytes = 64;

private:
    struct Range {
        const char* start;        // line-aligned
        std::int64_t first_line;  // lines in the ranges before this one
    };
    void add(const void* start, std::size_t bytes);

    std::vector<Range> m_ranges;
    std::int64_t m_lines = 0;
};

template <typename Visit>
void KvPrefetch::for_each_line(std::int64_t begin, std::int64_t end, std::int64_t total, Visit&& visit) const {
    if (m_lines == 0 || total <= 0) return;
    const std::int64_t from = m_lines * begin / total, to = m_lines * end / total;
    if (from >= to) return;
    auto range = std::upper_bound(m_ranges.begin(), m_ranges.end(), from,
                                  [](std::int64_t line, const Range& r) { return line < r.first_line; }) - 1;
    for (std::int64_t line = from; line < to; ++line) {
        while (range + 1 != m_ranges.end() && (range + 1)->first_line <= line) ++range;
        visit(range->start + (line - range->first_line) * k_line_bytes);
    }
}

}  // namespace hearth::backend::cpu
