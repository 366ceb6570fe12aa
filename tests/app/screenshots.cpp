// hearth_screenshots DIR MODEL: the README's screenshots. Opens the main window on the offscreen platform
// (no display and no Xvfb needed: QT_QPA_PLATFORM=offscreen and QWidget::grab()), loads MODEL, asks it two
// things with greedy sampling, and saves DIR/main-window.png; then the model manager (the Models tab, with
// MODEL's folder as the models folder) as DIR/model-manager.png and the load-options dialog for MODEL,
// planned for a simulated RTX 3090, as DIR/load-options.png. Settings and conversations live in a
// temporary folder: the user's own are never touched. packaging/screenshots.sh builds and runs it.

#include <QAbstractItemModel>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSettings>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <cstdio>
#include <functional>

#include "chat_session.h"
#include "engine_controller.h"
#include "filesystem_path.h"
#include "hearth/hardware.h"
#include "hearth/model_info.h"
#include "main_window.h"
#include "settings_dialog.h"
#if __has_include("load_options_dialog.h")
#include "load_options_dialog.h"
#define HEARTH_HAVE_LOAD_OPTIONS_DIALOG 1
#endif

namespace {

bool waitFor(const std::function<bool()>& done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    }
    return true;
}

void settle(int ms)
{
    waitFor([] { return false; }, ms);
}

bool save(QWidget& widget, const QString& path)
{
    settle(300);  // layouts and queued updates
    const bool saved = widget.grab().save(path);
    std::fprintf(stderr, "%s %s\n", saved ? "saved" : "could not save", qPrintable(path));
    return saved;
}

bool ask(MainWindow& window, const QString& question)
{
    ChatSession& session = window.chatSession();
    bool finished = false;
    const auto connection = QObject::connect(&session, &ChatSession::answerFinished, [&] { finished = true; });
    const bool sent = session.send(question) && waitFor([&] { return finished; }, 120000);
    QObject::disconnect(connection);
    return sent;
}

}  // namespace

int main(int argc, char* argv[])
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("hearth-screenshots"));
    const QStringList arguments = QApplication::arguments();
    if (arguments.size() != 3) {
        std::fprintf(stderr, "usage: hearth_screenshots DIR MODEL\n");
        return 2;
    }
    const QString dir = QFileInfo(arguments.at(1)).absoluteFilePath();
    const QString model = QFileInfo(arguments.at(2)).absoluteFilePath();
    QDir().mkpath(dir);
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/hearth.svg")));

    QTemporaryDir home;
    QSettings settings(home.filePath(QStringLiteral("hearth.ini")), QSettings::IniFormat);
    settings.setValue(QStringLiteral("chat/database"), home.filePath(QStringLiteral("chats.sqlite")));
    settings.setValue(AppSettings::kModelsFolder, QFileInfo(model).absolutePath());
    settings.setValue(AppSettings::kTemperature, 0.0);  // greedy: the same answers every run
    settings.setValue(AppSettings::kMaxTokens, 160);
    applyTheme(AppSettings::read(settings));

    MainWindow window(settings);
    window.resize(1180, 760);
    window.show();
    window.loadModel(model);
    if (!waitFor([&] { return window.engine().state() == EngineController::State::ready; }, 120000)) {
        std::fprintf(stderr, "hearth_screenshots: could not load %s\n", qPrintable(model));
        return 1;
    }
    if (!ask(window, QStringLiteral("What is the capital of France?")))
        return 1;
    window.chatSession().newConversation();
    if (!ask(window, QStringLiteral("Write a Python function that adds two numbers.")))
        return 1;
    bool ok = save(window, dir + QStringLiteral("/main-window.png"));

    // The model manager, where there is one: the Models tab, once its table has been filled.
    if (auto* manage = window.findChild<QAction*>(QStringLiteral("actionManageModels"))) {
        manage->trigger();
        auto* table = window.findChild<QTableView*>(QStringLiteral("modelTable"));
        waitFor([&] { return table && table->model() && table->model()->rowCount() > 0; }, 30000);
        settle(2000);  // the fit badges are planned on the worker thread
        ok = save(window, dir + QStringLiteral("/model-manager.png")) && ok;
    }

#ifdef HEARTH_HAVE_LOAD_OPTIONS_DIALOG
    const std::optional<hearth::HardwareInfo> rtx3090 = hearth::hardware_profile("rtx3090");
    hearth::Result<hearth::ModelInfo> inspected = hearth::inspect(toFilesystemPath(model));
    if (!inspected) {
        std::fprintf(stderr, "hearth_screenshots: %s\n", inspected.error().message.c_str());
        return 1;
    }
    auto info = std::make_shared<const hearth::ModelInfo>(std::move(inspected).value());
    LoadOptionsDialog dialog(info, *rtx3090, true, window.engine(), &window);
    dialog.resize(dialog.sizeHint().expandedTo(QSize(720, 640)));
    dialog.show();
    ok = save(dialog, dir + QStringLiteral("/load-options.png")) && ok;
    dialog.close();
#endif
    return ok ? 0 : 1;
}
