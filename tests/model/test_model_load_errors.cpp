// LanguageModel::load on models that are broken in one precise way: every refusal must name the file and
// the culprit (tensor, type, key) and say what was expected, and nothing may crash. Each model is a valid
// tiny llama (hidden 64, 2 layers, vocab 256, 4 heads, 2 KV heads, head_dim 16, FFN 128, the shapes of
// tests/make_tiny_models.py) with one edit; validModelsLoad() proves the unedited ones load, so each
// refusal comes from its edit.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>
#include <nlohmann/json.hpp>

#include "gguf_builder.h"
#include "hearth/language_model.h"
#include "safetensors_builder.h"
#include "temp_files.h"

using namespace hearth;
using hearth::test::GgufBuilder;
using hearth::test::GgufTensorSpec;
using hearth::test::SafetensorsSpec;
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t k_hidden = 64, k_layers = 2, k_vocab = 256, k_heads = 4, k_kv_heads = 2, k_head_dim = 16,
                        k_ffn = 128;

// ggml type ids (GGUF).
enum : std::uint32_t { ggml_f32 = 0, ggml_f16 = 1, ggml_q8_0 = 8, ggml_iq2_xxs = 16 };

std::uint64_t ggml_bytes(std::uint32_t type, std::uint64_t n) {
    switch (type) {
        case ggml_f32: return n * 4;
        case ggml_f16: return n * 2;
        case ggml_q8_0: return n / 32 * 34;       // 32 weights: F16 scale + 32 × int8
        case ggml_iq2_xxs: return n / 256 * 66;   // 256 weights: F16 scale + 64 bytes of grid indices and signs
    }
    qFatal("ggml_bytes: type %u not in the table", type);
}

// A tiny llama GGUF, described as data so a test can break one thing before build().
struct TinyGguf {
    std::string arch = "llama";
    std::uint64_t ffn = k_ffn;
    std::uint64_t heads = k_heads, kv_heads = k_kv_heads;
    std::vector<GgufTensorSpec> tensors;
    std::vector<std::string> omit_keys;  // metadata keys left out ("llama.embedding_length")

    TinyGguf() { make_tensors(); }

    void make_tensors() {
        tensors.clear();
        add("token_embd.weight", {k_hidden, k_vocab});  // ne: innermost first, so [vocab, hidden]
        add("output_norm.weight", {k_hidden});
        for (std::uint64_t i = 0; i < k_layers; ++i) {
            const std::string p = "blk." + std::to_string(i) + ".";
            add(p + "attn_norm.weight", {k_hidden});
            add(p + "attn_q.weight", {k_hidden, k_heads * k_head_dim});
            add(p + "attn_k.weight", {k_hidden, kv_heads * k_head_dim});
            add(p + "attn_v.weight", {k_hidden, kv_heads * k_head_dim});
            add(p + "attn_output.weight", {k_heads * k_head_dim, k_hidden});
            add(p + "ffn_norm.weight", {k_hidden});
            add(p + "ffn_gate.weight", {k_hidden, ffn});
            add(p + "ffn_up.weight", {k_hidden, ffn});
            add(p + "ffn_down.weight", {ffn, k_hidden});
        }
    }
    void add(const std::string& name, std::vector<std::uint64_t> ne, std::uint32_t type = ggml_f32) {
        std::uint64_t n = 1;
        for (auto d : ne) n *= d;
        tensors.push_back({name, type, std::move(ne), UINT64_MAX, ggml_bytes(type, n)});
    }
    GgufTensorSpec& tensor(const std::string& name) {
        for (auto& t : tensors)
            if (t.name == name) return t;
        qFatal("TinyGguf: no tensor %s", name.c_str());
    }
    void set(const std::string& name, std::vector<std::uint64_t> ne, std::uint32_t type) {
        GgufTensorSpec& t = tensor(name);
        std::uint64_t n = 1;
        for (auto d : ne) n *= d;
        t.ne = std::move(ne);
        t.type = type;
        t.n_bytes = ggml_bytes(type, n);
    }
    void drop(const std::string& name) {
        const auto before = tensors.size();
        std::erase_if(tensors, [&](const GgufTensorSpec& t) { return t.name == name; });
        if (tensors.size() == before) qFatal("TinyGguf: no tensor %s to drop", name.c_str());
    }

