// The model manager and model drops, on the tiny fixtures with simulated hardware: the list model under
// QAbstractItemModelTester, the models folder's contents with their fit badges, a dropped model validated
// (inspect + plan) and shown in the load-options dialog and linked into the folder, a dropped bad file
// showing the reader's error, an unsupported architecture naming the supported ones, and delete with
// confirmation.

#include <QAbstractItemModelTester>
#include <QDropEvent>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include "hearth/hardware.h"
#include "load_options_dialog.h"
#include "main_window.h"
#include "model_info_view.h"
#include "model_list_model.h"
#include "model_manager.h"
#include "model_validation.h"

namespace {

QString fixture(const char* relative)
{
    return QStringLiteral(HEARTH_FIXTURES_DIR "/models/") + QLatin1String(relative);
}

EngineFunctions simulated(const char* profile)
{
    EngineFunctions engine;
    const hearth::HardwareInfo hardware = *hearth::hardware_profile(profile);
    engine.probeHardware = [hardware] { return hardware; };
    engine.simulatedHardware = true;
    return engine;
}

// Drops `path` as a file URL on the window, as a file manager would.
void drop(QWidget& target, const QString& path)
{
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    const QPoint at(target.width() / 2, target.height() / 2);
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent dropEvent(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&target, &dropEvent);
    QVERIFY(dropEvent.isAccepted());
}

constexpr int kTimeoutMs = 20000;

}  // namespace

class TestModelManager final : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void listModelUnderTester();
    void listsFolderWithFitBadges();
    void dropValidModelShowsPlan();
    void dropBadFileShowsReaderError();
    void unsupportedArchitectureNamesSupported();
    void deleteAsksFirst();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    QString m_models;
};

void TestModelManager::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    m_settings->setValue(QStringLiteral("chat/database"), m_dir->filePath(QStringLiteral("chat.sqlite")));
    m_models = m_dir->filePath(QStringLiteral("models"));
    m_settings->setValue(QStringLiteral("models/folder"), m_models);
    QVERIFY(QDir().mkpath(m_models));
}

void TestModelManager::cleanup()
{
    m_settings.reset();
    m_dir.reset();
}

void TestModelManager::listModelUnderTester()
{
    ModelListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ModelValidator validator(hearth::inspect);
    const hearth::HardwareInfo v100 = *hearth::hardware_profile("v100");
    const QString a = fixture("gguf/llama-q8_0.gguf");
    const QString b = fixture("hf/qwen2-bf16");
    model.setPaths({a, b});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, ModelListModel::FitColumn).data().toString(), ModelListModel::fitText(ModelFit::unknown));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setCheck(validator.check(a, v100, true));
    model.setCheck(validator.check(b, v100, true));
    QCOMPARE(changed.size(), 2);
    // One ranged change per row, over every column.
    QCOMPARE(changed.first().at(0).toModelIndex(), model.index(0, 0));
    QCOMPARE(changed.first().at(1).toModelIndex(), model.index(0, ModelListModel::ColumnCount - 1));
    QCOMPARE(model.index(0, ModelListModel::ArchitectureColumn).data().toString(), QStringLiteral("llama"));
    QCOMPARE(model.index(0, ModelListModel::QuantizationColumn).data().toString(), QStringLiteral("Q8_0"));
    QCOMPARE(model.index(1, ModelListModel::QuantizationColumn).data().toString(), QStringLiteral("BF16"));
    QVERIFY(!model.index(0, ModelListModel::SizeColumn).data().toString().isEmpty());
    QVERIFY(!model.index(0, ModelListModel::ContextColumn).data().toString().isEmpty());
    QVERIFY(!model.index(0, ModelListModel::ParametersColumn).data().toString().isEmpty());
    QCOMPARE(model.index(0, 0).data(ModelListModel::FitRole).toInt(), int(ModelFit::gpu));
    QVERIFY(model.index(0, ModelListModel::FitColumn).data(Qt::ToolTipRole).toString().contains(QStringLiteral("V100")));

    // A later setPaths keeps what is known about the paths that stay.
    model.setPaths({b});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, ModelListModel::ArchitectureColumn).data().toString(), QStringLiteral("qwen2"));
    model.removePath(b);
    QCOMPARE(model.rowCount(), 0);
    model.removePath(b);
}

