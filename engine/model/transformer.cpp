#include "model/transformer.h"

#include <algorithm>

namespace hearth::model {

using backend::Tensor;

Result<std::unique_ptr<Transformer>> Transformer::load(const ModelInfo& info, backend::Backend& backend,
                                                       const LoadProgress& progress) {
    auto config = resolve_model_config(info);
    if (!config) return config.error();
    auto weights = load_weights(info, config.value(), backend, progress);
    if (!weights) return weights.error();
    std::unique_ptr<Transformer> transformer(
        new Transformer(std::move(config).value(), std::move(weights).value(), backend));
    if (auto ok = transformer->prepare_rope(); !ok) return ok.error();
    return transformer;
}

Transformer::Transformer(ModelConfig config, ModelWeights weights, backend::Backend& backend)
    : m_config(std::move(config)), m_weights(std::move(weights)), m_backend(backend) {}

Result<bool> Transformer::prepare_rope() {
    for (std::size_t i = 0; i < m_config.ropes.size(); ++i) {
        RopeSpec spec = m_config.ropes[i];
        // A GGUF that carries rope_freqs.weight (Llama 3.1 and later) has its scaling baked into those
        // factors; applying the llama3 formula as well would scale twice.
        const bool has_factors = i == 0 && !m_weights.rope_freq_factors.empty();
        if (has_factors) spec.scaling_type.clear();
        std::vector<float> inv_freq = rope_inv_freq(spec, m_config.head_dim);
        if (has_factors)
            for (std::size_t j = 0; j < inv_freq.size(); ++j) inv_freq[j] /= m_weights.rope_freq_factors[j];
        const std::size_t bytes = inv_freq.size() * sizeof(float);
        auto buffer = m_backend.allocate(bytes);
        if (!buffer) return buffer.error();
        m_backend.upload(buffer.value()->data(), inv_freq.data(), bytes);
        backend::RopeParams params;
        params.style = backend::RopeStyle::neox;
        params.head_dim = static_cast<std::int32_t>(m_config.head_dim);
        params.rotary_dim = static_cast<std::int32_t>(m_config.head_dim);
        params.inv_freq = Tensor{buffer.value()->data(), TensorType::F32, 1,
                                 static_cast<std::int64_t>(inv_freq.size()), bytes};
        m_ropes.push_back(params);
        m_rope_buffers.push_back(std::move(buffer).value());
    }
    return true;
}

Tensor Transformer::scratch(std::int64_t rows, std::int64_t cols, std::size_t& offset) {
    const std::size_t row_bytes = static_cast<std::size_t>(cols) * sizeof(float);
    Tensor t{static_cast<char*>(m_scratch->data()) + offset, TensorType::F32, rows, cols, row_bytes};
    offset += (row_bytes * static_cast<std::size_t>(rows) + 63) / 64 * 64;
    return t;
}

void Transformer::ensure_scratch(std::int64_t n_tokens, std::int64_t n_logit_rows) {
    if (n_tokens <= m_scratch_tokens && n_logit_rows <= m_scratch_logit_rows) return;
    n_tokens = std::max(n_tokens, m_scratch_tokens);
    n_logit_rows = std::max(n_logit_rows, m_scratch_logit_rows);
    const std::int64_t hidden = m_config.hidden_size, q_dim = m_config.n_heads * m_config.head_dim;
    const std::int64_t cols_per_token = 2 * hidden + 2 * q_dim + 2 * kv_dim() + 2 * m_config.ffn_size;
    const std::size_t bytes = static_cast<std::size_t>(cols_per_token * n_tokens + hidden * n_logit_rows) *
                                  sizeof(float) + 64 * 10;
    m_scratch.reset();
    auto buffer = m_backend.allocate(bytes);
    // NOTE: activations are small next to the weights; failing here means the machine is out of memory.
    if (!buffer) throw std::bad_alloc();
    m_scratch = std::move(buffer).value();
    std::size_t offset = 0;
    m_act.x = scratch(n_tokens, hidden, offset);
    m_act.h = scratch(n_tokens, hidden, offset);
    m_act.q = scratch(n_tokens, q_dim, offset);
    m_act.attn = scratch(n_tokens, q_dim, offset);
    m_act.k = scratch(n_tokens, kv_dim(), offset);
    m_act.v = scratch(n_tokens, kv_dim(), offset);
    m_act.gate = scratch(n_tokens, m_config.ffn_size, offset);
    m_act.up = scratch(n_tokens, m_config.ffn_size, offset);
    m_act.last = scratch(n_logit_rows, hidden, offset);
    m_scratch_tokens = n_tokens;
    m_scratch_logit_rows = n_logit_rows;
}

void Transformer::forward(const backend::BatchLayout& batch, std::span<const backend::KvLayer> cache,
                          const std::int32_t* logit_rows, const Tensor& logits) {
    const std::int64_t n = batch.n_tokens;
    ensure_scratch(n, std::max<std::int64_t>(logits.rows, 1));
    backend::Backend& be = m_backend;
    const ModelConfig& c = m_config;
    const Tensor x = m_act.x.rows_view(0, n), h = m_act.h.rows_view(0, n);
    const Tensor q = m_act.q.rows_view(0, n), attn = m_act.attn.rows_view(0, n);
    const Tensor k = m_act.k.rows_view(0, n), v = m_act.v.rows_view(0, n);
    const Tensor gate = m_act.gate.rows_view(0, n), up = m_act.up.rows_view(0, n);

    // x: [n, hidden], the residual stream.
    be.embed(m_weights.embedding, batch.token_ids, x);
    if (c.embedding_scale != 1.0f) be.scale(x, c.embedding_scale);

    for (std::int64_t i = 0; i < c.n_layers; ++i) {
        const LayerWeights& w = m_weights.layers[static_cast<std::size_t>(i)];
        const LayerConfig& layer = c.layers[static_cast<std::size_t>(i)];

        be.rms_norm(x, w.attn_norm, c.norm_eps, h);
        // q: [n, n_heads * head_dim]; k, v: [n, n_kv_heads * head_dim]
        const backend::Backend::MatmulTarget qkv[] = {{&w.q, q}, {&w.k, k}, {&w.v, v}};
        be.matmuls(h, qkv);
        if (c.arch->qk_norm) {
            be.rms_norm(q, w.q_norm, c.norm_eps, q);
            be.rms_norm(k, w.k_norm, c.norm_eps, k);
        }
        if (layer.uses_rope) {
            const backend::RopeParams& rope = m_ropes[static_cast<std::size_t>(layer.rope_index)];
            be.rope(q, static_cast<std::int32_t>(c.n_heads), rope, batch);
            be.rope(k, static_cast<std::int32_t>(c.n_kv_heads), rope, batch);
        }
        const backend::KvLayer& kv = cache[static_cast<std::size_t>(i)];
        be.store_kv(k, v, kv, batch);
        backend::AttentionParams params;
        params.n_heads = static_cast<std::int32_t>(c.n_heads);
        params.n_kv_heads = static_cast<std::int32_t>(c.n_kv_heads);
        params.head_dim = static_cast<std::int32_t>(c.head_dim);
        params.scale = c.attention_scale;
        params.logit_softcap = c.attention_softcap;
        params.mask = layer.mask;
        params.window = layer.window;
        be.attention(q, kv, batch, params, attn);
        be.matmul(attn, w.o, h);
        if (c.arch->sandwich_norms) be.rms_norm(h, w.post_attn_norm, c.norm_eps, h);
        be.add(x, h, x);

        be.rms_norm(x, w.ffn_norm, c.norm_eps, h);
        const backend::Backend::MatmulTarget gate_up[] = {{&w.gate, gate}, {&w.up, up}};  // [n, ffn] each
        be.matmuls(h, gate_up);
        be.gated_activation(gate, up, c.arch->activation, gate);
        be.matmul(gate, w.down, h);
        if (c.arch->sandwich_norms) be.rms_norm(h, w.post_ffn_norm, c.norm_eps, h);
        be.add(x, h, x);
    }

    if (logits.rows == 0) return;  // a prefill chunk whose logits nobody needs
    const Tensor last = m_act.last.rows_view(0, logits.rows);
    be.gather_rows(x, logit_rows, last);
    be.rms_norm(last, m_weights.output_norm, c.norm_eps, last);
    be.matmul(last, m_weights.output, logits);
    if (c.final_softcap > 0.0f) be.softcap(logits, c.final_softcap);
}

}  // namespace hearth::model
