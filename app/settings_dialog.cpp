#include "settings_dialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPalette>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStyle>
#include <QStyleFactory>
#include <QVBoxLayout>

AppSettings AppSettings::read(const QSettings& settings)
{
    AppSettings s;
    s.temperature = settings.value(kTemperature, s.temperature).toDouble();
    s.topP = settings.value(kTopP, s.topP).toDouble();
    s.topK = settings.value(kTopK, s.topK).toInt();
    s.maxTokens = settings.value(kMaxTokens, s.maxTokens).toLongLong();
    s.systemPrompt = settings.value(kSystemPrompt, s.systemPrompt).toString();
    s.modelsFolder = settings.value(kModelsFolder, s.modelsFolder).toString();
    s.language = settings.value(kLanguage, s.language).toString();
    s.followSystemTheme = settings.value(kFollowSystemTheme, s.followSystemTheme).toBool();
    s.theme = settings.value(kTheme, s.theme).toString();
    return s;
}

void AppSettings::write(QSettings& settings) const
{
    settings.setValue(kTemperature, temperature);
    settings.setValue(kTopP, topP);
    settings.setValue(kTopK, topK);
    settings.setValue(kMaxTokens, maxTokens);
    settings.setValue(kSystemPrompt, systemPrompt);
    settings.setValue(kModelsFolder, modelsFolder);
    settings.setValue(kLanguage, language);
    settings.setValue(kFollowSystemTheme, followSystemTheme);
    settings.setValue(kTheme, theme);
}

hearth::SamplingParams AppSettings::sampling() const
{
    hearth::SamplingParams sampling;
    sampling.temperature = temperature;
    sampling.top_p = topP;
    sampling.top_k = topK;
    return sampling;
}

QString AppSettings::defaultModelsFolder()
{
    const QString cache = qEnvironmentVariable("HEARTH_CACHE_DIR");
    if (!cache.isEmpty())
        return QDir::cleanPath(cache + QStringLiteral("/models"));
    // GenericCacheLocation is $XDG_CACHE_HOME or ~/.cache on Linux.
    return QDir::cleanPath(QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) +
                           QStringLiteral("/hearth/models"));
}

QLocale AppSettings::locale(const QSettings& settings)
{
    const QString language = settings.value(kLanguage).toString();
    if (language == QLatin1String("zh_CN"))
        return QLocale(QLocale::Chinese, QLocale::China);
    if (language == QLatin1String("en"))
        return QLocale(QLocale::English, QLocale::UnitedStates);
    return QLocale::system();
}

namespace {

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2b, 0x2e), base(0x1f, 0x1f, 0x22), text(0xe8, 0xe6, 0xe3);
    const QColor muted(0x80, 0x80, 0x85), highlight(0xd9, 0x6a, 0x2b);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x33, 0x33, 0x37));
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, muted);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0xf0, 0x9a, 0x5c));
    p.setColor(QPalette::Light, QColor(0x45, 0x45, 0x4a));
    p.setColor(QPalette::Midlight, QColor(0x3a, 0x3a, 0x3e));
    p.setColor(QPalette::Mid, QColor(0x24, 0x24, 0x27));
    p.setColor(QPalette::Dark, QColor(0x18, 0x18, 0x1a));
    p.setColor(QPalette::Shadow, Qt::black);
    for (const QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, muted);
    return p;
}

}  // namespace

void applyTheme(const AppSettings& settings)
{
    // The platform's style, as Qt chose it at start; a palette with nothing set gives the platform's colours
    // back (and keeps following the desktop's later changes).
    static const QString platformStyle = QApplication::style()->name();
    if (settings.followSystemTheme) {
        if (QStyle* style = QStyleFactory::create(platformStyle))
            QApplication::setStyle(style);
        QApplication::setPalette(QPalette());
        return;
    }
    QStyle* fusion = QStyleFactory::create(QStringLiteral("Fusion"));
    if (!fusion)
        return;
    QApplication::setStyle(fusion);
    QApplication::setPalette(settings.theme == QLatin1String("dark") ? darkPalette() : fusion->standardPalette());
}