    std::vector<char> build() const {
        GgufBuilder b;
        const std::string a = arch + ".";
        auto kept = [&](const std::string& key) {
            return std::find(omit_keys.begin(), omit_keys.end(), key) == omit_keys.end();
        };
        auto integer = [&](const std::string& key, std::uint64_t v) {
            if (!kept(key)) return;
            if (v > UINT32_MAX) b.kv_u64(key, v);
            else b.kv_u32(key, static_cast<std::uint32_t>(v));
        };
        b.kv_string("general.architecture", arch);
        b.kv_string("general.name", "tiny " + arch);
        integer(a + "block_count", k_layers);
        integer(a + "context_length", 2048);
        integer(a + "embedding_length", k_hidden);
        integer(a + "feed_forward_length", ffn);
        integer(a + "attention.head_count", heads);
        integer(a + "attention.head_count_kv", kv_heads);
        integer(a + "attention.key_length", k_head_dim);
        integer(a + "attention.value_length", k_head_dim);
        if (kept(a + "attention.layer_norm_rms_epsilon")) b.kv_f32(a + "attention.layer_norm_rms_epsilon", 1e-5f);
        if (kept(a + "rope.freq_base")) b.kv_f32(a + "rope.freq_base", 100000.0f);
        integer(a + "vocab_size", k_vocab);
        for (const auto& t : tensors) b.tensor(t);
        return b.build();
    }
};

// A tiny llama Hugging Face folder: the fixture's config.json with `edit` applied, and a safetensors file of
// F32 tensors (filler values: loading never looks at them) named as transformers names them.
struct TinyHf {
    nlohmann::json config;
    std::vector<SafetensorsSpec> tensors;

    TinyHf() {
        std::ifstream in(HEARTH_FIXTURES_DIR "/models/hf/llama-f32/config.json");
        if (!in) qFatal("the tiny_models fixture is missing (hf/llama-f32/config.json)");
        config = nlohmann::json::parse(in);
        auto i64 = [](std::uint64_t v) { return static_cast<std::int64_t>(v); };
        add("model.embed_tokens.weight", {i64(k_vocab), i64(k_hidden)});
        add("model.norm.weight", {i64(k_hidden)});
        for (std::uint64_t i = 0; i < k_layers; ++i) {
            const std::string p = "model.layers." + std::to_string(i) + ".";
            add(p + "input_layernorm.weight", {i64(k_hidden)});
            add(p + "self_attn.q_proj.weight", {i64(k_heads * k_head_dim), i64(k_hidden)});
            add(p + "self_attn.k_proj.weight", {i64(k_kv_heads * k_head_dim), i64(k_hidden)});
            add(p + "self_attn.v_proj.weight", {i64(k_kv_heads * k_head_dim), i64(k_hidden)});
            add(p + "self_attn.o_proj.weight", {i64(k_hidden), i64(k_heads * k_head_dim)});
            add(p + "post_attention_layernorm.weight", {i64(k_hidden)});
            add(p + "mlp.gate_proj.weight", {i64(k_ffn), i64(k_hidden)});
            add(p + "mlp.up_proj.weight", {i64(k_ffn), i64(k_hidden)});
            add(p + "mlp.down_proj.weight", {i64(k_hidden), i64(k_ffn)});
        }
    }
    void add(const std::string& name, std::vector<std::int64_t> shape) { tensors.push_back({name, "F32", std::move(shape), 4}); }
    SafetensorsSpec& tensor(const std::string& name) {
        for (auto& t : tensors)
            if (t.name == name) return t;
        qFatal("TinyHf: no tensor %s", name.c_str());
    }
    void drop(const std::string& name) {
        const auto before = tensors.size();
        std::erase_if(tensors, [&](const SafetensorsSpec& t) { return t.name == name; });
        if (tensors.size() == before) qFatal("TinyHf: no tensor %s to drop", name.c_str());
    }
    fs::path write(const QTemporaryDir& dir, const QString& folder) const {
        hearth::test::write_text(dir, folder + "/config.json", config.dump(2));
        hearth::test::write_file(dir, folder + "/model.safetensors", hearth::test::safetensors_file(tensors));
        return fs::path(dir.filePath(folder).toStdString());
    }
};

