#pragma once
// A read-only memory map of a whole file. Model files are mapped, never copied into RAM: the OS pages in
// only what is touched, so inspecting a 40 GB model reads a few kilobytes.
#include <cstddef>
#include <filesystem>
#include <span>

#include "hearth/result.h"

namespace hearth::format {

class MappedFile {
public:
    static Result<MappedFile> open(const std::filesystem::path& path);

    MappedFile() = default;
    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    ~MappedFile();

    std::span<const std::byte> bytes() const { return {static_cast<const std::byte*>(m_data), m_size}; }
    std::size_t size() const { return m_size; }
    const std::filesystem::path& path() const { return m_path; }
    // Whether [p, p + n) lies inside the mapping.
    bool contains(const void* p, std::size_t n) const;
    // Tells the OS this process will not read [p, p + n) again for now (a copy lives elsewhere): the whole
    // pages inside it leave the resident set. Reading them later still works, from the file.
    void drop_pages(const void* p, std::size_t n) const;

private:
    void release();

    std::filesystem::path m_path;
    void* m_data = nullptr;
    std::size_t m_size = 0;
};

}  // namespace hearth::format
