#include "engine_worker.h"

#include <QFileInfo>
#include <QMutexLocker>
#include <QThread>
#include <algorithm>
#include <spdlog/spdlog.h>

#include "hearth/plan.h"

#include "filesystem_path.h"

namespace {

GenerationEnd endOf(hearth::FinishReason reason)
{
    switch (reason) {
    case hearth::FinishReason::stop: return GenerationEnd::stop;
    case hearth::FinishReason::length: return GenerationEnd::length;
    case hearth::FinishReason::cancelled: return GenerationEnd::cancelled;
    case hearth::FinishReason::error: return GenerationEnd::error;
    }
    return GenerationEnd::error;
}

GenerationStats statsOf(const hearth::RequestStats& s)
{
    GenerationStats out;
    out.promptTokens = s.prompt_tokens;
    out.cachedPromptTokens = s.cached_prompt_tokens;
    out.generatedTokens = s.generated_tokens;
    out.timeToFirstToken = s.time_to_first_token;
    // The first token comes out of prefill; decode_seconds covers the ones after it.
    out.tokensPerSecond = s.decode_seconds > 0.0 && s.generated_tokens > 1
                              ? double(s.generated_tokens - 1) / s.decode_seconds
                              : 0.0;
    return out;
}

}  // namespace

EngineWorker::EngineWorker(const std::atomic<bool>* cancelLoad, const std::atomic<bool>* cancelMeasure,
                           QObject* parent)
    : QObject(parent)
    , m_cancelLoad(cancelLoad)
    , m_cancelMeasure(cancelMeasure)
    , m_flushTimer(this)
    , m_usageTimer(this)
{
    m_flushTimer.setInterval(kFlushIntervalMs);
    m_usageTimer.setInterval(kUsageIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &EngineWorker::flush);
    connect(&m_usageTimer, &QTimer::timeout, this, &EngineWorker::reportUsage);
}

EngineWorker::~EngineWorker()
{
    // The engine's thread stops here; its callbacks (which use this object) end with it.
    m_engine.reset();
}

void EngineWorker::load(const LoadRequest& request)
{
    unload();
    hearth::LoadPlan plan;
    if (request.plan) {
        plan = *request.plan;
    } else {
        auto info = hearth::inspect(toFilesystemPath(request.path));
        if (!info) {
            emit loadFailed(request.path, QString::fromStdString(info.error().message), false);
            return;
        }
        plan.model = std::move(info).value();
        plan.threads = request.threads;
        plan.context_length = request.contextLength;
        plan.kv_cache_type = request.kvCacheType;
    }

    // Progress is reported at most every percent, so a fast load does not flood the GUI's event queue.
    int lastPercent = -1;
    auto progress = [this, &lastPercent](double fraction) {
        const int percent = int(fraction * 100.0);
        if (percent != lastPercent) {
            lastPercent = percent;
            emit loadProgress(fraction);
        }
        return !m_cancelLoad->load();
    };
    spdlog::info("loading {}", plan.model.path.string());
    auto engine = hearth::Engine::load(plan, progress, m_cancelLoad);
    if (!engine) {
        const bool cancelled = m_cancelLoad->load();
        spdlog::log(cancelled ? spdlog::level::info : spdlog::level::warn, "load of {} {}: {}",
                    plan.model.path.string(), cancelled ? "cancelled" : "failed", engine.error().message);
        emit loadFailed(request.path, QString::fromStdString(engine.error().message), cancelled);
        return;
    }
    m_engine = std::move(engine).value();

    LoadedModel model;
    model.path = fromFilesystemPath(plan.model.path);
    model.name = QFileInfo(model.path).fileName();
    model.architecture = QString::fromStdString(plan.model.architecture);
    model.device = QString::fromStdString(plan.device);
    model.deviceName = QString::fromStdString(plan.device_name);
    model.kvCacheType = QString::fromUtf8(hearth::name(plan.kv_cache_type).data(),
                                          qsizetype(hearth::name(plan.kv_cache_type).size()));
    model.contextLength = m_engine->context_length();
    m_flushTimer.start();
    m_usageTimer.start();
    emit loaded(model);
    reportUsage();
}

void EngineWorker::shutdown()
{
    m_flushTimer.stop();
    m_usageTimer.stop();
    m_engine.reset();
}

void EngineWorker::unload()
{
    if (!m_engine)
        return;
    // Requests still running end as cancelled; their last updates are flushed before `unloaded`.
    m_engine.reset();
    flush();
    m_running.clear();
    m_flushTimer.stop();
    m_usageTimer.stop();
    emit unloaded();
}

