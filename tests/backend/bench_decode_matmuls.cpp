// Micro benchmark (not a test) of decode's matrix products as the transformer runs them: one token through
// L layers of SmolLM2-135M-shaped matrices of one type (Q, K, V as one job, O, gate and up as one job, down),
// prepared as the loader prepares them, then a Q8_0 output head. Reports GB/s of weights per pass and per
// group, so task sizes and kernels can be compared without the rest of the forward pass's noise.
//
//   bench_decode_matmuls [threads, default 2] [passes, default 200] [layers, default 30] [layer type: Q4_1
//                        (default), Q4_0 or Q8_0]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "backend/cpu/cpu_backend.h"
#include "hearth/tensor_type.h"

namespace be = hearth::backend;
using hearth::TensorType;

namespace {

struct HostMatrix {
    std::vector<std::uint8_t> bytes;
    be::Weight weight;
};

HostMatrix random_matrix(TensorType type, std::int64_t rows, std::int64_t cols, std::mt19937& rng) {
    HostMatrix h;
    const auto& tr = hearth::traits(type);
    const std::size_t row_bytes = static_cast<std::size_t>(cols / tr.block_elements) * tr.block_bytes;
    h.bytes.resize(row_bytes * static_cast<std::size_t>(rows));
    for (auto& b : h.bytes) b = static_cast<std::uint8_t>(rng());
    for (std::size_t block = 0; block < h.bytes.size() / tr.block_bytes; ++block) {
        const std::uint16_t d = 0x2400, m = 0xB000;  // small finite scales (Q4_1: d, m; Q8_0: d)
        std::memcpy(&h.bytes[block * tr.block_bytes], &d, 2);
        if (type == TensorType::Q4_1) std::memcpy(&h.bytes[block * tr.block_bytes + 2], &m, 2);
    }
    h.weight.matrix = {h.bytes.data(), type, rows, cols, row_bytes};
    return h;
}

be::Tensor f32_row(std::vector<float>& storage, std::int64_t cols) {
    storage.assign(static_cast<std::size_t>(cols), 0.5f);
    return {storage.data(), TensorType::F32, 1, cols, static_cast<std::size_t>(cols) * sizeof(float)};
}

}  // namespace

