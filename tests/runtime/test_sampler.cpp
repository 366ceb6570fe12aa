// The token sampler: each step of the pipeline on hand-computed distributions, seeded reproducibility, and
// the drawn frequencies against the distribution they should follow.
#include <QtTest/QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <vector>

#include "hearth/sampling.h"
#include "runtime/sampler.h"

using hearth::SamplingParams;
using hearth::runtime::Sampler;

Q_DECLARE_METATYPE(std::vector<float>)
Q_DECLARE_METATYPE(std::vector<double>)
Q_DECLARE_METATYPE(std::vector<std::int32_t>)
Q_DECLARE_METATYPE(std::set<std::int32_t>)
Q_DECLARE_METATYPE(SamplingParams)

namespace {

constexpr float k_inf = std::numeric_limits<float>::infinity();
constexpr float k_nan = std::numeric_limits<float>::quiet_NaN();

// Logits whose softmax is `probs` (a zero probability becomes -inf).
std::vector<float> logits_for(const std::vector<double>& probs) {
    std::vector<float> logits;
    for (double p : probs) logits.push_back(p > 0 ? static_cast<float>(std::log(p)) : -k_inf);
    return logits;
}

SamplingParams seeded(std::uint64_t seed = 7) {
    SamplingParams p;
    p.seed = seed;
    return p;
}

// How often each id comes out of `draws` samples with no context.
std::vector<int> histogram(const SamplingParams& params, const std::vector<float>& logits, int draws) {
    Sampler sampler(params);
    std::vector<int> counts(logits.size(), 0);
    for (int i = 0; i < draws; ++i) {
        const std::int32_t id = sampler.sample(logits, {}, {});
        if (id < 0 || static_cast<std::size_t>(id) >= logits.size()) return {};
        ++counts[static_cast<std::size_t>(id)];
    }
    return counts;
}

std::set<std::int32_t> ids_seen(const std::vector<int>& counts) {
    std::set<std::int32_t> seen;
    for (std::size_t i = 0; i < counts.size(); ++i)
        if (counts[i] > 0) seen.insert(static_cast<std::int32_t>(i));
    return seen;
}

QString show(const std::set<std::int32_t>& ids) {
    QStringList parts;
    for (std::int32_t id : ids) parts << QString::number(id);
    return QStringLiteral("{") + parts.join(QStringLiteral(", ")) + QStringLiteral("}");
}

}  // namespace

class TestSampler : public QObject {
    Q_OBJECT

private slots:
    void greedy_data() {
        QTest::addColumn<std::vector<float>>("logits");
        QTest::addColumn<int>("top_k");  // temperature 0 when 0, else temperature 1 with this top_k
        QTest::addColumn<int>("expected");
        QTest::newRow("max in the middle") << std::vector<float>{0.1f, 3.0f, -2.0f, 2.9f} << 0 << 1;
        QTest::newRow("max last") << std::vector<float>{-5.0f, -4.0f, -3.0f} << 0 << 2;
        QTest::newRow("tie goes to lowest id") << std::vector<float>{1.0f, 7.0f, 2.0f, 7.0f, 7.0f} << 0 << 1;
        QTest::newRow("all equal") << std::vector<float>{0.5f, 0.5f, 0.5f} << 0 << 0;
        QTest::newRow("-inf skipped") << std::vector<float>{-k_inf, -100.0f, -k_inf} << 0 << 1;
        QTest::newRow("single token") << std::vector<float>{-3.0f} << 0 << 0;
        QTest::newRow("top_k 1 is argmax") << std::vector<float>{0.1f, 3.0f, -2.0f, 2.9f} << 1 << 1;
        QTest::newRow("top_k 1 tie") << std::vector<float>{4.0f, 2.0f, 4.0f} << 1 << 0;
    }
    void greedy() {
        QFETCH(std::vector<float>, logits);
        QFETCH(int, top_k);
        QFETCH(int, expected);
        SamplingParams params = seeded();
        if (top_k == 0) params.temperature = 0.0;
        params.top_k = top_k;
        Sampler sampler(params);
        for (int i = 0; i < 50; ++i) QCOMPARE(sampler.sample(logits, {}, {}), expected);
    }

