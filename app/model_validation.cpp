#include "model_validation.h"

#include <QCollator>
#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <algorithm>
#include <exception>

#include "filesystem_path.h"
#include "finding_display.h"

namespace {

bool isMemoryRefusal(const std::string& code)
{
    return code == "weights-exceed-memory" || code == "kv-exceeds-memory";
}

}  // namespace

QStringList findModels(const QString& folder)
{
    QDir dir(folder);
    QStringList models;
    const QFileInfoList entries =
        dir.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Readable, QDir::NoSort);
    for (const QFileInfo& entry : entries) {
        // QFileInfo follows symbolic links for isFile()/isDir(): an imported model is what it points to.
        if (entry.isFile() && entry.suffix().compare(QLatin1String("gguf"), Qt::CaseInsensitive) == 0)
            models << entry.absoluteFilePath();
        else if (entry.isDir() && QFileInfo::exists(entry.absoluteFilePath() + QStringLiteral("/config.json")))
            models << entry.absoluteFilePath();
    }
    QCollator collator;
    collator.setNumericMode(true);
    collator.setCaseSensitivity(Qt::CaseInsensitive);
    std::sort(models.begin(), models.end(),
              [&](const QString& a, const QString& b) { return collator.compare(QFileInfo(a).fileName(), QFileInfo(b).fileName()) < 0; });
    return models;
}

ModelValidator::ModelValidator(InspectFunction inspect, QObject* parent)
    : QObject(parent)
    , m_inspect(std::move(inspect))
{
    qRegisterMetaType<ModelCheck>();
}

ModelCheck ModelValidator::check(const QString& path, const hearth::HardwareInfo& hardware, bool simulated) const
{
    ModelCheck out;
    out.path = QFileInfo(path).absoluteFilePath();
    // The engine reports file problems as values; anything thrown (out of memory) becomes one too, because
    // an exception must never travel into the GUI thread.
    try {
        hearth::Result<hearth::ModelInfo> info = m_inspect(toFilesystemPath(out.path));
        if (!info) {
            out.error = QString::fromStdString(info.error().message);
            out.fit = ModelFit::unusable;
            out.fitReason = out.error;
            return out;
        }
        out.info = std::make_shared<const hearth::ModelInfo>(std::move(info).value());
        hearth::LoadOptions options;
        options.simulated = simulated;
        out.plan = std::make_shared<const hearth::LoadPlan>(hearth::plan(*out.info, hardware, options));
    } catch (const std::exception& error) {
        out.info.reset();
        out.error = QStringLiteral("%1: %2").arg(out.path, QString::fromLocal8Bit(error.what()));
        out.fit = ModelFit::unusable;
        out.fitReason = out.error;
        return out;
    }

    const hearth::LoadPlan& plan = *out.plan;
    if (plan.refused()) {
        QStringList reasons;
        bool memoryOnly = true;
        for (const hearth::Finding& finding : plan.findings) {
            if (finding.severity != hearth::Severity::refusal)
                continue;
            memoryOnly = memoryOnly && isMemoryRefusal(finding.code);
            reasons << FindingDisplay::message(finding);
        }
        out.fit = memoryOnly ? ModelFit::tooLarge : ModelFit::unusable;
        out.fitReason = reasons.join(QLatin1Char('\n'));
        return out;
    }
    const QString device = QString::fromStdString(plan.device_name.empty() ? plan.device : plan.device_name);
    if (plan.device != "cpu") {
        out.fit = ModelFit::gpu;
        out.fitReason = tr("Runs on the %1: it needs about %2 of the %3 available.")
                            .arg(device, QLocale().formattedDataSize(qint64(plan.memory.total)),
                                 QLocale().formattedDataSize(qint64(plan.memory.budget)));
        return out;
    }
    out.fit = ModelFit::cpuOnly;
    if (const hearth::Finding* fallback = plan.find("cpu-fallback"))
        out.fitReason = FindingDisplay::message(*fallback);
    else if (hardware.gpus.empty())
        out.fitReason = tr("Runs on the CPU: this machine has no usable NVIDIA GPU (%1).")
                            .arg(QString::fromStdString(hardware.gpu_status));
    else
        out.fitReason = tr("Runs on the CPU.");
    return out;
}

void ModelValidator::validate(quint64 requestId, const QString& path, const hearth::HardwareInfo& hardware,
                              bool simulated)
{
    emit validated(requestId, check(path, hardware, simulated));
}

void ModelValidator::scan(quint64 scanId, const QString& folder, const hearth::HardwareInfo& hardware, bool simulated)
{
    const QStringList paths = findModels(folder);
    emit listed(scanId, paths);
    for (const QString& path : paths)
        emit checked(scanId, check(path, hardware, simulated));
    emit scanFinished(scanId);
}
