// The precise matmul path's kernels (int16 activations, row_kernels.h: quantize_activations16 and
// dot_quantized16) on both the scalar table and the one row_kernels() picks, against f64 dot products of
// gguf-py's dequantized golden rows (row_kernel_test_support.h).
//
// Tolerances:
//   quantize        x̂ = d·q with d = max|x|/32767 exactly, q in [−32767, 32767], |x − x̂| ≤ d/2·(1 + 2^-20);
//                   scalar and vector quantizers write identical bytes (ties included); s = d·Σq exactly.
//   dot             (a) against Σ w·x̂ in f64 with x̂ read back from the blocks: ≤ 1e-5·Σ|w·x̂| (the integer
//                   sums are exact; one f32 rounding per block's scale product and the f32 accumulation
//                   remain). (b) against Σ w·x in f64: ≤ Σ|w_i|·d_i/2 + 1e-5·Σ|w·x|, the error the int16
//                   quantization may make — 258 times below the 8-bit path's bound, checked too.
//                   (c) blocks of all-0x00/0x7F/0x80/0xFF bytes against x = ±1: as (a), so no int32
//                   overflow or wrong sign extension can hide.
#include <QtTest/QTest>

#include "row_kernel_test_support.h"

using namespace row_kernel_tests;
using hearth::cpu::Activation16;

namespace {

const std::vector<TensorType>& int16_types() {
    static const std::vector<TensorType> types = {TensorType::Q4_0, TensorType::Q4_1, TensorType::Q5_0, TensorType::Q5_1,
                                                  TensorType::Q8_0, TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K};
    return types;
}

void add_int16_rows() {
    QTest::addColumn<int>("type");
    QTest::addColumn<bool>("scalar");
    for (TensorType t : int16_types()) {
        QTest::newRow(qPrintable(type_name(t) + " scalar")) << int(t) << true;
        QTest::newRow(qPrintable(type_name(t) + " " + hearth::cpu::row_kernels_isa())) << int(t) << false;
    }
}

struct Activations16 {
    std::vector<std::uint8_t> blocks;
    std::vector<float> x_hat, d;  // per element, via dequantize_activations16 and the block scale
};

Activations16 quantize16(const RowKernels* k, const std::vector<float>& x) {
    const int n = int(x.size());
    Activations16 a;
    a.blocks.resize(hearth::cpu::activation16_row_bytes(k->activation16, n));
    k->quantize_activations16(x.data(), a.blocks.data(), n);
    a.x_hat.resize(std::size_t(n));
    hearth::cpu::dequantize_activations16(k->activation16, a.blocks.data(), a.x_hat.data(), n);
    const int per_block = k->activation16 == Activation16::q16_k ? q::qk_k : q::qk_legacy;
    const std::size_t block_bytes = a.blocks.size() / std::size_t(n / per_block);
    a.d.resize(std::size_t(n));
    for (int i = 0; i < n; ++i) a.d[std::size_t(i)] = q::load_f32(a.blocks.data() + std::size_t(i / per_block) * block_bytes);
    return a;
}

}  // namespace

class TestInt16Kernels : public QObject {
    Q_OBJECT

private slots:
    void tablesHaveInt16KernelsWhereExpected() {
        for (bool scalar : {true, false}) {
            for (TensorType t : {TensorType::F32, TensorType::F16, TensorType::BF16, TensorType::Q4_0, TensorType::Q4_1,
                                 TensorType::Q5_0, TensorType::Q5_1, TensorType::Q8_0, TensorType::Q2_K, TensorType::Q3_K,
                                 TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K}) {
                const RowKernels* k = kernels_for(t, scalar);
                const bool expected = std::find(int16_types().begin(), int16_types().end(), t) != int16_types().end();
                QCOMPARE(k->dot_quantized16 != nullptr, expected);
                QCOMPARE(k->quantize_activations16 != nullptr, expected);
                const bool affine = t == TensorType::Q4_1 || t == TensorType::Q5_1;
                const bool k_type = t == TensorType::Q4_K || t == TensorType::Q5_K || t == TensorType::Q6_K;
                QCOMPARE(k->activation16, !expected ? Activation16::none
                                          : k_type  ? Activation16::q16_k
                                          : affine  ? Activation16::q16_1
                                                    : Activation16::q16_0);
            }
        }
        QCOMPARE(hearth::cpu::activation16_row_bytes(Activation16::q16_0, 64), std::size_t(136));
        QCOMPARE(hearth::cpu::activation16_row_bytes(Activation16::q16_1, 64), std::size_t(144));
        QCOMPARE(hearth::cpu::activation16_row_bytes(Activation16::q16_k, 512), std::size_t(1096));
        QCOMPARE(hearth::cpu::activation16_row_bytes(Activation16::none, 64), std::size_t(0));
        if (std::strcmp(hearth::cpu::row_kernels_isa(), "avx2") == 0)
            QVERIFY(hearth::cpu::row_kernels(TensorType::Q4_1)->dot_quantized16 !=
                    hearth::cpu::row_kernels_scalar(TensorType::Q4_1)->dot_quantized16);
    }

