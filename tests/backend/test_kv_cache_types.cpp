// The KV cache's element types (F32, F16, BF16, F8_E4M3 with per-head scales, F8_E5M2): the conversions of
// engine/backend/cpu/kv_convert.* against torch, and the CPU backend's store_kv + attention over every type.
//
// Golden data: tests/data/golden/kv_types.json, written by tests/make_fp8_golden.py with torch's casts: the
// value of all 256 codes of each FP8 type, and the code of each type for ~800 chosen F32 inputs (ties,
// subnormals, saturation, ±0, huge, tiny, inf, NaN).
//
// What is checked, and how closely:
//   decode          every FP8 code, scalar table and vector kernels: bitwise equal to torch (NaN: is NaN).
//   encode          scalar and the row encoder (F16C for F16): bitwise equal to torch, except the deliberate
//                   differences (kv_convert.h): E5M2 saturates finite values to ±57344 where torch gives
//                   ±inf; E4M3 turns ±inf into NaN where torch saturates. Those are checked on their own,
//                   and counted, so the exception cannot swallow everything. NaN inputs: decode to NaN.
//   E4M3 scales     scale = max|x| / 448 over the head's finite values (1 for zero rows) exactly.
//   row kernels     vector and scalar dot/accumulate against an f64 sum over the decoded rows:
//                   |err| ≤ 1e-5 · Σ|terms| (f32 accumulation over ≤ 200 terms in any order: ≤ 1.2e-5 a
//                   priori, ~1e-6 seen).
//   attention       for every type, store_kv + attention vs the F32 path run on the same cache decoded to F32
//                   (the quantization is the only difference allowed): per (token, head)
//                   max|out − ref| ≤ 1e-5 · max|ref|, over several block tables, block sizes 16 and 5,
//                   GQA (6 query heads on 2 KV heads) and MQA, multi-sequence batches, causal / sliding
//                   window / chunked masks, soft-capping, head_dim 64 and 20.
//                   And vs F32 attention on the unquantized keys and values (normal data with a few loud key
//                   channels, scores of a few units), in units of the values' RMS, RMS / max over outputs:
//                   F16 4e-4 / 4e-3, BF16 4e-3 / 3e-2, E4M3 5e-2 / 0.4, E5M2 0.14 / 1.0 (2× the observed).
//   non-finite      a NaN or inf key or value makes the outputs that see it non-finite (an inf key: as the F32
//                   path does, since a −inf score is a weight of 0), never any other output, never a crash.
//   F32 attention   vs attention computed in double straight from the inputs (no cache, no chunks), for
//                   decode at lengths where the positions are cut into chunks and merged, on 1–3 threads,
//                   each mask, soft-capping, GQA groups of 3, 4 and 7 and head_dim 20 (the loops' scalar
//                   tails): per (token, head) max|out − ref| ≤ 2e-6 · max|ref|.
//
// attention_speed() prints the time of one decode step's attention per type (192 and 1000 keys, 9 heads on
// 3 KV heads, head_dim 64), hot and from memory; HEARTH_KV_BENCH=<iterations> runs it longer and more
// often (the short default only shows that it runs). It asserts nothing about speed.
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QTest>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "backend/backend.h"
#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/kv_convert.h"
#include "backend/cpu/kv_rows.h"

using hearth::TensorType;
namespace be = hearth::backend;
namespace cpu = hearth::backend::cpu;

Q_DECLARE_METATYPE(hearth::TensorType)
Q_DECLARE_METATYPE(hearth::backend::AttentionMask)

namespace {

const TensorType kAllTypes[] = {TensorType::F32, TensorType::F16, TensorType::BF16, TensorType::F8_E4M3,
                                TensorType::F8_E5M2};

const char* type_name(TensorType t) { return hearth::name(t).data(); }

float float_of(std::uint32_t b) {
    float x;
    std::memcpy(&x, &b, sizeof x);
    return x;
}
std::uint32_t bits_of(float x) {
    std::uint32_t b;
    std::memcpy(&b, &x, sizeof b);
    return b;
}

struct Golden {
    std::vector<float> decode_e4m3, decode_e5m2;
    std::vector<float> inputs;
    std::vector<std::uint32_t> encoded[5];  // indexed like kAllTypes (F32 unused)
};

std::vector<std::uint32_t> to_u32(const QJsonArray& a) {
    std::vector<std::uint32_t> v;
    v.reserve(std::size_t(a.size()));
    for (const auto& x : a) v.push_back(std::uint32_t(x.toDouble()));
    return v;
}
std::vector<float> to_floats(const QJsonArray& a) {
    std::vector<float> v;
    for (std::uint32_t b : to_u32(a)) v.push_back(float_of(b));
    return v;
}

const Golden& golden() {
    static const Golden g = [] {
        const QString path = QStringLiteral(HEARTH_TEST_DATA_DIR "/golden/kv_types.json");
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) qFatal("cannot open %s", qPrintable(path));
        const QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
        Golden out;
        out.decode_e4m3 = to_floats(root["decode"].toObject()["F8_E4M3"].toArray());
        out.decode_e5m2 = to_floats(root["decode"].toObject()["F8_E5M2"].toArray());
        out.inputs = to_floats(root["inputs"].toArray());
        const QJsonObject enc = root["encode"].toObject();
        for (int i = 1; i < 5; ++i) out.encoded[i] = to_u32(enc[QString::fromLatin1(type_name(kAllTypes[i]))].toArray());
        if (out.decode_e4m3.size() != 256 || out.decode_e5m2.size() != 256 || out.inputs.size() < 200)
            qFatal("%s: unexpected sizes", qPrintable(path));
        for (int i = 1; i < 5; ++i)
            if (out.encoded[i].size() != out.inputs.size()) qFatal("%s: encode sizes differ", qPrintable(path));
        return out;
    }();
    return g;
}

bool same_float(float a, float b) { return (std::isnan(a) && std::isnan(b)) || bits_of(a) == bits_of(b); }

std::size_t element_bytes(TensorType t) { return std::size_t(hearth::traits(t).block_bytes); }

