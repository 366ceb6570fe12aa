// Qwen3 (dense): no biases, RMSNorm over each query and key head before RoPE.
#include "model/architecture.h"

namespace hearth::model {

const ArchitectureTraits& qwen3_architecture() {
    static const ArchitectureTraits traits{
        .name = "qwen3",
        .aliases = {},
        .activation = backend::Activation::silu,
        .qk_norm = true,
    };
    return traits;
}

}  // namespace hearth::model
