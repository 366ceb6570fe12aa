// Qwen2 / Qwen2.5: the llama block with biases on the query, key and value projections.
#include "model/architecture.h"

namespace hearth::model {

const ArchitectureTraits& qwen2_architecture() {
    static const ArchitectureTraits traits{
        .name = "qwen2",
        .aliases = {},
        .activation = backend::Activation::silu,
        .attention_bias = true,
    };
    return traits;
}

}  // namespace hearth::model
