#include "main_window.h"

#include <QAction>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QIcon>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QRegularExpression>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolButton>
#include <spdlog/spdlog.h>

#include "about_dialog.h"
#include "chat_panel.h"
#include "chat_session.h"
#include "conversation_list_model.h"
#include "conversation_sidebar.h"
#include "conversation_store.h"
#include "display_format.h"
#include "engine_controller.h"
#include "filesystem_path.h"
#include "load_options_dialog.h"
#include "model_info_view.h"
#include "model_list_model.h"
#include "model_manager.h"
#include "settings_dialog.h"

namespace {

const QString kGeometryKey = QStringLiteral("mainWindow/geometry");
const QString kModelDirectoryKey = QStringLiteral("models/lastDirectory");
const QString kDatabaseKey = QStringLiteral("chat/database");
const QString kExportDirectoryKey = QStringLiteral("chat/lastExportDirectory");
const QString kModelsFolderKey = QStringLiteral("models/folder");

QString defaultDatabasePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/conversations.sqlite");
}

}  // namespace

MainWindow::MainWindow(QSettings& settings, EngineFunctions engine, QWidget* parent)
    : QMainWindow(parent)
    , m_settings(settings)
    , m_inspector(std::make_unique<ModelInspector>(engine.inspectModel))
    , m_prober(std::make_unique<HardwareProber>(std::move(engine.probeHardware)))
    // NOTE: validation and the models folder's scan read files with the engine's own inspect: a test's
    // replacement (one that waits for the test) is for the Model details inspection only.
    , m_validator(std::make_unique<ModelValidator>(hearth::inspect))
    , m_simulatedHardware(engine.simulatedHardware)
{
    setWindowTitle(tr("Hearth"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/hearth.svg")));

    createChat();
    m_view = new ModelInfoView(this);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    m_tabs->addTab(m_chatPanel, tr("Chat"));
    createModelManager();
    m_tabs->addTab(m_manager, tr("Models"));
    m_tabs->addTab(m_view, tr("Model details"));
    // The folder may have been changed in Settings: the tab follows it when it is shown.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_tabs->currentWidget() == m_manager && m_manager->folder() != modelsFolder())
            m_manager->setFolder(modelsFolder());
    });
    setAcceptDrops(true);
    auto* splitter = new QSplitter(this);
    splitter->setObjectName(QStringLiteral("mainSplitter"));
    splitter->addWidget(m_sidebar);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({240, 860});
    setCentralWidget(splitter);
    createActions();
    createMenus();
    createStatusBar();
    connect(m_view, &ModelInfoView::openFileRequested, this, &MainWindow::chooseModelFile);
    connect(m_view, &ModelInfoView::openFolderRequested, this, &MainWindow::chooseModelFolder);

    m_workerThread.setObjectName(QStringLiteral("hearth-worker"));
    m_inspector->moveToThread(&m_workerThread);
    m_prober->moveToThread(&m_workerThread);
    m_validator->moveToThread(&m_workerThread);
    connect(m_validator.get(), &ModelValidator::validated, this, &MainWindow::onValidated);
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
    // The widgets refer to the chat session, the models and the engine: they go first.
    delete m_loadDialog;
    delete takeCentralWidget();
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

    m_loadModelAction = new QAction(tr("&Load model for chat…"), this);
    m_loadModelAction->setObjectName(QStringLiteral("actionLoadModel"));
    m_loadModelAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    m_loadModelAction->setStatusTip(tr("Choose a model and load it to chat with"));
    connect(m_loadModelAction, &QAction::triggered, this, &MainWindow::chooseModelToLoad);

    m_loadOpenedAction = new QAction(tr("Load the &opened model"), this);
    m_loadOpenedAction->setObjectName(QStringLiteral("actionLoadOpenedModel"));
    m_loadOpenedAction->setStatusTip(tr("Load the model shown under Model details to chat with"));
    connect(m_loadOpenedAction, &QAction::triggered, this, &MainWindow::loadOpenedModel);

    m_manageModelsAction = new QAction(tr("&Models…"), this);
    m_manageModelsAction->setObjectName(QStringLiteral("actionManageModels"));
    m_manageModelsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    m_manageModelsAction->setStatusTip(tr("The models in the models folder: import, load with options, delete"));
    connect(m_manageModelsAction, &QAction::triggered, this, [this] { m_tabs->setCurrentWidget(m_manager); });

    m_unloadAction = new QAction(tr("&Unload model"), this);
    m_unloadAction->setObjectName(QStringLiteral("actionUnloadModel"));
    connect(m_unloadAction, &QAction::triggered, this, [this] { m_engine->unload(); });

    m_exportAction = new QAction(tr("&Export conversation…"), this);
    m_exportAction->setObjectName(QStringLiteral("actionExportConversation"));
    m_exportAction->setStatusTip(tr("Save the conversation on screen as Markdown or JSON"));
    connect(m_exportAction, &QAction::triggered, this, [this] { exportConversation(m_session->conversationId()); });

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
    file->addAction(m_exportAction);
    file->addSeparator();
    QAction* settingsAction = file->addAction(QIcon::fromTheme(QStringLiteral("preferences-system")), tr("&Settings…"),
                                              this, &MainWindow::showSettingsDialog);
    settingsAction->setObjectName(QStringLiteral("actionSettings"));
    settingsAction->setMenuRole(QAction::PreferencesRole);
    settingsAction->setShortcut(QKeySequence::Preferences);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu* model = menuBar()->addMenu(tr("&Model"));
    model->setObjectName(QStringLiteral("menuModel"));
    model->addAction(m_manageModelsAction);
    model->addSeparator();
    model->addAction(m_loadModelAction);
    model->addAction(m_loadOpenedAction);
    model->addAction(m_unloadAction);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("menuHelp"));
    help->addAction(m_aboutAction);
}