    void temperatureLimit() {
        // Close logits: at T = 1 all three come up; as T falls the best one takes over, and at 1e-6 the
        // others' weights exp(-0.01 / 1e-6) underflow to exactly zero.
        const std::vector<float> logits{1.99f, 2.0f, 1.98f};
        double previous_share = 0.0;
        for (double t : {1.0, 0.1, 0.01, 0.002}) {
            SamplingParams params = seeded(11);
            params.temperature = t;
            const auto counts = histogram(params, logits, 4000);
            QCOMPARE(counts.size(), logits.size());
            const double share = counts[1] / 4000.0;
            QVERIFY2(share > previous_share, qPrintable(QStringLiteral("T=%1: argmax share %2 did not grow").arg(t).arg(share)));
            if (t == 1.0) QCOMPARE(ids_seen(counts), (std::set<std::int32_t>{0, 1, 2}));
            previous_share = share;
        }
        SamplingParams params = seeded(11);
        params.temperature = 1e-6;
        QCOMPARE(histogram(params, logits, 2000)[1], 2000);
    }

    void topK_data() {
        QTest::addColumn<std::vector<float>>("logits");
        QTest::addColumn<int>("top_k");
        QTest::addColumn<std::set<std::int32_t>>("allowed");
        // A nearly flat distribution over 50 ids, ascending, shuffled: every kept id is drawn many times.
        std::vector<float> flat(50);
        for (std::size_t i = 0; i < flat.size(); ++i) flat[i] = 0.01f * static_cast<float>(i);
        std::vector<std::int32_t> order(50);
        std::iota(order.begin(), order.end(), 0);
        std::shuffle(order.begin(), order.end(), std::mt19937(3));
        std::vector<float> shuffled(50);
        for (std::size_t i = 0; i < 50; ++i) shuffled[static_cast<std::size_t>(order[i])] = flat[i];
        const auto best_ids = [&order](int k) {
            std::set<std::int32_t> ids;
            for (int i = 0; i < k; ++i) ids.insert(order[static_cast<std::size_t>(49 - i)]);
            return ids;
        };
        for (int k : {2, 3, 7, 20, 49}) QTest::addRow("k=%d of 50", k) << shuffled << k << best_ids(k);
        QTest::newRow("k larger than vocab") << std::vector<float>{0.f, 0.1f, 0.2f} << 10 << std::set<std::int32_t>{0, 1, 2};
        QTest::newRow("k counts only finite") << std::vector<float>{-k_inf, 0.f, -k_inf, 0.2f} << 3 << std::set<std::int32_t>{1, 3};
        QTest::newRow("tie at the boundary: lower ids") << std::vector<float>{1.f, 1.f, 2.f, 1.f, 1.f} << 3 << std::set<std::int32_t>{0, 1, 2};
    }
    void topK() {
        QFETCH(std::vector<float>, logits);
        QFETCH(int, top_k);
        QFETCH(std::set<std::int32_t>, allowed);
        SamplingParams params = seeded();
        params.top_k = top_k;
        const auto seen = ids_seen(histogram(params, logits, 3000));
        QVERIFY2(seen == allowed, qPrintable(show(seen) + QStringLiteral(" != ") + show(allowed)));
    }