    void quantizersKeepTheirPromise_data() {
        QTest::addColumn<int>("weight");
        QTest::newRow("q16_0") << int(TensorType::Q8_0);
        QTest::newRow("q16_1") << int(TensorType::Q4_1);
        QTest::newRow("q16_k") << int(TensorType::Q4_K);
    }
    void quantizersKeepTheirPromise() {
        QFETCH(int, weight);
        const int n = 256 * 5;
        std::vector<float> x = random_x(n, 99u);
        for (int i = 64; i < 96; ++i) x[std::size_t(i)] = 0.0f;      // an all-zero block: d = 0, q = 0
        for (int i = 96; i < 128; ++i) x[std::size_t(i)] *= 1e-30f;  // tiny, still normal
        for (int i = 768; i < 1024; ++i) x[std::size_t(i)] = 0.0f;    // an all-zero K block too
        x[200] = -250.0f;                                             // the block's max is negative
        // A block whose scale is exactly 1, full of exact halves: q must round half to even on both tables.
        for (int i = 256; i < 288; ++i) x[std::size_t(i)] = float(i % 16) - 7.5f;
        x[256] = 32767.0f;
        const RowKernels* scalar = hearth::cpu::row_kernels_scalar(TensorType(weight));
        const RowKernels* best = hearth::cpu::row_kernels(TensorType(weight));
        const Activations16 a = quantize16(scalar, x);
        const Activations16 b = quantize16(best, x);
        QVERIFY2(a.blocks == b.blocks, "scalar and vector quantizers must write the same bytes");
        QCOMPARE(a.x_hat[257], 1.0f - 7.5f + 0.5f);  // −6.5 rounds to −6 (even)
        QCOMPARE(a.x_hat[258], 2.0f - 7.5f - 0.5f);  // −5.5 rounds to −6
        const int per_block = scalar->activation16 == Activation16::q16_k ? 256 : 32;
        for (int blk = 0; blk < n / per_block; ++blk) {
            float amax = 0.0f;
            for (int i = blk * per_block; i < (blk + 1) * per_block; ++i) amax = std::fmax(amax, std::fabs(x[std::size_t(i)]));
            QVERIFY(a.d[std::size_t(blk * per_block)] == amax / 32767.0f);  // exact, not fuzzy
        }
        for (int i = 0; i < n; ++i) {
            const double d = a.d[std::size_t(i)];
            const double err = std::fabs(double(x[std::size_t(i)]) - double(a.x_hat[std::size_t(i)]));
            QVERIFY2(err <= d / 2 * (1 + std::ldexp(1.0, -20)), qPrintable(QStringLiteral("element %1").arg(i)));
            QVERIFY(std::fabs(double(a.x_hat[std::size_t(i)])) <= 32767 * d * (1 + std::ldexp(1.0, -22)));
        }
        if (scalar->activation16 == Activation16::q16_k) {
            for (int blk = 0; blk < n / 256; ++blk) {
                const auto& block = reinterpret_cast<const q::act_q16_k*>(a.blocks.data())[blk];
                for (int g = 0; g < 8; ++g) {
                    int sum = 0;
                    for (int i = 0; i < 32; ++i) sum += q::load_i16(block.qs + 2 * (32 * g + i));
                    std::int32_t stored;
                    std::memcpy(&stored, block.sums + 4 * g, 4);
                    QCOMPARE(stored, sum);
                }
            }
        }
        if (scalar->activation16 == Activation16::q16_1) {
            for (int blk = 0; blk < n / 32; ++blk) {
                const auto& block = reinterpret_cast<const q::act_q16_1*>(a.blocks.data())[blk];
                int sum = 0;
                for (int i = 0; i < 32; ++i) sum += q::load_i16(block.qs + 2 * i);
                QVERIFY(q::load_f32(block.s) == q::load_f32(block.d) * float(sum));
            }
        }
    }

