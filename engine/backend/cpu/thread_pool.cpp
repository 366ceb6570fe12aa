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
constexpr std::uint64_t k_job_unit = std::uint64_t{1} << 32;
constexpr std::uint64_t k_closed = std::uint64_t{1} << 31;
constexpr std::uint64_t k_workers_mask = k_closed - 1;
thread_local int t_thread_index = 0;

std::uint64_t job_of(std::uint64_t state) { return state >> 32; }
}  // namespace

int ThreadPool::current_thread_index() { return t_thread_index; }

ThreadPool::ThreadPool(int n_threads) : m_n_threads(std::max(1, n_threads)) {
    for (int i = 1; i < m_n_threads; ++i) m_workers.emplace_back([this, i] { worker_loop(i); });
}

ThreadPool::~ThreadPool() {
    m_stopping.store(true);
    m_state.fetch_add(k_job_unit);
    m_state.notify_all();
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
    // No worker is inside a job here (the last run waited for them), so the fields are ours to set; the
    // release below publishes them with the new job number.
    m_job = &fn;
    m_n_items = n_items;
    m_grain = grain;
    m_next_item.store(0, std::memory_order_relaxed);
    const std::uint64_t job = job_of(m_state.load(std::memory_order_relaxed)) + 1;
    m_state.store(job << 32, std::memory_order_release);
    m_state.notify_all();
    work_on_current_job();
    // Every item is taken. Close the job so no late worker joins, then wait for those inside: they hold
    // items and are running them (spinning briefly, then yielding the core to them).
    std::uint64_t state = m_state.fetch_or(k_closed, std::memory_order_acq_rel);
    for (int spin = 0; (state & k_workers_mask) != 0; ++spin) {
        if (spin < k_spin_iterations / 4) HEARTH_CPU_RELAX();
        else std::this_thread::yield();
        state = m_state.load(std::memory_order_acquire);
    }
    m_job = nullptr;
}

void ThreadPool::worker_loop(int index) {
    t_thread_index = index;
    std::uint64_t seen_job = 0;
    for (;;) {
        std::uint64_t state = m_state.load(std::memory_order_acquire);
        for (int spin = 0; job_of(state) == seen_job && spin < k_spin_iterations; ++spin) {
            HEARTH_CPU_RELAX();
            state = m_state.load(std::memory_order_acquire);
        }
        if (job_of(state) == seen_job) {
            m_state.wait(state, std::memory_order_acquire);
            continue;
        }
        seen_job = job_of(state);
        if (m_stopping.load()) return;
        // Join the job unless it is closed or already replaced by a newer one (this worker woke too late).
        bool joined = false;
        while (job_of(state) == seen_job && (state & k_closed) == 0) {
            if (m_state.compare_exchange_weak(state, state + 1, std::memory_order_acq_rel, std::memory_order_acquire)) {
                joined = true;
                break;
            }
        }
        if (!joined) continue;
        work_on_current_job();
        m_state.fetch_sub(1, std::memory_order_release);
    }
}

}  // namespace hearth::backend::cpu
