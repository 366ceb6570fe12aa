#include "tokenizer/hf_pipeline.h"

#include <algorithm>
#include <cstdio>

#include "common/unicode_case.h"
#include "tokenizer/utf8_scan.h"

namespace hearth::tokenizer {

void Pattern::find_all(std::string_view text, std::vector<TextRange>& out) const {
    if (regex) {
        regex->find_all(text, out);
        return;
    }
    if (literal.empty()) return;
    for (std::size_t at = text.find(literal); at != std::string_view::npos; at = text.find(literal, at + literal.size())) {
        out.push_back({at, at + literal.size()});
    }
}

namespace {

std::string replace_all(std::string_view text, const Pattern& pattern, std::string_view replacement) {
    std::vector<TextRange> matches;
    pattern.find_all(text, matches);
    if (matches.empty()) return std::string(text);
    std::string out;
    out.reserve(text.size() + matches.size() * replacement.size());
    std::size_t last = 0;
    for (const auto& m : matches) {
        out.append(text.substr(last, m.begin - last)).append(replacement);
        last = m.end;
    }
    out.append(text.substr(last));
    return out;
}

// tokenizers' Lowercase (Rust's str::to_lowercase, here with simple_lower's coverage). Broken bytes pass as they are.
std::string lowercase(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = utf8_char_length(text, i);
        if (length == 0) {
            out += text[i++];
            continue;
        }
        append_utf8(out, simple_lower(utf8_decode(text, i, length)));
        i += length;
    }
    return out;
}

// Rust's char::is_whitespace (Unicode White_Space), which tokenizers' Strip uses.
bool is_white_space(std::uint32_t c) {
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
           c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// tokenizers' Strip: whitespace characters off either end.
std::string strip(std::string_view text, bool left, bool right) {
    std::size_t begin = 0, end = text.size();
    if (left) {
        while (begin < end) {
            const std::size_t length = utf8_char_length(text, begin);
            if (length == 0 || !is_white_space(utf8_decode(text, begin, length))) break;
            begin += length;
        }
    }
    if (right) {
        while (end > begin) {
            std::size_t start = end - 1;  // back to the lead byte of the last character
            while (start > begin && end - start < 4 && (static_cast<std::uint8_t>(text[start]) & 0xC0) == 0x80) --start;
            const std::size_t length = utf8_char_length(text, start);
            if (length != end - start || !is_white_space(utf8_decode(text, start, length))) break;
            end = start;
        }
    }
    return std::string(text.substr(begin, end - begin));
}

}  // namespace

std::string Normalizer::apply(std::string_view input, bool& starts_at_origin) const {
    std::string text(input);
    for (const auto& step : steps) {
        switch (step.kind) {
        case NormalizerStep::Kind::prepend:
            if (!text.empty()) text.insert(0, step.text);
            break;
        case NormalizerStep::Kind::replace:
            if (step.text.empty()) {
                thread_local std::vector<TextRange> first;
                first.clear();
                step.pattern.find_all(text, first);
                if (!first.empty() && first.front().begin == 0) starts_at_origin = false;
            }
            text = replace_all(text, step.pattern, step.text);
            break;
        case NormalizerStep::Kind::lowercase: text = lowercase(text); break;
        case NormalizerStep::Kind::strip: {
            std::string stripped = strip(text, step.left, false);
            if (stripped.size() != text.size()) starts_at_origin = false;
            text = strip(stripped, false, step.right);
            break;
        }
        case NormalizerStep::Kind::unicode:
            // NOTE: Unicode 9.0's characters, as `tokenizers` normalizes (unicode_normalization.h).
            if (!is_ascii(text)) text = normalize_utf8(text, step.unicode_form, UnicodeVersion::v9_0);
            break;
        }
    }
    return text;
}

namespace {

struct Segment {
    std::size_t begin, end;
    bool match;
};

// tokenizers' NormalizedString::split: the pattern's matches and the text between them, combined as
// `behavior` says. Appends the kept pieces (non-empty) of `text` to `out`.
void split_by(std::string_view text, const Pattern& pattern, SplitBehavior behavior, bool invert,
              std::vector<std::string>& out, bool& first_at_start) {
    thread_local std::vector<TextRange> matches;
    matches.clear();
    pattern.find_all(text, matches);
    std::vector<Segment> segments;
    std::size_t last = 0;
    for (const auto& m : matches) {
        if (m.begin > last) segments.push_back({last, m.begin, invert});
        segments.push_back({m.begin, m.end, !invert});
        last = m.end;
    }
    if (last < text.size()) segments.push_back({last, text.size(), invert});

    std::vector<Segment> kept;
    bool previous_match = false;
    switch (behavior) {
    case SplitBehavior::removed:
        for (const auto& s : segments)
            if (!s.match) kept.push_back(s);
        break;
    case SplitBehavior::isolated: kept = segments; break;
    case SplitBehavior::merged_with_previous:
        for (const auto& s : segments) {
            if (s.match && !previous_match && !kept.empty()) kept.back().end = s.end;
            else kept.push_back(s);
            previous_match = s.match;
        }
        break;
    case SplitBehavior::merged_with_next:
        for (auto it = segments.rbegin(); it != segments.rend(); ++it) {
            if (it->match && !previous_match && !kept.empty()) kept.back().begin = it->begin;
            else kept.push_back(*it);
            previous_match = it->match;
        }
        std::reverse(kept.begin(), kept.end());
        break;
    case SplitBehavior::contiguous:
        for (const auto& s : segments) {
            if (s.match == previous_match && !kept.empty()) kept.back().end = s.end;
            else kept.push_back(s);
            previous_match = s.match;
        }
        break;
    }
    bool first = true;
    for (const auto& s : kept) {
        if (s.end == s.begin) continue;
        if (first && s.begin != 0) first_at_start = false;
        first = false;
        out.emplace_back(text.substr(s.begin, s.end - s.begin));
    }
}

}  // namespace

void HfPreTokenizer::split(std::string_view text, bool at_start, std::vector<std::string>& pieces) const {
    std::vector<std::string> current;
    current.emplace_back(text);
    bool first_at_start = at_start;
    std::vector<std::string> next;
    for (const auto& step : steps) {
        next.clear();
        for (std::size_t k = 0; k < current.size(); ++k) {
            bool piece_at_start = k == 0 && first_at_start;
            const std::size_t before = next.size();
            if (step.kind == PreTokenizerStep::Kind::split) {
                split_by(current[k], step.pattern, step.behavior, step.invert, next, piece_at_start);
            } else {
                Pattern space{" ", std::nullopt};
                std::string replaced = replace_all(current[k], space, step.replacement);
                const bool starts = replaced.compare(0, step.replacement.size(), step.replacement) == 0;
                if (!starts && (step.prepend == PreTokenizerStep::Prepend::always ||
                                (step.prepend == PreTokenizerStep::Prepend::first && piece_at_start))) {
                    replaced.insert(0, step.replacement);
                }
                if (step.split_on_replacement) {
                    const Pattern on{step.replacement, std::nullopt};
                    split_by(replaced, on, SplitBehavior::merged_with_next, false, next, piece_at_start);
                } else if (!replaced.empty()) {
                    next.push_back(std::move(replaced));
                }
            }
            if (k == 0) first_at_start = piece_at_start && next.size() > before;
        }
        std::swap(current, next);
    }
    if (!byte_level) {
        for (auto& piece : current) pieces.push_back(std::move(piece));
        return;
    }
    thread_local std::vector<std::string_view> cut;
    for (auto& piece : current) {
        if (byte_level_prefix_space && (piece.empty() || piece[0] != ' ')) piece.insert(0, 1, ' ');
        if (!byte_level_regex) {
            pieces.push_back(std::move(piece));
            continue;
        }
        cut.clear();
        byte_level_regex->split(piece, cut);
        for (const auto p : cut) pieces.emplace_back(p);
    }
}

CharBpe::CharBpe(const Vocab& vocab, MergeTable merges, bool byte_fallback, TokenId unknown, bool fuse_unknown, bool ignore_merges)
    : m_vocab(&vocab), m_merges(std::move(merges)), m_unknown(unknown), m_byte_fallback(byte_fallback),
      m_fuse_unknown(fuse_unknown), m_ignore_merges(ignore_merges) {
    m_byte_token.fill(-1);
    if (!byte_fallback) return;
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        m_byte_token[b] = vocab.lookup(name);
    }
}

