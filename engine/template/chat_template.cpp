#include "hearth/chat_template.h"

#include <exception>
#include <new>

#include "common/utf8.h"
#include "template/builtins.h"
#include "template/interpreter.h"
#include "template/lexer.h"
#include "template/parser.h"

namespace hearth {

namespace jinja {
struct Program {
    Body body;
    Value globals;
};
}  // namespace jinja

namespace {

Error template_error(const jinja::RenderError& e) {
    if (e.line > 0) return Error{"chat template line " + std::to_string(e.line) + ": " + e.message};
    return Error{"chat template: " + e.message};
}

// The fallbacks are written in the same Jinja subset and rendered like any other template.
constexpr std::string_view chatml_template =
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

constexpr std::string_view gemma_template =
    "{{ bos_token }}{% set ns = namespace(prefix='') %}"
    "{% for message in messages %}"
    "{% if message['role'] == 'system' %}{% set ns.prefix = ns.prefix + message['content'] + '\\n\\n' %}"
    "{% else %}{{ '<start_of_turn>' + ('model' if message['role'] == 'assistant' else message['role']) + '\\n' + ns.prefix"
    " + message['content'] | trim + '<end_of_turn>\\n' }}{% set ns.prefix = '' %}{% endif %}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<start_of_turn>model\\n' }}{% endif %}";

constexpr std::string_view phi3_template =
    "{% for message in messages %}{{ '<|' + message['role'] + '|>\\n' + message['content'] + '<|end|>\\n' }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% else %}{{ eos_token }}{% endif %}";

}  // namespace

Result<ChatTemplate> ChatTemplate::compile(std::string_view source) {
    if (!is_valid_utf8(source)) return Error{"chat template: not valid UTF-8"};
    try {
        auto program = std::make_shared<jinja::Program>();
        program->body = jinja::parse(jinja::tokenize(source));
        program->globals = jinja::make_globals();
        return ChatTemplate(std::move(program));
    } catch (const jinja::RenderError& e) {
        return template_error(e);
    } catch (const std::bad_alloc&) {
        return Error{"chat template: out of memory while compiling"};
    }
}

namespace {

template <class Json>
Result<std::string> render_with(const jinja::Program& program, const Json& context, const ChatTemplateLimits& limits) {
    if (!context.is_object()) return Error{"chat template: the context must be a JSON object"};
    try {
        jinja::Limits l;
        l.max_output_bytes = limits.max_output_bytes;
        l.max_loop_iterations = limits.max_loop_iterations;
        l.max_call_depth = limits.max_call_depth;
        const jinja::Value vars = jinja::from_json(context);
        jinja::Interpreter interpreter(l, program.globals);
        return interpreter.render(program.body, vars);
    } catch (const jinja::RenderError& e) {
        return template_error(e);
    } catch (const std::bad_alloc&) {
        return Error{"chat template: out of memory while rendering"};
    } catch (const std::exception& e) {
        return Error{std::string("chat template: ") + e.what()};
    }
}

}  // namespace

Result<std::string> ChatTemplate::render(const nlohmann::ordered_json& context, const ChatTemplateLimits& limits) const {
    return render_with(*m_program, context, limits);
}

Result<std::string> ChatTemplate::render(const nlohmann::json& context, const ChatTemplateLimits& limits) const {
    return render_with(*m_program, context, limits);
}

std::string_view fallback_chat_template(std::string_view architecture) {
    if (architecture.substr(0, 5) == "gemma") return gemma_template;
    if (architecture == "phi3") return phi3_template;
    return chatml_template;
}

}  // namespace hearth
