#include "model_inspector.h"

#include <exception>

#include "filesystem_path.h"

ModelInspector::ModelInspector(InspectFunction inspect, QObject* parent)
    : QObject(parent)
    , m_inspect(std::move(inspect))
{
}

void ModelInspector::inspect(quint64 requestId, const QString& path)
{
    // The engine reports file problems as values; anything thrown (out of memory) is turned into one too,
    // because an exception must never travel into the GUI thread.
    try {
        hearth::Result<hearth::ModelInfo> result = m_inspect(toFilesystemPath(path));
        if (!result) {
            emit failed(requestId, path, QString::fromStdString(result.error().message));
            return;
        }
        emit inspected(requestId, std::make_shared<const hearth::ModelInfo>(std::move(result).value()));
    } catch (const std::exception& error) {
        emit failed(requestId, path, QStringLiteral("%1: %2").arg(path, QString::fromLocal8Bit(error.what())));
    }
}
