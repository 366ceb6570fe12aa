#pragma once
// Settings (File ▸ Settings…): the chat's sampling defaults and system prompt, the models folder, the
// language and the theme, kept in the app's QSettings under the keys in AppSettings. Sampling, system
// prompt, models folder and theme apply as soon as OK is pressed; the language applies the next time
// Hearth starts (the windows' texts are made once), and the dialog says so.

#include <QDialog>
#include <QLocale>
#include <QString>

#include "hearth/sampling.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSettings;
class QSpinBox;

struct AppSettings {
    // The keys; the chat (MainWindow) and the model manager read the same ones.
    static inline const QString kTemperature = QStringLiteral("chat/temperature");
    static inline const QString kTopP = QStringLiteral("chat/topP");
    static inline const QString kTopK = QStringLiteral("chat/topK");
    static inline const QString kMaxTokens = QStringLiteral("chat/maxTokens");
    static inline const QString kSystemPrompt = QStringLiteral("chat/systemPrompt");
    static inline const QString kModelsFolder = QStringLiteral("models/folder");
    static inline const QString kLanguage = QStringLiteral("ui/language");  // "", "en" or "zh_CN"
    static inline const QString kFollowSystemTheme = QStringLiteral("ui/followSystemTheme");
    static inline const QString kTheme = QStringLiteral("ui/theme");  // "light" or "dark", when not following

    double temperature = 0.7;
    double topP = 0.95;
    int topK = 0;  // 0 = off
    qint64 maxTokens = 1024;
    QString systemPrompt;
    QString modelsFolder = defaultModelsFolder();
    QString language;  // empty: the system's language
    bool followSystemTheme = true;
    QString theme = QStringLiteral("light");

    static AppSettings read(const QSettings& settings);
    void write(QSettings& settings) const;
    hearth::SamplingParams sampling() const;

    // Where tests/fetch_models.sh and packaging/quickstart.sh put the demo model:
    // $HEARTH_CACHE_DIR/models, else $XDG_CACHE_HOME/hearth/models, else ~/.cache/hearth/models.
    static QString defaultModelsFolder();
    // The locale whose translation is loaded at start: the language setting, or the system's.
    static QLocale locale(const QSettings& settings);
};

// Applies the theme settings to the running application: the platform's own style and palette when
// following the system, else the Fusion style with a light or a dark palette. Call it first at start,
// before any other style change: it remembers the platform's style then.
void applyTheme(const AppSettings& settings);

class SettingsDialog final : public QDialog {
    Q_OBJECT

public:
    // Shows what `settings` holds; OK writes the dialog's values back. `settings` must outlive the dialog.
    explicit SettingsDialog(QSettings& settings, QWidget* parent = nullptr);

    AppSettings values() const;
    void setValues(const AppSettings& values);

    void accept() override;

private:
    void chooseModelsFolder();

    QSettings& m_settings;
    QDoubleSpinBox* m_temperature = nullptr;
    QDoubleSpinBox* m_topP = nullptr;
    QSpinBox* m_topK = nullptr;
    QSpinBox* m_maxTokens = nullptr;
    QPlainTextEdit* m_systemPrompt = nullptr;
    QLineEdit* m_modelsFolder = nullptr;
    QComboBox* m_language = nullptr;
    QLabel* m_languageNote = nullptr;
    QCheckBox* m_followSystemTheme = nullptr;
    QComboBox* m_theme = nullptr;
};
