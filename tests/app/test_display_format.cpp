// DisplayFormat: parameter counts, byte sizes, shapes and integers as people read them (en_US locale).

#include <QTest>

#include "display_format.h"

class TestDisplayFormat final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }
    void parameterCount_data();
    void parameterCount();
    void byteSize_data();
    void byteSize();
    void shape_data();
    void shape();
    void integer();
};

void TestDisplayFormat::parameterCount_data()
{
    QTest::addColumn<qulonglong>("count");
    QTest::addColumn<QString>("expected");
    QTest::newRow("zero") << 0ULL << "0";
    QTest::newRow("below a thousand") << 999ULL << "999";
    QTest::newRow("a thousand") << 1000ULL << "1.0 K";
    QTest::newRow("SmolLM2-135M") << 134515008ULL << "134.5 M";
    QTest::newRow("rounds up into the next unit") << 999960000ULL << "1.0 B";
    QTest::newRow("Qwen2-7B") << 7615616512ULL << "7.6 B";
    QTest::newRow("trillions") << 1500000000000ULL << "1.5 T";
    QTest::newRow("beyond trillions stays in T") << 2000000000000000ULL << "2,000.0 T";
}

void TestDisplayFormat::parameterCount()
{
    QFETCH(qulonglong, count);
    QFETCH(QString, expected);
    QCOMPARE(DisplayFormat::parameterCount(count), expected);
}

void TestDisplayFormat::byteSize_data()
{
    QTest::addColumn<qulonglong>("bytes");
    QTest::addColumn<QString>("expected");
    QTest::newRow("zero") << 0ULL << "0 bytes";
    QTest::newRow("KiB") << 1536ULL << "1.5 KiB";
    QTest::newRow("GiB") << (3ULL << 30) << "3.0 GiB";
}

void TestDisplayFormat::byteSize()
{
    QFETCH(qulonglong, bytes);
    QFETCH(QString, expected);
    QCOMPARE(DisplayFormat::byteSize(bytes), expected);
}

void TestDisplayFormat::shape_data()
{
    QTest::addColumn<QList<qint64>>("dims");
    QTest::addColumn<QString>("expected");
    QTest::newRow("scalar") << QList<qint64>{} << "scalar";
    QTest::newRow("vector") << QList<qint64>{576} << "576";
    QTest::newRow("matrix, outermost first") << QList<qint64>{49152, 576} << "49152 × 576";
    QTest::newRow("3-d") << QList<qint64>{8, 128, 64} << "8 × 128 × 64";
}

void TestDisplayFormat::shape()
{
    QFETCH(QList<qint64>, dims);
    QFETCH(QString, expected);
    QCOMPARE(DisplayFormat::shape(std::vector<std::int64_t>(dims.begin(), dims.end())), expected);
}

void TestDisplayFormat::integer()
{
    QCOMPARE(DisplayFormat::integer(32768), QStringLiteral("32,768"));
    QCOMPARE(DisplayFormat::integer(-5), QStringLiteral("-5"));
}

QTEST_GUILESS_MAIN(TestDisplayFormat)
#include "test_display_format.moc"
