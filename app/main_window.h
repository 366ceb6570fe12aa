#pragma once
// The main window: File ▸ Open model, Help ▸ About, and the ModelInfoView of the model last opened.
//
// Threads: the window owns one worker QThread. ModelInspector and HardwareProber live on it and are reached
// only through queued calls; their answers come back as queued signals. The GUI thread never waits for them
// (except in the destructor, which stops the thread).

#include <QMainWindow>
#include <QPointer>
#include <QThread>
#include <memory>
#include <optional>

#include "hardware_prober.h"
#include "model_inspector.h"

class AboutDialog;
class ModelInfoView;
class QAction;
class QLabel;
class QProgressBar;
class QSettings;

// The engine calls the window makes on its worker thread. The defaults are the real engine; tests replace
// them to simulate hardware or to hold an inspection open.
struct EngineFunctions {
    HardwareProber::ProbeFunction probeHardware = hearth::probe;
    ModelInspector::InspectFunction inspectModel = hearth::inspect;
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
    // The probed hardware; empty until probing has finished.
    const std::optional<hearth::HardwareInfo>& hardware() const { return m_hardware; }

signals:
    // Emitted once, when the start-up probe has finished.
    void hardwareProbed();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createStatusBar();
    void chooseModelFile();
    void chooseModelFolder();
    void showAboutDialog();
    void rememberModelDirectory(const QString& path);
    QString lastModelDirectory() const;

    void onInspected(quint64 requestId, const std::shared_ptr<const hearth::ModelInfo>& info);
    void onInspectFailed(quint64 requestId, const QString& path, const QString& message);
    void onHardwareProbed(const hearth::HardwareInfo& hardware);
    void setInspecting(const QString& path);

    QSettings& m_settings;

    QThread m_workerThread;
    // Owned here but living on m_workerThread; deleted after the thread has stopped.
    std::unique_ptr<ModelInspector> m_inspector;
    std::unique_ptr<HardwareProber> m_prober;

    ModelInfoView* m_view = nullptr;
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
};
