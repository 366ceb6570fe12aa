#pragma once
// The CPU backend: the reference every other backend is checked against, and what users without an NVIDIA
// GPU run. Ops are plain loops spread over a thread pool; matmuls use the row kernels (quant/), which pick
// AVX2 or scalar code at run time.

#include <cstddef>
#include <string_view>
#include <memory>
#include <vector>

#include "backend/backend.h"
#include "backend/cpu/quant/row_kernels.h"
#include "backend/cpu/thread_pool.h"

namespace hearth::backend::cpu {

using hearth::cpu::activation16_row_bytes;
using hearth::cpu::activation_row_bytes;
using hearth::cpu::dequantize_activations;
using hearth::cpu::row_kernels;
using hearth::cpu::RowKernels;

// How activations meet quantized weights. F32/F16/BF16 weights always take the exact path.
enum class MatmulPath {
    // Activations as int16 per 32-element block (per 256 for the K types; d = max|x| / 32767), one integer
    // pass per weight block: about the 8-bit path's speed with an F32 reference's argmax. Weight types
    // without int16 kernels (Q2_K, Q3_K) take split8 instead. The default: one 8-bit part moves SmolLM2's argmax away from
    // transformers on 5% of positions (issue 4's golden), this path on none.
    int16,
    // Activations as two 8-bit parts, x ≈ d₁q₁ + d₂q₂ (the second quantizes what the first missed), each run
    // through the 8-bit integer dot product: ~15 bits of precision at about two thirds of the 8-bit speed.
    split8,
    int8,   // one 8-bit part, as llama.cpp does: fastest, least exact
    exact,  // weights dequantized in registers, activations kept in F32 (the reference)
};
std::string_view name(MatmulPath path);

struct CpuBackendOptions {
    int threads = 0;  // 0 = every core
    MatmulPath matmul_path = MatmulPath::int16;
};

class CpuBackend final : public Backend {
public:
    explicit CpuBackend(const CpuBackendOptions& options = {});

    std::string_view name() const override { return "cpu"; }
    bool supports_weight_type(TensorType type) const override;
    int threads() const { return m_pool.size(); }
    MatmulPath matmul_path() const { return m_matmul_path; }

    Result<std::unique_ptr<Buffer>> allocate(std::size_t bytes) override;
    Result<std::unique_ptr<Buffer>> wrap_host(const void* data, std::size_t bytes) override;
    void upload(void* dst, const void* src, std::size_t bytes) override;
    void download(void* dst, const void* src, std::size_t bytes) override;
    void synchronize() override {}
    // On the int16 path every matrix moves into one buffer backed by transparent huge pages where the OS
    // has them (fewer TLB misses while streaming), Q4_1 in the split row layout with AVX2 (faster kernels).
    Result<std::unique_ptr<Buffer>> prepare_weights(std::span<Weight* const> weights, const WeightMoved& moved = {}) override;

    void embed(const Tensor& table, const std::int32_t* ids, const Tensor& out) override;
    void rms_norm(const Tensor& x, const Tensor& weight, float eps, const Tensor& out) override;
    void matmul(const Tensor& x, const Weight& w, const Tensor& out) override;
    void matmuls(const Tensor& x, std::span<const MatmulTarget> targets) override;
    void rope(const Tensor& x, std::int32_t n_heads, const RopeParams& params, const BatchLayout& batch) override;
    void store_kv(const Tensor& keys, const Tensor& values, const KvLayer& cache, const BatchLayout& batch) override;
    void attention(const Tensor& q, const KvLayer& cache, const BatchLayout& batch, const AttentionParams& params,
                   const Tensor& out) override;
    void gated_activation(const Tensor& gate, const Tensor& up, Activation act, const Tensor& out) override;
    void add(const Tensor& a, const Tensor& b, const Tensor& out) override;
    void scale(const Tensor& x, float factor) override;
    void softcap(const Tensor& x, float cap) override;
    void gather_rows(const Tensor& x, const std::int32_t* rows, const Tensor& out) override;

private:
    // The kernels for a weight's rows in the layout prepare_weights gave them.
    static const RowKernels* kernels_for(const Weight& w);

    ThreadPool m_pool;
    MatmulPath m_matmul_path;
    std::vector<std::byte> m_quantized_activations;     // matmul scratch, grown as needed
    std::vector<float> m_activation_remainder;          // split8: x − d₁q₁, per thread
    std::vector<float> m_attention_partials;            // attention: per-chunk softmax parts at decode
};

int default_thread_count();

}  // namespace hearth::backend::cpu
