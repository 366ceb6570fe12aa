#include "format/gguf_reader.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <numeric>
#include <type_traits>
#include <set>

#include "common/utf8.h"
#include "format/byte_reader.h"
#include "format/format_error.h"

namespace hearth::format {
namespace {

constexpr std::uint32_t k_max_dims = 4;            // GGML_MAX_DIMS
constexpr int k_max_array_depth = 8;               // real files nest at most once
constexpr std::uint64_t k_max_key_length = 65535;  // GGUF spec limit for keys
constexpr std::uint64_t k_max_alignment = 1u << 20;

// Bytes one element of `type` takes at least; bounds element counts before anything is allocated.
std::uint64_t min_element_bytes(GgufType type) {
    switch (type) {
        case GgufType::u8: case GgufType::i8: case GgufType::boolean: return 1;
        case GgufType::u16: case GgufType::i16: return 2;
        case GgufType::u32: case GgufType::i32: case GgufType::f32: return 4;
        case GgufType::u64: case GgufType::i64: case GgufType::f64: return 8;
        case GgufType::string: return 8;   // its u64 length
        case GgufType::array: return 12;   // u32 type + u64 count
    }
    return 1;
}

bool is_fixed_size(GgufType type) { return type != GgufType::string && type != GgufType::array; }

class Parser {
public:
    Parser(std::span<const std::byte> bytes, const std::string& file_name) : m_in(bytes, file_name) {}

    GgufType read_type(const std::string& context) {
        const auto raw = m_in.read<std::uint32_t>("the value type of " + context);
        if (raw > static_cast<std::uint32_t>(GgufType::f64)) {
            m_in.fail(context + " has value type " + std::to_string(raw) + "; GGUF value types are 0 to 12");
        }
        return static_cast<GgufType>(raw);
    }

    std::string_view read_string(const std::string& what) {
        return read_string([&] { return what; });
    }

    // `describe` builds the name of what is read only when it is needed for an error: vocabularies hold
    // hundreds of thousands of strings, and naming each one up front would dominate the parse.
    template <class Describe>
    std::string_view read_string(Describe describe) {
        if (m_in.remaining() < 8) (void)m_in.take(8, "the length of " + describe());  // fails, naming it
        const auto length = m_in.read<std::uint64_t>("a string length");
        if (length > m_in.remaining()) {
            m_in.fail(describe() + " claims to be " + std::to_string(length) + " bytes long, but only " +
                      std::to_string(m_in.remaining()) + " bytes follow in the file");
        }
        return m_in.take_string(length, "a string");
    }

    GgufValue read_value(GgufType type, const std::string& context, int depth) {
        GgufValue value;
        value.type = type;
        switch (type) {
            case GgufType::u8: value.data = std::uint64_t{m_in.read<std::uint8_t>(context)}; break;
            case GgufType::u16: value.data = std::uint64_t{m_in.read<std::uint16_t>(context)}; break;
            case GgufType::u32: value.data = std::uint64_t{m_in.read<std::uint32_t>(context)}; break;
            case GgufType::u64: value.data = std::uint64_t{m_in.read<std::uint64_t>(context)}; break;
            case GgufType::i8: value.data = std::int64_t{m_in.read<std::int8_t>(context)}; break;
            case GgufType::i16: value.data = std::int64_t{m_in.read<std::int16_t>(context)}; break;
            case GgufType::i32: value.data = std::int64_t{m_in.read<std::int32_t>(context)}; break;
            case GgufType::i64: value.data = std::int64_t{m_in.read<std::int64_t>(context)}; break;
            case GgufType::f32: value.data = double{m_in.read<float>(context)}; break;
            case GgufType::f64: value.data = m_in.read<double>(context); break;
            case GgufType::boolean: {
                const auto b = m_in.read<std::uint8_t>(context);
                if (b > 1) m_in.fail(context + " is a bool stored as " + std::to_string(b) + "; expected 0 or 1");
                value.data = b == 1;
                break;
            }
            case GgufType::string: value.data = read_string(context); break;
            case GgufType::array: value.data = read_array(context, depth); break;
        }
        return value;
    }

