// The forward pass against transformers on the tiny random-weight fixtures, every architecture, every
// format that stores the same numbers (HF F32/F16/BF16/sharded, GGUF F32/F16; the fixtures' weights are
// exactly representable in all of them). Golden: tests/data/golden/logits/tiny-<arch>.json, full logits
// for 48 tokens (past the gemma3 fixture's sliding window of 8).
//
// Tolerance (fp32): at every position, max |ours − transformers| ≤ 1e-4 · max |transformers|, and the
// argmax is identical. This also checks the GGUF-specific work: llama's Q/K row order put back, Gemma's
// norms stored as 1 + w.
//
// Feature variants (tests/make_tiny_models.py VARIANTS: a base fixture's weights under a config that turns
// one feature on; golden tiny-<variant>.json, whose "oracle" key names the oracle as this list does):
//   llama-rope-linear   rope_scaling linear, factor 4.
//                       Oracle: transformers LlamaForCausalLM, its own rope_scaling code.
//   llama-rope-llama3   rope_scaling llama3, original context 32 < 48 tokens; all three frequency bands matter.
//                       Oracle: transformers LlamaForCausalLM, its own rope_scaling code.
//   gemma3-softcap      attention logit cap 2, final logit cap 10.
//                       Oracle: transformers Gemma3ForCausalLM. The final cap is its own; its Gemma 3 stores but
//                       ignores the attention cap, so the golden script hands it to the eager attention function
//                       the way transformers' Gemma 2 does.
//   llama-chunked-nope  layer 0: RoPE, chunks of 16 tokens; layer 1: NoPE, full causal attention.
//                       Oracle: transformers Llama4ForCausalLM built dense (no MoE, no L2 QK-norm, no attention
//                       temperature tuning) from the fixture's weights; the golden script checks it against a
//                       second construction, LlamaForCausalLM with per-layer 4D masks and identity RoPE.
// tests/make_logits_golden.py checks that each feature, switched off, moves the logits by more than 100× the
// tolerance, so none of these rows can pass while ignoring its feature.
#include <cmath>

#include <QtTest/QTest>

#include <algorithm>

#include "golden_json.h"
#include "hearth/language_model.h"

using namespace hearth;