std::uint32_t encode_scalar(TensorType t, float x) {
    switch (t) {
    case TensorType::F16: return cpu::f32_to_f16(x);
    case TensorType::BF16: return cpu::f32_to_bf16(x);
    case TensorType::F8_E4M3: return cpu::f32_to_fp8_e4m3(x);
    case TensorType::F8_E5M2: return cpu::f32_to_fp8_e5m2(x);
    default: return bits_of(x);
    }
}
float decode_scalar(TensorType t, std::uint32_t c) {
    switch (t) {
    case TensorType::F16: return cpu::f16_to_f32(std::uint16_t(c));
    case TensorType::BF16: return cpu::bf16_to_f32(std::uint16_t(c));
    case TensorType::F8_E4M3: return cpu::fp8_e4m3_to_f32(std::uint8_t(c));
    case TensorType::F8_E5M2: return cpu::fp8_e5m2_to_f32(std::uint8_t(c));
    default: return float_of(c);
    }
}
// Packs codes into a row of the type's elements.
std::vector<std::uint8_t> pack(TensorType t, const std::vector<std::uint32_t>& codes) {
    const std::size_t eb = element_bytes(t);
    std::vector<std::uint8_t> row(codes.size() * eb);
    for (std::size_t i = 0; i < codes.size(); ++i) std::memcpy(row.data() + i * eb, &codes[i], eb);  // little-endian
    return row;
}

// ---- A paged KV cache of one layer, any type, in plain host memory.
struct HostCache {
    TensorType type;
    std::int32_t block_size, n_blocks, n_kv_heads, head_dim;
    std::vector<std::uint8_t> keys, values;
    std::vector<float> key_scales, value_scales;

    HostCache(TensorType t, std::int32_t bs, std::int32_t blocks, std::int32_t kv_heads, std::int32_t hd)
        : type(t), block_size(bs), n_blocks(blocks), n_kv_heads(kv_heads), head_dim(hd) {
        const std::size_t total = std::size_t(bs) * std::size_t(blocks);
        keys.assign(total * row_bytes(), 0xCD);  // garbage where nothing was stored
        values.assign(total * row_bytes(), 0xCD);
        if (t == TensorType::F8_E4M3) {
            key_scales.assign(total * std::size_t(kv_heads), 0.0f);
            value_scales.assign(total * std::size_t(kv_heads), 0.0f);
        }
    }
    std::int64_t n_slots() const { return std::int64_t(block_size) * n_blocks; }
    std::int64_t kv_dim() const { return std::int64_t(n_kv_heads) * head_dim; }
    std::size_t row_bytes() const { return std::size_t(kv_dim()) * element_bytes(type); }
    be::KvLayer layer() {
        be::KvLayer l;
        l.keys = {keys.data(), type, n_slots(), kv_dim(), row_bytes()};
        l.values = {values.data(), type, n_slots(), kv_dim(), row_bytes()};
        if (type == TensorType::F8_E4M3) {
            const std::size_t sb = std::size_t(n_kv_heads) * sizeof(float);
            l.key_scales = {key_scales.data(), TensorType::F32, n_slots(), n_kv_heads, sb};
            l.value_scales = {value_scales.data(), TensorType::F32, n_slots(), n_kv_heads, sb};
        }
        l.block_size = block_size;
        l.head_dim = head_dim;
        return l;
    }
    // The same cache decoded to F32 (what the stored elements mean).
    HostCache decoded() const {
        HostCache out(TensorType::F32, block_size, n_blocks, n_kv_heads, head_dim);
        for (std::int64_t s = 0; s < n_slots(); ++s) {
            const std::size_t off = std::size_t(s) * row_bytes();
            const float* ks = key_scales.empty() ? nullptr : key_scales.data() + s * n_kv_heads;
            const float* vs = value_scales.empty() ? nullptr : value_scales.data() + s * n_kv_heads;
            cpu::decode_kv_row(type, keys.data() + off, ks, n_kv_heads, head_dim,
                               reinterpret_cast<float*>(out.keys.data()) + s * kv_dim());
            cpu::decode_kv_row(type, values.data() + off, vs, n_kv_heads, head_dim,
                               reinterpret_cast<float*>(out.values.data()) + s * kv_dim());
        }
        return out;
    }
};

be::Tensor f32_tensor(std::vector<float>& v, std::int64_t rows, std::int64_t cols) {
    return {v.data(), TensorType::F32, rows, cols, std::size_t(cols) * sizeof(float)};
}

// ---- A batch: sequences with random block tables; all their tokens stored, the last few of each queried.
struct Scenario {
    std::int32_t block_size = 16;
    std::int32_t n_heads = 6, n_kv_heads = 2, head_dim = 64;
    be::AttentionMask mask = be::AttentionMask::causal;
    std::int32_t window = 0;
    float softcap = 0.0f;
    std::vector<std::int32_t> context;  // keys per sequence
    std::vector<std::int32_t> queries;  // queried tokens per sequence (its last ones)
};

struct Batch {
    std::int32_t n_blocks = 0;
    // store: every token of every sequence
    std::vector<std::int64_t> store_slots;
    std::vector<float> keys, values;
    // query batch
    std::vector<std::int32_t> positions, seq_of_token, query_start, context_len, block_table, token_ids;
    std::vector<std::int64_t> slot_mapping;
    std::int32_t max_blocks = 0;
    std::vector<float> q;
    be::BatchLayout layout() const {
        be::BatchLayout b;
        b.n_tokens = std::int32_t(positions.size());
        b.n_seqs = std::int32_t(context_len.size());
        b.token_ids = token_ids.data();
        b.positions = positions.data();
        b.seq_of_token = seq_of_token.data();
        b.slot_mapping = slot_mapping.data();
        b.query_start = query_start.data();
        b.context_len = context_len.data();
        b.block_table = block_table.data();
        b.max_blocks_per_seq = max_blocks;
        return b;
    }
    be::BatchLayout store_layout() const {
        be::BatchLayout b;
        b.n_tokens = std::int32_t(store_slots.size());
        b.slot_mapping = store_slots.data();
        return b;
    }
};

