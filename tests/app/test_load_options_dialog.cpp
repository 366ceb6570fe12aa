// The load-options dialog on the tiny fixtures with simulated hardware: which choices each GPU supports
// (BF16 disabled with its reason on a V100, enabled on an RTX 3090), findings following the options
// (fp8-kv-gqa on a GQA model), the memory bar showing the plan, loading exactly the shown plan, and the
// FP8 quality measurement on a tiny model that can tokenize (through the EngineController).

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>

#include "chat_model_fixture.h"
#include "engine_controller.h"
#include "finding_display.h"
#include "hearth/hardware.h"
#include "hearth/model_info.h"
#include "load_options_dialog.h"
#include "memory_bar.h"

namespace {

std::shared_ptr<const hearth::ModelInfo> inspect(const QString& path)
{
    auto info = hearth::inspect(path.toStdString());
    if (!info) {
        qWarning("%s", info.error().message.c_str());
        return nullptr;
    }
    return std::make_shared<const hearth::ModelInfo>(std::move(info).value());
}

QString fixture(const char* relative)
{
    return QStringLiteral(HEARTH_FIXTURES_DIR "/models/") + QLatin1String(relative);
}

hearth::HardwareInfo profile(const char* name)
{
    return *hearth::hardware_profile(name);
}

QStandardItem* item(QComboBox* combo, const QString& word)
{
    const int row = combo->findData(word);
    return row < 0 ? nullptr : qobject_cast<QStandardItemModel*>(combo->model())->item(row);
}

QStringList findingCodes(const LoadOptionsDialog& dialog)
{
    QStringList codes;
    for (const QLabel* label : dialog.findChildren<QLabel*>(QStringLiteral("finding")))
        codes << label->property("findingCode").toString();
    return codes;
}

}  // namespace

class TestLoadOptionsDialog final : public QObject {
    Q_OBJECT

private slots:
    void bf16DisabledOnV100();
    void bf16EnabledOnRtx3090();
    void findingsFollowKvType();
    void memoryBarShowsPlan();
    void loadEmitsShownPlan();
    void describesQuality();
    void measuresQualityOnTinyModel();
    void measureWithoutModelSaysSo();
};

void TestLoadOptionsDialog::bf16DisabledOnV100()
{
    EngineController engine;
    const auto model = inspect(fixture("hf/qwen2-bf16"));
    QVERIFY(model);
    LoadOptionsDialog dialog(model, profile("v100"), true, engine);
    auto* weights = dialog.findChild<QComboBox*>(QStringLiteral("weightsDtype"));
    QVERIFY(weights);
    QStandardItem* bf16 = item(weights, QStringLiteral("bf16"));
    QVERIFY(bf16);
    QVERIFY(!bf16->isEnabled());
    QCOMPARE(bf16->toolTip(), QStringLiteral("BF16 needs compute capability 8.0; this GPU has 7.0"));
    const auto* support = dialog.findChild<QLabel*>(QStringLiteral("weightsSupport"));
    QVERIFY(support->text().contains(QStringLiteral("BF16 needs compute capability 8.0; this GPU has 7.0")));
    QVERIFY(!dialog.choose(QStringLiteral("weights"), QStringLiteral("bf16")));
    // FP16 stays available, and auto converts the stored BF16 to FP16 with a warning.
    QVERIFY(item(weights, QStringLiteral("f16"))->isEnabled());
    QCOMPARE(dialog.plan().weights_type, hearth::TensorType::F16);
    QVERIFY(findingCodes(dialog).contains(QStringLiteral("bf16-unsupported")));
    // On the CPU of the same machine the question is another one: the CPU runs the stored type.
    QVERIFY(dialog.choose(QStringLiteral("device"), QStringLiteral("cpu")));
    QCOMPARE(dialog.plan().device, std::string("cpu"));
}

