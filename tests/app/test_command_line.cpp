// parseCommandLine: what hearth does with its arguments, before (lenient) and after (strict) QApplication
// has taken Qt's own options out.

#include <QTest>

#include "command_line.h"

using Action = CommandLine::Action;
using Mode = CommandLine::Mode;
Q_DECLARE_METATYPE(CommandLine::Action)
Q_DECLARE_METATYPE(CommandLine::Mode)

class TestCommandLine final : public QObject {
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void helpNamesTheOptions();
    void simulate();
};

void TestCommandLine::parse_data()
{
    QTest::addColumn<QStringList>("arguments");  // without the program name
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<Action>("action");
    QTest::addColumn<QString>("logLevel");       // empty: none given
    QTest::addColumn<QString>("modelPath");
    QTest::addColumn<QString>("errorPart");      // for fail: a part of the message

    QTest::newRow("nothing") << QStringList{} << Mode::strict << Action::run << "" << "" << "";
    QTest::newRow("a model") << QStringList{"/m/a.gguf"} << Mode::strict << Action::run << "" << "/m/a.gguf" << "";
    QTest::newRow("log level and model")
        << QStringList{"--log-level", "debug", "/m/hf"} << Mode::strict << Action::run << "debug" << "/m/hf" << "";
    QTest::newRow("log level with =") << QStringList{"--log-level=warn"} << Mode::strict << Action::run << "warn" << "" << "";
    QTest::newRow("--version") << QStringList{"--version"} << Mode::lenient << Action::showVersion << "" << "" << "";
    QTest::newRow("-v") << QStringList{"-v"} << Mode::lenient << Action::showVersion << "" << "" << "";
    QTest::newRow("version wins over a model")
        << QStringList{"/m/a.gguf", "--version"} << Mode::lenient << Action::showVersion << "" << "" << "";
    QTest::newRow("--help") << QStringList{"--help"} << Mode::lenient << Action::showHelp << "" << "" << "";
    QTest::newRow("--help-all") << QStringList{"--help-all"} << Mode::lenient << Action::showHelp << "" << "" << "";
    QTest::newRow("-h") << QStringList{"-h"} << Mode::lenient << Action::showHelp << "" << "" << "";
    QTest::newRow("bad level, lenient")
        << QStringList{"--log-level", "loud"} << Mode::lenient << Action::fail << "" << "" << "'loud'";
    QTest::newRow("bad level, strict")
        << QStringList{"--log-level=loud"} << Mode::strict << Action::fail << "" << "" << "'loud'";
    QTest::newRow("level without a value")
        << QStringList{"--log-level"} << Mode::lenient << Action::fail << "" << "" << "log-level";
    // Qt's options are whole single-dash words; "-reverse" must not read as -r -e -v (version) …
    QTest::newRow("Qt options pass, lenient")
        << QStringList{"-platform", "offscreen", "-reverse", "--log-level", "info"} << Mode::lenient << Action::run
        << "info" << "" << "";
    QTest::newRow("unknown option, strict")
        << QStringList{"--frobnicate"} << Mode::strict << Action::fail << "" << "" << "frobnicate";
    QTest::newRow("two models, strict")
        << QStringList{"a.gguf", "b.gguf"} << Mode::strict << Action::fail << "" << "" << "b.gguf";
}

void TestCommandLine::parse()
{
    QFETCH(QStringList, arguments);
    QFETCH(Mode, mode);
    QFETCH(Action, action);
    QFETCH(QString, logLevel);
    QFETCH(QString, modelPath);
    QFETCH(QString, errorPart);

    const CommandLine commandLine = parseCommandLine(QStringList{"hearth"} + arguments, mode);
    QCOMPARE(commandLine.action, action);
    if (action == Action::fail) {
        QVERIFY2(commandLine.error.contains(errorPart), qPrintable(commandLine.error));
        return;
    }
    if (action != Action::run)
        return;
    QCOMPARE(commandLine.logLevel.value_or(QString()), logLevel);
    QCOMPARE(commandLine.logLevel.has_value(), !logLevel.isEmpty());
    // Before QApplication, a Qt option's value ("offscreen") cannot be told from MODEL; only strict knows.
    if (mode == Mode::strict)
        QCOMPARE(commandLine.modelPath, modelPath);
}

void TestCommandLine::helpNamesTheOptions()
{
    const CommandLine commandLine = parseCommandLine({"hearth", "--help"}, Mode::lenient);
    QCOMPARE(commandLine.action, Action::showHelp);
    for (const char* part : {"--log-level", "--simulate", "v100", "--version", "--help", "MODEL", ".gguf"})
        QVERIFY2(commandLine.helpText.contains(QLatin1String(part)), part);
}

void TestCommandLine::simulate()
{
    const CommandLine v100 = parseCommandLine({"hearth", "--simulate", "v100", "/m/a.gguf"}, Mode::strict);
    QCOMPARE(v100.action, Action::run);
    QCOMPARE(v100.simulateProfile, QStringLiteral("v100"));
    QCOMPARE(v100.modelPath, QStringLiteral("/m/a.gguf"));
    QVERIFY(parseCommandLine({"hearth"}, Mode::strict).simulateProfile.isEmpty());
    // An unknown profile is refused with the known ones, before any window opens.
    const CommandLine bad = parseCommandLine({"hearth", "--simulate=a100"}, Mode::lenient);
    QCOMPARE(bad.action, Action::fail);
    QVERIFY2(bad.error.contains(QStringLiteral("'a100'")) && bad.error.contains(QStringLiteral("rtx3090")),
             qPrintable(bad.error));
}

QTEST_GUILESS_MAIN(TestCommandLine)
#include "test_command_line.moc"