    void topP_data() {
        QTest::addColumn<double>("top_p");
        QTest::addColumn<int>("top_k");
        QTest::addColumn<std::set<std::int32_t>>("allowed");
        // probabilities by id: 0.25 0.07 0.03 0.5 0.15 → in rank order ids 3, 0, 4, 1, 2;
        // cumulative 0.5, 0.75, 0.9, 0.97, 1.
        QTest::newRow("0.3: one token") << 0.3 << 0 << std::set<std::int32_t>{3};
        QTest::newRow("just under 0.5") << 0.499 << 0 << std::set<std::int32_t>{3};
        QTest::newRow("just over 0.5") << 0.501 << 0 << std::set<std::int32_t>{3, 0};
        QTest::newRow("0.74") << 0.74 << 0 << std::set<std::int32_t>{3, 0};
        QTest::newRow("0.76") << 0.76 << 0 << std::set<std::int32_t>{3, 0, 4};
        QTest::newRow("0.89") << 0.89 << 0 << std::set<std::int32_t>{3, 0, 4};
        QTest::newRow("0.91") << 0.91 << 0 << std::set<std::int32_t>{3, 0, 4, 1};
        QTest::newRow("0.98") << 0.98 << 0 << std::set<std::int32_t>{3, 0, 4, 1, 2};
        QTest::newRow("tiny top_p keeps one") << 1e-9 << 0 << std::set<std::int32_t>{3};
        // After top-k 3 the mass renormalises to 0.5/0.9, 0.25/0.9, 0.15/0.9: cumulative 0.556, 0.833, 1.
        // The same top_p keeps three tokens without top-k and two with it.
        QTest::newRow("0.8 alone") << 0.8 << 0 << std::set<std::int32_t>{3, 0, 4};
        QTest::newRow("0.8 after top_k 3") << 0.8 << 3 << std::set<std::int32_t>{3, 0};
        QTest::newRow("0.85 after top_k 3") << 0.85 << 3 << std::set<std::int32_t>{3, 0, 4};
    }
    void topP() {
        QFETCH(double, top_p);
        QFETCH(int, top_k);
        QFETCH(std::set<std::int32_t>, allowed);
        SamplingParams params = seeded();
        params.top_p = top_p;
        params.top_k = top_k;
        const auto seen = ids_seen(histogram(params, logits_for({0.25, 0.07, 0.03, 0.5, 0.15}), 4000));
        QVERIFY2(seen == allowed, qPrintable(show(seen) + QStringLiteral(" != ") + show(allowed)));
    }

    void topPLargeNucleus() {
        // 400 "hot" ids among 1024 hold ~99.9% of the mass; top_p 0.78 keeps ~300 of them, spread over several
        // of the sampler's weight buckets (~43 ids each here) with the cut inside one. Reference: a full sort.
        const std::size_t n_vocab = 1024;
        std::mt19937 rng(5);
        std::vector<std::int32_t> ids(n_vocab);
        std::iota(ids.begin(), ids.end(), 0);
        std::shuffle(ids.begin(), ids.end(), rng);
        std::vector<float> logits(n_vocab, 0.0f);
        for (std::size_t i = 0; i < 400; ++i) logits[static_cast<std::size_t>(ids[i])] = 8.0f + 0.001f * static_cast<float>(i);

        std::vector<std::int32_t> ranked(n_vocab);
        std::iota(ranked.begin(), ranked.end(), 0);
        std::sort(ranked.begin(), ranked.end(), [&](std::int32_t a, std::int32_t b) {
            return logits[a] > logits[b] || (logits[a] == logits[b] && a < b);
        });
        double total = 0.0;
        for (float l : logits) total += std::exp(double(l) - double(logits[ranked[0]]));
        std::set<std::int32_t> nucleus;
        double mass = 0.0;
        for (std::int32_t id : ranked) {
            nucleus.insert(id);
            mass += std::exp(double(logits[id]) - double(logits[ranked[0]])) / total;
            if (mass >= 0.78) break;
        }
        QVERIFY(nucleus.size() > 256 && nucleus.size() < 400);

        // The least likely kept id has p ~ 0.0022: ~18 expected in 8000 draws.
        SamplingParams params = seeded(21);
        params.top_p = 0.78;
        const auto seen = ids_seen(histogram(params, logits, 8000));
        QCOMPARE(seen.size(), nucleus.size());
        QVERIFY(seen == nucleus);
    }

    void topPTies() {
        // Ten equally likely ids: cumulative 0.1, 0.2, ... The cut falls among equals, so the lowest ids stay.
        SamplingParams params = seeded();
        params.top_p = 0.35;
        const auto seen = ids_seen(histogram(params, std::vector<float>(10, 0.5f), 2000));
        QVERIFY2(seen == (std::set<std::int32_t>{0, 1, 2, 3}), qPrintable(show(seen)));
    }

