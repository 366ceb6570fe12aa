#pragma once
// What distinguishes one decoder-only transformer family from another, as data. The forward pass
// (transformer.cpp) is written once; each architecture file (llama.cpp, qwen2.cpp, qwen3.cpp, gemma3.cpp)
// only fills in this description of its block.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "backend/backend.h"
#include "hearth/result.h"

namespace hearth::model {

struct ArchitectureTraits {
    std::string_view name;                 // "llama"
    std::vector<std::string_view> aliases; // other names files use for it ("mistral", "smollm")
    backend::Activation activation = backend::Activation::silu;
    bool attention_bias = false;           // q/k/v projections have biases (Qwen2)
    bool qk_norm = false;                  // RMSNorm over each query and key head before RoPE (Qwen3, Gemma 3)
    bool sandwich_norms = false;           // extra norms after attention and after the MLP (Gemma 2/3)
    bool scale_embeddings = false;         // embeddings × sqrt(hidden_size) (Gemma)
    // Gemma's RMSNorm computes x · (1 + w) and Hugging Face stores w; llama.cpp stores 1 + w instead.
    bool hf_norm_adds_one = false;
    // llama.cpp's converter reorders each Q and K head's rows for its GPT-J-style RoPE; the loader puts them
    // back into Hugging Face's order so every architecture runs NeoX-style RoPE.
    bool gguf_qk_rows_permuted = false;
};

const ArchitectureTraits& llama_architecture();
const ArchitectureTraits& qwen2_architecture();
const ArchitectureTraits& qwen3_architecture();
const ArchitectureTraits& gemma3_architecture();

// The traits for `name` (a GGUF general.architecture or a normalised transformers model_type), or an error
// that names it and lists what is supported.
Result<const ArchitectureTraits*> find_architecture(std::string_view name);

}  // namespace hearth::model
