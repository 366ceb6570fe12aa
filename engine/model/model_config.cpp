#include "model/model_config.h"

#include <cmath>
#include <numbers>

namespace hearth::model {
namespace {

Result<RopeSpec> global_rope(const ModelInfo& info) {
    RopeSpec spec;
    spec.theta = info.rope.theta;
    const std::string& type = info.rope.scaling_type;
    if (type.empty() || type == "none" || type == "default") return spec;
    if (type == "linear") {
        spec.scaling_type = "linear";
        spec.factor = info.rope.scaling_factor;
    } else if (type == "llama3") {
        spec.scaling_type = "llama3";
        spec.factor = info.rope.scaling_factor;
        spec.low_freq_factor = info.rope.low_freq_factor.value_or(1.0);
        spec.high_freq_factor = info.rope.high_freq_factor.value_or(4.0);
        spec.original_context_length = static_cast<double>(info.rope.original_context_length.value_or(8192));
        if (spec.high_freq_factor <= spec.low_freq_factor)
            return Error{info.path.string() + ": rope_scaling llama3 needs high_freq_factor > low_freq_factor"};
    } else {
        return Error{info.path.string() + ": RoPE scaling '" + type +
                     "' is not supported yet; Hearth supports none, linear and llama3"};
    }
    if (!(spec.factor > 0.0) || !std::isfinite(spec.factor))
        return Error{info.path.string() + ": RoPE scaling factor must be a positive number"};
    return spec;
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
    if (!arch) return Error{info.path.string() + ": " + arch.error().message};
    if (info.moe.n_experts > 0)
        return Error{info.path.string() + ": mixture-of-experts models are not supported by the CPU engine yet"};

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
    if (c.hidden_size <= 0 || c.n_layers <= 0 || c.n_heads <= 0 || c.head_dim <= 0 || c.ffn_size <= 0 ||
        c.vocab_size <= 0)
        return Error{info.path.string() + ": the model's dimensions are incomplete (hidden size, layers, heads, "
                                          "head dim, FFN size and vocabulary must all be positive)"};
    if (c.n_heads % c.n_kv_heads != 0)
        return Error{info.path.string() + ": " + std::to_string(c.n_heads) + " attention heads cannot share " +
                     std::to_string(c.n_kv_heads) + " key/value heads evenly"};
    if (c.head_dim % 2 != 0) return Error{info.path.string() + ": head dim must be even for RoPE"};
    c.norm_eps = static_cast<float>(info.norm_eps.value_or(1e-6));
    const double scalar = info.attention.query_pre_attn_scalar.value_or(static_cast<double>(c.head_dim));
    c.attention_scale = static_cast<float>(1.0 / std::sqrt(scalar));
    c.attention_softcap = static_cast<float>(info.attention.attn_logit_softcapping.value_or(0.0));
    c.final_softcap = static_cast<float>(info.attention.final_logit_softcapping.value_or(0.0));
    if (c.arch->scale_embeddings) c.embedding_scale = static_cast<float>(std::sqrt(static_cast<double>(c.hidden_size)));

    auto rope = global_rope(info);
    if (!rope) return rope.error();
    c.ropes.push_back(rope.value());
    // Gemma 3's sliding layers rotate with their own base and no scaling.
    int local_rope = 0;
    if (info.rope.local_theta && *info.rope.local_theta != info.rope.theta) {
        RopeSpec local;
        local.theta = *info.rope.local_theta;
        c.ropes.push_back(local);
        local_rope = 1;
    }

    const auto& types = info.attention.layer_types;
    if (!types.empty() && static_cast<std::int64_t>(types.size()) != c.n_layers)
        return Error{info.path.string() + ": the attention layer types list " + std::to_string(types.size()) +
                     " layers, the model has " + std::to_string(c.n_layers)};
    for (std::int64_t i = 0; i < c.n_layers; ++i) {
        LayerConfig layer;
        const std::string type = types.empty() ? (info.attention.sliding_window > 0 ? "sliding_attention"
                                                                                      : "full_attention")
                                                : types[static_cast<std::size_t>(i)];
        if (type == "sliding_attention") {
            if (info.attention.sliding_window <= 0)
                return Error{info.path.string() + ": layer " + std::to_string(i) +
                             " uses sliding-window attention but the model gives no window size"};
            layer.mask = backend::AttentionMask::sliding_window;
            layer.window = static_cast<std::int32_t>(info.attention.sliding_window);
            layer.rope_index = local_rope;
        } else if (type == "chunked_attention") {
            if (info.attention.chunk_size <= 0)
                return Error{info.path.string() + ": layer " + std::to_string(i) +
                             " uses chunked attention but the model gives no chunk size"};
            layer.mask = backend::AttentionMask::chunked;
            layer.window = static_cast<std::int32_t>(info.attention.chunk_size);
        } else if (type != "full_attention") {
            return Error{info.path.string() + ": layer " + std::to_string(i) + " has attention type '" + type +
                         "'; Hearth knows full_attention, sliding_attention and chunked_attention"};
        }
        c.layers.push_back(layer);
    }
    return c;
}

}  // namespace hearth::model