    void minP_data() {
        QTest::addColumn<double>("min_p");
        QTest::addColumn<std::set<std::int32_t>>("allowed");
        // probabilities by id: 0.3 0.02 0.4 0.08 0.2 → relative to p_max 0.4: 0.75 0.05 1 0.2 0.5
        QTest::newRow("0.04: all") << 0.04 << std::set<std::int32_t>{0, 1, 2, 3, 4};
        QTest::newRow("0.06 drops 0.02") << 0.06 << std::set<std::int32_t>{0, 2, 3, 4};
        QTest::newRow("0.49") << 0.49 << std::set<std::int32_t>{0, 2, 4};
        QTest::newRow("0.51") << 0.51 << std::set<std::int32_t>{0, 2};
        QTest::newRow("0.76") << 0.76 << std::set<std::int32_t>{2};
        QTest::newRow("1: only the best") << 1.0 << std::set<std::int32_t>{2};
    }
    void minP() {
        QFETCH(double, min_p);
        QFETCH(std::set<std::int32_t>, allowed);
        SamplingParams params = seeded();
        params.min_p = min_p;
        const auto seen = ids_seen(histogram(params, logits_for({0.3, 0.02, 0.4, 0.08, 0.2}), 4000));
        QVERIFY2(seen == allowed, qPrintable(show(seen) + QStringLiteral(" != ") + show(allowed)));
    }

    void penalties_data() {
        QTest::addColumn<SamplingParams>("params");
        QTest::addColumn<std::vector<std::int32_t>>("prompt");
        QTest::addColumn<std::vector<std::int32_t>>("generated");
        QTest::addColumn<std::vector<float>>("expected");
        const std::vector<std::int32_t> prompt{0, 1, 1, 4};
        const std::vector<std::int32_t> generated{1, 5, 5, 5, 2};
        // Base logits 2, -1, 0.5, 3, 0, -2 (ids 0..5).
        // transformers RepetitionPenaltyLogitsProcessor, penalty 1.3, once per id in prompt + generated
        // (ids 0, 1, 2, 4, 5): 2/1.3, -1*1.3, 0.5/1.3, 3 (absent), 0 stays 0, -2*1.3.
        SamplingParams rep;
        rep.repetition_penalty = 1.3;
        QTest::newRow("repetition 1.3") << rep << prompt << generated
                                        << std::vector<float>{2.0f / 1.3f, -1.3f, 0.5f / 1.3f, 3.0f, 0.0f, -2.6f};
        SamplingParams rep_below_one;
        rep_below_one.repetition_penalty = 0.5;  // < 1 favours repeats: positives grow, negatives shrink
        QTest::newRow("repetition 0.5") << rep_below_one << prompt << generated
                                        << std::vector<float>{4.0f, -0.5f, 1.0f, 3.0f, 0.0f, -1.0f};
        // vLLM frequency/presence, generated only: counts id1 1, id2 1, id5 3; prompt ids 0 and 4 untouched.
        SamplingParams freq;
        freq.frequency_penalty = 0.5;
        QTest::newRow("frequency 0.5") << freq << prompt << generated
                                       << std::vector<float>{2.0f, -1.5f, 0.0f, 3.0f, 0.0f, -3.5f};
        SamplingParams pres;
        pres.presence_penalty = 0.25;
        QTest::newRow("presence 0.25") << pres << prompt << generated
                                       << std::vector<float>{2.0f, -1.25f, 0.25f, 3.0f, 0.0f, -2.25f};
        SamplingParams both;
        both.frequency_penalty = -0.5;
        both.presence_penalty = 1.0;
        QTest::newRow("frequency -0.5 + presence 1") << both << prompt << generated
                                                     << std::vector<float>{2.0f, -1.5f, 0.0f, 3.0f, 0.0f, -1.5f};
        // All three: repetition first (on prompt + generated), then frequency and presence on the result.
        SamplingParams all = rep;
        all.frequency_penalty = 0.5;
        all.presence_penalty = 0.25;
        QTest::newRow("repetition then frequency/presence")
            << all << prompt << generated
            << std::vector<float>{2.0f / 1.3f, -1.3f - 0.75f, 0.5f / 1.3f - 0.75f, 3.0f, 0.0f, -2.6f - 1.75f};
        SamplingParams ignored = rep;
        ignored.frequency_penalty = 1.0;
        QTest::newRow("ids outside the vocabulary ignored")
            << ignored << std::vector<std::int32_t>{-1, 6, 1000} << std::vector<std::int32_t>{-7, 6}
            << std::vector<float>{2.0f, -1.0f, 0.5f, 3.0f, 0.0f, -2.0f};
        QTest::newRow("defaults change nothing") << SamplingParams{} << prompt << generated
                                                 << std::vector<float>{2.0f, -1.0f, 0.5f, 3.0f, 0.0f, -2.0f};
    }
    void penalties() {
        QFETCH(SamplingParams, params);
        QFETCH(std::vector<std::int32_t>, prompt);
        QFETCH(std::vector<std::int32_t>, generated);
        QFETCH(std::vector<float>, expected);
        Sampler sampler(params);
        // Twice: the sampler's per-call scratch must not leak from one call into the next.
        for (int round = 0; round < 2; ++round) {
            std::vector<float> logits{2.0f, -1.0f, 0.5f, 3.0f, 0.0f, -2.0f};
            sampler.apply_penalties(logits, prompt, generated);
            for (std::size_t i = 0; i < logits.size(); ++i) {
                QVERIFY2(std::abs(logits[i] - expected[i]) <= 1e-6f,
                         qPrintable(QStringLiteral("id %1: %2, expected %3").arg(i).arg(logits[i]).arg(expected[i])));
            }
        }
    }

