#include "memory_bar.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>

namespace {

const QColor kWeightsColor(0x3b, 0x6e, 0xb4);
const QColor kKvColor(0xe0, 0x8a, 0x1e);
const QColor kOtherColor(0x8c, 0x8c, 0x8c);
const QColor kOverflowColor(0xc0, 0x2b, 0x22);
constexpr int kBarHeight = 18;

QString bytesText(std::uint64_t bytes)
{
    return QLocale().formattedDataSize(qint64(bytes), 1);
}

}  // namespace

MemoryBar::MemoryBar(QWidget* parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void MemoryBar::setUsage(std::uint64_t weights, std::uint64_t kvCache, std::uint64_t other, std::uint64_t budget)
{
    m_weights = weights;
    m_kvCache = kvCache;
    m_other = other;
    m_budget = budget;
    setToolTip(legend());
    update();
}

std::uint64_t MemoryBar::freeBytes() const
{
    const std::uint64_t used = m_weights + m_kvCache + m_other;
    return used < m_budget ? m_budget - used : 0;
}

QString MemoryBar::legend() const
{
    QString text = tr("Weights %1 · KV cache %2 · Other %3").arg(bytesText(m_weights), bytesText(m_kvCache), bytesText(m_other));
    const std::uint64_t used = m_weights + m_kvCache + m_other;
    if (used <= m_budget)
        text += tr(" · Free %1 of %2").arg(bytesText(freeBytes()), bytesText(m_budget));
    else
        text += tr(" · %1 more than the %2 available").arg(bytesText(used - m_budget), bytesText(m_budget));
    return text;
}

QSize MemoryBar::sizeHint() const
{
    return {360, kBarHeight + fontMetrics().height() + 6};
}

QSize MemoryBar::minimumSizeHint() const
{
    return {120, kBarHeight + fontMetrics().height() + 6};
}

void MemoryBar::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF bar(0.5, 0.5, width() - 1.0, kBarHeight);
    const std::uint64_t used = m_weights + m_kvCache + m_other;
    // The scale is the budget, or what is used when that is more (the overflow then shows as red).
    const double scale = double(std::max<std::uint64_t>({m_budget, used, 1}));

    QPainterPath outline;
    outline.addRoundedRect(bar, 3, 3);
    painter.fillPath(outline, palette().base());
    painter.save();
    painter.setClipPath(outline);
    double x = bar.left();
    auto segment = [&](std::uint64_t bytes, const QColor& color) {
        const double w = bar.width() * double(bytes) / scale;
        painter.fillRect(QRectF(x, bar.top(), w, bar.height()), color);
        x += w;
    };
    segment(m_weights, kWeightsColor);
    segment(m_kvCache, kKvColor);
    segment(m_other, kOtherColor);
    if (used > m_budget && m_budget > 0) {
        const double budgetX = bar.left() + bar.width() * double(m_budget) / scale;
        painter.fillRect(QRectF(budgetX, bar.top(), x - budgetX, bar.height()), QColor(kOverflowColor.red(), kOverflowColor.green(), kOverflowColor.blue(), 170));
    }
    painter.restore();
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawPath(outline);

    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRectF(0, kBarHeight + 4, width(), fontMetrics().height()), Qt::AlignLeft | Qt::AlignVCenter,
                     fontMetrics().elidedText(legend(), Qt::ElideRight, width()));
}