void CharBpe::encode(std::string_view piece, std::vector<TokenId>& out) const {
    if (piece.empty()) return;
    if (m_ignore_merges) {
        if (const TokenId whole = m_vocab->lookup(piece); whole >= 0) {
            out.push_back(whole);
            return;
        }
    }
    thread_local std::vector<TokenId> ids;
    ids.clear();
    bool unknown_pending = false;
    const auto flush_unknown = [&] {
        if (unknown_pending) ids.push_back(m_unknown);
        unknown_pending = false;
    };
    for (std::size_t i = 0; i < piece.size();) {
        const std::size_t length = std::max<std::size_t>(1, utf8_char_length(piece, i));
        const std::string_view c = piece.substr(i, length);
        i += length;
        if (const TokenId id = m_vocab->lookup(c); id >= 0) {
            flush_unknown();
            ids.push_back(id);
            continue;
        }
        if (m_byte_fallback) {
            bool all = true;
            for (const char b : c) all = all && m_byte_token[static_cast<std::uint8_t>(b)] >= 0;
            if (all) {
                flush_unknown();
                for (const char b : c) ids.push_back(m_byte_token[static_cast<std::uint8_t>(b)]);
                continue;
            }
        }
        if (m_unknown < 0) continue;  // no <unk>: the character is dropped, as tokenizers does
        if (!m_fuse_unknown) flush_unknown();
        unknown_pending = true;
    }
    flush_unknown();
    m_merges.apply(ids);
    out.insert(out.end(), ids.begin(), ids.end());
}

}  // namespace hearth::tokenizer
