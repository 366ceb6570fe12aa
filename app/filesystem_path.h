#pragma once
// Conversions between QString paths and std::filesystem::path, the engine's path type. On Unix a file name
// is bytes, so the conversion goes through QFile::encodeName (the same bytes Qt itself would open) rather
// than through UTF-8, which would break names that are not valid UTF-8.

#include <QFile>
#include <QString>
#include <filesystem>

inline std::filesystem::path toFilesystemPath(const QString& path)
{
#ifdef Q_OS_WIN
    return std::filesystem::path(path.toStdWString());
#else
    return std::filesystem::path(QFile::encodeName(path).toStdString());
#endif
}

inline QString fromFilesystemPath(const std::filesystem::path& path)
{
#ifdef Q_OS_WIN
    return QString::fromStdWString(path.wstring());
#else
    return QFile::decodeName(QByteArray::fromStdString(path.string()));
#endif
}
