#include "common/unicode_normalization.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <vector>

namespace hearth {

namespace {

struct CombiningClassRange {
    char32_t first, last;
    std::uint8_t ccc;
};
struct Composition {
    char32_t first, second, composite;
};
struct CodePointRange {
    char32_t first, last;
};

#include "common/unicode_normalization_data.inc"

// Hangul syllables are decomposed and composed arithmetically (The Unicode Standard, section 3.12).
constexpr char32_t k_s_base = 0xAC00, k_l_base = 0x1100, k_v_base = 0x1161, k_t_base = 0x11A7;
constexpr char32_t k_l_count = 19, k_v_count = 21, k_t_count = 28;
constexpr char32_t k_s_count = k_l_count * k_v_count * k_t_count;

// Below U+00A0 no code point has a decomposition or a non-zero combining class.
constexpr char32_t k_first_with_data = 0xA0;

// False: `c` is a starter with no decomposition that never composes with what precedes it.
bool has_data(char32_t c) {
    const std::size_t block = c >> 8;
    if (block >= std::size(k_block_bitmaps)) return false;
    return ((k_data_bitmaps[k_block_bitmaps[block]][(c >> 6) & 3] >> (c & 63)) & 1) != 0;
}

bool unknown_in(UnicodeVersion version, char32_t c) {
    if (version != UnicodeVersion::v9_0) return false;
    const auto* begin = std::begin(k_not_in_unicode_9);
    const auto* it = std::upper_bound(begin, std::end(k_not_in_unicode_9), c,
                                      [](char32_t x, const CodePointRange& r) { return x < r.first; });
    return it != begin && c <= std::prev(it)->last;
}

std::uint8_t combining_class(char32_t c, UnicodeVersion version) {
    if (c < 0x300 || !has_data(c)) return 0;
    const auto* begin = std::begin(k_combining_class_ranges);
    const auto* it = std::upper_bound(begin, std::end(k_combining_class_ranges), c,
                                      [](char32_t x, const CombiningClassRange& r) { return x < r.first; });
    if (it == begin || c > std::prev(it)->last || unknown_in(version, c)) return 0;
    return std::prev(it)->ccc;
}

// The k_decompositions word of `c`, or 0 when it has no decomposition mapping.
std::uint64_t decomposition_word(char32_t c) {
    const std::uint64_t key = std::uint64_t{c} << 32;
    const auto* it = std::lower_bound(std::begin(k_decompositions), std::end(k_decompositions), key);
    return it != std::end(k_decompositions) && (*it >> 32) == c ? *it : 0;
}

// The primary composite of `first` + `second`, or 0.
char32_t compose_pair(char32_t first, char32_t second, UnicodeVersion version) {
    // Unsigned arithmetic: below the base wraps around to a large number.
    if (first - k_l_base < k_l_count && second - k_v_base < k_v_count) {
        return k_s_base + ((first - k_l_base) * k_v_count + (second - k_v_base)) * k_t_count;
    }
    if (first - k_s_base < k_s_count && (first - k_s_base) % k_t_count == 0 && second - (k_t_base + 1) < k_t_count - 1) {
        return first + (second - k_t_base);
    }
    if (second < k_first_composition_second || !has_data(second)) return 0;
    const auto* end = std::end(k_compositions);
    const auto* it = std::lower_bound(std::begin(k_compositions), end, Composition{first, second, 0},
                                      [](const Composition& a, const Composition& b) {
                                          return a.first != b.first ? a.first < b.first : a.second < b.second;
                                      });
    if (it == end || it->first != first || it->second != second || unknown_in(version, it->composite)) return 0;
    return it->composite;
}

// The position of the first byte at or after `from` that is not ASCII (text.size() if none), eight bytes a step.
std::size_t skip_ascii(std::string_view text, std::size_t from) {
    std::size_t i = from;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, text.data() + i, 8);
        if ((word & 0x8080808080808080) != 0) break;
    }
    while (i < text.size() && static_cast<std::uint8_t>(text[i]) < 0x80) ++i;
    return i;
}

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        const char bytes[] = {static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
        out.append(bytes, 2);
    } else if (c < 0x10000) {
        const char bytes[] = {static_cast<char>(0xE0 | (c >> 12)), static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
                              static_cast<char>(0x80 | (c & 0x3F))};
        out.append(bytes, 3);
    } else {
        const char bytes[] = {static_cast<char>(0xF0 | (c >> 18)), static_cast<char>(0x80 | ((c >> 12) & 0x3F)),
                              static_cast<char>(0x80 | ((c >> 6) & 0x3F)), static_cast<char>(0x80 | (c & 0x3F))};
        out.append(bytes, 4);
    }
}

// Length (2…4) of the well-formed non-ASCII UTF-8 character at text[i], with its code point in `c`, or 0
// (the same rules as tokenizer/utf8_scan.h's utf8_char_length: no overlong forms, surrogates or values
// above U+10FFFF).
std::size_t decode_utf8(std::string_view text, std::size_t i, char32_t& c) {
    const auto lead = static_cast<std::uint8_t>(text[i]);
    std::size_t length = 0;
    if ((lead & 0xE0) == 0xC0) {
        length = 2;
        c = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        c = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        c = lead & 0x07;
    } else {
        return 0;
    }
    if (text.size() - i < length) return 0;
    for (std::size_t k = 1; k < length; ++k) {
        const auto byte = static_cast<std::uint8_t>(text[i + k]);
        if ((byte & 0xC0) != 0x80) return 0;
        c = (c << 6) | (byte & 0x3F);
    }
    static constexpr char32_t k_min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < k_min_for_length[length] || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) return 0;
    return length;
}

