// Chat templates are untrusted (they come inside model files): each input is compiled as a template and,
// when it compiles, rendered with a conversation that has a system message, tools and non-ASCII text,
// under tight limits so runaway loops and output end quickly. An Error is the only allowed failure; a
// crash, a sanitizer report, an escaping exception or a hang (-timeout) is a finding.
#include <nlohmann/json.hpp>

#include "fuzz_common.h"
#include "hearth/chat_template.h"

using namespace hearth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const nlohmann::ordered_json context = nlohmann::ordered_json::parse(R"({
        "messages": [{"role": "system", "content": "Be brief."},
                     {"role": "user", "content": "héllo 世界 👋🏽"},
                     {"role": "assistant", "content": "<think>x</think>hi", "tool_calls": [
                         {"type": "function", "function": {"name": "f", "arguments": {"a": 1}}}]},
                     {"role": "tool", "content": "42"}],
        "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
        "documents": null, "add_generation_prompt": true, "bos_token": "<s>", "eos_token": "</s>"})");
    auto compiled = ChatTemplate::compile(fuzz::as_text(data, size));
    if (!compiled) return 0;
    ChatTemplateLimits limits;
    limits.max_output_bytes = 1 << 20;
    limits.max_loop_iterations = 100'000;
    auto rendered = compiled->render(context, limits);
    if (rendered) HEARTH_FUZZ_CHECK(rendered->size() <= limits.max_output_bytes);
    return 0;
}
