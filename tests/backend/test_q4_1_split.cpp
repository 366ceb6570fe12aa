// Q4_1 rows in the CPU backend's split layout (block_layouts.h: the scales gathered in front of the
// nibbles), which CpuBackend::prepare_weights makes at load time for the int16 path:
//   repack          dequantizing a repacked row gives gguf-py's values for the stored row, bit for bit
//                   (the golden rows of tests/data/golden/quant/Q4_1.bin), and random rows of 1, 7, 8, 9, 18
//                   and 48 blocks (the kernel takes eight at a time plus a tail) equal the stored layout's.
//   quantize        quantize_q16_1s, scalar and vector, writes exactly act_q16_1's bytes, moved apart.
//   dot             scalar and vector, against Σ w·x̂ in f64 (x̂ read back from the activations):
//                   ≤ 1e-5·Σ|w·x̂| (exact integer sums, one f32 rounding per block's scale product, f32
//                   accumulation), on odd addresses; and blocks of all-0x00/0x7F/0x80/0xFF nibbles.
#include <QtTest/QTest>

#include "backend/cpu/quant/kernels.h"
#include "row_kernel_test_support.h"

using namespace row_kernel_tests;
using hearth::cpu::RowLayout;

namespace {

const RowKernels* split_kernels(bool scalar) {
    return scalar ? hearth::cpu::row_kernels_scalar(TensorType::Q4_1, RowLayout::q4_1_split)
                  : hearth::cpu::row_kernels(TensorType::Q4_1, RowLayout::q4_1_split);
}

std::vector<std::uint8_t> repacked(const std::uint8_t* row, int n) {
    std::vector<std::uint8_t> out(std::size_t(n / 32) * sizeof(q::block_q4_1));
    hearth::cpu::repack_row(RowLayout::q4_1_split, row, out.data(), n);
    return out;
}

// Random Q4_1 blocks with f16 scales of a sane size (d = 2^-6, m = −2^-3 .. as in test_cpu_matmul).
std::vector<std::uint8_t> random_q4_1(int blocks, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<std::uint8_t> raw(std::size_t(blocks) * sizeof(q::block_q4_1));
    for (auto& b : raw) b = std::uint8_t(rng());
    for (int b = 0; b < blocks; ++b) {
        const std::uint16_t d = std::uint16_t(0x2000 + rng() % 0x800), m = std::uint16_t(0xA800 + rng() % 0x800);
        std::memcpy(&raw[std::size_t(b) * sizeof(q::block_q4_1)], &d, 2);
        std::memcpy(&raw[std::size_t(b) * sizeof(q::block_q4_1) + 2], &m, 2);
    }
    return raw;
}

// Checks dot(row, x) for one stored row against Σ w·x̂ in f64.
void check_dot(const RowKernels* k, const std::vector<std::uint8_t>& stored, const std::vector<float>& x, const char* what) {
    const int n = int(x.size());
    std::vector<float> w(static_cast<std::size_t>(n));
    hearth::cpu::row_kernels_scalar(TensorType::Q4_1)->dequantize(stored.data(), w.data(), n);
    std::vector<std::uint8_t> act(hearth::cpu::activation16_row_bytes(k->activation16, n));
    k->quantize_activations16(x.data(), act.data(), n);
    std::vector<float> x_hat(static_cast<std::size_t>(n));
    hearth::cpu::dequantize_activations16(k->activation16, act.data(), x_hat.data(), n);
    double ref = 0.0, mag = 0.0;
    for (int i = 0; i < n; ++i) {
        ref += double(w[std::size_t(i)]) * x_hat[std::size_t(i)];
        mag += std::fabs(double(w[std::size_t(i)]) * x_hat[std::size_t(i)]);
    }
    const std::vector<std::uint8_t> row = repacked(stored.data(), n);
    const OddBytes odd_row(row.data(), row.size()), odd_act(act.data(), act.size());
    const double got = k->dot_quantized16(odd_row.data(), odd_act.data(), n);
    QVERIFY2(std::fabs(got - ref) <= 1e-5 * mag,
             qPrintable(QStringLiteral("%1, n %2: got %3, Σw·x̂ %4").arg(what).arg(n).arg(got, 0, 'g', 10).arg(ref, 0, 'g', 10)));
}

}  // namespace

