#pragma once
// A horizontal bar of how a plan uses its device's memory: weights, KV cache, the rest (workspace and
// runtime), and what stays free; past the budget the overflow is drawn red. The legend underneath names
// each part with its size.

#include <QWidget>
#include <cstdint>

class MemoryBar final : public QWidget {
    Q_OBJECT

public:
    explicit MemoryBar(QWidget* parent = nullptr);

    // Bytes. `budget` is what the device has for the model (free memory or available RAM).
    void setUsage(std::uint64_t weights, std::uint64_t kvCache, std::uint64_t other, std::uint64_t budget);

    std::uint64_t weights() const { return m_weights; }
    std::uint64_t kvCache() const { return m_kvCache; }
    std::uint64_t other() const { return m_other; }
    std::uint64_t budget() const { return m_budget; }
    // budget − (weights + KV cache + other); 0 when the plan does not fit.
    std::uint64_t freeBytes() const;
    // The legend, as shown: "Weights 1.2 GiB · KV cache 256 MiB · Other 80 MiB · Free 12.3 GiB".
    QString legend() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::uint64_t m_weights = 0;
    std::uint64_t m_kvCache = 0;
    std::uint64_t m_other = 0;
    std::uint64_t m_budget = 0;
};
