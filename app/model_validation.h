#pragma once
// Validation of a model before anything heavy happens: inspect (headers only) and plan it for this machine
// with the default options. The model manager uses it for every model in the models folder (the fit
// badge), the main window for a model that is dropped or imported.
//
// ModelValidator lives on the main window's worker thread (beside ModelInspector and HardwareProber) and
// is reached only through queued calls; it answers through signals. A bad file is an answer too: the
// reader's error, as a value.

#include <QList>
#include <QObject>
#include <QString>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

#include "hearth/hardware.h"
#include "hearth/model_info.h"
#include "hearth/plan.h"

// Where a model would run with the default options on this machine, as the manager's badge shows it.
enum class ModelFit {
    unknown,    // not validated yet
    gpu,        // the plan runs it on a GPU
    cpuOnly,    // the plan runs it on the CPU
    tooLarge,   // refused: it does not fit in memory
    unusable,   // refused for another reason (architecture, quantization, damaged file), or unreadable
};

struct ModelCheck {
    QString path;                                  // absolute
    std::shared_ptr<const hearth::ModelInfo> info; // null when the file could not be read
    std::shared_ptr<const hearth::LoadPlan> plan;  // the default plan; null when info is
    QString error;                                 // the reader's error when info is null
    ModelFit fit = ModelFit::unknown;
    QString fitReason;  // why, for a tooltip: the refusals, or where it runs and why there

    bool readable() const { return info != nullptr; }
};

Q_DECLARE_METATYPE(ModelCheck)

// The models a folder holds: every *.gguf file in it and every sub-folder with a config.json (a Hugging Face
// model), sorted by name. One level deep: a model folder's own files are not listed again. Symbolic links
// (imported models) count as what they point to.
QStringList findModels(const QString& folder);

class ModelValidator final : public QObject {
    Q_OBJECT

public:
    using InspectFunction = std::function<hearth::Result<hearth::ModelInfo>(const std::filesystem::path&)>;

    explicit ModelValidator(InspectFunction inspect, QObject* parent = nullptr);

    // Both run on the worker thread.
    // One model (a drop, an import): answers validated() with `requestId`.
    void validate(quint64 requestId, const QString& path, const hearth::HardwareInfo& hardware, bool simulated);
    // Every model in `folder`: listed() with the paths first (the list appears at once), then one checked()
    // per model as it is done, then scanFinished().
    void scan(quint64 scanId, const QString& folder, const hearth::HardwareInfo& hardware, bool simulated);

    // Inspects and plans one model (any thread). `simulated` marks `hardware` as a described profile.
    ModelCheck check(const QString& path, const hearth::HardwareInfo& hardware, bool simulated) const;

signals:
    void validated(quint64 requestId, const ModelCheck& check);
    void listed(quint64 scanId, const QStringList& paths);
    void checked(quint64 scanId, const ModelCheck& check);
    void scanFinished(quint64 scanId);

private:
    InspectFunction m_inspect;
};
