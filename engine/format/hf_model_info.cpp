// ModelInfo for a Hugging Face model folder: config.json, safetensors weights (one file or shards listed in
// model.safetensors.index.json), tokenizer files and generation_config.json.
#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/utf8.h"
#include "format/format_error.h"
#include "format/hf_config.h"
#include "format/json_text.h"
#include "format/model_info_builders.h"
#include "format/safetensors_index.h"
#include "format/safetensors_reader.h"

namespace hearth::format {
namespace {

namespace fs = std::filesystem;

std::string read_text_file(const fs::path& path, std::uint64_t max_bytes) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) throw FormatError(path.string() + ": cannot read: " + ec.message());
    if (size > max_bytes) {
        throw FormatError(path.string() + ": is " + std::to_string(size) + " bytes; expected at most " +
                          std::to_string(max_bytes) + " for this kind of file");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw FormatError(path.string() + ": cannot open");
    std::string text(size, '\0');
    in.read(text.data(), static_cast<std::streamsize>(size));
    if (static_cast<std::uint64_t>(in.gcount()) != size) throw FormatError(path.string() + ": read failed");
    return text;
}

constexpr std::uint64_t k_max_config_bytes = 16u << 20;
constexpr std::uint64_t k_max_tokenizer_bytes = 256u << 20;

// Tensors that describe how another tensor is packed (scales, zero points, permutations) are not weights
// of their own; packed integer weights hold several weights per element.
std::uint64_t parameters_in(const TensorInfo& t, const QuantizationInfo& q) {
    static constexpr std::string_view k_auxiliary[] = {
        ".qzeros", ".scales", ".g_idx", ".absmax", ".quant_map", ".nested_absmax", ".nested_quant_map",
        ".weight_scale", ".weight_scale_inv", ".input_scale", ".quant_state.bitsandbytes__nf4",
        ".quant_state.bitsandbytes__fp4", ".SCB", ".weight_format"};
    for (auto suffix : k_auxiliary) {
        if (std::string_view(t.name).ends_with(suffix)) return 0;
    }
    if ((q.method == "gptq" || q.method == "awq") && t.name.ends_with(".qweight") && q.bits > 0 &&
        traits(t.type).block_bytes == 4) {
        return t.n_elements * static_cast<std::uint64_t>(32 / q.bits);
    }
    if (q.method == "bitsandbytes" && q.bits == 4 && t.type == TensorType::U8 && t.name.ends_with(".weight")) {
        return t.n_elements * 2;
    }
    return t.n_elements;
}

void add_tensors(ModelInfo& info, const SafetensorsFile& file, const std::string& file_name) {
    for (const auto& t : file.tensors()) {
        TensorInfo ti;
        ti.name = t.name;
        ti.type = t.type;
        ti.shape = t.shape;
        ti.n_elements = t.n_elements;
        ti.n_bytes = t.n_bytes;
        ti.offset = t.offset;
        ti.file = file_name;
        info.tensors.push_back(std::move(ti));
    }
    info.file_bytes += file.file_size();
    info.files.push_back(file_name);
}

SafetensorsFile open_safetensors(const fs::path& path) {
    auto file = SafetensorsFile::open(path);
    if (!file) throw FormatError(file.error().message);
    return std::move(file).value();
}

void read_sharded_weights(ModelInfo& info, const fs::path& folder) {
    const auto index_path = folder / "model.safetensors.index.json";
    const ShardIndex index =
        parse_shard_index(read_text_file(index_path, k_max_config_bytes), "model.safetensors.index.json");
    std::map<std::string, std::string> holder;  // tensor → shard it was found in
    for (const auto& shard : index.shards) {
        const auto shard_path = folder / shard;
        if (!fs::exists(shard_path)) {
            std::size_t count = 0;
            std::string first;
            for (const auto& [tensor, s] : index.weight_map) {
                if (s == shard && count++ == 0) first = tensor;
            }
            throw FormatError(folder.filename().string() + ": shard '" + shard + "' is missing; " +
                              "model.safetensors.index.json places " + std::to_string(count) +
                              " tensors there (first: '" + escape_for_message(first) + "')");
        }
        const auto before = info.tensors.size();
        add_tensors(info, open_safetensors(shard_path), shard);
        for (auto i = before; i < info.tensors.size(); ++i) {
            auto [it, inserted] = holder.emplace(info.tensors[i].name, shard);
            if (!inserted) {
                throw FormatError(folder.filename().string() + ": tensor '" + escape_for_message(it->first) +
                                  "' is stored twice, in '" + it->second + "' and in '" + shard + "'");
            }
        }
    }
    for (const auto& [tensor, shard] : index.weight_map) {
        auto it = holder.find(tensor);
        if (it == holder.end() || it->second != shard) {
            throw FormatError("model.safetensors.index.json: lists tensor '" + escape_for_message(tensor) +
                              "' in shard '" + shard + "', but " +
                              (it == holder.end() ? std::string("no shard contains it")
                                                  : "it is stored in '" + it->second + "'"));
        }
    }
}

void read_weights(ModelInfo& info, const fs::path& folder) {
    if (fs::exists(folder / "model.safetensors.index.json")) return read_sharded_weights(info, folder);
    if (fs::exists(folder / "model.safetensors")) {
        return add_tensors(info, open_safetensors(folder / "model.safetensors"), "model.safetensors");
    }
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(folder)) {
        if (entry.is_regular_file() && entry.path().extension() == ".safetensors") {
            found.push_back(entry.path().filename().string());
        }
    }
    std::sort(found.begin(), found.end());
    if (found.empty()) {
        const bool pickle = fs::exists(folder / "pytorch_model.bin") || fs::exists(folder / "pytorch_model.bin.index.json");
        throw FormatError(folder.filename().string() + ": no weights found; expected model.safetensors or "
                          "model.safetensors.index.json" +
                          (pickle ? std::string(" (this folder has PyTorch .bin weights, which are pickled code that "
                                                "Hearth does not run; convert them to safetensors)")
                                  : std::string()));
    }
    std::set<std::string> seen;
    for (const auto& name : found) {
        const auto before = info.tensors.size();
        add_tensors(info, open_safetensors(folder / name), name);
        for (auto i = before; i < info.tensors.size(); ++i) {
            if (!seen.insert(info.tensors[i].name).second) {
                throw FormatError(folder.filename().string() + ": tensor '" + escape_for_message(info.tensors[i].name) +
                                  "' is stored in more than one .safetensors file");
            }
        }
    }
}