void TestLoadOptionsDialog::bf16EnabledOnRtx3090()
{
    EngineController engine;
    const auto model = inspect(fixture("hf/qwen2-bf16"));
    QVERIFY(model);
    LoadOptionsDialog dialog(model, profile("rtx3090"), true, engine);
    auto* weights = dialog.findChild<QComboBox*>(QStringLiteral("weightsDtype"));
    QVERIFY(item(weights, QStringLiteral("bf16"))->isEnabled());
    QVERIFY(item(weights, QStringLiteral("bf16"))->toolTip().isEmpty());
    QVERIFY(dialog.choose(QStringLiteral("weights"), QStringLiteral("bf16")));
    QVERIFY(!dialog.plan().refused());
    QCOMPARE(dialog.plan().weights_type, hearth::TensorType::BF16);
    QCOMPARE(dialog.plan().device, std::string("cuda:0"));
    QVERIFY(!findingCodes(dialog).contains(QStringLiteral("bf16-unsupported")));
    QVERIFY(dialog.findChild<QPushButton*>(QStringLiteral("loadButton"))->isEnabled());
}

void TestLoadOptionsDialog::findingsFollowKvType()
{
    EngineController engine;
    const auto model = inspect(fixture("hf/qwen2-f16"));
    QVERIFY(model);
    QVERIFY(model->n_kv_heads < model->n_heads);  // grouped-query attention
    LoadOptionsDialog dialog(model, profile("t4"), true, engine);
    auto* qualityBox = dialog.findChild<QWidget*>(QStringLiteral("qualityBox"));
    QVERIFY(!findingCodes(dialog).contains(QStringLiteral("fp8-kv-gqa")));
    QVERIFY(qualityBox->isHidden());

    QVERIFY(dialog.choose(QStringLiteral("kv"), QStringLiteral("fp8-e4m3")));
    QCOMPARE(dialog.plan().kv_cache_type, hearth::TensorType::F8_E4M3);
    QVERIFY(findingCodes(dialog).contains(QStringLiteral("fp8-kv-gqa")));
    QVERIFY(!qualityBox->isHidden());
    // Each finding shows its code, message and suggestion.
    for (const QLabel* label : dialog.findChildren<QLabel*>(QStringLiteral("finding"))) {
        if (label->property("findingCode").toString() != QLatin1String("fp8-kv-gqa"))
            continue;
        const hearth::Finding* f = dialog.plan().find("fp8-kv-gqa");
        QVERIFY(f);
        QVERIFY(label->text().contains(QStringLiteral("fp8-kv-gqa")));
        QVERIFY(label->text().contains(FindingDisplay::suggestion(*f).toHtmlEscaped()));
    }

    QVERIFY(dialog.choose(QStringLiteral("kv"), QStringLiteral("f16")));
    QVERIFY(!findingCodes(dialog).contains(QStringLiteral("fp8-kv-gqa")));
    QVERIFY(qualityBox->isHidden());
}

void TestLoadOptionsDialog::memoryBarShowsPlan()
{
    EngineController engine;
    const auto model = inspect(fixture("gguf/llama-q8_0.gguf"));
    QVERIFY(model);
    LoadOptionsDialog dialog(model, profile("rtx3090"), true, engine);
    const auto* bar = dialog.findChild<MemoryBar*>(QStringLiteral("memoryBar"));
    QVERIFY(bar);
    const hearth::MemoryEstimate& m = dialog.plan().memory;
    QCOMPARE(bar->weights(), m.weights);
    QCOMPARE(bar->kvCache(), m.kv_cache);
    QCOMPARE(bar->budget(), m.budget);
    QVERIFY(bar->freeBytes() > 0);
    const std::uint64_t kvBefore = bar->kvCache();
    QVERIFY(dialog.choose(QStringLiteral("kv"), QStringLiteral("fp8-e4m3")));
    QVERIFY(bar->kvCache() < kvBefore);
}

