// CpuBackend::prepare_weights: every matrix copied into one buffer, Q4_0, Q4_1, Q5_0 and Q8_0 repacked on the
// way into eight-row groups where the rows come in eights (other Q4_1 matrices into split rows).
//
// The buffer asks Linux for transparent huge pages: decode streams every weight once per token, and with
// 4 KB pages (a memory-mapped file has nothing else) that is a TLB miss every 4 KB. On the development VM
// (2 cores) the layout and the pages took the Q4_1 kernel from about 38 to 46 G weights/s on a 64 MB
// matrix, and SmolLM2's Q8_0 output head from ~1.08 to ~0.92 ms per token.
// Each part copied (8 MB) is reported to the caller, so the model loader drops the file's pages as the copy
// goes: memory holds about one copy of the model throughout.
#include <algorithm>
#include <cstdlib>
#include <cstring>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "backend/cpu/cpu_backend.h"

namespace hearth::backend::cpu {
namespace {

constexpr std::size_t k_huge_page = std::size_t{2} << 20;
constexpr std::size_t k_part_bytes = std::size_t{8} << 20;  // reported to the caller as it is copied

class WeightArena final : public Buffer {
public:
    WeightArena(void* data, std::size_t size) : m_data(data), m_size(size) {}
    ~WeightArena() override { std::free(m_data); }
    void* data() override { return m_data; }
    std::size_t size() const override { return m_size; }

private:
    void* m_data;
    std::size_t m_size;
};

std::size_t matrix_bytes(const Tensor& m) { return m.row_bytes * static_cast<std::size_t>(m.rows); }
std::size_t round_up(std::size_t n, std::size_t to) { return (n + to - 1) / to * to; }

}  // namespace

const RowKernels* CpuBackend::kernels_for(const Weight& w) {
    return row_kernels(w.matrix.type, static_cast<hearth::cpu::RowLayout>(w.layout));
}

Result<std::unique_ptr<Buffer>> CpuBackend::prepare_weights(std::span<Weight* const> weights, const WeightMoved& moved) {
    using hearth::cpu::RowLayout;
    if (m_matmul_path != MatmulPath::int16) return std::unique_ptr<Buffer>{};  // other paths read stored rows
    // A weight already prepared (layout set) stays where it is.
    std::size_t total = 0;
    for (const Weight* w : weights)
        if (w->layout == 0) total += round_up(matrix_bytes(w->matrix), 64);
    if (total == 0) return std::unique_ptr<Buffer>{};

    const std::size_t size = round_up(total, k_huge_page);
    void* data = std::aligned_alloc(k_huge_page, size);
    if (data == nullptr)
        return Error{"out of memory: could not allocate " + std::to_string(total) + " bytes for the model's weights"};
#if defined(MADV_HUGEPAGE)
    madvise(data, size, MADV_HUGEPAGE);  // a hint: without huge pages everything still works
#endif
    auto arena = std::make_unique<WeightArena>(data, size);
    auto* next = static_cast<std::byte*>(data);
    for (std::size_t i = 0; i < weights.size(); ++i) {
        Weight* w = weights[i];
        if (w->layout != 0) continue;
        Tensor& m = w->matrix;
        const RowLayout layout = hearth::cpu::preferred_row_layout(m.type, m.rows);
        const std::int64_t group = hearth::cpu::layout_group_rows(layout);
        // In parts of whole rows (whole groups), each reported once copied: the caller may drop the old
        // pages as the copy goes, so a large matrix (a tied embedding) is not held twice.
        const auto rows_per_part =
            std::max<std::int64_t>(1, static_cast<std::int64_t>(k_part_bytes / std::max<std::size_t>(m.row_bytes, 1)) / group) * group;
        for (std::int64_t first = 0; first < m.rows; first += rows_per_part) {
            const std::int64_t count = std::min(rows_per_part, m.rows - first);
            const std::size_t offset = m.row_bytes * static_cast<std::size_t>(first);
            const std::size_t bytes = m.row_bytes * static_cast<std::size_t>(count);
            if (layout == RowLayout::as_stored) {
                std::memcpy(next + offset, m.row(first), bytes);
            } else {
                for (std::int64_t r = first; r < first + count; r += group)
                    hearth::cpu::repack_rows(layout, m.row(r), m.row_bytes, next + m.row_bytes * static_cast<std::size_t>(r), m.cols);
            }
            if (moved && !moved(i, m.row(first), bytes)) return Error{"cancelled while moving the weights"};
        }
        m.data = next;
        w->layout = static_cast<std::uint8_t>(layout);
        next += round_up(matrix_bytes(m), 64);
    }
    return std::unique_ptr<Buffer>(std::move(arena));
}

}  // namespace hearth::backend::cpu
