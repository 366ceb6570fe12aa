// The two real models (fetched from PyPI by tests/fetch_models.sh) against what the PyPI gguf package reads
// from the same files (tests/data/golden/*.json, written by tests/make_gguf_golden.py): every metadata entry,
// every tensor's name, type, shape, size and data offset.
#include <QtTest/QTest>

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "format/gguf_reader.h"
#include "hearth/model_info.h"
#include "hearth/model_info_json.h"

using namespace hearth;
using namespace hearth::format;
using nlohmann::json;

namespace {

json load_golden(const QString& name) {
    std::ifstream in((QStringLiteral(HEARTH_TEST_DATA_DIR "/golden/") + name).toStdString());
    if (!in) qFatal("missing golden file %s", qPrintable(name));
    return json::parse(in);
}

std::string model_path(const json& golden) {
    return std::string(HEARTH_MODELS_DIR) + "/" + golden.at("file").get<std::string>();
}

// One metadata value against the gguf package's reading of it.
void compare_value(const std::string& key, const GgufValue& value, const json& expected) {
    const QString where = QString::fromStdString(key);
    QVERIFY2(std::string(name(value.type)) == expected.at("type").get<std::string>(), qPrintable(where));
    if (value.type == GgufType::array) {
        const auto* array = value.as_array();
        QVERIFY2(std::string(name(array->element_type)) == expected.at("element_type").get<std::string>(), qPrintable(where));
        QVERIFY2(array->count == expected.at("length").get<std::uint64_t>(), qPrintable(where));
        const auto& head = expected.at("head");
        for (std::size_t i = 0; i < head.size(); ++i) {
            if (array->element_type == GgufType::string) {
                QVERIFY2(std::string(array->strings[i]) == head[i].get<std::string>(), qPrintable(where));
            } else if (array->element_type == GgufType::boolean) {
                QVERIFY2((array->integer(i).value() != 0) == head[i].get<bool>(), qPrintable(where));
            } else {
                QVERIFY2(array->number(i).value() == head[i].get<double>(), qPrintable(where));
            }
        }
        return;
    }
    const auto& v = expected.at("value");
    if (value.type == GgufType::string) QVERIFY2(std::string(*value.as_string()) == v.get<std::string>(), qPrintable(where));
    else if (value.type == GgufType::boolean) QVERIFY2(*value.as_bool() == v.get<bool>(), qPrintable(where));
    else QVERIFY2(*value.as_number() == v.get<double>(), qPrintable(where));
}

}  // namespace

class TestRealModels : public QObject {
    Q_OBJECT

private slots:
    void matchesTheGgufPackage_data() {
        QTest::addColumn<QString>("golden");
        QTest::newRow("SmolLM2-135M-Instruct Q4_1") << "smollm2-135m-instruct.q4_1.json";
        QTest::newRow("Gemma-3-270M Q4_K_M") << "gemma-3-270m-q4_k_m.json";
    }
    void matchesTheGgufPackage() {
        QFETCH(QString, golden);
        const json g = load_golden(golden);
        auto opened = GgufFile::open(model_path(g));
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
        const GgufFile& file = opened.value();
        QCOMPARE(file.file_size(), g.at("file_size").get<std::uint64_t>());
        QCOMPARE(file.version(), g.at("version").get<std::uint32_t>());
        QCOMPARE(file.alignment(), g.at("alignment").get<std::uint64_t>());
        QCOMPARE(file.data_offset(), g.at("data_offset").get<std::uint64_t>());

        QCOMPARE(file.metadata().size(), g.at("metadata").size());
        for (const auto& [key, expected] : g.at("metadata").items()) {
            const auto* value = file.find(key);
            QVERIFY2(value, key.c_str());
            compare_value(key, *value, expected);
            if (QTest::currentTestFailed()) return;
        }

        const auto& tensors = g.at("tensors");
        QCOMPARE(file.tensors().size(), tensors.size());
        for (std::size_t i = 0; i < tensors.size(); ++i) {
            const auto& t = file.tensors()[i];
            const auto& e = tensors[i];
            const QString where = QString::fromStdString(t.name);
            QCOMPARE(t.name, e.at("name").get<std::string>());
            QVERIFY2(std::string(name(t.type)) == e.at("type").get<std::string>(), qPrintable(where));
            QVERIFY2(t.ne == e.at("ne").get<std::vector<std::int64_t>>(), qPrintable(where));
            QVERIFY2(t.offset == e.at("offset").get<std::uint64_t>(), qPrintable(where));
            QVERIFY2(t.n_elements == e.at("n_elements").get<std::uint64_t>(), qPrintable(where));
            QVERIFY2(t.n_bytes == e.at("n_bytes").get<std::uint64_t>(), qPrintable(where));
        }
    }

