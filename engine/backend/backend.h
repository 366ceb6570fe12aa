#pragma once
// The backend interface: everything the model code asks of a compute device. Model code (engine/model/)
// only ever talks to this interface, so the CUDA backend slots in without touching it.
//
// Rules every backend keeps:
// - Tensors live in the backend's own memory (a Buffer); a Tensor is a non-owning 2-D view of it.
// - Ops work on a flat batch of tokens that may come from many sequences at once: per-token positions and
//   per-sequence KV block tables travel in a BatchLayout (the shape continuous batching needs).
// - Ops are enqueued, not waited for: nothing here synchronises with the host except download() and
//   synchronize(). (The CPU backend simply runs each op before returning.)
// - Ops are dtype-aware: weights come in any type the backend reports as supported; activations are F32.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "hearth/result.h"
#include "hearth/tensor_type.h"

namespace hearth::backend {

// A block of backend memory. Owned by whoever allocated it; tensors are views into it.
class Buffer {
public:
    virtual ~Buffer() = default;
    virtual void* data() = 0;
    virtual std::size_t size() const = 0;
};

// A 2-D view: `rows` rows of `cols` elements of `type`, each row `row_bytes` apart. Block-quantized types
// have cols a multiple of the block size. Activations are always F32 with packed rows.
struct Tensor {
    void* data = nullptr;
    TensorType type = TensorType::F32;
    std::int64_t rows = 0;
    std::int64_t cols = 0;
    std::size_t row_bytes = 0;

    float* f32() const { return static_cast<float*>(data); }
    float* row_f32(std::int64_t r) const { return reinterpret_cast<float*>(static_cast<char*>(data) + r * row_bytes); }
    const void* row(std::int64_t r) const { return static_cast<const char*>(data) + r * row_bytes; }
    Tensor rows_view(std::int64_t first, std::int64_t count) const {
        return {static_cast<char*>(data) + first * row_bytes, type, count, cols, row_bytes};
    }
};

// A linear layer's weight, [out_features, in_features] (PyTorch's orientation), with an optional F32 bias.
struct Weight {
    Tensor matrix;
    Tensor bias;  // data == nullptr when the layer has none
    // How the backend rearranged the matrix's rows in prepare_weights (its own code; 0: as the file stores
    // them). Only the backend that set it reads it.
    std::uint8_t layout = 0;
    bool has_bias() const { return bias.data != nullptr; }
};

// Where a batch's tokens are and what they may attend to. All arrays live in backend memory.
// Token i belongs to sequence seq_of_token[i]; sequence s owns the tokens query_start[s] .. query_start[s+1]
// of the batch (tokens of one sequence are contiguous and in position order), has context_len[s] keys in
// the cache once this batch's keys are stored, and its keys live in the blocks listed in row s of
// block_table (max_blocks_per_seq entries per row). Token i's key and value go to cache slot
// slot_mapping[i] = block * block_size + offset.
struct BatchLayout {
    std::int32_t n_tokens = 0;
    std::int32_t n_seqs = 0;
    const std::int32_t* token_ids = nullptr;      // [n_tokens]
    const std::int32_t* positions = nullptr;      // [n_tokens]
    const std::int32_t* seq_of_token = nullptr;   // [n_tokens]
    const std::int64_t* slot_mapping = nullptr;   // [n_tokens]
    const std::int32_t* query_start = nullptr;    // [n_seqs + 1]
    const std::int32_t* context_len = nullptr;    // [n_seqs]
    const std::int32_t* block_table = nullptr;    // [n_seqs, max_blocks_per_seq]
    std::int32_t max_blocks_per_seq = 0;
};

// One layer's slice of the paged KV cache: [n_slots, n_kv_heads * head_dim] for keys and for values,
// n_slots = n_blocks * block_size, element type F32, F16, BF16, F8_E4M3 or F8_E5M2 (keys.type == values.type;
// kv_cache_type_supported). store_kv converts F32 keys and values to that type (round to nearest even;
// FP8 saturates finite values to its largest magnitude, NaN stays NaN); attention decodes them and does
// its math in F32.
struct KvLayer {
    Tensor keys;
    Tensor values;
    // F8_E4M3 only: F32 [n_slots, n_kv_heads], the scale of each (slot, head) row: stored = value / scale,
    // scale = max|value| / 448 over the row's finite values (1 for a row with none but zeros).
    Tensor key_scales;
    Tensor value_scales;
    std::int32_t block_size = 0;
    std::int32_t head_dim = 0;
};

// The element types a KvLayer may hold (on every backend: storage only, the math is F32).
inline bool kv_cache_type_supported(TensorType type) {
    return type == TensorType::F32 || type == TensorType::F16 || type == TensorType::BF16 ||
           type == TensorType::F8_E4M3 || type == TensorType::F8_E5M2;
}

// Bytes one cache slot takes in one layer: keys and values, plus both scale rows for F8_E4M3.
inline std::size_t kv_cache_slot_bytes(TensorType type, std::int64_t n_kv_heads, std::int64_t head_dim) {
    const auto element = static_cast<std::size_t>(traits(type).block_bytes);  // plain types: 1 element per block
    std::size_t bytes = 2 * element * static_cast<std::size_t>(n_kv_heads * head_dim);
    if (type == TensorType::F8_E4M3) bytes += 2 * sizeof(float) * static_cast<std::size_t>(n_kv_heads);
    return bytes;
}

enum class RopeStyle {
    neox,  // rotate (i, i + d/2) pairs: Hugging Face's rotate_half; qwen2/qwen3/gemma3 in llama.cpp
    gptj,  // rotate adjacent (2i, 2i + 1) pairs: Meta's original layout, llama in llama.cpp
};

// Precomputed inverse frequencies for one kind of layer; `inv_freq` has rotary_dim / 2 entries (F32) and
// already includes any rope_scaling (linear, llama3).
struct RopeParams {
    RopeStyle style = RopeStyle::neox;
    std::int32_t head_dim = 0;
    std::int32_t rotary_dim = 0;  // the leading dimensions of each head that rotate (= head_dim usually)
    Tensor inv_freq;
    float attention_factor = 1.0f;  // multiplies cos/sin (YaRN); 1 otherwise
};

enum class AttentionMask {
    causal,          // every earlier position
    sliding_window,  // positions p with q - window < p <= q
    chunked,         // positions in q's chunk: p / chunk == q / chunk, p <= q
};

struct AttentionParams {
    std::int32_t n_heads = 0;
    std::int32_t n_kv_heads = 0;  // divides n_heads: query head h reads kv head h / (n_heads / n_kv_heads)
    std::int32_t head_dim = 0;
    float scale = 1.0f;           // multiplies q·k
    float logit_softcap = 0.0f;   // 0 = off; else scores = cap * tanh(scores / cap)
    AttentionMask mask = AttentionMask::causal;
    std::int32_t window = 0;      // sliding_window: keys per query (self included); chunked: chunk length
};

enum class Activation { silu, gelu_tanh };

class Backend {
public:
    virtual ~Backend() = default;

