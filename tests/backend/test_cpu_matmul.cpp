// CpuBackend::matmul and matmuls on every matmul path, with quantized weights of the types SmolLM2 uses
// (Q4_1, Q8_0) and a bias: matmuls (one job for several matrices at decode) must give exactly what matmul
// gives matrix by matrix, and every path must stay within its activation quantization bound of an f64
// reference computed from the dequantized weights; and all of it again after prepare_weights, which on the
// int16 path moves every matrix into the backend's buffer and repacks Q4_1 (the split layout).
#include <QtTest/QTest>

#include <cmath>
#include <cstddef>
#include <memory>
#include <random>
#include <vector>

#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/quant/block_layouts.h"
#include "backend/cpu/quant/row_kernels.h"

namespace be = hearth::backend;
namespace cpu = hearth::backend::cpu;
using hearth::TensorType;

namespace {

struct HostWeight {
    std::vector<std::uint8_t> bytes;
    std::vector<float> bias;
    std::vector<float> dequantized;
    be::Weight weight;
    std::int64_t rows = 0, cols = 0;
};

// Random blocks of `type` with f16 scales of a sane size (d = 2^-6, m = −2^-3 where the type has m).
HostWeight random_weight(TensorType type, std::int64_t rows, std::int64_t cols, bool with_bias, unsigned seed) {
    HostWeight h;
    h.rows = rows;
    h.cols = cols;
    const auto& tr = hearth::traits(type);
    const std::size_t row_bytes = static_cast<std::size_t>(cols / tr.block_elements) * tr.block_bytes;
    h.bytes.resize(row_bytes * static_cast<std::size_t>(rows));
    std::mt19937 rng(seed);
    for (auto& b : h.bytes) b = static_cast<std::uint8_t>(rng());
    // Where each block keeps its f16 scale d and (for the types with one) its offset m / dmin.
    const std::size_t d_at = type == TensorType::Q6_K ? offsetof(hearth::cpu::quant::block_q6_k, d) : 0;
    const bool has_m = type == TensorType::Q4_1 || type == TensorType::Q4_K;
    for (std::size_t block = 0; block < h.bytes.size() / tr.block_bytes; ++block) {
        const std::uint16_t d = type == TensorType::Q6_K || type == TensorType::Q4_K ? 0x1C00 : 0x2400, m = 0xB000;
        std::memcpy(&h.bytes[block * tr.block_bytes + d_at], &d, 2);
        if (has_m) std::memcpy(&h.bytes[block * tr.block_bytes + 2], &m, 2);
    }
    h.dequantized.resize(static_cast<std::size_t>(rows * cols));
    const auto* k = hearth::cpu::row_kernels_scalar(type);
    for (std::int64_t r = 0; r < rows; ++r)
        k->dequantize(h.bytes.data() + row_bytes * static_cast<std::size_t>(r), h.dequantized.data() + r * cols, cols);
    h.weight.matrix = {h.bytes.data(), type, rows, cols, row_bytes};
    if (with_bias) {
        h.bias.resize(static_cast<std::size_t>(rows));
        for (auto& b : h.bias) b = std::uniform_real_distribution<float>(-1.0f, 1.0f)(rng);
        h.weight.bias = {h.bias.data(), TensorType::F32, 1, rows, static_cast<std::size_t>(rows) * sizeof(float)};
    }
    return h;
}

be::Tensor f32_tensor(std::vector<float>& v, std::int64_t rows, std::int64_t cols) {
    return {v.data(), TensorType::F32, rows, cols, static_cast<std::size_t>(cols) * sizeof(float)};
}

}  // namespace