    void penaltiesChangeTheChoice() {
        // Greedy end to end: 2.0 would win, but id 0 is in the prompt and 2.0 / 1.1 = 1.818 < 1.9.
        SamplingParams params;
        params.temperature = 0.0;
        params.repetition_penalty = 1.1;
        Sampler sampler(params);
        const std::vector<float> logits{2.0f, 1.9f};
        const std::vector<std::int32_t> prompt{0};
        QCOMPARE(sampler.sample(logits, prompt, {}), 1);
        QCOMPARE(sampler.sample(logits, {}, {}), 0);
        // Frequency counts only generated tokens: id 0 in the prompt is not penalised, generated twice it is.
        params.repetition_penalty = 1.0;
        params.frequency_penalty = 0.06;
        Sampler by_frequency(params);
        const std::vector<std::int32_t> once{0};
        const std::vector<std::int32_t> twice{0, 0};
        QCOMPARE(by_frequency.sample(logits, twice, {}), 0);
        QCOMPARE(by_frequency.sample(logits, {}, once), 0);   // 1.94 > 1.9
        QCOMPARE(by_frequency.sample(logits, {}, twice), 1);  // 1.88 < 1.9
    }

    void seededRunsRepeat() {
        const std::vector<float> logits = logits_for({0.2, 0.2, 0.2, 0.2, 0.2});
        const auto run = [&logits](std::uint64_t seed) {
            SamplingParams params = seeded(seed);
            params.top_p = 0.95;
            Sampler sampler(params);
            std::vector<std::int32_t> out;
            if (sampler.seed() != seed) return out;  // empty: fails the comparisons below
            for (int i = 0; i < 200; ++i) out.push_back(sampler.sample(logits, {}, out));
            return out;
        };
        const auto a = run(1234);
        QCOMPARE(run(1234), a);
        QVERIFY(run(1235) != a);
        // Golden: uniform over 1000 ids, the id is floor(u * 1000) for u = (mt19937_64 output >> 11) / 2^53.
        // Pinned once from std::mt19937_64(1234) and that formula; a change means seeded runs no longer reproduce.
        std::vector<float> uniform(1000, 0.0f);
        Sampler sampler(seeded(1234));
        std::vector<std::int32_t> first;
        for (int i = 0; i < 8; ++i) first.push_back(sampler.sample(uniform, {}, {}));
        std::mt19937_64 reference(1234);
        std::vector<std::int32_t> expected;
        for (int i = 0; i < 8; ++i)
            expected.push_back(static_cast<std::int32_t>(double(reference() >> 11) * 0x1.0p-53 * 1000.0));
        QCOMPARE(first, expected);
        QCOMPARE(first, (std::vector<std::int32_t>{947, 52, 974, 945, 185, 948, 882, 944}));
    }

    void randomSeedWhenUnset() {
        const Sampler a{SamplingParams{}};
        const Sampler b{SamplingParams{}};
        QVERIFY(a.seed() != b.seed());  // 64 random bits: equal only by a 2^-64 accident
    }