    virtual std::string_view name() const = 0;
    // Whether matmul/embed accept weights stored as `type`.
    virtual bool supports_weight_type(TensorType type) const = 0;

    virtual Result<std::unique_ptr<Buffer>> allocate(std::size_t bytes) = 0;
    // A buffer over host memory the backend may read in place (a memory-mapped model file). Backends that
    // cannot read host memory copy it; the CPU backend does not.
    virtual Result<std::unique_ptr<Buffer>> wrap_host(const void* data, std::size_t bytes) = 0;
    virtual void upload(void* dst, const void* src, std::size_t bytes) = 0;
    virtual void download(void* dst, const void* src, std::size_t bytes) = 0;
    virtual void synchronize() = 0;
    // Once all of a model's weights are known: the backend may move matrices into memory and a row layout
    // of its choosing (the CPU backend repacks Q4_1 for its int16 kernels; a GPU backend would upload),
    // updating the Weights in place. As the rows of weights[index] move, front to back, it calls
    // moved(index, old_part, bytes) for each stretch it has finished with (the whole matrix or parts of
    // some megabytes), so the caller can release the old copy as it goes and show progress; moved returning
    // false cancels (an error comes back, the Weights then partly moved: throw them away). Returns the
    // buffer now holding the matrices, which must outlive them, or none when every matrix stays where it
    // is. The default keeps them all.
    using WeightMoved = std::function<bool(std::size_t index, const void* old_part, std::size_t bytes)>;
    virtual Result<std::unique_ptr<Buffer>> prepare_weights(std::span<Weight* const> weights, const WeightMoved& moved = {}) {
        (void)weights;
        (void)moved;
        return std::unique_ptr<Buffer>{};
    }

    // out[i, :] = table[ids[i], :] as F32. ids: [out.rows] in backend memory.
    virtual void embed(const Tensor& table, const std::int32_t* ids, const Tensor& out) = 0;
    // out = x / rms(x) * weight over groups of `weight.cols` elements (a whole row, or one head for
    // QK-norm); weight is F32 [1, group]. In place allowed.
    virtual void rms_norm(const Tensor& x, const Tensor& weight, float eps, const Tensor& out) = 0;
    // out[t, o] = Σ_i x[t, i] · w[o, i] (+ bias[o]). x F32 [n, in], out F32 [n, out].
    virtual void matmul(const Tensor& x, const Weight& w, const Tensor& out) = 0;
    // Several products of the same x (Q, K and V; gate and up): a backend may prepare x once and run them as
    // one job. The default runs them one by one.
    struct MatmulTarget {
        const Weight* weight = nullptr;
        Tensor out;
    };
    virtual void matmuls(const Tensor& x, std::span<const MatmulTarget> targets) {
        for (const MatmulTarget& target : targets) matmul(x, *target.weight, target.out);
    }
    // Rotates each head of x ([n, n_heads * head_dim], in place) by its token's position.
    virtual void rope(const Tensor& x, std::int32_t n_heads, const RopeParams& params,
                      const BatchLayout& batch) = 0;
    // Writes the batch's keys and values ([n, n_kv_heads * head_dim]) to their cache slots.
    virtual void store_kv(const Tensor& keys, const Tensor& values, const KvLayer& cache,
                          const BatchLayout& batch) = 0;
    // out = softmax(mask(scale · q·kᵀ)) · v per head, keys and values read from the cache through the
    // block tables. q, out: [n, n_heads * head_dim].
    virtual void attention(const Tensor& q, const KvLayer& cache, const BatchLayout& batch,
                           const AttentionParams& params, const Tensor& out) = 0;
    // out = act(gate) * up, elementwise. In place into gate allowed.
    virtual void gated_activation(const Tensor& gate, const Tensor& up, Activation act,
                                  const Tensor& out) = 0;
    // out = a + b (same shapes). In place allowed.
    virtual void add(const Tensor& a, const Tensor& b, const Tensor& out) = 0;
    // x *= factor, in place.
    virtual void scale(const Tensor& x, float factor) = 0;
    // x = cap * tanh(x / cap), in place.
    virtual void softcap(const Tensor& x, float cap) = 0;
    // out[i, :] = x[rows[i], :]; rows: [out.rows] in backend memory.
    virtual void gather_rows(const Tensor& x, const std::int32_t* rows, const Tensor& out) = 0;
};

}  // namespace hearth::backend
