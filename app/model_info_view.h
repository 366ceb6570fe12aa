#pragma once
// The central widget: what a model file says about itself (ModelInfo) and its tensors, an inspect error, or
// the empty state before anything was opened.

#include <QWidget>
#include <memory>

#include "hearth/model_info.h"

class QFormLayout;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;
class TensorTableModel;

class ModelInfoView final : public QWidget {
    Q_OBJECT

public:
    enum class Page { empty, model, error };

    explicit ModelInfoView(QWidget* parent = nullptr);

    void showEmptyState();
    void showModel(std::shared_ptr<const hearth::ModelInfo> info);
    // `message` is the engine's error as it is: it names the file, key or tensor and what was expected.
    void showError(const QString& path, const QString& message);

    Page page() const;
    // The model shown on the model page; nullptr on the other pages.
    const std::shared_ptr<const hearth::ModelInfo>& modelInfo() const { return m_info; }

signals:
    void openFileRequested();
    void openFolderRequested();

private:
    QWidget* createEmptyPage();
    QWidget* createModelPage();
    QWidget* createErrorPage();
    void fillProperties(const hearth::ModelInfo& info);
    // Adds a row whose value label is named "<key>Value", so tests and accessibility tools can find it.
    void addProperty(const QString& key, const QString& label, const QString& value);
    void updateTensorCount();

    QStackedWidget* m_pages = nullptr;
    QWidget* m_emptyPage = nullptr;
    QWidget* m_modelPage = nullptr;
    QWidget* m_errorPage = nullptr;

    QLabel* m_modelTitle = nullptr;
    QFormLayout* m_properties = nullptr;
    QLineEdit* m_tensorFilter = nullptr;
    QLabel* m_tensorCount = nullptr;
    QTableView* m_tensorView = nullptr;
    TensorTableModel* m_tensors = nullptr;
    QSortFilterProxyModel* m_tensorProxy = nullptr;

    QLabel* m_errorTitle = nullptr;
    QLabel* m_errorText = nullptr;

    std::shared_ptr<const hearth::ModelInfo> m_info;
};
