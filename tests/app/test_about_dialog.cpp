// AboutDialog: the version, "Detecting hardware…" until the probe answers, and the hardware described for
// machines made by hand (no GPU, one H100, two GPUs).

#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QPushButton>
#include <QTest>

#include "about_dialog.h"
#include "hearth/version.h"

Q_DECLARE_METATYPE(hearth::HardwareInfo)

namespace {

constexpr std::uint64_t kGiB = 1ULL << 30;

hearth::HardwareInfo machineWithoutGpu()
{
    hearth::HardwareInfo hardware;
    hardware.cpu = {.name = "Test CPU 9000", .logical_cores = 8, .avx2 = true, .fma = true, .f16c = true};
    hardware.ram_total = 16 * kGiB;
    hardware.ram_available = 12 * kGiB;
    hardware.gpu_status = "no NVIDIA driver (libcuda.so.1 not found)";
    return hardware;
}

hearth::GpuDevice gpu(int index, std::string name, int major, int minor, std::uint64_t memory)
{
    hearth::GpuDevice device;
    device.index = index;
    device.name = std::move(name);
    device.cc_major = major;
    device.cc_minor = minor;
    device.memory_total = memory;
    hearth::derive_gpu_features(device);
    return device;
}

QLabel* hardwareLabel(const AboutDialog& dialog)
{
    return dialog.findChild<QLabel*>(QStringLiteral("hardwareLabel"));
}

}  // namespace

class TestAboutDialog final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }
    void showsVersion();
    void detectingUntilHardwareArrives();
    void describesHardware_data();
    void describesHardware();
    void copiesVersionAndHardware();
};

void TestAboutDialog::showsVersion()
{
    AboutDialog dialog;
    const auto* version = dialog.findChild<QLabel*>(QStringLiteral("versionLabel"));
    QVERIFY(version);
    QVERIFY(version->text().contains(QString::fromUtf8(hearth::version_with_commit().data(),
                                                       qsizetype(hearth::version_with_commit().size()))));
}

void TestAboutDialog::detectingUntilHardwareArrives()
{
    AboutDialog dialog;
    QLabel* label = hardwareLabel(dialog);
    QVERIFY(label);
    QCOMPARE(label->text(), QStringLiteral("Detecting hardware…"));
    dialog.setHardware(machineWithoutGpu());
    QVERIFY(label->text().startsWith(QStringLiteral("CPU: Test CPU 9000")));
}

void TestAboutDialog::describesHardware_data()
{
    QTest::addColumn<hearth::HardwareInfo>("hardware");
    QTest::addColumn<QStringList>("lines");  // every one must be a line of the description, in order

    const hearth::HardwareInfo noGpu = machineWithoutGpu();
    QTest::newRow("no GPU") << noGpu
                            << QStringList{"CPU: Test CPU 9000", "CPU threads: 8", "CPU features: AVX2 · FMA · F16C",
                                           "Memory: 16.0 GiB (12.0 GiB available)",
                                           "GPU: none (no NVIDIA driver (libcuda.so.1 not found))"};

    hearth::HardwareInfo h100 = noGpu;
    h100.gpus = {gpu(0, "NVIDIA H100 80GB HBM3", 9, 0, 80 * kGiB)};
    h100.gpus[0].memory_free = 79 * kGiB;
    h100.gpu_status = "NVIDIA driver 580.65.06, CUDA 13.0";
    QTest::newRow("H100") << h100
                          << QStringList{"GPU 0: NVIDIA H100 80GB HBM3",
                                         "    compute capability 9.0 · 80.0 GiB (79.0 GiB free) · BF16 · FP8 tensor cores",
                                         "Driver: NVIDIA driver 580.65.06, CUDA 13.0"};

    hearth::HardwareInfo two = noGpu;
    two.cpu = {.name = "", .logical_cores = 0};
    two.ram_available = 0;
    two.gpus = {gpu(0, "Tesla V100-SXM2-16GB", 7, 0, 16 * kGiB), gpu(1, "NVIDIA GeForce GTX 1080", 6, 1, 8 * kGiB)};
    two.gpu_status.clear();
    QTest::newRow("two older GPUs, unknown CPU")
        << two
        << QStringList{"CPU: unknown CPU", "CPU features: none that Hearth uses", "Memory: 16.0 GiB",
                       "GPU 0: Tesla V100-SXM2-16GB", "    compute capability 7.0 · 16.0 GiB",
                       "GPU 1: NVIDIA GeForce GTX 1080", "    compute capability 6.1 · 8.0 GiB"};
}

void TestAboutDialog::describesHardware()
{
    QFETCH(hearth::HardwareInfo, hardware);
    QFETCH(QStringList, lines);

    AboutDialog dialog;
    dialog.setHardware(hardware);
    const QStringList shown = hardwareLabel(dialog)->text().split(QLatin1Char('\n'));
    QCOMPARE(hardwareLabel(dialog)->text(), AboutDialog::describeHardware(hardware));
    qsizetype from = 0;
    for (const QString& line : lines) {
        const qsizetype at = shown.indexOf(line, from);
        QVERIFY2(at >= 0, qPrintable(QStringLiteral("missing line \"%1\" in:\n%2").arg(line, shown.join('\n'))));
        from = at + 1;
    }
}

void TestAboutDialog::copiesVersionAndHardware()
{
    AboutDialog dialog;
    dialog.setHardware(machineWithoutGpu());
    QPushButton* copy = nullptr;
    for (QPushButton* button : dialog.findChildren<QPushButton*>())
        if (button->text() == QStringLiteral("Copy to Clipboard"))
            copy = button;
    QVERIFY(copy);
    QGuiApplication::clipboard()->clear();
    copy->click();
    const QString copied = QGuiApplication::clipboard()->text();
    QVERIFY2(copied.startsWith(QStringLiteral("Hearth ")), qPrintable(copied));
    QVERIFY2(copied.contains(QStringLiteral("Test CPU 9000")), qPrintable(copied));
}

QTEST_MAIN(TestAboutDialog)
#include "test_about_dialog.moc"
