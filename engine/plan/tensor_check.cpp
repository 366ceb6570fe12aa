// Whether the checkpoint's architecture is one Hearth runs, and whether its tensors are the ones that
// architecture needs: every missing and every unexpected module is named before loading (S3), at the level
// of modules so a quantized layer's packed weight and scales count as its weight.
#include <algorithm>
#include <set>

#include "model/architecture.h"
#include "model/model_config.h"
#include "plan/planner.h"

namespace hearth::planner {
namespace {

// The modules a model of this shape has, in the file's naming (GGUF or transformers).
std::vector<std::string> expected_modules(const ModelInfo& m, const model::ArchitectureTraits& arch,
                                          const std::set<std::string>& present) {
    const bool gguf = m.format == ModelFormat::gguf;
    std::vector<std::string> out;
    auto layer = [&](std::int64_t i, std::string_view g, std::string_view h) {
        out.push_back(gguf ? "blk." + std::to_string(i) + "." + std::string(g)
                           : "model.layers." + std::to_string(i) + "." + std::string(h));
    };
    out.push_back(gguf ? "token_embd" : "model.embed_tokens");
    out.push_back(gguf ? "output_norm" : "model.norm");
    if (!m.tied_embeddings) out.push_back(gguf ? "output" : "lm_head");
    const bool mixtral_names = std::any_of(present.begin(), present.end(), [](const std::string& s) {
        return s.find("block_sparse_moe") != std::string::npos;
    });
    for (std::int64_t i = 0; i < m.n_layers; ++i) {
        layer(i, "attn_norm", "input_layernorm");
        layer(i, "attn_q", "self_attn.q_proj");
        layer(i, "attn_k", "self_attn.k_proj");
        layer(i, "attn_v", "self_attn.v_proj");
        layer(i, "attn_output", "self_attn.o_proj");
        if (arch.qk_norm) {
            layer(i, "attn_q_norm", "self_attn.q_norm");
            layer(i, "attn_k_norm", "self_attn.k_norm");
        }
        if (arch.sandwich_norms) {
            layer(i, "post_attention_norm", "post_attention_layernorm");
            layer(i, "ffn_norm", "pre_feedforward_layernorm");
            layer(i, "post_ffw_norm", "post_feedforward_layernorm");
        } else {
            layer(i, "ffn_norm", "post_attention_layernorm");
        }
        if (m.moe.n_experts == 0) {
            layer(i, "ffn_gate", "mlp.gate_proj");
            layer(i, "ffn_up", "mlp.up_proj");
            layer(i, "ffn_down", "mlp.down_proj");
        } else if (gguf) {
            for (auto name : {"ffn_gate_inp", "ffn_gate_exps", "ffn_up_exps", "ffn_down_exps"}) layer(i, name, "");
        } else {
            const std::string moe = mixtral_names ? "block_sparse_moe." : "mlp.";
            layer(i, "", moe + "gate");
            for (std::int64_t e = 0; e < m.moe.n_experts; ++e) {
                const std::string expert = moe + "experts." + std::to_string(e) + ".";
                for (auto proj : mixtral_names ? std::vector<std::string>{"w1", "w2", "w3"}
                                               : std::vector<std::string>{"gate_proj", "up_proj", "down_proj"})
                    layer(i, "", expert + proj);
            }
            if (m.moe.n_shared_experts > 0) {
                for (auto proj : {"gate_proj", "up_proj", "down_proj"}) layer(i, "", moe + "shared_expert." + proj);
                layer(i, "", moe + "shared_expert_gate");
            }
        }
    }
    return out;
}

std::string supported_list() {
    std::string out;
    for (const auto* arch : {&model::llama_architecture(), &model::qwen2_architecture(), &model::qwen3_architecture(),
                             &model::gemma3_architecture()}) {
        out += (out.empty() ? "" : ", ") + std::string(arch->name);
        for (auto alias : arch->aliases) out += ", " + std::string(alias);
    }
    return out;
}

}  // namespace

void check_architecture(Context& c) {
    const ModelInfo& m = c.model;
    if (m.moe.n_experts > 0) {
        c.add(make_finding("arch-unsupported", Severity::refusal,
                           {{"arch", m.architecture}, {"experts", std::to_string(m.moe.n_experts)},
                            {"used", std::to_string(m.moe.n_experts_used)}},
                           "moe"));
        return;
    }
    if (!model::find_architecture(m.architecture)) {
        c.add(make_finding("arch-unsupported", Severity::refusal,
                           {{"arch", m.architecture}, {"supported", supported_list()}}, "unknown"));
        return;
    }
    if (auto config = model::resolve_model_config(m); !config)
        c.add(make_finding("arch-unsupported", Severity::refusal, {{"reason", config.error().message}}, "config"));
}

void check_tensors(Context& c) {
    const ModelInfo& m = c.model;
    auto arch = model::find_architecture(m.architecture);
    // A MoE of a family Hearth does not know (Mixtral) is still checked with the llama block around it.
    const model::ArchitectureTraits* traits = arch ? arch.value() : (m.moe.n_experts > 0 ? &model::llama_architecture() : nullptr);
    if (!traits || m.n_layers <= 0) return;

    std::set<std::string> present;
    for (const Module& mod : c.modules) present.insert(mod.name);
    const std::vector<std::string> expected = expected_modules(m, *traits, present);
    const std::set<std::string> wanted(expected.begin(), expected.end());

    const std::string arch_name = m.architecture;
    std::vector<std::string> missing;
    for (const std::string& name : expected)
        if (!present.contains(name)) missing.push_back(name);
    std::vector<std::string> unexpected;
    for (const Module& mod : c.modules) {
        if (wanted.contains(mod.name)) continue;
        // A tied model may still carry its output head; GGUF files may carry RoPE factors.
        if (mod.name == "lm_head" || mod.name == "output" || mod.name == "rope_freqs") continue;
        unexpected.push_back(mod.name);
    }
    auto more = [](std::size_t n) { return n > 1 ? ", " + std::to_string(n - 1) + " more" : std::string(); };
    auto tensor_name = [&](const std::string& module) {
        for (const Module& mod : c.modules)
            if (mod.name == module && !mod.tensors.empty()) return mod.tensors.front()->name;
        return module + ".weight";
    };
    if (!missing.empty()) {
        Args args = {{"tensor", missing.front() + ".weight"}, {"arch", arch_name},
                     {"count", std::to_string(missing.size())}, {"more", ""}};
        std::string list;
        for (const auto& name : missing) list += (list.empty() ? "" : ", ") + name;
        args.emplace_back("modules", list);
        c.add(make_finding("tensor-missing", Severity::refusal, std::move(args)));
    }
    if (!unexpected.empty()) {
        std::string list;
        for (const auto& name : unexpected) list += (list.empty() ? "" : ", ") + name;
        c.add(make_finding("tensor-unexpected", Severity::refusal,
                           {{"tensor", tensor_name(unexpected.front())}, {"arch", arch_name},
                            {"count", std::to_string(unexpected.size())}, {"more", more(unexpected.size())},
                            {"modules", list}}));
    }
}

}  // namespace hearth::planner
