#include "tokenize_command.h"

#include <charconv>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hearth/tokenizer.h"

namespace hearth::cli {
namespace {

constexpr std::string_view k_tokenize_usage =
    "usage: hearth-cli tokenize --model PATH [--json] [--parse-special] [--add-bos] [--add-eos] TEXT\n"
    "  PATH is a .gguf file or a Hugging Face folder with tokenizer.json\n";
constexpr std::string_view k_detokenize_usage = "usage: hearth-cli detokenize --model PATH IDS...\n";

std::optional<Tokenizer> load(const std::string& model) {
    if (model.empty()) return std::nullopt;
    // A Hugging Face folder's tokenizer.json, or a GGUF file's metadata.
    auto tokenizer = std::filesystem::is_directory(model) ? Tokenizer::from_hf_folder(model) : Tokenizer::from_gguf(model);
    if (!tokenizer) {
        std::cerr << "error: " << tokenizer.error().message << "\n";
        return std::nullopt;
    }
    return std::move(tokenizer).value();
}

}  // namespace

int run_tokenize(std::span<const std::string_view> args) {
    std::string model;
    std::optional<std::string> text;
    bool json = false;
    EncodeOptions options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto arg = args[i];
        if (arg == "--model" && i + 1 < args.size()) model = std::string(args[++i]);
        else if (arg == "--json") json = true;
        else if (arg == "--parse-special") options.parse_special = true;
        else if (arg == "--add-bos") options.add_bos = true;
        else if (arg == "--add-eos") options.add_eos = true;
        else if (arg == "--") { if (i + 1 < args.size()) text = std::string(args[++i]); }
        else if (!arg.starts_with("--") && !text) text = std::string(arg);
        else {
            std::cerr << "hearth-cli tokenize: unexpected argument '" << arg << "'\n" << k_tokenize_usage;
            return 2;
        }
    }
    if (model.empty() || !text) {
        std::cerr << k_tokenize_usage;
        return 2;
    }
    const auto tokenizer = load(model);
    if (!tokenizer) return 1;
    const auto ids = tokenizer->encode(*text, options);
    if (json) {
        std::cout << nlohmann::json(ids).dump() << "\n";
        return 0;
    }
    // For people: one token per line, its id and how the vocabulary spells it.
    for (auto id : ids) std::cout << id << "\t" << nlohmann::json(std::string(tokenizer->token_text(id))).dump() << "\n";
    return 0;
}

int run_detokenize(std::span<const std::string_view> args) {
    std::string model;
    std::vector<TokenId> ids;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto arg = args[i];
        if (arg == "--model" && i + 1 < args.size()) {
            model = std::string(args[++i]);
            continue;
        }
        TokenId id = 0;
        const auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), id);
        if (ec != std::errc() || end != arg.data() + arg.size() || id < 0) {
            std::cerr << "hearth-cli detokenize: '" << arg << "' is not a token id\n" << k_detokenize_usage;
            return 2;
        }
        ids.push_back(id);
    }
    if (model.empty()) {
        std::cerr << k_detokenize_usage;
        return 2;
    }
    const auto tokenizer = load(model);
    if (!tokenizer) return 1;
    for (auto id : ids) {
        if (static_cast<std::size_t>(id) >= tokenizer->size()) {
            std::cerr << "error: token id " << id << " is outside the vocabulary (" << tokenizer->size() << " tokens)\n";
            return 1;
        }
    }
    std::cout << tokenizer->decode(ids);
    return 0;
}

}  // namespace hearth::cli