Batch make_batch(const Scenario& sc, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal;
    Batch b;
    const std::int32_t bs = sc.block_size;
    std::int32_t total_blocks = 3;  // a few never used
    for (std::int32_t c : sc.context) {
        total_blocks += (c + bs - 1) / bs;
        b.max_blocks = std::max(b.max_blocks, (c + bs - 1) / bs);
    }
    b.n_blocks = total_blocks;
    std::vector<std::int32_t> pool(static_cast<std::size_t>(total_blocks));
    std::iota(pool.begin(), pool.end(), 0);
    std::shuffle(pool.begin(), pool.end(), rng);
    std::size_t next = 0;
    const std::int64_t kv_dim = std::int64_t(sc.n_kv_heads) * sc.head_dim;
    const std::int64_t q_dim = std::int64_t(sc.n_heads) * sc.head_dim;
    b.block_table.assign(sc.context.size() * std::size_t(b.max_blocks), -1);
    b.query_start.push_back(0);
    for (std::size_t s = 0; s < sc.context.size(); ++s) {
        const std::int32_t ctx = sc.context[s];
        std::int32_t* table = b.block_table.data() + s * std::size_t(b.max_blocks);
        for (std::int32_t k = 0; k < (ctx + bs - 1) / bs; ++k) table[k] = pool[next++];
        for (std::int32_t p = 0; p < ctx; ++p) {
            const std::int64_t slot = std::int64_t(table[p / bs]) * bs + p % bs;
            b.store_slots.push_back(slot);
            // Keys with a few loud channels (what real keys look like, and what per-head scales are for).
            for (std::int64_t i = 0; i < kv_dim; ++i) {
                b.keys.push_back(normal(rng) * (i % 16 == 3 ? 6.0f : 1.0f));
                b.values.push_back(normal(rng));
            }
            if (p >= ctx - sc.queries[s]) {
                b.positions.push_back(p);
                b.seq_of_token.push_back(std::int32_t(s));
                b.slot_mapping.push_back(slot);
                b.token_ids.push_back(0);
                for (std::int64_t i = 0; i < q_dim; ++i) b.q.push_back(normal(rng));
            }
        }
        b.context_len.push_back(ctx);
        b.query_start.push_back(std::int32_t(b.positions.size()));
    }
    return b;
}

be::AttentionParams params_of(const Scenario& sc) {
    be::AttentionParams p;
    p.n_heads = sc.n_heads;
    p.n_kv_heads = sc.n_kv_heads;
    p.head_dim = sc.head_dim;
    p.scale = 1.0f / std::sqrt(float(sc.head_dim));
    p.logit_softcap = sc.softcap;
    p.mask = sc.mask;
    p.window = sc.window;
    return p;
}

// Attention in double precision straight from the batch's keys, values and queries (no cache, no chunks).
std::vector<double> reference_attention(const Scenario& sc, const Batch& b) {
    const std::int32_t group = sc.n_heads / sc.n_kv_heads;
    const std::int64_t kv_dim = std::int64_t(sc.n_kv_heads) * sc.head_dim;
    const std::int64_t q_dim = std::int64_t(sc.n_heads) * sc.head_dim;
    const double scale = 1.0 / std::sqrt(double(sc.head_dim));
    std::vector<double> out(b.positions.size() * std::size_t(q_dim), 0.0);
    for (std::size_t t = 0; t < b.positions.size(); ++t) {
        const std::int32_t s = b.seq_of_token[t], p = b.positions[t];
        std::int64_t first_row = 0;  // the sequence's first token among the stored keys
        for (std::int32_t k = 0; k < s; ++k) first_row += sc.context[std::size_t(k)];
        std::int32_t lo = 0;
        if (sc.mask == be::AttentionMask::sliding_window) lo = std::max(0, p - sc.window + 1);
        if (sc.mask == be::AttentionMask::chunked) lo = p / sc.window * sc.window;
        for (std::int32_t h = 0; h < sc.n_heads; ++h) {
            const float* q = b.q.data() + std::int64_t(t) * q_dim + std::int64_t(h) * sc.head_dim;
            const std::int64_t head = std::int64_t(h / group) * sc.head_dim;
            std::vector<double> w;
            double top = -std::numeric_limits<double>::infinity();
            for (std::int32_t k = lo; k <= p; ++k) {
                const float* key = b.keys.data() + (first_row + k) * kv_dim + head;
                double dot = 0.0;
                for (std::int32_t i = 0; i < sc.head_dim; ++i) dot += double(q[i]) * key[i];
                dot *= scale;
                if (sc.softcap > 0.0f) dot = sc.softcap * std::tanh(dot / sc.softcap);
                w.push_back(dot);
                top = std::max(top, dot);
            }
            double sum = 0.0;
            for (double& x : w) sum += (x = std::exp(x - top));
            double* o = out.data() + std::int64_t(t) * q_dim + std::int64_t(h) * sc.head_dim;
            for (std::int32_t k = lo; k <= p; ++k) {
                const float* value = b.values.data() + (first_row + k) * kv_dim + head;
                for (std::int32_t i = 0; i < sc.head_dim; ++i) o[i] += w[std::size_t(k - lo)] / sum * value[i];
            }
        }
    }
    return out;
}

// Stores the batch's keys and values into a cache of `type` and runs attention for its queries.
std::vector<float> run_attention(cpu::CpuBackend& backend, HostCache& cache, const Scenario& sc, Batch& b) {
    const std::int64_t kv_dim = cache.kv_dim();
    const auto n_store = std::int64_t(b.store_slots.size());
    backend.store_kv(f32_tensor(b.keys, n_store, kv_dim), f32_tensor(b.values, n_store, kv_dim), cache.layer(),
                     b.store_layout());
    return [&] {
        const std::int64_t q_dim = std::int64_t(sc.n_heads) * sc.head_dim;
        const auto n = std::int64_t(b.positions.size());
        std::vector<float> out(std::size_t(n * q_dim), -1.0f);
        backend.attention(f32_tensor(b.q, n, q_dim), cache.layer(), b.layout(), params_of(sc), f32_tensor(out, n, q_dim));
        return out;
    }();
}

// max over (token, head) of max|out − ref| / max|ref| (NaN counts as infinitely wrong).
double worst_relative(const std::vector<float>& out, const std::vector<float>& ref, std::int32_t head_dim) {
    double worst = 0.0;
    for (std::size_t h = 0; h < ref.size(); h += std::size_t(head_dim)) {
        double diff = 0.0, scale = 0.0;
        for (std::size_t i = h; i < h + std::size_t(head_dim); ++i) {
            if (!std::isfinite(out[i]) || !std::isfinite(ref[i])) return std::numeric_limits<double>::infinity();
            diff = std::max(diff, std::fabs(double(out[i]) - double(ref[i])));
            scale = std::max(scale, std::fabs(double(ref[i])));
        }
        worst = std::max(worst, diff / std::max(scale, 1e-30));
    }
    return worst;
}

double worst_absolute(const std::vector<float>& out, const std::vector<float>& ref) {
    double worst = 0.0;
    for (std::size_t i = 0; i < ref.size(); ++i) {
        if (!std::isfinite(out[i])) return std::numeric_limits<double>::infinity();
        worst = std::max(worst, std::fabs(double(out[i]) - double(ref[i])));
    }
    return worst;
}

double rms_difference(const std::vector<float>& a, const std::vector<float>& b) {
    double sum = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) sum += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    return std::sqrt(sum / double(a.size()));
}