    void frequencies_data() {
        QTest::addColumn<SamplingParams>("params");
        QTest::addColumn<std::vector<double>>("probs");     // the model's distribution
        QTest::addColumn<std::vector<double>>("expected");  // what the sampler should draw from
        const std::vector<double> probs{0.1, 0.4, 0.05, 0.3, 0.15};
        QTest::newRow("plain") << seeded(1) << probs << probs;
        // Temperature T: p^(1/T), renormalised. T = 0.5: squares / 0.285.
        SamplingParams cold = seeded(2);
        cold.temperature = 0.5;
        QTest::newRow("T=0.5") << cold << probs
                               << std::vector<double>{0.01 / 0.285, 0.16 / 0.285, 0.0025 / 0.285, 0.09 / 0.285, 0.0225 / 0.285};
        SamplingParams hot = seeded(3);
        hot.temperature = 2.0;
        std::vector<double> roots;
        for (double p : probs) roots.push_back(std::sqrt(p));
        const double root_sum = std::accumulate(roots.begin(), roots.end(), 0.0);
        for (double& r : roots) r /= root_sum;
        QTest::newRow("T=2") << hot << probs << roots;
        SamplingParams top_k = seeded(4);
        top_k.top_k = 3;  // 0.4, 0.3, 0.15 renormalised over 0.85
        QTest::newRow("top_k 3") << top_k << probs << std::vector<double>{0, 0.4 / 0.85, 0, 0.3 / 0.85, 0.15 / 0.85};
        SamplingParams top_p = seeded(5);
        top_p.top_p = 0.6;  // 0.4 + 0.3 reaches 0.6
        QTest::newRow("top_p 0.6") << top_p << probs << std::vector<double>{0, 0.4 / 0.7, 0, 0.3 / 0.7, 0};
        SamplingParams min_p = seeded(6);
        min_p.min_p = 0.3;  // keep p >= 0.12
        QTest::newRow("min_p 0.3") << min_p << probs << std::vector<double>{0, 0.4 / 0.85, 0, 0.3 / 0.85, 0.15 / 0.85};
    }
    void frequencies() {
        // 20000 draws. Each frequency is within 0.01 of its probability (at most 2.9 standard deviations
        // for p = 0.5), and Pearson's chi-square over the non-zero cells is below the 0.001 critical value
        // for its degrees of freedom. Zero-probability ids must never come up.
        QFETCH(SamplingParams, params);
        QFETCH(std::vector<double>, probs);
        QFETCH(std::vector<double>, expected);
        constexpr int draws = 20000;
        const auto counts = histogram(params, logits_for(probs), draws);
        QCOMPARE(counts.size(), probs.size());
        double chi_square = 0.0;
        int cells = 0;
        for (std::size_t i = 0; i < counts.size(); ++i) {
            const double freq = double(counts[i]) / draws;
            QVERIFY2(std::abs(freq - expected[i]) < 0.01,
                     qPrintable(QStringLiteral("id %1: frequency %2, probability %3").arg(i).arg(freq).arg(expected[i])));
            if (expected[i] == 0.0) {
                QCOMPARE(counts[i], 0);
                continue;
            }
            const double want = expected[i] * draws;
            chi_square += (counts[i] - want) * (counts[i] - want) / want;
            ++cells;
        }
        // chi-square critical values at alpha = 0.001 for 1..4 degrees of freedom.
        const double critical[] = {0.0, 10.83, 13.82, 16.27, 18.47};
        QVERIFY(cells >= 2 && cells <= 5);
        QVERIFY2(chi_square < critical[cells - 1], qPrintable(QStringLiteral("chi-square %1").arg(chi_square)));
    }

