#include "hearth/language_model.h"

#include <algorithm>
#include <spdlog/spdlog.h>

#include "backend/cpu/cpu_backend.h"
#include "model/transformer.h"
#include "runtime/kv_cache.h"

namespace hearth {
namespace {

constexpr std::int64_t k_default_context_cap = 4096;
constexpr std::int32_t k_block_size = 16;
// Tokens per forward pass during prefill: bounds activation memory (logits for a whole chunk of a 262k
// vocabulary included) while keeping matmuls wide enough to reuse each weight row.
constexpr std::int64_t k_prefill_chunk = 128;

std::vector<TokenId> find_end_of_generation_ids(const ModelInfo& info, const Tokenizer* tokenizer) {
    std::vector<TokenId> ids;
    auto add = [&](std::int64_t id) {
        if (id >= 0 && id < info.vocab_size && std::find(ids.begin(), ids.end(), id) == ids.end())
            ids.push_back(static_cast<TokenId>(id));
    };
    for (std::int64_t id : info.generation.eos_ids) add(id);
    if (info.tokenizer.eos_id) add(*info.tokenizer.eos_id);
    if (tokenizer) {
        if (auto eos = tokenizer->eos()) add(*eos);
        // End-of-turn markers of the chat templates Hearth knows; instruct models stop on these even where
        // the file's EOS is another token.
        for (std::string_view text : {"<|im_end|>", "<end_of_turn>", "<|eot_id|>", "<|end|>", "<|endoftext|>"})
            if (auto id = tokenizer->find(text); id && tokenizer->is_control(*id)) add(*id);
    }
    return ids;
}

}  // namespace

struct Session::State {
    std::unique_ptr<runtime::KvCache> cache;
    std::vector<std::int32_t> block_table;
    std::vector<float> logits;  // host copy of one chunk's logits
    std::unique_ptr<backend::Buffer> logits_buffer;
    std::int64_t logits_buffer_rows = 0;
};

LanguageModel::~LanguageModel() = default;

Result<std::unique_ptr<LanguageModel>> LanguageModel::load(const std::filesystem::path& path,
                                                           const ModelLoadOptions& options) {
    auto info = inspect(path);
    if (!info) return info.error();
    return load(std::move(info).value(), options);
}

Result<std::unique_ptr<LanguageModel>> LanguageModel::load(ModelInfo info, const ModelLoadOptions& options) {
    std::unique_ptr<LanguageModel> model(new LanguageModel);
    model->m_info = std::move(info);
    const ModelInfo& mi = model->m_info;
    const bool hf_tokenizer = mi.format == ModelFormat::huggingface && std::filesystem::exists(mi.path / "tokenizer.json");
    if ((mi.format == ModelFormat::gguf && mi.tokenizer.kind != "none") || hf_tokenizer) {
        // A broken tokenizer does not stop the model from loading: token ids still run (hearth-cli logits),
        // and text generation reports why it cannot.
        auto tokenizer = hf_tokenizer ? Tokenizer::from_hf_folder(mi.path) : Tokenizer::from_gguf(mi.path);
        if (tokenizer) {
            model->m_tokenizer = std::move(tokenizer).value();
        } else {
            model->m_tokenizer_problem = tokenizer.error().message;
            spdlog::warn("{}", model->m_tokenizer_problem);
        }
    }
    backend::cpu::CpuBackendOptions backend_options;
    backend_options.threads = options.threads;
    switch (options.matmul) {
    case MatmulPrecision::int16: backend_options.matmul_path = backend::cpu::MatmulPath::int16; break;
    case MatmulPrecision::split8: backend_options.matmul_path = backend::cpu::MatmulPath::split8; break;
    case MatmulPrecision::int8: backend_options.matmul_path = backend::cpu::MatmulPath::int8; break;
    case MatmulPrecision::exact: backend_options.matmul_path = backend::cpu::MatmulPath::exact; break;
    }
    model->m_backend = std::make_unique<backend::cpu::CpuBackend>(backend_options);

    auto transformer = model::Transformer::load(mi, *model->m_backend, options.progress);
    if (!transformer) return transformer.error();
    model->m_transformer = std::move(transformer).value();

    const std::int64_t model_context = mi.context_length > 0 ? mi.context_length : k_default_context_cap;
    model->m_context_length = options.context_length > 0 ? std::min(options.context_length, model_context)
                                                         : std::min(model_context, k_default_context_cap);
    if (!backend::kv_cache_type_supported(options.kv_cache_type))
        return Error{"a KV cache of " + std::string(name(options.kv_cache_type)) +
                     " is not supported; expected F32, F16, BF16, F8_E4M3 or F8_E5M2"};
    model->m_kv_cache_type = options.kv_cache_type;
    model->m_end_ids = find_end_of_generation_ids(mi, model->tokenizer());
    spdlog::info("loaded {} ({}) on the CPU backend, {} threads, context {} tokens", mi.name, mi.architecture,
                 model->threads(), model->m_context_length);
    return model;
}

std::string LanguageModel::tokenizer_problem() const {
    if (m_tokenizer) return {};
    return m_tokenizer_problem.empty() ? m_info.path.string() + ": the model has no tokenizer" : m_tokenizer_problem;
}

std::int64_t LanguageModel::vocab_size() const { return m_transformer->config().vocab_size; }
std::uint64_t LanguageModel::weight_bytes_per_token() const { return m_transformer->weights().bytes_read_per_token; }
std::string LanguageModel::backend_description() const {
    const auto& cpu = static_cast<const backend::cpu::CpuBackend&>(*m_backend);
    return std::string("cpu, ") + hearth::cpu::row_kernels_isa() +
           (hearth::cpu::row_kernels_use_avx_vnni() ? " + avx-vnni" : "") + ", " + std::string(name(cpu.matmul_path()));
}

int LanguageModel::threads() const { return static_cast<backend::cpu::CpuBackend&>(*m_backend).threads(); }

Result<std::unique_ptr<Session>> LanguageModel::start_session() { return start_session(m_kv_cache_type); }

Result<std::unique_ptr<Session>> LanguageModel::start_session(TensorType kv_cache_type) {
    std::unique_ptr<Session> session(new Session(*this));
    const auto n_blocks = static_cast<std::int32_t>((m_context_length + k_block_size - 1) / k_block_size);
    const auto& config = m_transformer->config();
    auto cache = runtime::KvCache::create(*m_backend, config.n_layers, config.n_kv_heads, config.head_dim, n_blocks,
                                          k_block_size, kv_cache_type);
    if (!cache) return cache.error();
    session->m_state->cache = std::move(cache).value();
    return session;
}

// ---------------------------------------------------------------------------------------------------------


Session::Session(LanguageModel& model) : m_model(model), m_state(std::make_unique<State>()) {}
Session::~Session() = default;

std::int64_t Session::capacity() const {
    return static_cast<std::int64_t>(m_state->cache->n_blocks()) * m_state->cache->block_size();
}

void Session::truncate(std::int64_t length) {
    if (length < 0 || length >= m_length) return;
    const std::int64_t block_size = m_state->cache->block_size();
    const auto keep_blocks = static_cast<std::size_t>((length + block_size - 1) / block_size);
    while (m_state->block_table.size() > keep_blocks) {
        m_state->cache->release_block(m_state->block_table.back());
        m_state->block_table.pop_back();
    }
    m_length = length;
    m_tokens.resize(static_cast<std::size_t>(length));
}

Result<bool> Session::append(std::span<const TokenId> tokens, Logits which, const LogitsCallback& on_logits) {
    if (tokens.empty()) return true;
    const std::int64_t vocab = m_model.vocab_size();
    for (TokenId id : tokens)
        if (id < 0 || id >= vocab)
            return Error{"token id " + std::to_string(id) + " is outside the model's vocabulary of " +
                         std::to_string(vocab)};
    const std::int64_t new_length = m_length + static_cast<std::int64_t>(tokens.size());
    if (new_length > capacity())
        return Error{"the conversation needs " + std::to_string(new_length) + " tokens, more than the context of " +
                     std::to_string(capacity()) + " tokens"};
    runtime::KvCache& cache = *m_state->cache;
    while (static_cast<std::int64_t>(m_state->block_table.size()) * cache.block_size() < new_length) {
        auto block = cache.allocate_block();
        if (!block) return Error{"the KV cache is full"};
        m_state->block_table.push_back(*block);
    }

    backend::Backend& be = *m_model.m_backend;
    model::Transformer& transformer = *m_model.m_transformer;
    const std::int32_t block_size = cache.block_size();
    for (std::size_t start = 0; start < tokens.size(); start += k_prefill_chunk) {
        const auto n = static_cast<std::int32_t>(std::min<std::size_t>(k_prefill_chunk, tokens.size() - start));
        const bool last_chunk = start + static_cast<std::size_t>(n) == tokens.size();
        // Host-side batch description; on the CPU backend host memory is backend memory.
        std::vector<std::int32_t> ids(tokens.begin() + static_cast<std::ptrdiff_t>(start),
                                      tokens.begin() + static_cast<std::ptrdiff_t>(start) + n);
        std::vector<std::int32_t> positions(static_cast<std::size_t>(n)), seq(static_cast<std::size_t>(n), 0);
        std::vector<std::int64_t> slots(static_cast<std::size_t>(n));
        for (std::int32_t i = 0; i < n; ++i) {
            const auto p = static_cast<std::int32_t>(m_length + i);
            positions[static_cast<std::size_t>(i)] = p;
            slots[static_cast<std::size_t>(i)] =
                static_cast<std::int64_t>(m_state->block_table[static_cast<std::size_t>(p / block_size)]) * block_size +
                p % block_size;
        }
        const std::int32_t query_start[2] = {0, n};
        const std::int32_t context_len[1] = {static_cast<std::int32_t>(m_length + n)};
        backend::BatchLayout batch;
        batch.n_tokens = n;
        batch.n_seqs = 1;
        batch.token_ids = ids.data();
        batch.positions = positions.data();
        batch.seq_of_token = seq.data();
        batch.slot_mapping = slots.data();
        batch.query_start = query_start;
        batch.context_len = context_len;
        batch.block_table = m_state->block_table.data();
        batch.max_blocks_per_seq = static_cast<std::int32_t>(m_state->block_table.size());

        std::vector<std::int32_t> logit_rows;
        if (which == Logits::all) {
            for (std::int32_t i = 0; i < n; ++i) logit_rows.push_back(i);
        } else if (last_chunk) {
            logit_rows.push_back(n - 1);
        }
        const auto rows = static_cast<std::int64_t>(logit_rows.size());
        if (rows > m_state->logits_buffer_rows || !m_state->logits_buffer) {
            auto buffer = be.allocate(static_cast<std::size_t>(std::max<std::int64_t>(rows, 1) * vocab) * sizeof(float));
            if (!buffer) return buffer.error();
            m_state->logits_buffer = std::move(buffer).value();
            m_state->logits_buffer_rows = rows;
        }
        const backend::Tensor logits{m_state->logits_buffer->data(), TensorType::F32, rows, vocab,
                                     static_cast<std::size_t>(vocab) * sizeof(float)};
        transformer.forward(batch, cache.layers(), logit_rows.data(), logits);
        m_length += n;
        m_tokens.insert(m_tokens.end(), ids.begin(), ids.end());
        if (which == Logits::all || last_chunk) {
            m_state->logits.resize(static_cast<std::size_t>(rows * vocab));
            be.download(m_state->logits.data(), logits.data, m_state->logits.size() * sizeof(float));
            for (std::int64_t r = 0; r < rows; ++r)
                on_logits(static_cast<std::int64_t>(start) + logit_rows[static_cast<std::size_t>(r)],
                          std::span<const float>(m_state->logits.data() + r * vocab, static_cast<std::size_t>(vocab)));
        }
    }
    return true;
}

}  // namespace hearth