double rms(const std::vector<float>& v) {
    double sum = 0.0;
    for (float x : v) sum += double(x) * x;
    return std::sqrt(sum / double(v.size()));
}

// Attention output vs the unquantized F32 path, in units of the values' RMS: the RMS and the largest
// difference over all outputs. About 2× the largest observed over the scenarios below (RMS: F16 2.0e-4,
// BF16 1.8e-3, E4M3 2.3e-2, E5M2 6.8e-2; max: 2.0e-3, 1.3e-2, 0.22, 0.53). The ratios between types follow
// their mantissas (10, 7, 3, 2 bits); E5M2 has no scales, so the loud key channels cost it most.
struct Tolerance {
    double rms, max;
};
Tolerance tolerance_vs_unquantized(TensorType t) {
    switch (t) {
    case TensorType::F16: return {4e-4, 4e-3};
    case TensorType::BF16: return {4e-3, 3e-2};
    case TensorType::F8_E4M3: return {5e-2, 0.4};
    case TensorType::F8_E5M2: return {1.4e-1, 1.0};
    default: return {0.0, 0.0};
    }
}

}  // namespace

class TestKvCacheTypes : public QObject {
    Q_OBJECT

private slots:
    void decode_matches_torch_data();
    void decode_matches_torch();
    void encode_matches_torch_data();
    void encode_matches_torch();
    void deliberate_differences();
    void e4m3_row_scales();
    void row_kernels_data();
    void row_kernels();
    void slot_bytes();
    void attention_matches_dequantized_f32_data();
    void attention_matches_dequantized_f32();
    void f32_attention_matches_double_reference_data();
    void f32_attention_matches_double_reference();
    void non_finite_inputs_data();
    void non_finite_inputs();
    void attention_speed();
};

void TestKvCacheTypes::decode_matches_torch_data() {
    QTest::addColumn<TensorType>("type");
    QTest::newRow("F8_E4M3") << TensorType::F8_E4M3;
    QTest::newRow("F8_E5M2") << TensorType::F8_E5M2;
}

void TestKvCacheTypes::decode_matches_torch() {
    QFETCH(TensorType, type);
    const std::vector<float>& want = type == TensorType::F8_E4M3 ? golden().decode_e4m3 : golden().decode_e5m2;
    const float* table = cpu::fp8_table(type);
    QVERIFY(table != nullptr);
    std::vector<std::uint32_t> codes(256);
    std::iota(codes.begin(), codes.end(), 0u);
    const std::vector<std::uint8_t> row = pack(type, codes);
    // The vector kernels decode in registers (E4M3 through an F16 bit trick): read all 256 codes through
    // accumulate_rows with weight 1 (exact), and each code through dot_rows as a row of 8 copies against
    // q = 1/8 (the vector loop; exact) and as a row of 1 against q = 1 (the scalar tail).
    for (const cpu::KvRowKernels* k : {cpu::kv_row_kernels(type), cpu::kv_row_kernels_scalar(type)}) {
        std::vector<float> acc(256, -0.0f);  // −0 + x is x for every x, −0 included
        const float one = 1.0f;
        k->accumulate_rows(row.data(), row.size(), &one, 1, 256, acc.data());
        const std::vector<float> eighths(8, 0.125f);
        for (int c = 0; c < 256; ++c) {
            const float w = want[std::size_t(c)];
            QVERIFY2(same_float(table[c], w),
                     qPrintable(QString("code 0x%1: table %2, torch %3").arg(c, 2, 16, QChar('0')).arg(table[c]).arg(w)));
            QVERIFY2(same_float(acc[std::size_t(c)], w),
                     qPrintable(QString("code 0x%1: accumulate_rows %2, torch %3").arg(c, 2, 16, QChar('0')).arg(acc[std::size_t(c)]).arg(w)));
            const std::vector<std::uint8_t> copies = pack(type, std::vector<std::uint32_t>(8, std::uint32_t(c)));
            float score8 = 0.0f, score1 = 0.0f;
            k->dot_rows(eighths.data(), copies.data(), copies.size(), 1, 8, 1.0f, &score8);
            k->dot_rows(&one, copies.data(), copies.size(), 1, 1, 1.0f, &score1);
            // (A dot product's zero may come out +0 for code −0: not a difference anyone can see.)
            const auto same_value = [](float a, float b) { return same_float(a, b) || (a == 0.0f && b == 0.0f); };
            QVERIFY2(same_value(score8, w) && same_value(score1, w),
                     qPrintable(QString("code 0x%1: dot_rows %2 / %3, torch %4").arg(c, 2, 16, QChar('0')).arg(score8).arg(score1).arg(w)));
        }
    }
}

void TestKvCacheTypes::encode_matches_torch_data() {
    QTest::addColumn<int>("index");
    for (int i = 1; i < 5; ++i) QTest::newRow(type_name(kAllTypes[i])) << i;
}

void TestKvCacheTypes::encode_matches_torch() {
    QFETCH(int, index);
    const TensorType type = kAllTypes[index];
    const Golden& g = golden();
    const std::vector<std::uint32_t>& want = g.encoded[index];
    const std::size_t n = g.inputs.size();
    // The row encoders (F16C for F16 where the CPU has it) as one head of n elements.
    const std::size_t eb = element_bytes(type);
    std::vector<std::uint8_t> row_vec(n * eb), row_scalar(n * eb);
    float scale = 0.0f;
    cpu::encode_kv_row(type, g.inputs.data(), 1, std::int32_t(n), row_vec.data(), &scale);
    cpu::encode_kv_row_scalar(type, g.inputs.data(), 1, std::int32_t(n), row_scalar.data(), &scale);
    int exact = 0, saturated = 0, inf_to_nan = 0, nan = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const float x = g.inputs[i];
        const std::uint32_t ours = encode_scalar(type, x);
        std::uint32_t vec = 0, sca = 0;
        std::memcpy(&vec, row_vec.data() + i * eb, eb);
        std::memcpy(&sca, row_scalar.data() + i * eb, eb);
        const QString where = QString("input %1 (0x%2): ours 0x%3, torch 0x%4")
                                  .arg(double(x), 0, 'g', 9).arg(bits_of(x), 8, 16, QChar('0'))
                                  .arg(ours, 0, 16).arg(want[i], 0, 16);
        if (type != TensorType::F8_E4M3) {
            // The row encoders are the element encoder, bit for bit (NaN payloads included).
            QVERIFY2(vec == ours && sca == ours, qPrintable(where + QString(", row 0x%1 / scalar row 0x%2").arg(vec, 0, 16).arg(sca, 0, 16)));
        }
        if (std::isnan(x)) {
            QVERIFY2(std::isnan(decode_scalar(type, ours)) && std::isnan(decode_scalar(type, want[i])), qPrintable(where));
            ++nan;
            continue;
        }
        if (ours == want[i]) {
            ++exact;
            continue;
        }
        // Deliberate differences only (kv_convert.h).
        const float torch_value = decode_scalar(type, want[i]);
        if (type == TensorType::F8_E5M2 && std::isfinite(x) && std::isinf(torch_value)) {
            QVERIFY2(ours == (std::signbit(x) ? 0xFBu : 0x7Bu), qPrintable(where));
            ++saturated;
        } else if (type == TensorType::F8_E4M3 && std::isinf(x)) {
            QVERIFY2(std::isnan(decode_scalar(type, ours)), qPrintable(where));
            ++inf_to_nan;
        } else {
            QFAIL(qPrintable(where));
        }
    }
    qInfo("%s: %d of %zu inputs bitwise equal to torch, %d NaN, %d saturated (E5M2), %d inf→NaN (E4M3)",
          type_name(type), exact, n, nan, saturated, inf_to_nan);
    QVERIFY(saturated + inf_to_nan <= 40);  // the deliberate differences stay exceptions
    QVERIFY(nan >= 2);
    if (type == TensorType::F8_E5M2) QVERIFY(saturated >= 10);
    if (type == TensorType::F8_E4M3) QCOMPARE(inf_to_nan, 2);
}

