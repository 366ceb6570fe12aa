// How much memory the plan takes on its device, and the largest context that fits. The CPU numbers follow
// what the CPU engine actually does (weights memory-mapped and every page touched; Q/K of llama-family GGUF
// files copied once to undo llama.cpp's row order; norms kept in F32 twice; the KV pool zeroed up front), so
// the estimate can be checked against the resident memory of a real load.
#include <algorithm>
#include <cstdio>
#include <set>

#include "model/architecture.h"
#include "plan/planner.h"

namespace hearth::planner {
namespace {

constexpr std::int64_t k_block_size = 16;          // the engine's KV block
constexpr std::int64_t k_default_context = 4096;   // the engine's cap when the user gives none
constexpr std::int64_t k_min_context = 256;        // below this a chat is not useful: refuse instead
// Tokenizer tables, chat template, thread pool, allocator slack: fitted to the resident memory of fresh
// processes loading SmolLM2 (49k tokens: 13.8 MiB beyond weights, KV and workspace) and Gemma 3 (262k
// tokens: 36 MiB) on 2026-11-30; tests/plan/test_memory_real_models.cpp checks the whole estimate stays
// within 10% for four model / KV type / context combinations.
constexpr std::uint64_t k_cpu_base_overhead = 17ull << 19;  // 8.5 MiB
constexpr std::uint64_t k_cpu_overhead_per_vocab_token = 110;
// CUDA context, cuBLAS workspace and the allocator's rounding on a GPU.
constexpr std::uint64_t k_gpu_overhead = 640ull << 20;

bool is_float(TensorType t) { return t == TensorType::F32 || t == TensorType::F16 || t == TensorType::BF16; }

std::uint64_t element_bytes(TensorType t) { return static_cast<std::uint64_t>(traits(t).block_bytes); }

std::int64_t round_up(std::int64_t n, std::int64_t to) { return (n + to - 1) / to * to; }

std::uint64_t workspace_bytes(const ModelInfo& m, const LoadPlan& p, bool gpu) {
    const auto T = static_cast<std::uint64_t>(std::max(p.max_batch_tokens, 1));
    const auto R = static_cast<std::uint64_t>(std::max(p.max_running, 1));
    const std::int64_t head_dim = m.head_dim > 0 ? m.head_dim : (m.n_heads > 0 ? m.hidden_size / m.n_heads : 0);
    const std::int64_t kv_heads = m.n_kv_heads > 0 ? m.n_kv_heads : m.n_heads;
    const std::int64_t ffn = std::max(m.ffn_size, m.moe.expert_ffn_size);
    const auto cols = static_cast<std::uint64_t>(2 * m.hidden_size + 2 * m.n_heads * head_dim + 2 * kv_heads * head_dim + 2 * ffn);
    std::uint64_t bytes = cols * T * 4 + static_cast<std::uint64_t>(m.hidden_size) * R * 4;
    // Logits of every sampled row: the backend's buffer, and on the CPU the host copy the sampler reads.
    bytes += R * static_cast<std::uint64_t>(m.vocab_size) * 4 * (gpu ? 1 : 2);
    return bytes;
}

// Tokens the KV pool holds for a context of `context` (the Engine's rule: kv_cache_tokens, else twice the
// context, never less than one context), rounded up to whole blocks.
std::int64_t pool_tokens(const LoadPlan& p, std::int64_t context) {
    const std::int64_t pool = std::max(p.kv_cache_tokens > 0 ? p.kv_cache_tokens : 2 * context, context);
    return round_up(pool, k_block_size);
}

// The largest context (a multiple of the block size, at most `cap`) whose pool fits in `bytes`.
std::int64_t context_fitting(const LoadPlan& p, std::uint64_t per_token, std::uint64_t bytes, std::int64_t cap) {
    if (per_token == 0) return cap;
    const auto tokens = static_cast<std::int64_t>(bytes / per_token);
    std::int64_t context = p.kv_cache_tokens > 0 ? (tokens >= round_up(p.kv_cache_tokens, k_block_size) ? tokens : 0)
                                                 : tokens / 2;
    context = context / k_block_size * k_block_size;
    while (context > 0 && pool_tokens(p, context) * static_cast<std::int64_t>(per_token) > static_cast<std::int64_t>(bytes))
        context -= k_block_size;
    return std::clamp<std::int64_t>(context, 0, cap);
}

}  // namespace

std::uint64_t kv_bytes_per_token(const ModelInfo& m, TensorType kv_type) {
    // As backend::kv_cache_slot_bytes: keys and values per layer, plus one F32 scale per head for each
    // of them with F8_E4M3.
    const std::int64_t head_dim = m.head_dim > 0 ? m.head_dim : (m.n_heads > 0 ? m.hidden_size / m.n_heads : 0);
    const auto kv_heads = static_cast<std::uint64_t>(m.n_kv_heads > 0 ? m.n_kv_heads : m.n_heads);
    std::uint64_t slot = 2 * element_bytes(kv_type) * kv_heads * static_cast<std::uint64_t>(head_dim);
    if (kv_type == TensorType::F8_E4M3) slot += 2 * sizeof(float) * kv_heads;
    return slot * static_cast<std::uint64_t>(std::max<std::int64_t>(m.n_layers, 0));
}

std::uint64_t weights_bytes(const Context& c) {
    const ModelInfo& m = c.model;
    std::uint64_t bytes = 0;
    if (c.gpu) {
        for (const TensorInfo& t : m.tensors) {
            if (!is_float(t.type)) bytes += t.n_bytes;
            else bytes += t.n_elements * element_bytes(c.plan.weights_type);  // converted where it differs
        }
        return bytes;
    }
    // CPU: the files are mapped and every page touched, so the whole of each file becomes resident.
    if (m.format == ModelFormat::gguf) {
        bytes = m.file_bytes;
    } else {
        for (const TensorInfo& t : m.tensors) bytes += t.n_bytes;
    }
    auto arch = model::find_architecture(m.architecture);
    const bool permuted = m.format == ModelFormat::gguf && arch && arch.value()->gguf_qk_rows_permuted;
    for (const TensorInfo& t : m.tensors) {
        if (permuted && (t.name.ends_with(".attn_q.weight") || t.name.ends_with(".attn_k.weight"))) bytes += t.n_bytes;
        if (t.shape.size() < 2 && is_float(t.type)) bytes += t.n_elements * 4 * 2;  // host F32 copy + backend buffer
    }
    return bytes;
}

void estimate_memory(Context& c) {
    const ModelInfo& m = c.model;
    LoadPlan& p = c.plan;
    MemoryEstimate& mem = p.memory;
    const bool gpu = c.gpu != nullptr;

    mem.weights = weights_bytes(c);
    mem.kv_bytes_per_token = kv_bytes_per_token(m, p.kv_cache_type);
    mem.workspace = workspace_bytes(m, p, gpu);
    mem.overhead = gpu ? k_gpu_overhead
                       : k_cpu_base_overhead + k_cpu_overhead_per_vocab_token * static_cast<std::uint64_t>(std::max<std::int64_t>(m.vocab_size, 0));
    if (gpu) mem.budget = c.gpu->memory_free ? c.gpu->memory_free : c.gpu->memory_total;
    else mem.budget = c.hardware.ram_available ? c.hardware.ram_available : c.hardware.ram_total / 10 * 8;

    const std::int64_t model_context = m.context_length > 0 ? m.context_length : k_default_context;
    const std::int64_t wanted = c.options.context_length > 0 ? std::min(c.options.context_length, model_context)
                                                              : std::min(model_context, k_default_context);
    const std::uint64_t fixed = mem.weights + mem.workspace + mem.overhead;
    const std::uint64_t left = mem.budget > fixed ? mem.budget - fixed : 0;
    p.max_context_that_fits = context_fitting(p, mem.kv_bytes_per_token, left, model_context);
    const std::string device = gpu ? c.gpu->name : "computer";

    if (mem.budget < fixed + pool_tokens(p, k_min_context) * mem.kv_bytes_per_token) {
        std::string alternatives;
        auto add = [&](const std::string& s) { alternatives += (alternatives.empty() ? "" : " Or: ") + s; };
        // {alternatives} is English; fits_on_cpu (yes/no, with cpu_ram) and q4_weights (absent when a Q4_K_M
        // file would not be smaller) say the same as data. "Close other programs" is always offered.
        Args structured;
        const std::uint64_t ram = c.hardware.ram_available ? c.hardware.ram_available : c.hardware.ram_total / 10 * 8;
        const bool fits_on_cpu = gpu && ram > fixed;
        structured.emplace_back("fits_on_cpu", fits_on_cpu ? "yes" : "no");
        if (fits_on_cpu) {
            add("run it on the CPU (--device cpu), which has " + format_bytes(ram) + " of RAM available.");
            structured.emplace_back("cpu_ram", format_bytes(ram));
        }
        // A 4.5-bit quantization (Q4_K_M) where the file is larger than that.
        const std::uint64_t q4 = m.n_params * 45 / 80;
        if (m.n_params > 0 && q4 * 10 < mem.weights * 9) {
            add("use a Q4_K_M GGUF file of this model (about " + format_bytes(q4) + " of weights).");
            structured.emplace_back("q4_weights", format_bytes(q4));
        }
        add("close other programs to free memory, or use a smaller model.");
        Args args = {{"weights", format_bytes(mem.weights)},
                     {"other", format_bytes(mem.workspace + mem.overhead + pool_tokens(p, k_min_context) * mem.kv_bytes_per_token)},
                     {"device", device}, {"budget", format_bytes(mem.budget)}, {"alternatives", alternatives}};
        args.insert(args.end(), structured.begin(), structured.end());
        c.add(make_finding("weights-exceed-memory", Severity::refusal, std::move(args)));
        p.context_length = wanted;
    } else if (p.max_context_that_fits < wanted) {
        LoadPlan fp8 = p;
        const std::uint64_t fp8_per_token = kv_bytes_per_token(m, TensorType::F8_E4M3);
        const std::int64_t fp8_fits = context_fitting(fp8, fp8_per_token, left, model_context);
        const Args args = {{"wanted", std::to_string(wanted)},
                           {"kv", format_bytes(pool_tokens(p, wanted) * mem.kv_bytes_per_token)},
                           {"device", device},
                           {"fits", std::to_string(p.max_context_that_fits)},
                           {"fp8_fits", std::to_string(fp8_fits)}};
        if (c.options.context_length > 0 || p.max_context_that_fits < k_min_context) {
            c.add(make_finding("kv-exceeds-memory", Severity::refusal, args, "refuse"));
            p.context_length = wanted;
        } else {
            c.add(make_finding("kv-exceeds-memory", Severity::warning, args, "shrunk"));
            p.context_length = p.max_context_that_fits;
        }
    } else {
        p.context_length = wanted;
    }
    p.kv_cache_tokens = pool_tokens(p, p.context_length);
    mem.kv_cache = static_cast<std::uint64_t>(p.kv_cache_tokens) * mem.kv_bytes_per_token;
    mem.total = mem.weights + mem.kv_cache + mem.workspace + mem.overhead;
}

void kv_findings(Context& c) {
    const ModelInfo& m = c.model;
    const LoadPlan& p = c.plan;
    const bool fp8 = p.kv_cache_type == TensorType::F8_E4M3 || p.kv_cache_type == TensorType::F8_E5M2;
    if (!fp8) return;
    std::string measured;
    if (const auto& q = c.options.kv_quality; q && q->candidate == p.kv_cache_type) {
        char text[256];
        std::snprintf(text, sizeof text,
                      " Measured on this model over %lld tokens: mean KL divergence %.4f nats per token (worst %.3f), "
                      "the most likely next token is the same as with the %s cache %.1f%% of the time.",
                      static_cast<long long>(q->positions), q->mean_kl, q->max_kl, std::string(name(q->reference)).c_str(),
                      100.0 * q->argmax_agreement);
        measured = text;
    }
    Args args = {{"measured", measured}};
    if (const auto& q = c.options.kv_quality; q && q->candidate == p.kv_cache_type) {
        char kl[32], agree[32];
        std::snprintf(kl, sizeof kl, "%.6f", q->mean_kl);
        std::snprintf(agree, sizeof agree, "%.4f", q->argmax_agreement);
        args.emplace_back("mean_kl", kl);
        args.emplace_back("argmax_agreement", agree);
    }
    const std::int64_t kv_heads = m.n_kv_heads > 0 ? m.n_kv_heads : m.n_heads;
    if (kv_heads < m.n_heads) {
        Args gqa = args;
        gqa.insert(gqa.begin(), {{"heads", std::to_string(m.n_heads)}, {"kv_heads", std::to_string(kv_heads)},
                                 {"group", std::to_string(m.n_heads / kv_heads)}});
        c.add(make_finding("fp8-kv-gqa", Severity::warning, std::move(gqa), measured.empty() ? "" : "measured"));
    }
    if (p.kv_cache_type == TensorType::F8_E5M2) c.add(make_finding("fp8-kv-e5m2", Severity::warning, args));

    const TensorType reference = p.compute_type == TensorType::F32 ? TensorType::F16 : p.compute_type;
    const std::uint64_t saved = (kv_bytes_per_token(m, reference) - p.memory.kv_bytes_per_token) * 1000;
    c.add(make_finding("fp8-kv", Severity::info,
                       {{"saved", format_bytes(saved)}, {"reference", std::string(name(reference))},
                        {"fits", std::to_string(p.max_context_that_fits)}}));
}

}  // namespace hearth::planner
