#pragma once
// A model's weights placed on a backend, in the roles the forward pass uses. Tensors are read from the
// memory-mapped file; small or rearranged ones (norms as F32, biases, GGUF llama Q/K rows put back in
// Hugging Face order) are copied into backend buffers, and then the backend may move the linear layers'
// matrices into its own memory and layout (Backend::prepare_weights; the CPU backend does on its int16
// path), the file's pages of what moved leaving the resident set. The embedding is read from the file.

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include "backend/backend.h"
#include "format/mapped_file.h"
#include "hearth/model_info.h"
#include "model/model_config.h"

namespace hearth::model {

struct LayerWeights {
    backend::Tensor attn_norm;        // F32 [hidden]
    backend::Weight q, k, v, o;       // [n_heads*hd, hidden], [n_kv*hd, hidden] ×2, [hidden, n_heads*hd]
    backend::Tensor q_norm, k_norm;   // F32 [head_dim]; data null unless the architecture has QK-norm
    backend::Tensor post_attn_norm;   // F32 [hidden]; sandwich norms only
    backend::Tensor ffn_norm;         // F32 [hidden]: the norm in front of the MLP
    backend::Tensor post_ffn_norm;    // F32 [hidden]; sandwich norms only
    backend::Weight gate, up, down;   // [ffn, hidden] ×2, [hidden, ffn]
};

struct ModelWeights {
    backend::Tensor embedding;        // [vocab, hidden], any supported type
    backend::Tensor output_norm;      // F32 [hidden]
    backend::Weight output;           // [vocab, hidden]; the embedding itself when tied
    std::vector<LayerWeights> layers;
    std::vector<float> rope_freq_factors;  // GGUF rope_freqs.weight (Llama 3.1 style scaling); empty if none
    std::uint64_t bytes_read_per_token = 0; // every weight a decode step streams (matrices, norms, biases)

    // Keep the data alive.
    std::vector<std::shared_ptr<format::MappedFile>> files;
    std::vector<std::unique_ptr<backend::Buffer>> buffers;
};

// Reports the fraction loaded (0..1); returning false cancels the load.
using LoadProgress = std::function<bool(double)>;

// Maps every tensor the configuration needs into its role, checking names, shapes and types. Any missing
// tensor, wrong shape, unsupported type or unexpected tensor is an error that names it.
Result<ModelWeights> load_weights(const ModelInfo& info, const ModelConfig& config, backend::Backend& backend,
                                  const LoadProgress& progress = {});

}  // namespace hearth::model
