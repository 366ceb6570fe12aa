#pragma once
// The load-options dialog (the precision dialog): weight dtype, KV cache dtype, context length and device
// for one model, with the planner's answer for this machine shown live. Each choice says whether the
// hardware supports it (unsupported ones are disabled with the reason); the plan's findings (code, message,
// suggestion, copyable), a summary and a memory bar follow every change. For FP8 KV caches "Measure
// quality" runs the KV quality measurement on the loaded model through the EngineController (loading this
// model first if another one, or none, is loaded), with progress and cancel, and says what it found.
//
// Load emits loadRequested() with exactly the plan on screen and closes the dialog.
//
// NOTE: the dialog plans on the GUI thread: plan() works on the ModelInfo already read (no file access, as
// scan_fp16_range stays off), a few milliseconds even for large models, so options answer at once.

#include <QDialog>
#include <QMap>
#include <memory>
#include <optional>

#include "hearth/hardware.h"
#include "hearth/plan.h"

Q_DECLARE_METATYPE(std::shared_ptr<const hearth::LoadPlan>)

class EngineController;
class MemoryBar;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QVBoxLayout;
class QWidget;
struct KvQualityResult;
struct LoadedModel;

class LoadOptionsDialog final : public QDialog {
    Q_OBJECT

public:
    LoadOptionsDialog(std::shared_ptr<const hearth::ModelInfo> model, const hearth::HardwareInfo& hardware,
                      bool simulated, EngineController& engine, QWidget* parent = nullptr);
    ~LoadOptionsDialog() override;

    const hearth::LoadOptions& options() const { return m_options; }
    const hearth::LoadPlan& plan() const { return *m_plan; }
    const hearth::ModelInfo& model() const { return *m_model; }

    // Sets a choice by its option word ("bf16", "fp8-e4m3", "cuda:0"), as the user would; false when the
    // word is not offered or is disabled on this hardware.
    bool choose(const QString& field, const QString& word);

    // The words for a measurement, e.g. "next-token distributions differ by 0.004 nats on average — no
    // visible effect expected".
    static QString describeQuality(const hearth::KvQualityReport& report);

signals:
    // The user chose Load (the dialog closes), or Measure quality needs this model loaded first.
    void loadRequested(std::shared_ptr<const hearth::LoadPlan> plan);

private:
    void buildUi();
    void readOptions();
    void replan();
    void updateChoiceSupport();
    void showFindings();
    void updateQualitySection();
    void startMeasurement();
    void measureLoadedModel();
    void onLoaded(const LoadedModel& model);
    void onLoadFailed(const QString& path, const QString& message, bool cancelled);
    void onQualityProgress(quint64 key, double fraction);
    void onQualityMeasured(quint64 key, const KvQualityResult& result);
    void copyFindings();
    bool modelIsLoaded() const;
    hearth::TensorType chosenKvType() const;
    // Why `options` cannot be planned on this hardware because of one choice in it; empty when it can.
    QString unsupportedReason(const hearth::LoadOptions& options) const;

    std::shared_ptr<const hearth::ModelInfo> m_model;
    hearth::HardwareInfo m_hardware;
    bool m_simulated = false;
    EngineController& m_engine;
    hearth::LoadOptions m_options;
    std::shared_ptr<const hearth::LoadPlan> m_plan;
    QMap<int, hearth::KvQualityReport> m_quality;  // by TensorType of the candidate, for this model

    QComboBox* m_weights = nullptr;
    QComboBox* m_kv = nullptr;
    QSpinBox* m_context = nullptr;
    QComboBox* m_device = nullptr;
    QLabel* m_weightsSupport = nullptr;
    QLabel* m_kvSupport = nullptr;
    QLabel* m_deviceSupport = nullptr;
    QLabel* m_summary = nullptr;
    MemoryBar* m_memory = nullptr;
    QWidget* m_findingsBox = nullptr;
    QVBoxLayout* m_findingsLayout = nullptr;
    QWidget* m_qualityBox = nullptr;
    QPushButton* m_measureButton = nullptr;
    QPushButton* m_cancelMeasureButton = nullptr;
    QProgressBar* m_measureProgress = nullptr;
    QLabel* m_qualityResult = nullptr;
    QPushButton* m_loadButton = nullptr;

    bool m_updating = false;           // choices being refilled: their signals are not the user's
    bool m_waitingForLoad = false;     // Measure quality asked for this model to be loaded first
    std::optional<quint64> m_measureKey;
    hearth::TensorType m_measuring = hearth::TensorType::F8_E4M3;
};
