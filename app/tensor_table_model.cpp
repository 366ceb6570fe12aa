#include "tensor_table_model.h"

#include "display_format.h"

TensorTableModel::TensorTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void TensorTableModel::setModelInfo(std::shared_ptr<const hearth::ModelInfo> info)
{
    beginResetModel();
    m_info = std::move(info);
    endResetModel();
}

int TensorTableModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() || !m_info)
        return 0;
    return static_cast<int>(m_info->tensors.size());
}

int TensorTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TensorTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_info)
        return {};
    const hearth::TensorInfo& tensor = m_info->tensors[static_cast<std::size_t>(index.row())];

    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn: return QString::fromStdString(tensor.name);
        case TypeColumn: return QString::fromStdString(std::string(hearth::name(tensor.type)));
        case ShapeColumn: return DisplayFormat::shape(tensor.shape);
        case BytesColumn: return DisplayFormat::byteSize(tensor.n_bytes);
        case OffsetColumn: return DisplayFormat::integer(static_cast<std::int64_t>(tensor.offset));
        }
        break;
    case SortRole:
        switch (index.column()) {
        case NameColumn: return QString::fromStdString(tensor.name);
        case TypeColumn: return QString::fromStdString(std::string(hearth::name(tensor.type)));
        case ShapeColumn: return static_cast<qulonglong>(tensor.n_elements);
        case BytesColumn: return static_cast<qulonglong>(tensor.n_bytes);
        case OffsetColumn: return static_cast<qulonglong>(tensor.offset);
        }
        break;
    case FilterRole:
        return QStringLiteral("%1 %2").arg(QString::fromStdString(tensor.name),
                                           QString::fromStdString(std::string(hearth::name(tensor.type))));
    case Qt::ToolTipRole:
        switch (index.column()) {
        case ShapeColumn:
            return tr("%1 elements").arg(DisplayFormat::integer(static_cast<std::int64_t>(tensor.n_elements)));
        case BytesColumn:
            return tr("%1 bytes").arg(DisplayFormat::integer(static_cast<std::int64_t>(tensor.n_bytes)));
        case OffsetColumn:
            // Sharded Hugging Face models: the offset only means something together with its file.
            return tr("Byte offset in %1").arg(QString::fromStdString(tensor.file));
        default:
            return QString::fromStdString(tensor.name);
        }
    case Qt::TextAlignmentRole:
        if (index.column() == BytesColumn || index.column() == OffsetColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default:
        break;
    }
    return {};
}

QVariant TensorTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn: return tr("Name");
    case TypeColumn: return tr("Type");
    case ShapeColumn: return tr("Shape");
    case BytesColumn: return tr("Bytes");
    case OffsetColumn: return tr("Offset");
    }
    return {};
}
