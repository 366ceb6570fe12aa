// The hearth executable itself: --version and --help answer without a display (QT_QPA_PLATFORM=xcb with
// no DISPLAY would abort if a QApplication were made), and bad arguments exit with status 2.

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

class TestHearthExecutable final : public QObject {
    Q_OBJECT

private slots:
    void run_data();
    void run();

private:
    QTemporaryDir m_home;
};

void TestHearthExecutable::run_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<bool>("display");       // false: no display at all; true: the offscreen platform
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("stdoutPattern");
    QTest::addColumn<QString>("stderrPattern");

    const QString version = QStringLiteral("^hearth \\d+\\.\\d+\\.\\d+( \\(git [0-9a-f]+(-dirty)?\\))?\\n$");
    QTest::newRow("--version") << QStringList{"--version"} << false << 0 << version << "";
    QTest::newRow("-v") << QStringList{"-v"} << false << 0 << version << "";
    QTest::newRow("--version with other options")
        << QStringList{"--log-level", "debug", "--version", "model.gguf"} << false << 0 << version << "";
    QTest::newRow("--help") << QStringList{"--help"} << false << 0 << "--log-level <level>[\\s\\S]*MODEL" << "";
    QTest::newRow("--help-all") << QStringList{"--help-all"} << false << 0 << "--log-level <level>" << "";
    QTest::newRow("bad log level") << QStringList{"--log-level", "loud"} << false << 2 << ""
                                   << "unknown log level 'loud'";
    QTest::newRow("missing log level") << QStringList{"--log-level"} << false << 2 << "" << "log-level";
    QTest::newRow("unknown option") << QStringList{"--frobnicate"} << true << 2 << "" << "frobnicate";
    QTest::newRow("two models") << QStringList{"a.gguf", "b.gguf"} << true << 2 << "" << "one model";
}

void TestHearthExecutable::run()
{
    QFETCH(QStringList, arguments);
    QFETCH(bool, display);
    QFETCH(int, exitCode);
    QFETCH(QString, stdoutPattern);
    QFETCH(QString, stderrPattern);
    QVERIFY(m_home.isValid());

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("DISPLAY"));
    environment.remove(QStringLiteral("WAYLAND_DISPLAY"));
    environment.remove(QStringLiteral("HEARTH_LOG"));
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), display ? QStringLiteral("offscreen") : QStringLiteral("xcb"));
    environment.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral("config")));
    environment.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    environment.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));

    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(HEARTH_APP_PATH), arguments);
    QVERIFY(process.waitForStarted());
    if (!process.waitForFinished(20000)) {
        process.kill();
        process.waitForFinished();
        QFAIL("hearth did not exit");
    }
    const QString out = QString::fromUtf8(process.readAllStandardOutput());
    const QString err = QString::fromUtf8(process.readAllStandardError());
    const QString both = QStringLiteral("stdout:\n%1\nstderr:\n%2").arg(out, err);
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QVERIFY2(process.exitCode() == exitCode, qPrintable(both));
    if (!stdoutPattern.isEmpty())
        QVERIFY2(QRegularExpression(stdoutPattern).match(out).hasMatch(), qPrintable(both));
    if (!stderrPattern.isEmpty())
        QVERIFY2(err.contains(stderrPattern), qPrintable(both));
}

QTEST_GUILESS_MAIN(TestHearthExecutable)
#include "test_hearth_executable.moc"