void TestLoadOptionsDialog::loadEmitsShownPlan()
{
    EngineController engine;
    const auto model = inspect(fixture("hf/llama-f32"));
    QVERIFY(model);
    LoadOptionsDialog dialog(model, profile("cpu"), false, engine);
    QVERIFY(dialog.choose(QStringLiteral("kv"), QStringLiteral("fp8-e4m3")));
    QSignalSpy requested(&dialog, &LoadOptionsDialog::loadRequested);
    dialog.show();
    QTest::mouseClick(dialog.findChild<QPushButton*>(QStringLiteral("loadButton")), Qt::LeftButton);
    QCOMPARE(requested.size(), 1);
    const auto plan = requested.first().first().value<std::shared_ptr<const hearth::LoadPlan>>();
    QVERIFY(plan);
    QCOMPARE(plan->kv_cache_type, hearth::TensorType::F8_E4M3);
    QCOMPARE(plan->device, std::string("cpu"));
    QVERIFY(!dialog.isVisible());
}

void TestLoadOptionsDialog::describesQuality()
{
    hearth::KvQualityReport report;
    report.mean_kl = 0.004;
    report.max_kl = 0.05;
    report.argmax_agreement = 0.99;
    report.positions = 511;
    const QString text = LoadOptionsDialog::describeQuality(report);
    QVERIFY2(text.startsWith(QStringLiteral("Next-token distributions differ by 0.004 nats on average — no visible effect expected")),
             qPrintable(text));
    report.mean_kl = 0.2;
    QVERIFY(LoadOptionsDialog::describeQuality(report).contains(QStringLiteral("prefer an FP16 KV cache")));
}

void TestLoadOptionsDialog::measuresQualityOnTinyModel()
{
    QTemporaryDir dir;
    const QString folder = chat_fixture::make(dir.path());
    QVERIFY(!folder.isEmpty());
    const auto model = inspect(folder);
    QVERIFY(model);
    EngineController engine;
    LoadOptionsDialog dialog(model, profile("cpu"), false, engine);
    // The main window loads what the dialog asks for; here the test does.
    connect(&dialog, &LoadOptionsDialog::loadRequested, &engine, [&engine](std::shared_ptr<const hearth::LoadPlan> plan) {
        LoadRequest request;
        request.path = QString::fromStdString(plan->model.path.string());
        request.plan = std::move(plan);
        engine.load(request);
    });
    dialog.show();
    QVERIFY(dialog.choose(QStringLiteral("kv"), QStringLiteral("fp8-e4m3")));
    auto* measure = dialog.findChild<QPushButton*>(QStringLiteral("measureQuality"));
    QVERIFY(measure->isVisible());
    QCOMPARE(measure->text(), QStringLiteral("Load and measure quality"));
    QSignalSpy progress(&engine, &EngineController::qualityProgress);
    QSignalSpy measured(&engine, &EngineController::qualityMeasured);
    QTest::mouseClick(measure, Qt::LeftButton);
    QVERIFY(measured.wait(45000) || measured.size() == 1);
    const auto result = measured.first().at(1).value<KvQualityResult>();
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(result.reports.size(), 1);
    QCOMPARE(result.reports.first().candidate, hearth::TensorType::F8_E4M3);
    QVERIFY(!progress.isEmpty());
    const QString text = dialog.findChild<QLabel*>(QStringLiteral("qualityResult"))->text();
    QVERIFY2(text.contains(QStringLiteral("nats on average")), qPrintable(text));
    // The plan now carries the measurement; the button measures the loaded model directly next time.
    QVERIFY(dialog.options().kv_quality.has_value());
    QCOMPARE(measure->text(), QStringLiteral("Measure quality"));
}

void TestLoadOptionsDialog::measureWithoutModelSaysSo()
{
    EngineController engine;
    QSignalSpy measured(&engine, &EngineController::qualityMeasured);
    const quint64 key = engine.measureKvQuality({hearth::TensorType::F8_E4M3});
    QVERIFY(measured.wait(5000));
    QCOMPARE(measured.first().at(0).toULongLong(), key);
    QVERIFY(measured.first().at(1).value<KvQualityResult>().error.contains(QStringLiteral("Load the model first")));
}

QTEST_MAIN(TestLoadOptionsDialog)
#include "test_load_options_dialog.moc"
