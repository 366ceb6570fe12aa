#pragma once
// The GUI thread's handle on the engine: owns the worker QThread and the EngineWorker on it, forwards
// calls as queued invocations and the worker's signals as its own. Every call returns at once.
//
// Cancelling a load is an atomic flag the worker polls (a queued call would wait behind the load itself);
// stopping a generation is a queued call, which the worker takes at once because generation runs on the
// engine's own thread, never on the worker's.

#include <QObject>
#include <QThread>
#include <atomic>
#include <memory>
#include <optional>

#include "engine_worker.h"

class EngineController final : public QObject {
    Q_OBJECT

public:
    enum class State { empty, loading, ready };

    explicit EngineController(QObject* parent = nullptr);
    // Cancels a load in progress and stops the worker thread (the one wait on the GUI thread: a cancelled
    // load returns within a tensor, and the engine's destructor stops its thread within a step).
    ~EngineController() override;

    void load(const LoadRequest& request);
    void cancelLoad();
    void unload();
    // Returns the key that textArrived() and finished() will carry.
    quint64 generate(const nlohmann::ordered_json& messages, const hearth::SamplingParams& sampling,
                     qint64 maxTokens);
    void stop(quint64 key);
    // Measures the KV cache `candidates` against F16 on the loaded model (EngineWorker::measureKvQuality).
    // Returns the key qualityProgress() and qualityMeasured() will carry. One measurement at a time:
    // cancelMeasure() stops the one running (it answers with `cancelled` set).
    quint64 measureKvQuality(const QList<hearth::TensorType>& candidates);
    void cancelMeasure();

    State state() const { return m_state; }
    const std::optional<LoadedModel>& model() const { return m_model; }

signals:
    void stateChanged(EngineController::State state);
    void loadProgress(double fraction);
    void loaded(const LoadedModel& model);
    void loadFailed(const QString& path, const QString& message, bool cancelled);
    void textArrived(quint64 key, const QString& text, qint64 tokens);
    void finished(quint64 key, GenerationEnd end, const QString& error, const GenerationStats& stats);
    void usageUpdated(const EngineUsage& usage);
    void qualityProgress(quint64 key, double fraction);
    void qualityMeasured(quint64 key, const KvQualityResult& result);

private:
    void setState(State state);

    QThread m_thread;
    std::atomic<bool> m_cancelLoad{false};
    bool m_cancelledWhileLoading = false;  // GUI thread: Cancel pressed during the current load
    std::atomic<bool> m_cancelMeasure{false};
    std::unique_ptr<EngineWorker> m_worker;  // lives on m_thread; deleted after it has stopped
    State m_state = State::empty;
    std::optional<LoadedModel> m_model;
    quint64 m_nextKey = 0;
};
