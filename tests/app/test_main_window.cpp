// MainWindow with the real engine: menus, the About dialog with the probed hardware, and opening the tiny
// generated models (the tiny_models fixture) and a path that does not exist. A few cases replace the engine
// calls with ones that wait for the test, to see the window while work is under way.

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

#include "about_dialog.h"
#include "hearth/hardware.h"
#include "main_window.h"
#include "model_info_view.h"
#include "scoped_translations.h"
#include "translations.h"

namespace {

QString fixture(const QString& relative)
{
    return QStringLiteral(HEARTH_FIXTURES_DIR "/models/") + relative;
}

QString valueOf(const MainWindow& window, const QString& key)
{
    const auto* label = window.findChild<QLabel*>(key + QStringLiteral("Value"));
    return label ? label->text() : QString();
}

QString hardwareText(const AboutDialog& dialog)
{
    const auto* label = dialog.findChild<QLabel*>(QStringLiteral("hardwareLabel"));
    return label ? label->text() : QString();
}

// Saves a picture of `widget` when HEARTH_SCREENSHOT_DIR is set, for a person to look at.
void saveScreenshot(QWidget& widget, const QString& name)
{
    const QString dir = qEnvironmentVariable("HEARTH_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        QVERIFY(widget.grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png")));
}

constexpr int kTimeoutMs = 20000;

}  // namespace

class TestMainWindow final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void title();
    void menus_data();
    void menus();
    void emptyState();
    void aboutShowsProbedHardware();
    void aboutUpdatesWhenProbeFinishes();
    void opensModel_data();
    void opensModel();
    void filtersTensors();
    void missingPathShowsError();
    void busyWhileInspecting();
    void laterOpenSupersedesEarlier();
    void remembersGeometry();
    void chineseTranslation();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
};

void TestMainWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QVERIFY2(QFileInfo::exists(fixture(QStringLiteral("gguf/llama-f32.gguf"))),
             "the tiny_models fixture has not been generated (run the make_tiny_models test)");
}

void TestMainWindow::init()
{
    m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("hearth.ini")), QSettings::IniFormat);
    // The window keeps conversations in this file (never in the user's own).
    m_settings->setValue(QStringLiteral("chat/database"), m_dir.filePath(QStringLiteral("conversations.sqlite")));
}

void TestMainWindow::cleanup()
{
    m_settings->clear();
    m_settings.reset();
}

void TestMainWindow::title()
{
    MainWindow window(*m_settings);
    QCOMPARE(window.windowTitle(), QStringLiteral("Hearth"));
    QVERIFY(!window.windowIcon().isNull());
}

void TestMainWindow::menus_data()
{
    QTest::addColumn<QString>("menu");
    QTest::addColumn<QString>("menuTitle");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("actionText");
    QTest::addColumn<QKeySequence>("shortcut");

    QTest::newRow("open") << "menuFile" << "&File" << "actionOpenModel" << "&Open model…"
                          << QKeySequence(QKeySequence::Open);
    QTest::newRow("open folder") << "menuFile" << "&File" << "actionOpenModelFolder" << "Open model &folder…"
                                 << QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O);
    QTest::newRow("quit") << "menuFile" << "&File" << "actionQuit" << "&Quit" << QKeySequence(QKeySequence::Quit);
    QTest::newRow("about") << "menuHelp" << "&Help" << "actionAbout" << "&About Hearth" << QKeySequence();
}

void TestMainWindow::menus()
{
    QFETCH(QString, menu);
    QFETCH(QString, menuTitle);
    QFETCH(QString, action);
    QFETCH(QString, actionText);
    QFETCH(QKeySequence, shortcut);

    MainWindow window(*m_settings);
    const auto* theMenu = window.findChild<QMenu*>(menu);
    QVERIFY(theMenu);
    QCOMPARE(theMenu->title(), menuTitle);
    auto* theAction = window.findChild<QAction*>(action);
    QVERIFY(theAction);
    QVERIFY(theMenu->actions().contains(theAction));
    QCOMPARE(theAction->text(), actionText);
    QCOMPARE(theAction->shortcut(), shortcut);
}

