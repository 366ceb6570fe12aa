// Logging set-up: level from the argument, else HEARTH_LOG, else info; a rotating file in the data folder.
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <spdlog/spdlog.h>

#include "hearth/logging.h"

using namespace hearth;

class TestLogging : public QObject {
    Q_OBJECT

private slots:
    void validatesLevels() {
        for (const char* level : {"trace", "debug", "info", "warn", "error", "critical", "off"}) {
            QVERIFY2(!validate_log_level(level), level);
        }
        const auto problem = validate_log_level("verbose");
        QVERIFY(problem);
        QVERIFY(QString::fromStdString(*problem).contains("unknown log level 'verbose'"));
    }

    void argumentBeatsEnvironment() {
        QTemporaryDir dir;
        qputenv("HEARTH_LOG", "error");
        auto setup = setup_logging(std::string_view("debug"), "test", dir.path().toStdString());
        QCOMPARE(setup.level, std::string("debug"));
        QCOMPARE(spdlog::default_logger()->level(), spdlog::level::debug);
        setup = setup_logging(std::nullopt, "test", dir.path().toStdString());
        QCOMPARE(setup.level, std::string("error"));
        qputenv("HEARTH_LOG", "nonsense");
        setup = setup_logging(std::nullopt, "test", dir.path().toStdString());
        QCOMPARE(setup.level, std::string("info"));
        QVERIFY(QString::fromStdString(setup.warning).contains("unknown log level 'nonsense'"));
        qunsetenv("HEARTH_LOG");
    }

    void writesTheLogFile() {
        QTemporaryDir dir;
        const auto setup = setup_logging(std::string_view("info"), "test", (dir.path() + "/logs").toStdString());
        QVERIFY(setup.warning.empty());
        spdlog::info("a line for the file");
        spdlog::default_logger()->flush();
        QFile file(QString::fromStdString(setup.file.string()));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("a line for the file"));
    }

    void unwritableFolderFallsBackToStderr() {
        const auto setup = setup_logging(std::string_view("info"), "test", "/proc/hearth-cannot-write-here");
        QVERIFY(setup.file.empty());
        QVERIFY(!setup.warning.empty());
    }

    void defaultDataDirFollowsXdg() {
        qputenv("XDG_DATA_HOME", "/tmp/xdg-data");
        QCOMPARE(QString::fromStdString(default_data_dir().string()), QString("/tmp/xdg-data/hearth"));
        qunsetenv("XDG_DATA_HOME");
        QVERIFY(QString::fromStdString(default_data_dir().string()).endsWith(".local/share/hearth"));
    }
};

QTEST_GUILESS_MAIN(TestLogging)
#include "test_logging.moc"
