#pragma once
// A bounds-checked little-endian cursor over a file's bytes. Every read checks that the bytes exist
// first and fails with a message naming the file, what was being read and where, so a truncated or
// lying file can never make a reader touch memory outside the mapping.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

namespace hearth::format {

class ByteReader {
public:
    ByteReader(std::span<const std::byte> data, std::string file_name)
        : m_data(data), m_file_name(std::move(file_name)) {}

    std::uint64_t offset() const { return m_offset; }
    std::uint64_t size() const { return m_data.size(); }
    std::uint64_t remaining() const { return m_data.size() - m_offset; }
    const std::string& file_name() const { return m_file_name; }

    template <class T>
    T read(std::string_view what) {
        static_assert(std::is_trivially_copyable_v<T>);
        // NOTE: GGUF and safetensors are little-endian, as is every machine Hearth runs on (x86-64, arm64).
        T value;
        std::memcpy(&value, take(sizeof(T), what).data(), sizeof(T));
        return value;
    }

    // The next `count` bytes; fails if the file ends before them.
    std::span<const std::byte> take(std::uint64_t count, std::string_view what);
    std::string_view take_string(std::uint64_t length, std::string_view what);
    void seek(std::uint64_t offset, std::string_view what);

    // Throws FormatError("<file>: <message>").
    [[noreturn]] void fail(const std::string& message) const;

private:
    std::span<const std::byte> m_data;
    std::string m_file_name;
    std::uint64_t m_offset = 0;
};

}  // namespace hearth::format
