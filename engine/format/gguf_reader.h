#pragma once
// GGUF (llama.cpp's model file), versions 2 and 3. Layout, all little-endian:
//   "GGUF" u32 version · u64 n_tensors · u64 n_kv · n_kv × (string key, u32 type, value)
//   · n_tensors × (string name, u32 n_dims, u64 ne[n_dims], u32 ggml_type, u64 offset)
//   · padding to general.alignment (default 32) · tensor data (offsets are relative to its start).
// Strings are u64 length + bytes; arrays are u32 element type + u64 count + elements (arrays may nest).
// Everything read from the file is checked before use; a GgufFile that exists is consistent: every tensor's
// data lies inside the file, aligned, and overlaps no other tensor.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "format/mapped_file.h"
#include "hearth/result.h"
#include "hearth/tensor_type.h"

namespace hearth::format {

enum class GgufType : std::uint32_t {
    u8 = 0, i8 = 1, u16 = 2, i16 = 3, u32 = 4, i32 = 5, f32 = 6, boolean = 7, string = 8, array = 9,
    u64 = 10, i64 = 11, f64 = 12,
};
std::string_view name(GgufType type);  // the gguf package's spelling: "UINT32", "STRING", "ARRAY", …

struct GgufValue;

struct GgufArray {
    GgufType element_type = GgufType::u8;
    std::uint64_t count = 0;
    std::span<const std::byte> raw;         // fixed-size elements, as stored (little-endian)
    std::vector<std::string_view> strings;  // element_type == string
    std::vector<GgufValue> arrays;          // element_type == array

    // Element i of a fixed-size numeric array, converted; nullopt if the element type is not numeric.
    std::optional<double> number(std::uint64_t i) const;
    std::optional<std::int64_t> integer(std::uint64_t i) const;
};

struct GgufValue {
    GgufType type = GgufType::u8;
    // u8…u64 → uint64_t; i8…i64 → int64_t; f32/f64 → double; boolean → bool; string → string_view into the
    // mapped file; array → GgufArray.
    std::variant<std::uint64_t, std::int64_t, double, bool, std::string_view, GgufArray> data;

    std::optional<std::int64_t> as_integer() const;  // any integer type that fits in int64
    std::optional<double> as_number() const;         // any integer or float type
    std::optional<std::string_view> as_string() const;
    std::optional<bool> as_bool() const;
    const GgufArray* as_array() const { return std::get_if<GgufArray>(&data); }
};

struct GgufTensor {
    std::string name;
    TensorType type = TensorType::F32;
    std::vector<std::int64_t> ne;   // ggml order: ne[0] is the innermost (contiguous) dimension
    std::uint64_t n_elements = 0;
    std::uint64_t n_bytes = 0;
    std::uint64_t offset = 0;       // absolute offset of the data in the file
};

class GgufFile {
public:
    // Parses `bytes` (the whole file); `file_name` prefixes every error. Throws FormatError.
    static GgufFile parse(std::span<const std::byte> bytes, const std::string& file_name);
    // Maps and parses the file at `path`.
    static Result<GgufFile> open(const std::filesystem::path& path);

    std::uint32_t version() const { return m_version; }
    std::uint64_t alignment() const { return m_alignment; }
    std::uint64_t data_offset() const { return m_data_offset; }
    std::uint64_t file_size() const { return m_file_size; }
    const std::string& file_name() const { return m_file_name; }

    // Metadata in file order.
    const std::vector<std::pair<std::string_view, GgufValue>>& metadata() const { return m_metadata; }
    const GgufValue* find(std::string_view key) const;
    const std::vector<GgufTensor>& tensors() const { return m_tensors; }

    // Typed lookups for building ModelInfo: nullopt when the key is absent; FormatError naming the key
    // and the type found when it is present with the wrong type or an impossible value.
    std::optional<std::int64_t> get_integer(std::string_view key) const;
    std::optional<double> get_number(std::string_view key) const;
    std::optional<std::string_view> get_string(std::string_view key) const;
    std::optional<bool> get_bool(std::string_view key) const;

private:
    std::shared_ptr<const MappedFile> m_mapping;  // keeps string_views valid when opened from a file
    std::string m_file_name;
    std::uint32_t m_version = 0;
    std::uint64_t m_alignment = 32;
    std::uint64_t m_data_offset = 0;
    std::uint64_t m_file_size = 0;
    std::vector<std::pair<std::string_view, GgufValue>> m_metadata;
    std::map<std::string_view, std::size_t, std::less<>> m_index;
    std::vector<GgufTensor> m_tensors;
};

}  // namespace hearth::format
