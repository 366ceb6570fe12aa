// The settings dialog: defaults on empty settings, a round trip through QSettings (OK writes, Cancel does
// not), the language read at start, the theme applied at once, and File ▸ Settings… reaching the chat's
// next answers.

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStyle>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include "chat_session.h"
#include "main_window.h"
#include "settings_dialog.h"

class TestSettingsDialog final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void defaultsOnEmptySettings();
    void roundTrip();
    void cancelWritesNothing();
    void languageAppliesAtNextStart();
    void themeAppliesAtOnce();
    void menuOpensDialogAndChatUsesIt();

private:
    template<typename T> T* child(QWidget& parent, const char* name)
    {
        auto* widget = parent.findChild<T*>(QLatin1String(name));
        if (!widget)
            qFatal("no %s", name);
        return widget;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    int m_run = 0;
};

void TestSettingsDialog::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    qputenv("HEARTH_CACHE_DIR", m_dir.filePath(QStringLiteral("cache")).toUtf8());
}

void TestSettingsDialog::init()
{
    m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("settings-%1.ini").arg(++m_run)),
                                             QSettings::IniFormat);
}

void TestSettingsDialog::cleanup()
{
    m_settings.reset();
}

void TestSettingsDialog::defaultsOnEmptySettings()
{
    SettingsDialog dialog(*m_settings);
    const AppSettings shown = dialog.values();
    QCOMPARE(shown.temperature, 0.7);
    QCOMPARE(shown.topP, 0.95);
    QCOMPARE(shown.topK, 0);
    QCOMPARE(shown.maxTokens, 1024);
    QCOMPARE(shown.systemPrompt, QString());
    QCOMPARE(shown.modelsFolder, m_dir.filePath(QStringLiteral("cache/models")));
    QCOMPARE(shown.language, QString());
    QVERIFY(shown.followSystemTheme);
    QVERIFY(!child<QComboBox>(dialog, "theme")->isEnabled());
    QCOMPARE(child<QSpinBox>(dialog, "topK")->text(), QStringLiteral("off"));
}

void TestSettingsDialog::roundTrip()
{
    {
        SettingsDialog dialog(*m_settings);
        child<QDoubleSpinBox>(dialog, "temperature")->setValue(0.25);
        child<QDoubleSpinBox>(dialog, "topP")->setValue(0.8);
        child<QSpinBox>(dialog, "topK")->setValue(40);
        child<QSpinBox>(dialog, "maxTokens")->setValue(300);
        child<QPlainTextEdit>(dialog, "systemPrompt")->setPlainText(QStringLiteral("You are terse.\nAnswer in French."));
        child<QLineEdit>(dialog, "modelsFolder")->setText(QStringLiteral("/srv/models"));
        auto* language = child<QComboBox>(dialog, "language");
        language->setCurrentIndex(language->findData(QStringLiteral("zh_CN")));
        child<QCheckBox>(dialog, "followSystemTheme")->setChecked(false);
        QVERIFY(child<QComboBox>(dialog, "theme")->isEnabled());
        auto* theme = child<QComboBox>(dialog, "theme");
        theme->setCurrentIndex(theme->findData(QStringLiteral("dark")));
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }
    // Written under the keys the rest of the app reads.
    m_settings->sync();
    QSettings file(m_settings->fileName(), QSettings::IniFormat);
    QCOMPARE(file.value(QStringLiteral("chat/temperature")).toDouble(), 0.25);
    QCOMPARE(file.value(QStringLiteral("chat/topP")).toDouble(), 0.8);
    QCOMPARE(file.value(QStringLiteral("chat/topK")).toInt(), 40);
    QCOMPARE(file.value(QStringLiteral("chat/maxTokens")).toLongLong(), 300);
    QCOMPARE(file.value(QStringLiteral("chat/systemPrompt")).toString(), QStringLiteral("You are terse.\nAnswer in French."));
    QCOMPARE(file.value(QStringLiteral("models/folder")).toString(), QStringLiteral("/srv/models"));
    QCOMPARE(file.value(QStringLiteral("ui/language")).toString(), QStringLiteral("zh_CN"));
    QCOMPARE(file.value(QStringLiteral("ui/followSystemTheme")).toBool(), false);
    QCOMPARE(file.value(QStringLiteral("ui/theme")).toString(), QStringLiteral("dark"));

    // A new dialog shows them again.
    SettingsDialog again(file);
    const AppSettings shown = again.values();
    QCOMPARE(shown.temperature, 0.25);
    QCOMPARE(shown.topP, 0.8);
    QCOMPARE(shown.topK, 40);
    QCOMPARE(shown.maxTokens, 300);
    QCOMPARE(shown.systemPrompt, QStringLiteral("You are terse.\nAnswer in French."));
    QCOMPARE(shown.modelsFolder, QStringLiteral("/srv/models"));
    QCOMPARE(shown.language, QStringLiteral("zh_CN"));
    QVERIFY(!shown.followSystemTheme);
    QCOMPARE(shown.theme, QStringLiteral("dark"));
    const hearth::SamplingParams sampling = shown.sampling();
    QCOMPARE(sampling.temperature, 0.25);
    QCOMPARE(sampling.top_p, 0.8);
    QCOMPARE(sampling.top_k, 40);

    applyTheme(AppSettings{});  // back to the platform's look for the other tests
}