// A copy of a tiny fixture folder (real weights) with its config.json edited.
fs::path copy_fixture(const QTemporaryDir& dir, const QString& fixture, const QString& folder,
                      const std::function<void(nlohmann::json&)>& edit) {
    const fs::path from = fs::path(HEARTH_FIXTURES_DIR "/models/hf") / fixture.toStdString();
    const fs::path to = fs::path(dir.filePath(folder).toStdString());
    fs::create_directories(to);
    fs::copy(from, to, fs::copy_options::recursive);
    std::ifstream in(to / "config.json");
    auto config = nlohmann::json::parse(in);
    in.close();
    edit(config);
    std::ofstream(to / "config.json") << config.dump(2);
    return to;
}

ModelLoadOptions small_options() {
    ModelLoadOptions options;
    options.threads = 2;
    options.context_length = 64;
    return options;
}

// What is wrong with loading `path` as a test of a refusal: empty when the load fails with a message that
// names the model (its file or folder name) and contains every one of `needles`.
QString refusal_problem(const fs::path& path, const std::vector<std::string>& needles) {
    auto loaded = LanguageModel::load(path, small_options());
    if (loaded) return "it loaded: " + QString::fromStdString(path.string());
    const std::string& message = loaded.error().message;
    std::vector<std::string> all = needles;
    all.push_back(path.filename().string());
    for (const auto& needle : all) {
        if (message.find(needle) == std::string::npos)
            return QString("the error does not mention '%1': %2").arg(QString::fromStdString(needle),
                                                                      QString::fromStdString(message));
    }
    qInfo("%s", message.c_str());
    return {};
}

#define EXPECT_LOAD_ERROR(model_path, ...)                                             \
    do {                                                                               \
        const QString problem_ = refusal_problem((model_path), {__VA_ARGS__});         \
        QVERIFY2(problem_.isEmpty(), qPrintable(problem_));                            \
    } while (0)

// Teacher-forced logits of `tokens` at every position.
std::vector<std::vector<float>> all_logits(const fs::path& path, const std::vector<TokenId>& tokens) {
    auto loaded = LanguageModel::load(path, small_options());
    if (!loaded) qFatal("%s", loaded.error().message.c_str());
    auto session = (*loaded)->start_session();
    if (!session) qFatal("%s", session.error().message.c_str());
    std::vector<std::vector<float>> out;
    auto ok = (*session)->append(tokens, Session::Logits::all, [&](std::int64_t, std::span<const float> logits) {
        out.emplace_back(logits.begin(), logits.end());
    });
    if (!ok) qFatal("%s", ok.error().message.c_str());
    return out;
}

}  // namespace

class TestModelLoadErrors : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    fs::path gguf(const QString& name, const TinyGguf& model) {
        return hearth::test::write_file(m_dir, name + ".gguf", model.build());
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // The unedited synthetic models load: every refusal below comes from its one edit.
    void validModelsLoad() {
        for (const fs::path& path : {gguf("valid", TinyGguf{}), TinyHf{}.write(m_dir, "valid-hf")}) {
            auto loaded = LanguageModel::load(path, small_options());
            QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
            QCOMPARE((*loaded)->vocab_size(), std::int64_t{256});
        }
        TinyGguf wide;  // the FFN width unsupportedWeightType uses, all F32
        wide.ffn = 256;
        wide.make_tensors();
        auto loaded = LanguageModel::load(gguf("valid-wide", wide), small_options());
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
    }

    void unsupportedArchitectureListsTheSupportedOnes() {
        TinyGguf model;
        model.arch = "mamba";
        EXPECT_LOAD_ERROR(gguf("mamba", model), "'mamba'", "not supported", "llama", "qwen2", "qwen3", "gemma3");
    }

    void missingTensorIsNamed_data() {
        QTest::addColumn<QString>("tensor");
        for (const char* name : {"blk.0.attn_k.weight", "token_embd.weight", "output_norm.weight",
                                 "blk.1.ffn_down.weight", "blk.1.attn_norm.weight"})
            QTest::newRow(name) << name;
    }
    void missingTensorIsNamed() {
        QFETCH(QString, tensor);
        TinyGguf model;
        model.drop(tensor.toStdString());
        EXPECT_LOAD_ERROR(gguf("missing-" + tensor, model), "'" + tensor.toStdString() + "'", "missing");
    }

    void missingTensorIsNamedInHfFolders() {
        TinyHf model;
        model.drop("model.layers.1.mlp.up_proj.weight");
        EXPECT_LOAD_ERROR(model.write(m_dir, "hf-missing"), "'model.layers.1.mlp.up_proj.weight'", "missing");
    }

