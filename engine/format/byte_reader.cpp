#include "format/byte_reader.h"

#include "format/format_error.h"

namespace hearth::format {

std::span<const std::byte> ByteReader::take(std::uint64_t count, std::string_view what) {
    if (count > remaining()) {
        fail("file ends at byte " + std::to_string(size()) + " while reading " + std::string(what) + " at byte " +
             std::to_string(m_offset) + " (needs " + std::to_string(count) + " bytes, " +
             std::to_string(remaining()) + " left); the file is truncated or corrupt");
    }
    auto bytes = m_data.subspan(m_offset, count);
    m_offset += count;
    return bytes;
}

std::string_view ByteReader::take_string(std::uint64_t length, std::string_view what) {
    auto bytes = take(length, what);
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

void ByteReader::seek(std::uint64_t offset, std::string_view what) {
    if (offset > size()) {
        fail(std::string(what) + " starts at byte " + std::to_string(offset) + ", past the end of the file (" +
             std::to_string(size()) + " bytes)");
    }
    m_offset = offset;
}

void ByteReader::fail(const std::string& message) const { throw FormatError(m_file_name + ": " + message); }

}  // namespace hearth::format