class TestCpuMatmul : public QObject {
    Q_OBJECT

private slots:
    void matmulsEqualsMatmulOneByOne_data() {
        QTest::addColumn<int>("path");
        QTest::addColumn<int>("tokens");
        QTest::addColumn<bool>("k_types");
        QTest::addColumn<bool>("prepared");
        for (int path : {int(cpu::MatmulPath::int16), int(cpu::MatmulPath::split8), int(cpu::MatmulPath::int8),
                         int(cpu::MatmulPath::exact)}) {
            for (int tokens : {1, 3, 9}) {
                for (bool k_types : {false, true}) {
                    for (bool prepared : {false, true}) {
                        QTest::newRow(qPrintable(QStringLiteral("%1, %2 tokens%3%4").arg(QString::fromUtf8(cpu::name(cpu::MatmulPath(path)).data()))
                                                     .arg(tokens).arg(k_types ? ", with K types" : "")
                                                     .arg(prepared ? ", prepared" : "")))
                            << path << tokens << k_types << prepared;
                    }
                }
            }
        }
    }
    void matmulsEqualsMatmulOneByOne() {
        QFETCH(int, path);
        QFETCH(int, tokens);
        QFETCH(bool, k_types);
        QFETCH(bool, prepared);
        // SmolLM2's types, or a mix of all three int16 activation formats (K types need rows of 256s).
        const std::int64_t in = k_types ? 512 : 576;
        cpu::CpuBackend backend(cpu::CpuBackendOptions{2, cpu::MatmulPath(path)});
        std::vector<HostWeight> weights;
        weights.push_back(random_weight(k_types ? TensorType::Q4_K : TensorType::Q4_1, 576, in, false, 1));
        weights.push_back(random_weight(TensorType::Q8_0, 192, in, true, 2));
        weights.push_back(random_weight(TensorType::Q4_1, 1537, in, true, 3));  // odd: a lone last row
        if (k_types) weights.push_back(random_weight(TensorType::Q6_K, 300, in, false, 4));
        weights.push_back(random_weight(TensorType::Q4_0, 200, in, true, 5));
        weights.push_back(random_weight(TensorType::Q5_0, 64, in, false, 6));
        // prepare_weights (as the model loader calls it): on the int16 path every matrix moves into the
        // backend's buffer; where the vector kernels exist Q4_1, Q8_0, Q4_0 and Q5_0 go into eight-row groups
        // (576, 192, 200 and 64 rows), other Q4_1 matrices into split rows (1537); elsewhere nothing moves.
        std::unique_ptr<be::Buffer> arena;
        if (prepared) {
            std::vector<be::Weight*> all;
            for (HostWeight& w : weights) all.push_back(&w.weight);
            auto result = backend.prepare_weights(all);
            QVERIFY(bool(result));
            arena = std::move(result).value();
            const bool moves = path == int(cpu::MatmulPath::int16);
            QCOMPARE(arena != nullptr, moves);
            for (const HostWeight& w : weights) {
                QCOMPARE(w.weight.matrix.data != static_cast<const void*>(w.bytes.data()), moves);
                QCOMPARE(hearth::cpu::RowLayout(w.weight.layout), moves ? hearth::cpu::preferred_row_layout(w.weight.matrix.type, w.weight.matrix.rows)
                                                                        : hearth::cpu::RowLayout::as_stored);
            }
        }
        std::mt19937 rng(9);
        std::vector<float> x(static_cast<std::size_t>(tokens * in));
        for (auto& v : x) v = std::uniform_real_distribution<float>(-2.0f, 2.0f)(rng);
        for (std::size_t i = 5; i < x.size(); i += 101) x[i] *= 30.0f;  // outliers, as hidden states have

        std::vector<std::vector<float>> together(weights.size()), alone(weights.size());
        std::vector<be::Backend::MatmulTarget> targets;
        for (std::size_t i = 0; i < weights.size(); ++i) {
            together[i].assign(static_cast<std::size_t>(tokens * weights[i].rows), NAN);
            alone[i].assign(together[i].size(), NAN);
            targets.push_back({&weights[i].weight, f32_tensor(together[i], tokens, weights[i].rows)});
        }
        const be::Tensor xt = f32_tensor(x, tokens, in);
        backend.matmuls(xt, targets);
        for (std::size_t i = 0; i < weights.size(); ++i) backend.matmul(xt, weights[i].weight, f32_tensor(alone[i], tokens, weights[i].rows));

        // int16 activations err by ≤ max|x|/32767/2 per element, 8-bit ones by ≤ max|x|/127/2 (per 32-block).
        const double step = path == int(cpu::MatmulPath::int8) ? 1.0 / 127 : path == int(cpu::MatmulPath::exact) ? 0.0 : 1.0 / 32767;
        for (std::size_t i = 0; i < weights.size(); ++i) {
            QVERIFY2(std::memcmp(together[i].data(), alone[i].data(), together[i].size() * sizeof(float)) == 0,
                     qPrintable(QStringLiteral("matrix %1 differs").arg(i)));
            const HostWeight& w = weights[i];
            for (int t = 0; t < tokens; ++t) {
                const float* xr = x.data() + t * in;
                for (std::int64_t r = 0; r < w.rows; ++r) {
                    double ref = w.bias.empty() ? 0.0 : w.bias[static_cast<std::size_t>(r)], mag = 0.0, bound = 0.0;
                    // The activation block: 256 elements for the K types, 32 for the others.
                    const bool k_weight = w.weight.matrix.type == TensorType::Q4_K || w.weight.matrix.type == TensorType::Q6_K;
                    const int block = k_weight ? 256 : 32;
                    for (std::int64_t b = 0; b < in; b += block) {
                        float amax = 0.0f;
                        for (int j = 0; j < block; ++j) amax = std::max(amax, std::fabs(xr[b + j]));
                        for (int j = 0; j < block; ++j) {
                            const double wv = w.dequantized[static_cast<std::size_t>(r * in + b + j)];
                            ref += wv * xr[b + j];
                            mag += std::fabs(wv * xr[b + j]);
                            // split8: the remainder's scale is ≤ amax/(127·254), 1.6% above the int16 step
                            bound += std::fabs(wv) * amax * step / 2 * (path == int(cpu::MatmulPath::split8) ? 1.02 : 1.0);
                        }
                    }
                    const double got = together[i][static_cast<std::size_t>(t * w.rows + r)];
                    QVERIFY2(std::fabs(got - ref) <= bound + 1e-5 * mag,
                             qPrintable(QStringLiteral("matrix %1 token %2 row %3: %4 vs %5").arg(i).arg(t).arg(r).arg(got, 0, 'g', 9).arg(ref, 0, 'g', 9)));
                }
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestCpuMatmul)
#include "test_cpu_matmul.moc"
