#pragma once
// The machine's memory bandwidth, measured: the limit decode speed is judged against (hearth-cli bench).

namespace hearth {

struct MemoryBandwidth {
    double copy_gbs = 0.0;  // a large memcpy split over `threads` threads, bytes read + bytes written per second
    int threads = 1;
};

// Copies a buffer far larger than any cache (256 MiB) a few times over `threads` threads and keeps the best
// run. Takes about a second.
MemoryBandwidth measure_memory_bandwidth(int threads);

}  // namespace hearth
