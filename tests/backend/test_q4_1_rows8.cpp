// Q4_1 matrices in the CPU backend's eight-row layout (block_layouts.h: each group of 8 rows interleaved
// block by block so one vpmaddwd serves all eight), which CpuBackend::prepare_weights makes at load time for
// the int16 path when the rows come in eights:
//   repack   every row of a repacked group dequantizes to gguf-py's values for the stored row, bit for bit
//            (the golden rows of tests/data/golden/quant/Q4_1.bin), and random groups of 1, 7, 9 and 48
//            blocks to the stored layout's values.
//   dot      scalar and vector, each of the 8 outputs against Σ w·x̂ in f64 (x̂ read back from the
//            activations): ≤ 1e-5·Σ|w·x̂| (exact integer sums, f32 scales and accumulation), on odd addresses;
//            and groups of all-0x00/0x7F/0x80/0xFF nibbles against the largest activations.
#include <QtTest/QTest>

#include "backend/cpu/quant/kernels.h"
#include "row_kernel_test_support.h"

using namespace row_kernel_tests;
using hearth::cpu::RowLayout;

namespace {

constexpr int k_group = 8;

const RowKernels* rows8_kernels(bool scalar) {
    return scalar ? hearth::cpu::row_kernels_scalar(TensorType::Q4_1, RowLayout::q4_1_rows8)
                  : hearth::cpu::row_kernels(TensorType::Q4_1, RowLayout::q4_1_rows8);
}

// Eight stored rows (row_bytes apart) as one repacked group.
std::vector<std::uint8_t> repacked(const std::vector<std::uint8_t>& stored, int n) {
    const std::size_t row_bytes = std::size_t(n / 32) * sizeof(q::block_q4_1);
    std::vector<std::uint8_t> out(k_group * row_bytes);
    hearth::cpu::repack_rows(RowLayout::q4_1_rows8, stored.data(), row_bytes, out.data(), n);
    return out;
}

// Eight random rows of Q4_1 blocks with f16 scales of a sane size (d = 2^-6 …, m = −2^-3 …).
std::vector<std::uint8_t> random_rows(int blocks, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<std::uint8_t> raw(std::size_t(k_group * blocks) * sizeof(q::block_q4_1));
    for (auto& b : raw) b = std::uint8_t(rng());
    for (int b = 0; b < k_group * blocks; ++b) {
        const std::uint16_t d = std::uint16_t(0x2000 + rng() % 0x800), m = std::uint16_t(0xA800 + rng() % 0x800);
        std::memcpy(&raw[std::size_t(b) * sizeof(q::block_q4_1)], &d, 2);
        std::memcpy(&raw[std::size_t(b) * sizeof(q::block_q4_1) + 2], &m, 2);
    }
    return raw;
}

// Checks the group dot of eight stored rows against Σ w·x̂ in f64, row by row.
void check_dot(const RowKernels* k, const std::vector<std::uint8_t>& stored, const std::vector<float>& x, const char* what) {
    const int n = int(x.size());
    const std::size_t row_bytes = std::size_t(n / 32) * sizeof(q::block_q4_1);
    std::vector<std::uint8_t> act(hearth::cpu::activation16_row_bytes(k->activation16, n));
    k->quantize_activations16(x.data(), act.data(), n);
    std::vector<float> x_hat(static_cast<std::size_t>(n));
    hearth::cpu::dequantize_activations16(k->activation16, act.data(), x_hat.data(), n);
    const std::vector<std::uint8_t> group = repacked(stored, n);
    const OddBytes odd_group(group.data(), group.size()), odd_act(act.data(), act.size());
    float got[k_group];
    k->dot_rows_quantized16(odd_group.data(), odd_act.data(), n, got);
    for (int r = 0; r < k_group; ++r) {
        std::vector<float> w(static_cast<std::size_t>(n));
        hearth::cpu::row_kernels_scalar(TensorType::Q4_1)->dequantize(stored.data() + row_bytes * std::size_t(r), w.data(), n);
        double ref = 0.0, mag = 0.0;
        for (int i = 0; i < n; ++i) {
            ref += double(w[std::size_t(i)]) * x_hat[std::size_t(i)];
            mag += std::fabs(double(w[std::size_t(i)]) * x_hat[std::size_t(i)]);
        }
        QVERIFY2(std::fabs(got[r] - ref) <= 1e-5 * mag,
                 qPrintable(QStringLiteral("%1, n %2, row %3: got %4, Σw·x̂ %5").arg(what).arg(n).arg(r).arg(double(got[r]), 0, 'g', 10).arg(ref, 0, 'g', 10)));
    }
}

}  // namespace

