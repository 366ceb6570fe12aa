#include "model/architecture.h"

namespace hearth::model {

Result<const ArchitectureTraits*> find_architecture(std::string_view name) {
    const ArchitectureTraits* all[] = {&llama_architecture(), &qwen2_architecture(), &qwen3_architecture(),
                                       &gemma3_architecture()};
    std::string supported;
    for (const ArchitectureTraits* arch : all) {
        if (arch->name == name) return arch;
        for (std::string_view alias : arch->aliases)
            if (alias == name) return arch;
        supported += (supported.empty() ? "" : ", ") + std::string(arch->name);
        for (std::string_view alias : arch->aliases) supported += ", " + std::string(alias);
    }
    return Error{"architecture '" + std::string(name) + "' is not supported; Hearth runs: " + supported};
}

}  // namespace hearth::model