class TestQ41Split : public QObject {
    Q_OBJECT

private slots:
    void preferredOnlyWithVectorKernels() {
        const bool vector = QString(hearth::cpu::row_kernels_isa()) == "avx2";
        // Eight-row groups where the rows come in eights, else rows split one by one.
        QCOMPARE(hearth::cpu::preferred_row_layout(TensorType::Q4_1, 577), vector ? RowLayout::q4_1_split : RowLayout::as_stored);
        QCOMPARE(hearth::cpu::preferred_row_layout(TensorType::Q4_1, 576), vector ? RowLayout::q4_1_rows8 : RowLayout::as_stored);
        QCOMPARE(hearth::cpu::preferred_row_layout(TensorType::Q8_0, 576), vector ? RowLayout::q8_0_rows8 : RowLayout::as_stored);
        QCOMPARE(hearth::cpu::preferred_row_layout(TensorType::Q8_0, 577), RowLayout::as_stored);
        QCOMPARE(hearth::cpu::preferred_row_layout(TensorType::Q4_0, 576), vector ? RowLayout::q4_0_rows8 : RowLayout::as_stored);
        QCOMPARE(hearth::cpu::preferred_row_layout(TensorType::Q4_0, 577), RowLayout::as_stored);
        QCOMPARE(hearth::cpu::preferred_row_layout(TensorType::Q5_0, 1024), vector ? RowLayout::q5_0_rows8 : RowLayout::as_stored);
        QCOMPARE(hearth::cpu::preferred_row_layout(TensorType::Q4_K, 576), RowLayout::as_stored);
        QVERIFY(hearth::cpu::row_kernels(TensorType::Q8_0, RowLayout::q4_1_rows8) == nullptr);
        QVERIFY(hearth::cpu::row_kernels(TensorType::Q8_0, RowLayout::q4_1_split) == nullptr);
        QCOMPARE(hearth::cpu::row_kernels(TensorType::Q8_0, RowLayout::as_stored), hearth::cpu::row_kernels(TensorType::Q8_0));
    }

    void repackKeepsTheValues() {
        const Golden g = load_golden(TensorType::Q4_1);
        const auto dequantize = hearth::cpu::row_kernels_scalar(TensorType::Q4_1, RowLayout::q4_1_split)->dequantize;
        for (int r = 0; r < g.n_rows; ++r) {
            const std::vector<std::uint8_t> row = repacked(g.raw.data() + std::size_t(r) * std::size_t(g.row_bytes), g.n_per_row);
            std::vector<float> got(std::size_t(g.n_per_row));
            dequantize(row.data(), got.data(), g.n_per_row);
            QVERIFY(std::memcmp(got.data(), g.values.data() + std::size_t(r) * std::size_t(g.n_per_row),
                                got.size() * sizeof(float)) == 0);
        }
        for (int blocks : {1, 7, 8, 9, 18, 48}) {
            const std::vector<std::uint8_t> stored = random_q4_1(blocks, 10u + unsigned(blocks));
            const int n = 32 * blocks;
            std::vector<float> want(static_cast<std::size_t>(n)), got(static_cast<std::size_t>(n));
            hearth::cpu::row_kernels_scalar(TensorType::Q4_1)->dequantize(stored.data(), want.data(), n);
            dequantize(repacked(stored.data(), n).data(), got.data(), n);
            QVERIFY(std::memcmp(got.data(), want.data(), got.size() * sizeof(float)) == 0);
            // dot_f32 through the split layout: the same values, any summation order.
            const std::vector<float> x = random_x(n, 3u);
            double ref = 0.0, mag = 0.0;
            for (int i = 0; i < n; ++i) {
                ref += double(want[std::size_t(i)]) * x[std::size_t(i)];
                mag += std::fabs(double(want[std::size_t(i)]) * x[std::size_t(i)]);
            }
            const double dot = hearth::cpu::row_kernels(TensorType::Q4_1, RowLayout::q4_1_split)
                                   ->dot_f32(repacked(stored.data(), n).data(), x.data(), n);
            QVERIFY(std::fabs(dot - ref) <= 1e-5 * mag);
        }
    }

