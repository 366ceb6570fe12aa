#pragma once
// hearth's command line: [--log-level LEVEL] [--simulate PROFILE] [MODEL], plus --help and --version.
//
// It is parsed twice. First, before QApplication exists (`lenient`): --version, --help and a bad log level
// are answered there, so they need no display. Options Qt itself takes (-platform, -style …) may still be
// in the list then, so unknown options and extra arguments are not errors yet. Second, after QApplication
// has removed Qt's options (`strict`): anything left that hearth does not know is an error.

#include <QString>
#include <QStringList>
#include <optional>

struct CommandLine {
    enum class Action { run, showVersion, showHelp, fail };
    enum class Mode { lenient, strict };

    Action action = Action::run;
    std::optional<QString> logLevel;  // --log-level, already validated
    QString modelPath;                // optional positional MODEL (only meaningful in strict mode)
    QString simulateProfile;          // --simulate PROFILE, already validated (hearth::hardware_profile)
    QString helpText;                 // for showHelp
    QString error;                    // for fail: what was wrong, in one line
};

// `arguments` includes the program name first, as QCoreApplication::arguments() does.
CommandLine parseCommandLine(const QStringList& arguments, CommandLine::Mode mode);