    void modelInfoOfSmolLM2() {
        const json g = load_golden("smollm2-135m-instruct.q4_1.json");
        auto info = inspect(model_path(g));
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message.c_str());
        const json j = to_json(info.value(), TensorListing::include);
        QCOMPARE(j["architecture"].get<std::string>(), std::string("llama"));
        QCOMPARE(j["n_layers"].get<int>(), 30);
        QCOMPARE(j["hidden_size"].get<int>(), 576);
        QCOMPARE(j["n_heads"].get<int>(), 9);
        QCOMPARE(j["n_kv_heads"].get<int>(), 3);
        QCOMPARE(j["head_dim"].get<int>(), 64);
        QCOMPARE(j["vocab_size"].get<int>(), 49152);
        QCOMPARE(j["context_length"].get<int>(), 8192);
        QCOMPARE(j["ffn_size"].get<int>(), 1536);
        QCOMPARE(j["quantization"]["method"].get<std::string>(), std::string("gguf"));
        QCOMPARE(j["quantization"]["scheme"].get<std::string>(), std::string("Q4_1"));
        QCOMPARE(j["stored_dtypes"]["Q4_1"]["tensors"].get<int>(), 210);
        QCOMPARE(j["tokenizer"]["kind"].get<std::string>(), std::string("bpe-byte-level"));
        QCOMPARE(j["tokenizer"]["pre_tokenizer"].get<std::string>(), std::string("smollm"));
        QVERIFY(j["tokenizer"]["has_chat_template"].get<bool>());
        QVERIFY(j["tied_embeddings"].get<bool>());
        // Shapes in ModelInfo are the gguf package's ne reversed (outermost first).
        const auto& first = j["tensors"][0];
        QCOMPARE(first["name"].get<std::string>(), std::string("token_embd.weight"));
        QCOMPARE(first["shape"].get<std::vector<std::int64_t>>(), (std::vector<std::int64_t>{49152, 576}));
        std::uint64_t params = 0;
        for (const auto& t : g["tensors"]) params += t["n_elements"].get<std::uint64_t>();
        QCOMPARE(j["n_params"].get<std::uint64_t>(), params);
    }

    void modelInfoOfGemma3() {
        const json g = load_golden("gemma-3-270m-q4_k_m.json");
        auto info = inspect(model_path(g));
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message.c_str());
        QCOMPARE(info->architecture, std::string("gemma3"));
        QCOMPARE(info->n_layers, 18);
        QCOMPARE(info->hidden_size, 640);
        QCOMPARE(info->n_heads, 4);
        QCOMPARE(info->n_kv_heads, 1);
        QCOMPARE(info->head_dim, 256);   // wider than hidden_size / n_heads: taken from key_length
        QCOMPARE(info->vocab_size, 262144);
        QCOMPARE(info->context_length, 32768);
        QCOMPARE(info->attention.sliding_window, 512);
        QCOMPARE(info->attention.layer_types.size(), std::size_t{18});
        QCOMPARE(info->attention.layer_types[5], std::string("full_attention"));
        QCOMPARE(info->attention.layer_types[6], std::string("sliding_attention"));
        QCOMPARE(info->quantization.scheme, std::string("Q4_K_M"));
        QCOMPARE(info->quantization.bits, 4);
        QCOMPARE(info->stored_dtypes.size(), std::size_t{5});
        QCOMPARE(info->tokenizer.kind, std::string("bpe-sentencepiece"));
        QCOMPARE(info->tokenizer.bos_id.value(), 2);
        QCOMPARE(info->tokenizer.eos_id.value(), 1);
        QVERIFY(!info->tokenizer.has_chat_template);
        const auto* q = info->find_tensor("blk.0.attn_q.weight");
        QVERIFY(q);
        QCOMPARE(q->shape, (std::vector<std::int64_t>{1024, 640}));
    }
};

QTEST_GUILESS_MAIN(TestRealModels)
#include "test_real_models.moc"