    void quantizerWritesActQ16_1sValues_data() {
        QTest::addColumn<bool>("scalar");
        QTest::newRow("scalar") << true;
        QTest::newRow(hearth::cpu::row_kernels_isa()) << false;
    }
    void quantizerWritesActQ16_1sValues() {
        QFETCH(bool, scalar);
        const RowKernels* k = split_kernels(scalar);
        for (int blocks : {1, 9, 18}) {
            const int n = 32 * blocks;
            const std::vector<float> x = random_x(n, 21u + unsigned(blocks));
            std::vector<q::act_q16_1> want(static_cast<std::size_t>(blocks));
            q::scalar::quantize_q16_1(x.data(), want.data(), n);
            std::vector<std::uint8_t> got(hearth::cpu::activation16_row_bytes(k->activation16, n));
            QCOMPARE(got.size(), want.size() * sizeof(q::act_q16_1));
            k->quantize_activations16(x.data(), got.data(), n);
            const q::act_q16_1s_row a = q::act_q16_1s_row::at(got.data(), n);
            for (int b = 0; b < blocks; ++b) {
                QVERIFY(std::memcmp(a.d + 4 * b, want[std::size_t(b)].d, 4) == 0);
                QVERIFY(std::memcmp(a.s + 4 * b, want[std::size_t(b)].s, 4) == 0);
                QVERIFY(std::memcmp(a.qs + 64 * b, want[std::size_t(b)].qs, 64) == 0);
            }
        }
    }

    void dotMatchesF64Dot_data() { quantizerWritesActQ16_1sValues_data(); }
    void dotMatchesF64Dot() {
        QFETCH(bool, scalar);
        const RowKernels* k = split_kernels(scalar);
        const Golden g = load_golden(TensorType::Q4_1);
        for (int r = 0; r < g.n_rows; ++r) {
            const auto* row = g.raw.data() + std::size_t(r) * std::size_t(g.row_bytes);
            check_dot(k, std::vector<std::uint8_t>(row, row + g.row_bytes), random_x(g.n_per_row, 100u + unsigned(r)), "golden row");
        }
        for (int blocks : {1, 7, 8, 9, 18, 48})
            check_dot(k, random_q4_1(blocks, 50u + unsigned(blocks)), random_x(32 * blocks, 60u + unsigned(blocks)), "random row");
    }

    void dotSurvivesExtremeBlocks_data() { quantizerWritesActQ16_1sValues_data(); }
    void dotSurvivesExtremeBlocks() {
        QFETCH(bool, scalar);
        const RowKernels* k = split_kernels(scalar);
        for (const std::uint8_t fill : {0x00, 0x7F, 0x80, 0xFF}) {
            // extreme_blocks gives 3; nine blocks make a full group of eight and a tail.
            std::vector<std::uint8_t> raw;
            for (int i = 0; i < 3; ++i) {
                const std::vector<std::uint8_t> three = extreme_blocks(TensorType::Q4_1, fill);
                raw.insert(raw.end(), three.begin(), three.end());
            }
            for (float sign : {1.0f, -1.0f}) {
                std::vector<float> x(std::size_t(9 * 32));
                for (std::size_t i = 0; i < x.size(); ++i) x[i] = sign * (i % 2 ? 1.0f : 0.999f);
                check_dot(k, raw, x, "extreme blocks");
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestQ41Split)
#include "test_q4_1_split.moc"
