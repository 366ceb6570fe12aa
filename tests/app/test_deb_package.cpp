// The Debian package: cpack builds it from this build folder into a temporary folder, dpkg-deb unpacks it
// into a scratch root, and the unpacked hearth and hearth-cli answer --version with no LD_LIBRARY_PATH and
// no RUNPATH into the build tree. Skipped only where cpack or dpkg-deb is missing.

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run run(const QString& program, const QStringList& arguments, const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment(),
        int timeoutMs = 40000)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    Run result;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        result.err = QStringLiteral("%1 did not finish: %2").arg(program, process.errorString());
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromLocal8Bit(process.readAllStandardOutput());
    result.err = QString::fromLocal8Bit(process.readAllStandardError());
    return result;
}

}  // namespace

class TestDebPackage final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void packageInstallsAndRuns();

private:
    QString m_dpkgDeb;
    QString m_readelf;
};

void TestDebPackage::initTestCase()
{
    if (!QFileInfo(QStringLiteral(HEARTH_CPACK)).isExecutable())
        QSKIP("cpack is not installed");
    m_dpkgDeb = QStandardPaths::findExecutable(QStringLiteral("dpkg-deb"));
    if (m_dpkgDeb.isEmpty())
        QSKIP("dpkg-deb is not installed");
    m_readelf = QStandardPaths::findExecutable(QStringLiteral("readelf"));
}

void TestDebPackage::packageInstallsAndRuns()
{
    QTemporaryDir work;
    QVERIFY(work.isValid());
    const QString out = work.filePath(QStringLiteral("out"));
    const Run cpack = run(QStringLiteral(HEARTH_CPACK),
                          {QStringLiteral("-G"), QStringLiteral("DEB"), QStringLiteral("-B"), out, QStringLiteral("--config"),
                           QStringLiteral(HEARTH_BINARY_DIR "/CPackConfig.cmake")});
    QVERIFY2(cpack.exitCode == 0, qPrintable(cpack.out + cpack.err));
    const QStringList debs = QDir(out).entryList({QStringLiteral("*.deb")}, QDir::Files);
    QCOMPARE(debs.size(), 1);
    const QString deb = QDir(out).filePath(debs.first());
    QVERIFY2(debs.first().startsWith(QLatin1String("hearth_")), qPrintable(debs.first()));

    const Run fields = run(m_dpkgDeb, {QStringLiteral("-f"), deb, QStringLiteral("Package"), QStringLiteral("Version"),
                                       QStringLiteral("Depends")});
    QCOMPARE(fields.exitCode, 0);
    QVERIFY2(fields.out.contains(QLatin1String("Package: hearth")), qPrintable(fields.out));
    QVERIFY2(fields.out.contains(QRegularExpression(QStringLiteral("Version: \\d+\\.\\d+\\.\\d+"))), qPrintable(fields.out));
    const QString depends = fields.out.section(QStringLiteral("Depends:"), 1);
    // The plugins Qt opens at run time are declared by hand; the rest follows the binaries' NEEDED entries.
    for (const char* package : {"libqt6sql6-sqlite", "libqt6svg6", "libqt6widgets6", "libqt6core6"})
        QVERIFY2(depends.contains(QLatin1String(package)), qPrintable(package + (QStringLiteral(" missing from: ") + depends)));

    const QString root = work.filePath(QStringLiteral("root"));
    const Run extract = run(m_dpkgDeb, {QStringLiteral("-x"), deb, root});
    QVERIFY2(extract.exitCode == 0, qPrintable(extract.err));
    for (const char* path : {"usr/bin/hearth", "usr/bin/hearth-cli", "usr/share/applications/hearth.desktop",
                             "usr/share/icons/hicolor/scalable/apps/hearth.svg"})
        QVERIFY2(QFileInfo::exists(root + QLatin1Char('/') + QLatin1String(path)), path);

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("LD_LIBRARY_PATH"));
    environment.remove(QStringLiteral("QT_PLUGIN_PATH"));
    for (const QString& name : {QStringLiteral("hearth"), QStringLiteral("hearth-cli")}) {
        const QString binary = root + QStringLiteral("/usr/bin/") + name;
        if (!m_readelf.isEmpty()) {
            const Run dynamic = run(m_readelf, {QStringLiteral("-d"), binary});
            QCOMPARE(dynamic.exitCode, 0);
            // No RPATH or RUNPATH at all: the build tree must not be where the libraries are found.
            QVERIFY2(!dynamic.out.contains(QLatin1String("RPATH")) && !dynamic.out.contains(QLatin1String("RUNPATH")),
                     qPrintable(dynamic.out));
            // Each library family the binary needs has its package declared.
            const QList<std::pair<QString, QString>> families{{QStringLiteral("libspdlog"), QStringLiteral("libspdlog")},
                                                              {QStringLiteral("libfmt"), QStringLiteral("libfmt")},
                                                              {QStringLiteral("libpcre2-8"), QStringLiteral("libpcre2-8")},
                                                              {QStringLiteral("libQt6Widgets"), QStringLiteral("libqt6widgets6")}};
            for (const auto& [library, package] : families)
                if (dynamic.out.contains(QStringLiteral("[%1.so").arg(library)))
                    QVERIFY2(depends.contains(package), qPrintable(name + QStringLiteral(" needs ") + library +
                                                                   QStringLiteral(" but Depends lacks it: ") + depends));
        }
        const Run version = run(binary, {QStringLiteral("--version")}, environment, 10000);
        QVERIFY2(version.exitCode == 0, qPrintable(name + QStringLiteral(": ") + version.err));
        QVERIFY2(version.out.contains(QRegularExpression(QStringLiteral("^%1 \\d+\\.\\d+\\.\\d+").arg(name))),
                 qPrintable(version.out));
    }
}

QTEST_GUILESS_MAIN(TestDebPackage)
#include "test_deb_package.moc"
