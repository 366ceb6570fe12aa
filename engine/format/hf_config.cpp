#include "format/hf_config.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/utf8.h"
#include "format/format_error.h"
#include "format/json_text.h"
#include "format/model_info_builders.h"

namespace hearth::format {
namespace {

using nlohmann::json;

// Typed access to one JSON object, with errors that name the file and the key.
class ConfigObject {
public:
    ConfigObject(const json& object, std::string file_name, std::string prefix = "")
        : m_object(&object), m_file(std::move(file_name)), m_prefix(std::move(prefix)) {}

    [[noreturn]] void fail(const std::string& key, const std::string& expected, const json& found) const {
        std::string shown = found.is_primitive() ? found.dump() : std::string(found.type_name());
        throw FormatError(m_file + ": '" + m_prefix + key + "' must be " + expected + ", found " +
                          escape_for_message(shown, 80));
    }
    const json* find(const std::string& key) const {
        auto it = m_object->find(key);
        return it == m_object->end() || it->is_null() ? nullptr : &*it;
    }
    std::optional<std::int64_t> integer(const std::string& key) const {
        const json* v = find(key);
        if (!v) return std::nullopt;
        if (!v->is_number_integer()) fail(key, "an integer", *v);
        return v->get<std::int64_t>();
    }
    std::int64_t positive(const std::string& key) const {
        auto v = integer(key);
        if (!v) throw FormatError(m_file + ": '" + m_prefix + key + "' is missing; expected a positive integer");
        if (*v <= 0) fail(key, "a positive integer", *find(key));
        return *v;
    }
    std::optional<std::int64_t> non_negative(const std::string& key) const {
        auto v = integer(key);
        if (v && *v < 0) fail(key, "a non-negative integer", *find(key));
        return v;
    }
    std::optional<double> number(const std::string& key) const {
        const json* v = find(key);
        if (!v) return std::nullopt;
        if (!v->is_number()) fail(key, "a number", *v);
        return v->get<double>();
    }
    std::optional<std::string> string(const std::string& key) const {
        const json* v = find(key);
        if (!v) return std::nullopt;
        if (!v->is_string()) fail(key, "a string", *v);
        return v->get<std::string>();
    }
    std::optional<bool> boolean(const std::string& key) const {
        const json* v = find(key);
        if (!v) return std::nullopt;
        if (!v->is_boolean()) fail(key, "true or false", *v);
        return v->get<bool>();
    }
    std::optional<ConfigObject> object(const std::string& key) const {
        const json* v = find(key);
        if (!v) return std::nullopt;
        if (!v->is_object()) fail(key, "an object", *v);
        return ConfigObject(*v, m_file, m_prefix + key + ".");
    }
    const std::string& file() const { return m_file; }
    const std::string& prefix() const { return m_prefix; }
    const json& raw() const { return *m_object; }

private:
    const json* m_object;
    std::string m_file;
    std::string m_prefix;
};

json parse_object(std::string_view text, const std::string& file_name) {
    json root = parse_json(text, file_name);
    if (!root.is_object()) throw FormatError(file_name + ": expected a JSON object, found " + root.type_name());
    return root;
}

std::string normalized_model_type(std::string type) {
    // transformers names the text-only half of multimodal families "<family>_text"; llama.cpp and Hearth
    // name the architecture after the family.
    for (std::string_view suffix : {"_text"}) {
        if (type.size() > suffix.size() && type.ends_with(suffix)) type.resize(type.size() - suffix.size());
    }
    return type;
}

void read_rope(const ConfigObject& c, ModelInfo& info) {
    info.rope.theta = c.number("rope_theta").value_or(10000.0);
    info.rope.local_theta = c.number("rope_local_base_freq");
    auto scaling = c.object("rope_scaling");
    if (!scaling) return;
    auto type = scaling->string("rope_type");
    if (!type) type = scaling->string("type");
    info.rope.scaling_type = escape_for_message(type.value_or(""));
    if (info.rope.scaling_type == "default") info.rope.scaling_type.clear();
    info.rope.scaling_factor = scaling->number("factor").value_or(1.0);
    info.rope.low_freq_factor = scaling->number("low_freq_factor");
    info.rope.high_freq_factor = scaling->number("high_freq_factor");
    if (auto original = scaling->non_negative("original_max_position_embeddings")) {
        info.rope.original_context_length = *original;
    }
}

void read_attention_layout(const ConfigObject& c, ModelInfo& info) {
    auto& att = info.attention;
    att.sliding_window = c.non_negative("sliding_window").value_or(0);
    // Qwen2 configs carry a sliding_window value with use_sliding_window=false: the window is off.
    if (c.boolean("use_sliding_window") == false) att.sliding_window = 0;
    att.chunk_size = c.non_negative("attention_chunk_size").value_or(0);
    att.query_pre_attn_scalar = c.number("query_pre_attn_scalar");
    att.attn_logit_softcapping = c.number("attn_logit_softcapping");
    att.final_logit_softcapping = c.number("final_logit_softcapping");

    if (const json* types = c.find("layer_types")) {
        if (!types->is_array()) c.fail("layer_types", "an array of strings", *types);
        for (const auto& t : *types) {
            if (!t.is_string()) c.fail("layer_types", "an array of strings", t);
            att.layer_types.push_back(escape_for_message(t.get<std::string>()));
        }
        if (static_cast<std::int64_t>(att.layer_types.size()) != info.n_layers) {
            throw FormatError(c.file() + ": '" + c.prefix() + "layer_types' lists " +
                              std::to_string(att.layer_types.size()) + " layers, but num_hidden_layers is " +
                              std::to_string(info.n_layers));
        }
        return;
    }
    if (auto pattern = c.non_negative("sliding_window_pattern"); pattern && *pattern > 0 && att.sliding_window > 0) {
        // Older Gemma 3 configs: every pattern-th layer is global, the others use the sliding window.
        for (std::int64_t i = 0; i < info.n_layers; ++i) {
            att.layer_types.push_back((i + 1) % *pattern == 0 ? "full_attention" : "sliding_attention");
        }
        return;
    }
    if (att.chunk_size > 0) {
        // Llama 4: layers that use RoPE attend within chunks; the NoPE layers (no_rope_layers[i] == 0) are global.
        const json* no_rope = c.find("no_rope_layers");
        if (no_rope && no_rope->is_array() && static_cast<std::int64_t>(no_rope->size()) == info.n_layers) {
            for (const auto& v : *no_rope) {
                att.layer_types.push_back(v.is_number_integer() && v.get<std::int64_t>() == 0 ? "full_attention"
                                                                                                : "chunked_attention");
            }
        }
    }
}

void read_moe(const ConfigObject& c, ModelInfo& info) {
    for (const char* key : {"num_local_experts", "num_experts", "n_routed_experts"}) {
        if (auto n = c.non_negative(key)) { info.moe.n_experts = *n; break; }
    }
    info.moe.n_experts_used = c.non_negative("num_experts_per_tok").value_or(0);
    info.moe.expert_ffn_size = c.non_negative("moe_intermediate_size").value_or(0);
    if (info.moe.expert_ffn_size == 0 && info.moe.n_experts > 0) {
        info.moe.expert_ffn_size = c.non_negative("intermediate_size_mlp").value_or(info.ffn_size);
    }
    if (auto shared = c.non_negative("n_shared_experts")) info.moe.n_shared_experts = *shared;
    else if (c.non_negative("shared_expert_intermediate_size").value_or(0) > 0) info.moe.n_shared_experts = 1;
}

std::string as_text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

void read_quantization(const ConfigObject& root, ModelInfo& info) {
    auto q = root.object("quantization_config");
    if (!q) q = root.object("compression_config");
    if (!q) return;
    auto& out = info.quantization;
    for (const auto& [key, value] : q->raw().items()) {
        out.parameters.emplace_back(escape_for_message(key), escape_for_message(as_text(value), 120));
    }
    auto method = q->string("quant_method");
    if (!method) {
        throw FormatError(q->file() + ": 'quantization_config' has no 'quant_method'; expected gptq, awq, "
                          "bitsandbytes, fp8, …");
    }
    out.method = escape_for_message(*method);
    auto skip_list = [&](const char* key) {
        if (const json* list = q->find(key); list && list->is_array()) {
            for (const auto& m : *list) if (m.is_string()) out.modules_not_converted.push_back(escape_for_message(m.get<std::string>()));
        }
    };
    auto to_int = [](std::optional<std::int64_t> v) { return v ? static_cast<int>(std::clamp<std::int64_t>(*v, -1, 1 << 20)) : 0; };
    if (out.method == "gptq") {
        out.bits = to_int(q->integer("bits"));
        out.group_size = to_int(q->integer("group_size"));
        out.desc_act = q->boolean("desc_act");
        out.sym = q->boolean("sym");
        out.scheme = escape_for_message(q->string("checkpoint_format").value_or("gptq"));
    } else if (out.method == "awq") {
        out.bits = to_int(q->integer("bits"));
        if (!out.bits) out.bits = to_int(q->integer("w_bit"));
        out.group_size = to_int(q->integer("group_size"));
        if (!out.group_size) out.group_size = to_int(q->integer("q_group_size"));
        if (auto zero_point = q->boolean("zero_point")) out.sym = !*zero_point;
        out.scheme = escape_for_message(q->string("version").value_or("gemm"));
        skip_list("modules_to_not_convert");
    } else if (out.method == "bitsandbytes") {
        if (q->boolean("load_in_4bit").value_or(false)) {
            out.bits = 4;
            out.scheme = escape_for_message(q->string("bnb_4bit_quant_type").value_or("fp4"));
        } else if (q->boolean("load_in_8bit").value_or(false)) {
            out.bits = 8;
            out.scheme = "int8";
        }
        out.group_size = 64;  // bitsandbytes' fixed 4-bit block size
        skip_list("llm_int8_skip_modules");
    } else if (out.method == "fp8") {
        out.bits = 8;
        std::string scheme = escape_for_message(q->string("fmt").value_or("e4m3"));
        if (const json* block = q->find("weight_block_size"); block && block->is_array()) {
            scheme += ", blocks " + escape_for_message(block->dump(), 40);
        } else {
            scheme += ", per-tensor";
        }
        out.scheme = scheme;
        skip_list("modules_to_not_convert");
    } else {
        out.bits = to_int(q->integer("bits"));
        out.group_size = to_int(q->integer("group_size"));
    }
}

}  // namespace

void apply_hf_config(std::string_view json_text, const std::string& file_name, ModelInfo& info) {
    const json root_json = parse_object(json_text, file_name);
    const ConfigObject root(root_json, file_name);

    if (const json* archs = root.find("architectures")) {
        if (!archs->is_array() || archs->empty() || !(*archs)[0].is_string()) {
            root.fail("architectures", "a list of class names", *archs);
        }
        info.architecture_class = escape_for_message((*archs)[0].get<std::string>());
    }
    // Multimodal checkpoints describe their language model in text_config.
    const auto text = root.object("text_config");
    const ConfigObject& c = text ? *text : root;
    auto model_type = c.string("model_type");
    if (!model_type) model_type = root.string("model_type");
    if (!model_type || model_type->empty()) {
        throw FormatError(file_name + ": 'model_type' is missing; expected e.g. \"llama\", \"qwen2\", \"gemma3_text\"");
    }
    info.architecture = escape_for_message(normalized_model_type(*model_type));

    info.hidden_size = c.positive("hidden_size");
    info.n_layers = c.positive("num_hidden_layers");
    if (info.n_layers > k_max_layers) c.fail("num_hidden_layers", "at most " + std::to_string(k_max_layers), *c.find("num_hidden_layers"));
    info.n_heads = c.positive("num_attention_heads");
    info.n_kv_heads = c.non_negative("num_key_value_heads").value_or(info.n_heads);
    if (info.n_kv_heads == 0 || info.n_heads % info.n_kv_heads != 0) {
        throw FormatError(file_name + ": 'num_key_value_heads' is " + std::to_string(info.n_kv_heads) +
                          "; expected a divisor of num_attention_heads (" + std::to_string(info.n_heads) + ")");
    }
    info.head_dim = c.non_negative("head_dim").value_or(0);
    if (info.head_dim == 0) info.head_dim = info.hidden_size / info.n_heads;
    info.ffn_size = c.non_negative("intermediate_size").value_or(0);
    info.vocab_size = c.non_negative("vocab_size").value_or(0);
    info.context_length = c.non_negative("max_position_embeddings").value_or(0);
    info.norm_eps = c.number("rms_norm_eps");
    if (!info.norm_eps) info.norm_eps = c.number("layer_norm_eps");
    // transformers' default for tie_word_embeddings differs by family; the config usually states it.
    const bool tied_default = info.architecture.starts_with("gemma");
    info.tied_embeddings = c.boolean("tie_word_embeddings").value_or(root.boolean("tie_word_embeddings").value_or(tied_default));

    read_rope(c, info);
    read_attention_layout(c, info);
    read_moe(c, info);

    auto dtype = root.string("torch_dtype");
    if (!dtype) dtype = root.string("dtype");
    if (!dtype) dtype = c.string("torch_dtype");
    info.declared_dtype = escape_for_message(dtype.value_or(""));
    read_quantization(root, info);
}

void apply_generation_config(std::string_view json_text, const std::string& file_name, ModelInfo& info) {
    const json root_json = parse_object(json_text, file_name);
    const ConfigObject c(root_json, file_name);
    auto& g = info.generation;
    g.temperature = c.number("temperature");
    g.top_p = c.number("top_p");
    g.top_k = c.integer("top_k");
    g.repetition_penalty = c.number("repetition_penalty");
    if (const json* eos = c.find("eos_token_id")) {
        g.eos_ids.clear();
        if (eos->is_number_integer()) {
            g.eos_ids.push_back(eos->get<std::int64_t>());
        } else if (eos->is_array()) {
            for (const auto& id : *eos) {
                if (!id.is_number_integer()) c.fail("eos_token_id", "an integer or a list of integers", *eos);
                g.eos_ids.push_back(id.get<std::int64_t>());
            }
        } else {
            c.fail("eos_token_id", "an integer or a list of integers", *eos);
        }
    }
}

}  // namespace hearth::format
