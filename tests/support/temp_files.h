#pragma once
// Writing test inputs to disk: the readers under test map real files.
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <filesystem>
#include <string>
#include <vector>

namespace hearth::test {

inline std::filesystem::path write_file(const QTemporaryDir& dir, const QString& name, const std::vector<char>& bytes) {
    const QString path = dir.filePath(name);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
    file.write(bytes.data(), static_cast<qint64>(bytes.size()));
    return std::filesystem::path(path.toStdString());
}

inline std::filesystem::path write_text(const QTemporaryDir& dir, const QString& name, const std::string& text) {
    return write_file(dir, name, std::vector<char>(text.begin(), text.end()));
}

}  // namespace hearth::test
