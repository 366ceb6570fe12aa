#pragma once
// ModelInfo for people: the summary `hearth-cli inspect` prints.
#include <ostream>

#include "hearth/model_info.h"

namespace hearth::cli {

void print_model_info(std::ostream& out, const ModelInfo& info, bool with_tensors);

}  // namespace hearth::cli
