#pragma once
// safetensors: u64 little-endian header length N · N bytes of JSON header · tensor data.
// The header maps each tensor name to {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative to
// the data section), plus an optional "__metadata__" object of strings. A SafetensorsFile that exists is
// consistent: every tensor's byte range lies inside the file, matches its shape and dtype, and overlaps no
// other. Zero-element tensors are valid (quantized checkpoints carry empty g_idx tensors).
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "format/mapped_file.h"
#include "hearth/result.h"
#include "hearth/tensor_type.h"

namespace hearth::format {

struct SafetensorsTensor {
    std::string name;
    TensorType type = TensorType::F32;
    std::vector<std::int64_t> shape;  // outermost first
    std::uint64_t n_elements = 0;
    std::uint64_t n_bytes = 0;
    std::uint64_t offset = 0;         // absolute offset of the data in the file
};

class SafetensorsFile {
public:
    // The safetensors library refuses headers above 100 MB; so does Hearth.
    static constexpr std::uint64_t k_max_header_bytes = 100'000'000;

    static SafetensorsFile parse(std::span<const std::byte> bytes, const std::string& file_name);  // throws FormatError
    static Result<SafetensorsFile> open(const std::filesystem::path& path);

    const std::vector<SafetensorsTensor>& tensors() const { return m_tensors; }  // in data order
    const std::map<std::string, std::string>& metadata() const { return m_metadata; }
    std::uint64_t data_offset() const { return m_data_offset; }
    std::uint64_t file_size() const { return m_file_size; }

private:
    std::vector<SafetensorsTensor> m_tensors;
    std::map<std::string, std::string> m_metadata;
    std::uint64_t m_data_offset = 0;
    std::uint64_t m_file_size = 0;
};

}  // namespace hearth::format
