// TensorTableModel: rows, columns and every role for a ModelInfo made by hand, checked by
// QAbstractItemModelTester as well.

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

#include "tensor_table_model.h"

namespace {

std::shared_ptr<const hearth::ModelInfo> makeModelInfo()
{
    hearth::ModelInfo info;
    info.path = "/models/tiny.gguf";
    info.tensors = {
        {.name = "token_embd.weight", .type = hearth::TensorType::Q8_0, .shape = {256, 64},
         .n_elements = 16384, .n_bytes = 17408, .offset = 4096, .file = "tiny.gguf"},
        {.name = "blk.0.attn_q.weight", .type = hearth::TensorType::F16, .shape = {64, 64},
         .n_elements = 4096, .n_bytes = 8192, .offset = 21504, .file = "tiny.gguf"},
        {.name = "output_norm.weight", .type = hearth::TensorType::F32, .shape = {64},
         .n_elements = 64, .n_bytes = 256, .offset = 29696, .file = "tiny.gguf"},
    };
    return std::make_shared<const hearth::ModelInfo>(std::move(info));
}

}  // namespace

class TestTensorTableModel final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void emptyModel();
    void rowsAndColumns();
    void data_data();
    void data();
    void headers();
    void resetEmptiesTheTable();
    void sortsNumbersByValue();
    void filtersByNameAndType_data();
    void filtersByNameAndType();
};

void TestTensorTableModel::initTestCase()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestTensorTableModel::emptyModel()
{
    TensorTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), 5);
    QVERIFY(!model.data(model.index(0, 0)).isValid());
}

void TestTensorTableModel::rowsAndColumns()
{
    TensorTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setModelInfo(makeModelInfo());
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), int(TensorTableModel::ColumnCount));
    // A table: no children below any cell.
    QCOMPARE(model.rowCount(model.index(0, 0)), 0);
    QCOMPARE(model.columnCount(model.index(0, 0)), 0);
}

void TestTensorTableModel::data_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("role");
    QTest::addColumn<QVariant>("expected");

    const int display = Qt::DisplayRole;
    const int sort = TensorTableModel::SortRole;
    QTest::newRow("name") << 0 << int(TensorTableModel::NameColumn) << display << QVariant(QStringLiteral("token_embd.weight"));
    QTest::newRow("type") << 0 << int(TensorTableModel::TypeColumn) << display << QVariant(QStringLiteral("Q8_0"));
    QTest::newRow("shape") << 0 << int(TensorTableModel::ShapeColumn) << display << QVariant(QStringLiteral("256 × 64"));
    QTest::newRow("1-d shape") << 2 << int(TensorTableModel::ShapeColumn) << display << QVariant(QStringLiteral("64"));
    QTest::newRow("bytes") << 0 << int(TensorTableModel::BytesColumn) << display << QVariant(QStringLiteral("17.0 KiB"));
    QTest::newRow("small bytes") << 2 << int(TensorTableModel::BytesColumn) << display << QVariant(QStringLiteral("256 bytes"));
    QTest::newRow("offset") << 1 << int(TensorTableModel::OffsetColumn) << display << QVariant(QStringLiteral("21,504"));
    QTest::newRow("sort name") << 1 << int(TensorTableModel::NameColumn) << sort << QVariant(QStringLiteral("blk.0.attn_q.weight"));
    QTest::newRow("sort shape = elements") << 0 << int(TensorTableModel::ShapeColumn) << sort << QVariant(qulonglong(16384));
    QTest::newRow("sort bytes") << 1 << int(TensorTableModel::BytesColumn) << sort << QVariant(qulonglong(8192));
    QTest::newRow("sort offset") << 2 << int(TensorTableModel::OffsetColumn) << sort << QVariant(qulonglong(29696));
    QTest::newRow("filter") << 1 << int(TensorTableModel::OffsetColumn) << int(TensorTableModel::FilterRole)
                            << QVariant(QStringLiteral("blk.0.attn_q.weight F16"));
    QTest::newRow("bytes tooltip") << 0 << int(TensorTableModel::BytesColumn) << int(Qt::ToolTipRole)
                                   << QVariant(QStringLiteral("17,408 bytes"));
    QTest::newRow("offset tooltip names the file") << 0 << int(TensorTableModel::OffsetColumn) << int(Qt::ToolTipRole)
                                                   << QVariant(QStringLiteral("Byte offset in tiny.gguf"));
    QTest::newRow("numbers right-aligned") << 0 << int(TensorTableModel::BytesColumn) << int(Qt::TextAlignmentRole)
                                           << QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
}

void TestTensorTableModel::data()
{
    QFETCH(int, row);
    QFETCH(int, column);
    QFETCH(int, role);
    QFETCH(QVariant, expected);

    TensorTableModel model;
    model.setModelInfo(makeModelInfo());
    QCOMPARE(model.data(model.index(row, column), role), expected);
}

void TestTensorTableModel::headers()
{
    TensorTableModel model;
    const QStringList expected{"Name", "Type", "Shape", "Bytes", "Offset"};
    for (int column = 0; column < model.columnCount(); ++column)
        QCOMPARE(model.headerData(column, Qt::Horizontal).toString(), expected.at(column));
}

void TestTensorTableModel::resetEmptiesTheTable()
{
    TensorTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setModelInfo(makeModelInfo());
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    model.setModelInfo(nullptr);
    QCOMPARE(resets.count(), 1);
    QCOMPARE(model.rowCount(), 0);
}

void TestTensorTableModel::sortsNumbersByValue()
{
    // By display text "17.0 KiB" < "256 bytes" < "8.0 KiB"; by value 256 < 8192 < 17408.
    TensorTableModel model;
    model.setModelInfo(makeModelInfo());
    QSortFilterProxyModel proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setSourceModel(&model);
    proxy.setSortRole(TensorTableModel::SortRole);
    proxy.sort(TensorTableModel::BytesColumn, Qt::AscendingOrder);
    QCOMPARE(proxy.index(0, TensorTableModel::NameColumn).data().toString(), QStringLiteral("output_norm.weight"));
    QCOMPARE(proxy.index(1, TensorTableModel::NameColumn).data().toString(), QStringLiteral("blk.0.attn_q.weight"));
    QCOMPARE(proxy.index(2, TensorTableModel::NameColumn).data().toString(), QStringLiteral("token_embd.weight"));
}

void TestTensorTableModel::filtersByNameAndType_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<int>("rows");
    QTest::newRow("none") << QString() << 3;
    QTest::newRow("part of a name") << QStringLiteral("attn") << 1;
    QTest::newRow("a type") << QStringLiteral("q8_0") << 1;
    QTest::newRow("shared suffix") << QStringLiteral(".weight") << 3;
    QTest::newRow("nothing") << QStringLiteral("lm_head") << 0;
}

void TestTensorTableModel::filtersByNameAndType()
{
    QFETCH(QString, filter);
    QFETCH(int, rows);
    TensorTableModel model;
    model.setModelInfo(makeModelInfo());
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setFilterRole(TensorTableModel::FilterRole);
    proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy.setFilterFixedString(filter);
    QCOMPARE(proxy.rowCount(), rows);
}

QTEST_MAIN(TestTensorTableModel)
#include "test_tensor_table_model.moc"
