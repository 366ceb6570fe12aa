#include "model/model_weights.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <string>

#include "backend/cpu/quant/row_kernels.h"

namespace hearth::model {
namespace {

using backend::Tensor;
using backend::Weight;

struct LoadError {
    std::string message;
};

// Tensor names for one file format. GGUF uses llama.cpp's names, Hugging Face folders transformers' names.
struct TensorNames {
    bool gguf = false;
    bool sandwich = false;

    std::string embedding() const { return gguf ? "token_embd.weight" : "model.embed_tokens.weight"; }
    std::string output_norm() const { return gguf ? "output_norm.weight" : "model.norm.weight"; }
    std::string output() const { return gguf ? "output.weight" : "lm_head.weight"; }
    std::string layer(std::int64_t i, std::string_view gguf_name, std::string_view hf_name) const {
        return gguf ? "blk." + std::to_string(i) + "." + std::string(gguf_name)
                    : "model.layers." + std::to_string(i) + "." + std::string(hf_name);
    }
};

class WeightLoader {
public:
    WeightLoader(const ModelInfo& info, const ModelConfig& config, backend::Backend& backend, ModelWeights& out)
        : m_info(info), m_config(config), m_backend(backend), m_out(out) {
        m_names.gguf = info.format == ModelFormat::gguf;
        m_names.sandwich = config.arch->sandwich_norms;
        for (const TensorInfo& t : info.tensors) m_by_name.emplace(t.name, &t);
    }

    void load(const LoadProgress& progress) {
        if (progress && !progress(0.0)) throw LoadError{"loading was cancelled"};
        const std::int64_t hidden = m_config.hidden_size, hd = m_config.head_dim;
        const std::int64_t q_dim = m_config.n_heads * hd, kv_dim = m_config.n_kv_heads * hd;
        const bool gemma_hf = m_config.arch->hf_norm_adds_one && !m_names.gguf;

        m_out.embedding = matrix(m_names.embedding(), m_config.vocab_size, hidden);
        m_out.output_norm = f32_vector(m_names.output_norm(), hidden, gemma_hf);
        const bool has_output = m_by_name.contains(m_names.output());
        if (has_output && !(m_config.tied_embeddings && !m_names.gguf)) {
            m_out.output.matrix = matrix(m_names.output(), m_config.vocab_size, hidden);
        } else if (!has_output && !m_config.tied_embeddings && !m_names.gguf) {
            fail("tensor '" + m_names.output() + "' is missing and the model does not tie its embeddings");
        } else {
            m_out.output.matrix = m_out.embedding;  // tied: the output head is the embedding matrix
            if (has_output) m_used.insert(m_names.output());
        }
        if (m_by_name.contains("rope_freqs.weight")) {
            const Tensor factors = f32_host_vector("rope_freqs.weight", hd / 2, false);
            m_out.rope_freq_factors.assign(factors.f32(), factors.f32() + hd / 2);
        }

        const auto& N = m_names;
        for (std::int64_t i = 0; i < m_config.n_layers; ++i) {
            LayerWeights l;
            l.attn_norm = f32_vector(N.layer(i, "attn_norm.weight", "input_layernorm.weight"), hidden, gemma_hf);
            const bool permute = m_names.gguf && m_config.arch->gguf_qk_rows_permuted;
            l.q = linear(i, "attn_q", "self_attn.q_proj", q_dim, hidden, permute ? m_config.n_heads : 0);
            l.k = linear(i, "attn_k", "self_attn.k_proj", kv_dim, hidden, permute ? m_config.n_kv_heads : 0);
            l.v = linear(i, "attn_v", "self_attn.v_proj", kv_dim, hidden, 0);
            l.o = linear(i, "attn_output", "self_attn.o_proj", hidden, q_dim, 0);
            if (m_config.arch->qk_norm) {
                l.q_norm = f32_vector(N.layer(i, "attn_q_norm.weight", "self_attn.q_norm.weight"), hd, gemma_hf);
                l.k_norm = f32_vector(N.layer(i, "attn_k_norm.weight", "self_attn.k_norm.weight"), hd, gemma_hf);
            }
            if (m_config.arch->sandwich_norms) {
                l.post_attn_norm = f32_vector(N.layer(i, "post_attention_norm.weight", "post_attention_layernorm.weight"),
                                              hidden, gemma_hf);
                l.ffn_norm = f32_vector(N.layer(i, "ffn_norm.weight", "pre_feedforward_layernorm.weight"), hidden, gemma_hf);
                l.post_ffn_norm = f32_vector(N.layer(i, "post_ffw_norm.weight", "post_feedforward_layernorm.weight"),
                                             hidden, gemma_hf);
            } else {
                l.ffn_norm = f32_vector(N.layer(i, "ffn_norm.weight", "post_attention_layernorm.weight"), hidden, gemma_hf);
            }
            l.gate = linear(i, "ffn_gate", "mlp.gate_proj", m_config.ffn_size, hidden, 0);
            l.up = linear(i, "ffn_up", "mlp.up_proj", m_config.ffn_size, hidden, 0);
            l.down = linear(i, "ffn_down", "mlp.down_proj", hidden, m_config.ffn_size, 0);
            m_out.layers.push_back(std::move(l));
        }
        check_nothing_left_over();
        const Moved moved = prepare_for_backend(progress);
        touch_pages(progress, moved);
    }