void EngineWorker::generate(quint64 key, const nlohmann::ordered_json& messages,
                            const hearth::SamplingParams& sampling, qint64 maxTokens)
{
    if (!m_engine) {
        emit finished(key, GenerationEnd::error, tr("No model is loaded."), {});
        return;
    }
    hearth::Request request;
    request.messages = messages;
    request.sampling = sampling;
    request.max_tokens = maxTokens;
    request.on_update = [this, key](const hearth::RequestUpdate& update) { onUpdate(key, update); };
    auto id = m_engine->submit(std::move(request));
    if (!id) {
        emit finished(key, GenerationEnd::error, QString::fromStdString(id.error().message), {});
        return;
    }
    m_running[key] = *id;
}

void EngineWorker::stop(quint64 key)
{
    const auto it = m_running.find(key);
    if (it != m_running.end() && m_engine)
        m_engine->cancel(it->second);
}

void EngineWorker::onUpdate(quint64 key, const hearth::RequestUpdate& update)
{
    bool done = false;
    {
        QMutexLocker lock(&m_mutex);
        Pending& p = m_pending[key];
        p.text += update.text;
        p.tokens += qint64(update.tokens.size());
        if (update.finish) {
            p.finish = update.finish;
            p.error = update.error;
            p.stats = update.stats;
            done = true;
        }
    }
    // The end of a request is passed on at once rather than at the next tick, so stop feels instant.
    if (done)
        QMetaObject::invokeMethod(this, &EngineWorker::flush, Qt::QueuedConnection);
}

void EngineWorker::flush()
{
    std::map<quint64, Pending> pending;
    {
        QMutexLocker lock(&m_mutex);
        pending.swap(m_pending);
    }
    for (auto& [key, p] : pending) {
        if (!p.text.empty() || p.tokens > 0)
            emit textArrived(key, QString::fromStdString(p.text), p.tokens);
        if (p.finish) {
            m_running.erase(key);
            emit finished(key, endOf(*p.finish), QString::fromStdString(p.error), statsOf(p.stats));
        }
    }
}

void EngineWorker::reportUsage()
{
    if (!m_engine)
        return;
    const hearth::EngineStats s = m_engine->stats();
    EngineUsage usage;
    usage.decodeTokensPerSecond = s.decode_tokens_per_s;
    usage.kvBlocksUsed = s.kv_blocks_used;
    usage.kvBlocksTotal = s.kv_blocks_total;
    usage.kvBlockSize = s.kv_block_size;
    usage.running = s.running;
    emit usageUpdated(usage);
}

void EngineWorker::measureKvQuality(quint64 key, const QList<hearth::TensorType>& candidates)
{
    KvQualityResult failure;
    if (!m_engine) {
        failure.error = tr("Load the model first: the quality is measured on the loaded model.");
        emit qualityMeasured(key, failure);
        return;
    }
    const hearth::Tokenizer* tokenizer = m_engine->model().tokenizer();
    if (!tokenizer) {
        failure.error = tr("The model has no tokenizer, so the calibration text cannot be read: %1")
                            .arg(QString::fromStdString(m_engine->model().tokenizer_problem()));
        emit qualityMeasured(key, failure);
        return;
    }
    const std::string_view text = hearth::calibration_text();
    std::vector<hearth::TokenId> tokens = tokenizer->encode(text);
    // A tiny model's context may be shorter than the calibration text; the measurement needs one context.
    const auto limit = std::size_t(std::max<std::int64_t>(2, m_engine->context_length()));
    if (tokens.size() > limit)
        tokens.resize(limit);

    // Both callbacks run on the engine's thread; signals cross to the GUI as queued calls. The last
    // percent reported is shared between calls of `progress` only, which the engine makes in order.
    auto lastPercent = std::make_shared<int>(-1);
    auto progress = [this, key, lastPercent](double fraction) {
        const int percent = int(fraction * 100.0);
        if (percent != *lastPercent) {
            *lastPercent = percent;
            emit qualityProgress(key, fraction);
        }
        return !(m_cancelMeasure && m_cancelMeasure->load());
    };
    auto done = [this, key](hearth::Result<std::vector<hearth::KvQualityReport>> result) {
        KvQualityResult out;
        if (result) {
            for (const hearth::KvQualityReport& report : result.value())
                out.reports << report;
        } else {
            out.error = QString::fromStdString(result.error().message);
            out.cancelled = m_cancelMeasure && m_cancelMeasure->load();
        }
        emit qualityMeasured(key, out);
    };
    spdlog::info("measuring the KV cache quality on {} calibration tokens", tokens.size());
    m_engine->measure_kv_quality(std::move(tokens), std::vector<hearth::TensorType>(candidates.begin(), candidates.end()),
                                 hearth::TensorType::F16, std::move(progress), std::move(done));
}
