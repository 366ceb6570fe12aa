#include "model_list_model.h"

#include <QBrush>
#include <QColor>
#include <QFileInfo>

#include "display_format.h"

namespace {

// "Q4_K_M", "GPTQ 4-bit", "BF16" (the largest stored type when the weights are not quantized).
QString quantizationOf(const hearth::ModelInfo& info)
{
    const hearth::QuantizationInfo& q = info.quantization;
    if (q.method == "gguf" && !q.scheme.empty())
        return QString::fromStdString(q.scheme);
    if (q.method != "none" && q.method != "gguf") {
        QString text = QString::fromStdString(q.method).toUpper();
        if (q.bits > 0)
            text += QStringLiteral(" %1-bit").arg(q.bits);
        if (!q.scheme.empty())
            text += QStringLiteral(" (%1)").arg(QString::fromStdString(q.scheme));
        return text;
    }
    if (!info.stored_dtypes.empty()) {
        const std::string_view type = hearth::name(info.stored_dtypes.front().type);
        return QString::fromUtf8(type.data(), qsizetype(type.size()));
    }
    return QString();
}

}  // namespace

ModelListModel::ModelListModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void ModelListModel::setPaths(const QStringList& paths)
{
    QList<ModelCheck> rows;
    rows.reserve(paths.size());
    for (const QString& path : paths) {
        const int old = rowOf(path);
        if (old >= 0) {
            rows << m_rows.at(old);
        } else {
            ModelCheck row;
            row.path = path;
            rows << row;
        }
    }
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

void ModelListModel::setCheck(const ModelCheck& check)
{
    const int row = rowOf(check.path);
    if (row < 0)
        return;
    m_rows[row] = check;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ModelListModel::removePath(const QString& path)
{
    const int row = rowOf(path);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
}

int ModelListModel::rowOf(const QString& path) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).path == path)
            return i;
    return -1;
}

const ModelCheck* ModelListModel::check(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

QString ModelListModel::path(int row) const
{
    const ModelCheck* c = check(row);
    return c ? c->path : QString();
}

int ModelListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ModelListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ModelListModel::fitText(ModelFit fit)
{
    switch (fit) {
    case ModelFit::unknown: return tr("Checking…");
    case ModelFit::gpu: return tr("Fits on GPU");
    case ModelFit::cpuOnly: return tr("CPU only");
    case ModelFit::tooLarge: return tr("Does not fit");
    case ModelFit::unusable: return tr("Cannot load");
    }
    return QString();
}

QVariant ModelListModel::display(const ModelCheck& row, int column) const
{
    if (column == NameColumn)
        return QFileInfo(row.path).fileName();
    if (column == FitColumn)
        return fitText(row.fit);
    if (!row.info)
        return QString();
    const hearth::ModelInfo& info = *row.info;
    switch (column) {
    case ArchitectureColumn: return QString::fromStdString(info.architecture);
    case ParametersColumn: return info.n_params > 0 ? DisplayFormat::parameterCount(info.n_params) : QString();
    case QuantizationColumn: return quantizationOf(info);
    case SizeColumn: return DisplayFormat::byteSize(info.file_bytes);
    case ContextColumn: return info.context_length > 0 ? DisplayFormat::integer(info.context_length) : QString();
    }
    return QString();
}

QVariant ModelListModel::sortKey(const ModelCheck& row, int column) const
{
    if (row.info) {
        switch (column) {
        case ParametersColumn: return qulonglong(row.info->n_params);
        case SizeColumn: return qulonglong(row.info->file_bytes);
        case ContextColumn: return qlonglong(row.info->context_length);
        case FitColumn: return int(row.fit);
        }
    }
    return display(row, column);
}

QVariant ModelListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ModelCheck& row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole: return display(row, index.column());
    case Qt::ToolTipRole:
        if (index.column() == FitColumn || !row.error.isEmpty())
            return row.fitReason.isEmpty() ? QVariant() : QVariant(row.fitReason);
        return row.path;
    case Qt::ForegroundRole:
        if (index.column() != FitColumn)
            return {};
        switch (row.fit) {
        case ModelFit::gpu: return QBrush(QColor(0x1b, 0x7f, 0x3b));
        case ModelFit::cpuOnly: return QBrush(QColor(0x9a, 0x6a, 0x00));
        case ModelFit::tooLarge:
        case ModelFit::unusable: return QBrush(QColor(0xb3, 0x26, 0x1e));
        case ModelFit::unknown: return {};
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == ParametersColumn || index.column() == SizeColumn || index.column() == ContextColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case PathRole: return row.path;
    case FitRole: return int(row.fit);
    case SortRole: return sortKey(row, index.column());
    case ErrorRole: return row.error;
    }
    return {};
}

QVariant ModelListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn: return tr("Name");
    case ArchitectureColumn: return tr("Architecture");
    case ParametersColumn: return tr("Parameters");
    case QuantizationColumn: return tr("Quantization");
    case SizeColumn: return tr("Size");
    case ContextColumn: return tr("Context");
    case FitColumn: return tr("On this machine");
    }
    return {};
}
