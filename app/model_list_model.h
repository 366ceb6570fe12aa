#pragma once
// The models in the models folder, one row each, with what the model manager shows: name, architecture,
// parameters, quantization, size on disk, context length and the fit badge. A row appears as soon as its
// path is known (setPaths) and fills in when its check arrives (setCheck), with one ranged dataChanged.

#include <QAbstractTableModel>
#include <QList>

#include "model_validation.h"

class ModelListModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        ArchitectureColumn,
        ParametersColumn,
        QuantizationColumn,
        SizeColumn,
        ContextColumn,
        FitColumn,
        ColumnCount
    };
    enum Roles {
        PathRole = Qt::UserRole + 1,  // absolute path of the file or folder (every column)
        FitRole,                      // ModelFit as int (every column)
        SortRole,                     // numbers for the numeric columns, text otherwise
        ErrorRole,                    // the reader's error; empty when the model could be read
    };

    explicit ModelListModel(QObject* parent = nullptr);

    // Replaces the rows with `paths` (not yet checked); checks already known for a path are kept.
    void setPaths(const QStringList& paths);
    // Fills in the row of check.path; ignored when there is none.
    void setCheck(const ModelCheck& check);
    void removePath(const QString& path);

    int rowOf(const QString& path) const;  // -1 when absent
    const ModelCheck* check(int row) const;
    QString path(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The badge's words for people ("Fits on GPU", "CPU only", "Does not fit", "Cannot load").
    static QString fitText(ModelFit fit);

private:
    QVariant display(const ModelCheck& row, int column) const;
    QVariant sortKey(const ModelCheck& row, int column) const;

    QList<ModelCheck> m_rows;  // path set on every row; info/plan once checked
};
