#pragma once
// Reads what a model file says about itself (hearth::inspect) on a worker thread, so a slow disk or a
// large sharded index never freezes the window. Lives on a QThread owned by MainWindow; it is called only
// through queued invocations and answers only through signals.

#include <QObject>
#include <QString>
#include <filesystem>
#include <functional>
#include <memory>

#include "hearth/model_info.h"

class ModelInspector final : public QObject {
    Q_OBJECT

public:
    using InspectFunction = std::function<hearth::Result<hearth::ModelInfo>(const std::filesystem::path&)>;

    explicit ModelInspector(InspectFunction inspect, QObject* parent = nullptr);

    // Runs on the worker thread; emits inspected() or failed() with the same request id.
    void inspect(quint64 requestId, const QString& path);

signals:
    void inspected(quint64 requestId, std::shared_ptr<const hearth::ModelInfo> info);
    void failed(quint64 requestId, const QString& path, const QString& message);

private:
    InspectFunction m_inspect;
};