void MainWindow::createStatusBar()
{
    // The opened model is a widget, not a temporary message: menus' status tips would wipe a message.
    // What File ▸ Open model… last inspected (the Model details tab); empty until then, so it never
    // contradicts the chat's own status on the right ("Chatting with …").
    m_modelStatus = new QLabel(this);
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

    m_engineStatus = new QLabel(this);
    m_engineStatus->setObjectName(QStringLiteral("engineStatus"));
    m_engineStatus->setTextFormat(Qt::PlainText);
    m_deviceStatus = new QLabel(this);
    m_deviceStatus->setObjectName(QStringLiteral("deviceStatus"));
    m_deviceStatus->setTextFormat(Qt::PlainText);
    m_kvStatus = new QLabel(this);
    m_kvStatus->setObjectName(QStringLiteral("kvCacheStatus"));
    m_kvStatus->setTextFormat(Qt::PlainText);
    m_loadProgress = new QProgressBar(this);
    m_loadProgress->setObjectName(QStringLiteral("loadProgress"));
    m_loadProgress->setRange(0, 100);
    m_loadProgress->setMaximumWidth(140);
    m_cancelLoadButton = new QToolButton(this);
    m_cancelLoadButton->setObjectName(QStringLiteral("cancelLoadButton"));
    m_cancelLoadButton->setText(tr("Cancel"));
    m_cancelLoadButton->setToolTip(tr("Stop loading the model"));
    connect(m_cancelLoadButton, &QToolButton::clicked, m_engine.get(), &EngineController::cancelLoad);
    statusBar()->addPermanentWidget(m_engineStatus);
    statusBar()->addPermanentWidget(m_loadProgress);
    statusBar()->addPermanentWidget(m_cancelLoadButton);
    statusBar()->addPermanentWidget(m_deviceStatus);
    statusBar()->addPermanentWidget(m_kvStatus);
    updateEngineActions();
}

