#pragma once
// How the engine's numbers are written for people, in the user's locale: "134.5 M" parameters,
// "1.2 GiB", shapes as "576 × 49152".

#include <QCoreApplication>
#include <QString>
#include <cstdint>
#include <vector>

class DisplayFormat final {
    Q_DECLARE_TR_FUNCTIONS(DisplayFormat)

public:
    DisplayFormat() = delete;

    // 999 → "999", 134'515'008 → "134.5 M", 7'615'616'512 → "7.6 B".
    static QString parameterCount(std::uint64_t count);
    // 1536 → "1.5 KiB" (binary units, one decimal).
    static QString byteSize(std::uint64_t bytes);
    // [49152, 576] → "49152 × 576"; [] → "scalar".
    static QString shape(const std::vector<std::int64_t>& shape);
    // 32768 → "32,768" (grouped as the locale groups).
    static QString integer(std::int64_t value);
};
