#pragma once
// Hearth's and Qt's translations for one locale, installed for the lifetime of the object, so a test that
// switches the language cannot leave it switched for the tests after it.
#include <QCoreApplication>
#include <QLocale>
#include <QTranslator>

#include "translations.h"

class ScopedTranslations {
public:
    explicit ScopedTranslations(const QLocale& locale) : m_installed(installTranslations(locale, m_hearth, m_qt)) {}
    ~ScopedTranslations()
    {
        QCoreApplication::removeTranslator(&m_hearth);
        QCoreApplication::removeTranslator(&m_qt);
    }
    ScopedTranslations(const ScopedTranslations&) = delete;
    ScopedTranslations& operator=(const ScopedTranslations&) = delete;

    bool installed() const { return m_installed; }

private:
    QTranslator m_hearth;
    QTranslator m_qt;
    bool m_installed;
};
