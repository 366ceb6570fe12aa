#pragma once
// Loads Hearth's translation for a locale (from the .qm files compiled into the app under :/i18n) and Qt's
// own (for standard dialogs and buttons). Simplified Chinese is the only translation so far.

#include <QLocale>
#include <QString>

class QTranslator;

// The resource path of Hearth's translation for `locale`, or an empty string when there is none.
QString translationFileFor(const QLocale& locale);

// Loads and installs both translators into the running QCoreApplication; they must outlive their use.
// Returns whether Hearth's own translation was installed.
bool installTranslations(const QLocale& locale, QTranslator& hearthTranslator, QTranslator& qtTranslator);
