// The attention kernel for each kind of layer. Every path Hearth has handles every attention variant its
// models use (full, sliding window, chunked local, NoPE layers, soft-capping, GQA/MQA) with every KV cache
// type, so the choice depends only on the device: unlike the engines of S2, no combination falls back to a
// path that lacks a feature. The table says so explicitly, and the planner still checks it.
#include <algorithm>
#include <map>

#include "model/model_config.h"
#include "plan/planner.h"

namespace hearth::planner {
namespace {

enum Feature : unsigned {
    k_full = 1, k_sliding = 2, k_chunked = 4, k_nope = 8, k_softcap = 16, k_gqa = 32, k_fp8_kv = 64,
};
constexpr unsigned k_all = k_full | k_sliding | k_chunked | k_nope | k_softcap | k_gqa | k_fp8_kv;

struct AttentionPath {
    std::string_view name;
    bool cuda;
    int min_cc;  // major * 10 + minor
    unsigned features;
    std::string_view how;
};

// Best first.
constexpr AttentionPath k_paths[] = {
    {"cuda-paged-flash-sm80", true, 80, k_all, "tensor-core tiles, online softmax"},
    {"cuda-paged-tiled-sm60", true, 60, k_all, "FP32-accumulating tiles for GPUs below compute capability 8.0"},
    {"cpu-paged-f32", false, 0, k_all, "F32 math over the paged cache"},
};

}  // namespace

void choose_attention(Context& c) {
    const ModelInfo& m = c.model;
    auto config = model::resolve_model_config(m);
    // Layer variants from the resolved config where it resolves (dense models), else from ModelInfo.
    std::vector<std::pair<std::string, unsigned>> layers;  // kind label, features needed
    const unsigned common = (m.n_kv_heads > 0 && m.n_kv_heads < m.n_heads ? k_gqa : 0u) |
                            (m.attention.attn_logit_softcapping.value_or(0.0) > 0.0 ? k_softcap : 0u) |
                            (c.plan.kv_cache_type == TensorType::F8_E4M3 || c.plan.kv_cache_type == TensorType::F8_E5M2
                                 ? k_fp8_kv : 0u);
    const bool chunked_model = std::any_of(m.attention.layer_types.begin(), m.attention.layer_types.end(),
                                           [](const std::string& t) { return t == "chunked_attention"; });
    for (std::int64_t i = 0; i < m.n_layers; ++i) {
        const std::string type = i < static_cast<std::int64_t>(m.attention.layer_types.size())
                                     ? m.attention.layer_types[static_cast<std::size_t>(i)]
                                     : (m.attention.sliding_window > 0 ? "sliding_attention" : "full_attention");
        bool rope = true;
        if (config) rope = config->layers[static_cast<std::size_t>(i)].uses_rope;
        else if (chunked_model) rope = type != "full_attention";
        unsigned need = common;
        std::string label;
        if (type == "chunked_attention") { need |= k_chunked; label = "chunked"; }
        else if (type == "sliding_attention") { need |= k_sliding; label = "sliding window"; }
        else { need |= k_full; label = "full"; }
        if (!rope) { need |= k_nope; label += ", no RoPE"; }
        layers.emplace_back("attention (" + label + ")", need);
    }
    unsigned need_all = 0;
    for (const auto& [label, need] : layers) need_all |= need;

    const int cc = c.gpu ? c.gpu->cc_major * 10 + c.gpu->cc_minor : 0;
    const AttentionPath* chosen = nullptr;
    for (const AttentionPath& p : k_paths) {
        if (p.cuda != (c.gpu != nullptr) || cc < p.min_cc || (p.features & need_all) != need_all) continue;
        chosen = &p;
        break;
    }
    if (!chosen) return;  // unreachable with the table above: every path has every feature

    std::map<std::string, std::int64_t> counts;
    std::vector<std::string> order;
    for (const auto& [label, need] : layers)
        if (counts[label]++ == 0) order.push_back(label);
    const std::string kv = std::string(name(c.plan.kv_cache_type));
    for (const std::string& label : order) {
        std::string reason = std::string(chosen->how) + "; " + kv + " KV cache";
        if (common & k_gqa) reason += "; " + std::to_string(m.n_heads / m.n_kv_heads) + " query heads per KV head";
        c.plan.kernels.push_back(KernelChoice{label, counts[label], kv, std::string(chosen->name), reason});
    }

    if (chunked_model) {
        std::int64_t chunked = 0;
        for (const auto& t : m.attention.layer_types) chunked += t == "chunked_attention";
        c.add(make_finding("attention-chunked", Severity::info,
                           {{"chunked", std::to_string(chunked)}, {"layers", std::to_string(m.n_layers)},
                            {"global", std::to_string(m.n_layers - chunked)},
                            {"chunk", std::to_string(m.attention.chunk_size)}, {"path", std::string(chosen->name)},
                            {"kv", kv}}));
    }
}

// True when every attention path of the table supports every variant: the S2 guarantee, for tests.
bool every_attention_path_has_every_feature() {
    for (const AttentionPath& p : k_paths)
        if ((p.features & k_all) != k_all) return false;
    return true;
}

}  // namespace hearth::planner