void MainWindow::createChat()
{
    m_store = std::make_unique<ConversationStore>();
    const QString path = m_settings.value(kDatabaseKey, defaultDatabasePath()).toString();
    QDir().mkpath(QFileInfo(path).absolutePath());
    if (!m_store->open(path)) {
        // Chatting still works; nothing is kept. The reason is logged and shown once.
        const QString error = m_store->lastError();
        m_store = std::make_unique<ConversationStore>();
        m_store->open(QStringLiteral(":memory:"));
        QMetaObject::invokeMethod(this, [this, error] {
            QMessageBox::warning(this, tr("Conversations Not Saved"),
                                 tr("Conversations cannot be saved in this session:\n%1").arg(error));
        }, Qt::QueuedConnection);
    }
    m_engine = std::make_unique<EngineController>();
    m_conversations = std::make_unique<ConversationListModel>(*m_store);
    m_session = std::make_unique<ChatSession>(*m_store, *m_engine);
    applyChatSettings();

    m_sidebar = new ConversationSidebar(*m_conversations, this);
    m_chatPanel = new ChatPanel(*m_session, *m_engine, this);

    connect(m_sidebar, &ConversationSidebar::newConversationRequested, this, [this] {
        m_session->newConversation();
        m_tabs->setCurrentWidget(m_chatPanel);
        m_chatPanel->input()->setFocus();
    });
    connect(m_sidebar, &ConversationSidebar::conversationActivated, this, [this](qint64 id) {
        m_session->openConversation(id);
        m_tabs->setCurrentWidget(m_chatPanel);
    });
    connect(m_sidebar, &ConversationSidebar::conversationDeleted, this, [this](qint64 id) {
        if (m_session->conversationId() == id)
            m_session->newConversation();
    });
    connect(m_sidebar, &ConversationSidebar::exportRequested, this, &MainWindow::exportConversation);
    connect(m_session.get(), &ChatSession::conversationTouched, m_conversations.get(),
            &ConversationListModel::conversationTouched);
    connect(m_session.get(), &ChatSession::conversationTouched, this,
            [this] { m_sidebar->setCurrentConversation(m_session->conversationId()); });
    connect(m_session.get(), &ChatSession::conversationChanged, this, [this](qint64 id) {
        m_sidebar->setCurrentConversation(id);
        updateEngineActions();
    });
    connect(m_chatPanel, &ChatPanel::loadModelRequested, this, &MainWindow::chooseModelToLoad);

    connect(m_engine.get(), &EngineController::stateChanged, this, &MainWindow::updateEngineActions);
    connect(m_engine.get(), &EngineController::loadProgress, this,
            [this](double fraction) { m_loadProgress->setValue(int(fraction * 100.0)); });
    connect(m_engine.get(), &EngineController::loaded, this, &MainWindow::onModelLoaded);
    connect(m_engine.get(), &EngineController::loadFailed, this, &MainWindow::onLoadFailed);
    connect(m_engine.get(), &EngineController::usageUpdated, this, &MainWindow::onUsageUpdated);
}

void MainWindow::loadModel(const QString& path)
{
    LoadRequest request;
    request.path = QFileInfo(path).absoluteFilePath();
    request.contextLength = m_settings.value(QStringLiteral("chat/contextLength"), 0).toLongLong();
    m_engineStatus->setText(tr("Loading %1…").arg(QFileInfo(path).fileName()));
    m_engineStatus->setToolTip(request.path);
    m_loadProgress->setValue(0);
    m_engine->load(request);
    m_tabs->setCurrentWidget(m_chatPanel);
}

void MainWindow::chooseModelToLoad()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Load Model"), lastModelDirectory(),
        tr("Models (*.gguf config.json *.safetensors *.safetensors.index.json)") + QStringLiteral(";;") +
            tr("All files (*)"));
    if (path.isEmpty())
        return;
    rememberModelDirectory(QFileInfo(path).absolutePath());
    validateModel(path, false);
}

void MainWindow::loadOpenedModel()
{
    if (m_view->modelInfo())
        loadModel(fromFilesystemPath(m_view->modelInfo()->path));
}

void MainWindow::onModelLoaded(const LoadedModel& model)
{
    QStringList parts{tr("Chatting with %1").arg(model.name)};
    if (!model.architecture.isEmpty())
        parts << model.architecture;
    m_engineStatus->setText(parts.join(QStringLiteral(" · ")));
    m_engineStatus->setToolTip(model.path);
    const QString device = model.device == QLatin1String("cpu") ? tr("CPU") : model.device;
    m_deviceStatus->setText(tr("%1 · KV cache %2 · context %3")
                                .arg(model.deviceName.isEmpty() ? device : device + QStringLiteral(" (") + model.deviceName + QLatin1Char(')'),
                                     model.kvCacheType, QLocale().toString(model.contextLength)));
    m_chatPanel->input()->setFocus();
}

void MainWindow::onLoadFailed(const QString& path, const QString& message, bool cancelled)
{
    const QString name = QFileInfo(path).fileName();
    m_engineStatus->setText(cancelled ? tr("Loading %1 was cancelled").arg(name) : tr("Could not load %1").arg(name));
    m_engineStatus->setToolTip(message);
    if (!cancelled)
        statusBar()->showMessage(message, 15000);
}

