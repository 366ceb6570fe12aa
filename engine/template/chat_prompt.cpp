#include "hearth/chat_prompt.h"

namespace hearth {

Result<ChatPrompt> ChatPrompt::for_model(const LanguageModel& model) {
    if (model.tokenizer() == nullptr)
        return Error{model.tokenizer_problem() + "; chat needs a tokenizer"};
    auto loaded = load_chat_template(model.info().path);
    if (!loaded) return loaded.error();
    auto compiled = ChatTemplate::compile(loaded->source);
    if (!compiled) return Error{loaded->origin + ": " + compiled.error().message};
    return ChatPrompt(std::move(loaded).value(), std::move(compiled).value(), *model.tokenizer());
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
    return m_tokenizer->encode(text.value(), EncodeOptions{.add_bos = false, .parse_special = true});
}

}  // namespace hearth
