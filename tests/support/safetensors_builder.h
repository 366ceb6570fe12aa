#pragma once
// Writes safetensors files for tests: a header (as given, or made from tensor specs) and data bytes.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hearth::test {

struct SafetensorsSpec {
    std::string name;
    std::string dtype = "F32";
    std::vector<std::int64_t> shape;
    std::size_t element_bytes = 4;
};

// Lays the tensors out one after another and returns the header JSON for them.
inline nlohmann::json safetensors_header(const std::vector<SafetensorsSpec>& tensors, std::size_t* data_bytes = nullptr) {
    nlohmann::json header = nlohmann::json::object();
    std::size_t offset = 0;
    for (const auto& t : tensors) {
        std::size_t n = 1;
        for (auto d : t.shape) n *= static_cast<std::size_t>(d);
        header[t.name] = {{"dtype", t.dtype}, {"shape", t.shape}, {"data_offsets", {offset, offset + n * t.element_bytes}}};
        offset += n * t.element_bytes;
    }
    if (data_bytes) *data_bytes = offset;
    return header;
}

// A whole file: u64 header length, the header text exactly as given, then `data_bytes` bytes.
inline std::vector<char> safetensors_file(const std::string& header_text, std::size_t data_bytes,
                                          std::uint64_t claimed_header_length = UINT64_MAX) {
    std::vector<char> out(8);
    const std::uint64_t length = claimed_header_length == UINT64_MAX ? header_text.size() : claimed_header_length;
    std::memcpy(out.data(), &length, 8);
    out.insert(out.end(), header_text.begin(), header_text.end());
    for (std::size_t i = 0; i < data_bytes; ++i) out.push_back(static_cast<char>(i * 13 + 5));
    return out;
}

inline std::vector<char> safetensors_file(const std::vector<SafetensorsSpec>& tensors) {
    std::size_t data_bytes = 0;
    const auto header = safetensors_header(tensors, &data_bytes);
    return safetensors_file(header.dump(), data_bytes);
}

}  // namespace hearth::test