    // "tie_word_embeddings": false promises an output matrix of its own; without lm_head.weight transformers
    // would initialise one randomly, so the load fails naming it. Only a config that does not say is taken to
    // tie a checkpoint that has no lm_head.weight.
    void untiedConfigWithoutLmHead() {
        TinyHf untied;
        untied.config["tie_word_embeddings"] = false;
        EXPECT_LOAD_ERROR(untied.write(m_dir, "hf-untied-no-head"), "'lm_head.weight'", "missing");

        const auto i64 = [](std::uint64_t v) { return static_cast<std::int64_t>(v); };
        untied.add("lm_head.weight", {i64(k_vocab), i64(k_hidden)});
        auto with_head = LanguageModel::load(untied.write(m_dir, "hf-untied-with-head"), small_options());
        QVERIFY2(with_head.ok(), with_head.ok() ? "" : with_head.error().message.c_str());

        TinyHf unstated;
        unstated.config.erase("tie_word_embeddings");
        auto tied = LanguageModel::load(unstated.write(m_dir, "hf-tie-unstated"), small_options());
        QVERIFY2(tied.ok(), tied.ok() ? "" : tied.error().message.c_str());
    }

    // Qwen2 has Q/K/V biases: a checkpoint without them is another model.
    void qwen2WithoutAttentionBias() {
        TinyHf model;
        model.config["model_type"] = "qwen2";
        model.config["architectures"] = {"Qwen2ForCausalLM"};
        model.config["tie_word_embeddings"] = true;
        for (std::uint64_t i = 0; i < k_layers; ++i) {
            const std::string p = "model.layers." + std::to_string(i) + ".self_attn.";
            if (i == 1) continue;  // layer 1 lacks them
            model.add(p + "q_proj.bias", {std::int64_t(k_heads * k_head_dim)});
            model.add(p + "k_proj.bias", {std::int64_t(k_kv_heads * k_head_dim)});
            model.add(p + "v_proj.bias", {std::int64_t(k_kv_heads * k_head_dim)});
        }
        EXPECT_LOAD_ERROR(model.write(m_dir, "hf-qwen2-nobias"), "'model.layers.1.self_attn.q_proj.bias'", "missing",
                          "qwen2");
    }

    void wrongShapeNamesActualAndExpected_data() {
        QTest::addColumn<QString>("tensor");
        QTest::addColumn<QList<quint64>>("ne");
        QTest::addColumn<QString>("actual");
        QTest::addColumn<QString>("expected");
        QTest::newRow("K rows") << "blk.0.attn_k.weight" << QList<quint64>{64, 48} << "[48, 64]" << "[32, 64]";
        QTest::newRow("embedding vocab") << "token_embd.weight" << QList<quint64>{64, 300} << "[300, 64]" << "[256, 64]";
        QTest::newRow("down inputs") << "blk.1.ffn_down.weight" << QList<quint64>{96, 64} << "[64, 96]" << "[64, 128]";
        QTest::newRow("norm length") << "blk.1.ffn_norm.weight" << QList<quint64>{32} << "[32]" << "[64]";
        QTest::newRow("matrix as vector") << "blk.0.attn_output.weight" << QList<quint64>{4096} << "[4096]" << "[64, 64]";
    }
    void wrongShapeNamesActualAndExpected() {
        QFETCH(QString, tensor);
        QFETCH(QList<quint64>, ne);
        QFETCH(QString, actual);
        QFETCH(QString, expected);
        TinyGguf model;
        model.set(tensor.toStdString(), std::vector<std::uint64_t>(ne.begin(), ne.end()), ggml_f32);
        EXPECT_LOAD_ERROR(gguf("shape-" + QString(QTest::currentDataTag()).replace(' ', '-'), model),
                          "'" + tensor.toStdString() + "'", actual.toStdString(), "expected " + expected.toStdString());
    }

    // The configuration decides the shapes: a config that disagrees with its weights names the tensor too.
    void hfConfigDisagreesWithWeights() {
        TinyHf model;
        model.config["intermediate_size"] = 96;
        EXPECT_LOAD_ERROR(model.write(m_dir, "hf-ffn96"), "'model.layers.0.mlp.gate_proj.weight'", "[128, 64]",
                          "expected [96, 64]");
    }