void TestKvCacheTypes::deliberate_differences() {
    const float inf = std::numeric_limits<float>::infinity();
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float big = std::numeric_limits<float>::max();
    // E5M2: finite values saturate (torch: ±inf from 61440 on); ±inf stays ±inf.
    for (float x : {57344.0f, 61439.0f, 61440.0f, 65536.0f, 1e6f, big}) {
        QCOMPARE(int(cpu::f32_to_fp8_e5m2(x)), 0x7B);
        QCOMPARE(int(cpu::f32_to_fp8_e5m2(-x)), 0xFB);
    }
    QCOMPARE(cpu::fp8_e5m2_to_f32(0x7B), 57344.0f);
    QCOMPARE(cpu::fp8_e5m2_to_f32(cpu::f32_to_fp8_e5m2(inf)), inf);
    QCOMPARE(cpu::fp8_e5m2_to_f32(cpu::f32_to_fp8_e5m2(-inf)), -inf);
    // E4M3: finite values saturate to ±448; ±inf becomes NaN (torch: ±448).
    for (float x : {448.0f, 464.0f, 480.0f, 1e6f, big}) {
        QCOMPARE(int(cpu::f32_to_fp8_e4m3(x)), 0x7E);
        QCOMPARE(int(cpu::f32_to_fp8_e4m3(-x)), 0xFE);
    }
    QVERIFY(std::isnan(cpu::fp8_e4m3_to_f32(cpu::f32_to_fp8_e4m3(inf))));
    QVERIFY(std::isnan(cpu::fp8_e4m3_to_f32(cpu::f32_to_fp8_e4m3(-inf))));
    // NaN stays NaN in every type, either sign.
    for (float x : {nan, -nan}) {
        QVERIFY(std::isnan(cpu::f16_to_f32(cpu::f32_to_f16(x))));
        QVERIFY(std::isnan(cpu::bf16_to_f32(cpu::f32_to_bf16(x))));
        QVERIFY(std::isnan(cpu::fp8_e4m3_to_f32(cpu::f32_to_fp8_e4m3(x))));
        QVERIFY(std::isnan(cpu::fp8_e5m2_to_f32(cpu::f32_to_fp8_e5m2(x))));
    }
    // A signalling NaN, whose payload alone would round to inf in a careless BF16 rounding.
    QVERIFY(std::isnan(cpu::bf16_to_f32(cpu::f32_to_bf16(float_of(0x7F800001u)))));
    QVERIFY(std::isnan(cpu::f16_to_f32(cpu::f32_to_f16(float_of(0x7F800001u)))));
}

void TestKvCacheTypes::e4m3_row_scales() {
    const float inf = std::numeric_limits<float>::infinity();
    const float nan = std::numeric_limits<float>::quiet_NaN();
    constexpr int hd = 8;
    // Head 0: ordinary; 1: zeros; 2: NaN and inf among finite values; 3: only non-finite; 4: tiny (the
    // scale underflows to 0: the values are below anything E4M3 can hold at any scale we could store).
    const float x[5][hd] = {{0.5f, -3.0f, 1.25f, 0.0f, 2.0f, -0.75f, 0.1f, 1.0f},
                            {0, 0, -0.0f, 0, 0, 0, 0, 0},
                            {1.0f, nan, -2.0f, inf, 0.5f, -inf, 0.25f, 0.0f},
                            {nan, inf, -inf, nan, nan, inf, -inf, nan},
                            {1e-45f, -1e-45f, 0, 0, 0, 0, 0, 0}};
    std::uint8_t codes[5 * hd];
    float scales[5];
    for (int scalar = 0; scalar < 2; ++scalar) {
        auto encode = scalar ? cpu::encode_kv_row_scalar : cpu::encode_kv_row;
        encode(TensorType::F8_E4M3, &x[0][0], 5, hd, codes, scales);
        QCOMPARE(scales[0], 3.0f / 448.0f);
        QCOMPARE(scales[1], 1.0f);
        QCOMPARE(scales[2], 2.0f / 448.0f);
        QCOMPARE(scales[3], 1.0f);
        QCOMPARE(scales[4], 1.0f);
        float back[5 * hd];
        cpu::decode_kv_row(TensorType::F8_E4M3, codes, scales, 5, hd, back);
        QCOMPARE(back[1], -3.0f);  // the largest magnitude maps to ±448 and back exactly
        for (int i = 0; i < hd; ++i) {
            const float v = x[0][i];
            QVERIFY2(std::fabs(back[i] - v) <= std::fabs(v) / 16 + scales[0] * std::ldexp(1.0f, -10),
                     qPrintable(QString("%1 -> %2").arg(v).arg(back[i])));
            QCOMPARE(back[hd + i], 0.0f);
            QCOMPARE(std::isnan(back[2 * hd + i]), !std::isfinite(x[2][i]));
            QVERIFY(std::isnan(back[3 * hd + i]));
            QCOMPARE(back[4 * hd + i], 0.0f);
        }
        QCOMPARE(back[2 * hd + 2], -2.0f);
        QCOMPARE(back[2 * hd + 0], 1.0f);
    }
}

