#pragma once
// The model manager: every model in the models folder (GGUF files and Hugging Face folders) with what it
// is and a fit badge for this machine from the planner (ModelListModel), and the actions on them: load
// (through the load-options dialog), import, delete, change folder, refresh.
//
// Inspecting and planning run on the window's worker thread (ModelValidator); the list shows each model as
// soon as its check arrives. Importing a model links it into the folder (a symbolic link, never a copy of
// gigabytes): the main window validates it first and then calls importModel().

#include <QString>
#include <QWidget>
#include <optional>

#include "hearth/hardware.h"

class ModelListModel;
class ModelValidator;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
struct ModelCheck;

class ModelManager final : public QWidget {
    Q_OBJECT

public:
    // `validator` lives on a worker thread and outlives this widget.
    ModelManager(ModelValidator& validator, const QString& folder, QWidget* parent = nullptr);
    ~ModelManager() override;

    ModelListModel& model() { return *m_model; }
    QTableView* view() const { return m_view; }
    QString folder() const { return m_folder; }

    // Scans again with this hardware (the fit badges depend on it); nothing is scanned before the first call.
    void setHardware(const hearth::HardwareInfo& hardware, bool simulated);
    void setFolder(const QString& folder);
    void refresh();

    // Makes `path` part of the models folder: a link to it, unless it is already inside. Returns the path
    // as listed, or an empty string with `error` set.
    QString importModel(const QString& path, QString* error = nullptr);
    // Asks for confirmation (a window-modal box, so nothing waits), then deletes the model (a link: only
    // the link) and removes its row.
    void deleteModel(const QString& path);
    // The path of the selected row, or empty.
    QString selectedPath() const;
    bool isScanning() const { return m_scanning; }

signals:
    void loadRequested(const QString& path);
    void importRequested(const QString& path);  // a file or folder the user chose: validate, then import
    void folderChanged(const QString& folder);
    void scanFinished();

private:
    void chooseImportFile();
    void chooseImportFolder();
    void chooseFolder();
    void updateButtons();
    void removeFromDisk(const QString& path);

    ModelValidator& m_validator;
    ModelListModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTableView* m_view = nullptr;
    QLabel* m_folderLabel = nullptr;
    QLabel* m_emptyLabel = nullptr;
    QPushButton* m_loadButton = nullptr;
    QPushButton* m_deleteButton = nullptr;
    QString m_folder;
    std::optional<hearth::HardwareInfo> m_hardware;
    bool m_simulated = false;
    quint64 m_scanId = 0;
    bool m_scanning = false;
};
