#include "template_command.h"

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "hearth/chat_template.h"

namespace hearth::cli {
namespace {

constexpr std::string_view k_usage =
    "usage: hearth-cli template --model PATH --messages FILE.json [--add-generation-prompt]\n"
    "  FILE.json: a list of {\"role\", \"content\"} messages, or an object with \"messages\" and any other\n"
    "  template variables (\"tools\", \"enable_thinking\", …)\n";

}  // namespace

int run_template(std::span<const std::string_view> args) {
    std::string model;
    std::string messages_file;
    bool add_generation_prompt = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto arg = args[i];
        if (arg == "--model" && i + 1 < args.size()) model = std::string(args[++i]);
        else if (arg == "--messages" && i + 1 < args.size()) messages_file = std::string(args[++i]);
        else if (arg == "--add-generation-prompt") add_generation_prompt = true;
        else {
            std::cerr << "hearth-cli template: unexpected argument '" << arg << "'\n" << k_usage;
            return 2;
        }
    }
    if (model.empty() || messages_file.empty()) {
        std::cerr << k_usage;
        return 2;
    }

    std::ifstream in(messages_file, std::ios::binary);
    if (!in) {
        std::cerr << "error: " << messages_file << ": cannot open\n";
        return 1;
    }
    std::ostringstream text;
    text << in.rdbuf();
    nlohmann::ordered_json input;
    try {
        input = nlohmann::ordered_json::parse(text.str());
    } catch (const nlohmann::json::exception& e) {
        std::cerr << "error: " << messages_file << ": not valid JSON: " << e.what() << "\n";
        return 1;
    }
    if (!input.is_array() && !(input.is_object() && input.contains("messages"))) {
        std::cerr << "error: " << messages_file << ": expected a list of messages or an object with \"messages\"\n";
        return 1;
    }

    auto loaded = load_chat_template(model);
    if (!loaded) {
        std::cerr << "error: " << loaded.error().message << "\n";
        return 1;
    }
    if (loaded->is_fallback) {
        std::cerr << "warning [" << template_missing_code << "]: the model has no chat template; using the "
                  << loaded->origin << "\n";
    }
    auto compiled = ChatTemplate::compile(loaded->source);
    if (!compiled) {
        std::cerr << "error: " << loaded->origin << ": " << compiled.error().message << "\n";
        return 1;
    }

    // The context transformers' apply_chat_template builds: tools and documents are always defined.
    nlohmann::ordered_json context = {{"messages", nlohmann::ordered_json::array()},
                                      {"tools", nullptr},
                                      {"documents", nullptr},
                                      {"add_generation_prompt", add_generation_prompt},
                                      {"bos_token", loaded->bos_token},
                                      {"eos_token", loaded->eos_token}};
    if (input.is_array()) {
        context["messages"] = input;
    } else {
        for (const auto& [key, value] : input.items()) context[key] = value;
    }
    auto rendered = compiled->render(context);
    if (!rendered) {
        std::cerr << "error: " << loaded->origin << ": " << rendered.error().message << "\n";
        return 1;
    }
    std::cout << rendered.value();
    return 0;
}

}  // namespace hearth::cli
