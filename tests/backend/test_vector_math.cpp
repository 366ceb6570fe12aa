// The CPU backend's small vector loops (engine/backend/cpu/vector_math.h) against double-precision
// references: the vector exp behind softmax and SwiGLU, and attention's row dot / accumulate / maximum, one
// head at a time and for a GQA group at once (group_rows.h).
//
// Tolerances: exp within 4·2^-24 relative of exp computed in double (the Cephes polynomial is specified at
// about 2 ulp; 4 leaves room for the FMA/non-FMA rounding of the range reduction), SiLU the same plus one
// division and one product; dot and accumulate within n·2^-24·Σ|terms| (any summation order).
#include <QtTest/QTest>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "backend/cpu/group_rows.h"
#include "backend/cpu/kv_convert.h"
#include "backend/cpu/vector_math.h"

using namespace hearth::backend::cpu;

class TestVectorMath : public QObject {
    Q_OBJECT

private slots:
    void expAndSumIsAccurate() {
        // Every length from 1 to 40 (vector body and tails), arguments spread over softmax's range.
        std::mt19937 rng(5);
        std::uniform_real_distribution<float> u(-90.0f, 3.0f);
        double worst = 0.0;
        for (int count = 1; count <= 40; ++count) {
            std::vector<float> v(static_cast<std::size_t>(count) + 1, 12345.0f);  // a guard element after the end
            std::vector<float> in(static_cast<std::size_t>(count));
            for (auto& x : in) x = u(rng);
            std::copy(in.begin(), in.end(), v.begin());
            const float shift = 2.5f;
            const float sum = exp_and_sum(v.data(), count, shift);
            double ref_sum = 0.0;
            for (int j = 0; j < count; ++j) {
                const double arg = double(in[std::size_t(j)]) - double(shift);
                const double ref = std::exp(double(float(arg)));
                ref_sum += ref;
                if (float(arg) < -87.0f) {
                    // Below the clamp: a value too small for any softmax sum to notice.
                    QVERIFY2(v[std::size_t(j)] >= 0.0f && v[std::size_t(j)] < 1e-37f, qPrintable(QString::number(arg)));
                    continue;
                }
                const double rel = std::abs(double(v[std::size_t(j)]) - ref) / ref;
                worst = std::max(worst, rel);
                QVERIFY2(rel <= 4 * std::ldexp(1.0, -24),
                         qPrintable(QStringLiteral("exp(%1): %2 vs %3").arg(arg).arg(double(v[std::size_t(j)]), 0, 'g', 9).arg(ref, 0, 'g', 9)));
            }
            QCOMPARE(v[std::size_t(count)], 12345.0f);
            QVERIFY(std::abs(double(sum) - ref_sum) <= 1e-6 * ref_sum + 1e-37);
        }
        qInfo("exp: worst relative error %.3g (2^-24 = %.3g)", worst, std::ldexp(1.0, -24));
    }

    void expPropagatesNaN() {
        std::vector<float> v = {0.0f, std::numeric_limits<float>::quiet_NaN(), -1.0f, 0.5f, 1.0f, 2.0f, 3.0f, 4.0f, 5.0f};
        const float sum = exp_and_sum(v.data(), int(v.size()), 0.0f);
        QVERIFY(std::isnan(v[1]));
        QVERIFY(std::isnan(sum));
        QCOMPARE(v[0], 1.0f);
        // Softmax meets an infinite score as the maximum itself: inf − inf is NaN, which must come through.
        std::vector<float> inf = {std::numeric_limits<float>::infinity(), 1.0f};
        QVERIFY(std::isnan(exp_and_sum(inf.data(), 2, std::numeric_limits<float>::infinity())));
    }

    void siluMulIsAccurate() {
        std::mt19937 rng(7);
        std::uniform_real_distribution<float> u(-30.0f, 30.0f);
        for (int n : {1, 7, 8, 9, 64, 1536 + 5}) {
            std::vector<float> gate(static_cast<std::size_t>(n)), up(static_cast<std::size_t>(n)), out(static_cast<std::size_t>(n));
            for (int i = 0; i < n; ++i) {
                gate[std::size_t(i)] = u(rng);
                up[std::size_t(i)] = u(rng) / 10.0f;
            }
            gate[0] = -100.0f;  // exp(100) is past the clamp: silu must still be ≈ −0
            silu_mul(gate.data(), up.data(), out.data(), n);
            for (int i = 0; i < n; ++i) {
                const double g = gate[std::size_t(i)];
                const double ref = g / (1.0 + std::exp(-g)) * up[std::size_t(i)];
                QVERIFY2(std::abs(out[std::size_t(i)] - ref) <= 8 * std::ldexp(1.0, -24) * std::abs(ref) + 1e-30,
                         qPrintable(QStringLiteral("n %1, i %2: %3 vs %4").arg(n).arg(i).arg(double(out[std::size_t(i)]), 0, 'g', 9).arg(ref, 0, 'g', 9)));
            }
        }
    }