// Normalizes one run of well-formed text: code points are decomposed into `m_pending`, which is put in
// canonical order, composed (NFC, NFKC) and written out whenever a starter arrives that nothing before it
// can reorder with or compose with.
class Normalizer {
public:
    Normalizer(NormalizationForm form, UnicodeVersion version, std::string& out)
        : m_compat(form == NormalizationForm::nfkc || form == NormalizationForm::nfkd),
          m_compose(form == NormalizationForm::nfc || form == NormalizationForm::nfkc), m_version(version), m_out(&out) {}

    // A run of ASCII (all starters without decompositions; none is the second of a composition pair):
    // whatever is pending is finished first. The last character stays pending, as an accent may follow it.
    void add_ascii(std::string_view ascii) {
        flush();
        if (!m_compose) {
            m_out->append(ascii);
            return;
        }
        m_out->append(ascii.substr(0, ascii.size() - 1));
        m_pending.push_back({static_cast<char32_t>(static_cast<unsigned char>(ascii.back())), 0});
    }

    void add(char32_t c) {
        if (c < k_first_with_data) {
            push(c, 0);
        } else if (c - k_s_base < k_s_count) {
            const char32_t index = c - k_s_base;
            push(k_l_base + index / (k_v_count * k_t_count), 0);
            push(k_v_base + (index / k_t_count) % k_v_count, 0);
            if (index % k_t_count != 0) push(k_t_base + index % k_t_count, 0);
        } else if (!has_data(c)) {
            push(c, 0);
        } else if (const std::uint64_t word = decomposition_word(c);
                   word != 0 && (m_compat || (word >> 31 & 1) == 0) && !unknown_in(m_version, c)) {
            // A mapping's code points are decomposed again: the tables hold one level (UnicodeData.txt).
            const auto length = static_cast<std::size_t>((word >> 24) & 31);
            const auto payload = static_cast<char32_t>(word & 0x1FFFFF);
            if (length == 1) {
                add(payload);
            } else {
                for (std::size_t k = 0; k < length; ++k) add(k_decomposition_code_points[payload + k]);
            }
        } else {
            push(c, combining_class(c, m_version));
        }
    }

    // Writes out everything pending: the end of a run.
    void flush() {
        if (m_pending.empty()) return;
        reorder();
        if (m_compose) compose();
        for (const Unit& u : m_pending) append_utf8(*m_out, u.c);
        m_pending.clear();
    }

private:
    struct Unit {
        char32_t c;
        std::uint8_t ccc;
    };

    void push(char32_t c, std::uint8_t ccc) {
        // A starter that is no composition pair's second ends what may be reordered or composed, so what is
        // pending goes out first. has_data() holds those seconds (U+0B3E, Hangul vowels, …) and more (in NFC,
        // a compatibility character), which only keeps a little more pending.
        if (ccc == 0 && (!m_compose || c < k_first_composition_second || !has_data(c))) flush();
        m_pending.push_back({c, ccc});
    }

    // Canonical ordering: each run of non-starters sorted by combining class, stably.
    void reorder() {
        const std::size_t n = m_pending.size();
        for (std::size_t i = 0; i < n;) {
            if (m_pending[i].ccc == 0) {
                ++i;
                continue;
            }
            std::size_t end = i + 1;
            while (end < n && m_pending[end].ccc != 0) ++end;
            if (end - i > 1) {
                std::stable_sort(m_pending.begin() + static_cast<std::ptrdiff_t>(i), m_pending.begin() + static_cast<std::ptrdiff_t>(end),
                                 [](const Unit& a, const Unit& b) { return a.ccc < b.ccc; });
            }
            i = end;
        }
    }

    // Canonical composition (UAX #15, D117): each character is tried with the last starter before it
    // unless it is blocked, i.e. something between them has class 0 or a class at least its own. Kept
    // characters after the starter are in class order, so the last one kept decides.
    void compose() {
        constexpr std::size_t none = static_cast<std::size_t>(-1);
        std::size_t starter = none, kept = 0;
        std::uint8_t last_ccc = 0;
        for (std::size_t i = 0; i < m_pending.size(); ++i) {
            const Unit u = m_pending[i];
            if (starter != none && (kept == starter + 1 || last_ccc < u.ccc)) {
                if (const char32_t composite = compose_pair(m_pending[starter].c, u.c, m_version)) {
                    m_pending[starter].c = composite;
                    continue;
                }
            }
            if (u.ccc == 0) starter = kept;
            last_ccc = u.ccc;
            m_pending[kept++] = u;
        }
        m_pending.resize(kept);
    }

    bool m_compat, m_compose;
    UnicodeVersion m_version;
    std::string* m_out;
    std::vector<Unit> m_pending;
};

}  // namespace

bool is_ascii(std::string_view text) { return skip_ascii(text, 0) == text.size(); }

std::string normalize_utf8(std::string_view text, NormalizationForm form, UnicodeVersion version) {
    if (is_ascii(text)) return std::string(text);
    std::string out;
    out.reserve(text.size() + text.size() / 4);
    Normalizer normalizer(form, version, out);
    for (std::size_t i = 0; i < text.size();) {
        if (static_cast<std::uint8_t>(text[i]) < 0x80) {
            const std::size_t end = skip_ascii(text, i);
            normalizer.add_ascii(text.substr(i, end - i));
            i = end;
            continue;
        }
        char32_t c = 0;
        const std::size_t length = decode_utf8(text, i, c);
        if (length == 0) {
            normalizer.flush();
            out += text[i++];
            continue;
        }
        normalizer.add(c);
        i += length;
    }
    normalizer.flush();
    return out;
}

}  // namespace hearth
