#pragma once
// Control and user-defined tokens are found in the text before BPE runs: the text is cut into fragments
// that are either one such token or plain text for the BPE. Matching is leftmost-longest (as Hugging Face
// tokenizers' added vocabulary does), over a byte trie of the token texts.
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "hearth/tokenizer.h"
#include "tokenizer/vocab.h"

namespace hearth::tokenizer {

struct Fragment {
    std::string_view text;
    TokenId token = -1;  // -1: plain text
};

class SpecialTokens {
public:
    // Takes every control, unknown and user-defined token of `vocab` with non-empty text.
    explicit SpecialTokens(const Vocab& vocab);

    // Cuts `text` into fragments. Control (and unknown) tokens are matched only with `parse_special`;
    // user-defined ones always.
    void split(std::string_view text, bool parse_special, std::vector<Fragment>& out) const;

private:
    struct Node {
        std::vector<std::pair<std::uint8_t, std::int32_t>> children;  // sorted by byte
        TokenId token = -1;            // a token ends here
        bool control = false;
    };
    std::int32_t child(std::int32_t node, std::uint8_t byte) const;
    std::vector<Node> m_nodes;
    std::array<bool, 256> m_first{};   // bytes some token starts with: skip the rest quickly
};

}  // namespace hearth::tokenizer
