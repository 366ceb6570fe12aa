// What each layer of the checkpoint is (quantized, dense, a vector), and which kernel path runs it on the
// plan's device. Each linear layer is classified on its own (S5): a GPTQ checkpoint's lm_head or vision
// layers left in F16 take the dense path, an empty scale tensor is named, and the fast kernel is chosen per
// layer only where it applies.
#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>

#include "backend/cpu/quant/row_kernels.h"
#include "plan/planner.h"

namespace hearth::planner {
namespace {

// Tensors that describe how their module's weight is packed, as GPTQ, AWQ, bitsandbytes and FP8 checkpoints
// save them. Longest first: ".weight.absmax" before ".weight".
constexpr std::string_view k_suffixes[] = {
    ".weight.quant_state.bitsandbytes__nf4", ".weight.quant_state.bitsandbytes__fp4", ".weight.nested_quant_map",
    ".weight.nested_absmax", ".weight.quant_map", ".weight.absmax", ".weight_scale_inv", ".weight_scale",
    ".input_scale", ".weight_format", ".qweight", ".qzeros", ".scales", ".g_idx", ".weight", ".bias", ".SCB"};

bool is_float(TensorType t) { return t == TensorType::F32 || t == TensorType::F16 || t == TensorType::BF16; }

std::string layer_kind_of(const std::string& module, bool vector) {
    auto has = [&](std::string_view part) { return module.find(part) != std::string::npos; };
    if (has("vision") || has("visual") || has("multi_modal_projector")) return "vision";
    if (vector) return "norms";
    if (has("embed_tokens") || has("token_embd")) return "embedding";
    if (module == "lm_head" || module == "output" || module.ends_with(".lm_head")) return "lm-head";
    if (has("cross_attn")) return "cross-attention";
    if (has("experts") || has("_exps") || has("shared_expert")) return "experts";
    if (has("block_sparse_moe.gate") || has("router") || has("ffn_gate_inp") || module.ends_with("mlp.gate"))
        return "router";
    if (has("self_attn") || has("attn_")) return "attention-projections";
    if (has("mlp") || has("ffn_") || has("feed_forward")) return "mlp";
    return "other";
}

std::string quant_layout(const ModelInfo& m) {
    const QuantizationInfo& q = m.quantization;
    if (q.method == "gptq" || q.method == "awq")
        return (q.method == "gptq" ? "GPTQ int" : "AWQ int") + std::to_string(q.bits);
    if (q.method == "bitsandbytes") return "bitsandbytes " + (q.scheme.empty() ? std::string("4-bit") : q.scheme);
    if (q.method == "fp8") return "FP8 " + q.scheme;
    return q.method + (q.bits ? " " + std::to_string(q.bits) + "-bit" : "");
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
    std::string out = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
    return out + "]";
}

// "model.layers.3.mlp.fc1" → "model.layers.*.mlp.fc1": layer lists for people, grouped.
std::string pattern_of(const std::string& module) {
    static const std::regex k_index(R"(\.\d+\.)");
    std::string out = module, previous;
    do {
        previous = out;
        out = std::regex_replace(out, k_index, ".*.");
    } while (out != previous);
    return out;
}

struct PathChoice {
    std::string path;
    std::string reason;
    // Set when a faster kernel exists elsewhere: its name and what it needs (quant-generic-kernel).
    std::string fast, requirement;
    // The requirement as data, for a GUI to say in its own words: "cc" (with needs_cc, "8.0") or "avx2".
    std::string needs, needs_cc;
    bool implemented = true;  // false: no backend of Hearth has this kernel yet (quant-unsupported)
    std::string missing_type;  // set when the missing kernel is the CPU's for one GGUF type ("Q2_K")
};

bool gguf_fast_gpu_type(TensorType t) {
    switch (t) {
    case TensorType::Q4_0: case TensorType::Q4_1: case TensorType::Q5_0: case TensorType::Q5_1: case TensorType::Q8_0:
    case TensorType::Q2_K: case TensorType::Q3_K: case TensorType::Q4_K: case TensorType::Q5_K: case TensorType::Q6_K:
        return true;
    default: return false;
    }
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return out;
}

PathChoice quantized_path(const Context& c, const Module& mod) {
    const ModelInfo& m = c.model;
    const QuantizationInfo& q = m.quantization;
    const GpuDevice* gpu = c.gpu;
    PathChoice p;
    const std::string compute = lower(name(c.plan.compute_type));
    if (q.method == "gptq" || q.method == "awq") {
        const bool marlin = q.bits == 4 && (q.group_size == -1 || q.group_size == 32 || q.group_size == 64 ||
                                            q.group_size == 128);
        p.implemented = false;
        if (gpu && gpu->cc_major >= 8 && marlin) {
            p.path = "cuda-marlin-int4";
            p.reason = "4-bit groups of " + std::to_string(q.group_size) + " on compute capability " + c.cc_label();
        } else {
            p.path = gpu ? "cuda-" + q.method + "-dequant-gemm-" + compute : "cpu-" + q.method + "-dequant";
            p.reason = "dequantize to " + std::string(name(c.plan.compute_type)) + ", then multiply";
            if (gpu && marlin) {
                p.fast = "Marlin INT4";
                p.requirement = "compute capability 8.0 or newer";
                p.needs = "cc";
                p.needs_cc = "8.0";
            }
        }
        return p;
    }
    if (q.method == "bitsandbytes") {
        p.implemented = false;
        p.path = (gpu ? "cuda-bnb-" : "cpu-bnb-") + (q.scheme.empty() ? std::string("4bit") : q.scheme) + "-dequant-gemm";
        p.reason = "blocks of 64 with absmax scales, dequantized to " + std::string(name(c.plan.compute_type));
        return p;
    }
    if (q.method == "fp8") {
        p.implemented = false;
        if (gpu && gpu->fp8_tensor_cores) {
            p.path = "cuda-fp8-gemm";
            p.reason = "FP8 tensor cores";
        } else {
            p.path = gpu ? "cuda-fp8-dequant-gemm-" + compute : "cpu-fp8-dequant";
            p.reason = "dequantize to " + std::string(name(c.plan.compute_type)) + ", then multiply";
            if (gpu) {
                p.fast = "FP8 tensor-core";
                p.requirement = "compute capability 8.9 or newer";
                p.needs = "cc";
                p.needs_cc = "8.9";
            }
        }
        return p;
    }
    if (q.method != "none" && q.method != "gguf") {
        p.implemented = false;
        p.path = q.method;
        p.reason = "unknown quantization method";
        return p;
    }
    // GGUF blocks.
    const TensorType t = mod.dense_type;
    const std::string tn = std::string(name(t));
    if (!gpu) {
        if (hearth::cpu::row_kernels(t) == nullptr) {
            p.implemented = false;
            p.path = "cpu-" + lower(tn);
            p.reason = "no CPU kernel for " + tn;
            p.missing_type = tn;
        } else if (c.hardware.cpu.avx2) {
            const auto mm = c.plan.matmul;
            // int16 is the default; weight types without int16 kernels (Q2_K, Q3_K) run it as split8.
            const bool has_int16 = hearth::cpu::row_kernels(t)->dot_quantized16 != nullptr;
            const bool exact = mm == MatmulPrecision::exact || hearth::cpu::row_kernels(t)->dot_quantized == nullptr;
            const char* path = exact                                                    ? "exact"
                               : mm == MatmulPrecision::int8                            ? "int8"
                               : mm == MatmulPrecision::int16 && has_int16              ? "int16"
                                                                                        : "split8";
            p.path = "cpu-avx2-" + lower(tn) + "-" + path;
            p.reason = "AVX2 row kernels with " + std::string(exact                        ? "F32"
                                                              : std::string_view(path) == "int16" ? "16-bit"
                                                              : std::string_view(path) == "int8"  ? "8-bit"
                                                                                                  : "two 8-bit parts of") +
                       " activations";
        } else {
            p.path = "cpu-scalar-" + lower(tn);
            p.reason = "no AVX2 on this CPU";
            p.fast = "AVX2";
            p.requirement = "a CPU with AVX2";
            p.needs = "avx2";
        }
        return p;
    }
    if (gguf_fast_gpu_type(t) && gpu->int8_dp4a) {
        p.path = "cuda-mmq-dp4a-" + lower(tn);
        p.reason = "integer dot products (DP4A) on " + tn + " blocks";
    } else {
        p.path = "cuda-dequant-gemm-" + compute;
        p.reason = "dequantize " + tn + " to " + std::string(name(c.plan.compute_type)) + ", then multiply";
        if (gguf_fast_gpu_type(t)) {
            p.fast = "DP4A integer";
            p.requirement = "compute capability 6.1 or newer";
            p.needs = "cc";
            p.needs_cc = "6.1";
        }
    }
    return p;
}

PathChoice dense_path(const Context& c, const Module& mod) {
    PathChoice p;
    const std::string stored = std::string(name(mod.dense_type));
    if (!c.gpu) {
        p.path = mod.kind == Module::Kind::vector ? "cpu-f32" : "cpu-" + lower(stored) + "-rows";
        p.reason = "stored " + stored + ", F32 math";
        return p;
    }
    const TensorType placed = is_float(mod.dense_type) ? c.plan.weights_type : mod.dense_type;
    const std::string placed_name = std::string(name(placed));
    if (mod.kind == Module::Kind::vector) {
        p.path = "cuda-rms-norm-" + lower(placed_name);
        p.reason = "stored " + stored + (placed == mod.dense_type ? "" : ", converted to " + placed_name) +
                   "; sums of squares accumulate in F32";
        return p;
    }
    p.path = mod.layer_kind == "embedding" ? "cuda-embed-rows-" + lower(placed_name) : "cublas-gemm-" + lower(placed_name);
    p.reason = "stored " + stored + (placed == mod.dense_type ? "" : ", converted to " + placed_name);
    if (placed == TensorType::F16 && mod.dense_type == TensorType::BF16 && c.gpu && !c.gpu->bf16)
        p.reason += " (no BF16 on compute capability " + c.cc_label() + ")";
    return p;
}

// What a module's kernel reads: the quantized layout, or the type its unquantized weights are placed in (a
// GPU converts them to the plan's weights type; the CPU reads them as stored).
std::string placed_layout(const Context& c, const Module& mod) {
    if (mod.kind == Module::Kind::quantized) return mod.layout;
    return std::string(name(c.gpu && is_float(mod.dense_type) ? c.plan.weights_type : mod.dense_type));
}

}  // namespace

std::string module_of(std::string_view tensor_name) {
    for (std::string_view suffix : k_suffixes)
        if (tensor_name.ends_with(suffix)) return std::string(tensor_name.substr(0, tensor_name.size() - suffix.size()));
    return std::string(tensor_name);
}

void classify_modules(Context& c) {
    const ModelInfo& m = c.model;
    const bool checkpoint_quant = m.quantization.method != "none" && m.quantization.method != "gguf";
    std::map<std::string, std::size_t> index;
    for (const TensorInfo& t : m.tensors) {
        if (t.name.ends_with("rotary_emb.inv_freq")) continue;  // recomputed, never read
        const std::string module = module_of(t.name);
        auto [it, inserted] = index.emplace(module, c.modules.size());
        if (inserted) {
            c.modules.emplace_back();
            c.modules.back().name = module;
        }
        Module& mod = c.modules[it->second];
        mod.tensors.push_back(&t);
        mod.bytes += t.n_bytes;
        if (t.n_elements == 0 && !mod.empty_tensor) mod.empty_tensor = &t;
    }
    for (Module& mod : c.modules) {
        const TensorInfo* weight = nullptr;
        bool packed = false;
        for (const TensorInfo* t : mod.tensors) {
            const std::string_view n = t->name;
            if (n.ends_with(".qweight") || n.ends_with(".weight.absmax") || n.ends_with(".weight_scale") ||
                n.ends_with(".weight_scale_inv") || n.ends_with(".SCB"))
                packed = true;
            if (n.ends_with(".weight") || n.ends_with(".qweight") || !weight) weight = t;
        }
        if (!weight) continue;
        const bool vector = weight->shape.size() < 2;
        mod.layer_kind = layer_kind_of(mod.name, vector);
        mod.dense_type = weight->type;
        if (checkpoint_quant && packed) {
            mod.kind = Module::Kind::quantized;
            mod.layout = quant_layout(m);
        } else if (traits(weight->type).quantized) {
            mod.kind = Module::Kind::quantized;
            mod.layout = std::string(name(weight->type));
        } else {
            mod.kind = vector ? Module::Kind::vector : Module::Kind::dense;
            mod.layout = std::string(name(weight->type));
        }
    }

    for (const Module& mod : c.modules) {
        if (!mod.empty_tensor) continue;
        c.add(make_finding("tensor-empty", Severity::refusal,
                           {{"tensor", mod.empty_tensor->name}, {"shape", shape_text(mod.empty_tensor->shape)},
                            {"layer", mod.name}}));
    }

    if (checkpoint_quant) {
        // Linear layers the quantizer left alone (embeddings are never quantized by these methods).
        std::map<std::string, int> groups;
        std::set<std::string> dtypes;
        std::uint64_t bytes = 0;
        int count = 0;
        for (const Module& mod : c.modules) {
            if (mod.kind != Module::Kind::dense || mod.layer_kind == "embedding") continue;
            ++groups[pattern_of(mod.name)];
            dtypes.insert(placed_layout(c, mod));
            bytes += mod.bytes;
            ++count;
        }
        if (count > 0) {
            std::string list, dtype_list;
            for (const auto& [pattern, n] : groups)
                list += (list.empty() ? "" : ", ") + pattern + (n > 1 ? " (" + std::to_string(n) + ")" : "");
            for (const auto& d : dtypes) dtype_list += (dtype_list.empty() ? "" : ", ") + d;
            c.add(make_finding("quant-dense-layer", Severity::info,
                               {{"count", std::to_string(count)}, {"method", m.quantization.method},
                                {"dtype", dtype_list}, {"layers", list}, {"bytes", format_bytes(bytes)}}));
        }
    }
}

void choose_kernels(Context& c) {
    struct Group {
        KernelChoice choice;
        PathChoice path;
    };
    std::vector<Group> groups;
    for (const Module& mod : c.modules) {
        if (mod.layer_kind.empty()) continue;
        const PathChoice path = mod.kind == Module::Kind::quantized ? quantized_path(c, mod) : dense_path(c, mod);
        const std::string weights = placed_layout(c, mod);
        auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) {
            return g.choice.layer_kind == mod.layer_kind && g.choice.path == path.path && g.choice.weights == weights;
        });
        if (it == groups.end()) {
            groups.push_back({KernelChoice{mod.layer_kind, 0, weights, path.path, path.reason}, path});
            it = groups.end() - 1;
        }
        ++it->choice.count;
    }

    std::map<std::string, std::pair<std::int64_t, PathChoice>> generic;  // layout → layers, path
    const PathChoice* missing = nullptr;
    for (const Group& g : groups) {
        c.plan.kernels.push_back(g.choice);
        if (!g.path.implemented && !missing) missing = &g.path;
        if (!g.path.fast.empty()) {
            auto& [n, path] = generic[g.choice.weights];
            n += g.choice.count;
            path = g.path;
        }
    }
    for (const auto& [layout, entry] : generic) {
        Args args = {{"count", std::to_string(entry.first)}, {"layout", layout}, {"device", c.device_label()},
                     {"fast", entry.second.fast}, {"requirement", entry.second.requirement},
                     {"needs", entry.second.needs}};
        if (!entry.second.needs_cc.empty()) args.emplace_back("cc", entry.second.needs_cc);
        c.add(make_finding("quant-generic-kernel", Severity::info, std::move(args)));
    }
    if (missing) {
        const QuantizationInfo& q = c.model.quantization;
        // {detail} is English; kernel_missing and the values beside it say the same as data:
        // "cpu-type" (no CPU kernel for GGUF type {type}) or "method" ({layout}, {bits}, {group_size}).
        std::string detail;
        Args structured;
        if (q.method == "gguf" || q.method == "none") {
            detail = missing->reason;
            structured = {{"kernel_missing", "cpu-type"}, {"type", missing->missing_type}};
        } else {
            detail = quant_layout(c.model);
            if (q.group_size > 0) detail += ", groups of " + std::to_string(q.group_size);
            detail += ", found in quantization_config";
            structured = {{"kernel_missing", "method"}, {"layout", quant_layout(c.model)}};
            if (q.bits > 0) structured.emplace_back("bits", std::to_string(q.bits));
            if (q.group_size > 0) structured.emplace_back("group_size", std::to_string(q.group_size));
        }
        Args args = {{"method", q.method == "none" ? std::string("GGUF") : q.method}, {"detail", detail},
                     {"path", missing->path}};
        args.insert(args.end(), structured.begin(), structured.end());
        c.add(make_finding("quant-unsupported", Severity::refusal, std::move(args)));
    }

    // The plan's one-line description of the weights.
    std::map<std::string, std::uint64_t> by_layout;
    for (const Module& mod : c.modules)
        if (mod.kind != Module::Kind::vector) by_layout[placed_layout(c, mod)] += mod.bytes;
    std::vector<std::pair<std::string, std::uint64_t>> sorted(by_layout.begin(), by_layout.end());
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::string text;
    for (const auto& [layout, bytes] : sorted) text += (text.empty() ? "" : " + ") + layout;
    c.plan.weights_description = text.empty() ? std::string(name(c.plan.weights_type)) : text;
}

}  // namespace hearth::planner
