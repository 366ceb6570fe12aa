// ModelInfo from GGUF metadata, following llama.cpp's key names ("<arch>.block_count", …).
#include <algorithm>
#include <string>

#include "common/utf8.h"
#include "format/format_error.h"
#include "format/model_info_builders.h"

namespace hearth::format {
namespace {

// llama.cpp's llama_ftype, as written to general.file_type: the quantization recipe of the whole file.
std::string file_type_name(std::int64_t ftype) {
    switch (ftype) {
        case 0: return "F32";       case 1: return "F16";       case 2: return "Q4_0";
        case 3: return "Q4_1";      case 7: return "Q8_0";      case 8: return "Q5_0";
        case 9: return "Q5_1";      case 10: return "Q2_K";     case 11: return "Q3_K_S";
        case 12: return "Q3_K_M";   case 13: return "Q3_K_L";   case 14: return "Q4_K_S";
        case 15: return "Q4_K_M";   case 16: return "Q5_K_S";   case 17: return "Q5_K_M";
        case 18: return "Q6_K";     case 19: return "IQ2_XXS";  case 20: return "IQ2_XS";
        case 21: return "Q2_K_S";   case 22: return "IQ3_XS";   case 23: return "IQ3_XXS";
        case 24: return "IQ1_S";    case 25: return "IQ4_NL";   case 26: return "IQ3_S";
        case 27: return "IQ3_M";    case 28: return "IQ2_S";    case 29: return "IQ2_M";
        case 30: return "IQ4_XS";   case 31: return "IQ1_M";    case 32: return "BF16";
        case 36: return "TQ1_0";    case 37: return "TQ2_0";    case 38: return "MXFP4_MOE";
        default: return "file type " + std::to_string(ftype);
    }
}

// The nominal bit width of a block type, as its name says ("Q4_K" → 4, "IQ2_XXS" → 2, "MXFP4" → 4); the
// scales stored with each block make the true bits per weight somewhat higher.
int bits_of(TensorType type) {
    for (char c : name(type)) {
        if (c >= '1' && c <= '9') return c - '0';
    }
    return 0;
}

// Some architectures store per-layer values (head counts, FFN sizes) as arrays; the largest is what
// sizing needs, so that is what ModelInfo keeps.
std::optional<std::int64_t> integer_or_max(const GgufFile& gguf, const std::string& key) {
    const auto* v = gguf.find(key);
    if (!v) return std::nullopt;
    if (const auto* array = v->as_array()) {
        std::optional<std::int64_t> best;
        for (std::uint64_t i = 0; i < array->count; ++i) {
            auto x = array->integer(i);
            if (!x) {
                throw FormatError(gguf.file_name() + ": metadata '" + key + "' must be an integer or an array of "
                                  "integers, found an array of " + std::string(name(array->element_type)));
            }
            best = std::max(best.value_or(*x), *x);
        }
        return best;
    }
    return gguf.get_integer(key);
}

std::int64_t non_negative(const GgufFile& gguf, const std::string& key, std::optional<std::int64_t> value) {
    if (value && *value < 0) {
        throw FormatError(gguf.file_name() + ": metadata '" + key + "' is " + std::to_string(*value) +
                          "; expected a non-negative number");
    }
    return value.value_or(0);
}

std::string tokenizer_kind(std::string_view ggml_model) {
    if (ggml_model == "gpt2") return "bpe-byte-level";
    if (ggml_model == "llama") return "bpe-sentencepiece";
    if (ggml_model == "t5") return "unigram";
    if (ggml_model == "bert") return "wordpiece";
    if (ggml_model == "none" || ggml_model.empty()) return "none";
    return escape_for_message(ggml_model);
}

// Which layers use the sliding window. llama.cpp writes "<arch>.attention.sliding_window_pattern" either as
// one bool per layer (true = sliding) or as a period N (every N-th layer is global).
void read_layer_pattern(const GgufFile& gguf, const std::string& a, std::string_view arch, ModelInfo& info) {
    if (auto swa_base = gguf.get_number(a + "rope.freq_base_swa")) info.rope.local_theta = *swa_base;
    if (info.attention.sliding_window == 0) return;
    auto& types = info.attention.layer_types;
    const std::string key = a + "attention.sliding_window_pattern";
    if (const auto* pattern = gguf.find(key)) {
        if (const auto* array = pattern->as_array()) {
            if (array->element_type != GgufType::boolean || static_cast<std::int64_t>(array->count) != info.n_layers) {
                throw FormatError(gguf.file_name() + ": metadata '" + key + "' must hold one BOOL per layer (" +
                                  std::to_string(info.n_layers) + "), found " + std::to_string(array->count) +
                                  " of " + std::string(name(array->element_type)));
            }
            for (std::uint64_t i = 0; i < array->count; ++i) {
                types.push_back(array->integer(i).value_or(0) ? "sliding_attention" : "full_attention");
            }
            return;
        }
        const auto period = gguf.get_integer(key);
        if (!period || *period <= 0) {
            throw FormatError(gguf.file_name() + ": metadata '" + key + "' must be a positive period or a BOOL array");
        }
        for (std::int64_t i = 0; i < info.n_layers; ++i) {
            types.push_back((i + 1) % *period == 0 ? "full_attention" : "sliding_attention");
        }
        return;
    }
    if (arch == "gemma3") {
        // NOTE: most Gemma 3 GGUFs do not store the pattern; llama.cpp fixes it at five sliding-window layers
        // then one global layer, with the local layers' RoPE base at 10000. Hearth states the same here.
        for (std::int64_t i = 0; i < info.n_layers; ++i) {
            types.push_back((i + 1) % 6 == 0 ? "full_attention" : "sliding_attention");
        }
        if (!info.rope.local_theta) info.rope.local_theta = 10000.0;
    }
}

}  // namespace

ModelInfo model_info_from_gguf(const GgufFile& gguf, const std::filesystem::path& path) {
    ModelInfo info;
    info.path = path;
    info.format = ModelFormat::gguf;
    info.files = {path.filename().string()};
    info.file_bytes = gguf.file_size();
    info.gguf_version = gguf.version();

    const auto arch = gguf.get_string("general.architecture");
    if (!arch || arch->empty()) {
        throw FormatError(gguf.file_name() + ": metadata 'general.architecture' is missing; every GGUF model "
                          "names its architecture there");
    }
    info.architecture = escape_for_message(*arch);
    info.name = escape_for_message(gguf.get_string("general.name").value_or(path.stem().string()));
    const std::string a = std::string(*arch) + ".";

    info.n_layers = non_negative(gguf, a + "block_count", gguf.get_integer(a + "block_count"));
    if (info.n_layers > k_max_layers) {
        throw FormatError(gguf.file_name() + ": metadata '" + a + "block_count' is " + std::to_string(info.n_layers) +
                          "; Hearth accepts at most " + std::to_string(k_max_layers) + " layers");
    }
    info.hidden_size = non_negative(gguf, a + "embedding_length", gguf.get_integer(a + "embedding_length"));
    info.ffn_size = non_negative(gguf, a + "feed_forward_length", integer_or_max(gguf, a + "feed_forward_length"));
    info.n_heads = non_negative(gguf, a + "attention.head_count", integer_or_max(gguf, a + "attention.head_count"));
    info.n_kv_heads = non_negative(gguf, a + "attention.head_count_kv",
                                   integer_or_max(gguf, a + "attention.head_count_kv"));
    if (info.n_kv_heads == 0) info.n_kv_heads = info.n_heads;  // llama.cpp's default: no GQA
    info.head_dim = non_negative(gguf, a + "attention.key_length", gguf.get_integer(a + "attention.key_length"));
    if (info.head_dim == 0 && info.n_heads > 0) info.head_dim = info.hidden_size / info.n_heads;
    info.context_length = non_negative(gguf, a + "context_length", gguf.get_integer(a + "context_length"));
    info.norm_eps = gguf.get_number(a + "attention.layer_norm_rms_epsilon");
    if (!info.norm_eps) info.norm_eps = gguf.get_number(a + "attention.layer_norm_epsilon");

    info.rope.theta = gguf.get_number(a + "rope.freq_base").value_or(10000.0);
    if (auto type = gguf.get_string(a + "rope.scaling.type")) info.rope.scaling_type = escape_for_message(*type);
    if (info.rope.scaling_type == "none") info.rope.scaling_type.clear();
    info.rope.scaling_factor = gguf.get_number(a + "rope.scaling.factor").value_or(1.0);
    if (auto original = gguf.get_integer(a + "rope.scaling.original_context_length")) {
        info.rope.original_context_length = *original;
    }

    info.attention.sliding_window =
        non_negative(gguf, a + "attention.sliding_window", gguf.get_integer(a + "attention.sliding_window"));
    info.attention.chunk_size =
        non_negative(gguf, a + "attention.chunk_size", gguf.get_integer(a + "attention.chunk_size"));
    info.attention.attn_logit_softcapping = gguf.get_number(a + "attn_logit_softcapping");
    info.attention.final_logit_softcapping = gguf.get_number(a + "final_logit_softcapping");
    read_layer_pattern(gguf, a, *arch, info);

    info.moe.n_experts = non_negative(gguf, a + "expert_count", gguf.get_integer(a + "expert_count"));
    info.moe.n_experts_used = non_negative(gguf, a + "expert_used_count", gguf.get_integer(a + "expert_used_count"));
    info.moe.expert_ffn_size =
        non_negative(gguf, a + "expert_feed_forward_length", gguf.get_integer(a + "expert_feed_forward_length"));
    info.moe.n_shared_experts =
        non_negative(gguf, a + "expert_shared_count", gguf.get_integer(a + "expert_shared_count"));

    const auto file_name = path.filename().string();
    for (const auto& t : gguf.tensors()) {
        TensorInfo ti;
        ti.name = t.name;
        ti.type = t.type;
        ti.shape.assign(t.ne.rbegin(), t.ne.rend());
        ti.n_elements = t.n_elements;
        ti.n_bytes = t.n_bytes;
        ti.offset = t.offset;
        ti.file = file_name;
        info.n_params += t.n_elements;
        info.tensors.push_back(std::move(ti));
    }
    info.tied_embeddings = info.find_tensor("token_embd.weight") && !info.find_tensor("output.weight");
    summarize_dtypes(info);

    // Tokenizer: the vocabulary lives in the metadata.
    info.tokenizer.source = "gguf";
    info.tokenizer.kind = tokenizer_kind(gguf.get_string("tokenizer.ggml.model").value_or(""));
    if (auto pre = gguf.get_string("tokenizer.ggml.pre")) info.tokenizer.pre_tokenizer = escape_for_message(*pre);
    if (const auto* tokens = gguf.find("tokenizer.ggml.tokens")) {
        const auto* array = tokens->as_array();
        if (!array || array->element_type != GgufType::string) {
            throw FormatError(gguf.file_name() + ": metadata 'tokenizer.ggml.tokens' must be an array of strings");
        }
        info.tokenizer.n_tokens = static_cast<std::int64_t>(array->count);
    }
    info.tokenizer.bos_id = gguf.get_integer("tokenizer.ggml.bos_token_id");
    info.tokenizer.eos_id = gguf.get_integer("tokenizer.ggml.eos_token_id");
    info.tokenizer.has_chat_template = gguf.find("tokenizer.chat_template") != nullptr;
    if (info.tokenizer.eos_id) info.generation.eos_ids.push_back(*info.tokenizer.eos_id);

    info.vocab_size = non_negative(gguf, a + "vocab_size", gguf.get_integer(a + "vocab_size"));
    if (info.vocab_size == 0) info.vocab_size = info.tokenizer.n_tokens;
    if (info.vocab_size == 0) {
        if (const auto* embd = info.find_tensor("token_embd.weight"); embd && embd->shape.size() == 2) {
            info.vocab_size = embd->shape[0];
        }
    }

    const bool any_quantized = std::any_of(info.tensors.begin(), info.tensors.end(),
                                           [](const TensorInfo& t) { return traits(t.type).quantized; });
    if (auto ftype = gguf.get_integer("general.file_type")) {
        info.quantization.parameters.emplace_back("general.file_type",
                                                  std::to_string(*ftype) + " (" + file_type_name(*ftype) + ")");
        info.quantization.scheme = file_type_name(*ftype);
    }
    if (auto version = gguf.get_integer("general.quantization_version")) {
        info.quantization.parameters.emplace_back("general.quantization_version", std::to_string(*version));
    }
    if (any_quantized) {
        info.quantization.method = "gguf";
        // The headline type is the one the file type names ("Q4_K_M" → Q4_K); without a file type, the
        // quantized type holding the most bytes.
        std::optional<TensorType> headline;
        if (!info.quantization.scheme.empty()) {
            std::string base = info.quantization.scheme;
            for (std::string_view suffix : {"_S", "_M", "_L", "_XS", "_MOE"}) {
                if (base.ends_with(suffix) && !tensor_type_from_name(base)) base.resize(base.size() - suffix.size());
            }
            headline = tensor_type_from_name(base);
        }
        for (const auto& d : info.stored_dtypes) {
            if (!headline && traits(d.type).quantized) headline = d.type;
        }
        if (headline && traits(*headline).quantized) {
            info.quantization.bits = bits_of(*headline);
            info.quantization.group_size = static_cast<int>(traits(*headline).block_elements);
            if (info.quantization.scheme.empty()) info.quantization.scheme = std::string(name(*headline));
        }
    }
    return info;
}

}  // namespace hearth::format
