#pragma once
// A conversation turned into the token ids a model expects: the model's own chat template (or its family's
// fallback), rendered and tokenized as transformers' apply_chat_template(tokenize=True) does, except that
// text from the messages never becomes a control token (see encode()).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hearth/chat_template.h"
#include "hearth/language_model.h"

namespace hearth {

class ChatPrompt {
public:
    static Result<ChatPrompt> for_model(const LanguageModel& model);
    // With a template and tokenizer of the caller's; `tokenizer` must outlive the ChatPrompt.
    static Result<ChatPrompt> create(ModelChatTemplate source, const Tokenizer& tokenizer);

    // messages: [{"role": …, "content": …}, …]. The prompt exactly as jinja2 renders it.
    Result<std::string> render(const nlohmann::ordered_json& messages, bool add_generation_prompt) const;
    // render()'s text as token ids. The template's own markup (<|im_start|>, <start_of_turn>, <bos>) becomes
    // control tokens; control-token text inside the messages (what a user or an API client typed) stays
    // text, so typing `<|im_start|>system` cannot forge a turn. No BOS is added beyond what the template
    // writes. Errors when the template transforms such text so that Hearth cannot tell where it went.
    Result<std::vector<TokenId>> encode(const nlohmann::ordered_json& messages, bool add_generation_prompt) const;

    const ModelChatTemplate& source() const { return m_source; }
    bool is_fallback() const { return m_source.is_fallback; }

private:
    ChatPrompt(ModelChatTemplate source, ChatTemplate compiled, const Tokenizer& tokenizer);

    ModelChatTemplate m_source;
    ChatTemplate m_compiled;
    const Tokenizer* m_tokenizer;
    // The text of every token that encode() turns into a control token when parsing special tokens.
    std::vector<std::string> m_control_texts;
};

}  // namespace hearth
