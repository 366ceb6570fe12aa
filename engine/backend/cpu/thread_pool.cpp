#include "backend/cpu/thread_pool.h"

#include <algorithm>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define HEARTH_CPU_RELAX() _mm_pause()
#else
#define HEARTH_CPU_RELAX() std::this_thread::yield()
#endif

namespace hearth::backend::cpu {
namespace {
// About 50–100 µs of spinning: long enough to span the gap between two ops of one forward pass, short
// enough that an idle app does not keep cores busy.
constexpr int k_spin_iterations = 20000;
thread_local int t_thread_index = 0;
}  // namespace

int ThreadPool::current_thread_index() { return t_thread_index; }

ThreadPool::ThreadPool(int n_threads) : m_n_threads(std::max(1, n_threads)) {
    for (int i = 1; i < m_n_threads; ++i) m_workers.emplace_back([this, i] { worker_loop(i); });
}

ThreadPool::~ThreadPool() {
    m_stopping.store(true);
    m_generation.fetch_add(1);
    m_generation.notify_all();
    for (auto& worker : m_workers) worker.join();
}

void ThreadPool::work_on_current_job() {
    for (;;) {
        const std::int64_t begin = m_next_item.fetch_add(m_grain, std::memory_order_relaxed);
        if (begin >= m_n_items) return;
        (*m_job)(begin, std::min(m_n_items, begin + m_grain));
    }
}

void ThreadPool::run(std::int64_t n_items, std::int64_t grain,
                     const std::function<void(std::int64_t, std::int64_t)>& fn) {
    if (n_items <= 0) return;
    grain = std::max<std::int64_t>(1, grain);
    if (m_workers.empty() || n_items <= grain) {
        fn(0, n_items);
        return;
    }
    m_job = &fn;
    m_n_items = n_items;
    m_grain = grain;
    m_next_item.store(0, std::memory_order_relaxed);
    m_busy_workers.store(static_cast<int>(m_workers.size()), std::memory_order_relaxed);
    m_generation.fetch_add(1, std::memory_order_release);
    m_generation.notify_all();
    work_on_current_job();
    // Spin briefly, then yield: when the machine is busy (a compile, a browser) a worker may be waiting for
    // a core, and spinning here would keep it off this one for a whole time slice.
    for (int spin = 0; m_busy_workers.load(std::memory_order_acquire) != 0; ++spin) {
        if (spin < k_spin_iterations / 4) HEARTH_CPU_RELAX();
        else std::this_thread::yield();
    }
    m_job = nullptr;
}

void ThreadPool::worker_loop(int index) {
    t_thread_index = index;
    std::uint64_t seen = 0;
    for (;;) {
        std::uint64_t generation = m_generation.load(std::memory_order_acquire);
        for (int spin = 0; generation == seen && spin < k_spin_iterations; ++spin) {
            HEARTH_CPU_RELAX();
            generation = m_generation.load(std::memory_order_acquire);
        }
        if (generation == seen) {
            m_generation.wait(seen, std::memory_order_acquire);
            continue;
        }
        seen = generation;
        if (m_stopping.load()) return;
        work_on_current_job();
        m_busy_workers.fetch_sub(1, std::memory_order_acq_rel);
    }
}

}  // namespace hearth::backend::cpu