    GgufArray read_array(const std::string& context, int depth) {
        if (depth >= k_max_array_depth) {
            m_in.fail(context + " nests arrays more than " + std::to_string(k_max_array_depth) + " deep");
        }
        GgufArray array;
        array.element_type = read_type("the elements of " + context);
        array.count = m_in.read<std::uint64_t>("the element count of " + context);
        const std::uint64_t room = m_in.remaining() / min_element_bytes(array.element_type);
        if (array.count > room) {
            m_in.fail(context + " claims " + std::to_string(array.count) + " elements of type " +
                      std::string(name(array.element_type)) + ", but the rest of the file holds at most " +
                      std::to_string(room));
        }
        if (is_fixed_size(array.element_type)) {
            array.raw = m_in.take(array.count * min_element_bytes(array.element_type), context);
            if (array.element_type == GgufType::boolean) {
                for (auto b : array.raw) {
                    if (std::to_integer<unsigned>(b) > 1) m_in.fail(context + " holds a bool that is neither 0 nor 1");
                }
            }
        } else if (array.element_type == GgufType::string) {
            array.strings.reserve(array.count);
            for (std::uint64_t i = 0; i < array.count; ++i) {
                array.strings.push_back(read_string([&] { return "element " + std::to_string(i) + " of " + context; }));
            }
        } else {
            array.arrays.reserve(array.count);
            for (std::uint64_t i = 0; i < array.count; ++i) {
                array.arrays.push_back(
                    read_value(GgufType::array, "element " + std::to_string(i) + " of " + context, depth + 1));
            }
        }
        return array;
    }

