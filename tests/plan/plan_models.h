#pragma once
// Hand-made ModelInfo for planner tests: a transformer of a given shape and dtype, with the tensors a
// checkpoint of it holds (transformers' names), and small helpers to quantize, drop or add tensors, and to
// write a real folder (config.json + model.safetensors) when a test needs the bytes on disk.
#include <QtTest/QTest>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hearth/plan.h"

namespace plan_test {

using namespace hearth;

struct Shape {
    std::string arch = "llama";
    TensorType dtype = TensorType::BF16;
    std::int64_t layers = 2, hidden = 64, heads = 4, kv_heads = 2, ffn = 128, vocab = 256, context = 4096;
    std::int64_t experts = 0;
};

inline void add_tensor(ModelInfo& m, std::string name, TensorType type, std::vector<std::int64_t> shape) {
    TensorInfo t;
    t.name = std::move(name);
    t.type = type;
    t.shape = std::move(shape);
    t.n_elements = 1;
    for (auto d : t.shape) t.n_elements *= static_cast<std::uint64_t>(d);
    t.n_bytes = bytes_for(type, t.n_elements).value_or(t.n_elements * 4);
    t.file = "model.safetensors";
    m.tensors.push_back(std::move(t));
}

inline ModelInfo make_model(const Shape& s) {
    ModelInfo m;
    m.path = "/nonexistent/model";
    m.format = ModelFormat::huggingface;
    m.name = "test-" + s.arch;
    m.architecture = s.arch;
    m.n_layers = s.layers;
    m.hidden_size = s.hidden;
    m.ffn_size = s.ffn;
    m.n_heads = s.heads;
    m.n_kv_heads = s.kv_heads;
    m.head_dim = s.hidden / s.heads;
    m.vocab_size = s.vocab;
    m.context_length = s.context;
    m.norm_eps = 1e-6;
    m.moe.n_experts = s.experts;
    m.moe.n_experts_used = s.experts ? 2 : 0;
    m.moe.expert_ffn_size = s.experts ? s.ffn : 0;
    m.declared_dtype = s.dtype == TensorType::BF16 ? "bfloat16" : s.dtype == TensorType::F16 ? "float16" : "float32";
    m.tokenizer.kind = "bpe-byte-level";
    m.tokenizer.has_chat_template = true;
    const auto q = s.heads * m.head_dim, kv = s.kv_heads * m.head_dim;
    add_tensor(m, "model.embed_tokens.weight", s.dtype, {s.vocab, s.hidden});
    add_tensor(m, "model.norm.weight", s.dtype, {s.hidden});
    add_tensor(m, "lm_head.weight", s.dtype, {s.vocab, s.hidden});
    for (std::int64_t i = 0; i < s.layers; ++i) {
        const std::string p = "model.layers." + std::to_string(i) + ".";
        add_tensor(m, p + "input_layernorm.weight", s.dtype, {s.hidden});
        add_tensor(m, p + "self_attn.q_proj.weight", s.dtype, {q, s.hidden});
        add_tensor(m, p + "self_attn.k_proj.weight", s.dtype, {kv, s.hidden});
        add_tensor(m, p + "self_attn.v_proj.weight", s.dtype, {kv, s.hidden});
        add_tensor(m, p + "self_attn.o_proj.weight", s.dtype, {s.hidden, q});
        if (s.arch == "qwen2")
            for (auto b : {"q", "k", "v"}) add_tensor(m, p + "self_attn." + b + "_proj.bias", s.dtype, {b == std::string("q") ? q : kv});
        add_tensor(m, p + "post_attention_layernorm.weight", s.dtype, {s.hidden});
        if (s.experts == 0) {
            add_tensor(m, p + "mlp.gate_proj.weight", s.dtype, {s.ffn, s.hidden});
            add_tensor(m, p + "mlp.up_proj.weight", s.dtype, {s.ffn, s.hidden});
            add_tensor(m, p + "mlp.down_proj.weight", s.dtype, {s.hidden, s.ffn});
        } else {
            add_tensor(m, p + "block_sparse_moe.gate.weight", s.dtype, {s.experts, s.hidden});
            for (std::int64_t e = 0; e < s.experts; ++e) {
                const std::string x = p + "block_sparse_moe.experts." + std::to_string(e) + ".";
                add_tensor(m, x + "w1.weight", s.dtype, {s.ffn, s.hidden});
                add_tensor(m, x + "w3.weight", s.dtype, {s.ffn, s.hidden});
                add_tensor(m, x + "w2.weight", s.dtype, {s.hidden, s.ffn});
            }
        }
    }
    std::uint64_t offset = 0;
    for (auto& t : m.tensors) {
        t.offset = offset;
        offset += t.n_bytes;
        m.n_params += t.n_elements;
    }
    m.file_bytes = offset;
    return m;
}

// Replaces each attention and MLP linear layer's weight with GPTQ 4-bit tensors (qweight, qzeros, scales,
// g_idx), as AutoGPTQ saves them; `dense` lists module substrings left unquantized.
inline void gptq(ModelInfo& m, int group_size = 128) {
    m.quantization.method = "gptq";
    m.quantization.bits = 4;
    m.quantization.group_size = group_size;
    m.quantization.desc_act = false;
    m.quantization.sym = true;
    m.declared_dtype = "float16";
    std::vector<TensorInfo> out;
    ModelInfo scratch;
    for (const TensorInfo& t : m.tensors) {
        const bool linear = t.shape.size() == 2 && t.name.ends_with("_proj.weight") && t.name.starts_with("model.layers.");
        if (!linear) {
            TensorInfo copy = t;
            if (copy.type == TensorType::BF16) copy.type = TensorType::F16;
            out.push_back(copy);
            continue;
        }
        const std::string module = t.name.substr(0, t.name.size() - 7);
        const std::int64_t rows = t.shape[0], cols = t.shape[1];
        const std::int64_t groups = std::max<std::int64_t>(cols / group_size, 1);
        scratch.tensors.clear();
        add_tensor(scratch, module + ".qweight", TensorType::I32, {cols / 8, rows});
        add_tensor(scratch, module + ".qzeros", TensorType::I32, {groups, rows / 8});
        add_tensor(scratch, module + ".scales", TensorType::F16, {groups, rows});
        add_tensor(scratch, module + ".g_idx", TensorType::I32, {cols});
        for (auto& q : scratch.tensors) out.push_back(q);
    }
    m.tensors = out;
}

// Writes `m`'s tensors as a real model.safetensors (data from `fill`, F32/BF16/F16 only) plus a config.json
// into `dir`, and returns what inspect() reads back from it.
template <class Fill>
ModelInfo write_folder(const std::filesystem::path& dir, const ModelInfo& m, const nlohmann::json& config, Fill fill) {
    std::filesystem::create_directories(dir);
    nlohmann::ordered_json header;
    std::uint64_t offset = 0;
    for (const TensorInfo& t : m.tensors) {
        header[t.name] = {{"dtype", std::string(name(t.type))}, {"shape", t.shape}, {"data_offsets", {offset, offset + t.n_bytes}}};
        offset += t.n_bytes;
    }
    std::string text = header.dump();
    while ((text.size() + 8) % 8) text += ' ';
    std::ofstream out(dir / "model.safetensors", std::ios::binary);
    const std::uint64_t n = text.size();
    out.write(reinterpret_cast<const char*>(&n), 8);
    out << text;
    for (const TensorInfo& t : m.tensors) {
        std::vector<char> bytes(t.n_bytes);
        fill(t, bytes);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    out.close();
    std::ofstream(dir / "config.json") << config.dump(1);
    auto info = inspect(dir);
    if (!info) qFatal("inspect of the written folder failed: %s", info.error().message.c_str());
    return info.value();
}

inline std::uint16_t bf16_bits(float f) {
    std::uint32_t u;
    std::memcpy(&u, &f, 4);
    return static_cast<std::uint16_t>((u + 0x7FFF + ((u >> 16) & 1)) >> 16);
}

// Every finding must read as finished text: a message and a suggestion, no unfilled {placeholder}.
inline void check_texts(const LoadPlan& p) {
    for (const Finding& f : p.findings) {
        QVERIFY2(!f.message.empty() && !f.suggestion.empty(), f.code.c_str());
        QVERIFY2(f.message.find('{') == std::string::npos, f.message.c_str());
        QVERIFY2(f.suggestion.find('{') == std::string::npos, f.suggestion.c_str());
        QVERIFY2(f.message.find("internal error") == std::string::npos, f.code.c_str());
    }
}

inline HardwareInfo profile(std::string_view name) {
    auto hw = hardware_profile(name);
    if (!hw) qFatal("no hardware profile %s", std::string(name).c_str());
    return *hw;
}

inline LoadOptions simulated(LoadOptions o = {}) {
    o.simulated = true;
    return o;
}

inline QString codes(const LoadPlan& p) {
    QStringList out;
    for (const Finding& f : p.findings) out << QString::fromStdString(std::string(name(f.severity)) + ":" + f.code);
    return out.join(' ');
}

}  // namespace plan_test
