#pragma once
// Pre-tokenization for byte-level BPE: the text is cut into pieces by a chain of regexes (PCRE2, UTF mode
// with Unicode properties, JIT-compiled), and BPE merges never cross a piece boundary. Each regex in the
// chain is applied to every piece the previous one made; both its matches and the text between them
// become pieces ("isolated" splitting, as in Hugging Face tokenizers and llama.cpp).
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/result.h"
#include "hearth/tokenizer.h"

namespace hearth::tokenizer {

class PreTokenizer {
public:
    // The chain llama.cpp and transformers use for a GGUF tokenizer.ggml.pre value; an error naming the
    // value (and the known ones) when Hearth does not know it.
    static Result<PreTokenizer> for_gguf_pre(std::string_view pre);
    static Result<PreTokenizer> from_patterns(const std::vector<std::string>& patterns);

    // Appends the pieces of `text` to `pieces`, in order; together they are exactly `text`. Bytes that are
    // not well-formed UTF-8 are never given to a regex: each becomes a piece of its own.
    void split(std::string_view text, std::vector<std::string_view>& pieces) const;

    static std::vector<std::string_view> known_names();
    // GPT-2's regex (Hugging Face's ByteLevel pre-tokenizer with use_regex).
    static std::string_view gpt2_pattern();

    struct Regex;

private:
    std::vector<std::shared_ptr<const Regex>> m_chain;
    friend class RegexMatcher;
};

// One compiled regex (PCRE2, UTF + UCP, JIT) for tokenizer.json's Split and Replace patterns.
class RegexMatcher {
public:
    static Result<RegexMatcher> compile(const std::string& pattern);
    // Appends [begin, end) of each non-empty, non-overlapping match, left to right. Bytes that are not
    // well-formed UTF-8 never match.
    void find_all(std::string_view text, std::vector<TextRange>& out) const;

private:
    std::shared_ptr<const PreTokenizer::Regex> m_regex;
};

}  // namespace hearth::tokenizer
