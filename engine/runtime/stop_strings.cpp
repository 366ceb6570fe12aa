#include "runtime/stop_strings.h"

#include <algorithm>
#include <utility>

namespace hearth::runtime {

StopStringMatcher::StopStringMatcher(std::vector<std::string> stops) : m_stops(std::move(stops)) {
    for (const std::string& s : m_stops) m_longest = std::max(m_longest, s.size());
}

StopStringMatcher::Fed StopStringMatcher::feed(std::string_view piece) {
    if (m_matched) return {{}, true};
    if (m_longest == 0) return {std::string(piece), false};

    m_pending.append(piece);

    // Invariant: before this piece, m_pending held no complete stop string, and every occurrence that could
    // still complete starts inside m_pending (held_back_length() kept them). So searching m_pending finds
    // every stop string that completes within this piece.
    std::size_t best_end = std::string::npos;
    std::size_t best_start = 0;
    for (std::size_t i = 0; i < m_stops.size(); ++i) {
        const std::string& s = m_stops[i];
        if (s.empty()) continue;
        // The first occurrence of one string is also its first to complete.
        const std::size_t start = m_pending.find(s);
        if (start == std::string::npos) continue;
        const std::size_t end = start + s.size();
        if (end < best_end || (end == best_end && start < best_start)) {
            best_end = end;
            best_start = start;
            m_matched = i;
        }
    }
    if (m_matched) {
        Fed fed{m_pending.substr(0, best_start), true};
        m_pending.clear();
        return fed;
    }

    const std::size_t hold = held_back_length();
    Fed fed{m_pending.substr(0, m_pending.size() - hold), false};
    m_pending.erase(0, m_pending.size() - hold);
    return fed;
}

std::string StopStringMatcher::flush() {
    return std::exchange(m_pending, {});
}

// The longest tail of m_pending that is a proper prefix of some stop string (a whole one would have matched).
std::size_t StopStringMatcher::held_back_length() const {
    const std::string_view pending = m_pending;
    for (std::size_t len = std::min(pending.size(), m_longest - 1); len > 0; --len) {
        const std::string_view tail = pending.substr(pending.size() - len);
        for (const std::string& s : m_stops) {
            if (s.size() > len && std::string_view(s).starts_with(tail)) return len;
        }
    }
    return 0;
}

}  // namespace hearth::runtime