void MainWindow::onUsageUpdated(const EngineUsage& usage)
{
    if (usage.kvBlocksTotal <= 0)
        return;
    const double percent = 100.0 * usage.kvBlocksUsed / usage.kvBlocksTotal;
    m_kvStatus->setText(tr("KV cache %1% used").arg(QLocale().toString(percent, 'f', 0)));
    m_kvStatus->setToolTip(tr("%1 of %2 blocks of %3 tokens; %4 tokens/s")
                               .arg(usage.kvBlocksUsed)
                               .arg(usage.kvBlocksTotal)
                               .arg(usage.kvBlockSize)
                               .arg(QLocale().toString(usage.decodeTokensPerSecond, 'f', 1)));
}

void MainWindow::updateEngineActions()
{
    const EngineController::State state = m_engine->state();
    const bool loading = state == EngineController::State::loading;
    m_loadProgress->setVisible(loading);
    m_cancelLoadButton->setVisible(loading);
    m_deviceStatus->setVisible(state == EngineController::State::ready);
    m_kvStatus->setVisible(state == EngineController::State::ready);
    // A failed or cancelled load says so right after this (loadFailed follows stateChanged).
    if (state == EngineController::State::empty) {
        m_engineStatus->setText(tr("No model loaded"));
        m_engineStatus->setToolTip(QString());
    }
    m_unloadAction->setEnabled(state != EngineController::State::empty);
    m_loadOpenedAction->setEnabled(m_view && m_view->modelInfo() != nullptr);
    m_exportAction->setEnabled(m_session->conversationId() > 0);
}

void MainWindow::exportConversation(qint64 id)
{
    const auto conversation = m_store->conversation(id);
    if (!conversation)
        return;
    const QString markdownFilter = tr("Markdown (*.md)");
    const QString jsonFilter = tr("JSON (*.json)");
    QString safeName = conversation->title;
    safeName.replace(QRegularExpression(QStringLiteral("[/\\\\:*?\"<>|]")), QStringLiteral("_"));
    QString filter = markdownFilter;
    const QString start = m_settings.value(kExportDirectoryKey, QDir::homePath()).toString() + QLatin1Char('/') + safeName + QStringLiteral(".md");
    QString path = QFileDialog::getSaveFileName(this, tr("Export Conversation"), start,
                                                markdownFilter + QStringLiteral(";;") + jsonFilter, &filter);
    if (path.isEmpty())
        return;
    m_settings.setValue(kExportDirectoryKey, QFileInfo(path).absolutePath());
    const bool json = filter == jsonFilter || path.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive);
    const QByteArray bytes = json ? m_store->exportJson(id) : m_store->exportMarkdown(id).toUtf8();
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size()) {
        QMessageBox::warning(this, tr("Export Failed"), tr("Could not write %1: %2").arg(path, file.errorString()));
        return;
    }
    statusBar()->showMessage(tr("Exported to %1").arg(path), 5000);
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
    m_tabs->setCurrentWidget(m_view);
    updateEngineActions();

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
    m_tabs->setCurrentWidget(m_view);
    updateEngineActions();
    m_modelStatus->setText(tr("Could not read %1").arg(QFileInfo(path).fileName()));
    m_modelStatus->setToolTip(path);
}