    void dotMatchesF64Dot_data() { add_int16_rows(); }
    void dotMatchesF64Dot() {
        QFETCH(int, type);
        QFETCH(bool, scalar);
        const Golden g = load_golden(TensorType(type));
        const RowKernels* k = kernels_for(g.type, scalar);
        const int n = g.n_per_row;
        const std::vector<float> x = random_x(n, 777u + unsigned(type));
        const Activations16 a = quantize16(k, x);
        const OddBytes odd_blocks(a.blocks.data(), a.blocks.size());
        double worst_fraction_of_bound = 0.0;
        for (int r = 0; r < g.n_rows; ++r) {
            const OddBytes row(g.raw.data() + std::size_t(r) * std::size_t(g.row_bytes), std::size_t(g.row_bytes));
            const float* w = g.values.data() + std::size_t(r) * std::size_t(n);
            double ref_hat = 0.0, mag_hat = 0.0, ref = 0.0, mag = 0.0, bound = 0.0, bound8 = 0.0;
            for (int i = 0; i < n; ++i) {
                const double wi = w[i];
                ref_hat += wi * a.x_hat[std::size_t(i)];
                mag_hat += std::fabs(wi * a.x_hat[std::size_t(i)]);
                ref += wi * x[std::size_t(i)];
                mag += std::fabs(wi * x[std::size_t(i)]);
                bound += std::fabs(wi) * a.d[std::size_t(i)] / 2;
                bound8 += std::fabs(wi) * a.d[std::size_t(i)] * (32767.0 / 127.0) / 2;
            }
            QVERIFY(bound * 200 < bound8);
            const double got = k->dot_quantized16(row.data(), odd_blocks.data(), n);
            QVERIFY2(std::fabs(got - ref_hat) <= 1e-5 * mag_hat,
                     qPrintable(QStringLiteral("row %1: got %2, Σw·x̂ %3").arg(r).arg(got, 0, 'g', 10).arg(ref_hat, 0, 'g', 10)));
            const double tol = bound + 1e-5 * mag;
            QVERIFY2(std::fabs(got - ref) <= tol,
                     qPrintable(QStringLiteral("row %1: got %2, Σw·x %3, |err| %4 > %5").arg(r).arg(got, 0, 'g', 10)
                                    .arg(ref, 0, 'g', 10).arg(std::fabs(got - ref)).arg(tol)));
            worst_fraction_of_bound = std::max(worst_fraction_of_bound, std::fabs(got - ref) / tol);
        }
        qInfo("worst |dot − Σw·x| / bound: %.3g", worst_fraction_of_bound);
    }

    void dotSurvivesExtremeBlocks_data() { add_int16_rows(); }
    void dotSurvivesExtremeBlocks() {
        QFETCH(int, type);
        QFETCH(bool, scalar);
        const auto t = TensorType(type);
        const RowKernels* k = kernels_for(t, scalar);
        const auto& tr = hearth::traits(t);
        const int n = int(tr.block_elements) * 3;
        for (const std::uint8_t fill : {0x00, 0x7F, 0x80, 0xFF}) {
            const std::vector<std::uint8_t> raw = extreme_blocks(t, fill);
            std::vector<float> w(static_cast<std::size_t>(n));
            hearth::cpu::row_kernels_scalar(t)->dequantize(raw.data(), w.data(), n);
            for (int pattern = 0; pattern < 3; ++pattern) {
                std::vector<float> x(static_cast<std::size_t>(n));
                for (int i = 0; i < n; ++i) x[std::size_t(i)] = pattern == 0 ? 1.0f : pattern == 1 ? -1.0f : (i % 2 ? 1.0f : -1.0f);
                const Activations16 a = quantize16(k, x);
                double ref = 0.0, mag = 0.0;
                for (int i = 0; i < n; ++i) {
                    ref += double(w[std::size_t(i)]) * a.x_hat[std::size_t(i)];
                    mag += std::fabs(double(w[std::size_t(i)]) * a.x_hat[std::size_t(i)]);
                }
                const double got = k->dot_quantized16(raw.data(), a.blocks.data(), n);
                QVERIFY2(std::fabs(got - ref) <= 1e-5 * mag,
                         qPrintable(QStringLiteral("fill 0x%1, x pattern %2: got %3, Σw·x̂ %4").arg(fill, 2, 16, QChar('0'))
                                        .arg(pattern).arg(got, 0, 'g', 10).arg(ref, 0, 'g', 10)));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestInt16Kernels)
#include "test_int16_kernels.moc"
