#include <algorithm>
#include <map>

#include "format/model_info_builders.h"

namespace hearth {

std::string_view name(ModelFormat format) {
    switch (format) {
        case ModelFormat::gguf: return "gguf";
        case ModelFormat::huggingface: return "huggingface";
    }
    return "unknown";
}

const TensorInfo* ModelInfo::find_tensor(std::string_view tensor_name) const {
    for (const auto& t : tensors) {
        if (t.name == tensor_name) return &t;
    }
    return nullptr;
}

namespace format {

void summarize_dtypes(ModelInfo& info) {
    std::map<TensorType, DTypeCount> by_type;
    for (const auto& t : info.tensors) {
        auto& c = by_type[t.type];
        c.type = t.type;
        c.tensors += 1;
        c.elements += t.n_elements;
        c.bytes += t.n_bytes;
    }
    info.stored_dtypes.clear();
    for (auto& [type, count] : by_type) info.stored_dtypes.push_back(count);
    std::stable_sort(info.stored_dtypes.begin(), info.stored_dtypes.end(),
                     [](const DTypeCount& a, const DTypeCount& b) { return a.bytes > b.bytes; });
}

}  // namespace format
}  // namespace hearth