    void unusableLogits_data() {
        QTest::addColumn<std::vector<float>>("logits");
        QTest::addColumn<double>("temperature");
        QTest::addColumn<std::set<std::int32_t>>("allowed");
        QTest::newRow("NaN never drawn") << std::vector<float>{k_nan, 1.0f, k_nan, 1.2f} << 1.0 << std::set<std::int32_t>{1, 3};
        QTest::newRow("NaN never greedy") << std::vector<float>{k_nan, 1.0f, k_nan, 1.2f} << 0.0 << std::set<std::int32_t>{3};
        QTest::newRow("NaN first, greedy") << std::vector<float>{k_nan, -5.0f} << 0.0 << std::set<std::int32_t>{1};
        // Documented fallback: nothing usable gives id 0, never an error.
        QTest::newRow("all NaN") << std::vector<float>{k_nan, k_nan, k_nan} << 1.0 << std::set<std::int32_t>{0};
        QTest::newRow("all NaN, greedy") << std::vector<float>{k_nan, k_nan} << 0.0 << std::set<std::int32_t>{0};
        QTest::newRow("all -inf") << std::vector<float>{-k_inf, -k_inf, -k_inf} << 1.0 << std::set<std::int32_t>{0};
        QTest::newRow("NaN and -inf") << std::vector<float>{-k_inf, k_nan} << 0.7 << std::set<std::int32_t>{0};
        QTest::newRow("+inf ties share") << std::vector<float>{0.0f, k_inf, 50.0f, k_inf} << 1.0 << std::set<std::int32_t>{1, 3};
        QTest::newRow("+inf greedy") << std::vector<float>{0.0f, k_inf, 50.0f, k_inf} << 0.0 << std::set<std::int32_t>{1};
        QTest::newRow("empty row") << std::vector<float>{} << 1.0 << std::set<std::int32_t>{0};
    }
    void unusableLogits() {
        QFETCH(std::vector<float>, logits);
        QFETCH(double, temperature);
        QFETCH(std::set<std::int32_t>, allowed);
        SamplingParams params = seeded();
        params.temperature = temperature;
        Sampler sampler(params);
        std::set<std::int32_t> seen;
        for (int i = 0; i < 500; ++i) seen.insert(sampler.sample(logits, {}, {}));
        QVERIFY2(seen == allowed, qPrintable(show(seen) + QStringLiteral(" != ") + show(allowed)));
    }

    void penaltyOverflowFallsBackToRawArgmax() {
        // The penalty pushes both finite logits to -inf in f32; the fallback is the argmax of the raw row.
        SamplingParams params = seeded();
        params.repetition_penalty = 1e10;
        Sampler sampler(params);
        const std::vector<float> logits{-3e38f, -1e30f};
        const std::vector<std::int32_t> prompt{0, 1};
        QCOMPARE(sampler.sample(logits, prompt, {}), 1);
    }

    void largeVocabulary() {
        // Gemma's 262144 ids; the 5 best are near-equal so all of them turn up. top_k + top_p + min_p
        // together, checked against a reference top-5 from a full sort.
        const std::size_t n_vocab = 262144;
        std::mt19937 rng(9);
        std::normal_distribution<float> noise(0.0f, 1.0f);
        std::vector<float> logits(n_vocab);
        for (float& l : logits) l = noise(rng);
        std::vector<std::int32_t> ranked(n_vocab);
        std::iota(ranked.begin(), ranked.end(), 0);
        for (std::size_t i = 0; i < 5; ++i) logits[static_cast<std::size_t>(ranked[i * 50021])] = 20.0f + 0.01f * float(i);
        std::sort(ranked.begin(), ranked.end(), [&](std::int32_t a, std::int32_t b) {
            return logits[a] > logits[b] || (logits[a] == logits[b] && a < b);
        });
        const std::set<std::int32_t> best5(ranked.begin(), ranked.begin() + 5);

        SamplingParams params = seeded(17);
        params.top_k = 5;
        params.top_p = 0.99;
        params.min_p = 0.01;
        params.temperature = 0.8;
        const auto seen = ids_seen(histogram(params, logits, 200));  // ~40 draws each
        QVERIFY2(seen == best5, qPrintable(QStringLiteral("%1 ids seen").arg(seen.size())));

        SamplingParams greedy;
        greedy.temperature = 0.0;
        QCOMPARE(Sampler(greedy).sample(logits, {}, {}), ranked[0]);
    }

