// Gemma 3 (text): GeGLU MLP, QK-norm, norms before and after both attention and MLP, embeddings scaled by
// sqrt(hidden_size), sliding-window layers with their own RoPE base, optional logit soft-capping.
#include "model/architecture.h"

namespace hearth::model {

const ArchitectureTraits& gemma3_architecture() {
    static const ArchitectureTraits traits{
        .name = "gemma3",
        .aliases = {},
        .activation = backend::Activation::gelu_tanh,
        .qk_norm = true,
        .sandwich_norms = true,
        .scale_embeddings = true,
        .hf_norm_adds_one = true,
    };
    return traits;
}

}  // namespace hearth::model