void read_tokenizer(ModelInfo& info, const fs::path& folder) {
    using nlohmann::json;
    auto& tok = info.tokenizer;
    if (fs::exists(folder / "tokenizer.json")) {
        tok.source = "tokenizer.json";
        const json root = parse_json(read_text_file(folder / "tokenizer.json", k_max_tokenizer_bytes), "tokenizer.json");
        const json* model = root.is_object() && root.contains("model") ? &root["model"] : nullptr;
        if (!model || !model->is_object()) throw FormatError("tokenizer.json: has no 'model' object");
        const std::string type = model->value("type", "");
        const bool byte_fallback = model->value("byte_fallback", false);
        if (type == "BPE") tok.kind = byte_fallback ? "bpe-sentencepiece" : "bpe-byte-level";
        else if (type == "Unigram") tok.kind = "unigram";
        else if (type == "WordPiece") tok.kind = "wordpiece";
        else tok.kind = escape_for_message(type.empty() ? "unknown" : type);
        if (model->contains("vocab") && ((*model)["vocab"].is_object() || (*model)["vocab"].is_array())) {
            tok.n_tokens = static_cast<std::int64_t>((*model)["vocab"].size());
        }
        if (root.contains("added_tokens") && root["added_tokens"].is_array()) {
            // Added tokens usually extend the vocabulary past the model's own entries.
            std::int64_t highest = tok.n_tokens - 1;
            for (const auto& added : root["added_tokens"]) {
                if (added.is_object() && added.contains("id") && added["id"].is_number_integer()) {
                    highest = std::max(highest, added["id"].get<std::int64_t>());
                }
            }
            tok.n_tokens = highest + 1;
        }
    } else if (fs::exists(folder / "tokenizer.model")) {
        tok.source = "tokenizer.model";
        tok.kind = "sentencepiece";
    }
    if (fs::exists(folder / "tokenizer_config.json")) {
        tok.has_tokenizer_config = true;
        const json config =
            parse_json(read_text_file(folder / "tokenizer_config.json", k_max_tokenizer_bytes), "tokenizer_config.json");
        if (config.is_object() && config.contains("chat_template") && !config["chat_template"].is_null()) {
            tok.has_chat_template = true;
        }
    }
    if (fs::exists(folder / "chat_template.jinja") || fs::exists(folder / "chat_template.json")) {
        tok.has_chat_template = true;
    }
}

// Whether config.json states tie_word_embeddings at all, where apply_hf_config reads it: in text_config for
// multimodal checkpoints, else (or when text_config lacks it) at the top level.
bool states_tie_word_embeddings(std::string_view config_text) {
    const nlohmann::json root = parse_json(config_text, "config.json");
    auto states = [](const nlohmann::json& object) {
        return object.is_object() && object.contains("tie_word_embeddings") && object["tie_word_embeddings"].is_boolean();
    };
    return states(root) || (root.is_object() && root.contains("text_config") && states(root["text_config"]));
}

}  // namespace

ModelInfo model_info_from_hf_folder(const fs::path& folder) {
    ModelInfo info;
    info.path = folder;
    info.format = ModelFormat::huggingface;
    info.name = folder.filename().string();
    if (info.name.empty()) info.name = folder.parent_path().filename().string();
    const auto config_path = folder / "config.json";
    if (!fs::exists(config_path)) {
        throw FormatError(folder.string() + ": no config.json; a Hugging Face model folder has one beside its "
                          "weights");
    }
    const std::string config_text = read_text_file(config_path, k_max_config_bytes);
    apply_hf_config(config_text, "config.json", info);
    if (fs::exists(folder / "generation_config.json")) {
        apply_generation_config(read_text_file(folder / "generation_config.json", k_max_config_bytes),
                                "generation_config.json", info);
    }
    read_weights(info, folder);
    read_tokenizer(info, folder);

    for (const auto& t : info.tensors) info.n_params += parameters_in(t, info.quantization);
    if (info.tensors.size() > 0 && !info.tied_embeddings && !states_tie_word_embeddings(config_text)) {
        // A config may omit tie_word_embeddings while the checkpoint simply has no separate output matrix.
        // NOTE: only then. A config that says "tie_word_embeddings": false and has no lm_head.weight is another
        // model (transformers would initialise the head randomly); loading it fails naming the missing tensor.
        const bool has_lm_head = std::any_of(info.tensors.begin(), info.tensors.end(), [](const TensorInfo& t) {
            return t.name.find("lm_head.") != std::string::npos;
        });
        if (!has_lm_head) info.tied_embeddings = true;
    }
    summarize_dtypes(info);
    return info;
}

}  // namespace hearth::format
