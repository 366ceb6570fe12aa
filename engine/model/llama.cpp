// Llama and its plain relatives (Llama 2/3, Mistral, SmolLM): pre-norm blocks, SwiGLU MLP, no biases.
#include "model/architecture.h"

namespace hearth::model {

const ArchitectureTraits& llama_architecture() {
    static const ArchitectureTraits traits{
        .name = "llama",
        .aliases = {"mistral"},
        .activation = backend::Activation::silu,
        .gguf_qk_rows_permuted = true,
    };
    return traits;
}

}  // namespace hearth::model