void TestKvCacheTypes::row_kernels_data() {
    QTest::addColumn<TensorType>("type");
    QTest::addColumn<int>("n");
    for (TensorType t : kAllTypes)
        for (int n : {64, 40, 20, 3}) QTest::newRow(qPrintable(QString("%1 n=%2").arg(type_name(t)).arg(n))) << t << n;
}

void TestKvCacheTypes::row_kernels() {
    QFETCH(TensorType, type);
    QFETCH(int, n);
    std::mt19937 rng(7u + std::uint32_t(n));
    std::normal_distribution<float> normal;
    constexpr int count = 11;  // two groups of four keys and a tail
    const std::size_t eb = element_bytes(type);
    // Rows further apart than n elements (odd but for F32, whose rows are whole floats apart).
    const std::size_t row_bytes = std::size_t(n) * eb + (type == TensorType::F32 ? 8 : 5);
    std::vector<std::uint8_t> rows(row_bytes * count + 1);
    std::uint8_t* base = rows.data() + 1;  // odd address
    std::vector<float> decoded(std::size_t(count * n));
    for (int j = 0; j < count; ++j) {
        std::vector<float> x(static_cast<std::size_t>(n));
        for (float& v : x) v = normal(rng) * 3.0f;
        float ignored_scale;
        // E4M3 scales are the caller's business: encode at scale 1 (values within ±448).
        if (type == TensorType::F8_E4M3)
            for (int i = 0; i < n; ++i) base[std::size_t(j) * row_bytes + std::size_t(i)] = cpu::f32_to_fp8_e4m3(x[std::size_t(i)]);
        else
            cpu::encode_kv_row(type, x.data(), 1, n, base + std::size_t(j) * row_bytes, &ignored_scale);
        const float one = 1.0f;
        cpu::decode_kv_row(type, base + std::size_t(j) * row_bytes, &one, 1, n, decoded.data() + j * n);
    }
    std::vector<float> q(static_cast<std::size_t>(n)), w(count);
    for (float& v : q) v = normal(rng);
    for (float& v : w) v = std::fabs(normal(rng));
    const float scale = 0.125f;
    for (const cpu::KvRowKernels* k : {cpu::kv_row_kernels(type), cpu::kv_row_kernels_scalar(type)}) {
        QVERIFY(k != nullptr);
        std::vector<float> scores(count);
        k->dot_rows(q.data(), base, row_bytes, count, n, scale, scores.data());
        for (int j = 0; j < count; ++j) {
            double want = 0.0, magnitude = 0.0;
            for (int i = 0; i < n; ++i) {
                want += double(q[std::size_t(i)]) * decoded[std::size_t(j * n + i)];
                magnitude += std::fabs(double(q[std::size_t(i)]) * decoded[std::size_t(j * n + i)]);
            }
            QVERIFY2(std::fabs(scores[std::size_t(j)] - want * scale) <= 1e-5 * magnitude * scale,
                     qPrintable(QString("key %1: %2 vs %3").arg(j).arg(scores[std::size_t(j)]).arg(want * scale)));
        }
        std::vector<float> acc(std::size_t(n), 0.5f);
        k->accumulate_rows(base, row_bytes, w.data(), count, n, acc.data());
        for (int i = 0; i < n; ++i) {
            double want = 0.5, magnitude = 0.5;
            for (int j = 0; j < count; ++j) {
                want += double(w[std::size_t(j)]) * decoded[std::size_t(j * n + i)];
                magnitude += std::fabs(double(w[std::size_t(j)]) * decoded[std::size_t(j * n + i)]);
            }
            QVERIFY2(std::fabs(acc[std::size_t(i)] - want) <= 1e-5 * magnitude,
                     qPrintable(QString("element %1: %2 vs %3").arg(i).arg(acc[std::size_t(i)]).arg(want)));
        }
    }
}

void TestKvCacheTypes::slot_bytes() {
    QVERIFY(be::kv_cache_type_supported(TensorType::F8_E5M2));
    QVERIFY(!be::kv_cache_type_supported(TensorType::Q8_0));
    for (TensorType t : kAllTypes) QVERIFY(cpu::kv_type_supported(t) && be::kv_cache_type_supported(t));
    // SmolLM2: 3 KV heads of 64.
    QCOMPARE(be::kv_cache_slot_bytes(TensorType::F32, 3, 64), std::size_t(1536));
    QCOMPARE(be::kv_cache_slot_bytes(TensorType::F16, 3, 64), std::size_t(768));
    QCOMPARE(be::kv_cache_slot_bytes(TensorType::BF16, 3, 64), std::size_t(768));
    QCOMPARE(be::kv_cache_slot_bytes(TensorType::F8_E5M2, 3, 64), std::size_t(384));
    QCOMPARE(be::kv_cache_slot_bytes(TensorType::F8_E4M3, 3, 64), std::size_t(384 + 24));
}

void TestKvCacheTypes::attention_matches_dequantized_f32_data() {
    QTest::addColumn<TensorType>("type");
    QTest::addColumn<int>("scenario");
    const char* names[] = {"causal bs16 gqa3 3 seqs", "causal bs5 decode 4 seqs", "sliding window 7",
                           "chunked 12", "softcap 30", "mqa head_dim 20", "prefill 1 seq 100"};
    for (TensorType t : kAllTypes)
        for (int s = 0; s < 7; ++s) QTest::newRow(qPrintable(QString("%1 %2").arg(type_name(t), names[s]))) << t << s;
}

