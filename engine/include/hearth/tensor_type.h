#pragma once
// Every element type a model file can store: the GGML types of GGUF (quantized blocks included) and the
// dtypes of safetensors. One table knows each type's block size, so a reader can size any tensor it meets
// and name a type it does not know instead of misreading it.

#include <cstdint>
#include <optional>
#include <string_view>

namespace hearth {

enum class TensorType : std::uint8_t {
    // Plain element types.
    F64, F32, F16, BF16, F8_E4M3, F8_E5M2, I64, I32, I16, I8, U8, BOOL,
    // GGML block-quantized types (GGUF only).
    Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q8_1,
    Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, Q8_K,
    IQ2_XXS, IQ2_XS, IQ3_XXS, IQ1_S, IQ4_NL, IQ3_S, IQ2_S, IQ4_XS, IQ1_M,
    TQ1_0, TQ2_0, MXFP4, NVFP4, Q1_0,
};

struct TensorTypeTraits {
    std::string_view name;           // "Q4_K", "BF16", … (GGUF / safetensors spelling)
    std::int64_t block_elements;     // elements per block: 1 for plain types
    std::int64_t block_bytes;        // bytes per block
    int ggml_id;                     // id in GGUF files, -1 if GGUF cannot store it
    bool quantized;                  // block-quantized (needs a dequantizing kernel)
};

const TensorTypeTraits& traits(TensorType type);
inline std::string_view name(TensorType type) { return traits(type).name; }

// The type a GGUF file means by `ggml_id`; nullopt for ids that are unknown or retired.
std::optional<TensorType> tensor_type_from_ggml(std::uint32_t ggml_id);
// The type a safetensors header means by `dtype` ("F32", "BF16", "F8_E4M3", …).
std::optional<TensorType> tensor_type_from_safetensors(std::string_view dtype);
std::optional<TensorType> tensor_type_from_name(std::string_view name);

// Bytes needed for `n_elements` elements, or nullopt if n_elements is not a whole number of blocks or the
// size overflows 63 bits.
std::optional<std::uint64_t> bytes_for(TensorType type, std::uint64_t n_elements);

}  // namespace hearth
