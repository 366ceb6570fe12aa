#include "hearth/tensor_type.h"

#include <array>
#include <limits>

namespace hearth {
namespace {

// Block sizes of the GGML types follow ggml's block structs (QK_K = 256 elements per super-block);
// tests/data/golden/ggml_types.json, written from the PyPI gguf package, checks every row.
constexpr std::array<TensorTypeTraits, 38> k_traits{{
    {"F64", 1, 8, 28, false},
    {"F32", 1, 4, 0, false},
    {"F16", 1, 2, 1, false},
    {"BF16", 1, 2, 30, false},
    {"F8_E4M3", 1, 1, -1, false},
    {"F8_E5M2", 1, 1, -1, false},
    {"I64", 1, 8, 27, false},
    {"I32", 1, 4, 26, false},
    {"I16", 1, 2, 25, false},
    {"I8", 1, 1, 24, false},
    {"U8", 1, 1, -1, false},
    {"BOOL", 1, 1, -1, false},
    {"Q4_0", 32, 18, 2, true},
    {"Q4_1", 32, 20, 3, true},
    {"Q5_0", 32, 22, 6, true},
    {"Q5_1", 32, 24, 7, true},
    {"Q8_0", 32, 34, 8, true},
    {"Q8_1", 32, 36, 9, true},
    {"Q2_K", 256, 84, 10, true},
    {"Q3_K", 256, 110, 11, true},
    {"Q4_K", 256, 144, 12, true},
    {"Q5_K", 256, 176, 13, true},
    {"Q6_K", 256, 210, 14, true},
    {"Q8_K", 256, 292, 15, true},
    {"IQ2_XXS", 256, 66, 16, true},
    {"IQ2_XS", 256, 74, 17, true},
    {"IQ3_XXS", 256, 98, 18, true},
    {"IQ1_S", 256, 50, 19, true},
    {"IQ4_NL", 32, 18, 20, true},
    {"IQ3_S", 256, 110, 21, true},
    {"IQ2_S", 256, 82, 22, true},
    {"IQ4_XS", 256, 136, 23, true},
    {"IQ1_M", 256, 56, 29, true},
    {"TQ1_0", 256, 54, 34, true},
    {"TQ2_0", 256, 66, 35, true},
    {"MXFP4", 32, 17, 39, true},
    {"NVFP4", 64, 36, 40, true},
    {"Q1_0", 128, 18, 41, true},
}};

constexpr std::size_t k_type_count = static_cast<std::size_t>(TensorType::Q1_0) + 1;
static_assert(k_traits.size() == k_type_count, "one traits row per TensorType, in enum order");

}  // namespace

const TensorTypeTraits& traits(TensorType type) { return k_traits[static_cast<std::size_t>(type)]; }

std::optional<TensorType> tensor_type_from_ggml(std::uint32_t ggml_id) {
    for (std::size_t i = 0; i < k_traits.size(); ++i) {
        if (k_traits[i].ggml_id >= 0 && static_cast<std::uint32_t>(k_traits[i].ggml_id) == ggml_id) {
            return static_cast<TensorType>(i);
        }
    }
    return std::nullopt;
}

std::optional<TensorType> tensor_type_from_name(std::string_view type_name) {
    for (std::size_t i = 0; i < k_traits.size(); ++i) {
        if (k_traits[i].name == type_name) return static_cast<TensorType>(i);
    }
    return std::nullopt;
}

std::optional<TensorType> tensor_type_from_safetensors(std::string_view dtype) {
    // safetensors names its dtypes like the plain rows of the table; block-quantized names are not dtypes.
    auto type = tensor_type_from_name(dtype);
    if (!type || traits(*type).quantized) return std::nullopt;
    return type;
}

std::optional<std::uint64_t> bytes_for(TensorType type, std::uint64_t n_elements) {
    const auto& t = traits(type);
    const auto block = static_cast<std::uint64_t>(t.block_elements);
    if (n_elements % block != 0) return std::nullopt;
    const std::uint64_t blocks = n_elements / block;
    constexpr std::uint64_t limit = std::numeric_limits<std::int64_t>::max();
    if (blocks > limit / static_cast<std::uint64_t>(t.block_bytes)) return std::nullopt;
    return blocks * static_cast<std::uint64_t>(t.block_bytes);
}

}  // namespace hearth