    void maxValueSkipsNaN() {
        // Every length from 0 to 40, the maximum anywhere (vector body or tail), NaNs ignored.
        std::mt19937 rng(3);
        std::uniform_real_distribution<float> u(-50.0f, 50.0f);
        const float nan = std::numeric_limits<float>::quiet_NaN();
        QCOMPARE(max_value(nullptr, 0), -std::numeric_limits<float>::infinity());
        for (int count = 1; count <= 40; ++count)
            for (int at = 0; at < count; ++at) {
                std::vector<float> v(static_cast<std::size_t>(count));
                for (auto& x : v) x = u(rng);
                v[std::size_t(at)] = 100.0f + float(at);
                v[std::size_t((at + 3) % count)] = count > 1 ? nan : v[std::size_t(at)];
                if (count > 1 && (at + 3) % count == at) continue;
                QCOMPARE(max_value(v.data(), count), 100.0f + float(at));
            }
        const float all_nan[9] = {nan, nan, nan, nan, nan, nan, nan, nan, nan};
        QCOMPARE(max_value(all_nan, 9), -std::numeric_limits<float>::infinity());
    }

    void groupRowsMatchOneHeadAtATime() {
        // The GQA-group loops against double references, for 1–7 heads (chunks of three and the rest),
        // 1–13 keys (steps of four and the rest), and n with and without the vector paths (8 | n, 32 | n).
        std::mt19937 rng(17);
        std::uniform_real_distribution<float> u(-1.0f, 1.0f);
        for (int heads = 1; heads <= 7; ++heads) {
            for (int n : {8, 20, 64, 96}) {
                for (int count : {1, 4, 7, 13}) {
                    const int stride = n * 3 + 8, q_stride = n + 4, s_stride = 16, a_stride = n + 8;
                    std::vector<float> q(std::size_t(heads * q_stride)), rows(std::size_t(count * stride));
                    std::vector<float> w(std::size_t(heads * s_stride)), acc(std::size_t(heads * a_stride), 0.25f);
                    for (auto& x : q) x = u(rng);
                    for (auto& x : rows) x = u(rng);
                    for (auto& x : w) x = u(rng);
                    std::vector<float> scores(std::size_t(heads * s_stride), -7.0f);
                    dot_rows_f32_heads(q.data(), q_stride, heads, rows.data(), stride, count, n, 0.125f, scores.data(), s_stride);
                    const std::vector<float> before = acc;
                    accumulate_rows_f32_heads(rows.data(), stride, w.data(), s_stride, heads, count, n, acc.data(), a_stride);
                    for (int h = 0; h < heads; ++h) {
                        for (int j = 0; j < count; ++j) {
                            double ref = 0.0, mag = 0.0;
                            for (int i = 0; i < n; ++i) {
                                const double t = double(q[std::size_t(h * q_stride + i)]) * rows[std::size_t(j * stride + i)];
                                ref += t;
                                mag += std::abs(t);
                            }
                            QVERIFY(std::abs(scores[std::size_t(h * s_stride + j)] - 0.125 * ref) <= 0.125 * (n + 1) * std::ldexp(1.0, -24) * mag);
                        }
                        QCOMPARE(scores[std::size_t(h * s_stride + count)], count < s_stride ? -7.0f : scores[std::size_t(h * s_stride + count)]);
                        for (int i = 0; i < a_stride; ++i) {
                            double ref = before[std::size_t(h * a_stride + i)], mag = std::abs(ref);
                            if (i < n)
                                for (int j = 0; j < count; ++j) {
                                    const double t = double(w[std::size_t(h * s_stride + j)]) * rows[std::size_t(j * stride + i)];
                                    ref += t;
                                    mag += std::abs(t);
                                }
                            QVERIFY(std::abs(acc[std::size_t(h * a_stride + i)] - ref) <= (count + 1) * std::ldexp(1.0, -24) * mag);
                        }
                    }
                }
            }
        }
    }

