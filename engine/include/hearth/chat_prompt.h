#pragma once
// A conversation turned into the token ids a model expects: the model's own chat template (or its family's
// fallback), rendered and tokenized as transformers' apply_chat_template(tokenize=True) does.

#include <vector>

#include <nlohmann/json.hpp>

#include "hearth/chat_template.h"
#include "hearth/language_model.h"

namespace hearth {

class ChatPrompt {
public:
    static Result<ChatPrompt> for_model(const LanguageModel& model);

    // messages: [{"role": …, "content": …}, …]. The rendered text's special tokens (<|im_start|>, <bos>)
    // become control tokens; no BOS is added beyond what the template writes.
    // NOTE: content typed by the user is tokenized with the rest of the prompt, so control-token text inside
    // a message becomes a control token here; the tokenizer API itself keeps user text literal.
    Result<std::string> render(const nlohmann::ordered_json& messages, bool add_generation_prompt) const;
    Result<std::vector<TokenId>> encode(const nlohmann::ordered_json& messages, bool add_generation_prompt) const;

    const ModelChatTemplate& source() const { return m_source; }
    bool is_fallback() const { return m_source.is_fallback; }

private:
    ChatPrompt(ModelChatTemplate source, ChatTemplate compiled, const Tokenizer& tokenizer)
        : m_source(std::move(source)), m_compiled(std::move(compiled)), m_tokenizer(&tokenizer) {}

    ModelChatTemplate m_source;
    ChatTemplate m_compiled;
    const Tokenizer* m_tokenizer;
};

}  // namespace hearth