void TestMainWindow::emptyState()
{
    MainWindow window(*m_settings);
    const auto* view = window.findChild<ModelInfoView*>();
    QVERIFY(view);
    QCOMPARE(view->page(), ModelInfoView::Page::empty);
    const auto* label = window.findChild<QLabel*>(QStringLiteral("emptyStateLabel"));
    QVERIFY(label);
    QCOMPARE(label->text(),
             QStringLiteral("Open a model file (.gguf) or a Hugging Face folder to see what is inside."));
    saveScreenshot(window, QStringLiteral("empty"));
}

void TestMainWindow::aboutShowsProbedHardware()
{
    const hearth::HardwareInfo probed = hearth::probe();
    QVERIFY2(!probed.cpu.name.empty(), "hearth::probe() found no CPU name");
    const QString cpuName = QString::fromStdString(probed.cpu.name);

    MainWindow window(*m_settings);
    window.findChild<QAction*>(QStringLiteral("actionAbout"))->trigger();
    auto* dialog = window.findChild<AboutDialog*>();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QVERIFY(!dialog->isModal());
    QTRY_VERIFY_WITH_TIMEOUT(hardwareText(*dialog).contains(cpuName), kTimeoutMs);
    // No NVIDIA driver here means a line saying why; a GPU means its name.
    if (probed.gpus.empty())
        QVERIFY(hardwareText(*dialog).contains(QString::fromStdString(probed.gpu_status)));
    else
        QVERIFY(hardwareText(*dialog).contains(QString::fromStdString(probed.gpus.front().name)));
    qInfo().noquote() << "About dialog shows:\n" << hardwareText(*dialog);
    saveScreenshot(*dialog, QStringLiteral("about"));

    // Triggering again raises the same dialog instead of opening a second one.
    window.findChild<QAction*>(QStringLiteral("actionAbout"))->trigger();
    QCOMPARE(window.findChildren<AboutDialog*>().size(), 1);
}

void TestMainWindow::aboutUpdatesWhenProbeFinishes()
{
    auto gate = std::make_shared<QSemaphore>();
    EngineFunctions engine;
    engine.probeHardware = [gate] {
        gate->acquire();
        hearth::HardwareInfo hardware;
        hardware.cpu.name = "Simulated CPU";
        hearth::GpuDevice h100;
        h100.name = "NVIDIA H100 80GB HBM3";
        h100.cc_major = 9;
        h100.memory_total = 80ULL << 30;
        hardware.gpus.push_back(h100);
        return hardware;
    };
    MainWindow window(*m_settings, engine);
    const auto release = qScopeGuard([gate] { gate->release(); });

    window.findChild<QAction*>(QStringLiteral("actionAbout"))->trigger();
    auto* dialog = window.findChild<AboutDialog*>();
    QVERIFY(dialog);
    QCOMPARE(hardwareText(*dialog), QStringLiteral("Detecting hardware…"));
    QVERIFY(!window.hardware());

    gate->release();
    QTRY_VERIFY_WITH_TIMEOUT(hardwareText(*dialog).contains(QStringLiteral("Simulated CPU")), kTimeoutMs);
    QVERIFY(hardwareText(*dialog).contains(QStringLiteral("NVIDIA H100 80GB HBM3")));
    QVERIFY(window.hardware());
}

void TestMainWindow::opensModel_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("architecture");

    QTest::newRow("GGUF llama F32") << fixture("gguf/llama-f32.gguf") << "llama";
    QTest::newRow("GGUF qwen2 Q8_0") << fixture("gguf/qwen2-q8_0.gguf") << "qwen2";
    QTest::newRow("GGUF gemma3 Q4_0") << fixture("gguf/gemma3-q4_0.gguf") << "gemma3";
    QTest::newRow("HF folder") << fixture("hf/qwen3-f16") << "qwen3";
    QTest::newRow("HF shard index file") << fixture("hf/llama-f32-sharded/model.safetensors.index.json") << "llama";
}