    void unexpectedTensorIsNamed_data() {
        QTest::addColumn<QString>("tensor");
        QTest::addColumn<QList<quint64>>("ne");
        QTest::newRow("qk norm on llama") << "blk.0.attn_k_norm.weight" << QList<quint64>{16};
        QTest::newRow("a third layer") << "blk.2.attn_q.weight" << QList<quint64>{64, 64};
        QTest::newRow("stray") << "something.else" << QList<quint64>{8};
    }
    void unexpectedTensorIsNamed() {
        QFETCH(QString, tensor);
        QFETCH(QList<quint64>, ne);
        TinyGguf model;
        model.add(tensor.toStdString(), std::vector<std::uint64_t>(ne.begin(), ne.end()));
        EXPECT_LOAD_ERROR(gguf("extra-" + tensor, model), "unexpected tensor '" + tensor.toStdString() + "'", "llama");
    }

    // IQ2_XXS is a type GGUF stores and Hearth can size, but the CPU backend has no kernel for. Its blocks
    // hold 256 weights, so the FFN is 256 wide here and ffn_down's rows are one block each.
    void unsupportedWeightTypeIsNamed() {
        TinyGguf model;
        model.ffn = 256;
        model.make_tensors();
        model.set("blk.0.ffn_down.weight", {256, k_hidden}, ggml_iq2_xxs);
        EXPECT_LOAD_ERROR(gguf("iq2_xxs", model), "'blk.0.ffn_down.weight'", "IQ2_XXS", "cpu");
    }

    // Norms are read as F32 values; a quantized norm is refused, naming its type and the ones expected.
    void quantizedNormIsRefused() {
        TinyGguf model;
        model.set("blk.1.attn_norm.weight", {k_hidden}, ggml_q8_0);
        EXPECT_LOAD_ERROR(gguf("q8-norm", model), "'blk.1.attn_norm.weight'", "Q8_0", "F32, F16 or BF16");
    }

    void hfWeightInAnUnusableDtype() {
        TinyHf model;
        model.tensor("model.layers.0.self_attn.v_proj.weight").dtype = "I32";
        EXPECT_LOAD_ERROR(model.write(m_dir, "hf-i32"), "'model.layers.0.self_attn.v_proj.weight'", "I32");
    }

    void kvHeadsThatDoNotDivideTheHeads() {
        TinyGguf model;
        model.kv_heads = 3;
        model.make_tensors();
        EXPECT_LOAD_ERROR(gguf("kv3", model), "4 attention heads", "3 key/value heads",
                          "'llama.attention.head_count_kv'");
    }

