#pragma once
// The decoder-only transformer forward pass, written once for every architecture (architecture.h says how
// they differ). It runs a flat batch of tokens from any number of sequences against the paged KV cache and
// produces logits for the tokens the caller asks for.

#include <memory>
#include <span>

#include "backend/backend.h"
#include "hearth/model_info.h"
#include "model/model_config.h"
#include "model/model_weights.h"

namespace hearth::model {

class Transformer {
public:
    static Result<std::unique_ptr<Transformer>> load(const ModelInfo& info, backend::Backend& backend,
                                                     const LoadProgress& progress = {});

    const ModelConfig& config() const { return m_config; }
    const ModelWeights& weights() const { return m_weights; }
    backend::Backend& backend() const { return m_backend; }
    std::int64_t kv_dim() const { return m_config.n_kv_heads * m_config.head_dim; }

    // Runs `batch` (arrays in backend memory) through every layer, storing its keys and values in `cache`
    // (one KvLayer per layer), then writes the logits of the batch tokens listed in logit_rows
    // ([logits.rows] indices, backend memory) to `logits` (F32 [logits.rows, vocab]).
    void forward(const backend::BatchLayout& batch, std::span<const backend::KvLayer> cache,
                 const std::int32_t* logit_rows, const backend::Tensor& logits);

private:
    Transformer(ModelConfig config, ModelWeights weights, backend::Backend& backend);
    Result<bool> prepare_rope();
    void ensure_scratch(std::int64_t n_tokens, std::int64_t n_logit_rows);
    backend::Tensor scratch(std::int64_t rows, std::int64_t cols, std::size_t& offset);

    ModelConfig m_config;
    ModelWeights m_weights;
    backend::Backend& m_backend;
    std::vector<backend::RopeParams> m_ropes;  // one per ModelConfig::ropes entry
    std::vector<std::unique_ptr<backend::Buffer>> m_rope_buffers;

    std::unique_ptr<backend::Buffer> m_scratch;
    std::int64_t m_scratch_tokens = 0;
    std::int64_t m_scratch_logit_rows = 0;
    struct Activations {
        backend::Tensor x, h, q, k, v, attn, gate, up, last;
    } m_act;
};

}  // namespace hearth::model
