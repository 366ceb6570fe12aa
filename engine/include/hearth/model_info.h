#pragma once
// ModelInfo: what a model file or folder says about itself, read without loading any weights. It is the
// first step of the load pipeline (file → ModelInfo → LoadPlan → weights placed) and the same structure for
// GGUF files and Hugging Face folders, so the planner and the GUI never care which kind they got.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "hearth/result.h"
#include "hearth/tensor_type.h"

namespace hearth {

enum class ModelFormat { gguf, huggingface };
std::string_view name(ModelFormat format);  // "gguf", "huggingface"

struct TensorInfo {
    std::string name;                 // as stored in the file ("blk.0.attn_q.weight", "model.norm.weight")
    TensorType type = TensorType::F32;
    std::vector<std::int64_t> shape;  // outermost dimension first, as PyTorch and numpy write it; for GGUF
                                      // this is the file's ne[] reversed ([n_vocab, n_embd] for token_embd)
    std::uint64_t n_elements = 0;
    std::uint64_t n_bytes = 0;
    std::uint64_t offset = 0;         // absolute byte offset of the data inside `file`
    std::string file;                 // file holding the data, relative to ModelInfo::path's folder
};

struct DTypeCount {
    TensorType type = TensorType::F32;
    std::uint64_t tensors = 0;
    std::uint64_t elements = 0;
    std::uint64_t bytes = 0;
};

struct QuantizationInfo {
    std::string method = "none";  // none | gguf | gptq | awq | bitsandbytes | fp8 | compressed-tensors | …
    std::string scheme;           // gguf: file type ("Q4_K_M"); bitsandbytes: "nf4"/"fp4"/"int8";
                                  // awq: version ("gemm"); fp8: "e4m3, per-tensor" …
    int bits = 0;                 // 0 where not applicable
    int group_size = 0;           // -1 = one group per output channel; 0 = not applicable
    std::optional<bool> desc_act;
    std::optional<bool> sym;
    std::vector<std::string> modules_not_converted;  // modules the checkpoint left unquantized
    // Every key of the checkpoint's quantization settings as text, for display ("checkpoint_format": "gptq").
    std::vector<std::pair<std::string, std::string>> parameters;
};

struct RopeInfo {
    double theta = 10000.0;
    std::optional<double> local_theta;       // sliding-window layers' base, where it differs (Gemma 3)
    std::string scaling_type;                // "", "linear", "llama3", "yarn", "dynamic", "longrope", …
    double scaling_factor = 1.0;
    std::optional<double> low_freq_factor;   // llama3
    std::optional<double> high_freq_factor;  // llama3
    std::optional<std::int64_t> original_context_length;
};

struct AttentionInfo {
    std::int64_t sliding_window = 0;         // 0 = none
    std::int64_t chunk_size = 0;             // chunked local attention (Llama 4 style); 0 = none
    // Per layer: "full_attention", "sliding_attention", "chunked_attention"; empty = all full.
    std::vector<std::string> layer_types;
    std::optional<double> query_pre_attn_scalar;
    std::optional<double> attn_logit_softcapping;
    std::optional<double> final_logit_softcapping;
};

struct MoeInfo {
    std::int64_t n_experts = 0;              // 0 = dense model
    std::int64_t n_experts_used = 0;
    std::int64_t expert_ffn_size = 0;
    std::int64_t n_shared_experts = 0;
};

struct TokenizerInfo {
    // "bpe-byte-level" (GPT-2 style), "bpe-sentencepiece" (byte fallback), "unigram", "wordpiece",
    // "none", or the file's own word for a kind Hearth does not know.
    std::string kind = "none";
    std::string source;                 // "gguf", "tokenizer.json", "tokenizer.model"
    std::string pre_tokenizer;          // GGUF tokenizer.ggml.pre ("smollm", "qwen2", …), where given
    std::int64_t n_tokens = 0;
    std::optional<std::int64_t> bos_id;
    std::optional<std::int64_t> eos_id;
    bool has_chat_template = false;
    bool has_tokenizer_config = false;  // Hugging Face tokenizer_config.json present
};

struct GenerationDefaults {
    std::optional<double> temperature;
    std::optional<double> top_p;
    std::optional<std::int64_t> top_k;
    std::optional<double> repetition_penalty;
    std::vector<std::int64_t> eos_ids;
};

struct ModelInfo {
    std::filesystem::path path;          // the .gguf file or the Hugging Face folder
    ModelFormat format = ModelFormat::gguf;
    std::vector<std::string> files;      // files it is made of, relative to path's folder (shards in order)
    std::uint64_t file_bytes = 0;        // their total size on disk
    std::string name;                    // general.name, or the folder's name
    std::uint32_t gguf_version = 0;      // GGUF only

    std::string architecture;            // llama.cpp / transformers model type: "llama", "qwen2", "gemma3"
    std::string architecture_class;      // transformers class ("LlamaForCausalLM"); Hugging Face only
    std::int64_t n_layers = 0;
    std::int64_t hidden_size = 0;
    std::int64_t ffn_size = 0;
    std::int64_t n_heads = 0;
    std::int64_t n_kv_heads = 0;
    std::int64_t head_dim = 0;
    std::int64_t vocab_size = 0;
    std::int64_t context_length = 0;
    std::optional<double> norm_eps;
    bool tied_embeddings = false;
    RopeInfo rope;
    AttentionInfo attention;
    MoeInfo moe;

    std::uint64_t n_params = 0;          // weights' element count; packed quantized weights count unpacked
    std::string declared_dtype;          // config.json torch_dtype; GGUF: empty
    std::vector<DTypeCount> stored_dtypes;  // by type, largest share of bytes first
    QuantizationInfo quantization;
    TokenizerInfo tokenizer;
    GenerationDefaults generation;
    std::vector<TensorInfo> tensors;     // in file order (shard by shard for sharded folders)

    const TensorInfo* find_tensor(std::string_view tensor_name) const;
};

// Reads what the model at `path` says about itself: a .gguf file, a Hugging Face folder, or a file inside
// one (config.json, *.safetensors, model.safetensors.index.json). Reads headers only; weights stay on disk.
Result<ModelInfo> inspect(const std::filesystem::path& path);

}  // namespace hearth
