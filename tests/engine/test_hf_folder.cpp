// Hugging Face folders through inspect(): single and sharded safetensors, tokenizer files, and every way a
// folder can be incomplete or lie about its shards.
#include <QtTest/QTest>

#include "hearth/model_info.h"
#include "safetensors_builder.h"
#include "temp_files.h"

using namespace hearth;
using namespace hearth::test;

namespace {

const std::string k_config = R"({"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 8,
    "num_hidden_layers": 1, "num_attention_heads": 2, "num_key_value_heads": 1, "vocab_size": 4,
    "intermediate_size": 16, "max_position_embeddings": 64, "torch_dtype": "float32"})";

const std::vector<SafetensorsSpec> k_shard1 = {{"model.embed_tokens.weight", "F32", {4, 8}, 4},
                                               {"model.layers.0.self_attn.q_proj.weight", "F32", {8, 8}, 4}};
const std::vector<SafetensorsSpec> k_shard2 = {{"model.norm.weight", "F32", {8}, 4}, {"lm_head.weight", "F32", {4, 8}, 4}};

std::string index_json(const std::vector<std::pair<std::string, std::string>>& map) {
    nlohmann::json index = {{"metadata", {{"total_size", 1}}}, {"weight_map", nlohmann::json::object()}};
    for (const auto& [tensor, shard] : map) index["weight_map"][tensor] = shard;
    return index.dump();
}

// A valid two-shard folder.
void write_sharded(const QTemporaryDir& dir) {
    write_text(dir, "config.json", k_config);
    write_file(dir, "model-00001-of-00002.safetensors", safetensors_file(k_shard1));
    write_file(dir, "model-00002-of-00002.safetensors", safetensors_file(k_shard2));
    std::vector<std::pair<std::string, std::string>> map;
    for (const auto& t : k_shard1) map.emplace_back(t.name, "model-00001-of-00002.safetensors");
    for (const auto& t : k_shard2) map.emplace_back(t.name, "model-00002-of-00002.safetensors");
    write_text(dir, "model.safetensors.index.json", index_json(map));
}

QString error_of(const QTemporaryDir& dir, const QString& name = {}) {
    auto info = inspect((name.isEmpty() ? dir.path() : dir.filePath(name)).toStdString());
    return info.ok() ? QString() : QString::fromStdString(info.error().message);
}

}  // namespace

