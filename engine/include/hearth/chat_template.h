#pragma once
// Chat templates: the Jinja2 programs that models ship to turn a conversation into a prompt.
//
// Hearth renders them with its own sandboxed interpreter for the subset of Jinja2 that real chat templates
// use, byte-identical to transformers' apply_chat_template (jinja2's ImmutableSandboxedEnvironment with
// trim_blocks and lstrip_blocks, the loopcontrols extension, raise_exception / strftime_now / namespace
// / dict globals, and its tojson filter). The interpreter reads nothing outside its inputs — no files,
// network or environment — and bounds output size, loop iterations, recursion and nesting.
//
// The context is JSON, shaped as transformers passes it:
//   {"messages": [{"role": "user", "content": "…"}, …], "add_generation_prompt": true,
//    "tools": null or [...], "documents": null, "bos_token": "<s>", "eos_token": "</s>", …extra variables}
// (transformers always defines `tools` and `documents`, as null when there are none; templates test
// `tools is not none`, so pass null rather than leaving them out).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "hearth/result.h"

namespace hearth {

namespace jinja {
struct Program;
}

struct ChatTemplateLimits {
    std::size_t max_output_bytes = std::size_t{16} << 20;  // the prompt, and any one string value
    std::uint64_t max_loop_iterations = 1'000'000;         // summed over the whole render
    int max_call_depth = 64;                               // nested macro calls
};

class ChatTemplate {
public:
    // Parses `source` once. Errors name the line: "chat template line 3: unexpected end of template,
    // expected 'endfor' to close 'for' from line 1", "chat template line 12: unknown filter 'foo'".
    static Result<ChatTemplate> compile(std::string_view source);

    // Renders with `context` (an object). Thread-safe: a compiled template may render concurrently.
    // Errors name the line; raise_exception(msg) gives "chat template line N: msg".
    // NOTE: pass an ordered_json. Key order is visible in the prompt (tool schemas go through tojson,
    // templates iterate dict items), and Python keeps insertion order; plain json sorts its keys.
    Result<std::string> render(const nlohmann::ordered_json& context, const ChatTemplateLimits& limits = {}) const;
    Result<std::string> render(const nlohmann::json& context, const ChatTemplateLimits& limits = {}) const;

private:
    explicit ChatTemplate(std::shared_ptr<const jinja::Program> program) : m_program(std::move(program)) {}
    std::shared_ptr<const jinja::Program> m_program;
};

// The template to use for a model whose file carries none, by its architecture (GGUF
// `general.architecture` or the HF model_type): Gemma's turn format for gemma*, Phi-3's for phi3,
// ChatML for everything else. Callers report this with the finding code below.
std::string_view fallback_chat_template(std::string_view architecture);

// Stable finding code: the model has no chat template and a fallback is used.
inline constexpr std::string_view template_missing_code = "template-missing";

}  // namespace hearth

namespace hearth {

// A model's own chat template and the special-token text templates refer to.
struct ModelChatTemplate {
    std::string source;        // the Jinja source
    std::string origin;        // "tokenizer.chat_template (GGUF)", "tokenizer_config.json", "chat_template.jinja",
                               // or "fallback for <architecture>"
    bool is_fallback = false;  // the model has none: report template_missing_code
    std::string bos_token;     // text of the BOS token ("<|im_start|>", "<bos>"), empty if none
    std::string eos_token;
};

// Reads the chat template of the model at `path` (a .gguf file or a Hugging Face folder): from GGUF metadata
// `tokenizer.chat_template`, or tokenizer_config.json's `chat_template` (a string, or a list of named
// templates of which "default" is used), or chat_template.jinja. A model without one gets
// fallback_chat_template(architecture).
Result<ModelChatTemplate> load_chat_template(const std::filesystem::path& path);

}  // namespace hearth
