// The CPU row kernels (engine/backend/cpu/quant) against gguf-py's dequantizers and f64 dot products, on
// both the scalar table and the one row_kernels() picks (AVX2 on x86-64 CPUs that have it).
//
// Golden data: tests/data/golden/quant/<TYPE>.bin, written by tests/make_quant_golden.py (random blocks,
// several per row, rows of 13 legacy blocks / 3 super-blocks / 333 plain elements). Every kernel reads its
// row from an odd address, as it would from a memory-mapped file.
//
// Tolerances:
//   dequantize      bitwise equal to gguf-py (both follow ggml's float operations exactly).
//   dot_f32         |dot − Σ w·x (f64)| ≤ n·2^-24·Σ|w·x|: the a-priori bound for summing n f32 products
//                   in any order, so no reordering can trip it, while a single wrong element (≈ Σ|w·x|/n)
//                   is ≈100× over it at n = 416 and 28× at n = 768.
//   quantize        x̂ = d·q with d = max|x|/127 exactly, q in [−127, 127], |x − x̂| ≤ d/2·(1 + 2^-20);
//                   scalar and vector quantizers write identical bytes (ties included).
//   dot_quantized   (a) against Σ w·x̂ in f64 with x̂ read back from the activation blocks:
//                   ≤ 1e-5·Σ|w·x̂|. The integer sums are exact; what remains is one f32 rounding of each
//                   block's scale product and the f32 accumulation over ≤ 13 blocks (≈ 30·2^-24), with
//                   room for |d·q| + |m| exceeding |w| where the two cancel (observed: ≤ 1.3e-7).
//                   (b) against Σ w·x in f64: ≤ Σ|w_i|·d_i/2 + 1e-5·Σ|w·x|, i.e. exactly the error the
//                   activation quantization is allowed to make (observed: ≤ 0.2 of it).
//                   (c) on blocks of all-0x00/0x7F/0x80/0xFF bytes against x = ±1: as (a), so int16
//                   saturation or int32 overflow in the integer paths cannot hide.
#include <QtCore/QFile>
#include <QtTest/QTest>

#include <cmath>
#include <cstddef>
#include <cstring>
#include <random>
#include <vector>

#include "backend/cpu/quant/block_layouts.h"
#include "backend/cpu/quant/row_kernels.h"

#include "row_kernel_test_support.h"

using namespace row_kernel_tests;
namespace {

// x̂ and d for every element, read back from the activation blocks.
struct Dequantized {
    std::vector<double> x_hat, d;
};

Dequantized read_activations(TensorType act, const std::vector<std::uint8_t>& blocks, int n) {
    Dequantized r;
    r.x_hat.resize(std::size_t(n));
    r.d.resize(std::size_t(n));
    const int qk = act == TensorType::Q8_K ? q::qk_k : q::qk_legacy;
    for (int b = 0; b < n / qk; ++b) {
        const std::int8_t* qs = nullptr;
        float d = 0.0f;
        if (act == TensorType::Q8_0) {
            const auto& blk = reinterpret_cast<const q::act_q8_0*>(blocks.data())[b];
            d = q::load_f32(blk.d);
            qs = blk.qs;
        } else if (act == TensorType::Q8_1) {
            const auto& blk = reinterpret_cast<const q::act_q8_1*>(blocks.data())[b];
            d = q::load_f32(blk.d);
            qs = blk.qs;
        } else {
            const auto& blk = reinterpret_cast<const q::act_q8_k*>(blocks.data())[b];
            d = q::load_f32(blk.d);
            qs = blk.qs;
        }
        for (int i = 0; i < qk; ++i) {
            r.x_hat[std::size_t(b * qk + i)] = double(d) * qs[i];
            r.d[std::size_t(b * qk + i)] = d;
        }
    }
    return r;
}

const std::vector<TensorType>& all_types() {
    static const std::vector<TensorType> types = {
        TensorType::F32,  TensorType::F16,  TensorType::BF16, TensorType::Q4_0, TensorType::Q4_1,
        TensorType::Q5_0, TensorType::Q5_1, TensorType::Q8_0, TensorType::Q2_K, TensorType::Q3_K,
        TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K,
    };
    return types;
}

// Rows: every type × {scalar, the table row_kernels() picks}.
void add_type_table_rows(bool quantized_only) {
    QTest::addColumn<int>("type");
    QTest::addColumn<bool>("scalar");
    for (TensorType t : all_types()) {
        if (quantized_only && !hearth::traits(t).quantized) continue;
        QTest::newRow(qPrintable(type_name(t) + " scalar")) << int(t) << true;
        QTest::newRow(qPrintable(type_name(t) + " " + hearth::cpu::row_kernels_isa())) << int(t) << false;
    }
}

}  // namespace

