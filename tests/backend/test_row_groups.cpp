// Q4_0, Q4_1, Q5_0 and Q8_0 matrices in the CPU backend's eight-row layouts (block_layouts.h: each group of 8 rows
// interleaved block by block so one vpmaddwd serves all eight), which CpuBackend::prepare_weights makes at
// load time for the int16 path when the rows come in eights:
//   repack   every row of a repacked group dequantizes to gguf-py's values for the stored row, bit for bit
//            (the golden rows of tests/data/golden/quant/), and random groups of 1, 7, 9 and 48 blocks to the
//            stored layout's values.
//   dot      scalar and vector, each of the 8 outputs against Σ w·x̂ in f64 (x̂ read back from the
//            activations): ≤ 1e-5·Σ|w·x̂| (exact integer sums, f32 scales and accumulation), on odd addresses;
//            and groups of all-0x00/0x7F/0x80/0xFF blocks, the largest int32 sums a block can give.
#include <QtTest/QTest>

#include "backend/cpu/quant/kernels.h"
#include "row_kernel_test_support.h"

using namespace row_kernel_tests;
using hearth::cpu::RowLayout;

namespace {

constexpr int k_group = 8;

RowLayout layout_of(TensorType type) {
    switch (type) {
    case TensorType::Q4_0: return RowLayout::q4_0_rows8;
    case TensorType::Q4_1: return RowLayout::q4_1_rows8;
    case TensorType::Q5_0: return RowLayout::q5_0_rows8;
    default: return RowLayout::q8_0_rows8;
    }
}
constexpr TensorType k_types[] = {TensorType::Q4_0, TensorType::Q4_1, TensorType::Q5_0, TensorType::Q8_0};

const RowKernels* group_kernels(TensorType type, bool scalar) {
    return scalar ? hearth::cpu::row_kernels_scalar(type, layout_of(type)) : hearth::cpu::row_kernels(type, layout_of(type));
}

std::size_t row_bytes_of(TensorType type, int n) { return std::size_t(n / 32) * std::size_t(hearth::traits(type).block_bytes); }

// Eight stored rows (row_bytes apart) as one repacked group.
std::vector<std::uint8_t> repacked(TensorType type, const std::vector<std::uint8_t>& stored, int n) {
    std::vector<std::uint8_t> out(k_group * row_bytes_of(type, n));
    hearth::cpu::repack_rows(layout_of(type), stored.data(), row_bytes_of(type, n), out.data(), n);
    return out;
}

void dequantize_group_row(TensorType type, const std::vector<std::uint8_t>& group, int r, float* out, int n) {
    if (type == TensorType::Q4_0) q::scalar::dequantize_q4_0r8_row(group.data(), r, out, n);
    else if (type == TensorType::Q4_1) q::scalar::dequantize_q4_1r8_row(group.data(), r, out, n);
    else if (type == TensorType::Q5_0) q::scalar::dequantize_q5_0r8_row(group.data(), r, out, n);
    else q::scalar::dequantize_q8_0r8_row(group.data(), r, out, n);
}

// Eight random rows with f16 scales of a sane size (d = 2^-6 …; Q4_1's m = −2^-3 …).
std::vector<std::uint8_t> random_rows(TensorType type, int blocks, unsigned seed) {
    std::mt19937 rng(seed);
    const std::size_t block_bytes = std::size_t(hearth::traits(type).block_bytes);
    std::vector<std::uint8_t> raw(std::size_t(k_group * blocks) * block_bytes);
    for (auto& b : raw) b = std::uint8_t(rng());
    for (int b = 0; b < k_group * blocks; ++b) {
        const std::uint16_t d = std::uint16_t(0x2000 + rng() % 0x800), m = std::uint16_t(0xA800 + rng() % 0x800);
        std::memcpy(&raw[std::size_t(b) * block_bytes], &d, 2);
        if (type == TensorType::Q4_1) std::memcpy(&raw[std::size_t(b) * block_bytes + 2], &m, 2);
    }
    return raw;
}

// Checks the group dot of eight stored rows against Σ w·x̂ in f64, row by row.
void check_dot(TensorType type, const RowKernels* k, const std::vector<std::uint8_t>& stored, const std::vector<float>& x,
               const char* what) {
    const int n = int(x.size());
    std::vector<std::uint8_t> act(hearth::cpu::activation16_row_bytes(k->activation16, n));
    k->quantize_activations16(x.data(), act.data(), n);
    std::vector<float> x_hat(static_cast<std::size_t>(n));
    hearth::cpu::dequantize_activations16(k->activation16, act.data(), x_hat.data(), n);
    const std::vector<std::uint8_t> group = repacked(type, stored, n);
    const OddBytes odd_group(group.data(), group.size()), odd_act(act.data(), act.size());
    float got[k_group];
    k->dot_rows_quantized16(odd_group.data(), odd_act.data(), n, got);
    for (int r = 0; r < k_group; ++r) {
        std::vector<float> w(static_cast<std::size_t>(n));
        hearth::cpu::row_kernels_scalar(type)->dequantize(stored.data() + row_bytes_of(type, n) * std::size_t(r), w.data(), n);
        double ref = 0.0, mag = 0.0;
        for (int i = 0; i < n; ++i) {
            ref += double(w[std::size_t(i)]) * x_hat[std::size_t(i)];
            mag += std::fabs(double(w[std::size_t(i)]) * x_hat[std::size_t(i)]);
        }
        QVERIFY2(std::fabs(got[r] - ref) <= 1e-5 * mag,
                 qPrintable(QStringLiteral("%1 %2, n %3, row %4: got %5, Σw·x̂ %6")
                                .arg(type_name(type), what).arg(n).arg(r).arg(double(got[r]), 0, 'g', 10).arg(ref, 0, 'g', 10)));
    }
}

}  // namespace

