#include "hearth/chat_prompt.h"

#include <charconv>
#include <functional>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_set>

#include "common/utf8.h"

namespace hearth {

namespace {

// Marks control-token text that came from the messages. U+10FFFD (private use) twice around an index:
// "\U0010FFFD7\U0010FFFD" stands for the 8th replaced piece. Rendering with markers and then putting the
// text back gives the same prompt as rendering the messages themselves whenever the template passes that
// text through unchanged, which encode() checks.
constexpr std::string_view k_marker = "\xF4\x8F\xBF\xBD";

// Finds control-token text in strings, longest match first (as the tokenizer matches it). Holds views of
// the texts it is given.
class ControlTextFinder {
public:
    explicit ControlTextFinder(const std::vector<std::string>& texts) {
        for (const std::string& t : texts) {
            m_texts.insert(t);
            m_lengths.insert(t.size());
            m_first[static_cast<unsigned char>(t[0])] = true;
        }
    }
    // Length of the longest control text at s[i], 0 if none.
    std::size_t match_at(std::string_view s, std::size_t i) const {
        if (!m_first[static_cast<unsigned char>(s[i])]) return 0;
        for (const std::size_t length : m_lengths) {
            if (length <= s.size() - i && m_texts.contains(s.substr(i, length))) return length;
        }
        return 0;
    }

private:
    std::unordered_set<std::string_view> m_texts;  // views into the texts given to the constructor
    std::set<std::size_t, std::greater<>> m_lengths;
    bool m_first[256] = {};
};

// Replaces control text in every string inside `value` with markers; `pieces` collects the replaced text.
void mark(nlohmann::ordered_json& value, const ControlTextFinder& finder, std::vector<std::string>& pieces) {
    if (value.is_string()) {
        const std::string& s = value.get_ref<const std::string&>();
        std::string out;
        bool changed = false;
        for (std::size_t i = 0; i < s.size();) {
            const std::size_t length = finder.match_at(s, i);
            if (length == 0) {
                out += s[i++];
                continue;
            }
            out.append(k_marker).append(std::to_string(pieces.size())).append(k_marker);
            pieces.emplace_back(s.substr(i, length));
            i += length;
            changed = true;
        }
        if (changed) value = std::move(out);
    } else if (value.is_structured()) {
        for (auto& item : value) mark(item, finder, pieces);
    }
}

// The rendered text with each marker replaced by its piece; `literal` gets the pieces' byte ranges.
// std::nullopt when a marker is broken (the template changed it).
std::optional<std::string> unmark(std::string_view rendered, const std::vector<std::string>& pieces,
                                  std::vector<TextRange>& literal) {
    std::string out;
    out.reserve(rendered.size());
    std::size_t at = 0;
    while (true) {
        const std::size_t open = rendered.find(k_marker, at);
        if (open == std::string_view::npos) break;
        const std::size_t digits = open + k_marker.size();
        const std::size_t close = rendered.find(k_marker, digits);
        if (close == std::string_view::npos) return std::nullopt;
        std::size_t index = 0;
        const auto [end, ec] = std::from_chars(rendered.data() + digits, rendered.data() + close, index);
        if (ec != std::errc{} || end != rendered.data() + close || index >= pieces.size()) return std::nullopt;
        out.append(rendered.substr(at, open - at));
        literal.push_back({out.size(), out.size() + pieces[index].size()});
        out.append(pieces[index]);
        at = close + k_marker.size();
    }
    out.append(rendered.substr(at));
    return out;
}

}  // namespace

ChatPrompt::ChatPrompt(ModelChatTemplate source, ChatTemplate compiled, const Tokenizer& tokenizer)
    : m_source(std::move(source)), m_compiled(std::move(compiled)), m_tokenizer(&tokenizer) {
    // What encode(parse_special) matches only when asked: control tokens (and GGUF's unknown token).
    for (std::size_t id = 0; id < tokenizer.size(); ++id) {
        const auto token = static_cast<TokenId>(id);
        const TokenKind kind = tokenizer.kind_of(token);
        if (kind != TokenKind::control && kind != TokenKind::unknown) continue;
        const std::string_view text = tokenizer.token_text(token);
        if (!text.empty()) m_control_texts.emplace_back(text);
    }
}

Result<ChatPrompt> ChatPrompt::for_model(const LanguageModel& model) {
    if (model.tokenizer() == nullptr)
        return Error{model.tokenizer_problem() + "; chat needs a tokenizer"};
    auto loaded = load_chat_template(model.info().path);
    if (!loaded) return loaded.error();
    return create(std::move(loaded).value(), *model.tokenizer());
}

Result<ChatPrompt> ChatPrompt::create(ModelChatTemplate source, const Tokenizer& tokenizer) {
    auto compiled = ChatTemplate::compile(source.source);
    if (!compiled) return Error{source.origin + ": " + compiled.error().message};
    return ChatPrompt(std::move(source), std::move(compiled).value(), tokenizer);
}

Result<std::string> ChatPrompt::render(const nlohmann::ordered_json& messages, bool add_generation_prompt) const {
    // The context transformers' apply_chat_template builds: tools and documents are always defined.
    const nlohmann::ordered_json context = {{"messages", messages},
                                            {"tools", nullptr},
                                            {"documents", nullptr},
                                            {"add_generation_prompt", add_generation_prompt},
                                            {"bos_token", m_source.bos_token},
                                            {"eos_token", m_source.eos_token}};
    auto rendered = m_compiled.render(context);
    if (!rendered) return Error{m_source.origin + ": " + rendered.error().message};
    return rendered;
}

Result<std::vector<TokenId>> ChatPrompt::encode(const nlohmann::ordered_json& messages, bool add_generation_prompt) const {
    auto text = render(messages, add_generation_prompt);
    if (!text) return text.error();
    EncodeOptions options{.add_bos = false, .parse_special = true};

    // Control text inside the messages: render again with it marked, to learn where it lands in the prompt.
    // NOTE: only whole control-token text inside a message is kept literal. A message ending in part of one
    // ("<|im_") that the template's next characters would complete is not caught; the templates Hearth knows
    // follow message text with a whole control token or a newline, which complete nothing.
    nlohmann::ordered_json marked = messages;
    std::vector<std::string> pieces;
    if (!m_control_texts.empty()) mark(marked, ControlTextFinder(m_control_texts), pieces);
    std::vector<TextRange> literal;
    if (!pieces.empty()) {
        auto marked_text = render(marked, add_generation_prompt);
        if (!marked_text) return marked_text.error();
        const auto restored = unmark(marked_text.value(), pieces, literal);
        // NOTE: a template that edits message text (cuts, escapes, case changes) could move or break the
        // pieces; then the prompt with markers put back differs from the real one, and guessing would risk
        // turning typed text into control tokens.
        if (!restored || *restored != text.value()) {
            return Error{m_source.origin + ": a message contains control-token text (" + quoted_for_message(pieces.front()) +
                         ") that this chat template changes; Hearth cannot keep it as plain text"};
        }
        options.literal = literal;
    }
    return m_tokenizer->encode(text.value(), options);
}

}  // namespace hearth
