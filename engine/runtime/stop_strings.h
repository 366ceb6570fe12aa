#pragma once
// Stop strings over streamed text. Decoded text arrives in pieces (one per token, usually); the matcher
// passes it on, but holds back any tail that could still grow into a stop string, so the user never sees
// part of one. When a stop string completes, the text before it is emitted and the rest is discarded.
//
// Generation stops at the first byte where any stop string completes; of the stop strings completing
// there, the one that starts first is the match. This depends only on the text, not on how it was cut into
// pieces: feeding "abcd" whole or one byte at a time emits the same text and stops at the same place.
//
// Works on bytes. Valid UTF-8 in, valid UTF-8 out: a held-back tail equals the start of a stop string, and
// a (valid UTF-8) stop string starts on a character boundary, so the cut never splits a character.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::runtime {

class StopStringMatcher {
public:
    // Empty strings in `stops` are ignored (SamplingParams::validate() rejects them). With no stop strings
    // the matcher passes every piece through unchanged and holds nothing back.
    explicit StopStringMatcher(std::vector<std::string> stops);

    struct Fed {
        std::string text;  // text that is now safe to show
        bool stopped;      // a stop string completed: generation should end; later feeds emit nothing
    };
    Fed feed(std::string_view piece);

    // End of generation without a stop string (EOS, length limit): the held-back text, which turned out not
    // to be a stop string. Empty once stopped.
    std::string flush();

    bool stopped() const { return m_matched.has_value(); }
    // Index into the constructor's `stops` of the stop string that matched, for reporting a stop reason.
    std::optional<std::size_t> matched_index() const { return m_matched; }

private:
    std::size_t held_back_length() const;

    std::vector<std::string> m_stops;           // as given, empties included, so indices match the caller's
    std::size_t m_longest = 0;                  // longest stop string, in bytes
    std::string m_pending;                      // received, not yet emitted: at most m_longest - 1 bytes between feeds
    std::optional<std::size_t> m_matched;
};

}  // namespace hearth::runtime
