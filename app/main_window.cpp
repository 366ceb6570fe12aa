#include "main_window.h"

#include <QAction>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QIcon>
#include <QLabel>
#include <QMenuBar>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <spdlog/spdlog.h>

#include "about_dialog.h"
#include "display_format.h"
#include "filesystem_path.h"
#include "model_info_view.h"

namespace {

const QString kGeometryKey = QStringLiteral("mainWindow/geometry");
const QString kModelDirectoryKey = QStringLiteral("models/lastDirectory");

}  // namespace

MainWindow::MainWindow(QSettings& settings, EngineFunctions engine, QWidget* parent)
    : QMainWindow(parent)
    , m_settings(settings)
    , m_inspector(std::make_unique<ModelInspector>(std::move(engine.inspectModel)))
    , m_prober(std::make_unique<HardwareProber>(std::move(engine.probeHardware)))
{
    setWindowTitle(tr("Hearth"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/hearth.svg")));

    m_view = new ModelInfoView(this);
    setCentralWidget(m_view);
    createActions();
    createMenus();
    createStatusBar();
    connect(m_view, &ModelInfoView::openFileRequested, this, &MainWindow::chooseModelFile);
    connect(m_view, &ModelInfoView::openFolderRequested, this, &MainWindow::chooseModelFolder);

    m_workerThread.setObjectName(QStringLiteral("hearth-worker"));
    m_inspector->moveToThread(&m_workerThread);
    m_prober->moveToThread(&m_workerThread);
    connect(m_inspector.get(), &ModelInspector::inspected, this, &MainWindow::onInspected);
    connect(m_inspector.get(), &ModelInspector::failed, this, &MainWindow::onInspectFailed);
    connect(m_prober.get(), &HardwareProber::probed, this, &MainWindow::onHardwareProbed);
    m_workerThread.start();
    QMetaObject::invokeMethod(m_prober.get(), [prober = m_prober.get()] { prober->probe(); }, Qt::QueuedConnection);

    if (!restoreGeometry(m_settings.value(kGeometryKey).toByteArray()))
        resize(1100, 720);
}

MainWindow::~MainWindow()
{
    // NOTE: the one blocking wait on the GUI thread: the workers must stop before they are deleted. An
    // inspection reads headers only and probing is quick, so this is short.
    m_workerThread.quit();
    m_workerThread.wait();
}

void MainWindow::createActions()
{
    m_openModelAction = new QAction(QIcon::fromTheme(QStringLiteral("document-open")), tr("&Open model…"), this);
    m_openModelAction->setObjectName(QStringLiteral("actionOpenModel"));
    m_openModelAction->setShortcut(QKeySequence::Open);
    m_openModelAction->setStatusTip(tr("Open a .gguf file or a file of a Hugging Face model"));
    connect(m_openModelAction, &QAction::triggered, this, &MainWindow::chooseModelFile);

    m_openFolderAction = new QAction(QIcon::fromTheme(QStringLiteral("folder-open")), tr("Open model &folder…"), this);
    m_openFolderAction->setObjectName(QStringLiteral("actionOpenModelFolder"));
    m_openFolderAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_openFolderAction->setStatusTip(tr("Open a Hugging Face model folder"));
    connect(m_openFolderAction, &QAction::triggered, this, &MainWindow::chooseModelFolder);

    m_quitAction = new QAction(QIcon::fromTheme(QStringLiteral("application-exit")), tr("&Quit"), this);
    m_quitAction->setObjectName(QStringLiteral("actionQuit"));
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_aboutAction = new QAction(QIcon::fromTheme(QStringLiteral("help-about")), tr("&About Hearth"), this);
    m_aboutAction->setObjectName(QStringLiteral("actionAbout"));
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAboutDialog);
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("menuFile"));
    file->addAction(m_openModelAction);
    file->addAction(m_openFolderAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("menuHelp"));
    help->addAction(m_aboutAction);
}

void MainWindow::createStatusBar()
{
    // The opened model is a widget, not a temporary message: menus' status tips would wipe a message.
    m_modelStatus = new QLabel(tr("No model open"), this);
    m_modelStatus->setObjectName(QStringLiteral("modelStatus"));
    m_modelStatus->setTextFormat(Qt::PlainText);
    statusBar()->addWidget(m_modelStatus, 1);

    m_busyLabel = new QLabel(this);
    m_busyLabel->setTextFormat(Qt::PlainText);
    m_busyIndicator = new QProgressBar(this);
    m_busyIndicator->setObjectName(QStringLiteral("busyIndicator"));
    m_busyIndicator->setRange(0, 0);  // indeterminate
    m_busyIndicator->setMaximumWidth(120);
    m_busyIndicator->setTextVisible(false);
    statusBar()->addPermanentWidget(m_busyLabel);
    statusBar()->addPermanentWidget(m_busyIndicator);
    setInspecting(QString());
}