void TestSettingsDialog::cancelWritesNothing()
{
    m_settings->setValue(QStringLiteral("chat/temperature"), 1.1);
    SettingsDialog dialog(*m_settings);
    QCOMPARE(child<QDoubleSpinBox>(dialog, "temperature")->value(), 1.1);
    child<QDoubleSpinBox>(dialog, "temperature")->setValue(0.1);
    child<QLineEdit>(dialog, "modelsFolder")->setText(QStringLiteral("/elsewhere"));
    dialog.reject();
    QCOMPARE(m_settings->value(QStringLiteral("chat/temperature")).toDouble(), 1.1);
    QVERIFY(!m_settings->contains(QStringLiteral("models/folder")));
}

void TestSettingsDialog::languageAppliesAtNextStart()
{
    // main() loads the translation of AppSettings::locale() once, at start; the dialog says so.
    SettingsDialog dialog(*m_settings);
    QVERIFY(child<QLabel>(dialog, "languageNote")->text().contains(QStringLiteral("next time Hearth starts")));
    QCOMPARE(AppSettings::locale(*m_settings), QLocale::system());
    m_settings->setValue(QStringLiteral("ui/language"), QStringLiteral("zh_CN"));
    QCOMPARE(AppSettings::locale(*m_settings).language(), QLocale::Chinese);
    QCOMPARE(AppSettings::locale(*m_settings).territory(), QLocale::China);
    m_settings->setValue(QStringLiteral("ui/language"), QStringLiteral("en"));
    QCOMPARE(AppSettings::locale(*m_settings).language(), QLocale::English);
}

void TestSettingsDialog::themeAppliesAtOnce()
{
    const QColor platformWindow = QApplication::palette().color(QPalette::Window);
    const QString platformStyle = QApplication::style()->name();
    AppSettings dark;
    dark.followSystemTheme = false;
    dark.theme = QStringLiteral("dark");
    applyTheme(dark);
    QCOMPARE(QApplication::style()->name().toLower(), QStringLiteral("fusion"));
    QVERIFY2(QApplication::palette().color(QPalette::Window).lightness() < 80,
             qPrintable(QApplication::palette().color(QPalette::Window).name()));

    AppSettings light = dark;
    light.theme = QStringLiteral("light");
    applyTheme(light);
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 180);

    applyTheme(AppSettings{});  // follow the system again: the platform's look comes back
    QCOMPARE(QApplication::style()->name(), platformStyle);
    QCOMPARE(QApplication::palette().color(QPalette::Window), platformWindow);
}

void TestSettingsDialog::menuOpensDialogAndChatUsesIt()
{
    m_settings->setValue(QStringLiteral("chat/database"), m_dir.filePath(QStringLiteral("chats.sqlite")));
    MainWindow window(*m_settings);
    // Before: what the settings hold (here the defaults) reaches the chat.
    QCOMPARE(window.chatSession().sampling().temperature, 0.7);
    QCOMPARE(window.chatSession().maxTokens(), 1024);

    QAction* action = window.findChild<QAction*>(QStringLiteral("actionSettings"));
    QVERIFY(action);
    QVERIFY(window.findChild<QMenu*>(QStringLiteral("menuFile"))->actions().contains(action));
    bool seen = false;
    QTimer::singleShot(0, this, [&] {
        auto* dialog = qobject_cast<SettingsDialog*>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        seen = true;
        child<QDoubleSpinBox>(*dialog, "temperature")->setValue(0.3);
        child<QSpinBox>(*dialog, "topK")->setValue(20);
        child<QSpinBox>(*dialog, "maxTokens")->setValue(77);
        child<QPlainTextEdit>(*dialog, "systemPrompt")->setPlainText(QStringLiteral("Be brief."));
        dialog->accept();
    });
    action->trigger();
    QVERIFY(seen);
    QCOMPARE(window.chatSession().sampling().temperature, 0.3);
    QCOMPARE(window.chatSession().sampling().top_k, 20);
    QCOMPARE(window.chatSession().maxTokens(), 77);
    QCOMPARE(window.chatSession().systemPrompt(), QStringLiteral("Be brief."));
    QCOMPARE(m_settings->value(QStringLiteral("chat/maxTokens")).toLongLong(), 77);
}

QTEST_MAIN(TestSettingsDialog)
#include "test_settings_dialog.moc"
