#pragma once
// A fixed team of worker threads for the CPU backend's ops. Decode runs a few hundred small ops per token,
// so handing out work must cost microseconds, not a condition-variable round trip: idle workers spin for a
// short while before they sleep, and the calling thread works too instead of waiting.
//
// A run waits only for the workers that joined it. On a busy machine (a compile, another app) a worker may
// not get a core for a whole time slice; the caller then does that worker's share itself and closes the
// job, instead of waiting milliseconds for a worker that would find nothing left to do.

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

namespace hearth::backend::cpu {

class ThreadPool {
public:
    // n_threads counts the calling thread: 1 means no workers at all.
    explicit ThreadPool(int n_threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int size() const { return m_n_threads; }

    // Calls fn(begin, end) over [0, n_items) in chunks of at most `grain` items, spread over all threads;
    // returns when every item is done. Not reentrant: fn must not call run().
    void run(std::int64_t n_items, std::int64_t grain, const std::function<void(std::int64_t, std::int64_t)>& fn);

    // The thread's index in the team during run(): 0 for the caller, 1.. for workers (for per-thread scratch).
    static int current_thread_index();

private:
    void worker_loop(int index);
    void work_on_current_job();

    int m_n_threads = 1;
    std::vector<std::thread> m_workers;
    const std::function<void(std::int64_t, std::int64_t)>* m_job = nullptr;
    std::int64_t m_n_items = 0;
    std::int64_t m_grain = 1;
    std::atomic<std::int64_t> m_next_item{0};
    // The job's state in one word, so joining a job and closing it cannot race: bits 32–63 count jobs
    // (a new value wakes the workers), bit 31 says the job takes no more workers, bits 0–30 count the
    // workers inside it.
    std::atomic<std::uint64_t> m_state{0};
    std::atomic<bool> m_stopping{false};
};

}  // namespace hearth::backend::cpu