    void missingOrHugeDimensions_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<quint64>("heads");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no embedding_length") << "llama.embedding_length" << quint64{k_heads} << "positive";
        QTest::newRow("no feed_forward_length") << "llama.feed_forward_length" << quint64{k_heads} << "positive";
        QTest::newRow("2^40 heads") << "" << (quint64{1} << 40) << "at most 2147483647";
    }
    void missingOrHugeDimensions() {
        QFETCH(QString, key);
        QFETCH(quint64, heads);
        QFETCH(QString, expected);
        TinyGguf model;
        if (!key.isEmpty()) model.omit_keys.push_back(key.toStdString());
        model.heads = heads;
        const std::string named = key.isEmpty() ? "'llama.attention.head_count'" : "'" + key.toStdString() + "'";
        EXPECT_LOAD_ERROR(gguf(QString("dims-%1").arg(QTest::currentDataTag()).replace(' ', '-').replace('^', '_'), model),
                          named, expected.toStdString());
    }

    void hfUnsupportedArchitecture() {
        const auto path = copy_fixture(m_dir, "llama-f32", "hf-mamba", [](nlohmann::json& c) {
            c["model_type"] = "mamba";
            c["architectures"] = {"MambaForCausalLM"};
        });
        EXPECT_LOAD_ERROR(path, "config.json", "'mamba'", "not supported", "llama", "gemma3");
    }

    void unsupportedRopeScalingIsRefused_data() {
        QTest::addColumn<QString>("type");
        QTest::newRow("yarn") << "yarn";
        QTest::newRow("dynamic") << "dynamic";
        QTest::newRow("longrope") << "longrope";
    }
    void unsupportedRopeScalingIsRefused() {
        QFETCH(QString, type);
        const std::string t = type.toStdString();
        const auto path = copy_fixture(m_dir, "llama-f32", "rope-" + type, [&](nlohmann::json& c) {
            c["rope_scaling"] = {{"rope_type", t}, {"factor", 4.0}, {"original_max_position_embeddings", 512}};
        });
        EXPECT_LOAD_ERROR(path, "config.json", "rope_scaling", "'" + t + "'", "not supported", "linear", "llama3");
    }

    void ropeScalingFactorMustBePositive() {
        const auto path = copy_fixture(m_dir, "llama-f32", "rope-linear-0", [](nlohmann::json& c) {
            c["rope_scaling"] = {{"rope_type", "linear"}, {"factor", 0.0}};
        });
        EXPECT_LOAD_ERROR(path, "config.json", "factor", "positive");
    }

    void slidingLayersWithoutAWindow() {
        const auto path = copy_fixture(m_dir, "llama-f32", "sliding-nowindow", [](nlohmann::json& c) {
            c["layer_types"] = {"full_attention", "sliding_attention"};
            c.erase("sliding_window");
        });
        EXPECT_LOAD_ERROR(path, "config.json", "layer 1", "sliding_attention", "sliding_window");
    }

    void chunkedLayersWithoutAChunkSize() {
        const auto path = copy_fixture(m_dir, "llama-f32", "chunked-nosize", [](nlohmann::json& c) {
            c["layer_types"] = {"chunked_attention", "full_attention"};
        });
        EXPECT_LOAD_ERROR(path, "config.json", "layer 0", "chunked_attention", "attention_chunk_size");
    }

    void unknownLayerType() {
        const auto path = copy_fixture(m_dir, "llama-f32", "layer-type", [](nlohmann::json& c) {
            c["layer_types"] = {"full_attention", "linear_attention"};
        });
        EXPECT_LOAD_ERROR(path, "config.json", "layer 1", "'linear_attention'", "full_attention");
    }

    // Values that would make every logit NaN are refused where they are read, not discovered at run time.
    void nonsenseNumbersInTheConfig_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<double>("value");
        QTest::newRow("rope_theta 0") << "rope_theta" << 0.0;
        QTest::newRow("rope_theta negative") << "rope_theta" << -10000.0;
        QTest::newRow("rms_norm_eps negative") << "rms_norm_eps" << -1e-5;
        QTest::newRow("query_pre_attn_scalar 0") << "query_pre_attn_scalar" << 0.0;
        // Hearth would skip a negative cap where transformers applies it.
        QTest::newRow("final_logit_softcapping negative") << "final_logit_softcapping" << -30.0;
    }
    void nonsenseNumbersInTheConfig() {
        QFETCH(QString, key);
        QFETCH(double, value);
        const std::string k = key.toStdString();
        const auto path = copy_fixture(m_dir, "llama-f32", QString("num-%1").arg(QTest::currentDataTag()).replace(' ', '-'),
                                       [&](nlohmann::json& c) { c[k] = value; });
        EXPECT_LOAD_ERROR(path, "config.json", "'" + k + "'");
    }

    // A window or chunk wider than any context is the same as none: it must not wrap around when it is
    // stored (a window of 2^32 once became 0, and a chunk of 0 divides by zero in attention).
    void hugeWindowsBehaveAsFullAttention_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("key");
        QTest::newRow("sliding 2^32") << "sliding_attention" << "sliding_window";
        QTest::newRow("chunked 2^32") << "chunked_attention" << "attention_chunk_size";
    }
    void hugeWindowsBehaveAsFullAttention() {
        QFETCH(QString, type);
        QFETCH(QString, key);
        const std::vector<TokenId> tokens = {1, 72, 101, 108, 108, 111, 44, 32, 119, 111, 114, 108, 100, 33, 10, 2};
        const auto full = all_logits(fs::path(HEARTH_FIXTURES_DIR "/models/hf/llama-f32"), tokens);
        const auto tag = QString(QTest::currentDataTag()).replace(' ', '-').replace('^', '_');
        const auto path = copy_fixture(m_dir, "llama-f32", "huge-" + tag, [&](nlohmann::json& c) {
            c["layer_types"] = {type.toStdString(), type.toStdString()};
            c[key.toStdString()] = std::int64_t{1} << 32;
        });
        const auto windowed = all_logits(path, tokens);
        QCOMPARE(windowed.size(), full.size());
        for (std::size_t p = 0; p < full.size(); ++p) {
            for (std::size_t i = 0; i < full[p].size(); ++i) {
                if (!(std::abs(windowed[p][i] - full[p][i]) <= 1e-5f))
                    QFAIL(qPrintable(QString("position %1, logit %2: %3 with the huge window, %4 without")
                                         .arg(p).arg(i).arg(windowed[p][i]).arg(full[p][i])));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestModelLoadErrors)
#include "test_model_load_errors.moc"