int main(int argc, char** argv) {
    const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
    const int passes = argc > 2 ? std::atoi(argv[2]) : 200;
    const int layers = argc > 3 ? std::atoi(argv[3]) : 30;
    const std::string type_name = argc > 4 ? argv[4] : "Q4_1";
    const TensorType layer_type = type_name == "Q4_0" ? TensorType::Q4_0 : type_name == "Q8_0" ? TensorType::Q8_0 : TensorType::Q4_1;
    constexpr std::int64_t hidden = 576, kv = 192, ffn = 1536, vocab = 49152;
    std::mt19937 rng(7);
    std::vector<HostMatrix> m;  // per layer: q, k, v, o, gate, up, down; then the head
    for (int l = 0; l < layers; ++l) {
        m.push_back(random_matrix(layer_type, hidden, hidden, rng));
        m.push_back(random_matrix(layer_type, kv, hidden, rng));
        m.push_back(random_matrix(layer_type, kv, hidden, rng));
        m.push_back(random_matrix(layer_type, hidden, hidden, rng));
        m.push_back(random_matrix(layer_type, ffn, hidden, rng));
        m.push_back(random_matrix(layer_type, ffn, hidden, rng));
        m.push_back(random_matrix(layer_type, hidden, ffn, rng));
    }
    m.push_back(random_matrix(TensorType::Q8_0, vocab, hidden, rng));

    be::cpu::CpuBackend backend(be::cpu::CpuBackendOptions{threads, be::cpu::MatmulPath::int16});
    std::vector<be::Weight*> all;
    for (auto& h : m) all.push_back(&h.weight);
    auto prepared = backend.prepare_weights(all);
    if (!prepared) {
        std::fprintf(stderr, "prepare_weights failed\n");
        return 1;
    }
    for (auto& h : m) std::vector<std::uint8_t>().swap(h.bytes);  // the originals are no longer read

    std::vector<float> xs, qs, ks, vs, os, gs, us, ds, logits_s;
    const be::Tensor x = f32_row(xs, hidden), q = f32_row(qs, hidden), k = f32_row(ks, kv), v = f32_row(vs, kv);
    const be::Tensor o = f32_row(os, hidden), g = f32_row(gs, ffn), u = f32_row(us, ffn), d = f32_row(ds, hidden);
    const be::Tensor logits = f32_row(logits_s, vocab);

    using clock = std::chrono::steady_clock;
    enum { qkv, out, gate_up, down, head, groups };
    const char* names[groups] = {"qkv", "o", "gate+up", "down", "head"};
    double bytes[groups] = {}, seconds[groups] = {};
    std::vector<double> pass_seconds;
    for (int l = 0; l < layers; ++l) {
        auto rb = [&](int i) { return double(m[std::size_t(7 * l + i)].weight.matrix.row_bytes) * double(m[std::size_t(7 * l + i)].weight.matrix.rows); };
        bytes[qkv] += rb(0) + rb(1) + rb(2);
        bytes[out] += rb(3);
        bytes[gate_up] += rb(4) + rb(5);
        bytes[down] += rb(6);
    }
    bytes[head] = double(m.back().weight.matrix.row_bytes) * double(vocab);
    double total_bytes = 0;
    for (double b : bytes) total_bytes += b;

    for (int p = 0; p < passes + 3; ++p) {
        const bool counted = p >= 3;  // three warm-up passes
        const auto start = clock::now();
        auto timed = [&](int group, auto&& fn) {
            const auto t0 = clock::now();
            fn();
            if (counted) seconds[group] += std::chrono::duration<double>(clock::now() - t0).count();
        };
        for (int l = 0; l < layers; ++l) {
            const be::Backend::MatmulTarget targets_qkv[] = {{&m[std::size_t(7 * l)].weight, q},
                                                             {&m[std::size_t(7 * l + 1)].weight, k},
                                                             {&m[std::size_t(7 * l + 2)].weight, v}};
            timed(qkv, [&] { backend.matmuls(x, targets_qkv); });
            timed(out, [&] { backend.matmul(q, m[std::size_t(7 * l + 3)].weight, o); });
            const be::Backend::MatmulTarget targets_gu[] = {{&m[std::size_t(7 * l + 4)].weight, g},
                                                            {&m[std::size_t(7 * l + 5)].weight, u}};
            timed(gate_up, [&] { backend.matmuls(o, targets_gu); });
            timed(down, [&] { backend.matmul(g, m[std::size_t(7 * l + 6)].weight, d); });
        }
        timed(head, [&] { backend.matmul(d, m.back().weight, logits); });
        if (counted) pass_seconds.push_back(std::chrono::duration<double>(clock::now() - start).count());
    }
    std::sort(pass_seconds.begin(), pass_seconds.end());
    const double median = pass_seconds[pass_seconds.size() / 2];
    std::printf("decode matmuls: %d layers of %s, %.1f MB of weights, %d threads, %d passes\n", layers, type_name.c_str(),
                total_bytes / 1e6, threads, passes);
    std::printf("pass: median %.0f us = %.1f GB/s, best %.0f us = %.1f GB/s\n", median * 1e6, total_bytes / median / 1e9,
                pass_seconds.front() * 1e6, total_bytes / pass_seconds.front() / 1e9);
    for (int gi = 0; gi < groups; ++gi)
        std::printf("  %-8s %7.0f us/pass  %5.1f GB/s\n", names[gi], seconds[gi] / passes * 1e6,
                    bytes[gi] * passes / seconds[gi] / 1e9);
    return 0;
}