    // The old homes of the matrices the backend moved or the loader copied, and how many bytes that was.
    struct Moved {
        std::vector<std::pair<const std::byte*, std::size_t>> ranges;  // sorted by address
        std::uint64_t bytes = 0;
    };

    // The backend's chance to move the matrices into its own memory and layout (backend.h). Reading them
    // from the file is the load's disk work, so progress counts the bytes moved. A moved matrix's old home
    // is not read again: the file's pages leave the resident set at once (the peak stays about one model;
    // a tied embedding's rows come back from the file when looked up) and a buffer of ours (GGUF Q/K rows
    // put back in order) is freed.
    Moved prepare_for_backend(const LoadProgress& progress) {
        std::vector<backend::Weight*> all;
        for (LayerWeights& l : m_out.layers)
            for (backend::Weight* w : {&l.q, &l.k, &l.v, &l.o, &l.gate, &l.up, &l.down}) all.push_back(w);
        all.push_back(&m_out.output);
        Moved moved;
        for (const auto& r : m_released) moved.bytes += r.second;  // read while putting rows in order
        moved.ranges = m_released;
        std::set<const void*> own_buffers_moved;
        const std::uint64_t total = total_file_bytes();
        bool cancelled = false;
        auto buffer = m_backend.prepare_weights(all, [&](std::size_t, const void* old_data, std::size_t bytes) {
            const bool from_file = std::any_of(m_out.files.begin(), m_out.files.end(),
                                               [&](const auto& file) { return file->contains(old_data, bytes); });
            if (from_file) {
                for (const auto& file : m_out.files) file->drop_pages(old_data, bytes);
                moved.ranges.emplace_back(static_cast<const std::byte*>(old_data), bytes);
                moved.bytes += bytes;
            } else {
                own_buffers_moved.insert(old_data);
            }
            cancelled = progress && total > 0 && !progress(std::min(1.0, double(moved.bytes) / double(total)));
            return !cancelled;
        });
        if (cancelled) throw LoadError{"loading was cancelled"};
        if (!buffer) fail(buffer.error().message);
        std::erase_if(m_out.buffers, [&](const std::unique_ptr<backend::Buffer>& b) { return own_buffers_moved.contains(b->data()); });
        std::sort(moved.ranges.begin(), moved.ranges.end());
        if (*buffer) m_out.buffers.push_back(std::move(buffer).value());
        return moved;
    }

    std::uint64_t total_file_bytes() const {
        std::uint64_t total = 0;
        for (const auto& file : m_out.files) total += file->size();
        return total;
    }

private:
    [[noreturn]] void fail(const std::string& what) const { throw LoadError{m_info.path.string() + ": " + what}; }

    const TensorInfo& find(const std::string& name) {
        auto it = m_by_name.find(name);
        if (it == m_by_name.end()) fail("tensor '" + name + "' is missing; the " + std::string(m_config.arch->name) +
                                        " architecture needs it");
        m_used.insert(name);
        return *it->second;
    }

