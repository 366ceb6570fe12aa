#include "translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

QString translationFileFor(const QLocale& locale)
{
    // NOTE: every Chinese locale gets the Simplified Chinese translation, Traditional ones included: it is
    // closer for those readers than the English source text.
    if (locale.language() == QLocale::Chinese)
        return QStringLiteral(":/i18n/hearth_zh_CN.qm");
    return {};
}

bool installTranslations(const QLocale& locale, QTranslator& hearthTranslator, QTranslator& qtTranslator)
{
    const QString file = translationFileFor(locale);
    if (file.isEmpty())
        return false;
    if (qtTranslator.load(QLocale(QLocale::Chinese, QLocale::China), QStringLiteral("qtbase"), QStringLiteral("_"),
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(&qtTranslator);
    return hearthTranslator.load(file) && QCoreApplication::installTranslator(&hearthTranslator);
}