    void groupRowsOverF16() {
        // The F16 versions (the KV cache's F16 rows) against double references over the decoded values.
        std::mt19937 rng(23);
        std::uniform_real_distribution<float> u(-1.0f, 1.0f);
        for (int n : {32, 64, 96, 256}) {
            if (!group_rows_f16_available(n)) QSKIP("no AVX2 + F16C on this CPU: attention takes the one-head loops");
            for (int heads : {1, 3, 4, 7}) {
                const int count = 13, stride = n * 2 + 16, q_stride = n, s_stride = 16, a_stride = n;
                std::vector<std::uint16_t> rows(std::size_t(count * stride));
                std::vector<float> decoded(rows.size()), q(std::size_t(heads * q_stride)), w(std::size_t(heads * s_stride));
                for (std::size_t i = 0; i < rows.size(); ++i) {
                    rows[i] = f32_to_f16(u(rng));
                    decoded[i] = f16_to_f32(rows[i]);
                }
                for (auto& x : q) x = u(rng);
                for (auto& x : w) x = u(rng);
                std::vector<float> scores(std::size_t(heads * s_stride)), acc(std::size_t(heads * a_stride), 0.5f);
                dot_rows_f16_heads(q.data(), q_stride, heads, rows.data(), stride, count, n, 0.25f, scores.data(), s_stride);
                accumulate_rows_f16_heads(rows.data(), stride, w.data(), s_stride, heads, count, n, acc.data(), a_stride);
                for (int h = 0; h < heads; ++h) {
                    for (int j = 0; j < count; ++j) {
                        double ref = 0.0, mag = 0.0;
                        for (int i = 0; i < n; ++i) {
                            const double t = double(q[std::size_t(h * q_stride + i)]) * decoded[std::size_t(j * stride + i)];
                            ref += t;
                            mag += std::abs(t);
                        }
                        QVERIFY(std::abs(scores[std::size_t(h * s_stride + j)] - 0.25 * ref) <= 0.25 * (n + 1) * std::ldexp(1.0, -24) * mag);
                    }
                    for (int i = 0; i < n; ++i) {
                        double ref = 0.5, mag = 0.5;
                        for (int j = 0; j < count; ++j) {
                            const double t = double(w[std::size_t(h * s_stride + j)]) * decoded[std::size_t(j * stride + i)];
                            ref += t;
                            mag += std::abs(t);
                        }
                        QVERIFY(std::abs(acc[std::size_t(h * a_stride + i)] - ref) <= (count + 1) * std::ldexp(1.0, -24) * mag);
                    }
                }
            }
        }
    }

    void dotAndAccumulateRows() {
        std::mt19937 rng(11);
        std::uniform_real_distribution<float> u(-1.0f, 1.0f);
        for (int n : {8, 20, 64, 128}) {
            const int count = 13, stride = n * 3 + 5;
            std::vector<float> q(static_cast<std::size_t>(n)), rows(static_cast<std::size_t>(count * stride)), w(static_cast<std::size_t>(count));
            for (auto& x : q) x = u(rng);
            for (auto& x : rows) x = u(rng);
            for (auto& x : w) x = u(rng);
            std::vector<float> scores(static_cast<std::size_t>(count));
            dot_rows_f32(q.data(), rows.data(), stride, count, n, 0.125f, scores.data());
            for (int j = 0; j < count; ++j) {
                double ref = 0.0, mag = 0.0;
                for (int i = 0; i < n; ++i) {
                    ref += double(q[std::size_t(i)]) * rows[std::size_t(j * stride + i)];
                    mag += std::abs(double(q[std::size_t(i)]) * rows[std::size_t(j * stride + i)]);
                }
                QVERIFY(std::abs(scores[std::size_t(j)] - 0.125 * ref) <= 0.125 * (n + 1) * std::ldexp(1.0, -24) * mag);
            }
            std::vector<float> acc(static_cast<std::size_t>(n), 0.5f);
            accumulate_rows_f32(rows.data(), stride, w.data(), count, n, acc.data());
            for (int i = 0; i < n; ++i) {
                double ref = 0.5, mag = 0.5;
                for (int j = 0; j < count; ++j) {
                    ref += double(w[std::size_t(j)]) * rows[std::size_t(j * stride + i)];
                    mag += std::abs(double(w[std::size_t(j)]) * rows[std::size_t(j * stride + i)]);
                }
                QVERIFY(std::abs(acc[std::size_t(i)] - ref) <= (count + 1) * std::ldexp(1.0, -24) * mag);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestVectorMath)
#include "test_vector_math.moc"
