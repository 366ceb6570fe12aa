#pragma once
// Control and user-defined tokens are found in the text before BPE runs: the text is cut into fragments
// that are either one such token or plain text for the BPE. Matching is leftmost-longest (as Hugging Face
// tokenizers' added vocabulary does), over a byte trie of the token texts.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/tokenizer.h"
#include "tokenizer/vocab.h"

namespace hearth::tokenizer {

struct Fragment {
    std::string_view text;
    TokenId token = -1;  // -1: plain text
};

// A token matched in the text before the model runs (tokenizer.json's added_tokens).
struct AddedToken {
    std::string text;
    TokenId id = -1;
    bool control = false;      // matched only when the caller parses special tokens
    bool lstrip = false;       // whitespace before it belongs to it (and is dropped)
    bool rstrip = false;       // whitespace after it belongs to it
    bool single_word = false;  // matched only where it is not part of a larger word
};

class SpecialTokens {
public:
    // Takes every control, unknown and user-defined token of `vocab` with non-empty text (GGUF).
    explicit SpecialTokens(const Vocab& vocab);
    explicit SpecialTokens(const std::vector<AddedToken>& tokens);

    // Cuts `text` into fragments. Control (and unknown) tokens are matched only with `parse_special`, and
    // never where the match overlaps one of the `literal` byte ranges (sorted, not overlapping); user-defined
    // ones always.
    void split(std::string_view text, bool parse_special, std::span<const TextRange> literal,
               std::vector<Fragment>& out) const;
    bool empty() const { return m_nodes.size() == 1; }

private:
    struct Node {
        std::vector<std::pair<std::uint8_t, std::int32_t>> children;  // sorted by byte
        TokenId token = -1;            // a token ends here
        bool control = false;
        bool lstrip = false, rstrip = false, single_word = false;
    };
    void insert(const AddedToken& token);
    std::int32_t child(std::int32_t node, std::uint8_t byte) const;
    std::vector<Node> m_nodes;
    std::array<bool, 256> m_first{};   // bytes some token starts with: skip the rest quickly
};

}  // namespace hearth::tokenizer
