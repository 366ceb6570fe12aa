#include <fstream>

#include "format/format_error.h"
#include "format/model_info_builders.h"
#include "hearth/model_info.h"

namespace hearth {
namespace {

namespace fs = std::filesystem;

bool is_hf_file_name(const fs::path& file) {
    const auto name = file.filename().string();
    return name == "config.json" || name == "model.safetensors.index.json" || name == "generation_config.json" ||
           name == "tokenizer.json" || name == "tokenizer_config.json" || file.extension() == ".safetensors";
}

std::string first_bytes(const fs::path& path, std::size_t n) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes(n, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(n));
    bytes.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
    return bytes;
}

ModelInfo inspect_gguf(const fs::path& path) {
    auto gguf = format::GgufFile::open(path);
    if (!gguf) throw format::FormatError(gguf.error().message);
    if (auto count = gguf->get_integer("split.count"); count && *count > 1) {
        throw format::FormatError(path.filename().string() + ": this is one part of a GGUF split into " +
                                  std::to_string(*count) + " files; Hearth reads whole files: merge the parts "
                                  "with `llama-gguf-split --merge`");
    }
    return format::model_info_from_gguf(gguf.value(), path);
}

}  // namespace

Result<ModelInfo> inspect(const fs::path& path) {
    try {
        std::error_code ec;
        const auto status = fs::status(path, ec);
        if (ec || !fs::exists(status)) return Error{path.string() + ": no such file or folder"};
        if (fs::is_directory(status)) return format::model_info_from_hf_folder(path);
        if (!fs::is_regular_file(status)) return Error{path.string() + ": not a file or folder"};

        if (first_bytes(path, 4) == "GGUF") return inspect_gguf(path);
        if (is_hf_file_name(path)) {
            const auto folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
            if (fs::exists(folder / "config.json")) return format::model_info_from_hf_folder(folder);
            return Error{path.string() + ": a " + path.filename().string() + " file alone does not describe a "
                         "model; open the Hugging Face folder that holds it together with config.json"};
        }
        if (path.extension() == ".gguf") return inspect_gguf(path);  // the reader says what is wrong with it
        return Error{path.string() + ": not a model Hearth can read; expected a GGUF file (it starts with "
                     "'GGUF') or a Hugging Face folder with config.json and .safetensors weights"};
    } catch (const format::FormatError& e) {
        return Error{e.what()};
    } catch (const fs::filesystem_error& e) {
        return Error{path.string() + ": " + e.what()};
    } catch (const std::bad_alloc&) {
        return Error{path.string() + ": ran out of memory while reading the model's description"};
    }
}

}  // namespace hearth