void MainWindow::onHardwareProbed(const hearth::HardwareInfo& hardware)
{
    spdlog::info("{}", hearth::describe(hardware));
    m_hardware = hardware;
    if (m_aboutDialog)
        m_aboutDialog->setHardware(hardware);
    m_manager->setHardware(hardware, m_simulatedHardware);
    const auto waiting = std::exchange(m_waitingForHardware, {});
    for (const auto& [path, import] : waiting)
        validateModel(path, import);
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

void MainWindow::showSettingsDialog()
{
    SettingsDialog dialog(m_settings, this);
    if (dialog.exec() == QDialog::Accepted)
        applyChatSettings();
}

void MainWindow::applyChatSettings()
{
    const AppSettings settings = AppSettings::read(m_settings);
    m_session->setSystemPrompt(settings.systemPrompt);
    m_session->setSampling(settings.sampling());
    m_session->setMaxTokens(settings.maxTokens);
}

LoadOptionsDialog* MainWindow::loadOptionsDialog() const
{
    return m_loadDialog.data();
}

QString MainWindow::modelsFolder() const
{
    // The same key and default as the settings dialog's: where tests/fetch_models.sh puts the demo model.
    const QString cache = qEnvironmentVariable("HEARTH_CACHE_DIR");
    const QString fallback = cache.isEmpty()
                                 ? QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + QStringLiteral("/hearth/models")
                                 : cache + QStringLiteral("/models");
    return m_settings.value(kModelsFolderKey, QDir::cleanPath(fallback)).toString();
}

void MainWindow::createModelManager()
{
    m_manager = new ModelManager(*m_validator, modelsFolder(), this);
    connect(m_manager, &ModelManager::loadRequested, this, &MainWindow::openLoadOptions);
    connect(m_manager, &ModelManager::importRequested, this, [this](const QString& path) { validateModel(path, true); });
    connect(m_manager, &ModelManager::folderChanged, this,
            [this](const QString& folder) { m_settings.setValue(kModelsFolderKey, folder); });
}

void MainWindow::validateModel(const QString& path, bool import)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    m_validating = true;
    if (!m_hardware) {
        m_waitingForHardware.append({absolute, import});
        return;
    }
    const quint64 requestId = ++m_latestValidation;
    m_importValidated = import;
    setInspecting(absolute);
    spdlog::info("validating {}", absolute.toStdString());
    QMetaObject::invokeMethod(
        m_validator.get(),
        [validator = m_validator.get(), requestId, absolute, hardware = *m_hardware, simulated = m_simulatedHardware] {
            validator->validate(requestId, absolute, hardware, simulated);
        },
        Qt::QueuedConnection);
}

void MainWindow::onValidated(quint64 requestId, const ModelCheck& check)
{
    if (requestId != m_latestValidation)
        return;
    m_validating = false;
    setInspecting(QString());
    if (!check.readable()) {
        // Nothing is imported: the reader's error is what the user needs.
        spdlog::warn("{}", check.error.toStdString());
        m_view->showError(check.path, check.error);
        m_tabs->setCurrentWidget(m_view);
        m_modelStatus->setText(tr("Could not read %1").arg(QFileInfo(check.path).fileName()));
        m_modelStatus->setToolTip(check.error);
        updateEngineActions();
        emit modelValidated(check);
        return;
    }
    m_view->showModel(check.info);
    const QString modelPath = fromFilesystemPath(check.info->path);
    m_modelStatus->setText(QFileInfo(modelPath).fileName());
    m_modelStatus->setToolTip(modelPath);
    if (m_importValidated) {
        QString error;
        if (m_manager->importModel(modelPath, &error).isEmpty())
            statusBar()->showMessage(error, 15000);
    }
    updateEngineActions();
    showLoadOptions(check);
    emit modelValidated(check);
}

void MainWindow::openLoadOptions(const QString& path)
{
    if (path.isEmpty())
        return;
    // The manager's check is current for this hardware; without one (still checking), validate now.
    const ModelListModel& models = m_manager->model();
    const ModelCheck* check = models.check(models.rowOf(path));
    if (check && check->readable())
        showLoadOptions(*check);
    else
        validateModel(path, false);
}

void MainWindow::showLoadOptions(const ModelCheck& check)
{
    if (!m_hardware || !check.readable())
        return;
    if (m_loadDialog)
        m_loadDialog->close();
    m_loadDialog = new LoadOptionsDialog(check.info, *m_hardware, m_simulatedHardware, *m_engine, this);
    m_loadDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_loadDialog, &LoadOptionsDialog::loadRequested, this, &MainWindow::loadPlan);
    // Window-modal without a nested event loop: nothing waits for the user.
    m_loadDialog->open();
}

void MainWindow::loadPlan(std::shared_ptr<const hearth::LoadPlan> plan)
{
    LoadRequest request;
    request.path = fromFilesystemPath(plan->model.path);
    request.plan = std::move(plan);
    m_engineStatus->setText(tr("Loading %1…").arg(QFileInfo(request.path).fileName()));
    m_engineStatus->setToolTip(request.path);
    m_loadProgress->setValue(0);
    m_engine->load(request);
}

// Models arrive as file URLs: a .gguf file, a Hugging Face folder, or a file inside one.
static QString droppedModelPath(const QMimeData* mime)
{
    if (!mime || !mime->hasUrls())
        return QString();
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile())
            return url.toLocalFile();
    return QString();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (!droppedModelPath(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QString path = droppedModelPath(event->mimeData());
    if (path.isEmpty())
        return;
    event->acceptProposedAction();
    validateModel(path, true);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    m_settings.setValue(kGeometryKey, saveGeometry());
    QMainWindow::closeEvent(event);
}