void TestModelManager::listsFolderWithFitBadges()
{
    QVERIFY(QFile::link(fixture("gguf/llama-q8_0.gguf"), m_models + QStringLiteral("/llama-q8_0.gguf")));
    QVERIFY(QFile::link(fixture("hf/qwen2-bf16"), m_models + QStringLiteral("/qwen2-bf16")));
    QVERIFY(QDir().mkpath(m_models + QStringLiteral("/not-a-model")));
    QFile notes(m_models + QStringLiteral("/notes.txt"));
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.close();

    MainWindow window(*m_settings, simulated("gtx1080"));
    ModelManager& manager = window.modelManager();
    QAbstractItemModelTester tester(&manager.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy finished(&manager, &ModelManager::scanFinished);
    QVERIFY(finished.wait(kTimeoutMs));
    ModelListModel& model = manager.model();
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, ModelListModel::NameColumn).data().toString(), QStringLiteral("llama-q8_0.gguf"));
    QCOMPARE(model.index(1, ModelListModel::NameColumn).data().toString(), QStringLiteral("qwen2-bf16"));
    for (int row = 0; row < 2; ++row) {
        QCOMPARE(model.index(row, 0).data(ModelListModel::FitRole).toInt(), int(ModelFit::gpu));
        QCOMPARE(model.index(row, ModelListModel::FitColumn).data().toString(), QStringLiteral("Fits on GPU"));
    }
    QCOMPARE(manager.view()->model()->rowCount(), 2);
}

void TestModelManager::dropValidModelShowsPlan()
{
    MainWindow window(*m_settings, simulated("v100"));
    window.show();
    QSignalSpy validated(&window, &MainWindow::modelValidated);
    drop(window, fixture("hf/qwen2-bf16"));
    QVERIFY(validated.wait(kTimeoutMs));
    const auto check = validated.first().first().value<ModelCheck>();
    QVERIFY(check.readable());
    LoadOptionsDialog* dialog = window.loadOptionsDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    // The dialog shows the plan for the simulated V100: BF16 stored, converted to FP16.
    QCOMPARE(dialog->plan().device, std::string("cuda:0"));
    QCOMPARE(dialog->plan().weights_type, hearth::TensorType::F16);
    QVERIFY(dialog->plan().find("bf16-unsupported"));
    // The model is now part of the models folder (a link) and listed.
    const QString linked = m_models + QStringLiteral("/qwen2-bf16");
    QVERIFY(QFileInfo(linked).isSymLink());
    QTRY_COMPARE_WITH_TIMEOUT(window.modelManager().model().rowOf(linked), 0, kTimeoutMs);

    // Dropping it again does not link it twice.
    validated.clear();
    drop(window, fixture("hf/qwen2-bf16"));
    QVERIFY(validated.wait(kTimeoutMs));
    QCOMPARE(QDir(m_models).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).size(), 1);
}

void TestModelManager::dropBadFileShowsReaderError()
{
    const QString bad = m_dir->filePath(QStringLiteral("broken.gguf"));
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("GGUF\x03\x00\x00\x00 not really", 20);
    file.close();

    MainWindow window(*m_settings, simulated("rtx3090"));
    window.show();
    QSignalSpy validated(&window, &MainWindow::modelValidated);
    drop(window, bad);
    QVERIFY(validated.wait(kTimeoutMs));
    const auto check = validated.first().first().value<ModelCheck>();
    QVERIFY(!check.readable());
    QVERIFY(!check.error.isEmpty());
    QVERIFY(!window.loadOptionsDialog());
    const auto* errorText = window.modelInfoView().findChild<QLabel*>(QStringLiteral("errorText"));
    QVERIFY(errorText);
    QVERIFY2(errorText->text().contains(check.error.left(40).toHtmlEscaped()) || errorText->text().contains(check.error.left(40)),
             qPrintable(errorText->text()));
    QVERIFY(errorText->isVisible());
    // A bad file is not imported.
    QVERIFY(QDir(m_models).isEmpty());
}

