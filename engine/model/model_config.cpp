#include "model/model_config.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <sstream>

namespace hearth::model {
namespace {

// Errors name where the value was read: config.json in a Hugging Face folder, the GGUF file's metadata, and
// the key as that format spells it.
std::string source_of(const ModelInfo& info) {
    return info.format == ModelFormat::gguf ? info.path.string() : (info.path / "config.json").string();
}

std::string key_of(const ModelInfo& info, std::string_view hf_key, std::string_view gguf_key) {
    std::string key = "'";
    if (info.format == ModelFormat::gguf) {
        key += info.architecture;
        key += '.';
        key += gguf_key;
    } else {
        key += hf_key;
    }
    key += '\'';
    return key;
}

Error config_error(const ModelInfo& info, const std::string& what) { return Error{source_of(info) + ": " + what}; }

std::string number_text(double value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

// A value that must be a finite number > 0 (>= 0 when zero_ok).
std::optional<Error> check_positive(const ModelInfo& info, double value, std::string_view hf_key,
                                    std::string_view gguf_key, bool zero_ok = false) {
    if (std::isfinite(value) && (value > 0.0 || (zero_ok && value == 0.0))) return std::nullopt;
    return config_error(info, key_of(info, hf_key, gguf_key) + " is " + number_text(value) + "; expected " +
                                  (zero_ok ? "a number >= 0" : "a positive number"));
}

Result<RopeSpec> global_rope(const ModelInfo& info) {
    RopeSpec spec;
    spec.theta = info.rope.theta;
    if (auto error = check_positive(info, spec.theta, "rope_theta", "rope.freq_base")) return *error;
    const std::string& type = info.rope.scaling_type;
    if (type.empty() || type == "none" || type == "default") return spec;
    const std::string scaling_key = key_of(info, "rope_scaling", "rope.scaling.type");
    if (type == "linear") {
        spec.scaling_type = "linear";
        spec.factor = info.rope.scaling_factor;
    } else if (type == "llama3") {
        spec.scaling_type = "llama3";
        spec.factor = info.rope.scaling_factor;
        spec.low_freq_factor = info.rope.low_freq_factor.value_or(1.0);
        spec.high_freq_factor = info.rope.high_freq_factor.value_or(4.0);
        spec.original_context_length = static_cast<double>(info.rope.original_context_length.value_or(8192));
        if (!(spec.high_freq_factor > spec.low_freq_factor) || !(spec.low_freq_factor > 0.0) ||
            !std::isfinite(spec.high_freq_factor))
            return config_error(info, scaling_key + " llama3 needs high_freq_factor > low_freq_factor > 0; found " +
                                          number_text(spec.high_freq_factor) + " and " +
                                          number_text(spec.low_freq_factor));
        if (!(spec.original_context_length > 0.0))
            return config_error(info, scaling_key + " llama3 needs original_max_position_embeddings > 0");
    } else {
        return config_error(info, scaling_key + " asks for RoPE scaling '" + type +
                                      "', which is not supported yet; Hearth supports none, linear and llama3");
    }
    if (!(spec.factor > 0.0) || !std::isfinite(spec.factor))
        return config_error(info, key_of(info, "rope_scaling.factor", "rope.scaling.factor") + " is " +
                                      number_text(spec.factor) + "; expected a positive number");
    return spec;
}

// The window of a sliding-window or chunked layer as the backend stores it. NOTE: a window longer than any
// context attends like full attention, so a larger one is clamped, not wrapped: 2^32 cast to int32 is 0,
// which left sliding layers no keys at all (NaN) and made chunked attention divide by zero.
std::int32_t window_of(std::int64_t window) {
    return static_cast<std::int32_t>(std::min<std::int64_t>(window, std::numeric_limits<std::int32_t>::max()));
}

}  // namespace

std::vector<float> rope_inv_freq(const RopeSpec& spec, std::int64_t rotary_dim) {
    std::vector<float> inv_freq(static_cast<std::size_t>(rotary_dim / 2));
    for (std::size_t j = 0; j < inv_freq.size(); ++j) {
        // transformers computes this in F32: base ** (2j / dim) with the exponent rounded to F32 first.
        const float exponent = static_cast<float>(2 * j) / static_cast<float>(rotary_dim);
        float f = 1.0f / std::pow(static_cast<float>(spec.theta), exponent);
        if (spec.scaling_type == "linear") {
            f = static_cast<float>(f / spec.factor);
        } else if (spec.scaling_type == "llama3") {
            const double low_wavelen = spec.original_context_length / spec.low_freq_factor;
            const double high_wavelen = spec.original_context_length / spec.high_freq_factor;
            const double wavelen = 2.0 * std::numbers::pi / f;
            if (wavelen > low_wavelen) {
                f = static_cast<float>(f / spec.factor);
            } else if (wavelen >= high_wavelen) {
                const double smooth = (spec.original_context_length / wavelen - spec.low_freq_factor) /
                                      (spec.high_freq_factor - spec.low_freq_factor);
                f = static_cast<float>((1.0 - smooth) * f / spec.factor + smooth * f);
            }
        }
        inv_freq[j] = f;
    }
    return inv_freq;
}

Result<ModelConfig> resolve_model_config(const ModelInfo& info) {
    auto arch = find_architecture(info.architecture);
    if (!arch) return config_error(info, arch.error().message);
    if (info.moe.n_experts > 0)
        return config_error(info, "mixture-of-experts models (" + std::to_string(info.moe.n_experts) +
                                      " experts) are not supported by the CPU engine yet");

    ModelConfig c;
    c.arch = arch.value();
    c.hidden_size = info.hidden_size;
    c.n_layers = info.n_layers;
    c.n_heads = info.n_heads;
    c.n_kv_heads = info.n_kv_heads > 0 ? info.n_kv_heads : info.n_heads;
    c.head_dim = info.head_dim > 0 ? info.head_dim : (info.n_heads > 0 ? info.hidden_size / info.n_heads : 0);
    c.ffn_size = info.ffn_size;
    c.vocab_size = info.vocab_size;
    c.context_length = info.context_length;
    c.tied_embeddings = info.tied_embeddings;
    // Every dimension positive and within int32 (token ids and the backend's row counts are int32; products
    // such as heads × head_dim then stay far from int64 overflow).
    const struct {
        std::int64_t value;
        std::string_view hf_key, gguf_key;
    } dimensions[] = {
        {c.hidden_size, "hidden_size", "embedding_length"},
        {c.n_layers, "num_hidden_layers", "block_count"},
        {c.n_heads, "num_attention_heads", "attention.head_count"},
        {c.n_kv_heads, "num_key_value_heads", "attention.head_count_kv"},
        {c.head_dim, "head_dim", "attention.key_length"},
        {c.ffn_size, "intermediate_size", "feed_forward_length"},
        {c.vocab_size, "vocab_size", "vocab_size"},
    };
    for (const auto& d : dimensions) {
        if (d.value <= 0)
            return config_error(info, key_of(info, d.hf_key, d.gguf_key) + " is " + std::to_string(d.value) +
                                          " or missing; the model's dimensions must all be positive");
        if (d.value > std::numeric_limits<std::int32_t>::max())
            return config_error(info, key_of(info, d.hf_key, d.gguf_key) + " is " + std::to_string(d.value) +
                                          "; Hearth accepts at most 2147483647");
    }
    if (c.n_heads % c.n_kv_heads != 0)
        return config_error(info, std::to_string(c.n_heads) + " attention heads (" +
                                      key_of(info, "num_attention_heads", "attention.head_count") + ") cannot share " +
                                      std::to_string(c.n_kv_heads) + " key/value heads (" +
                                      key_of(info, "num_key_value_heads", "attention.head_count_kv") + ") evenly");
    if (c.head_dim % 2 != 0)
        return config_error(info, key_of(info, "head_dim", "attention.key_length") + " is " +
                                      std::to_string(c.head_dim) + "; RoPE needs an even head dim");
    c.norm_eps = static_cast<float>(info.norm_eps.value_or(1e-6));
    if (auto error = check_positive(info, info.norm_eps.value_or(1e-6), "rms_norm_eps",
                                    "attention.layer_norm_rms_epsilon", true))
        return *error;
    const double scalar = info.attention.query_pre_attn_scalar.value_or(static_cast<double>(c.head_dim));
    if (auto error = check_positive(info, scalar, "query_pre_attn_scalar", "attention.query_pre_attn_scalar"))
        return *error;
    c.attention_scale = static_cast<float>(1.0 / std::sqrt(scalar));
    c.attention_softcap = static_cast<float>(info.attention.attn_logit_softcapping.value_or(0.0));
    c.final_softcap = static_cast<float>(info.attention.final_logit_softcapping.value_or(0.0));
    if (auto error = check_positive(info, c.attention_softcap, "attn_logit_softcapping", "attn_logit_softcapping", true))
        return *error;
    if (auto error = check_positive(info, c.final_softcap, "final_logit_softcapping", "final_logit_softcapping", true))
        return *error;
    if (c.arch->scale_embeddings) c.embedding_scale = static_cast<float>(std::sqrt(static_cast<double>(c.hidden_size)));

    auto rope = global_rope(info);
    if (!rope) return rope.error();
    c.ropes.push_back(rope.value());
    // Gemma 3's sliding layers rotate with their own base and no scaling.
    int local_rope = 0;
    if (info.rope.local_theta && *info.rope.local_theta != info.rope.theta) {
        if (auto error = check_positive(info, *info.rope.local_theta, "rope_local_base_freq", "rope.freq_base_swa"))
            return *error;
        RopeSpec local;
        local.theta = *info.rope.local_theta;
        c.ropes.push_back(local);
        local_rope = 1;
    }

    const auto& types = info.attention.layer_types;
    const std::string types_key = key_of(info, "layer_types", "attention.sliding_window_pattern");
    if (!types.empty() && static_cast<std::int64_t>(types.size()) != c.n_layers)
        return config_error(info, types_key + " lists " + std::to_string(types.size()) + " layers, the model has " +
                                      std::to_string(c.n_layers));
    for (std::int64_t i = 0; i < c.n_layers; ++i) {
        LayerConfig layer;
        const std::string type = types.empty() ? (info.attention.sliding_window > 0 ? "sliding_attention"
                                                                                      : "full_attention")
                                                : types[static_cast<std::size_t>(i)];
        if (type == "sliding_attention") {
            if (info.attention.sliding_window <= 0)
                return config_error(info, "layer " + std::to_string(i) + " is sliding_attention in " + types_key +
                                              ", but " + key_of(info, "sliding_window", "attention.sliding_window") +
                                              " gives no window size; expected a positive number of tokens");
            layer.mask = backend::AttentionMask::sliding_window;
            layer.window = window_of(info.attention.sliding_window);
            layer.rope_index = local_rope;
        } else if (type == "chunked_attention") {
            if (info.attention.chunk_size <= 0)
                return config_error(info, "layer " + std::to_string(i) + " is chunked_attention in " + types_key +
                                              ", but " + key_of(info, "attention_chunk_size", "attention.chunk_size") +
                                              " gives no chunk size; expected a positive number of tokens");
            layer.mask = backend::AttentionMask::chunked;
            layer.window = window_of(info.attention.chunk_size);
        } else if (type != "full_attention") {
            return config_error(info, "layer " + std::to_string(i) + " has attention type '" + type + "' in " +
                                          types_key + "; Hearth knows full_attention, sliding_attention and "
                                          "chunked_attention");
        }
        c.layers.push_back(layer);
    }
    // NOTE: Llama 4's iRoPE layout. Its configs mark the layers without RoPE in no_rope_layers, and both
    // transformers (Llama4TextConfig's default layer_types) and llama.cpp make exactly those layers the
    // full-attention ones and the RoPE layers chunked; ModelInfo keeps only the layer types. So in a model
    // with chunked layers, the full-attention layers are NoPE. (Before this, no layer ever lost its RoPE.)
    const bool chunked_model = std::any_of(c.layers.begin(), c.layers.end(), [](const LayerConfig& layer) {
        return layer.mask == backend::AttentionMask::chunked;
    });
    if (chunked_model) {
        for (LayerConfig& layer : c.layers) layer.uses_rope = layer.mask != backend::AttentionMask::causal;
    }
    return c;
}

}  // namespace hearth::model
