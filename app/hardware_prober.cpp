#include "hardware_prober.h"

#include <exception>

HardwareProber::HardwareProber(ProbeFunction probe, QObject* parent)
    : QObject(parent)
    , m_probe(std::move(probe))
{
}

void HardwareProber::probe()
{
    // probe() is documented never to fail; should it throw anyway, the app still learns that probing ended.
    try {
        emit probed(m_probe());
    } catch (const std::exception& error) {
        hearth::HardwareInfo unknown;
        unknown.gpu_status = error.what();
        emit probed(unknown);
    }
}
