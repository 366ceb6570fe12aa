#include "model_info_text.h"

#include <cstdio>
#include <string>

namespace hearth::cli {
namespace {

std::string human_count(std::uint64_t n) {
    char text[32];
    if (n >= 1'000'000'000) std::snprintf(text, sizeof text, "%.2f B", static_cast<double>(n) / 1e9);
    else if (n >= 1'000'000) std::snprintf(text, sizeof text, "%.1f M", static_cast<double>(n) / 1e6);
    else if (n >= 1'000) std::snprintf(text, sizeof text, "%.1f K", static_cast<double>(n) / 1e3);
    else std::snprintf(text, sizeof text, "%llu", static_cast<unsigned long long>(n));
    return text;
}

std::string human_bytes(std::uint64_t n) {
    char text[32];
    const double d = static_cast<double>(n);
    if (n >= (1ull << 30)) std::snprintf(text, sizeof text, "%.2f GiB", d / (1ull << 30));
    else if (n >= (1ull << 20)) std::snprintf(text, sizeof text, "%.1f MiB", d / (1ull << 20));
    else if (n >= (1ull << 10)) std::snprintf(text, sizeof text, "%.1f KiB", d / (1ull << 10));
    else std::snprintf(text, sizeof text, "%llu B", static_cast<unsigned long long>(n));
    return text;
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

void row(std::ostream& out, const char* label, const std::string& value) {
    char padded[32];
    std::snprintf(padded, sizeof padded, "%-18s", label);
    out << "  " << padded << value << "\n";
}

}  // namespace

void print_model_info(std::ostream& out, const ModelInfo& info, bool with_tensors) {
    out << info.name << "  (" << name(info.format);
    if (info.format == ModelFormat::gguf) out << " v" << info.gguf_version;
    out << ", " << human_bytes(info.file_bytes) << " in " << info.files.size() << " file"
        << (info.files.size() == 1 ? "" : "s") << ")\n";
    row(out, "path", info.path.string());
    row(out, "architecture", info.architecture + (info.architecture_class.empty() ? "" : " (" + info.architecture_class + ")"));
    row(out, "parameters", human_count(info.n_params));
    row(out, "layers", std::to_string(info.n_layers));
    row(out, "hidden size", std::to_string(info.hidden_size) + ", FFN " + std::to_string(info.ffn_size));
    row(out, "attention heads", std::to_string(info.n_heads) + " query, " + std::to_string(info.n_kv_heads) +
                                    " key/value, head dim " + std::to_string(info.head_dim));
    row(out, "vocabulary", std::to_string(info.vocab_size));
    row(out, "context length", std::to_string(info.context_length));
    std::string rope = "theta " + std::to_string(static_cast<long long>(info.rope.theta));
    if (info.rope.local_theta) rope += ", local theta " + std::to_string(static_cast<long long>(*info.rope.local_theta));
    if (!info.rope.scaling_type.empty()) rope += ", " + info.rope.scaling_type + " scaling x" + std::to_string(info.rope.scaling_factor);
    row(out, "RoPE", rope);
    if (info.attention.sliding_window > 0) {
        std::size_t sliding = 0;
        for (const auto& t : info.attention.layer_types) sliding += t == "sliding_attention";
        row(out, "sliding window", std::to_string(info.attention.sliding_window) + " tokens" +
                                       (info.attention.layer_types.empty() ? std::string()
                                        : " on " + std::to_string(sliding) + " of " + std::to_string(info.n_layers) + " layers"));
    }
    if (info.attention.chunk_size > 0) row(out, "chunked attention", std::to_string(info.attention.chunk_size) + " tokens");
    if (info.moe.n_experts > 0) {
        row(out, "experts", std::to_string(info.moe.n_experts) + ", " + std::to_string(info.moe.n_experts_used) +
                                " per token" + (info.moe.n_shared_experts ? ", shared " + std::to_string(info.moe.n_shared_experts) : ""));
    }
    row(out, "tied embeddings", info.tied_embeddings ? "yes" : "no");
    if (!info.declared_dtype.empty()) row(out, "declared dtype", info.declared_dtype);
    std::string dtypes;
    for (const auto& d : info.stored_dtypes) {
        dtypes += (dtypes.empty() ? "" : ", ") + std::string(name(d.type)) + " " + std::to_string(d.tensors) + " tensors / " +
                  human_bytes(d.bytes);
    }
    row(out, "stored dtypes", dtypes.empty() ? "none" : dtypes);
    std::string quant = info.quantization.method;
    if (!info.quantization.scheme.empty()) quant += " " + info.quantization.scheme;
    if (info.quantization.bits) quant += ", " + std::to_string(info.quantization.bits) + "-bit";
    if (info.quantization.group_size > 0) quant += ", groups of " + std::to_string(info.quantization.group_size);
    if (info.quantization.group_size < 0) quant += ", per channel";
    row(out, "quantization", quant);
    std::string tokenizer = info.tokenizer.kind;
    if (info.tokenizer.n_tokens) tokenizer += ", " + std::to_string(info.tokenizer.n_tokens) + " tokens";
    if (!info.tokenizer.pre_tokenizer.empty()) tokenizer += ", pre-tokenizer " + info.tokenizer.pre_tokenizer;
    if (!info.tokenizer.source.empty()) tokenizer += " (" + info.tokenizer.source + ")";
    row(out, "tokenizer", tokenizer);
    row(out, "chat template", info.tokenizer.has_chat_template ? "yes" : "no");
    row(out, "tensors", std::to_string(info.tensors.size()));
    if (!with_tensors) return;
    out << "\n";
    for (const auto& t : info.tensors) {
        char line[512];
        std::snprintf(line, sizeof line, "  %-48s %-8s %-20s %12s  @%llu", t.name.c_str(), std::string(name(t.type)).c_str(),
                      shape_text(t.shape).c_str(), human_bytes(t.n_bytes).c_str(),
                      static_cast<unsigned long long>(t.offset));
        out << line << (info.files.size() > 1 ? "  " + t.file : "") << "\n";
    }
}

}  // namespace hearth::cli
