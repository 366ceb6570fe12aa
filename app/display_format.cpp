#include "display_format.h"

#include <QLocale>
#include <QStringList>
#include <array>

QString DisplayFormat::parameterCount(std::uint64_t count)
{
    const QLocale locale;
    if (count < 1000)
        return locale.toString(static_cast<qulonglong>(count));

    struct Unit {
        double scale;
        QString text;
    };
    const std::array<Unit, 4> units{{
        {1e3, tr("%1 K", "thousand parameters")},
        {1e6, tr("%1 M", "million parameters")},
        {1e9, tr("%1 B", "billion parameters")},
        {1e12, tr("%1 T", "trillion parameters")},
    }};
    // Take the largest unit whose value, rounded to one decimal, stays below 1000 (so 999'960 is "1.0 M",
    // not "1000.0 K").
    const auto value = static_cast<double>(count);
    std::size_t unit = 0;
    while (unit + 1 < units.size() && value / units[unit].scale >= 999.95)
        ++unit;
    return units[unit].text.arg(locale.toString(value / units[unit].scale, 'f', 1));
}

QString DisplayFormat::byteSize(std::uint64_t bytes)
{
    return QLocale().formattedDataSize(static_cast<qint64>(bytes), 1, QLocale::DataSizeIecFormat);
}

QString DisplayFormat::shape(const std::vector<std::int64_t>& shape)
{
    if (shape.empty())
        return tr("scalar");
    QStringList dims;
    dims.reserve(static_cast<qsizetype>(shape.size()));
    for (const std::int64_t dim : shape)
        dims << QString::number(dim);
    return dims.join(QStringLiteral(" × "));
}

QString DisplayFormat::integer(std::int64_t value)
{
    return QLocale().toString(static_cast<qlonglong>(value));
}