    ByteReader m_in;
};

std::string retired_type_note(std::uint32_t id) {
    // Ids ggml once used and later removed; files that still carry them must be re-quantized.
    switch (id) {
        case 4: return " (Q4_2, removed from ggml in 2023)";
        case 5: return " (Q4_3, removed from ggml in 2023)";
        case 31: case 32: case 33: return " (Q4_0_4_4/Q4_0_4_8/Q4_0_8_8, removed from ggml; llama.cpp repacks Q4_0 at load time instead)";
        case 36: case 37: case 38: return " (IQ4_NL_4_4/4_8/8_8, removed from ggml)";
        default: return "";
    }
}

std::string known_types_list() {
    std::string list;
    for (std::uint32_t id = 0; id < 64; ++id) {
        if (auto t = tensor_type_from_ggml(id)) list += (list.empty() ? "" : ", ") + std::string(name(*t));
    }
    return list;
}

}  // namespace

std::string_view name(GgufType type) {
    static constexpr std::string_view k_names[] = {"UINT8", "INT8", "UINT16", "INT16", "UINT32", "INT32",
                                                   "FLOAT32", "BOOL", "STRING", "ARRAY", "UINT64", "INT64",
                                                   "FLOAT64"};
    const auto i = static_cast<std::uint32_t>(type);
    return i < std::size(k_names) ? k_names[i] : "UNKNOWN";
}

namespace {

// Loads element i of a fixed-size array in its stored type and hands it to `use`.
template <class Use>
auto visit_element(const GgufArray& array, std::uint64_t i, Use use) -> decltype(use(std::uint8_t{})) {
    if (i >= array.count || !is_fixed_size(array.element_type)) return std::nullopt;
    const auto* p = array.raw.data() + i * min_element_bytes(array.element_type);
    auto load = [&]<class T>(T value) {
        std::memcpy(&value, p, sizeof value);
        return use(value);
    };
    switch (array.element_type) {
        case GgufType::u8: case GgufType::boolean: return load(std::uint8_t{});
        case GgufType::i8: return load(std::int8_t{});
        case GgufType::u16: return load(std::uint16_t{});
        case GgufType::i16: return load(std::int16_t{});
        case GgufType::u32: return load(std::uint32_t{});
        case GgufType::i32: return load(std::int32_t{});
        case GgufType::u64: return load(std::uint64_t{});
        case GgufType::i64: return load(std::int64_t{});
        case GgufType::f32: return load(float{});
        case GgufType::f64: return load(double{});
        default: return std::nullopt;
    }
}

}  // namespace

std::optional<double> GgufArray::number(std::uint64_t i) const {
    return visit_element(*this, i, [](auto v) -> std::optional<double> { return static_cast<double>(v); });
}

std::optional<std::int64_t> GgufArray::integer(std::uint64_t i) const {
    return visit_element(*this, i, [](auto v) -> std::optional<std::int64_t> {
        using T = decltype(v);
        if constexpr (std::is_floating_point_v<T>) {
            return std::nullopt;
        } else if constexpr (std::is_same_v<T, std::uint64_t>) {
            if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
            return static_cast<std::int64_t>(v);
        } else {
            return static_cast<std::int64_t>(v);
        }
    });
}

std::optional<std::int64_t> GgufValue::as_integer() const {
    if (const auto* u = std::get_if<std::uint64_t>(&data)) {
        if (*u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
        return static_cast<std::int64_t>(*u);
    }
    if (const auto* i = std::get_if<std::int64_t>(&data)) return *i;
    return std::nullopt;
}

std::optional<double> GgufValue::as_number() const {
    if (const auto* u = std::get_if<std::uint64_t>(&data)) return static_cast<double>(*u);
    if (const auto* i = std::get_if<std::int64_t>(&data)) return static_cast<double>(*i);
    if (const auto* d = std::get_if<double>(&data)) return *d;
    return std::nullopt;
}

std::optional<std::string_view> GgufValue::as_string() const {
    if (const auto* s = std::get_if<std::string_view>(&data)) return *s;
    return std::nullopt;
}

std::optional<bool> GgufValue::as_bool() const {
    if (const auto* b = std::get_if<bool>(&data)) return *b;
    return std::nullopt;
}

GgufFile GgufFile::parse(std::span<const std::byte> bytes, const std::string& file_name) {
    Parser p(bytes, file_name);
    ByteReader& in = p.m_in;
    GgufFile file;
    file.m_file_name = file_name;
    file.m_file_size = bytes.size();

    if (bytes.empty()) in.fail("the file is empty; expected a GGUF model");
    const auto magic = in.take_string(std::min<std::uint64_t>(4, in.remaining()), "the GGUF magic");
    if (magic != "GGUF") {
        in.fail("not a GGUF file: it starts with '" + escape_for_message(magic) + "', expected 'GGUF'");
    }
    file.m_version = in.read<std::uint32_t>("the GGUF version");
    if (file.m_version == 1) {
        in.fail("GGUF version 1 (files written before August 2023) is not supported; expected version 2 or 3. "
                "Convert the model again with a current llama.cpp");
    }
    if (file.m_version != 2 && file.m_version != 3) {
        if (__builtin_bswap32(file.m_version) == 2 || __builtin_bswap32(file.m_version) == 3) {
            in.fail("this is a big-endian GGUF file; Hearth reads little-endian GGUF only");
        }
        in.fail("unsupported GGUF version " + std::to_string(file.m_version) + "; expected 2 or 3");
    }
    const auto n_tensors = in.read<std::uint64_t>("the tensor count");
    const auto n_kv = in.read<std::uint64_t>("the metadata entry count");

    // Each entry takes a minimum number of bytes, so the counts can be checked against the file's size
    // before anything is reserved for them: a file cannot make Hearth allocate what it does not contain.
    constexpr std::uint64_t k_min_kv_bytes = 8 + 4 + 1;
    constexpr std::uint64_t k_min_tensor_info_bytes = 8 + 4 + 8 + 4 + 8;
    if (n_kv > in.remaining() / k_min_kv_bytes) {
        in.fail("the header claims " + std::to_string(n_kv) + " metadata entries, but the file (" +
                std::to_string(in.size()) + " bytes) has room for at most " +
                std::to_string(in.remaining() / k_min_kv_bytes));
    }
    if (n_tensors > in.remaining() / k_min_tensor_info_bytes) {
        in.fail("the header claims " + std::to_string(n_tensors) + " tensors, but the file (" +
                std::to_string(in.size()) + " bytes) has room for at most " +
                std::to_string(in.remaining() / k_min_tensor_info_bytes));
    }

    file.m_metadata.reserve(n_kv);
    for (std::uint64_t i = 0; i < n_kv; ++i) {
        const std::string entry = "metadata entry " + std::to_string(i);
        const auto key = p.read_string("the key of " + entry);
        if (key.empty()) in.fail("the key of " + entry + " is empty");
        if (key.size() > k_max_key_length) {
            in.fail("the key of " + entry + " is " + std::to_string(key.size()) + " bytes long; the limit is 65535");
        }
        if (!is_valid_utf8(key)) in.fail("the key of " + entry + " (" + quoted_for_message(key) + ") is not valid UTF-8");
        const std::string context = "metadata " + quoted_for_message(key);
        const auto type = p.read_type(context);
        auto value = p.read_value(type, context, 0);
        if (!file.m_index.emplace(key, file.m_metadata.size()).second) {
            in.fail("duplicate metadata key " + quoted_for_message(key));
        }
        file.m_metadata.emplace_back(key, std::move(value));
    }

    if (const auto* alignment = file.find("general.alignment")) {
        const auto a = alignment->as_integer();
        if (alignment->type != GgufType::u32 || !a || *a == 0 || !std::has_single_bit(static_cast<std::uint64_t>(*a)) ||
            static_cast<std::uint64_t>(*a) > k_max_alignment) {
            in.fail("metadata 'general.alignment' must be a UINT32 power of two up to " +
                    std::to_string(k_max_alignment) + ", found " + std::string(name(alignment->type)) +
                    (a ? " " + std::to_string(*a) : std::string()));
        }
        file.m_alignment = static_cast<std::uint64_t>(*a);
    }

    file.m_tensors.reserve(n_tensors);
    std::set<std::string_view> names;
    for (std::uint64_t i = 0; i < n_tensors; ++i) {
        const std::string entry = "tensor info " + std::to_string(i);
        const auto tensor_name = p.read_string("the name of " + entry);
        if (tensor_name.empty()) in.fail("the name of " + entry + " is empty");
        if (!is_valid_utf8(tensor_name)) {
            in.fail("the name of " + entry + " (" + quoted_for_message(tensor_name) + ") is not valid UTF-8");
        }
        if (!names.insert(tensor_name).second) in.fail("duplicate tensor name " + quoted_for_message(tensor_name));
        const std::string what = "tensor " + quoted_for_message(tensor_name);

        GgufTensor t;
        t.name = std::string(tensor_name);
        const auto n_dims = in.read<std::uint32_t>("the dimension count of " + what);
        if (n_dims == 0 || n_dims > k_max_dims) {
            in.fail(what + " has " + std::to_string(n_dims) + " dimensions; expected 1 to 4");
        }
        t.ne.resize(n_dims);
        std::uint64_t n_elements = 1;
        for (std::uint32_t d = 0; d < n_dims; ++d) {
            const auto ne = in.read<std::uint64_t>("dimension " + std::to_string(d) + " of " + what);
            if (ne == 0) {
                in.fail(what + " has a zero-length dimension " + std::to_string(d) +
                        "; GGUF tensors must hold at least one element");
            }
            if (ne > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) ||
                n_elements > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) / ne) {
                in.fail(what + " has an impossible size: its element count overflows 63 bits");
            }
            n_elements *= ne;
            t.ne[d] = static_cast<std::int64_t>(ne);
        }
        t.n_elements = n_elements;
        const auto type_id = in.read<std::uint32_t>("the type of " + what);
        const auto type = tensor_type_from_ggml(type_id);
        if (!type) {
            in.fail(what + " has ggml type " + std::to_string(type_id) + retired_type_note(type_id) +
                    ", which Hearth does not know; known types: " + known_types_list());
        }
        t.type = *type;
        const auto& tt = traits(t.type);
        if (t.ne[0] % tt.block_elements != 0) {
            in.fail(what + " of type " + std::string(tt.name) + " has rows of " + std::to_string(t.ne[0]) +
                    " elements; " + std::string(tt.name) + " stores blocks of " +
                    std::to_string(tt.block_elements) + ", so rows must be a multiple of that");
        }
        const auto n_bytes = bytes_for(t.type, t.n_elements);
        if (!n_bytes) in.fail(what + " has an impossible size: its byte count overflows 63 bits");
        t.n_bytes = *n_bytes;
        t.offset = in.read<std::uint64_t>("the data offset of " + what);  // relative for now
        if (t.offset % file.m_alignment != 0) {
            in.fail(what + " data offset " + std::to_string(t.offset) + " is not a multiple of the alignment (" +
                    std::to_string(file.m_alignment) + ")");
        }
        file.m_tensors.push_back(std::move(t));
    }

