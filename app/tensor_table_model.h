#pragma once
// The tensors of one model file as a table: name, type, shape, bytes, offset. Read-only; a whole new
// ModelInfo replaces the contents with a model reset.

#include <QAbstractTableModel>
#include <memory>

#include "hearth/model_info.h"

class TensorTableModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { NameColumn, TypeColumn, ShapeColumn, BytesColumn, OffsetColumn, ColumnCount };
    enum Roles {
        // What the view sorts by: numbers for the numeric columns (element count for the shape), text
        // otherwise, so "1.5 MiB" sorts after "900.0 KiB".
        SortRole = Qt::UserRole + 1,
        // What the filter box matches, the same for every column: "<name> <type>".
        FilterRole,
    };

    explicit TensorTableModel(QObject* parent = nullptr);

    // nullptr empties the table.
    void setModelInfo(std::shared_ptr<const hearth::ModelInfo> info);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const hearth::ModelInfo> m_info;
};
