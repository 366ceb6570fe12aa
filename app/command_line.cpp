#include "command_line.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include "hearth/hardware.h"
#include "hearth/logging.h"

CommandLine parseCommandLine(const QStringList& arguments, CommandLine::Mode mode)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("CommandLine", "Hearth: chat with large language models on your own computer."));
    // Single-dash words are whole options ("-platform", not -p -l -a …), as Qt's own options are written.
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption logLevel(
        QStringLiteral("log-level"),
        QCoreApplication::translate("CommandLine",
                                    "Log level: trace, debug, info, warn, error, critical or off. "
                                    "Default: the HEARTH_LOG environment variable, else info."),
        QCoreApplication::translate("CommandLine", "level"));
    parser.addOption(logLevel);
    const std::string_view profiles = hearth::hardware_profile_names();
    const QCommandLineOption simulate(
        QStringLiteral("simulate"),
        QCoreApplication::translate("CommandLine",
                                    "Plan for a described machine instead of this one (the model manager's fit badges "
                                    "and the load dialog): %1.")
            .arg(QString::fromUtf8(profiles.data(), qsizetype(profiles.size()))),
        QCoreApplication::translate("CommandLine", "profile"));
    parser.addOption(simulate);
    parser.addPositionalArgument(
        QCoreApplication::translate("CommandLine", "MODEL"),
        QCoreApplication::translate("CommandLine", "A model to open: a .gguf file or a Hugging Face folder."),
        QCoreApplication::translate("CommandLine", "[MODEL]"));

    CommandLine result;
    const bool parsed = parser.parse(arguments);
    if (parser.isSet(version)) {
        result.action = CommandLine::Action::showVersion;
        return result;
    }
    // --help-all (added by addHelpOption) would list Qt's options too; those need a QApplication to list, so
    // it gets the same help as --help.
    if (parser.isSet(help) || parser.isSet(QStringLiteral("help-all"))) {
        result.action = CommandLine::Action::showHelp;
        result.helpText = parser.helpText();
        return result;
    }
    if (!parsed) {
        // Unknown options may still be Qt's own before QApplication has taken them out; anything else (a
        // missing value after --log-level) is wrong in either mode.
        const bool mayBeQtOption = mode == CommandLine::Mode::lenient && !parser.unknownOptionNames().isEmpty();
        if (!mayBeQtOption) {
            result.action = CommandLine::Action::fail;
            result.error = parser.errorText();
            return result;
        }
    }
    if (parser.isSet(logLevel)) {
        const QString level = parser.value(logLevel);
        if (const std::optional<std::string> problem = hearth::validate_log_level(level.toStdString())) {
            result.action = CommandLine::Action::fail;
            result.error = QString::fromStdString(*problem);
            return result;
        }
        result.logLevel = level;
    }
    if (parser.isSet(simulate)) {
        const QString profile = parser.value(simulate);
        if (!hearth::hardware_profile(profile.toStdString())) {
            result.action = CommandLine::Action::fail;
            result.error = QCoreApplication::translate("CommandLine", "Unknown hardware profile '%1'; known: %2")
                               .arg(profile, QString::fromUtf8(profiles.data(), qsizetype(profiles.size())));
            return result;
        }
        result.simulateProfile = profile;
    }
    const QStringList positional = parser.positionalArguments();
    if (mode == CommandLine::Mode::strict && positional.size() > 1) {
        result.action = CommandLine::Action::fail;
        result.error = QCoreApplication::translate("CommandLine",
                                                   "Only one model can be opened at a time; got %1 arguments: %2")
                           .arg(positional.size())
                           .arg(positional.join(QStringLiteral(", ")));
        return result;
    }
    if (!positional.isEmpty())
        result.modelPath = positional.first();
    return result;
}
