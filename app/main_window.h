#pragma once
// The main window: the conversations on the left; on the right the chat (ChatPanel) and, in a second tab,
// the ModelInfoView of the model last opened. File ▸ Open model inspects a model; Model ▸ Load loads one
// for chatting; the status bar shows the inspected model, the loaded one, its device and KV cache use.
//
// Threads: the window owns one worker QThread for inspection and probing. ModelInspector and HardwareProber
// live on it and are reached only through queued calls; their answers come back as queued signals. The
// engine has its own worker thread, owned by the EngineController. The GUI thread never waits for either
// (except in the destructor, which stops the threads).
//
// Models: a Models tab (ModelManager) lists the models folder (setting "models/folder"); a model dropped
// anywhere on the window, or imported, is validated on the worker thread (inspect + plan), linked into the
// folder, and shown in the load-options dialog, which loads exactly the plan it shows.
//
// Conversations are kept in the SQLite file named by the setting "chat/database" (default: conversations.sqlite
// in the app's data folder).

#include <QMainWindow>
#include <QPointer>
#include <QThread>
#include <memory>
#include <optional>

#include "hardware_prober.h"
#include "model_inspector.h"
#include "model_validation.h"

class AboutDialog;
class ChatPanel;
class ChatSession;
class ConversationListModel;
class ConversationSidebar;
class ConversationStore;
class EngineController;
class LoadOptionsDialog;
class ModelManager;
class ModelInfoView;
class QTabWidget;
class QToolButton;
struct EngineUsage;
struct LoadedModel;
class QAction;
class QLabel;
class QProgressBar;
class QSettings;

// The engine calls the window makes on its worker thread. The defaults are the real engine; tests replace
// them to simulate hardware or to hold an inspection open.
struct EngineFunctions {
    HardwareProber::ProbeFunction probeHardware = hearth::probe;
    ModelInspector::InspectFunction inspectModel = hearth::inspect;
    // probeHardware describes hardware that is not there (--simulate, tests): plans keep its GPU.
    bool simulatedHardware = false;
};

class MainWindow final : public QMainWindow {
    Q_OBJECT

public:
    // `settings` keeps the window geometry and the last folder a model was opened from; it must outlive
    // the window. Probing the hardware starts at once, on the worker thread.
    explicit MainWindow(QSettings& settings, EngineFunctions engine = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Inspects the model at `path` (a .gguf file, a Hugging Face folder or a file in one) on the worker
    // thread and shows it. A later call supersedes an earlier one that has not finished.
    void openModel(const QString& path);

    bool isInspecting() const { return !m_inspectingPath.isEmpty(); }

    // Loads the model at `path` for chatting, on the engine's worker thread, with progress in the status bar.
    void loadModel(const QString& path);
    // Loads exactly `plan` (the load-options dialog's), on the engine's worker thread.
    void loadPlan(std::shared_ptr<const hearth::LoadPlan> plan);

    // Validates the model at `path` on the worker thread (inspect + plan for this machine; after the hardware
    // probe). A readable model is shown under Model details and in the load-options dialog, and with
    // `import` linked into the models folder first; a bad file shows the reader's error.
    void validateModel(const QString& path, bool import);
    bool isValidating() const { return m_validating; }

    ModelManager& modelManager() { return *m_manager; }
    ModelInfoView& modelInfoView() { return *m_view; }
    // The load-options dialog on screen, or null.
    LoadOptionsDialog* loadOptionsDialog() const;
    // The models folder: the setting "models/folder", by default "models" in the app's data folder.
    QString modelsFolder() const;

    EngineController& engine() { return *m_engine; }
    ChatSession& chatSession() { return *m_session; }
    ConversationStore& conversationStore() { return *m_store; }
    // The probed hardware; empty until probing has finished.
    const std::optional<hearth::HardwareInfo>& hardware() const { return m_hardware; }

signals:
    // Emitted once, when the start-up probe has finished.
    void hardwareProbed();
    // A validation has been answered (the dialog or the error is on screen).
    void modelValidated(const ModelCheck& check);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createStatusBar();
    void chooseModelFile();
    void chooseModelFolder();
    void showAboutDialog();
    void showSettingsDialog();
    void applyChatSettings();  // the settings' sampling defaults and system prompt, for the next answers
    void rememberModelDirectory(const QString& path);
    QString lastModelDirectory() const;

    void onInspected(quint64 requestId, const std::shared_ptr<const hearth::ModelInfo>& info);
    void onInspectFailed(quint64 requestId, const QString& path, const QString& message);
    void onHardwareProbed(const hearth::HardwareInfo& hardware);
    void setInspecting(const QString& path);

    void createChat();
    void chooseModelToLoad();
    void loadOpenedModel();
    void exportConversation(qint64 id);
    void onModelLoaded(const LoadedModel& model);
    void onLoadFailed(const QString& path, const QString& message, bool cancelled);
    void onUsageUpdated(const EngineUsage& usage);
    void updateEngineActions();
    void createModelManager();
    void onValidated(quint64 requestId, const ModelCheck& check);
    void showLoadOptions(const ModelCheck& check);
    void openLoadOptions(const QString& path);

    QSettings& m_settings;

    // Declared before the widgets' owners so they outlive everything that refers to them.
    std::unique_ptr<ConversationStore> m_store;
    std::unique_ptr<EngineController> m_engine;
    std::unique_ptr<ConversationListModel> m_conversations;
    std::unique_ptr<ChatSession> m_session;

    QThread m_workerThread;
    // Owned here but living on m_workerThread; deleted after the thread has stopped.
    std::unique_ptr<ModelInspector> m_inspector;
    std::unique_ptr<HardwareProber> m_prober;
    std::unique_ptr<ModelValidator> m_validator;
    bool m_simulatedHardware = false;

    ModelInfoView* m_view = nullptr;
    QTabWidget* m_tabs = nullptr;
    ConversationSidebar* m_sidebar = nullptr;
    ChatPanel* m_chatPanel = nullptr;
    ModelManager* m_manager = nullptr;
    QPointer<LoadOptionsDialog> m_loadDialog;
    QAction* m_manageModelsAction = nullptr;
    QAction* m_loadModelAction = nullptr;
    QAction* m_loadOpenedAction = nullptr;
    QAction* m_unloadAction = nullptr;
    QAction* m_exportAction = nullptr;
    QLabel* m_engineStatus = nullptr;
    QLabel* m_deviceStatus = nullptr;
    QLabel* m_kvStatus = nullptr;
    QProgressBar* m_loadProgress = nullptr;
    QToolButton* m_cancelLoadButton = nullptr;
    QAction* m_openModelAction = nullptr;
    QAction* m_openFolderAction = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_aboutAction = nullptr;
    QLabel* m_modelStatus = nullptr;
    QLabel* m_busyLabel = nullptr;
    QProgressBar* m_busyIndicator = nullptr;
    QPointer<AboutDialog> m_aboutDialog;

    std::optional<hearth::HardwareInfo> m_hardware;
    quint64 m_latestRequest = 0;  // results of older requests are dropped
    QString m_inspectingPath;     // empty when idle
    quint64 m_latestValidation = 0;
    bool m_validating = false;
    bool m_importValidated = false;
    QList<QPair<QString, bool>> m_waitingForHardware;  // validations asked for before the probe ended
};
