// The memory estimate against what a real load takes: SmolLM2-135M (Q4_1) and Gemma-3-270M (Q4_K_M) loaded
// on the CPU through the Engine with a fixed context, one full-width prefill step run (so the workspace
// exists), and the growth of the process's resident memory (VmRSS: anonymous and file-backed pages) compared
// with plan().memory.total. Within 10%, as the planner issue asks.
#include <QtTest/QTest>

#include <fstream>

#include "engine_test_support.h"
#include "hearth/engine.h"
#include "hearth/plan.h"

using namespace hearth;

namespace {

std::uint64_t resident_bytes() {
    std::ifstream in("/proc/self/status");
    std::string key;
    while (in >> key) {
        if (key == "VmRSS:") {
            std::uint64_t kib = 0;
            in >> kib;
            return kib * 1024;
        }
        std::getline(in, key);
    }
    return 0;
}

}  // namespace

class TestMemoryRealModels : public QObject {
    Q_OBJECT

private slots:
    void estimateMatchesResidentMemory_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("SmolLM2-135M Q4_1") << "SmolLM2-135M-Instruct.Q4_1.gguf";
        QTest::newRow("Gemma-3-270M Q4_K_M") << "gemma-3-270m-Q4_K_M.gguf";
    }
    void estimateMatchesResidentMemory() {
        QFETCH(QString, file);
        const auto path = std::filesystem::path(HEARTH_MODELS_DIR) / file.toStdString();
        if (!std::filesystem::exists(path)) QSKIP("real models missing: run ctest -R fetch_models");
        auto info = inspect(path);
        QVERIFY(info);

        LoadOptions options;
        options.device.kind = DeviceChoice::Kind::cpu;
        options.context_length = 2048;
        options.max_running = 1;  // as hearth-cli chat loads it
        LoadPlan p = plan(info.value(), probe(), options);
        QVERIFY2(!p.refused(), p.findings.empty() ? "" : p.findings.front().message.c_str());
        QCOMPARE(p.context_length, std::int64_t(2048));

        const std::uint64_t before = resident_bytes();
        {
            auto engine = Engine::load(p);
            QVERIFY2(engine, engine ? "" : engine.error().message.c_str());
            // One step of max_batch_tokens prompt tokens: the workspace at its planned size.
            RequestCollector collector;
            Request r;
            for (int i = 0; i < p.max_batch_tokens + 8; ++i) r.prompt.push_back(100 + i % 50);
            r.max_tokens = 1;
            r.on_update = collector.callback(0);
            QVERIFY((*engine)->submit(std::move(r)));
            QVERIFY(collector.wait_finished(1));
            const std::uint64_t after = resident_bytes();
            const double measured = static_cast<double>(after - before);
            const double estimate = static_cast<double>(p.memory.total);
            qInfo("%s: estimate %.1f MiB (weights %.1f, KV %.1f for %lld tokens, workspace %.1f, other %.1f), "
                  "measured RSS growth %.1f MiB, ratio %.3f",
                  qPrintable(file), estimate / 1048576.0, p.memory.weights / 1048576.0, p.memory.kv_cache / 1048576.0,
                  static_cast<long long>(p.kv_cache_tokens), p.memory.workspace / 1048576.0, p.memory.overhead / 1048576.0,
                  measured / 1048576.0, estimate / measured);
            QVERIFY2(std::abs(estimate - measured) <= 0.10 * measured,
                     qPrintable(QString("estimate %1 MiB vs measured %2 MiB").arg(estimate / 1048576.0).arg(measured / 1048576.0)));
        }
    }
};

QTEST_GUILESS_MAIN(TestMemoryRealModels)
#include "test_memory_real_models.moc"
