#include "model_manager.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>
#include <spdlog/spdlog.h>

#include "model_list_model.h"
#include "model_validation.h"

ModelManager::ModelManager(ModelValidator& validator, const QString& folder, QWidget* parent)
    : QWidget(parent)
    , m_validator(validator)
    , m_model(new ModelListModel(this))
    , m_folder(folder)
{
    setObjectName(QStringLiteral("modelManager"));
    auto* layout = new QVBoxLayout(this);

    auto* folderRow = new QHBoxLayout;
    m_folderLabel = new QLabel(this);
    m_folderLabel->setObjectName(QStringLiteral("modelsFolder"));
    m_folderLabel->setTextFormat(Qt::PlainText);
    m_folderLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    folderRow->addWidget(m_folderLabel, 1);
    auto* changeFolder = new QPushButton(tr("Change folder…"), this);
    changeFolder->setObjectName(QStringLiteral("changeModelsFolder"));
    connect(changeFolder, &QPushButton::clicked, this, &ModelManager::chooseFolder);
    folderRow->addWidget(changeFolder);
    auto* refreshButton = new QPushButton(tr("Refresh"), this);
    refreshButton->setObjectName(QStringLiteral("refreshModels"));
    connect(refreshButton, &QPushButton::clicked, this, &ModelManager::refresh);
    folderRow->addWidget(refreshButton);
    layout->addLayout(folderRow);

    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ModelListModel::SortRole);
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("modelTable"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ModelListModel::NameColumn, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(ModelListModel::NameColumn, QHeaderView::Stretch);
    m_view->setWordWrap(false);
    layout->addWidget(m_view, 1);
    connect(m_view, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        emit loadRequested(index.data(ModelListModel::PathRole).toString());
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ModelManager::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ModelManager::updateButtons);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &ModelManager::updateButtons);

    m_emptyLabel = new QLabel(this);
    m_emptyLabel->setObjectName(QStringLiteral("modelsEmpty"));
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setText(tr("No models here yet. Import a .gguf file or a Hugging Face model folder, or drop one "
                             "anywhere on this window."));
    layout->addWidget(m_emptyLabel);

    auto* buttons = new QHBoxLayout;
    auto* importFile = new QPushButton(tr("Import file…"), this);
    importFile->setObjectName(QStringLiteral("importModelFile"));
    connect(importFile, &QPushButton::clicked, this, &ModelManager::chooseImportFile);
    auto* importFolder = new QPushButton(tr("Import folder…"), this);
    importFolder->setObjectName(QStringLiteral("importModelFolder"));
    connect(importFolder, &QPushButton::clicked, this, &ModelManager::chooseImportFolder);
    m_deleteButton = new QPushButton(tr("Delete…"), this);
    m_deleteButton->setObjectName(QStringLiteral("deleteModel"));
    connect(m_deleteButton, &QPushButton::clicked, this, [this] { deleteModel(selectedPath()); });
    m_loadButton = new QPushButton(tr("Load…"), this);
    m_loadButton->setObjectName(QStringLiteral("loadSelectedModel"));
    m_loadButton->setDefault(true);
    connect(m_loadButton, &QPushButton::clicked, this, [this] { emit loadRequested(selectedPath()); });
    buttons->addWidget(importFile);
    buttons->addWidget(importFolder);
    buttons->addStretch(1);
    buttons->addWidget(m_deleteButton);
    buttons->addWidget(m_loadButton);
    layout->addLayout(buttons);

    connect(&m_validator, &ModelValidator::listed, this, [this](quint64 scanId, const QStringList& paths) {
        if (scanId == m_scanId)
            m_model->setPaths(paths);
    });
    connect(&m_validator, &ModelValidator::checked, this, [this](quint64 scanId, const ModelCheck& check) {
        if (scanId == m_scanId)
            m_model->setCheck(check);
    });
    connect(&m_validator, &ModelValidator::scanFinished, this, [this](quint64 scanId) {
        if (scanId != m_scanId)
            return;
        m_scanning = false;
        emit scanFinished();
    });
    setFolder(folder);
}

ModelManager::~ModelManager() = default;

void ModelManager::setHardware(const hearth::HardwareInfo& hardware, bool simulated)
{
    m_hardware = hardware;
    m_simulated = simulated;
    refresh();
}