class TestForwardTiny : public QObject {
    Q_OBJECT

private slots:
    void matchesTransformers_data() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QString>("model");
        QTest::addColumn<bool>("exact");
        for (const char* arch : {"llama", "qwen2", "qwen3", "gemma3"}) {
            const QString a = QString::fromLatin1(arch);
            for (const QString& path : {"hf/" + a + "-f32", "hf/" + a + "-f16", "hf/" + a + "-bf16",
                                        "gguf/" + a + "-f32.gguf", "gguf/" + a + "-f16.gguf"}) {
                QTest::newRow(qPrintable(path)) << a << path << false;
            }
            QTest::newRow(qPrintable("exact " + a)) << a << "hf/" + a + "-f32" << true;
        }
        QTest::newRow("hf/llama-f32-sharded") << "llama" << "hf/llama-f32-sharded" << false;
        for (const char* variant : {"llama-rope-linear", "llama-rope-llama3", "gemma3-softcap", "llama-chunked-nope"}) {
            const QString v = QString::fromLatin1(variant);
            QTest::newRow(qPrintable("hf/" + v + "-f32")) << v << "hf/" + v + "-f32" << false;
            QTest::newRow(qPrintable("exact " + v)) << v << "hf/" + v + "-f32" << true;
        }
    }

    void matchesTransformers() {
        QFETCH(QString, arch);
        QFETCH(QString, model);
        QFETCH(bool, exact);
        const auto golden = read_golden("tiny-" + arch.toStdString() + ".json");
        const auto tokens = golden["tokens"].get<std::vector<TokenId>>();
        const auto& expected = golden["logits"];

        ModelLoadOptions options;
        options.threads = 2;
        options.matmul = exact ? MatmulPrecision::exact : MatmulPrecision::int16;
        auto loaded = LanguageModel::load(QStringLiteral(HEARTH_FIXTURES_DIR "/models/").toStdString() + model.toStdString(), options);
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
        auto session = (*loaded)->start_session();
        QVERIFY(session.ok());

        double worst = 0.0;
        int positions = 0;
        QString failure;
        auto appended = (*session)->append(tokens, Session::Logits::all, [&](std::int64_t p, std::span<const float> logits) {
            const auto& row = expected[static_cast<std::size_t>(p)];
            double max_ref = 0.0, max_diff = 0.0;
            std::size_t argmax_ours = 0, argmax_ref = 0;
            for (std::size_t i = 0; i < logits.size(); ++i) {
                const double ref = row[i].get<double>();
                max_ref = std::max(max_ref, std::abs(ref));
                max_diff = std::max(max_diff, std::abs(double(logits[i]) - ref));
                if (!(logits[i] <= logits[argmax_ours])) argmax_ours = i;
                if (ref > row[argmax_ref].get<double>()) argmax_ref = i;
            }
            const double relative = max_diff / max_ref;
            worst = std::max(worst, relative);
            if (failure.isEmpty() && (!(relative <= 1e-4) || argmax_ours != argmax_ref))
                failure = QString("position %1: relative error %2, argmax %3 vs transformers %4")
                              .arg(p).arg(relative).arg(argmax_ours).arg(argmax_ref);
            ++positions;
        });
        QVERIFY2(appended.ok(), appended.ok() ? "" : appended.error().message.c_str());
        QCOMPARE(positions, static_cast<int>(tokens.size()));
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        qInfo("%s: worst relative error %.3g over %d positions; oracle: %s", qPrintable(model), worst, positions,
              golden.value("oracle", std::string("transformers, unmodified (eager)")).c_str());
    }

    void chunkedPrefillEqualsOnePass_data() {
        QTest::addColumn<QString>("fixture");
        QTest::newRow("gemma3") << "gemma3";                          // sliding window of 8
        QTest::newRow("gemma3-softcap") << "gemma3-softcap";
        QTest::newRow("llama-chunked-nope") << "llama-chunked-nope";  // pieces cross the chunk start at 16
    }
    void chunkedPrefillEqualsOnePass() {
        // The same tokens fed in pieces (prefill chunks, then one at a time) give the logits of one pass:
        // the KV cache and positions carry over correctly.
        QFETCH(QString, fixture);
        const auto golden = read_golden("tiny-" + fixture.toStdString() + ".json");
        const auto tokens = golden["tokens"].get<std::vector<TokenId>>();
        auto model = LanguageModel::load(QStringLiteral(HEARTH_FIXTURES_DIR "/models/hf/").toStdString() +
                                         fixture.toStdString() + "-f32");
        QVERIFY(model.ok());
        auto session = (*model)->start_session();
        QVERIFY(session.ok());
        std::vector<float> last;
        auto keep = [&](std::int64_t, std::span<const float> l) { last.assign(l.begin(), l.end()); };
        std::size_t fed = 0;
        for (std::size_t piece : {5u, 1u, 9u, 1u, 1u, 20u}) {
            QVERIFY((*session)->append(std::span(tokens).subspan(fed, piece), Session::Logits::last, keep).ok());
            fed += piece;
        }
        QVERIFY((*session)->append(std::span(tokens).subspan(fed), Session::Logits::last, keep).ok());
        QCOMPARE((*session)->length(), static_cast<std::int64_t>(tokens.size()));
        const auto& ref = golden["logits"].back();
        for (std::size_t i = 0; i < last.size(); ++i) QVERIFY(std::abs(last[i] - ref[i].get<double>()) < 1e-3);

        // Truncating and re-running the tail reproduces it too (what chat does when a turn changes).
        (*session)->truncate(30);
        QVERIFY((*session)->append(std::span(tokens).subspan(30), Session::Logits::last, keep).ok());
        for (std::size_t i = 0; i < last.size(); ++i) QVERIFY(std::abs(last[i] - ref[i].get<double>()) < 1e-3);
    }

    void loadProgressRisesToOneAndCancels() {
        // A GGUF llama: Q/K rows put back in order, then every matrix moved into the backend's buffer
        // (the int16 path), each move reported. Progress never goes back and ends at 1; a cancel from the
        // progress callback stops the load while the matrices move.
        const std::string path = QStringLiteral(HEARTH_FIXTURES_DIR "/models/gguf/llama-q8_0.gguf").toStdString();
        std::vector<double> seen;
        ModelLoadOptions options;
        options.progress = [&](double f) {
            seen.push_back(f);
            return true;
        };
        auto loaded = LanguageModel::load(path, options);
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
        QVERIFY(seen.size() >= 3);
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        QCOMPARE(seen.front(), 0.0);
        QCOMPARE(seen.back(), 1.0);
        int calls = 0;
        options.progress = [&](double f) { return ++calls < 3 || f >= 1.0; };  // cancel at the third report
        auto cancelled = LanguageModel::load(path, options);
        QVERIFY(!cancelled.ok());
        QVERIFY2(cancelled.error().message.find("cancelled") != std::string::npos, cancelled.error().message.c_str());
    }

    void rejectsWhatItCannotRun() {
        ModelLoadOptions sixteen;
        sixteen.context_length = 16;
        auto model = LanguageModel::load(QStringLiteral(HEARTH_FIXTURES_DIR "/models/hf/llama-f32").toStdString(),
                                         sixteen);
        QVERIFY(model.ok());
        auto session = (*model)->start_session();
        QVERIFY(session.ok());
        auto ignore = [](std::int64_t, std::span<const float>) {};
        std::vector<TokenId> too_long(17, 65);
        auto result = (*session)->append(too_long, Session::Logits::last, ignore);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.find("context of 16 tokens") != std::string::npos, result.error().message.c_str());
        std::vector<TokenId> bad_id = {65, 256};
        result = (*session)->append(bad_id, Session::Logits::last, ignore);
        QVERIFY(!result.ok());
        QVERIFY(result.error().message.find("token id 256") != std::string::npos);
        QCOMPARE((*session)->length(), std::int64_t{0});
    }
};

QTEST_APPLESS_MAIN(TestForwardTiny)
#include "test_forward_tiny.moc"