void TestMainWindow::opensModel()
{
    QFETCH(QString, path);
    QFETCH(QString, architecture);

    MainWindow window(*m_settings);
    window.show();
    window.openModel(path);
    const auto* view = window.findChild<ModelInfoView*>();
    QTRY_VERIFY_WITH_TIMEOUT(!window.isInspecting(), kTimeoutMs);
    QCOMPARE(view->page(), ModelInfoView::Page::model);

    // Every tiny model has the same shape (tests/make_tiny_models.py).
    QVERIFY2(valueOf(window, QStringLiteral("architecture")).startsWith(architecture),
             qPrintable(valueOf(window, QStringLiteral("architecture"))));
    QCOMPARE(valueOf(window, QStringLiteral("layers")), QStringLiteral("2"));
    QCOMPARE(valueOf(window, QStringLiteral("hiddenSize")), QStringLiteral("64"));
    QCOMPARE(valueOf(window, QStringLiteral("vocabulary")), QStringLiteral("256"));
    QCOMPARE(valueOf(window, QStringLiteral("contextLength")), QStringLiteral("2,048 tokens"));
    QVERIFY(!valueOf(window, QStringLiteral("parameters")).isEmpty());

    const auto* table = window.findChild<QTableView*>(QStringLiteral("tensorView"));
    QVERIFY(table);
    QCOMPARE(std::size_t(table->model()->rowCount()), view->modelInfo()->tensors.size());
    QVERIFY(table->model()->rowCount() > 0);

    const auto* status = window.findChild<QLabel*>(QStringLiteral("modelStatus"));
    QVERIFY(status->text().contains(QFileInfo(QString::fromStdString(view->modelInfo()->path.string())).fileName()));
    QVERIFY(status->text().contains(architecture));
    saveScreenshot(window, QStringLiteral("model-") + QString::fromLatin1(QTest::currentDataTag()).replace(' ', '-'));
}

void TestMainWindow::filtersTensors()
{
    MainWindow window(*m_settings);
    window.openModel(fixture(QStringLiteral("gguf/llama-f32.gguf")));
    QTRY_VERIFY_WITH_TIMEOUT(!window.isInspecting(), kTimeoutMs);
    const auto* view = window.findChild<ModelInfoView*>();
    QCOMPARE(view->page(), ModelInfoView::Page::model);

    int expected = 0;
    for (const hearth::TensorInfo& tensor : view->modelInfo()->tensors)
        expected += QString::fromStdString(tensor.name).contains(QStringLiteral("attn_q")) ? 1 : 0;
    QCOMPARE(expected, 2);  // one per layer

    auto* filter = window.findChild<QLineEdit*>(QStringLiteral("tensorFilter"));
    const auto* table = window.findChild<QTableView*>(QStringLiteral("tensorView"));
    const int total = table->model()->rowCount();
    QTest::keyClicks(filter, QStringLiteral("ATTN_Q"));
    QCOMPARE(table->model()->rowCount(), expected);
    const auto* count = window.findChild<QLabel*>(QStringLiteral("tensorCount"));
    QCOMPARE(count->text(), QStringLiteral("Tensors: %1 of %2").arg(expected).arg(total));
    filter->clear();
    QCOMPARE(table->model()->rowCount(), total);
}

void TestMainWindow::missingPathShowsError()
{
    const QString missing = m_dir.filePath(QStringLiteral("no-such-model.gguf"));
    MainWindow window(*m_settings);
    window.openModel(missing);
    QTRY_VERIFY_WITH_TIMEOUT(!window.isInspecting(), kTimeoutMs);
    const auto* view = window.findChild<ModelInfoView*>();
    QCOMPARE(view->page(), ModelInfoView::Page::error);
    const auto* error = window.findChild<QLabel*>(QStringLiteral("errorText"));
    QVERIFY(error);
    QVERIFY2(error->text().contains(missing), qPrintable(error->text()));
    QVERIFY(error->textInteractionFlags() & Qt::TextSelectableByMouse);
    saveScreenshot(window, QStringLiteral("error"));
    QVERIFY(window.findChild<QLabel*>(QStringLiteral("modelStatus"))->text().contains(QStringLiteral("no-such-model.gguf")));
}

