// Micro benchmark of the CPU row kernels (not a test): G weights/s of dot_f32, dot_quantized and dot_quantized16 for every
// supported type, scalar table vs the table row_kernels() picks, one thread, on a weight matrix small
// enough to stay in L2 (the regime of one core's share of a decode matmul once the prefetchers keep up).
//
//   bench_row_kernels [seconds per measurement, default 0.3] [matrix KiB, default 384]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "backend/cpu/quant/row_kernels.h"
#include "hearth/tensor_type.h"

using hearth::TensorType;
using hearth::cpu::RowKernels;

namespace {

constexpr std::int64_t k_n = 2048;  // elements per row: a multiple of every block, a typical hidden size

struct Matrix {
    std::int64_t rows = 0;
    std::size_t row_bytes = 0;
    std::vector<std::uint8_t> data;
};

std::uint16_t f16_bits(float v) {
    // Good enough for test scales: normal range, truncating mantissa.
    std::uint32_t b;
    std::memcpy(&b, &v, 4);
    const std::uint32_t sign = (b >> 16) & 0x8000u;
    const int exp = int((b >> 23) & 0xFF) - 127 + 15;
    return static_cast<std::uint16_t>(sign | (std::uint32_t(exp) << 10) | ((b >> 13) & 0x3FFu));
}

// Random blocks; the f16 scale fields (wherever they sit) stay harmless because every 2-byte word that
// decodes to Inf/NaN is replaced. Plain types get normal floats (no denormal slow paths).
Matrix make_matrix(TensorType type, std::size_t target_bytes, std::mt19937& rng) {
    Matrix m;
    m.row_bytes = static_cast<std::size_t>(*hearth::bytes_for(type, k_n));
    m.rows = std::max<std::int64_t>(1, std::int64_t(target_bytes / m.row_bytes));
    m.data.resize(m.row_bytes * std::size_t(m.rows));
    std::normal_distribution<float> normal(0.0f, 0.02f);
    if (type == TensorType::F32) {
        for (std::size_t i = 0; i < m.data.size(); i += 4) {
            const float v = normal(rng);
            std::memcpy(&m.data[i], &v, 4);
        }
    } else if (type == TensorType::F16 || type == TensorType::BF16) {
        for (std::size_t i = 0; i < m.data.size(); i += 2) {
            const float v = normal(rng);
            std::uint32_t b;
            std::memcpy(&b, &v, 4);
            const std::uint16_t h = type == TensorType::F16 ? f16_bits(v) : std::uint16_t(b >> 16);
            std::memcpy(&m.data[i], &h, 2);
        }
    } else {
        for (auto& byte : m.data) byte = std::uint8_t(rng());
        for (std::size_t i = 0; i + 1 < m.data.size(); i += 2) {
            std::uint16_t h;
            std::memcpy(&h, &m.data[i], 2);
            if ((h & 0x7C00u) == 0x7C00u) h = f16_bits(0.01f);
            std::memcpy(&m.data[i], &h, 2);
        }
    }
    return m;
}

template <typename Fn>
double weights_per_second(const Matrix& m, double seconds, Fn dot) {
    using clock = std::chrono::steady_clock;
    volatile float sink = 0.0f;
    std::int64_t passes = 0;
    const auto start = clock::now();
    double elapsed = 0.0;
    do {
        float acc = 0.0f;
        for (std::int64_t r = 0; r < m.rows; ++r) acc += dot(m.data.data() + std::size_t(r) * m.row_bytes);
        sink = sink + acc;
        ++passes;
        elapsed = std::chrono::duration<double>(clock::now() - start).count();
    } while (elapsed < seconds);
    return double(passes) * double(m.rows) * double(k_n) / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
    const double seconds = argc > 1 ? std::atof(argv[1]) : 0.3;
    const std::size_t target_bytes = std::size_t(argc > 2 ? std::atoi(argv[2]) : 384) * 1024;
    std::mt19937 rng(42);
    std::vector<float> x(k_n);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    for (auto& v : x) v = normal(rng);

    std::printf("row kernels: %s table, n = %lld per row, ~%zu KiB of weights, one thread\n",
                hearth::cpu::row_kernels_isa(), static_cast<long long>(k_n), target_bytes / 1024);
    std::printf("%-5s %6s | %-25s | %-25s | %-12s | %s\n", "type", "B/w", "dot_f32  G w/s", "dot_quantized  G w/s",
                "int16  G w/s", "best: GB/s of weights");
    std::printf("%-5s %6s | %12s %12s | %12s %12s | %12s |\n", "", "", "scalar", "vector", "scalar", "vector", "vector");
    for (TensorType type : {TensorType::F32, TensorType::F16, TensorType::BF16, TensorType::Q4_0, TensorType::Q4_1,
                            TensorType::Q5_0, TensorType::Q5_1, TensorType::Q8_0, TensorType::Q2_K, TensorType::Q3_K,
                            TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K}) {
        const Matrix m = make_matrix(type, target_bytes, rng);
        const double bytes_per_weight = double(m.row_bytes) / double(k_n);
        const RowKernels* tables[2] = {hearth::cpu::row_kernels_scalar(type), hearth::cpu::row_kernels(type)};
        double f32_rate[2] = {0, 0}, q_rate[2] = {0, 0};
        for (int t = 0; t < 2; ++t) {
            const RowKernels* k = tables[t];
            f32_rate[t] = weights_per_second(m, seconds, [&](const void* row) { return k->dot_f32(row, x.data(), k_n); });
            if (k->dot_quantized) {
                std::vector<std::uint8_t> xq(hearth::cpu::activation_row_bytes(k->activation_type, k_n));
                k->quantize_activations(x.data(), xq.data(), k_n);
                q_rate[t] = weights_per_second(m, seconds, [&](const void* row) {
                    return k->dot_quantized(row, xq.data(), k_n);
                });
            }
        }
        // The int16 path (vector table).
        double int16_rate = 0;
        if (const RowKernels* k = tables[1]; k->dot_quantized16) {
            std::vector<std::uint8_t> xq(hearth::cpu::activation16_row_bytes(k->activation16, k_n));
            k->quantize_activations16(x.data(), xq.data(), k_n);
            int16_rate = weights_per_second(m, seconds, [&](const void* row) { return k->dot_quantized16(row, xq.data(), k_n); });
        }
        const double best = std::max({f32_rate[1], q_rate[1], int16_rate});
        std::printf("%-5s %6.3f | %12.2f %12.2f | %12.2f %12.2f | %12.2f | %6.1f\n", std::string(hearth::name(type)).c_str(),
                    bytes_per_weight, f32_rate[0] / 1e9, f32_rate[1] / 1e9, q_rate[0] / 1e9, q_rate[1] / 1e9,
                    int16_rate / 1e9, best * bytes_per_weight / 1e9);
    }

    // The activation quantizers run once per matmul input row; their cost per element for scale.
    for (TensorType w : {TensorType::Q8_0, TensorType::Q4_1, TensorType::Q4_K}) {
        for (int t = 0; t < 2; ++t) {
            const RowKernels* k = t == 0 ? hearth::cpu::row_kernels_scalar(w) : hearth::cpu::row_kernels(w);
            std::vector<std::uint8_t> xq(hearth::cpu::activation_row_bytes(k->activation_type, k_n));
            using clock = std::chrono::steady_clock;
            std::int64_t reps = 0;
            const auto start = clock::now();
            double elapsed = 0.0;
            do {
                k->quantize_activations(x.data(), xq.data(), k_n);
                ++reps;
                elapsed = std::chrono::duration<double>(clock::now() - start).count();
            } while (elapsed < seconds / 3);
            std::printf("quantize_activations for %s (%s): %.2f G elements/s\n", std::string(hearth::name(w)).c_str(),
                        t == 0 ? "scalar" : "vector", double(reps) * double(k_n) / elapsed / 1e9);
        }
    }
    return 0;
}
