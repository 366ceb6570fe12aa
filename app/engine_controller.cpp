#include "engine_controller.h"

EngineController::EngineController(QObject* parent)
    : QObject(parent)
    , m_worker(std::make_unique<EngineWorker>(&m_cancelLoad, &m_cancelMeasure))
{
    qRegisterMetaType<LoadedModel>();
    qRegisterMetaType<GenerationStats>();
    qRegisterMetaType<EngineUsage>();
    qRegisterMetaType<GenerationEnd>();
    qRegisterMetaType<KvQualityResult>();

    m_thread.setObjectName(QStringLiteral("hearth-engine-worker"));
    m_worker->moveToThread(&m_thread);
    EngineWorker* worker = m_worker.get();
    connect(worker, &EngineWorker::loadProgress, this, &EngineController::loadProgress, Qt::QueuedConnection);
    connect(worker, &EngineWorker::loaded, this, [this](const LoadedModel& model) {
        if (m_cancelledWhileLoading) {
            // Cancel was pressed while the window showed "loading", but the worker finished first: the user
            // asked for no model, so this one is unloaded again and the load reads as cancelled.
            m_cancelledWhileLoading = false;
            QMetaObject::invokeMethod(m_worker.get(), [worker = m_worker.get()] { worker->unload(); },
                                      Qt::QueuedConnection);
            m_model.reset();
            setState(State::empty);
            emit loadFailed(model.path, tr("loading was cancelled"), true);
            return;
        }
        m_model = model;
        setState(State::ready);
        emit loaded(model);
    }, Qt::QueuedConnection);
    connect(worker, &EngineWorker::loadFailed, this, [this](const QString& path, const QString& message, bool cancelled) {
        m_cancelledWhileLoading = false;
        m_model.reset();
        setState(State::empty);
        emit loadFailed(path, message, cancelled);
    }, Qt::QueuedConnection);
    connect(worker, &EngineWorker::unloaded, this, [this] {
        // A load queued behind the unload keeps the loading state.
        if (m_state == State::ready) {
            m_model.reset();
            setState(State::empty);
        }
    }, Qt::QueuedConnection);
    connect(worker, &EngineWorker::textArrived, this, &EngineController::textArrived, Qt::QueuedConnection);
    connect(worker, &EngineWorker::finished, this, &EngineController::finished, Qt::QueuedConnection);
    connect(worker, &EngineWorker::usageUpdated, this, &EngineController::usageUpdated, Qt::QueuedConnection);
    // Emitted on the engine's own thread: queued here to the GUI thread.
    connect(worker, &EngineWorker::qualityProgress, this, &EngineController::qualityProgress, Qt::QueuedConnection);
    connect(worker, &EngineWorker::qualityMeasured, this, &EngineController::qualityMeasured, Qt::QueuedConnection);
    // Timers must stop on their own thread: the worker thread's last act is the worker's shutdown.
    connect(&m_thread, &QThread::finished, worker, &EngineWorker::shutdown, Qt::DirectConnection);
    m_thread.start();
}

EngineController::~EngineController()
{
    m_cancelLoad = true;
    m_cancelMeasure = true;
    m_thread.quit();
    m_thread.wait();
    m_worker.reset();
}

void EngineController::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void EngineController::load(const LoadRequest& request)
{
    m_cancelLoad = false;
    m_cancelledWhileLoading = false;
    m_model.reset();
    setState(State::loading);
    QMetaObject::invokeMethod(m_worker.get(), [worker = m_worker.get(), request] { worker->load(request); },
                              Qt::QueuedConnection);
}

void EngineController::cancelLoad()
{
    if (m_state == State::loading) {
        m_cancelLoad = true;
        m_cancelledWhileLoading = true;
    }
}

void EngineController::unload()
{
    cancelLoad();
    QMetaObject::invokeMethod(m_worker.get(), [worker = m_worker.get()] { worker->unload(); }, Qt::QueuedConnection);
}

quint64 EngineController::generate(const nlohmann::ordered_json& messages, const hearth::SamplingParams& sampling,
                                   qint64 maxTokens)
{
    const quint64 key = ++m_nextKey;
    QMetaObject::invokeMethod(
        m_worker.get(),
        [worker = m_worker.get(), key, messages, sampling, maxTokens] {
            worker->generate(key, messages, sampling, maxTokens);
        },
        Qt::QueuedConnection);
    return key;
}

void EngineController::stop(quint64 key)
{
    QMetaObject::invokeMethod(m_worker.get(), [worker = m_worker.get(), key] { worker->stop(key); },
                              Qt::QueuedConnection);
}

quint64 EngineController::measureKvQuality(const QList<hearth::TensorType>& candidates)
{
    const quint64 key = ++m_nextKey;
    m_cancelMeasure = false;
    QMetaObject::invokeMethod(
        m_worker.get(), [worker = m_worker.get(), key, candidates] { worker->measureKvQuality(key, candidates); },
        Qt::QueuedConnection);
    return key;
}

void EngineController::cancelMeasure()
{
    m_cancelMeasure = true;
}
