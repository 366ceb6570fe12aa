#pragma once
// Runs hearth::probe() on a worker thread: loading the CUDA driver and querying devices can take a moment
// (or longer on a machine with a busy GPU), and the window must appear at once.

#include <QObject>
#include <functional>

#include "hearth/hardware.h"

class HardwareProber final : public QObject {
    Q_OBJECT

public:
    using ProbeFunction = std::function<hearth::HardwareInfo()>;

    explicit HardwareProber(ProbeFunction probe, QObject* parent = nullptr);

    // Runs on the worker thread; emits probed().
    void probe();

signals:
    void probed(const hearth::HardwareInfo& hardware);

private:
    ProbeFunction m_probe;
};
