#pragma once
// ModelInfo as one JSON object: what `hearth-cli inspect --json` prints and what tests compare.
#include <nlohmann/json.hpp>

#include "hearth/model_info.h"

namespace hearth {

enum class TensorListing { omit, include };
nlohmann::json to_json(const ModelInfo& info, TensorListing tensors = TensorListing::omit);

}  // namespace hearth