void MainWindow::openModel(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const quint64 requestId = ++m_latestRequest;
    setInspecting(absolute);
    spdlog::info("inspecting {}", absolute.toStdString());
    QMetaObject::invokeMethod(
        m_inspector.get(),
        [inspector = m_inspector.get(), requestId, absolute] { inspector->inspect(requestId, absolute); },
        Qt::QueuedConnection);
}

void MainWindow::onInspected(quint64 requestId, const std::shared_ptr<const hearth::ModelInfo>& info)
{
    if (requestId != m_latestRequest)
        return;
    setInspecting(QString());
    m_view->showModel(info);

    const QString fileName = QFileInfo(fromFilesystemPath(info->path)).fileName();
    QStringList summary{fileName};
    if (!info->architecture.empty())
        summary << QString::fromStdString(info->architecture);
    if (info->n_params > 0)
        summary << tr("%1 parameters").arg(DisplayFormat::parameterCount(info->n_params));
    m_modelStatus->setText(summary.join(QStringLiteral(" · ")));
    m_modelStatus->setToolTip(fromFilesystemPath(info->path));
}

void MainWindow::onInspectFailed(quint64 requestId, const QString& path, const QString& message)
{
    if (requestId != m_latestRequest)
        return;
    setInspecting(QString());
    spdlog::warn("{}", message.toStdString());
    m_view->showError(path, message);
    m_modelStatus->setText(tr("Could not read %1").arg(QFileInfo(path).fileName()));
    m_modelStatus->setToolTip(path);
}

void MainWindow::onHardwareProbed(const hearth::HardwareInfo& hardware)
{
    spdlog::info("{}", hearth::describe(hardware));
    m_hardware = hardware;
    if (m_aboutDialog)
        m_aboutDialog->setHardware(hardware);
    emit hardwareProbed();
}

void MainWindow::setInspecting(const QString& path)
{
    m_inspectingPath = path;
    const bool busy = !path.isEmpty();
    m_busyLabel->setText(busy ? tr("Inspecting %1…").arg(QFileInfo(path).fileName()) : QString());
    m_busyLabel->setVisible(busy);
    m_busyIndicator->setVisible(busy);
}

void MainWindow::chooseModelFile()
{
    const QStringList filters{
        tr("Models (*.gguf config.json *.safetensors *.safetensors.index.json)"),
        tr("GGUF files (*.gguf)"),
        tr("Hugging Face files (config.json *.safetensors *.safetensors.index.json)"),
        tr("All files (*)"),
    };
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Model"), lastModelDirectory(),
                                                      filters.join(QStringLiteral(";;")));
    if (path.isEmpty())
        return;
    rememberModelDirectory(QFileInfo(path).absolutePath());
    openModel(path);
}

void MainWindow::chooseModelFolder()
{
    const QString path = QFileDialog::getExistingDirectory(this, tr("Open Model Folder"), lastModelDirectory());
    if (path.isEmpty())
        return;
    // The folder's parent, so that the next dialog opens among the user's other models.
    rememberModelDirectory(QFileInfo(path).absolutePath());
    openModel(path);
}

void MainWindow::rememberModelDirectory(const QString& path)
{
    m_settings.setValue(kModelDirectoryKey, path);
}

QString MainWindow::lastModelDirectory() const
{
    return m_settings.value(kModelDirectoryKey).toString();
}

void MainWindow::showAboutDialog()
{
    if (!m_aboutDialog) {
        m_aboutDialog = new AboutDialog(this);
        m_aboutDialog->setAttribute(Qt::WA_DeleteOnClose);
        if (m_hardware)
            m_aboutDialog->setHardware(*m_hardware);
    }
    // Non-modal: the window stays usable while it is open.
    m_aboutDialog->show();
    m_aboutDialog->raise();
    m_aboutDialog->activateWindow();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    m_settings.setValue(kGeometryKey, saveGeometry());
    QMainWindow::closeEvent(event);
}