    void expect_shape(const TensorInfo& t, std::vector<std::int64_t> shape) const {
        if (t.shape == shape) return;
        auto text = [](const std::vector<std::int64_t>& s) {
            std::string out = "[";
            for (std::size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
            return out + "]";
        };
        fail("tensor '" + t.name + "' has shape " + text(t.shape) + "; expected " + text(shape) +
             " from the model's configuration");
    }

    const std::byte* data_of(const TensorInfo& t) {
        auto it = m_files.find(t.file);
        if (it == m_files.end()) {
            const std::filesystem::path folder =
                m_info.format == ModelFormat::gguf ? m_info.path.parent_path() : m_info.path;
            auto mapped = format::MappedFile::open(folder / t.file);
            if (!mapped) fail(mapped.error().message);
            auto file = std::make_shared<format::MappedFile>(std::move(mapped).value());
            m_out.files.push_back(file);
            it = m_files.emplace(t.file, file).first;
        }
        const format::MappedFile& file = *it->second;
        if (t.offset + t.n_bytes > file.size() || t.offset + t.n_bytes < t.offset)
            fail("tensor '" + t.name + "' lies outside its file " + t.file);
        return file.bytes().data() + t.offset;
    }

    Tensor matrix(const std::string& name, std::int64_t rows, std::int64_t cols) {
        const TensorInfo& t = find(name);
        expect_shape(t, {rows, cols});
        if (!m_backend.supports_weight_type(t.type))
            fail("tensor '" + name + "' is stored as " + std::string(hearth::name(t.type)) + ", which the " +
                 std::string(m_backend.name()) + " backend cannot multiply yet");
        const auto row_bytes = bytes_for(t.type, static_cast<std::uint64_t>(cols));
        if (!row_bytes) fail("tensor '" + name + "': a row of " + std::to_string(cols) + " elements is not a whole "
                             "number of " + std::string(hearth::name(t.type)) + " blocks");
        return Tensor{const_cast<std::byte*>(data_of(t)), t.type, rows, cols, static_cast<std::size_t>(*row_bytes)};
    }

    // The tensor as host F32 values (norms, biases, RoPE factors are small and read in F32 everywhere).
    std::vector<float> host_f32(const TensorInfo& t, std::int64_t n) {
        const auto* kernels = hearth::cpu::row_kernels(t.type);
        if (kernels == nullptr || traits(t.type).quantized)
            fail("tensor '" + t.name + "' is stored as " + std::string(hearth::name(t.type)) +
                 "; expected F32, F16 or BF16");
        std::vector<float> values(static_cast<std::size_t>(n));
        kernels->dequantize(data_of(t), values.data(), n);
        return values;
    }

    Tensor upload_f32(const std::vector<float>& values) {
        const std::size_t bytes = values.size() * sizeof(float);
        auto buffer = m_backend.allocate(bytes);
        if (!buffer) fail(buffer.error().message);
        m_backend.upload(buffer.value()->data(), values.data(), bytes);
        Tensor tensor{buffer.value()->data(), TensorType::F32, 1, static_cast<std::int64_t>(values.size()), bytes};
        m_out.buffers.push_back(std::move(buffer).value());
        return tensor;
    }

    Tensor f32_host_vector(const std::string& name, std::int64_t n, bool add_one) {
        const TensorInfo& t = find(name);
        expect_shape(t, {n});
        std::vector<float> values = host_f32(t, n);
        if (add_one)
            for (float& v : values) v += 1.0f;  // Gemma's x · (1 + w), folded in once (as transformers computes it in F32)
        m_host_vectors.push_back(std::move(values));
        const auto& kept = m_host_vectors.back();
        return Tensor{const_cast<float*>(kept.data()), TensorType::F32, 1, n, kept.size() * sizeof(float)};
    }

    Tensor f32_vector(const std::string& name, std::int64_t n, bool add_one) {
        f32_host_vector(name, n, add_one);
        m_out.bytes_read_per_token += static_cast<std::uint64_t>(n) * sizeof(float);
        return upload_f32(m_host_vectors.back());
    }

    // A linear layer; heads_to_unpermute > 0 puts llama.cpp's GPT-J-ordered Q/K rows back in Hugging Face's
    // order: within each head of d rows, GGUF row 2i + j holds Hugging Face row j·d/2 + i.
    Weight linear(std::int64_t layer, std::string_view gguf_stem, std::string_view hf_stem, std::int64_t out,
                  std::int64_t in, std::int64_t heads_to_unpermute) {
        const std::string name = m_names.layer(layer, std::string(gguf_stem) + ".weight", std::string(hf_stem) + ".weight");
        const std::string bias_name = m_names.layer(layer, std::string(gguf_stem) + ".bias", std::string(hf_stem) + ".bias");
        Weight w;
        w.matrix = matrix(name, out, in);
        m_out.bytes_read_per_token += w.matrix.row_bytes * static_cast<std::uint64_t>(out);
        std::vector<float> bias;
        if (m_by_name.contains(bias_name)) {
            const TensorInfo& t = find(bias_name);
            expect_shape(t, {out});
            bias = host_f32(t, out);
        } else if (m_config.arch->attention_bias && hf_stem.starts_with("self_attn.") && hf_stem != "self_attn.o_proj") {
            find(bias_name);  // fails, naming it
        }
        if (heads_to_unpermute > 0) {
            const std::int64_t d = out / heads_to_unpermute;
            auto buffer = m_backend.allocate(w.matrix.row_bytes * static_cast<std::size_t>(out));
            if (!buffer) fail(buffer.error().message);
            std::vector<std::byte> host(w.matrix.row_bytes * static_cast<std::size_t>(out));
            std::vector<float> permuted_bias(bias.size());
            for (std::int64_t h = 0; h < heads_to_unpermute; ++h) {
                for (std::int64_t i = 0; i < d / 2; ++i) {
                    for (std::int64_t j = 0; j < 2; ++j) {
                        const std::int64_t hf_row = h * d + j * (d / 2) + i, gguf_row = h * d + 2 * i + j;
                        std::memcpy(host.data() + hf_row * w.matrix.row_bytes, w.matrix.row(gguf_row), w.matrix.row_bytes);
                        if (!bias.empty()) permuted_bias[hf_row] = bias[gguf_row];
                    }
                }
            }
            m_backend.upload(buffer.value()->data(), host.data(), host.size());
            // The file's rows are not read again: out of the resident set, and not touched below.
            for (const auto& file : m_out.files) file->drop_pages(w.matrix.data, host.size());
            m_released.emplace_back(static_cast<const std::byte*>(w.matrix.data), host.size());
            w.matrix.data = buffer.value()->data();
            m_out.buffers.push_back(std::move(buffer).value());
            bias.swap(permuted_bias);
        }
        if (!bias.empty()) {
            w.bias = upload_f32(bias);
            m_out.bytes_read_per_token += bias.size() * sizeof(float);
        }
        return w;
    }

    void check_nothing_left_over() const {
        for (const TensorInfo& t : m_info.tensors) {
            if (m_used.contains(t.name)) continue;
            // Old checkpoints save RoPE's inverse frequencies as a buffer; they are recomputed, not read.
            if (t.name.ends_with("rotary_emb.inv_freq")) continue;
            fail("unexpected tensor '" + t.name + "': the " + std::string(m_config.arch->name) +
                 " architecture has no place for it (a different model variant, or a damaged file?)");
        }
    }

    // Reads one byte of every page of the files that nothing moved, so the first token does not wait on the
    // disk and the load shows real progress (after the bytes prepare_for_backend already read).
    void touch_pages(const LoadProgress& progress, const Moved& moved) const {
        const std::uint64_t total = total_file_bytes();
        std::uint64_t done = moved.bytes;
        volatile std::byte sink{};
        constexpr std::size_t k_page = 4096, k_report = 16u << 20;
        std::size_t since_report = 0;
        for (const auto& file : m_out.files) {
            const auto bytes = file->bytes();
            auto range = moved.ranges.begin();
            for (std::size_t offset = 0; offset < bytes.size(); offset += k_page) {
                const std::byte* page = bytes.data() + offset;
                while (range != moved.ranges.end() && range->first + range->second <= page) ++range;
                if (range != moved.ranges.end() && range->first <= page) continue;  // moved: read already
                sink = *page;
                done += k_page;
                since_report += k_page;
                if (since_report >= k_report) {
                    since_report = 0;
                    if (progress && !progress(std::min(1.0, double(done) / double(total))))
                        throw LoadError{"loading was cancelled"};
                }
            }
        }
        (void)sink;
        // Also the answer for a model with nothing to read here (weights copied while resolving them): a
        // cancel that came during the load still stops it.
        if (progress && !progress(1.0)) throw LoadError{"loading was cancelled"};
    }

    const ModelInfo& m_info;
    const ModelConfig& m_config;
    backend::Backend& m_backend;
    ModelWeights& m_out;
    TensorNames m_names;
    std::map<std::string, const TensorInfo*, std::less<>> m_by_name;
    std::map<std::string, std::shared_ptr<format::MappedFile>> m_files;
    std::set<std::string> m_used;
    std::vector<std::vector<float>> m_host_vectors;
    // File ranges already read and released while loading (GGUF Q/K rows put back in order).
    std::vector<std::pair<const std::byte*, std::size_t>> m_released;
};

}  // namespace

Result<ModelWeights> load_weights(const ModelInfo& info, const ModelConfig& config, backend::Backend& backend,
                                  const LoadProgress& progress) {
    ModelWeights weights;
    try {
        WeightLoader(info, config, backend, weights).load(progress);
    } catch (const LoadError& e) {
        return Error{e.message};
    }
    // The output head streams once per token; the embedding only contributes one row.
    weights.bytes_read_per_token += weights.output.matrix.row_bytes * static_cast<std::uint64_t>(weights.output.matrix.rows);
    return weights;
}

}  // namespace hearth::model
