#include "hearth/memory_bandwidth.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

namespace hearth {

MemoryBandwidth measure_memory_bandwidth(int threads) {
    threads = std::max(1, threads);
    constexpr std::size_t k_bytes = 256u << 20;
    constexpr int k_runs = 5;
    std::vector<char> source(k_bytes, 1), target(k_bytes, 0);  // written once, so every page is really there
    const std::size_t part = k_bytes / static_cast<std::size_t>(threads);
    double best_seconds = 1e30;
    for (int run = 0; run < k_runs; ++run) {
        const auto start = std::chrono::steady_clock::now();
        std::vector<std::thread> team;
        for (int t = 1; t < threads; ++t)
            team.emplace_back([&, t] { std::memcpy(target.data() + part * t, source.data() + part * t, part); });
        std::memcpy(target.data(), source.data(), part);
        for (auto& thread : team) thread.join();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        best_seconds = std::min(best_seconds, seconds);
    }
    return MemoryBandwidth{2.0 * static_cast<double>(part * static_cast<std::size_t>(threads)) / best_seconds / 1e9,
                           threads};
}

}  // namespace hearth
