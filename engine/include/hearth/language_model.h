#pragma once
// A model loaded and ready to run (on the CPU backend for now), and sessions over it. A Session is one
// sequence with its own KV cache: feed it tokens, get logits back. Generation (sampling, stop handling,
// streaming text) sits on top in hearth/generate.h. The runtime issue's Engine batches many sequences over
// the same pieces.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "hearth/model_info.h"
#include "hearth/result.h"
#include "hearth/tensor_type.h"
#include "hearth/tokenizer.h"

namespace hearth {

namespace model { class Transformer; }
namespace backend { class Backend; }

// How activations meet quantized weights in matrix products (F32/F16/BF16 weights are always exact).
enum class MatmulPrecision {
    int16,   // activations as 16-bit integers (two 8-bit parts for Q2_K/Q3_K weights): matches an F32
             // reference at about the 8-bit speed
    split8,  // activations as two 8-bit parts (~15 bits): matches an F32 reference, two thirds of int8's speed
    int8,    // one 8-bit part, as llama.cpp does: fastest, logits move by tenths
    exact,   // F32 activations, weights dequantized in registers: the reference, slowest
};

struct ModelLoadOptions {
    int threads = 0;                   // 0 = every core
    MatmulPrecision matmul = MatmulPrecision::int16;
    std::int64_t context_length = 0;   // tokens a session can hold; 0 = the model's, capped at 4096
    // Element type of a session's KV cache: F32, F16, BF16, F8_E4M3 (per-head scales) or F8_E5M2.
    TensorType kv_cache_type = TensorType::F32;
    // Called with the fraction loaded (0..1); return false to cancel the load.
    std::function<bool(double)> progress;
};

class Session;

class LanguageModel {
public:
    static Result<std::unique_ptr<LanguageModel>> load(const std::filesystem::path& path,
                                                       const ModelLoadOptions& options = {});
    static Result<std::unique_ptr<LanguageModel>> load(ModelInfo info, const ModelLoadOptions& options = {});
    ~LanguageModel();

    const ModelInfo& info() const { return m_info; }
    // The model's tokenizer, or nullptr when its files carry none (raw token ids only).
    const Tokenizer* tokenizer() const { return m_tokenizer ? &*m_tokenizer : nullptr; }
    // Why tokenizer() is null: "the model has no tokenizer", or the error reading it.
    std::string tokenizer_problem() const;
    std::int64_t vocab_size() const;
    std::int64_t context_length() const { return m_context_length; }
    // Bytes of weights one decode step reads (every matrix once, plus norms): the memory-bandwidth bound.
    std::uint64_t weight_bytes_per_token() const;
    int threads() const;
    // "cpu, avx2, 8-bit activations" and the like: what runs the model, for logs and benchmark reports.
    std::string backend_description() const;
    // Token ids that end a turn: the model's EOS ids and end-of-turn control tokens.
    const std::vector<TokenId>& end_of_generation_ids() const { return m_end_ids; }

    Result<std::unique_ptr<Session>> start_session();
    // A session whose KV cache holds another element type than the load options' (quality measurements).
    Result<std::unique_ptr<Session>> start_session(TensorType kv_cache_type);

    // For the runtime (Session, Engine): what runs the model. Their types are internal to the engine.
    backend::Backend& backend() const { return *m_backend; }
    model::Transformer& transformer() const { return *m_transformer; }

private:
    LanguageModel() = default;
    friend class Session;

    ModelInfo m_info;
    std::optional<Tokenizer> m_tokenizer;
    std::string m_tokenizer_problem;
    std::unique_ptr<backend::Backend> m_backend;
    std::unique_ptr<model::Transformer> m_transformer;
    std::int64_t m_context_length = 0;
    TensorType m_kv_cache_type = TensorType::F32;
    std::vector<TokenId> m_end_ids;
};

class Session {
public:
    ~Session();

    // Which positions of an append() get logits.
    enum class Logits { last, all };
    // Called once per position that gets logits: its index in the appended tokens, and [vocab] logits.
    using LogitsCallback = std::function<void(std::int64_t index, std::span<const float> logits)>;

    // Runs `tokens` after what the session already holds (prefill in chunks). Fails without changing the
    // session when they would not fit in its context.
    Result<bool> append(std::span<const TokenId> tokens, Logits which, const LogitsCallback& on_logits);
    std::int64_t length() const { return m_length; }
    std::int64_t capacity() const;
    const LanguageModel& model() const { return m_model; }
    // The tokens the session holds, in order.
    const std::vector<TokenId>& tokens() const { return m_tokens; }
    // Forgets everything after the first `length` tokens (a chat edits its last turn, a prompt shares only
    // a prefix with the previous one): the cache keeps what came before.
    void truncate(std::int64_t length);
    void reset() { truncate(0); }

private:
    explicit Session(LanguageModel& model);
    friend class LanguageModel;
    struct State;

    LanguageModel& m_model;
    std::unique_ptr<State> m_state;
    std::int64_t m_length = 0;
    std::vector<TokenId> m_tokens;
};

}  // namespace hearth
