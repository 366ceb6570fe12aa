#include "format/mapped_file.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hearth::format {

Result<MappedFile> MappedFile::open(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error{path.string() + ": cannot open: " + std::strerror(errno)};
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return Error{path.string() + ": cannot read its size: " + std::strerror(err)};
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        return Error{path.string() + ": not a regular file"};
    }
    MappedFile file;
    file.m_path = path;
    file.m_size = static_cast<std::size_t>(st.st_size);
    if (file.m_size > 0) {
        void* data = ::mmap(nullptr, file.m_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (data == MAP_FAILED) {
            const int err = errno;
            ::close(fd);
            return Error{path.string() + ": cannot map into memory: " + std::strerror(err)};
        }
        file.m_data = data;
    }
    ::close(fd);  // the mapping keeps the file alive
    return file;
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : m_path(std::move(other.m_path)),
      m_data(std::exchange(other.m_data, nullptr)),
      m_size(std::exchange(other.m_size, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
    if (this != &other) {
        release();
        m_path = std::move(other.m_path);
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

MappedFile::~MappedFile() { release(); }

bool MappedFile::contains(const void* p, std::size_t n) const {
    const auto begin = reinterpret_cast<std::uintptr_t>(m_data), at = reinterpret_cast<std::uintptr_t>(p);
    return m_data != nullptr && at >= begin && n <= m_size && at - begin <= m_size - n;
}

void MappedFile::drop_pages(const void* p, std::size_t n) const {
    if (!contains(p, n)) return;
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto at = reinterpret_cast<std::uintptr_t>(p);
    const std::uintptr_t first = (at + page - 1) / page * page, last = (at + n) / page * page;
    // A private read-only file mapping: dropped pages come back from the file if anyone reads them.
    if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

void MappedFile::release() {
    if (m_data) ::munmap(m_data, m_size);
    m_data = nullptr;
    m_size = 0;
}

}  // namespace hearth::format
