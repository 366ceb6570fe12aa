#pragma once
// The numbers the forward pass needs, resolved once from a ModelInfo: per-layer attention kind and RoPE
// table, the attention scale, soft-capping. Anything the engine cannot run is refused here, with the reason.

#include <cstdint>
#include <vector>

#include "backend/backend.h"
#include "hearth/model_info.h"
#include "model/architecture.h"

namespace hearth::model {

// How one kind of layer rotates: base frequency plus scaling, turned into inv_freq by rope_inv_freq().
struct RopeSpec {
    double theta = 10000.0;
    std::string scaling_type;  // "", "linear", "llama3"
    double factor = 1.0;
    double low_freq_factor = 1.0;
    double high_freq_factor = 4.0;
    double original_context_length = 8192.0;
};

struct LayerConfig {
    backend::AttentionMask mask = backend::AttentionMask::causal;
    std::int32_t window = 0;   // sliding window or chunk length
    bool uses_rope = true;     // false for NoPE layers (Llama 4's global layers)
    int rope_index = 0;        // index into ModelConfig::ropes
};

struct ModelConfig {
    const ArchitectureTraits* arch = nullptr;
    std::int64_t hidden_size = 0;
    std::int64_t n_layers = 0;
    std::int64_t n_heads = 0;
    std::int64_t n_kv_heads = 0;
    std::int64_t head_dim = 0;
    std::int64_t ffn_size = 0;
    std::int64_t vocab_size = 0;
    std::int64_t context_length = 0;
    float norm_eps = 1e-6f;
    float attention_scale = 1.0f;
    float attention_softcap = 0.0f;  // 0 = off
    float final_softcap = 0.0f;      // 0 = off
    float embedding_scale = 1.0f;
    bool tied_embeddings = false;
    std::vector<RopeSpec> ropes;     // [0] global layers, [1] local (sliding) layers where they differ
    std::vector<LayerConfig> layers;
};

Result<ModelConfig> resolve_model_config(const ModelInfo& info);

// inv_freq[j] = 1 / theta^(2j / rotary_dim), scaled as the spec says; rotary_dim / 2 values.
std::vector<float> rope_inv_freq(const RopeSpec& spec, std::int64_t rotary_dim);

}  // namespace hearth::model
