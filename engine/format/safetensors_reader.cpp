#include "format/safetensors_reader.h"

#include <algorithm>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "common/utf8.h"
#include "format/byte_reader.h"
#include "format/format_error.h"
#include "format/json_text.h"

namespace hearth::format {
namespace {

using nlohmann::json;

std::string dtype_list() {
    return "F64, F32, F16, BF16, F8_E4M3, F8_E5M2, I64, I32, I16, I8, U8, BOOL";
}

// Parses the header, failing on a key that appears twice in the top-level object: nlohmann::json would
// otherwise keep the last one silently, and two tensors of one name are a corrupt file.
json parse_header(std::string_view text, ByteReader& in) {
    std::set<std::string> seen;
    std::string duplicate;
    auto on_event = [&](int depth, json::parse_event_t event, json& parsed) {
        if (event == json::parse_event_t::key && depth == 1 && parsed.is_string()) {
            if (!seen.insert(parsed.get<std::string>()).second && duplicate.empty()) {
                duplicate = parsed.get<std::string>();
            }
        }
        return true;
    };
    check_json_depth(text, in.file_name());
    json header;
    try {
        header = json::parse(text.begin(), text.end(), on_event);
    } catch (const json::exception& e) {
        in.fail("the header is not valid JSON: " + std::string(e.what()));
    }
    if (!duplicate.empty()) in.fail("the header names tensor " + quoted_for_message(duplicate) + " twice");
    if (!header.is_object()) in.fail("the header must be a JSON object, found " + std::string(header.type_name()));
    return header;
}

std::uint64_t unsigned_value(const json& v, const std::string& what, ByteReader& in) {
    if (!v.is_number_unsigned()) {
        in.fail(what + " must be a non-negative integer, found " +
                (v.is_number() ? v.dump() : std::string(v.type_name())));
    }
    return v.get<std::uint64_t>();
}

}  // namespace

SafetensorsFile SafetensorsFile::parse(std::span<const std::byte> bytes, const std::string& file_name) {
    ByteReader in(bytes, file_name);
    SafetensorsFile file;
    file.m_file_size = bytes.size();
    if (bytes.size() < 8) {
        in.fail("the file is " + std::to_string(bytes.size()) +
                " bytes long; a safetensors file starts with an 8-byte header length");
    }
    const auto header_length = in.read<std::uint64_t>("the header length");
    if (header_length > in.remaining()) {
        in.fail("the header claims to be " + std::to_string(header_length) + " bytes long, longer than the " +
                std::to_string(in.remaining()) + " bytes that follow; the file is truncated or not safetensors");
    }
    if (header_length > k_max_header_bytes) {
        in.fail("the header is " + std::to_string(header_length) + " bytes long; the limit is 100 MB");
    }
    const auto text = in.take_string(header_length, "the header");
    if (!is_valid_utf8(text)) in.fail("the header is not valid UTF-8");
    const json header = parse_header(text, in);
    file.m_data_offset = 8 + header_length;
    const std::uint64_t data_size = bytes.size() - file.m_data_offset;

    for (const auto& [key, entry] : header.items()) {
        if (key == "__metadata__") {
            if (!entry.is_object()) in.fail("'__metadata__' must be an object of strings");
            for (const auto& [mk, mv] : entry.items()) {
                if (!mv.is_string()) in.fail("'__metadata__' entry " + quoted_for_message(mk) + " must be a string");
                file.m_metadata[mk] = mv.get<std::string>();
            }
            continue;
        }
        const std::string what = "tensor " + quoted_for_message(key);
        if (key.empty()) in.fail("a tensor has an empty name");
        if (!entry.is_object()) in.fail(what + " must be described by an object, found " + entry.type_name());

        SafetensorsTensor t;
        t.name = key;
        const auto dtype_it = entry.find("dtype");
        if (dtype_it == entry.end() || !dtype_it->is_string()) in.fail(what + " has no 'dtype' string");
        const auto dtype = dtype_it->get<std::string>();
        const auto type = tensor_type_from_safetensors(dtype);
        if (!type) {
            in.fail(what + " has dtype " + quoted_for_message(dtype) + ", which Hearth does not read; expected one of " +
                    dtype_list());
        }
        t.type = *type;

        const auto shape_it = entry.find("shape");
        if (shape_it == entry.end() || !shape_it->is_array()) in.fail(what + " has no 'shape' array");
        std::uint64_t n_elements = 1;
        bool overflow = false;
        for (std::size_t d = 0; d < shape_it->size(); ++d) {
            const auto dim = unsigned_value((*shape_it)[d], what + " shape dimension " + std::to_string(d), in);
            if (dim > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) overflow = true;
            else if (dim != 0 && n_elements > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) / dim) overflow = true;
            else n_elements *= dim;
            t.shape.push_back(static_cast<std::int64_t>(std::min<std::uint64_t>(
                dim, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))));
        }
        if (overflow) in.fail(what + " has an impossible shape: its element count overflows 63 bits");
        t.n_elements = n_elements;

        const auto offsets_it = entry.find("data_offsets");
        if (offsets_it == entry.end() || !offsets_it->is_array() || offsets_it->size() != 2) {
            in.fail(what + " needs 'data_offsets' as [begin, end]");
        }
        const auto begin = unsigned_value((*offsets_it)[0], what + " data_offsets[0]", in);
        const auto end = unsigned_value((*offsets_it)[1], what + " data_offsets[1]", in);
        if (end < begin) {
            in.fail(what + " data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
                    "] end before they begin");
        }
        if (end > data_size) {
            in.fail(what + " data ends at byte " + std::to_string(file.m_data_offset + end) +
                    ", past the end of the file (" + std::to_string(bytes.size()) + " bytes)");
        }
        const auto expected = bytes_for(t.type, n_elements);
        if (!expected || *expected != end - begin) {
            in.fail(what + " has shape and dtype " + dtype + " needing " +
                    (expected ? std::to_string(*expected) : std::string("more than 2^63")) +
                    " bytes, but its data_offsets give " + std::to_string(end - begin) + " bytes");
        }
        t.n_bytes = end - begin;
        t.offset = file.m_data_offset + begin;
        file.m_tensors.push_back(std::move(t));
    }

    std::sort(file.m_tensors.begin(), file.m_tensors.end(), [](const auto& a, const auto& b) {
        return a.offset != b.offset ? a.offset < b.offset : a.n_bytes < b.n_bytes;
    });
    for (std::size_t k = 1; k < file.m_tensors.size(); ++k) {
        const auto& prev = file.m_tensors[k - 1];
        const auto& next = file.m_tensors[k];
        if (prev.offset + prev.n_bytes > next.offset) {
            in.fail("tensors " + quoted_for_message(prev.name) + " and " + quoted_for_message(next.name) + " overlap (bytes " +
                    std::to_string(next.offset) + " to " + std::to_string(prev.offset + prev.n_bytes) + ")");
        }
    }
    return file;
}

Result<SafetensorsFile> SafetensorsFile::open(const std::filesystem::path& path) {
    auto mapped = MappedFile::open(path);
    if (!mapped) return mapped.error();
    try {
        return parse(mapped->bytes(), path.filename().string());
    } catch (const FormatError& e) {
        return Error{e.what()};
    }
}

}  // namespace hearth::format