void TestMainWindow::busyWhileInspecting()
{
    auto gate = std::make_shared<QSemaphore>();
    EngineFunctions engine;
    engine.inspectModel = [gate](const std::filesystem::path& path) {
        gate->acquire();
        return hearth::inspect(path);
    };
    MainWindow window(*m_settings, engine);
    const auto release = qScopeGuard([gate] { gate->release(); });
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const auto* busy = window.findChild<QProgressBar*>(QStringLiteral("busyIndicator"));
    QVERIFY(busy);
    QVERIFY(!busy->isVisible());

    window.openModel(fixture(QStringLiteral("gguf/llama-f32.gguf")));
    QVERIFY(window.isInspecting());
    QVERIFY(busy->isVisible());
    QTest::qWait(50);  // the window keeps handling events while the worker is held
    QVERIFY(busy->isVisible());

    gate->release();
    QTRY_VERIFY_WITH_TIMEOUT(!window.isInspecting(), kTimeoutMs);
    QVERIFY(!busy->isVisible());
    QCOMPARE(window.findChild<ModelInfoView*>()->page(), ModelInfoView::Page::model);
}

void TestMainWindow::laterOpenSupersedesEarlier()
{
    // The first (missing) path is held on the worker until the second is queued; its error must not
    // replace the model opened after it.
    auto gate = std::make_shared<QSemaphore>();
    EngineFunctions engine;
    engine.inspectModel = [gate](const std::filesystem::path& path) {
        if (path.filename() == "first.gguf")
            gate->acquire();
        return hearth::inspect(path);
    };
    MainWindow window(*m_settings, engine);
    const auto release = qScopeGuard([gate] { gate->release(); });

    window.openModel(m_dir.filePath(QStringLiteral("first.gguf")));
    window.openModel(fixture(QStringLiteral("gguf/llama-f32.gguf")));
    gate->release();
    QTRY_VERIFY_WITH_TIMEOUT(!window.isInspecting(), kTimeoutMs);
    QCOMPARE(window.findChild<ModelInfoView*>()->page(), ModelInfoView::Page::model);
    QVERIFY(valueOf(window, QStringLiteral("architecture")).startsWith(QStringLiteral("llama")));
}

void TestMainWindow::remembersGeometry()
{
    {
        MainWindow window(*m_settings);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.resize(777, 555);
        QTRY_COMPARE(window.size(), QSize(777, 555));
        window.close();
    }
    MainWindow again(*m_settings);
    QCOMPARE(again.size(), QSize(777, 555));
}

void TestMainWindow::chineseTranslation()
{
    QCOMPARE(translationFileFor(QLocale(QLocale::English, QLocale::UnitedStates)), QString());
    QCOMPARE(translationFileFor(QLocale(QLocale::Chinese, QLocale::China)), QStringLiteral(":/i18n/hearth_zh_CN.qm"));

    const ScopedTranslations chinese(QLocale(QLocale::Chinese, QLocale::China));
    QVERIFY(chinese.installed());
    MainWindow window(*m_settings);
    QCOMPARE(window.windowTitle(), QStringLiteral("Hearth"));  // the name is not translated
    QCOMPARE(window.findChild<QMenu*>(QStringLiteral("menuFile"))->title(), QStringLiteral("文件(&F)"));
    QCOMPARE(window.findChild<QMenu*>(QStringLiteral("menuHelp"))->title(), QStringLiteral("帮助(&H)"));
    QCOMPARE(window.findChild<QAction*>(QStringLiteral("actionOpenModel"))->text(), QStringLiteral("打开模型(&O)…"));
}

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
