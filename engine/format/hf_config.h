#pragma once
// Hugging Face config.json and generation_config.json, read into ModelInfo. Keys follow transformers'
// configuration classes; multimodal configs (Gemma 3, Llama 4) keep the language model in "text_config",
// which is what Hearth runs.
#include <string>
#include <string_view>

#include "hearth/model_info.h"

namespace hearth::format {

// Throws FormatError naming `file_name` and the key, and what was expected.
void apply_hf_config(std::string_view json_text, const std::string& file_name, ModelInfo& info);
void apply_generation_config(std::string_view json_text, const std::string& file_name, ModelInfo& info);

}  // namespace hearth::format