class TestRowGroups : public QObject {
    Q_OBJECT

private slots:
    void types_data() {
        QTest::addColumn<int>("type");
        for (TensorType t : k_types) QTest::newRow(qPrintable(type_name(t))) << int(t);
    }

    void tablesServeWholeGroups_data() { types_data(); }
    void tablesServeWholeGroups() {
        QFETCH(int, type);
        const auto t = TensorType(type);
        for (bool scalar : {true, false}) {
            const RowKernels* k = group_kernels(t, scalar);
            QVERIFY(k != nullptr);
            QCOMPARE(k->group_rows, std::int64_t(k_group));
            QVERIFY(k->dot_rows_quantized16 != nullptr && k->quantize_activations16 != nullptr);
            QVERIFY(k->dot_quantized16 == nullptr && k->dot_f32 == nullptr);  // no single rows in a group
            const bool sums = t == TensorType::Q4_1 || t == TensorType::Q5_0;
            QCOMPARE(k->activation16, sums ? hearth::cpu::Activation16::q16_1s : hearth::cpu::Activation16::q16_0);
        }
        QCOMPARE(hearth::cpu::layout_group_rows(layout_of(t)), std::int64_t(k_group));
        // A layout holds only its own type.
        const auto other = t == TensorType::Q4_1 ? TensorType::Q4_0 : TensorType::Q4_1;
        QVERIFY(hearth::cpu::row_kernels(other, layout_of(t)) == nullptr);
    }

