#pragma once
// The two ways a ModelInfo is made, and what they share. Each throws FormatError on a malformed input.
#include <filesystem>

#include "format/gguf_reader.h"
#include "hearth/model_info.h"

namespace hearth::format {

// Layer counts drive per-layer tables; the deepest released models have about 130 layers, so a count past
// this is a corrupt or hostile file, refused before anything is sized from it.
constexpr std::int64_t k_max_layers = 4096;

ModelInfo model_info_from_gguf(const GgufFile& gguf, const std::filesystem::path& path);
ModelInfo model_info_from_hf_folder(const std::filesystem::path& folder);

// Fills stored_dtypes (largest share of bytes first) from info.tensors.
void summarize_dtypes(ModelInfo& info);

}  // namespace hearth::format
