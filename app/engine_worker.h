#pragma once
// EngineWorker owns the hearth::Engine and lives on the EngineController's QThread. It is reached only
// through queued calls and answers only through signals, so the GUI thread never waits on the engine.
//
// Streaming: the engine calls back on its own thread; the worker keeps what arrives in a small buffer
// (under a mutex) and a timer on the worker thread flushes it every kFlushIntervalMs as one textArrived()
// per request. So the GUI gets a handful of updates a second however fast tokens come.

#include <QList>
#include <QMutex>
#include <QObject>
#include <QString>
#include <QTimer>
#include <atomic>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "hearth/engine.h"

// What the GUI asks for: a model to load, either with a plan the load-options dialog showed (`plan`; the
// fields below it are then ignored) or with the few plan fields the app sets by hand.
struct LoadRequest {
    QString path;
    std::shared_ptr<const hearth::LoadPlan> plan;
    int threads = 0;                      // 0 = every core
    qint64 contextLength = 0;             // 0 = the model's, capped at 4096
    hearth::TensorType kvCacheType = hearth::TensorType::F16;
};

// A loaded model as the status area shows it.
struct LoadedModel {
    QString path;
    QString name;          // file or folder name
    QString architecture;
    QString device;        // "cpu"
    QString deviceName;
    QString kvCacheType;   // "F16"
    qint64 contextLength = 0;
};

struct GenerationStats {
    qint64 promptTokens = 0;
    qint64 cachedPromptTokens = 0;
    qint64 generatedTokens = 0;
    double timeToFirstToken = 0.0;
    double tokensPerSecond = 0.0;  // generated tokens / decode seconds
};

struct EngineUsage {
    double decodeTokensPerSecond = 0.0;
    int kvBlocksUsed = 0;
    int kvBlocksTotal = 0;
    int kvBlockSize = 0;
    int running = 0;
};

enum class GenerationEnd { stop, length, cancelled, error };

// The answer to a KV quality measurement: one report per candidate type, or why there is none.
struct KvQualityResult {
    QList<hearth::KvQualityReport> reports;
    QString error;           // empty on success
    bool cancelled = false;
};

Q_DECLARE_METATYPE(LoadedModel)
Q_DECLARE_METATYPE(GenerationStats)
Q_DECLARE_METATYPE(EngineUsage)
Q_DECLARE_METATYPE(GenerationEnd)
Q_DECLARE_METATYPE(KvQualityResult)

class EngineWorker final : public QObject {
    Q_OBJECT

public:
    static constexpr int kFlushIntervalMs = 50;
    static constexpr int kUsageIntervalMs = 500;

    // `cancelLoad` and `cancelMeasure` are owned by the controller and set from the GUI thread; load() and
    // the quality measurement poll them.
    explicit EngineWorker(const std::atomic<bool>* cancelLoad, const std::atomic<bool>* cancelMeasure = nullptr,
                          QObject* parent = nullptr);
    ~EngineWorker() override;

    // Everything below runs on the worker thread (queued calls from EngineController).
    void load(const LoadRequest& request);
    void unload();
    // `key` is the controller's name for the request; the engine's own id stays here.
    void generate(quint64 key, const nlohmann::ordered_json& messages, const hearth::SamplingParams& sampling,
                  qint64 maxTokens);
    void stop(quint64 key);
    // Measures how the `candidates` KV cache types change the loaded model's predictions against an F16
    // cache, on the built-in calibration text (hearth::calibration_text()). Runs on the engine's thread
    // between steps; answers with qualityProgress() and one qualityMeasured() carrying `key`.
    void measureKvQuality(quint64 key, const QList<hearth::TensorType>& candidates);
    // The last call on the worker thread (as it finishes): stops the timers and the engine.
    void shutdown();

signals:
    void loadProgress(double fraction);
    void loaded(const LoadedModel& model);
    void loadFailed(const QString& path, const QString& message, bool cancelled);
    void unloaded();
    void textArrived(quint64 key, const QString& text, qint64 tokens);
    void finished(quint64 key, GenerationEnd end, const QString& error, const GenerationStats& stats);
    void usageUpdated(const EngineUsage& usage);
    void qualityProgress(quint64 key, double fraction);
    void qualityMeasured(quint64 key, const KvQualityResult& result);

private:
    struct Pending {
        std::string text;
        qint64 tokens = 0;
        std::optional<hearth::FinishReason> finish;
        std::string error;
        hearth::RequestStats stats;
    };

    void flush();
    void reportUsage();
    void onUpdate(quint64 key, const hearth::RequestUpdate& update);  // engine thread

    const std::atomic<bool>* m_cancelLoad;
    const std::atomic<bool>* m_cancelMeasure;
    std::unique_ptr<hearth::Engine> m_engine;
    QTimer m_flushTimer;
    QTimer m_usageTimer;
    std::map<quint64, hearth::RequestId> m_running;  // worker thread only

    QMutex m_mutex;  // guards m_pending (the engine thread writes, the worker thread flushes)
    std::map<quint64, Pending> m_pending;
};
