#pragma once
// Writes GGUF files for tests, byte by byte, so tests can make both valid files and precisely broken ones
// (every count, offset and type is the test's to choose). Independent of the reader under test.
#include <cstdint>
#include <cstring>
#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hearth::test {

class Bytes {
public:
    std::vector<char> data;
    template <class T>
    void put(T value) {
        char raw[sizeof(T)];
        std::memcpy(raw, &value, sizeof(T));
        data.insert(data.end(), raw, raw + sizeof(T));
    }
    void str(const std::string& s) {
        put<std::uint64_t>(s.size());
        data.insert(data.end(), s.begin(), s.end());
    }
    std::size_t size() const { return data.size(); }
};

// GGUF value type ids.
enum : std::uint32_t { U8 = 0, I8, U16, I16, U32, I32, F32, BOOL, STRING, ARRAY, U64, I64, F64 };

struct GgufTensorSpec {
    std::string name;
    std::uint32_t type = 0;                 // ggml type id (0 = F32)
    std::vector<std::uint64_t> ne;          // innermost first
    std::uint64_t offset = UINT64_MAX;      // relative to the data section; UINT64_MAX = next aligned slot
    std::uint64_t n_bytes = 0;              // bytes of data to reserve for it
    bool reserve = true;                    // false: write no data for it (its bytes are missing)
};

class GgufBuilder {
public:
    std::uint32_t version = 3;
    std::uint64_t alignment = 32;
    // Counts written into the header; nullopt = the true counts.
    std::optional<std::uint64_t> claimed_tensor_count, claimed_kv_count;

    // A metadata entry: key, type, and a writer for the value's bytes.
    void kv(const std::string& key, std::uint32_t type, std::function<void(Bytes&)> write_value) {
        m_kv.push_back({key, type, std::move(write_value)});
    }
    void kv_u32(const std::string& key, std::uint32_t v) { kv(key, U32, [v](Bytes& b) { b.put(v); }); }
    void kv_u64(const std::string& key, std::uint64_t v) { kv(key, U64, [v](Bytes& b) { b.put(v); }); }
    void kv_i32(const std::string& key, std::int32_t v) { kv(key, I32, [v](Bytes& b) { b.put(v); }); }
    void kv_f32(const std::string& key, float v) { kv(key, F32, [v](Bytes& b) { b.put(v); }); }
    void kv_bool(const std::string& key, bool v) { kv(key, BOOL, [v](Bytes& b) { b.put<std::uint8_t>(v); }); }
    void kv_string(const std::string& key, const std::string& v) { kv(key, STRING, [v](Bytes& b) { b.str(v); }); }
    void kv_strings(const std::string& key, const std::vector<std::string>& items) {
        kv(key, ARRAY, [items](Bytes& b) {
            b.put<std::uint32_t>(STRING);
            b.put<std::uint64_t>(items.size());
            for (const auto& s : items) b.str(s);
        });
    }
    void kv_i32s(const std::string& key, const std::vector<std::int32_t>& items) {
        kv(key, ARRAY, [items](Bytes& b) {
            b.put<std::uint32_t>(I32);
            b.put<std::uint64_t>(items.size());
            for (auto v : items) b.put(v);
        });
    }

    // Adds an F32 tensor (or any type) whose data is reserved and filled with a byte pattern.
    void tensor(GgufTensorSpec spec) { m_tensors.push_back(std::move(spec)); }
    void tensor_f32(const std::string& name, std::vector<std::uint64_t> ne) {
        std::uint64_t n = 1;
        for (auto d : ne) n *= d;
        m_tensors.push_back({name, 0, std::move(ne), UINT64_MAX, n * 4});
    }

    // A minimal llama model's metadata, so files built on it make a whole ModelInfo.
    void llama_metadata(std::uint32_t n_layers = 1) {
        kv_string("general.architecture", "llama");
        kv_string("general.name", "tiny test");
        kv_u32("llama.block_count", n_layers);
        kv_u32("llama.embedding_length", 8);
        kv_u32("llama.feed_forward_length", 16);
        kv_u32("llama.attention.head_count", 2);
        kv_u32("llama.attention.head_count_kv", 1);
        kv_u32("llama.context_length", 128);
        kv_f32("llama.rope.freq_base", 10000.0f);
    }

    // Byte offsets where each section ends, filled by build(): "header", "kv N", "tensor info N",
    // "padding", "tensor data N".
    std::vector<std::pair<std::string, std::size_t>> boundaries;

    std::vector<char> build() {
        Bytes b;
        boundaries.clear();
        b.data.insert(b.data.end(), {'G', 'G', 'U', 'F'});
        b.put(version);
        b.put<std::uint64_t>(claimed_tensor_count.value_or(m_tensors.size()));
        b.put<std::uint64_t>(claimed_kv_count.value_or(m_kv.size()));
        boundaries.emplace_back("header", b.size());
        for (std::size_t i = 0; i < m_kv.size(); ++i) {
            b.str(m_kv[i].key);
            b.put(m_kv[i].type);
            m_kv[i].write(b);
            boundaries.emplace_back("kv " + std::to_string(i), b.size());
        }
        std::uint64_t next = 0;
        std::uint64_t data_end = 0;
        for (std::size_t i = 0; i < m_tensors.size(); ++i) {
            auto& t = m_tensors[i];
            if (t.offset == UINT64_MAX) {
                t.offset = next;
            }
            next = (t.offset + t.n_bytes + alignment - 1) / alignment * alignment;
            if (t.reserve) data_end = std::max(data_end, t.offset + t.n_bytes);
            b.str(t.name);
            b.put<std::uint32_t>(static_cast<std::uint32_t>(t.ne.size()));
            for (auto d : t.ne) b.put(d);
            b.put(t.type);
            b.put(t.offset);
            boundaries.emplace_back("tensor info " + std::to_string(i), b.size());
        }
        while (b.size() % alignment != 0) b.data.push_back(0);
        boundaries.emplace_back("padding", b.size());
        const std::size_t data_start = b.size();
        b.data.resize(data_start + data_end);
        for (std::size_t i = 0; i < data_end; ++i) b.data[data_start + i] = static_cast<char>(i * 7 + 1);
        for (std::size_t i = 0; i < m_tensors.size(); ++i) {
            boundaries.emplace_back("tensor data " + std::to_string(i), data_start + m_tensors[i].offset + m_tensors[i].n_bytes);
        }
        return std::move(b.data);
    }

private:
    struct Entry {
        std::string key;
        std::uint32_t type;
        std::function<void(Bytes&)> write;
    };
    std::vector<Entry> m_kv;
    std::vector<GgufTensorSpec> m_tensors;
};

}  // namespace hearth::test
