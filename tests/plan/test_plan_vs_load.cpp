// The planner and the CPU engine agree: on the CPU, every fixture the plan accepts loads and runs a token,
// and every one it refuses fails to load (with a message, never a crash). A plan that says "ready" and a
// load that fails, or the reverse, is the planner's bug.
#include <QtTest/QTest>

#include <QDir>
#include <cmath>

#include "hearth/language_model.h"
#include "hearth/plan.h"

using namespace hearth;

class TestPlanVsLoad : public QObject {
    Q_OBJECT

private slots:
    void planAgreesWithLoad_data() {
        QTest::addColumn<QString>("path");
        const QString root = QStringLiteral(HEARTH_FIXTURES_DIR "/models/");
        for (const QString& f : QDir(root + "gguf").entryList({"*.gguf"}, QDir::Files, QDir::Name))
            QTest::newRow(qPrintable("gguf/" + f)) << root + "gguf/" + f;
        for (const QString& d : QDir(root + "hf").entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
            QTest::newRow(qPrintable("hf/" + d)) << root + "hf/" + d;
        for (const char* real : {"SmolLM2-135M-Instruct.Q4_1.gguf", "gemma-3-270m-Q4_K_M.gguf"})
            QTest::newRow(real) << QStringLiteral(HEARTH_MODELS_DIR "/") + real;
    }
    void planAgreesWithLoad() {
        QFETCH(QString, path);
        if (!QFileInfo::exists(path)) QSKIP("fixture missing: run ctest -R 'make_tiny_models|fetch_models'");
        auto info = inspect(path.toStdString());
        QVERIFY2(info, info ? "" : info.error().message.c_str());
        auto cpu = hardware_profile("cpu");
        for (KvDtype kv : {KvDtype::auto_, KvDtype::fp8_e4m3}) {
            LoadOptions options;
            options.kv = kv;
            options.context_length = 256;
            const LoadPlan p = plan(info.value(), *cpu, options);
            QCOMPARE(p.device, std::string("cpu"));
            // The seed cases are odd on purpose (S5 has a vision tower); every other fixture is a complete model.
            const bool seed_case = path.contains("/seed-");
            for (const Finding& f : p.findings) {
                if (!seed_case)
                    QVERIFY2(f.code != "tensor-missing" && f.code != "tensor-unexpected", f.message.c_str());
                QVERIFY2(f.code != "fp16-range", "the CPU converts no weights");
            }
            ModelLoadOptions load;
            load.context_length = p.context_length;
            load.kv_cache_type = p.kv_cache_type;
            auto model = LanguageModel::load(p.model, load);
            if (p.refused()) {
                QVERIFY2(!model, "the plan refused a model the engine loads");
                QVERIFY(!model.error().message.empty());
                continue;
            }
            QVERIFY2(model, qPrintable(QString("planned as ready, but the load failed: %1")
                                           .arg(QString::fromStdString(model ? std::string() : model.error().message))));
            auto session = (*model)->start_session();
            QVERIFY(session);
            bool finite = true;
            const std::vector<TokenId> tokens = {1, 2, 3};
            QVERIFY((*session)->append(tokens, Session::Logits::last, [&](std::int64_t, std::span<const float> logits) {
                for (float v : logits) finite = finite && std::isfinite(v);
            }));
            QVERIFY(finite);
        }
    }
};

QTEST_GUILESS_MAIN(TestPlanVsLoad)
#include "test_plan_vs_load.moc"
