// hearth: the desktop app. Argument handling lives here; everything else is in hearth_gui.

#include <QApplication>
#include <QSettings>
#include <QTranslator>
#include <cstdio>
#include <optional>
#include <spdlog/spdlog.h>
#include <string>

#include "command_line.h"
#include "hearth/logging.h"
#include "hearth/version.h"
#include "main_window.h"
#include "settings_dialog.h"
#include "translations.h"

namespace {

QStringList argumentList(int argc, char* argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    return arguments;
}

void setApplicationNames()
{
    const std::string_view version = hearth::version();
    QCoreApplication::setApplicationName(QStringLiteral("hearth"));
    QCoreApplication::setOrganizationName(QStringLiteral("Hearth"));
    QCoreApplication::setApplicationVersion(QString::fromUtf8(version.data(), static_cast<qsizetype>(version.size())));
}

// --help and argument errors, answered with a QCoreApplication (for the translations) but no QApplication,
// so they work without a display, over ssh or in a script.
int answerWithoutGui(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QTranslator hearthTranslator;
    QTranslator qtTranslator;
    installTranslations(QLocale::system(), hearthTranslator, qtTranslator);
    const CommandLine commandLine = parseCommandLine(app.arguments(), CommandLine::Mode::lenient);
    if (commandLine.action == CommandLine::Action::showHelp) {
        std::fputs(qPrintable(commandLine.helpText), stdout);
        return 0;
    }
    std::fprintf(stderr, "hearth: %s\n%s\n", qPrintable(commandLine.error),
                 qPrintable(QCoreApplication::translate("CommandLine", "Try 'hearth --help' for more information.")));
    return 2;
}

// Qt's own warnings go to the same log as Hearth's, so a bug report has one file to attach.
void forwardQtMessage(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    const std::string text = context.category && std::string_view(context.category) != "default"
                                 ? std::string(context.category) + ": " + message.toStdString()
                                 : message.toStdString();
    switch (type) {
    case QtDebugMsg: spdlog::debug("{}", text); break;
    case QtInfoMsg: spdlog::info("{}", text); break;
    case QtWarningMsg: spdlog::warn("{}", text); break;
    case QtCriticalMsg:
    case QtFatalMsg: spdlog::critical("{}", text); break;
    }
}

}  // namespace

int main(int argc, char* argv[])
{
    setApplicationNames();

    // Everything that needs no window is decided before QApplication exists: QApplication needs a display.
    const CommandLine early = parseCommandLine(argumentList(argc, argv), CommandLine::Mode::lenient);
    if (early.action == CommandLine::Action::showVersion) {
        const std::string_view version = hearth::version_with_commit();
        std::printf("hearth %.*s\n", static_cast<int>(version.size()), version.data());
        return 0;
    }
    if (early.action != CommandLine::Action::run)
        return answerWithoutGui(argc, argv);

    // A bad HEARTH_LOG is only a warning (setup_logging logs it); a bad --log-level was refused above.
    const std::string levelArgument = early.logLevel.value_or(QString()).toStdString();
    hearth::setup_logging(early.logLevel ? std::optional<std::string_view>(levelArgument) : std::nullopt, "hearth");
    qInstallMessageHandler(forwardQtMessage);
    spdlog::info("hearth {} starting", hearth::version_with_commit());

    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(QStringLiteral("Hearth"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/hearth.svg")));
    // The language is read once, here (the settings dialog says a new one applies at the next start); the
    // theme applies now and whenever it is changed.
    QSettings settings;
    QTranslator hearthTranslator;
    QTranslator qtTranslator;
    installTranslations(AppSettings::locale(settings), hearthTranslator, qtTranslator);
    applyTheme(AppSettings::read(settings));

    // Qt has taken its own options (-platform, -style …) out of app.arguments(); what is left must be ours.
    const CommandLine commandLine = parseCommandLine(QApplication::arguments(), CommandLine::Mode::strict);
    if (commandLine.action != CommandLine::Action::run) {
        std::fprintf(stderr, "hearth: %s\n", qPrintable(commandLine.error));
        return 2;
    }

    EngineFunctions engine;
    if (!commandLine.simulateProfile.isEmpty()) {
        // Validated by parseCommandLine. The window plans for this machine as if it were there.
        const hearth::HardwareInfo hardware = *hearth::hardware_profile(commandLine.simulateProfile.toStdString());
        engine.probeHardware = [hardware] { return hardware; };
        engine.simulatedHardware = true;
        spdlog::info("simulating the {} hardware profile", commandLine.simulateProfile.toStdString());
    }
    MainWindow window(settings, engine);
    window.show();
    if (!commandLine.modelPath.isEmpty()) {
        // A model named on the command line is shown and loaded, ready to chat.
        window.openModel(commandLine.modelPath);
        window.loadModel(commandLine.modelPath);
    }
    return QApplication::exec();
}