class TestHfFolder : public QObject {
    Q_OBJECT

private slots:
    void singleFile() {
        QTemporaryDir dir;
        write_text(dir, "config.json", k_config);
        write_file(dir, "model.safetensors", safetensors_file(k_shard1));
        write_text(dir, "generation_config.json", R"({"eos_token_id": 2, "temperature": 0.7})");
        write_text(dir, "tokenizer_config.json", R"({"chat_template": "{{ messages }}"})");
        write_text(dir, "tokenizer.json", R"({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": []},
            "added_tokens": [{"id": 3, "content": "<eos>"}]})");
        auto info = inspect(dir.path().toStdString());
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message.c_str());
        QCOMPARE(info->format, ModelFormat::huggingface);
        QCOMPARE(info->architecture, std::string("llama"));
        QCOMPARE(info->files, (std::vector<std::string>{"model.safetensors"}));
        QCOMPARE(info->n_params, std::uint64_t{32 + 64});
        QCOMPARE(info->tensors[1].shape, (std::vector<std::int64_t>{8, 8}));
        QCOMPARE(info->tensors[1].file, std::string("model.safetensors"));
        QCOMPARE(info->generation.eos_ids, (std::vector<std::int64_t>{2}));
        QCOMPARE(info->tokenizer.kind, std::string("bpe-byte-level"));
        QCOMPARE(info->tokenizer.n_tokens, 4);
        QVERIFY(info->tokenizer.has_chat_template);
        QVERIFY(info->tokenizer.has_tokenizer_config);
        QVERIFY(info->tied_embeddings);  // no lm_head in the checkpoint
    }

    void sharded() {
        QTemporaryDir dir;
        write_sharded(dir);
        auto info = inspect(dir.path().toStdString());
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message.c_str());
        QCOMPARE(info->files, (std::vector<std::string>{"model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"}));
        QCOMPARE(info->tensors.size(), std::size_t{4});
        QCOMPARE(info->find_tensor("lm_head.weight")->file, std::string("model-00002-of-00002.safetensors"));
        QVERIFY(!info->tied_embeddings);
        QCOMPARE(info->n_params, std::uint64_t{32 + 64 + 8 + 32});
    }

    void fileInsideFolderOpensTheFolder_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("config.json") << "config.json";
        QTest::newRow("index") << "model.safetensors.index.json";
        QTest::newRow("a shard") << "model-00002-of-00002.safetensors";
    }
    void fileInsideFolderOpensTheFolder() {
        QFETCH(QString, file);
        QTemporaryDir dir;
        write_sharded(dir);
        auto info = inspect(dir.filePath(file).toStdString());
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message.c_str());
        QCOMPARE(info->tensors.size(), std::size_t{4});
    }

    void packedQuantizedWeightsCountUnpacked() {
        QTemporaryDir dir;
        write_text(dir, "config.json", R"({"model_type": "llama", "hidden_size": 64, "num_hidden_layers": 1,
            "num_attention_heads": 4, "quantization_config": {"quant_method": "gptq", "bits": 4, "group_size": 32}})");
        write_file(dir, "model.safetensors", safetensors_file({
            {"model.layers.0.mlp.down_proj.qweight", "I32", {8, 64}, 4},   // 64 x 64 4-bit weights, 8 per int32
            {"model.layers.0.mlp.down_proj.qzeros", "I32", {2, 8}, 4},
            {"model.layers.0.mlp.down_proj.scales", "F16", {2, 64}, 2},
            {"model.layers.0.mlp.down_proj.g_idx", "I32", {0}, 4},         // empty, as some exporters write it
            {"lm_head.weight", "F16", {10, 64}, 2}}));
        auto info = inspect(dir.path().toStdString());
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message.c_str());
        QCOMPARE(info->quantization.method, std::string("gptq"));
        QCOMPARE(info->n_params, std::uint64_t{64 * 64 + 640});
        QCOMPARE(info->find_tensor("model.layers.0.mlp.down_proj.g_idx")->n_elements, std::uint64_t{0});
    }

    void brokenFolders_data() {
        QTest::addColumn<QString>("defect");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no config") << "no config" << "no config.json";
        QTest::newRow("no weights") << "no weights" << "no weights found; expected model.safetensors";
        QTest::newRow("only pickle") << "only pickle" << "PyTorch .bin weights";
        QTest::newRow("missing shard") << "missing shard"
            << "shard 'model-00002-of-00002.safetensors' is missing; model.safetensors.index.json places 2 tensors there (first: 'lm_head.weight')";
        QTest::newRow("listed tensor absent") << "listed tensor absent"
            << "lists tensor 'model.layers.0.mlp.up_proj.weight' in shard 'model-00001-of-00002.safetensors', but no shard contains it";
        QTest::newRow("tensor in two shards") << "tensor in two shards"
            << "tensor 'model.norm.weight' is stored twice";
        QTest::newRow("shard outside the folder") << "shard outside the folder"
            << "names shard '../model-00002-of-00002.safetensors', which is not a plain file name";
        QTest::newRow("index not JSON") << "index not JSON" << "model.safetensors.index.json: not valid JSON";
        QTest::newRow("bad shard") << "bad shard" << "model-00002-of-00002.safetensors: the header claims";
        QTest::newRow("bad config") << "bad config" << "config.json: 'num_attention_heads' must be an integer";
        QTest::newRow("bad tokenizer") << "bad tokenizer" << "tokenizer.json: not valid JSON";
    }
    void brokenFolders() {
        QFETCH(QString, defect);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        write_sharded(dir);
        auto remove = [&](const char* name) { QVERIFY(QFile::remove(dir.filePath(name))); };
        if (defect == "no config") remove("config.json");
        if (defect == "no weights" || defect == "only pickle") {
            remove("model.safetensors.index.json");
            remove("model-00001-of-00002.safetensors");
            remove("model-00002-of-00002.safetensors");
            if (defect == "only pickle") write_text(dir, "pytorch_model.bin", "PK");
        }
        if (defect == "missing shard") remove("model-00002-of-00002.safetensors");
        if (defect == "listed tensor absent") {
            std::vector<std::pair<std::string, std::string>> map = {
                {"model.layers.0.mlp.up_proj.weight", "model-00001-of-00002.safetensors"}};
            write_text(dir, "model.safetensors.index.json", index_json(map));
        }
        if (defect == "tensor in two shards") {
            auto with_norm = k_shard1;
            with_norm.push_back({"model.norm.weight", "F32", {8}, 4});
            write_file(dir, "model-00001-of-00002.safetensors", safetensors_file(with_norm));
        }
        if (defect == "shard outside the folder") {
            write_text(dir, "model.safetensors.index.json",
                       index_json({{"lm_head.weight", "../model-00002-of-00002.safetensors"}}));
        }
        if (defect == "index not JSON") write_text(dir, "model.safetensors.index.json", "{\"weight_map\": ");
        if (defect == "bad shard") write_file(dir, "model-00002-of-00002.safetensors", safetensors_file("{}", 0, 999));
        if (defect == "bad config") write_text(dir, "config.json", R"({"model_type": "llama", "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2.5})");
        if (defect == "bad tokenizer") write_text(dir, "tokenizer.json", "{");
        const QString error = error_of(dir);
        QVERIFY2(!error.isEmpty(), "the broken folder was accepted");
        QVERIFY2(error.contains(expected), qPrintable(QString("expected '%1' in: %2").arg(expected, error)));
    }

    void loneSafetensorsFileIsExplained() {
        QTemporaryDir dir;
        write_file(dir, "weights.safetensors", safetensors_file(k_shard2));
        const QString error = error_of(dir, "weights.safetensors");
        QVERIFY2(error.contains("a weights.safetensors file alone does not describe a model"), qPrintable(error));
    }

    void unknownFileAndMissingPath() {
        QTemporaryDir dir;
        write_text(dir, "notes.txt", "hello");
        QVERIFY2(error_of(dir, "notes.txt").contains("not a model Hearth can read"), qPrintable(error_of(dir, "notes.txt")));
        QVERIFY(error_of(dir, "absent.gguf").endsWith("absent.gguf: no such file or folder"));
    }
};

QTEST_GUILESS_MAIN(TestHfFolder)
#include "test_hf_folder.moc"