class TestRowKernels : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { qInfo("row_kernels() table: %s", hearth::cpu::row_kernels_isa()); }

    void tablesDescribeEveryType() {
        struct Expect {
            TensorType weight, activation;
            int n;
            std::size_t act_bytes;
        };
        const Expect expected[] = {
            {TensorType::F32, TensorType::F32, 0, 0},       {TensorType::F16, TensorType::F32, 0, 0},
            {TensorType::BF16, TensorType::F32, 0, 0},      {TensorType::Q4_0, TensorType::Q8_0, 64, 72},
            {TensorType::Q4_1, TensorType::Q8_1, 64, 80},   {TensorType::Q5_0, TensorType::Q8_0, 96, 108},
            {TensorType::Q5_1, TensorType::Q8_1, 96, 120},  {TensorType::Q8_0, TensorType::Q8_0, 32, 36},
            {TensorType::Q2_K, TensorType::Q8_K, 512, 584}, {TensorType::Q3_K, TensorType::Q8_K, 256, 292},
            {TensorType::Q4_K, TensorType::Q8_K, 256, 292}, {TensorType::Q5_K, TensorType::Q8_K, 768, 876},
            {TensorType::Q6_K, TensorType::Q8_K, 256, 292},
        };
        for (bool scalar : {true, false}) {
            for (const Expect& e : expected) {
                const RowKernels* k = kernels_for(e.weight, scalar);
                QVERIFY2(k, qPrintable(type_name(e.weight)));
                QCOMPARE(k->weight_type, e.weight);
                QVERIFY(k->dequantize && k->dot_f32);
                QCOMPARE(k->activation_type, e.activation);
                const bool fast = e.activation != TensorType::F32;
                QCOMPARE(k->quantize_activations != nullptr, fast);
                QCOMPARE(k->dot_quantized != nullptr, fast);
                if (fast) QCOMPARE(hearth::cpu::activation_row_bytes(e.activation, e.n), e.act_bytes);
            }
        }
        // The vector table must really be a different one where the CPU has AVX2.
        if (std::strcmp(hearth::cpu::row_kernels_isa(), "avx2") == 0) {
            QVERIFY(hearth::cpu::row_kernels(TensorType::Q4_1)->dot_quantized !=
                    hearth::cpu::row_kernels_scalar(TensorType::Q4_1)->dot_quantized);
            QVERIFY(hearth::cpu::row_kernels(TensorType::Q6_K)->dequantize !=
                    hearth::cpu::row_kernels_scalar(TensorType::Q6_K)->dequantize);
        }
    }

    void unsupportedTypesHaveNoKernels() {
        for (TensorType t : {TensorType::IQ2_XXS, TensorType::IQ4_NL, TensorType::Q8_1, TensorType::Q8_K,
                             TensorType::TQ2_0, TensorType::MXFP4, TensorType::F64, TensorType::I8, TensorType::Q1_0}) {
            QVERIFY2(hearth::cpu::row_kernels(t) == nullptr, qPrintable(type_name(t)));
            QVERIFY2(hearth::cpu::row_kernels_scalar(t) == nullptr, qPrintable(type_name(t)));
        }
        QCOMPARE(hearth::cpu::activation_row_bytes(TensorType::F32, 256), std::size_t(0));
    }

    void dequantizeMatchesGguf_data() { add_type_table_rows(false); }
    void dequantizeMatchesGguf() {
        QFETCH(int, type);
        QFETCH(bool, scalar);
        const Golden g = load_golden(TensorType(type));
        const RowKernels* k = kernels_for(g.type, scalar);
        QVERIFY(k);
        for (int r = 0; r < g.n_rows; ++r) {
            const OddBytes row(g.raw.data() + std::size_t(r) * std::size_t(g.row_bytes), std::size_t(g.row_bytes));
            std::vector<float> out(std::size_t(g.n_per_row), std::nanf(""));
            k->dequantize(row.data(), out.data(), g.n_per_row);
            const float* want = g.values.data() + std::size_t(r) * std::size_t(g.n_per_row);
            for (int i = 0; i < g.n_per_row; ++i) {
                std::uint32_t a, b;
                std::memcpy(&a, &out[std::size_t(i)], 4);
                std::memcpy(&b, &want[i], 4);
                if (a != b) {
                    QFAIL(qPrintable(QStringLiteral("row %1 element %2: got %3 (0x%4), gguf says %5 (0x%6)")
                                         .arg(r).arg(i).arg(double(out[std::size_t(i)]), 0, 'g', 9).arg(a, 8, 16, QChar('0'))
                                         .arg(double(want[i]), 0, 'g', 9).arg(b, 8, 16, QChar('0'))));
                }
            }
        }
    }

    void dotF32MatchesF64Dot_data() { add_type_table_rows(false); }
    void dotF32MatchesF64Dot() {
        QFETCH(int, type);
        QFETCH(bool, scalar);
        const Golden g = load_golden(TensorType(type));
        const RowKernels* k = kernels_for(g.type, scalar);
        const std::vector<float> x = random_x(g.n_per_row, 1234u + unsigned(type));
        for (int r = 0; r < g.n_rows; ++r) {
            const OddBytes row(g.raw.data() + std::size_t(r) * std::size_t(g.row_bytes), std::size_t(g.row_bytes));
            const float* w = g.values.data() + std::size_t(r) * std::size_t(g.n_per_row);
            double ref = 0.0, mag = 0.0;
            for (int i = 0; i < g.n_per_row; ++i) {
                ref += double(w[i]) * x[std::size_t(i)];
                mag += std::fabs(double(w[i]) * x[std::size_t(i)]);
            }
            const double got = k->dot_f32(row.data(), x.data(), g.n_per_row);
            const double tol = g.n_per_row * std::ldexp(1.0, -24) * mag;
            QVERIFY2(std::fabs(got - ref) <= tol,
                     qPrintable(QStringLiteral("row %1: got %2, f64 %3, |err| %4 > %5").arg(r).arg(got, 0, 'g', 10)
                                    .arg(ref, 0, 'g', 10).arg(std::fabs(got - ref)).arg(tol)));
        }
    }

    void quantizedActivationsKeepTheirPromise_data() {
        QTest::addColumn<int>("act");
        QTest::newRow("Q8_0") << int(TensorType::Q8_0);
        QTest::newRow("Q8_1") << int(TensorType::Q8_1);
        QTest::newRow("Q8_K") << int(TensorType::Q8_K);
    }
    void quantizedActivationsKeepTheirPromise() {
        QFETCH(int, act);
        const auto act_type = TensorType(act);
        const TensorType weight = act_type == TensorType::Q8_0 ? TensorType::Q8_0
                                  : act_type == TensorType::Q8_1 ? TensorType::Q4_1 : TensorType::Q4_K;
        const int n = 256 * 5;
        std::vector<float> x = random_x(n, 99u);
        for (int i = 256; i < 512; ++i) x[std::size_t(i)] = 0.0f;   // all-zero blocks: d = 0, q = 0
        for (int i = 512; i < 768; ++i) x[std::size_t(i)] *= 1e-30f;  // tiny, still normal
        x[1000] = -250.0f;                                            // the block's max is negative
        // A block whose scale is exactly 1, full of exact halves: q must round half to even on both tables.
        for (int i = 1024; i < 1056; ++i) x[std::size_t(i)] = float(i % 16) - 7.5f;
        x[1024] = 127.0f;

        const std::size_t bytes = hearth::cpu::activation_row_bytes(act_type, n);
        std::vector<std::uint8_t> scalar_blocks(bytes), best_blocks(bytes);
        hearth::cpu::row_kernels_scalar(weight)->quantize_activations(x.data(), scalar_blocks.data(), n);
        hearth::cpu::row_kernels(weight)->quantize_activations(x.data(), best_blocks.data(), n);
        QVERIFY2(scalar_blocks == best_blocks, "scalar and vector quantizers must write the same bytes");

        const Dequantized xq = read_activations(act_type, scalar_blocks, n);
        const int qk = act_type == TensorType::Q8_K ? 256 : 32;
        for (int b = 0; b < n / qk; ++b) {
            float amax = 0.0f;
            for (int i = b * qk; i < (b + 1) * qk; ++i) amax = std::fmax(amax, std::fabs(x[std::size_t(i)]));
            QVERIFY(float(xq.d[std::size_t(b * qk)]) == amax / 127.0f);  // exact, not fuzzy
        }
        for (int i = 0; i < n; ++i) {
            const double d = xq.d[std::size_t(i)];
            const double err = std::fabs(x[std::size_t(i)] - xq.x_hat[std::size_t(i)]);
            QVERIFY2(err <= d / 2 * (1 + std::ldexp(1.0, -20)), qPrintable(QStringLiteral("element %1").arg(i)));
            QVERIFY(std::fabs(xq.x_hat[std::size_t(i)]) <= 127 * d);
        }
        if (act_type == TensorType::Q8_1) {
            for (int b = 0; b < n / 32; ++b) {
                const auto& blk = reinterpret_cast<const q::act_q8_1*>(scalar_blocks.data())[b];
                int sum = 0;
                for (int i = 0; i < 32; ++i) sum += blk.qs[i];
                QVERIFY(q::load_f32(blk.s) == q::load_f32(blk.d) * float(sum));
            }
        }
        if (act_type == TensorType::Q8_K) {
            for (int b = 0; b < n / 256; ++b) {
                const auto& blk = reinterpret_cast<const q::act_q8_k*>(scalar_blocks.data())[b];
                for (int g = 0; g < 16; ++g) {
                    int sum = 0;
                    for (int i = 0; i < 16; ++i) sum += blk.qs[16 * g + i];
                    QCOMPARE(int(q::load_i16(blk.bsums + 2 * g)), sum);
                }
            }
        }
    }

    // Every byte of the blocks 0x00, 0x7F, 0x80 or 0xFF: the largest unsigned quants (15, 31, 63, all scale
    // bits set), Q8_0's −128, Q6_K's −128 scales, against activations of ±127 everywhere. The integer
    // paths must neither saturate (maddubs) nor overflow; the reference is the scalar dequantizer, which
    // dequantizeMatchesGguf pins to gguf-py.
    void dotQuantizedSurvivesExtremeBlocks_data() { add_type_table_rows(true); }
    void dotQuantizedSurvivesExtremeBlocks() {
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
                for (int i = 0; i < n; ++i) {
                    x[std::size_t(i)] = pattern == 0 ? 1.0f : pattern == 1 ? -1.0f : (i % 2 ? 1.0f : -1.0f);
                }
                std::vector<std::uint8_t> blocks(hearth::cpu::activation_row_bytes(k->activation_type, n));
                k->quantize_activations(x.data(), blocks.data(), n);
                const Dequantized xq = read_activations(k->activation_type, blocks, n);
                double ref = 0.0, mag = 0.0;
                for (int i = 0; i < n; ++i) {
                    ref += double(w[std::size_t(i)]) * xq.x_hat[std::size_t(i)];
                    mag += std::fabs(double(w[std::size_t(i)]) * xq.x_hat[std::size_t(i)]);
                }
                const double got = k->dot_quantized(raw.data(), blocks.data(), n);
                QVERIFY2(std::fabs(got - ref) <= 1e-5 * mag,
                         qPrintable(QStringLiteral("fill 0x%1, x pattern %2: got %3, Σw·x̂ %4").arg(fill, 2, 16, QChar('0'))
                                        .arg(pattern).arg(got, 0, 'g', 10).arg(ref, 0, 'g', 10)));
            }
        }
    }

    void dotQuantizedMatchesF64Dot_data() { add_type_table_rows(true); }
    void dotQuantizedMatchesF64Dot() {
        QFETCH(int, type);
        QFETCH(bool, scalar);
        const Golden g = load_golden(TensorType(type));
        const RowKernels* k = kernels_for(g.type, scalar);
        QVERIFY(k && k->quantize_activations && k->dot_quantized);
        const int n = g.n_per_row;
        const std::vector<float> x = random_x(n, 777u + unsigned(type));
        const std::size_t act_bytes = hearth::cpu::activation_row_bytes(k->activation_type, n);
        std::vector<std::uint8_t> blocks(act_bytes);
        k->quantize_activations(x.data(), blocks.data(), n);
        const OddBytes odd_blocks(blocks.data(), blocks.size());
        const Dequantized xq = read_activations(k->activation_type, blocks, n);

        for (int r = 0; r < g.n_rows; ++r) {
            const OddBytes row(g.raw.data() + std::size_t(r) * std::size_t(g.row_bytes), std::size_t(g.row_bytes));
            const float* w = g.values.data() + std::size_t(r) * std::size_t(g.n_per_row);
            double ref_hat = 0.0, mag_hat = 0.0, ref = 0.0, mag = 0.0, quant_bound = 0.0;
            for (int i = 0; i < n; ++i) {
                const double wi = w[i];
                ref_hat += wi * xq.x_hat[std::size_t(i)];
                mag_hat += std::fabs(wi * xq.x_hat[std::size_t(i)]);
                ref += wi * x[std::size_t(i)];
                mag += std::fabs(wi * x[std::size_t(i)]);
                quant_bound += std::fabs(wi) * xq.d[std::size_t(i)] / 2;
            }
            const double got = k->dot_quantized(row.data(), odd_blocks.data(), n);
            const double tol_hat = 1e-5 * mag_hat;
            QVERIFY2(std::fabs(got - ref_hat) <= tol_hat,
                     qPrintable(QStringLiteral("row %1: got %2, Σw·x̂ %3, |err| %4 > %5").arg(r).arg(got, 0, 'g', 10)
                                    .arg(ref_hat, 0, 'g', 10).arg(std::fabs(got - ref_hat)).arg(tol_hat)));
            const double tol = quant_bound + 1e-5 * mag;
            QVERIFY2(std::fabs(got - ref) <= tol,
                     qPrintable(QStringLiteral("row %1: got %2, Σw·x %3, |err| %4 > %5").arg(r).arg(got, 0, 'g', 10)
                                    .arg(ref, 0, 'g', 10).arg(std::fabs(got - ref)).arg(tol)));
        }
    }

    // The split 8+8-bit path: x₂ quantizes the remainder x − x̂₁ (dequantize_activations must return exactly
    // x̂₁), and dot_quantized_split, where a type has one, equals the two single dots; the pair is then far
    // closer to the F32 dot than one 8-bit part (bound: Σ|w|·d₂/2 with d₂ the remainder's scale).
    void splitActivationsAreNearlyExact_data() { add_type_table_rows(true); }
    void splitActivationsAreNearlyExact() {
        QFETCH(int, type);
        QFETCH(bool, scalar);
        const Golden g = load_golden(TensorType(type));
        const RowKernels* k = kernels_for(g.type, scalar);
        const int n = g.n_per_row;
        const std::vector<float> x = random_x(n, 4242u + unsigned(type));
        const std::size_t act_bytes = hearth::cpu::activation_row_bytes(k->activation_type, n);
        std::vector<std::uint8_t> x1(act_bytes), x2(act_bytes);
        k->quantize_activations(x.data(), x1.data(), n);
        std::vector<float> remainder(std::size_t(n), 0.0f);
        hearth::cpu::dequantize_activations(k->activation_type, x1.data(), remainder.data(), n);
        const Dequantized first = read_activations(k->activation_type, x1, n);
        for (int i = 0; i < n; ++i) {
            QCOMPARE(remainder[std::size_t(i)], float(first.x_hat[std::size_t(i)]));  // d·q rounded once to f32
            remainder[std::size_t(i)] = x[std::size_t(i)] - remainder[std::size_t(i)];
        }
        k->quantize_activations(remainder.data(), x2.data(), n);
        const Dequantized second = read_activations(k->activation_type, x2, n);
        for (int r = 0; r < g.n_rows; ++r) {
            const std::uint8_t* row = g.raw.data() + std::size_t(r) * std::size_t(g.row_bytes);
            const float* w = g.values.data() + std::size_t(r) * std::size_t(g.n_per_row);
            double ref = 0.0, mag = 0.0, bound = 0.0;
            for (int i = 0; i < n; ++i) {
                ref += double(w[i]) * x[std::size_t(i)];
                mag += std::fabs(double(w[i]) * x[std::size_t(i)]);
                bound += std::fabs(double(w[i])) * second.d[std::size_t(i)] / 2;
            }
            const double two_dots = double(k->dot_quantized(row, x1.data(), n)) + k->dot_quantized(row, x2.data(), n);
            QVERIFY2(std::fabs(two_dots - ref) <= bound + 2e-5 * mag,
                     qPrintable(QStringLiteral("row %1: split %2, Σw·x %3").arg(r).arg(two_dots, 0, 'g', 10).arg(ref, 0, 'g', 10)));
            if (k->dot_quantized_split) {
                const double fused = k->dot_quantized_split(row, x1.data(), x2.data(), n);
                QVERIFY2(std::fabs(fused - two_dots) <= 1e-5 * mag,
                         qPrintable(QStringLiteral("row %1: fused %2, two dots %3").arg(r).arg(fused, 0, 'g', 10).arg(two_dots, 0, 'g', 10)));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestRowKernels)
#include "test_row_kernels.moc"