    const std::uint64_t header_end = in.offset();
    file.m_data_offset = (header_end + file.m_alignment - 1) / file.m_alignment * file.m_alignment;
    for (auto& t : file.m_tensors) {
        const std::string what = "tensor " + quoted_for_message(t.name);
        const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max();
        if (t.offset > limit - file.m_data_offset || t.n_bytes > limit - file.m_data_offset - t.offset) {
            in.fail(what + " data offset " + std::to_string(t.offset) + " overflows");
        }
        const std::uint64_t begin = file.m_data_offset + t.offset;
        const std::uint64_t end = begin + t.n_bytes;
        if (end > file.m_file_size) {
            in.fail(what + " data ends at byte " + std::to_string(end) + ", past the end of the file (" +
                    std::to_string(file.m_file_size) + " bytes)");
        }
        t.offset = begin;
    }

    std::vector<std::size_t> order(file.m_tensors.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return file.m_tensors[a].offset < file.m_tensors[b].offset; });
    for (std::size_t k = 1; k < order.size(); ++k) {
        const auto& prev = file.m_tensors[order[k - 1]];
        const auto& next = file.m_tensors[order[k]];
        if (prev.offset + prev.n_bytes > next.offset) {
            in.fail("tensors " + quoted_for_message(prev.name) + " (bytes " + std::to_string(prev.offset) + " to " +
                    std::to_string(prev.offset + prev.n_bytes) + ") and " + quoted_for_message(next.name) +
                    " (from byte " + std::to_string(next.offset) + ") overlap");
        }
    }
    return file;
}

