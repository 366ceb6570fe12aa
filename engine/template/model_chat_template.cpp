// Where a model keeps its chat template: GGUF metadata, or the files of a Hugging Face folder.
#include <fstream>
#include <sstream>

#include "format/format_error.h"
#include "format/gguf_reader.h"
#include "format/json_text.h"
#include "hearth/chat_template.h"
#include "hearth/model_info.h"

namespace hearth {
namespace {

namespace fs = std::filesystem;
using format::FormatError;

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw FormatError(path.string() + ": cannot open");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// A GGUF token's text by id, from tokenizer.ggml.tokens; empty when absent.
std::string gguf_token_text(const format::GgufFile& gguf, std::string_view id_key) {
    const auto id = gguf.get_integer(id_key);
    const auto* tokens = gguf.find("tokenizer.ggml.tokens");
    const auto* array = tokens ? tokens->as_array() : nullptr;
    if (!id || !array || array->element_type != format::GgufType::string || *id < 0 ||
        static_cast<std::uint64_t>(*id) >= array->strings.size()) {
        return {};
    }
    return std::string(array->strings[static_cast<std::size_t>(*id)]);
}

ModelChatTemplate from_gguf(const fs::path& path) {
    auto gguf = format::GgufFile::open(path);
    if (!gguf) throw FormatError(gguf.error().message);
    ModelChatTemplate t;
    t.bos_token = gguf_token_text(gguf.value(), "tokenizer.ggml.bos_token_id");
    t.eos_token = gguf_token_text(gguf.value(), "tokenizer.ggml.eos_token_id");
    if (auto source = gguf->get_string("tokenizer.chat_template")) {
        t.source = std::string(*source);
        t.origin = "tokenizer.chat_template (GGUF)";
    }
    return t;
}

// tokenizer_config.json writes special tokens as a string or as {"content": "…", …}.
std::string token_field(const nlohmann::json& config, const char* key) {
    if (!config.contains(key)) return {};
    const auto& v = config[key];
    if (v.is_string()) return v.get<std::string>();
    if (v.is_object() && v.contains("content") && v["content"].is_string()) return v["content"].get<std::string>();
    return {};
}

ModelChatTemplate from_folder(const fs::path& folder) {
    ModelChatTemplate t;
    const auto config_path = folder / "tokenizer_config.json";
    if (fs::exists(config_path)) {
        const auto config = format::parse_json(read_file(config_path), "tokenizer_config.json");
        if (!config.is_object()) throw FormatError("tokenizer_config.json: expected a JSON object");
        t.bos_token = token_field(config, "bos_token");
        t.eos_token = token_field(config, "eos_token");
        if (config.contains("chat_template")) {
            const auto& ct = config["chat_template"];
            if (ct.is_string()) {
                t.source = ct.get<std::string>();
            } else if (ct.is_array()) {
                for (const auto& named : ct) {
                    if (named.is_object() && named.value("name", "") == "default" && named.contains("template") &&
                        named["template"].is_string()) {
                        t.source = named["template"].get<std::string>();
                    }
                }
                if (t.source.empty()) {
                    throw FormatError("tokenizer_config.json: 'chat_template' lists templates but none named \"default\"");
                }
            } else if (!ct.is_null()) {
                throw FormatError("tokenizer_config.json: 'chat_template' must be a string or a list of named templates");
            }
            if (!t.source.empty()) t.origin = "tokenizer_config.json";
        }
    }
    if (t.source.empty() && fs::exists(folder / "chat_template.jinja")) {
        t.source = read_file(folder / "chat_template.jinja");
        t.origin = "chat_template.jinja";
    }
    return t;
}

}  // namespace

Result<ModelChatTemplate> load_chat_template(const fs::path& path) {
    auto info = inspect(path);
    if (!info) return info.error();
    try {
        ModelChatTemplate t = info->format == ModelFormat::gguf ? from_gguf(info->path) : from_folder(info->path);
        if (t.source.empty()) {
            t.source = std::string(fallback_chat_template(info->architecture));
            t.origin = "fallback for " + info->architecture;
            t.is_fallback = true;
        }
        return t;
    } catch (const FormatError& e) {
        return Error{e.what()};
    }
}

}  // namespace hearth
