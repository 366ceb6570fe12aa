#include "about_dialog.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QStringList>
#include <QVBoxLayout>

#include "display_format.h"
#include "hearth/version.h"

namespace {

QString text(std::string_view value)
{
    return QString::fromUtf8(value.data(), static_cast<qsizetype>(value.size()));
}

QString cpuFeatures(const hearth::CpuInfo& cpu)
{
    QStringList features;
    if (cpu.avx2)
        features << QStringLiteral("AVX2");
    if (cpu.avx512f)
        features << QStringLiteral("AVX-512F");
    if (cpu.fma)
        features << QStringLiteral("FMA");
    if (cpu.f16c)
        features << QStringLiteral("F16C");
    if (cpu.neon)
        features << QStringLiteral("NEON");
    return features.join(QStringLiteral(" · "));
}

}  // namespace

AboutDialog::AboutDialog(QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("About Hearth"));

    auto* icon = new QLabel(this);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/hearth.svg")).pixmap(64, 64));
    icon->setAlignment(Qt::AlignTop);

    auto* name = new QLabel(tr("Hearth"), this);
    QFont nameFont = name->font();
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.6);
    nameFont.setBold(true);
    name->setFont(nameFont);

    m_versionLabel = new QLabel(tr("Version %1").arg(text(hearth::version_with_commit())), this);
    m_versionLabel->setObjectName(QStringLiteral("versionLabel"));
    m_versionLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* tagline = new QLabel(tr("Chat with large language models on your own computer."), this);
    tagline->setWordWrap(true);

    auto* heading = new QVBoxLayout;
    heading->addWidget(name);
    heading->addWidget(m_versionLabel);
    heading->addWidget(tagline);
    auto* top = new QHBoxLayout;
    top->addWidget(icon);
    top->addSpacing(12);
    top->addLayout(heading, 1);

    auto* hardwareBox = new QGroupBox(tr("This computer"), this);
    m_hardwareLabel = new QLabel(tr("Detecting hardware…"), hardwareBox);
    m_hardwareLabel->setObjectName(QStringLiteral("hardwareLabel"));
    m_hardwareLabel->setTextFormat(Qt::PlainText);
    m_hardwareLabel->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_hardwareLabel->setWordWrap(true);
    auto* hardwareLayout = new QVBoxLayout(hardwareBox);
    hardwareLayout->addWidget(m_hardwareLabel);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* copy = buttons->addButton(tr("Copy to Clipboard"), QDialogButtonBox::ActionRole);
    connect(copy, &QPushButton::clicked, this, &AboutDialog::copyToClipboard);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addSpacing(8);
    layout->addWidget(hardwareBox);
    layout->addWidget(buttons);
    setMinimumWidth(480);
}

void AboutDialog::setHardware(const hearth::HardwareInfo& hardware)
{
    m_hardwareLabel->setText(describeHardware(hardware));
}

QString AboutDialog::describeHardware(const hearth::HardwareInfo& hardware)
{
    QStringList lines;
    const hearth::CpuInfo& cpu = hardware.cpu;
    lines << tr("CPU: %1").arg(cpu.name.empty() ? tr("unknown CPU") : text(cpu.name));
    if (cpu.logical_cores > 0)
        lines << tr("CPU threads: %1").arg(cpu.logical_cores);
    const QString features = cpuFeatures(cpu);
    lines << tr("CPU features: %1").arg(features.isEmpty() ? tr("none that Hearth uses") : features);

    QString ram = DisplayFormat::byteSize(hardware.ram_total);
    if (hardware.ram_available > 0)
        ram = tr("%1 (%2 available)").arg(ram, DisplayFormat::byteSize(hardware.ram_available));
    lines << tr("Memory: %1").arg(ram);

    if (hardware.gpus.empty()) {
        const QString why = hardware.gpu_status.empty() ? tr("no usable NVIDIA GPU") : text(hardware.gpu_status);
        lines << tr("GPU: none (%1)").arg(why);
        return lines.join(QLatin1Char('\n'));
    }
    for (const hearth::GpuDevice& gpu : hardware.gpus) {
        QString memory = DisplayFormat::byteSize(gpu.memory_total);
        if (gpu.memory_free > 0)
            memory = tr("%1 (%2 free)").arg(memory, DisplayFormat::byteSize(gpu.memory_free));
        QStringList details{tr("compute capability %1.%2").arg(gpu.cc_major).arg(gpu.cc_minor), memory};
        if (gpu.bf16)
            details << QStringLiteral("BF16");
        if (gpu.fp8_tensor_cores)
            details << tr("FP8 tensor cores");
        lines << tr("GPU %1: %2").arg(gpu.index).arg(text(gpu.name));
        lines << QStringLiteral("    ") + details.join(QStringLiteral(" · "));
    }
    if (!hardware.gpu_status.empty())
        lines << tr("Driver: %1").arg(text(hardware.gpu_status));
    return lines.join(QLatin1Char('\n'));
}

void AboutDialog::copyToClipboard() const
{
    QGuiApplication::clipboard()->setText(tr("Hearth %1").arg(text(hearth::version_with_commit())) +
                                          QLatin1Char('\n') + m_hardwareLabel->text());
}