void TestModelManager::unsupportedArchitectureNamesSupported()
{
    // The tiny Llama with another model type in its config.json.
    const QString folder = m_dir->filePath(QStringLiteral("mystery"));
    QVERIFY(QDir().mkpath(folder));
    for (const char* name : {"model.safetensors", "generation_config.json"})
        QVERIFY(QFile::copy(fixture("hf/llama-f32/") + QLatin1String(name), folder + QLatin1Char('/') + QLatin1String(name)));
    QFile source(fixture("hf/llama-f32/config.json"));
    QVERIFY(source.open(QIODevice::ReadOnly));
    QJsonObject config = QJsonDocument::fromJson(source.readAll()).object();
    config.insert(QStringLiteral("model_type"), QStringLiteral("mystery"));
    config.insert(QStringLiteral("architectures"), QJsonArray{QStringLiteral("MysteryForCausalLM")});
    QFile target(folder + QStringLiteral("/config.json"));
    QVERIFY(target.open(QIODevice::WriteOnly));
    target.write(QJsonDocument(config).toJson());
    target.close();

    MainWindow window(*m_settings, simulated("rtx3090"));
    window.show();
    QSignalSpy validated(&window, &MainWindow::modelValidated);
    drop(window, folder);
    QVERIFY(validated.wait(kTimeoutMs));
    const auto check = validated.first().first().value<ModelCheck>();
    QVERIFY2(check.readable(), qPrintable(check.error));
    QCOMPARE(check.fit, ModelFit::unusable);
    LoadOptionsDialog* dialog = window.loadOptionsDialog();
    QVERIFY(dialog);
    const hearth::Finding* finding = dialog->plan().find("arch-unsupported");
    QVERIFY(finding);
    QVERIFY(QString::fromStdString(finding->message).contains(QStringLiteral("It runs:")));
    QVERIFY(QString::fromStdString(finding->message).contains(QStringLiteral("llama")));
    QVERIFY(!dialog->findChild<QPushButton*>(QStringLiteral("loadButton"))->isEnabled());
    QVERIFY(check.fitReason.contains(QStringLiteral("It runs:")));
}

void TestModelManager::deleteAsksFirst()
{
    const QString link = m_models + QStringLiteral("/llama-q8_0.gguf");
    QVERIFY(QFile::link(fixture("gguf/llama-q8_0.gguf"), link));
    MainWindow window(*m_settings, simulated("cpu"));
    window.show();
    ModelManager& manager = window.modelManager();
    QSignalSpy finished(&manager, &ModelManager::scanFinished);
    QVERIFY(finished.wait(kTimeoutMs));
    QCOMPARE(manager.model().rowCount(), 1);
    QCOMPARE(manager.model().index(0, 0).data(ModelListModel::FitRole).toInt(), int(ModelFit::cpuOnly));

    // Cancel keeps it.
    manager.deleteModel(link);
    auto* box = manager.findChild<QMessageBox*>(QStringLiteral("confirmDeleteModel"));
    QVERIFY(box);
    QVERIFY(box->text().contains(QStringLiteral("stays where it is")));
    box->button(QMessageBox::Cancel)->click();
    QCoreApplication::processEvents();
    QVERIFY(QFileInfo(link).isSymLink());
    QCOMPARE(manager.model().rowCount(), 1);

    // Yes removes the link, never the model it points to.
    QTRY_VERIFY(!manager.findChild<QMessageBox*>(QStringLiteral("confirmDeleteModel")));
    manager.deleteModel(link);
    box = manager.findChild<QMessageBox*>(QStringLiteral("confirmDeleteModel"));
    QVERIFY(box);
    box->button(QMessageBox::Yes)->click();
    QTRY_COMPARE(manager.model().rowCount(), 0);
    QVERIFY(!QFileInfo(link).isSymLink());
    QVERIFY(QFileInfo::exists(fixture("gguf/llama-q8_0.gguf")));
}

QTEST_MAIN(TestModelManager)
#include "test_model_manager.moc"
