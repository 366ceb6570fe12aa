#pragma once
// Help ▸ About Hearth: the version and what this computer offers (CPU, RAM, GPUs or why there are none).
// The hardware arrives later than the dialog may open (probing runs on the worker thread at start-up), so
// the dialog says "Detecting hardware…" until setHardware() is called.

#include <QDialog>

#include "hearth/hardware.h"

class QLabel;

class AboutDialog final : public QDialog {
    Q_OBJECT

public:
    explicit AboutDialog(QWidget* parent = nullptr);

    void setHardware(const hearth::HardwareInfo& hardware);

    // The hardware as lines of plain text, for the dialog and for bug reports.
    static QString describeHardware(const hearth::HardwareInfo& hardware);

private:
    void copyToClipboard() const;

    QLabel* m_versionLabel = nullptr;
    QLabel* m_hardwareLabel = nullptr;
};
