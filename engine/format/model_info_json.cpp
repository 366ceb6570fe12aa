#include "hearth/model_info_json.h"

namespace hearth {
namespace {

using nlohmann::json;

template <class T>
json optional_value(const std::optional<T>& v) {
    return v ? json(*v) : json(nullptr);
}

json quantization_json(const QuantizationInfo& q) {
    json parameters = json::object();
    for (const auto& [k, v] : q.parameters) parameters[k] = v;
    return {{"method", q.method},         {"scheme", q.scheme},
            {"bits", q.bits},             {"group_size", q.group_size},
            {"desc_act", optional_value(q.desc_act)},
            {"sym", optional_value(q.sym)},
            {"modules_not_converted", q.modules_not_converted},
            {"parameters", parameters}};
}

}  // namespace

json to_json(const ModelInfo& info, TensorListing tensors) {
    json dtypes = json::object();
    for (const auto& d : info.stored_dtypes) {
        dtypes[std::string(name(d.type))] = {{"tensors", d.tensors}, {"elements", d.elements}, {"bytes", d.bytes}};
    }
    json out = {
        {"path", info.path.string()},
        {"format", std::string(name(info.format))},
        {"files", info.files},
        {"file_bytes", info.file_bytes},
        {"name", info.name},
        {"architecture", info.architecture},
        {"architecture_class", info.architecture_class},
        {"n_layers", info.n_layers},
        {"hidden_size", info.hidden_size},
        {"ffn_size", info.ffn_size},
        {"n_heads", info.n_heads},
        {"n_kv_heads", info.n_kv_heads},
        {"head_dim", info.head_dim},
        {"vocab_size", info.vocab_size},
        {"context_length", info.context_length},
        {"norm_eps", optional_value(info.norm_eps)},
        {"tied_embeddings", info.tied_embeddings},
        {"n_params", info.n_params},
        {"declared_dtype", info.declared_dtype},
        {"stored_dtypes", dtypes},
        {"quantization", quantization_json(info.quantization)},
        {"rope",
         {{"theta", info.rope.theta},
          {"local_theta", optional_value(info.rope.local_theta)},
          {"scaling_type", info.rope.scaling_type},
          {"scaling_factor", info.rope.scaling_factor},
          {"low_freq_factor", optional_value(info.rope.low_freq_factor)},
          {"high_freq_factor", optional_value(info.rope.high_freq_factor)},
          {"original_context_length", optional_value(info.rope.original_context_length)}}},
        {"attention",
         {{"sliding_window", info.attention.sliding_window},
          {"chunk_size", info.attention.chunk_size},
          {"layer_types", info.attention.layer_types},
          {"query_pre_attn_scalar", optional_value(info.attention.query_pre_attn_scalar)},
          {"attn_logit_softcapping", optional_value(info.attention.attn_logit_softcapping)},
          {"final_logit_softcapping", optional_value(info.attention.final_logit_softcapping)}}},
        {"moe",
         {{"n_experts", info.moe.n_experts},
          {"n_experts_used", info.moe.n_experts_used},
          {"expert_ffn_size", info.moe.expert_ffn_size},
          {"n_shared_experts", info.moe.n_shared_experts}}},
        {"tokenizer",
         {{"kind", info.tokenizer.kind},
          {"source", info.tokenizer.source},
          {"pre_tokenizer", info.tokenizer.pre_tokenizer},
          {"n_tokens", info.tokenizer.n_tokens},
          {"bos_id", optional_value(info.tokenizer.bos_id)},
          {"eos_id", optional_value(info.tokenizer.eos_id)},
          {"has_chat_template", info.tokenizer.has_chat_template},
          {"has_tokenizer_config", info.tokenizer.has_tokenizer_config}}},
        {"generation",
         {{"temperature", optional_value(info.generation.temperature)},
          {"top_p", optional_value(info.generation.top_p)},
          {"top_k", optional_value(info.generation.top_k)},
          {"repetition_penalty", optional_value(info.generation.repetition_penalty)},
          {"eos_ids", info.generation.eos_ids}}},
        {"n_tensors", info.tensors.size()},
    };
    if (info.format == ModelFormat::gguf) out["gguf_version"] = info.gguf_version;
    if (tensors == TensorListing::include) {
        json list = json::array();
        for (const auto& t : info.tensors) {
            list.push_back({{"name", t.name},
                            {"type", std::string(name(t.type))},
                            {"shape", t.shape},
                            {"n_elements", t.n_elements},
                            {"n_bytes", t.n_bytes},
                            {"offset", t.offset},
                            {"file", t.file}});
        }
        out["tensors"] = std::move(list);
    }
    return out;
}

}  // namespace hearth