    void repackKeepsTheValues_data() { types_data(); }
    void repackKeepsTheValues() {
        QFETCH(int, type);
        const auto t = TensorType(type);
        const Golden g = load_golden(t);
        // Eight golden rows (repeated in another order where the file has fewer).
        std::vector<std::uint8_t> stored;
        std::vector<const float*> want;
        for (int r = 0; r < k_group; ++r) {
            const int source = (r * 3) % g.n_rows;
            const auto* row = g.raw.data() + std::size_t(source) * std::size_t(g.row_bytes);
            stored.insert(stored.end(), row, row + g.row_bytes);
            want.push_back(g.values.data() + std::size_t(source) * std::size_t(g.n_per_row));
        }
        const std::vector<std::uint8_t> group = repacked(t, stored, g.n_per_row);
        for (int r = 0; r < k_group; ++r) {
            std::vector<float> got(std::size_t(g.n_per_row));
            dequantize_group_row(t, group, r, got.data(), g.n_per_row);
            QVERIFY(std::memcmp(got.data(), want[std::size_t(r)], got.size() * sizeof(float)) == 0);
        }
        for (int blocks : {1, 7, 9, 48}) {
            const int n = 32 * blocks;
            const std::vector<std::uint8_t> rows = random_rows(t, blocks, 10u + unsigned(blocks));
            const std::vector<std::uint8_t> grouped = repacked(t, rows, n);
            for (int r = 0; r < k_group; ++r) {
                std::vector<float> expect(static_cast<std::size_t>(n)), got(static_cast<std::size_t>(n));
                hearth::cpu::row_kernels_scalar(t)->dequantize(rows.data() + std::size_t(r) * row_bytes_of(t, n), expect.data(), n);
                dequantize_group_row(t, grouped, r, got.data(), n);
                QVERIFY(std::memcmp(got.data(), expect.data(), got.size() * sizeof(float)) == 0);
            }
        }
    }

    void dotMatchesF64Dot_data() {
        QTest::addColumn<int>("type");
        QTest::addColumn<bool>("scalar");
        for (TensorType t : k_types) {
            QTest::newRow(qPrintable(type_name(t) + ", scalar")) << int(t) << true;
            QTest::newRow(qPrintable(type_name(t) + ", " + hearth::cpu::row_kernels_isa())) << int(t) << false;
        }
    }
    void dotMatchesF64Dot() {
        QFETCH(int, type);
        QFETCH(bool, scalar);
        const auto t = TensorType(type);
        const RowKernels* k = group_kernels(t, scalar);
        const Golden g = load_golden(t);
        std::vector<std::uint8_t> stored;
        for (int r = 0; r < k_group; ++r) {
            const auto* row = g.raw.data() + std::size_t(r % g.n_rows) * std::size_t(g.row_bytes);
            stored.insert(stored.end(), row, row + g.row_bytes);
        }
        check_dot(t, k, stored, random_x(g.n_per_row, 100u), "golden rows");
        for (int blocks : {1, 7, 18, 48})
            check_dot(t, k, random_rows(t, blocks, 50u + unsigned(blocks)), random_x(32 * blocks, 60u + unsigned(blocks)), "random rows");
    }

    void dotSurvivesExtremeBlocks_data() { dotMatchesF64Dot_data(); }
    void dotSurvivesExtremeBlocks() {
        QFETCH(int, type);
        QFETCH(bool, scalar);
        const auto t = TensorType(type);
        const RowKernels* k = group_kernels(t, scalar);
        for (const std::uint8_t fill : {0x00, 0x7F, 0x80, 0xFF}) {
            // Eight rows of three extreme blocks each (Q4_0: −8 or 7; Q4_1: 15; Q5_0: −16 or 15; Q8_0: 127 or
            // −128) against activations at ±32767: the largest int32 sums a block can have.
            std::vector<std::uint8_t> rows;
            for (int r = 0; r < k_group; ++r) {
                const std::vector<std::uint8_t> three = extreme_blocks(t, fill);
                rows.insert(rows.end(), three.begin(), three.end());
            }
            for (float sign : {1.0f, -1.0f}) {
                std::vector<float> x(std::size_t(3 * 32));
                for (std::size_t i = 0; i < x.size(); ++i) x[i] = sign * (i % 2 ? 1.0f : 0.999f);
                check_dot(t, k, rows, x, "extreme blocks");
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestRowGroups)
#include "test_row_groups.moc"
