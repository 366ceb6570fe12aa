// probe() on whatever machine runs the tests (CI has no GPU: it must say so, not fail), and the
// capability flags derived from compute capability for the GPUs the planner's tests simulate.
#include <QtTest/QTest>

#include "hearth/hardware.h"

using namespace hearth;

class TestHardwareProbe : public QObject {
    Q_OBJECT

private slots:
    void probesThisMachine() {
        const HardwareInfo hw = probe();
        QVERIFY(!hw.cpu.name.empty());
        QVERIFY(hw.cpu.logical_cores >= 1);
        QVERIFY(hw.ram_total > (64ull << 20));
        QVERIFY(!hw.gpu_status.empty());
        const QString text = QString::fromStdString(describe(hw));
        QVERIFY(text.contains(QString::fromStdString(hw.cpu.name)));
        if (hw.gpus.empty()) {
            QVERIFY2(text.contains("GPU: none ("), qPrintable(text));
        } else {
            for (const auto& gpu : hw.gpus) {
                QVERIFY(!gpu.name.empty());
                QVERIFY(gpu.cc_major >= 3);
                QVERIFY(gpu.memory_total > 0);
            }
        }
        qInfo("%s", qPrintable(text));
    }

    void featuresFromComputeCapability_data() {
        QTest::addColumn<int>("major");
        QTest::addColumn<int>("minor");
        QTest::addColumn<bool>("bf16");
        QTest::addColumn<bool>("fp8");
        QTest::addColumn<bool>("dp4a");
        QTest::newRow("GTX 1080 (6.1)") << 6 << 1 << false << false << true;
        QTest::newRow("V100 (7.0)") << 7 << 0 << false << false << true;
        QTest::newRow("T4 (7.5)") << 7 << 5 << false << false << true;
        QTest::newRow("RTX 3090 (8.6)") << 8 << 6 << true << false << true;
        QTest::newRow("RTX 4090 (8.9)") << 8 << 9 << true << true << true;
        QTest::newRow("H100 (9.0)") << 9 << 0 << true << true << true;
        QTest::newRow("Maxwell (5.2)") << 5 << 2 << false << false << false;
    }
    void featuresFromComputeCapability() {
        QFETCH(int, major);
        QFETCH(int, minor);
        GpuDevice gpu;
        gpu.cc_major = major;
        gpu.cc_minor = minor;
        derive_gpu_features(gpu);
        QTEST(gpu.bf16, "bf16");
        QTEST(gpu.fp8_tensor_cores, "fp8");
        QTEST(gpu.int8_dp4a, "dp4a");
    }
};

QTEST_GUILESS_MAIN(TestHardwareProbe)
#include "test_hardware_probe.moc"
