#pragma once
// The parts of a Hugging Face tokenizer.json pipeline that GGUF tokenizers do not have: normalizers,
// pre-tokenizer steps with split behaviours, and BPE over characters with merge ranks. hf_tokenizer.cpp
// reads them from the JSON; the semantics follow the `tokenizers` library (normalizers/*.rs,
// pre_tokenizers/*.rs, models/bpe/*.rs), cited per step.
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/unicode_normalization.h"
#include "hearth/tokenizer.h"
#include "tokenizer/merge_table.h"
#include "tokenizer/pretokenizer.h"
#include "tokenizer/special_tokens.h"
#include "tokenizer/vocab.h"

namespace hearth::tokenizer {

// A literal string or a regex (tokenizer.json's {"String": …} / {"Regex": …}).
struct Pattern {
    std::string literal;
    std::optional<RegexMatcher> regex;
    void find_all(std::string_view text, std::vector<TextRange>& out) const;
};

struct NormalizerStep {
    enum class Kind { prepend, replace, lowercase, strip, unicode } kind = Kind::prepend;
    std::string text;   // prepend: what; replace: the replacement
    Pattern pattern;    // replace
    bool left = false, right = false;  // strip
    NormalizationForm unicode_form = NormalizationForm::nfc;  // unicode
};

class Normalizer {
public:
    std::vector<NormalizerStep> steps;
    bool empty() const { return steps.empty(); }
    // `starts_at_origin` is cleared when the first character of the result no longer comes from the first
    // character of `text` (Strip or Replace removed what began it): tokenizers' offsets_original().0 != 0,
    // which Metaspace's prepend_scheme "first" looks at.
    std::string apply(std::string_view text, bool& starts_at_origin) const;
};

// How a split step treats the pieces its pattern matches (tokenizers' SplitDelimiterBehavior).
enum class SplitBehavior { removed, isolated, merged_with_previous, merged_with_next, contiguous };

struct PreTokenizerStep {
    enum class Kind { split, metaspace } kind = Kind::split;
    Pattern pattern;  // split
    SplitBehavior behavior = SplitBehavior::isolated;
    bool invert = false;
    // metaspace
    std::string replacement = "\xE2\x96\x81";
    enum class Prepend { always, first, never } prepend = Prepend::always;
    bool split_on_replacement = true;
};

class HfPreTokenizer {
public:
    std::vector<PreTokenizerStep> steps;
    // ByteLevel as the last step: pieces are then raw bytes for the byte-level BPE.
    bool byte_level = false;
    bool byte_level_prefix_space = false;
    std::optional<PreTokenizer> byte_level_regex;  // GPT-2's regex when the step has use_regex

    // Cuts one fragment of normalized text into pieces for the model. `at_start`: the fragment begins the
    // whole input (Metaspace's prepend_scheme "first").
    void split(std::string_view text, bool at_start, std::vector<std::string>& pieces) const;
};

// BPE over the characters of a piece, merged by rank (tokenizer.json's "BPE" model without ByteLevel):
// a character the vocabulary lacks becomes its byte tokens <0xNN> (byte_fallback) or the unknown token.
class CharBpe {
public:
    CharBpe(const Vocab& vocab, MergeTable merges, bool byte_fallback, TokenId unknown, bool fuse_unknown, bool ignore_merges);
    void encode(std::string_view piece, std::vector<TokenId>& out) const;

private:
    const Vocab* m_vocab;
    MergeTable m_merges;
    std::array<TokenId, 256> m_byte_token{};  // -1 where absent or without byte_fallback
    TokenId m_unknown;
    bool m_byte_fallback, m_fuse_unknown, m_ignore_merges;
};

// What Tokenizer::Impl holds for a tokenizer read from tokenizer.json.
struct HfPipeline {
    Normalizer normalizer;
    std::optional<SpecialTokens> normalized_added;  // added tokens matched on normalized text
    HfPreTokenizer pre_tokenizer;
    std::optional<CharBpe> char_bpe;  // absent: the byte-level BPE of Impl
};

}  // namespace hearth::tokenizer
