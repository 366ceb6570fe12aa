#include "inspect_command.h"

#include <iostream>
#include <string>

#include <spdlog/spdlog.h>

#include "hearth/model_info.h"
#include "hearth/model_info_json.h"
#include "model_info_text.h"

namespace hearth::cli {

int run_inspect(std::span<const std::string_view> args) {
    bool json = false;
    bool tensors = false;
    std::string path;
    for (auto arg : args) {
        if (arg == "--json") json = true;
        else if (arg == "--tensors") tensors = true;
        else if (arg.starts_with("-")) {
            std::cerr << "hearth-cli inspect: unknown option '" << arg << "'\n"
                      << "usage: hearth-cli inspect PATH [--json] [--tensors]\n";
            return 2;
        } else if (path.empty()) path = std::string(arg);
        else {
            std::cerr << "hearth-cli inspect: one model at a time ('" << path << "' and '" << arg << "' given)\n";
            return 2;
        }
    }
    if (path.empty()) {
        std::cerr << "usage: hearth-cli inspect PATH [--json] [--tensors]\n";
        return 2;
    }
    auto info = inspect(path);
    if (!info) {
        spdlog::debug("inspect failed: {}", info.error().message);
        std::cerr << "error: " << info.error().message << "\n";
        return 1;
    }
    if (json) {
        std::cout << to_json(info.value(), tensors ? TensorListing::include : TensorListing::omit).dump(1) << "\n";
    } else {
        print_model_info(std::cout, info.value(), tensors);
    }
    return 0;
}

}  // namespace hearth::cli