void TestKvCacheTypes::attention_matches_dequantized_f32() {
    QFETCH(TensorType, type);
    QFETCH(int, scenario);
    Scenario sc;
    switch (scenario) {
    case 0: sc.context = {37, 1, 70}; sc.queries = {5, 1, 9}; break;
    case 1: sc.block_size = 5; sc.context = {23, 48, 1, 9}; sc.queries = {1, 1, 1, 1}; break;
    case 2: sc.mask = be::AttentionMask::sliding_window; sc.window = 7; sc.context = {40, 6, 33}; sc.queries = {12, 6, 3}; break;
    case 3: sc.mask = be::AttentionMask::chunked; sc.window = 12; sc.block_size = 5; sc.context = {50, 25}; sc.queries = {30, 4}; break;
    case 4: sc.softcap = 30.0f; sc.context = {64, 17}; sc.queries = {3, 17}; break;
    case 5: sc.n_heads = 4; sc.n_kv_heads = 1; sc.head_dim = 20; sc.context = {31, 12}; sc.queries = {4, 2}; break;
    case 6: sc.context = {100}; sc.queries = {100}; break;
    }
    cpu::CpuBackend backend(cpu::CpuBackendOptions{2, cpu::MatmulPath::split8});
    Batch batch = make_batch(sc, 1234u + std::uint32_t(scenario));

    HostCache typed(type, sc.block_size, batch.n_blocks, sc.n_kv_heads, sc.head_dim);
    const std::vector<float> out = run_attention(backend, typed, sc, batch);

    // The same keys and values after the type's rounding, through the F32 path.
    HostCache decoded = typed.decoded();
    const std::vector<float> ref_dequantized = [&] {
        const std::int64_t q_dim = std::int64_t(sc.n_heads) * sc.head_dim;
        const auto n = std::int64_t(batch.positions.size());
        std::vector<float> o(std::size_t(n * q_dim));
        backend.attention(f32_tensor(batch.q, n, q_dim), decoded.layer(), batch.layout(), params_of(sc),
                          f32_tensor(o, n, q_dim));
        return o;
    }();
    HostCache exact(TensorType::F32, sc.block_size, batch.n_blocks, sc.n_kv_heads, sc.head_dim);
    const std::vector<float> ref = run_attention(backend, exact, sc, batch);

    const double vs_dequantized = worst_relative(out, ref_dequantized, sc.head_dim);
    const double vs_exact = worst_absolute(out, ref) / rms(batch.values);
    const double vs_exact_rms = rms_difference(out, ref) / rms(batch.values);
    qInfo("%s: vs F32 on dequantized cache %.2e (relative); vs unquantized F32, of the values' RMS: max %.2e, "
          "RMS %.2e", type_name(type), vs_dequantized, vs_exact, vs_exact_rms);
    QVERIFY2(vs_dequantized <= 1e-5, qPrintable(QString::number(vs_dequantized)));
    const Tolerance tolerance = tolerance_vs_unquantized(type);
    QVERIFY2(vs_exact_rms <= tolerance.rms, qPrintable(QString::number(vs_exact_rms)));
    QVERIFY2(vs_exact <= tolerance.max, qPrintable(QString::number(vs_exact)));
    if (type == TensorType::F32) QCOMPARE(vs_dequantized, 0.0);
    // A quantizing type must actually have quantized (a test that cannot fail is worse than none).
    if (type != TensorType::F32) QVERIFY(vs_exact_rms > tolerance.rms / 100);
}

void TestKvCacheTypes::f32_attention_matches_double_reference_data() {
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("scenario");
    // Decode at lengths around the pass (64) and chunk sizes, where the positions are cut into chunks
    // and merged: one sequence, several, and with each mask.
    const char* names[] = {"decode 1", "decode 63", "decode 65", "decode 192", "decode 1000", "decode 3 seqs",
                           "window 100 at 500", "chunked 64 at 300", "softcap at 400", "prefill 70 + decode",
                           "groups of 4 (Llama 3)", "groups of 7 (Qwen2.5-0.5B)", "head_dim 20"};
    for (int threads : {1, 2, 3})
        for (int s = 0; s < 13; ++s)
            QTest::newRow(qPrintable(QString("%1 threads, %2").arg(threads).arg(names[s]))) << threads << s;
}

void TestKvCacheTypes::f32_attention_matches_double_reference() {
    QFETCH(int, threads);
    QFETCH(int, scenario);
    Scenario sc;
    sc.n_heads = 9;  // SmolLM2's 9 query heads on 3 KV heads
    sc.n_kv_heads = 3;
    switch (scenario) {
    case 0: sc.context = {1}; sc.queries = {1}; break;
    case 1: sc.context = {63}; sc.queries = {1}; break;
    case 2: sc.context = {65}; sc.queries = {1}; break;
    case 3: sc.context = {192}; sc.queries = {1}; break;
    case 4: sc.context = {1000}; sc.queries = {1}; break;
    case 5: sc.context = {300, 5, 190}; sc.queries = {1, 1, 1}; break;
    case 6: sc.mask = be::AttentionMask::sliding_window; sc.window = 100; sc.context = {500}; sc.queries = {1}; break;
    case 7: sc.mask = be::AttentionMask::chunked; sc.window = 64; sc.context = {300}; sc.queries = {1}; break;
    case 8: sc.softcap = 5.0f; sc.context = {400}; sc.queries = {1}; break;
    case 9: sc.context = {70, 260}; sc.queries = {70, 1}; break;
    case 10: sc.n_heads = 8; sc.n_kv_heads = 2; sc.context = {300, 40}; sc.queries = {1, 40}; break;
    case 11: sc.n_heads = 14; sc.n_kv_heads = 2; sc.context = {200}; sc.queries = {3}; break;
    case 12: sc.head_dim = 20; sc.context = {150}; sc.queries = {2}; break;
    }
    cpu::CpuBackend backend(cpu::CpuBackendOptions{threads, cpu::MatmulPath::split8});
    Batch batch = make_batch(sc, 77u + std::uint32_t(scenario));
    HostCache cache(TensorType::F32, sc.block_size, batch.n_blocks, sc.n_kv_heads, sc.head_dim);
    const std::vector<float> out = run_attention(backend, cache, sc, batch);
    const std::vector<double> ref = reference_attention(sc, batch);
    // Per (token, head): max|out − ref| ≤ 2e-6 · max|ref|. F32 dots of 64 terms, an exp within 2 ulp and
    // F32 sums over ≤ 1000 weights; up to 1.3e-6 seen.
    double worst = 0.0;
    for (std::size_t h = 0; h < ref.size(); h += std::size_t(sc.head_dim)) {
        double diff = 0.0, size = 0.0;
        for (std::size_t i = h; i < h + std::size_t(sc.head_dim); ++i) {
            QVERIFY2(std::isfinite(out[i]), qPrintable(QString("output %1 is %2").arg(i).arg(out[i])));
            diff = std::max(diff, std::fabs(out[i] - ref[i]));
            size = std::max(size, std::fabs(ref[i]));
        }
        worst = std::max(worst, diff / size);
    }
    qInfo("worst relative difference to the double reference: %.2e", worst);
    QVERIFY2(worst <= 2e-6, qPrintable(QString::number(worst)));
}