void ModelManager::setFolder(const QString& folder)
{
    const bool changed = folder != m_folder;
    m_folder = folder;
    m_folderLabel->setText(tr("Models folder: %1").arg(QDir::toNativeSeparators(folder)));
    if (changed) {
        m_model->setPaths({});
        emit folderChanged(folder);
    }
    refresh();
}

void ModelManager::refresh()
{
    if (!m_hardware)
        return;
    QDir().mkpath(m_folder);
    const quint64 scanId = ++m_scanId;
    m_scanning = true;
    QMetaObject::invokeMethod(
        &m_validator,
        [validator = &m_validator, scanId, folder = m_folder, hardware = *m_hardware, simulated = m_simulated] {
            validator->scan(scanId, folder, hardware, simulated);
        },
        Qt::QueuedConnection);
}

QString ModelManager::importModel(const QString& path, QString* error)
{
    const QFileInfo source(path);
    const QString folder = QFileInfo(m_folder).canonicalFilePath();
    if (!folder.isEmpty() && source.canonicalPath() == folder)
        return source.absoluteFilePath();  // already in the folder
    QDir().mkpath(m_folder);
    // A name not taken yet: "model.gguf", "model-2.gguf", …
    const QString base = source.isDir() ? source.fileName() : source.completeBaseName();
    const QString suffix = source.isDir() ? QString() : QLatin1Char('.') + source.suffix();
    QString target = m_folder + QLatin1Char('/') + base + suffix;
    for (int n = 2; QFileInfo(target).exists() || QFileInfo(target).isSymLink(); ++n) {
        if (QFileInfo(target).canonicalFilePath() == source.canonicalFilePath())
            return QFileInfo(target).absoluteFilePath();  // imported before
        target = m_folder + QStringLiteral("/%1-%2%3").arg(base).arg(n).arg(suffix);
    }
    if (!QFile::link(source.absoluteFilePath(), target)) {
        if (error)
            *error = tr("Could not link %1 into the models folder %2.").arg(source.absoluteFilePath(), m_folder);
        return QString();
    }
    spdlog::info("imported {} as {}", source.absoluteFilePath().toStdString(), target.toStdString());
    refresh();
    return QFileInfo(target).absoluteFilePath();
}

void ModelManager::deleteModel(const QString& path)
{
    if (path.isEmpty())
        return;
    const QFileInfo info(path);
    const bool link = info.isSymLink();
    auto* box = new QMessageBox(QMessageBox::Question, tr("Delete Model"),
                                link ? tr("Remove %1 from the models folder? The model itself stays where it is:\n%2")
                                           .arg(info.fileName(), info.symLinkTarget())
                                     : tr("Delete %1 from disk? This cannot be undone.").arg(info.fileName()),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("confirmDeleteModel"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, path](int) {
        if (box->clickedButton() == box->button(QMessageBox::Yes))
            removeFromDisk(path);
    });
    box->open();
}

void ModelManager::removeFromDisk(const QString& path)
{
    const QFileInfo info(path);
    bool ok = false;
    if (info.isSymLink() || info.isFile())
        ok = QFile::remove(path);
    else if (info.isDir())
        ok = QDir(path).removeRecursively();
    if (!ok) {
        QMessageBox::warning(this, tr("Delete Model"), tr("Could not delete %1.").arg(path));
        return;
    }
    spdlog::info("deleted {}", path.toStdString());
    m_model->removePath(path);
}

QString ModelManager::selectedPath() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(ModelListModel::PathRole).toString();
}

void ModelManager::updateButtons()
{
    const bool selected = !selectedPath().isEmpty();
    m_loadButton->setEnabled(selected);
    m_deleteButton->setEnabled(selected);
    m_emptyLabel->setVisible(m_model->rowCount() == 0);
}

void ModelManager::chooseImportFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import Model"), QString(),
                                                      tr("GGUF files (*.gguf)") + QStringLiteral(";;") + tr("All files (*)"));
    if (!path.isEmpty())
        emit importRequested(path);
}

void ModelManager::chooseImportFolder()
{
    const QString path = QFileDialog::getExistingDirectory(this, tr("Import Hugging Face Model Folder"));
    if (!path.isEmpty())
        emit importRequested(path);
}

void ModelManager::chooseFolder()
{
    const QString path = QFileDialog::getExistingDirectory(this, tr("Models Folder"), m_folder);
    if (!path.isEmpty())
        setFolder(path);
}
