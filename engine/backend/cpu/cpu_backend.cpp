#include "backend/cpu/cpu_backend.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <thread>

#include "backend/cpu/quant/row_kernels.h"

namespace hearth::backend::cpu {
namespace {

// 64-byte aligned host memory: whole cache lines, and aligned AVX loads on activations.
class HostBuffer final : public Buffer {
public:
    HostBuffer(void* data, std::size_t size) : m_data(data), m_size(size) {}
    ~HostBuffer() override { std::free(m_data); }
    void* data() override { return m_data; }
    std::size_t size() const override { return m_size; }

private:
    void* m_data;
    std::size_t m_size;
};

// Memory someone else owns (a mapped model file): read in place, never freed here.
class BorrowedBuffer final : public Buffer {
public:
    BorrowedBuffer(const void* data, std::size_t size) : m_data(const_cast<void*>(data)), m_size(size) {}
    void* data() override { return m_data; }
    std::size_t size() const override { return m_size; }

private:
    void* m_data;
    std::size_t m_size;
};

}  // namespace

int default_thread_count() {
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : static_cast<int>(n);
}

CpuBackend::CpuBackend(const CpuBackendOptions& options)
    : m_pool(options.threads > 0 ? options.threads : default_thread_count()),
      m_matmul_path(options.matmul_path) {}

bool CpuBackend::supports_weight_type(TensorType type) const { return row_kernels(type) != nullptr; }

Result<std::unique_ptr<Buffer>> CpuBackend::allocate(std::size_t bytes) {
    const std::size_t rounded = (bytes + 63) / 64 * 64;
    void* data = std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
    if (data == nullptr)
        return Error{"out of memory: could not allocate " + std::to_string(bytes) + " bytes of host memory"};
    std::memset(data, 0, rounded == 0 ? 64 : rounded);
    return std::unique_ptr<Buffer>(new HostBuffer(data, bytes));
}

Result<std::unique_ptr<Buffer>> CpuBackend::wrap_host(const void* data, std::size_t bytes) {
    return std::unique_ptr<Buffer>(new BorrowedBuffer(data, bytes));
}

void CpuBackend::upload(void* dst, const void* src, std::size_t bytes) { std::memcpy(dst, src, bytes); }
void CpuBackend::download(void* dst, const void* src, std::size_t bytes) { std::memcpy(dst, src, bytes); }

}  // namespace hearth::backend::cpu