void TestKvCacheTypes::non_finite_inputs_data() {
    QTest::addColumn<TensorType>("type");
    QTest::addColumn<bool>("in_keys");
    QTest::addColumn<float>("bad");
    const float inf = std::numeric_limits<float>::infinity();
    for (TensorType t : kAllTypes) {
        QTest::newRow(qPrintable(QString("%1 NaN key").arg(type_name(t)))) << t << true << std::numeric_limits<float>::quiet_NaN();
        QTest::newRow(qPrintable(QString("%1 inf key").arg(type_name(t)))) << t << true << inf;
        QTest::newRow(qPrintable(QString("%1 NaN value").arg(type_name(t)))) << t << false << std::numeric_limits<float>::quiet_NaN();
        QTest::newRow(qPrintable(QString("%1 -inf value").arg(type_name(t)))) << t << false << -inf;
    }
}

void TestKvCacheTypes::non_finite_inputs() {
    QFETCH(TensorType, type);
    QFETCH(bool, in_keys);
    QFETCH(float, bad);
    // One sequence of 30 tokens, every token queried, a sliding window of 8: position 10's bad element is
    // seen by the queries at positions 10..17 only, and only through KV head 0 (query heads 0..2).
    // A NaN anywhere, or an inf value, makes those outputs non-finite. An inf key gives a score of ±inf:
    // −inf is a legitimate weight of 0, so those outputs follow the F32 path, which every type but E4M3
    // keeps inf for; E4M3 has no inf and stores NaN, so all of them are NaN there.
    Scenario sc;
    sc.mask = be::AttentionMask::sliding_window;
    sc.window = 8;
    sc.context = {30};
    sc.queries = {30};
    cpu::CpuBackend backend(cpu::CpuBackendOptions{2, cpu::MatmulPath::split8});
    Batch batch = make_batch(sc, 99u);
    const std::int64_t kv_dim = std::int64_t(sc.n_kv_heads) * sc.head_dim;
    (in_keys ? batch.keys : batch.values)[std::size_t(10 * kv_dim + 5)] = bad;
    HostCache cache(type, sc.block_size, batch.n_blocks, sc.n_kv_heads, sc.head_dim);
    const std::vector<float> out = run_attention(backend, cache, sc, batch);
    HostCache f32_cache(TensorType::F32, sc.block_size, batch.n_blocks, sc.n_kv_heads, sc.head_dim);
    const std::vector<float> f32_out = run_attention(backend, f32_cache, sc, batch);
    const std::int64_t q_dim = std::int64_t(sc.n_heads) * sc.head_dim;
    auto finite = [&](const std::vector<float>& o, std::int32_t t, std::int32_t h) {
        const float* p = o.data() + t * q_dim + h * sc.head_dim;
        return std::all_of(p, p + sc.head_dim, [](float x) { return std::isfinite(x); });
    };
    int non_finite = 0;
    for (std::int32_t t = 0; t < 30; ++t) {
        for (std::int32_t h = 0; h < sc.n_heads; ++h) {
            const bool sees = t >= 10 && t < 18 && h < 3;
            const QString where = QString("token %1 head %2").arg(t).arg(h);
            if (!sees) QVERIFY2(finite(out, t, h), qPrintable(where + " should be finite"));
            else if (std::isinf(bad) && in_keys && type != TensorType::F8_E4M3)
                QVERIFY2(finite(out, t, h) == finite(f32_out, t, h), qPrintable(where + " should be as in F32"));
            else QVERIFY2(!finite(out, t, h), qPrintable(where + " should be non-finite"));
            non_finite += finite(out, t, h) ? 0 : 1;
        }
    }
    QVERIFY(non_finite > 0);
}

void TestKvCacheTypes::attention_speed() {
    // SmolLM2's attention shape: 9 query heads on 3 KV heads of 64, one decode token. "hot": one layer's
    // cache called again and again (it stays in cache); "cold": a cache per layer for 30 layers, visited
    // in turn, each call after reading 3 MB of other memory (decode streams ~3 MB of weights per layer), so
    // the keys and values come from memory, as in a real decode step. Only the attention calls are timed.
    const bool bench = qEnvironmentVariableIsSet("HEARTH_KV_BENCH");
    const int iterations = bench ? qEnvironmentVariableIntValue("HEARTH_KV_BENCH") : 1;
    const int repeats = bench ? 10 : 2;
    constexpr int k_layers = 30;
    std::vector<std::int64_t> other_memory(std::size_t(3) << 17, 1);  // 3 MB
    std::int64_t sink = 0;
    for (std::int32_t keys : {192, 1000}) {
        Scenario sc;
        sc.n_heads = 9;
        sc.n_kv_heads = 3;
        sc.head_dim = 64;
        sc.context = {keys};
        sc.queries = {1};
        Batch batch = make_batch(sc, 5u);
        for (int threads : {1, cpu::default_thread_count()}) {
            cpu::CpuBackend backend(cpu::CpuBackendOptions{threads, cpu::MatmulPath::split8});
            for (bool hot : {true, false}) {
                QString line = QString("attention, 1 token x %1 keys, 9/3 heads x 64, %2 thread(s), %3, us per call:")
                                   .arg(keys).arg(threads).arg(hot ? "hot" : "cold");
                for (TensorType type : kAllTypes) {
                    std::vector<HostCache> caches;
                    std::vector<float> out;
                    for (int l = 0; l < (hot ? 1 : k_layers); ++l) {
                        caches.emplace_back(type, sc.block_size, batch.n_blocks, sc.n_kv_heads, sc.head_dim);
                        out = run_attention(backend, caches.back(), sc, batch);  // also warms up
                    }
                    const be::BatchLayout layout = batch.layout();
                    const be::AttentionParams params = params_of(sc);
                    const be::Tensor q = f32_tensor(batch.q, 1, 9 * 64), o = f32_tensor(out, 1, 9 * 64);
                    // The best of several runs: the machine may be shared, and interference only adds time.
                    double best = 1e30;
                    for (int rep = 0; rep < repeats; ++rep) {
                        std::chrono::duration<double, std::micro> took{0};
                        for (int i = 0; i < (hot ? 20 : 1) * iterations; ++i)
                            for (HostCache& cache : caches) {
                                if (!hot) sink += std::accumulate(other_memory.begin(), other_memory.end(), std::int64_t{0});
                                const auto start = std::chrono::steady_clock::now();
                                backend.attention(q, cache.layer(), layout, params, o);
                                took += std::chrono::steady_clock::now() - start;
                            }
                        best = std::min(best, took.count() / ((hot ? 20 : 1) * iterations) / double(caches.size()));
                    }
                    line += QString("  %1 %2").arg(type_name(type)).arg(best, 0, 'f', 1);
                }
                qInfo("%s", qPrintable(line));
            }
        }
    }
    QVERIFY(sink > 0);  // keeps the reads of other memory
}

QTEST_GUILESS_MAIN(TestKvCacheTypes)
#include "test_kv_cache_types.moc"