class TestQ41Rows8 : public QObject {
    Q_OBJECT

private slots:
    void tablesServeWholeGroups() {
        for (bool scalar : {true, false}) {
            const RowKernels* k = rows8_kernels(scalar);
            QVERIFY(k != nullptr);
            QCOMPARE(k->group_rows, std::int64_t(k_group));
            QVERIFY(k->dot_rows_quantized16 != nullptr && k->quantize_activations16 != nullptr);
            QVERIFY(k->dot_quantized16 == nullptr && k->dot_f32 == nullptr);  // no single rows in a group
            QCOMPARE(k->activation16, hearth::cpu::Activation16::q16_1s);
        }
        QCOMPARE(hearth::cpu::layout_group_rows(RowLayout::q4_1_rows8), std::int64_t(k_group));
        QCOMPARE(hearth::cpu::layout_group_rows(RowLayout::q4_1_split), std::int64_t(1));
    }

    void repackKeepsTheValues() {
        const Golden g = load_golden(TensorType::Q4_1);
        // Eight golden rows (repeated in another order where the file has fewer).
        std::vector<std::uint8_t> stored;
        std::vector<const float*> want;
        for (int r = 0; r < k_group; ++r) {
            const int source = (r * 3) % g.n_rows;
            const auto* row = g.raw.data() + std::size_t(source) * std::size_t(g.row_bytes);
            stored.insert(stored.end(), row, row + g.row_bytes);
            want.push_back(g.values.data() + std::size_t(source) * std::size_t(g.n_per_row));
        }
        const std::vector<std::uint8_t> group = repacked(stored, g.n_per_row);
        for (int r = 0; r < k_group; ++r) {
            std::vector<float> got(std::size_t(g.n_per_row));
            q::scalar::dequantize_q4_1r8_row(group.data(), r, got.data(), g.n_per_row);
            QVERIFY(std::memcmp(got.data(), want[std::size_t(r)], got.size() * sizeof(float)) == 0);
        }
        for (int blocks : {1, 7, 9, 48}) {
            const int n = 32 * blocks;
            const std::vector<std::uint8_t> rows = random_rows(blocks, 10u + unsigned(blocks));
            const std::vector<std::uint8_t> grouped = repacked(rows, n);
            for (int r = 0; r < k_group; ++r) {
                std::vector<float> expect(static_cast<std::size_t>(n)), got(static_cast<std::size_t>(n));
                hearth::cpu::row_kernels_scalar(TensorType::Q4_1)
                    ->dequantize(rows.data() + std::size_t(r) * std::size_t(blocks) * sizeof(q::block_q4_1), expect.data(), n);
                q::scalar::dequantize_q4_1r8_row(grouped.data(), r, got.data(), n);
                QVERIFY(std::memcmp(got.data(), expect.data(), got.size() * sizeof(float)) == 0);
            }
        }
    }

    void dotMatchesF64Dot_data() {
        QTest::addColumn<bool>("scalar");
        QTest::newRow("scalar") << true;
        QTest::newRow(hearth::cpu::row_kernels_isa()) << false;
    }
    void dotMatchesF64Dot() {
        QFETCH(bool, scalar);
        const RowKernels* k = rows8_kernels(scalar);
        const Golden g = load_golden(TensorType::Q4_1);
        std::vector<std::uint8_t> stored;
        for (int r = 0; r < k_group; ++r) {
            const auto* row = g.raw.data() + std::size_t(r % g.n_rows) * std::size_t(g.row_bytes);
            stored.insert(stored.end(), row, row + g.row_bytes);
        }
        check_dot(k, stored, random_x(g.n_per_row, 100u), "golden rows");
        for (int blocks : {1, 7, 18, 48})
            check_dot(k, random_rows(blocks, 50u + unsigned(blocks)), random_x(32 * blocks, 60u + unsigned(blocks)), "random rows");
    }

    void dotSurvivesExtremeBlocks_data() { dotMatchesF64Dot_data(); }
    void dotSurvivesExtremeBlocks() {
        QFETCH(bool, scalar);
        const RowKernels* k = rows8_kernels(scalar);
        for (const std::uint8_t fill : {0x00, 0x7F, 0x80, 0xFF}) {
            // Eight rows of three extreme blocks each: quants of 15 against activations at ±32767 give the
            // largest int32 sums a block can have.
            std::vector<std::uint8_t> rows;
            for (int r = 0; r < k_group; ++r) {
                const std::vector<std::uint8_t> three = extreme_blocks(TensorType::Q4_1, fill);
                rows.insert(rows.end(), three.begin(), three.end());
            }
            for (float sign : {1.0f, -1.0f}) {
                std::vector<float> x(std::size_t(3 * 32));
                for (std::size_t i = 0; i < x.size(); ++i) x[i] = sign * (i % 2 ? 1.0f : 0.999f);
                check_dot(k, rows, x, "extreme blocks");
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestQ41Rows8)
#include "test_q4_1_rows8.moc"
