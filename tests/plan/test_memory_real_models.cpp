// The memory estimate against what a real load takes: SmolLM2-135M (Q4_1) and Gemma-3-270M (Q4_K_M) loaded
// on the CPU through the Engine with a fixed context, one full-width prefill step run (so the workspace
// exists), and the growth of a fresh child process's resident memory (VmRSS: anonymous and file-backed pages) compared
// with plan().memory.total. Within 10%, as the planner issue asks.
#include <QtTest/QTest>

#include <sys/wait.h>
#include <unistd.h>

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
        QTest::addColumn<QString>("kv");
        QTest::addColumn<int>("context");
        const QString smollm2 = "SmolLM2-135M-Instruct.Q4_1.gguf", gemma = "gemma-3-270m-Q4_K_M.gguf";
        QTest::newRow("SmolLM2-135M Q4_1, F32 KV, 2048") << smollm2 << "auto" << 2048;
        QTest::newRow("Gemma-3-270M Q4_K_M, F32 KV, 2048") << gemma << "auto" << 2048;
        QTest::newRow("SmolLM2-135M Q4_1, FP8 E4M3 KV, 4096") << smollm2 << "fp8-e4m3" << 4096;
        QTest::newRow("Gemma-3-270M Q4_K_M, F16 KV, 1024") << gemma << "f16" << 1024;
    }
    void estimateMatchesResidentMemory() {
        QFETCH(QString, file);
        QFETCH(QString, kv);
        QFETCH(int, context);
        const auto path = std::filesystem::path(HEARTH_MODELS_DIR) / file.toStdString();
        if (!std::filesystem::exists(path)) QSKIP("real models missing: run ctest -R fetch_models");
        auto info = inspect(path);
        QVERIFY(info);

        LoadOptions options;
        options.device.kind = DeviceChoice::Kind::cpu;
        options.context_length = context;
        options.kv = *parse_kv_dtype(kv.toStdString());
        options.max_running = 1;  // as hearth-cli chat loads it
        LoadPlan p = plan(info.value(), probe(), options);
        QVERIFY2(!p.refused(), p.findings.empty() ? "" : p.findings.front().message.c_str());
        QCOMPARE(p.context_length, std::int64_t(context));

        // Each load runs in a child process of its own: memory an earlier load freed may stay in this
        // process's heap (glibc raises its mmap threshold after large frees) and would hide the next growth.
        int fds[2];
        QVERIFY(pipe(fds) == 0);
        const pid_t child = fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            close(fds[0]);
            double result[2] = {-1.0, -1.0};
            const std::uint64_t before = resident_bytes();
            auto engine = Engine::load(p);
            if (engine) {
                // One step of max_batch_tokens prompt tokens: the workspace at its planned size.
                RequestCollector collector;
                Request r;
                for (int i = 0; i < p.max_batch_tokens + 8; ++i) r.prompt.push_back(100 + i % 50);
                r.max_tokens = 1;
                r.on_update = collector.callback(0);
                if ((*engine)->submit(std::move(r)) && collector.wait_finished(1))
                    result[0] = static_cast<double>(resident_bytes() - before);
            }
            const ssize_t written = write(fds[1], result, sizeof result);
            _exit(written == sizeof result ? 0 : 1);
        }
        close(fds[1]);
        double result[2] = {-1.0, -1.0};
        const ssize_t got = read(fds[0], result, sizeof result);
        close(fds[0]);
        int status = 0;
        waitpid(child, &status, 0);
        QVERIFY2(got == sizeof result && result[0] > 0, "the child process could not load the model");
        const double measured = result[0];
        const double estimate = static_cast<double>(p.memory.total);
        qInfo("%s, %s KV, context %d: estimate %.1f MiB (weights %.1f, KV %.1f for %lld tokens, workspace %.1f, "
              "other %.1f), measured RSS growth %.1f MiB, ratio %.3f",
              qPrintable(file), qPrintable(kv), context, estimate / 1048576.0, p.memory.weights / 1048576.0,
              p.memory.kv_cache / 1048576.0, static_cast<long long>(p.kv_cache_tokens), p.memory.workspace / 1048576.0,
              p.memory.overhead / 1048576.0, measured / 1048576.0, estimate / measured);
        QVERIFY2(std::abs(estimate - measured) <= 0.10 * measured,
                 qPrintable(QString("estimate %1 MiB vs measured %2 MiB").arg(estimate / 1048576.0).arg(measured / 1048576.0)));
    }
};

QTEST_GUILESS_MAIN(TestMemoryRealModels)
#include "test_memory_real_models.moc"