Result<GgufFile> GgufFile::open(const std::filesystem::path& path) {
    auto mapped = MappedFile::open(path);
    if (!mapped) return mapped.error();
    auto mapping = std::make_shared<const MappedFile>(std::move(mapped).value());
    try {
        GgufFile file = parse(mapping->bytes(), path.filename().string());
        file.m_mapping = std::move(mapping);
        return file;
    } catch (const FormatError& e) {
        return Error{e.what()};
    }
}

const GgufValue* GgufFile::find(std::string_view key) const {
    auto it = m_index.find(key);
    return it == m_index.end() ? nullptr : &m_metadata[it->second].second;
}

namespace {

// A metadata lookup that converts the value, or names the key and the type found when it cannot.
template <class Convert>
auto typed_lookup(const GgufFile& file, std::string_view key, std::string_view expected, Convert convert)
    -> decltype(convert(std::declval<const GgufValue&>())) {
    const auto* v = file.find(key);
    if (!v) return std::nullopt;
    auto converted = convert(*v);
    if (!converted) {
        throw FormatError(file.file_name() + ": metadata '" + escape_for_message(key) + "' must be " +
                          std::string(expected) + ", found " + std::string(name(v->type)));
    }
    return converted;
}

}  // namespace

std::optional<std::int64_t> GgufFile::get_integer(std::string_view key) const {
    return typed_lookup(*this, key, "an integer", [](const GgufValue& v) { return v.as_integer(); });
}

std::optional<double> GgufFile::get_number(std::string_view key) const {
    return typed_lookup(*this, key, "a number", [](const GgufValue& v) { return v.as_number(); });
}

std::optional<std::string_view> GgufFile::get_string(std::string_view key) const {
    return typed_lookup(*this, key, "a string", [](const GgufValue& v) { return v.as_string(); });
}

std::optional<bool> GgufFile::get_bool(std::string_view key) const {
    return typed_lookup(*this, key, "a bool", [](const GgufValue& v) { return v.as_bool(); });
}

}  // namespace hearth::format