SettingsDialog::SettingsDialog(QSettings& settings, QWidget* parent)
    : QDialog(parent)
    , m_settings(settings)
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));

    auto* chat = new QGroupBox(tr("New answers"), this);
    m_temperature = new QDoubleSpinBox(chat);
    m_temperature->setObjectName(QStringLiteral("temperature"));
    m_temperature->setRange(0.0, 2.0);
    m_temperature->setSingleStep(0.05);
    m_temperature->setDecimals(2);
    m_temperature->setToolTip(tr("Higher is more varied, 0 always picks the most likely word"));
    m_topP = new QDoubleSpinBox(chat);
    m_topP->setObjectName(QStringLiteral("topP"));
    m_topP->setRange(0.01, 1.0);
    m_topP->setSingleStep(0.05);
    m_topP->setDecimals(2);
    m_topP->setToolTip(tr("Sample from the most likely tokens that together make up this share; 1 is off"));
    m_topK = new QSpinBox(chat);
    m_topK->setObjectName(QStringLiteral("topK"));
    m_topK->setRange(0, 1000);
    m_topK->setSpecialValueText(tr("off"));
    m_topK->setToolTip(tr("Sample from this many most likely tokens only; 0 is off"));
    m_maxTokens = new QSpinBox(chat);
    m_maxTokens->setObjectName(QStringLiteral("maxTokens"));
    m_maxTokens->setRange(1, 1 << 20);
    m_maxTokens->setSingleStep(256);
    m_maxTokens->setToolTip(tr("The longest answer, in tokens"));
    m_systemPrompt = new QPlainTextEdit(chat);
    m_systemPrompt->setObjectName(QStringLiteral("systemPrompt"));
    m_systemPrompt->setPlaceholderText(tr("None: the model's own default"));
    m_systemPrompt->setTabChangesFocus(true);
    m_systemPrompt->setMaximumHeight(100);
    auto* chatForm = new QFormLayout(chat);
    chatForm->addRow(tr("&Temperature:"), m_temperature);
    chatForm->addRow(tr("Top-&p:"), m_topP);
    chatForm->addRow(tr("Top-&k:"), m_topK);
    chatForm->addRow(tr("&Max tokens per answer:"), m_maxTokens);
    chatForm->addRow(tr("&System prompt:"), m_systemPrompt);

    auto* models = new QGroupBox(tr("Models"), this);
    m_modelsFolder = new QLineEdit(models);
    m_modelsFolder->setObjectName(QStringLiteral("modelsFolder"));
    auto* browse = new QPushButton(tr("&Browse…"), models);
    browse->setObjectName(QStringLiteral("browseModelsFolder"));
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(m_modelsFolder, 1);
    folderRow->addWidget(browse);
    auto* modelsForm = new QFormLayout(models);
    modelsForm->addRow(tr("Models &folder:"), folderRow);

    auto* appearance = new QGroupBox(tr("Appearance"), this);
    m_language = new QComboBox(appearance);
    m_language->setObjectName(QStringLiteral("language"));
    m_language->addItem(tr("System language"), QString());
    // Each language is named in itself, so it can be found whatever language is showing now.
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("简体中文"), QStringLiteral("zh_CN"));
    m_languageNote = new QLabel(tr("A new language applies the next time Hearth starts."), appearance);
    m_languageNote->setObjectName(QStringLiteral("languageNote"));
    m_languageNote->setEnabled(false);
    m_followSystemTheme = new QCheckBox(tr("Follow the system &theme"), appearance);
    m_followSystemTheme->setObjectName(QStringLiteral("followSystemTheme"));
    m_followSystemTheme->setToolTip(tr("Use the desktop's style and colours; applies at once"));
    m_theme = new QComboBox(appearance);
    m_theme->setObjectName(QStringLiteral("theme"));
    m_theme->addItem(tr("Light"), QStringLiteral("light"));
    m_theme->addItem(tr("Dark"), QStringLiteral("dark"));
    auto* appearanceForm = new QFormLayout(appearance);
    appearanceForm->addRow(tr("&Language:"), m_language);
    appearanceForm->addRow(QString(), m_languageNote);
    appearanceForm->addRow(QString(), m_followSystemTheme);
    appearanceForm->addRow(tr("Theme &otherwise:"), m_theme);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(chat);
    layout->addWidget(models);
    layout->addWidget(appearance);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(browse, &QPushButton::clicked, this, &SettingsDialog::chooseModelsFolder);
    connect(m_followSystemTheme, &QCheckBox::toggled, m_theme, [this](bool follow) { m_theme->setEnabled(!follow); });

    setValues(AppSettings::read(m_settings));
}

AppSettings SettingsDialog::values() const
{
    AppSettings s;
    s.temperature = m_temperature->value();
    s.topP = m_topP->value();
    s.topK = m_topK->value();
    s.maxTokens = m_maxTokens->value();
    s.systemPrompt = m_systemPrompt->toPlainText();
    s.modelsFolder = m_modelsFolder->text().trimmed();
    s.language = m_language->currentData().toString();
    s.followSystemTheme = m_followSystemTheme->isChecked();
    s.theme = m_theme->currentData().toString();
    return s;
}

void SettingsDialog::setValues(const AppSettings& s)
{
    m_temperature->setValue(s.temperature);
    m_topP->setValue(s.topP);
    m_topK->setValue(s.topK);
    m_maxTokens->setValue(int(std::min<qint64>(s.maxTokens, m_maxTokens->maximum())));
    m_systemPrompt->setPlainText(s.systemPrompt);
    m_modelsFolder->setText(s.modelsFolder);
    const int language = m_language->findData(s.language);
    m_language->setCurrentIndex(language < 0 ? 0 : language);
    m_followSystemTheme->setChecked(s.followSystemTheme);
    const int theme = m_theme->findData(s.theme);
    m_theme->setCurrentIndex(theme < 0 ? 0 : theme);
    m_theme->setEnabled(!s.followSystemTheme);
}

void SettingsDialog::accept()
{
    AppSettings s = values();
    if (s.modelsFolder.isEmpty())
        s.modelsFolder = AppSettings::defaultModelsFolder();
    s.write(m_settings);
    applyTheme(s);
    QDialog::accept();
}

void SettingsDialog::chooseModelsFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Models Folder"), m_modelsFolder->text());
    if (!folder.isEmpty())
        m_modelsFolder->setText(QDir::toNativeSeparators(folder));
}