    void outOfRangeParamsClamped() {
        // validate() is the front ends' job; a Sampler given bad values anyway must still return a sane id.
        const std::vector<float> logits = logits_for({0.1, 0.4, 0.05, 0.3, 0.15});
        const auto only_best = [&logits](SamplingParams params) {
            params.seed = 3;
            return ids_seen(histogram(params, logits, 300)) == std::set<std::int32_t>{1};
        };
        SamplingParams p;
        p.top_p = 0.0;
        QVERIFY(only_best(p));
        p.top_k = 3;  // the ranked (top-k) path of top-p
        QVERIFY(only_best(p));
        p = {};
        p.top_p = -1.0;
        QVERIFY(only_best(p));
        p = {};
        p.temperature = -1.0;
        QVERIFY(only_best(p));
        p = {};
        p.min_p = 5.0;
        QVERIFY(only_best(p));
        p = {};
        p.top_k = -5;
        p.top_p = std::numeric_limits<double>::quiet_NaN();
        p.repetition_penalty = std::numeric_limits<double>::quiet_NaN();
        p.seed = 3;
        QCOMPARE(ids_seen(histogram(p, logits, 2000)), (std::set<std::int32_t>{0, 1, 2, 3, 4}));
    }

    void validate_data() {
        QTest::addColumn<SamplingParams>("params");
        QTest::addColumn<QString>("field");  // empty: valid
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        const auto with = [](auto change) {
            SamplingParams p;
            change(p);
            return p;
        };
        QTest::newRow("defaults") << SamplingParams{} << QString();
        QTest::newRow("greedy") << with([](SamplingParams& p) { p.temperature = 0; }) << QString();
        QTest::newRow("all set, in range") << with([](SamplingParams& p) {
            p.temperature = 0.7; p.top_k = 40; p.top_p = 0.9; p.min_p = 1.0; p.repetition_penalty = 0.5;
            p.frequency_penalty = -2; p.presence_penalty = 2; p.seed = 0; p.stop = {"\n\n"};
        }) << QString();
        QTest::newRow("temperature < 0") << with([](SamplingParams& p) { p.temperature = -0.1; }) << "temperature";
        QTest::newRow("temperature NaN") << with([nan](SamplingParams& p) { p.temperature = nan; }) << "temperature";
        QTest::newRow("temperature inf") << with([inf](SamplingParams& p) { p.temperature = inf; }) << "temperature";
        QTest::newRow("top_k < 0") << with([](SamplingParams& p) { p.top_k = -1; }) << "top_k";
        QTest::newRow("top_p 0") << with([](SamplingParams& p) { p.top_p = 0; }) << "top_p";
        QTest::newRow("top_p > 1") << with([](SamplingParams& p) { p.top_p = 1.01; }) << "top_p";
        QTest::newRow("top_p NaN") << with([nan](SamplingParams& p) { p.top_p = nan; }) << "top_p";
        QTest::newRow("min_p < 0") << with([](SamplingParams& p) { p.min_p = -0.01; }) << "min_p";
        QTest::newRow("min_p > 1") << with([](SamplingParams& p) { p.min_p = 1.5; }) << "min_p";
        QTest::newRow("min_p NaN") << with([nan](SamplingParams& p) { p.min_p = nan; }) << "min_p";
        QTest::newRow("repetition 0") << with([](SamplingParams& p) { p.repetition_penalty = 0; }) << "repetition_penalty";
        QTest::newRow("repetition < 0") << with([](SamplingParams& p) { p.repetition_penalty = -1.2; }) << "repetition_penalty";
        QTest::newRow("repetition inf") << with([inf](SamplingParams& p) { p.repetition_penalty = inf; }) << "repetition_penalty";
        QTest::newRow("frequency NaN") << with([nan](SamplingParams& p) { p.frequency_penalty = nan; }) << "frequency_penalty";
        QTest::newRow("frequency -inf") << with([inf](SamplingParams& p) { p.frequency_penalty = -inf; }) << "frequency_penalty";
        QTest::newRow("presence inf") << with([inf](SamplingParams& p) { p.presence_penalty = inf; }) << "presence_penalty";
        QTest::newRow("empty stop string") << with([](SamplingParams& p) { p.stop = {"ok", ""}; }) << "stop";
    }
    void validate() {
        QFETCH(SamplingParams, params);
        QFETCH(QString, field);
        const auto error = params.validate();
        if (field.isEmpty()) {
            QVERIFY2(!error, error ? error->c_str() : "");
            return;
        }
        QVERIFY(error.has_value());
        QVERIFY2(QString::fromStdString(*error).startsWith(field), error->c_str());
    }
};

QTEST_GUILESS_MAIN(TestSampler)
#include "test_sampler.moc"
