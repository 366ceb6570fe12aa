// The generated tiny models (tests/make_tiny_models.py): for each architecture, the Hugging Face folders
// (f32, bf16, f16, sharded) and the GGUF files (F32, F16, Q8_0, Q4_0) describe the same model, so inspect()
// must report the same architecture and sizes for all of them, and each file's stored types.
#include <QtTest/QTest>

#include "hearth/model_info.h"

using namespace hearth;

namespace {

std::string fixture(const QString& relative) {
    return (QStringLiteral(HEARTH_FIXTURES_DIR "/models/") + relative).toStdString();
}

ModelInfo must_inspect(const std::string& path) {
    auto info = inspect(path);
    if (!info.ok()) qFatal("%s", info.error().message.c_str());
    return std::move(info).value();
}

}  // namespace

class TestTinyModels : public QObject {
    Q_OBJECT

private slots:
    void formatsAgree_data() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<int>("head_dim");
        QTest::addColumn<bool>("tied");
        QTest::addColumn<int>("sliding_window");
        QTest::addColumn<QString>("marker");  // a tensor only this architecture has (GGUF name)
        QTest::newRow("llama") << "llama" << 16 << true << 0 << "blk.0.attn_q.weight";
        QTest::newRow("qwen2") << "qwen2" << 16 << false << 0 << "blk.0.attn_q.bias";
        QTest::newRow("qwen3") << "qwen3" << 16 << true << 0 << "blk.0.attn_q_norm.weight";
        QTest::newRow("gemma3") << "gemma3" << 32 << true << 8 << "blk.0.post_ffw_norm.weight";
    }
    void formatsAgree() {
        QFETCH(QString, arch);
        QFETCH(int, head_dim);
        QFETCH(bool, tied);
        QFETCH(int, sliding_window);
        QFETCH(QString, marker);

        const ModelInfo reference = must_inspect(fixture("hf/" + arch + "-f32"));
        QCOMPARE(QString::fromStdString(reference.architecture), arch);
        QCOMPARE(reference.n_layers, 2);
        QCOMPARE(reference.hidden_size, 64);
        QCOMPARE(reference.n_heads, 4);
        QCOMPARE(reference.n_kv_heads, 2);
        QCOMPARE(reference.head_dim, head_dim);
        QCOMPARE(reference.vocab_size, 256);
        QCOMPARE(reference.context_length, 2048);
        QCOMPARE(reference.tied_embeddings, tied);
        QCOMPARE(reference.attention.sliding_window, sliding_window);
        QCOMPARE(reference.stored_dtypes.size(), std::size_t{1});
        QCOMPARE(reference.stored_dtypes[0].type, TensorType::F32);

        struct Variant { QString path; TensorType main_type; };
        const std::vector<Variant> variants = {
            {"hf/" + arch + "-bf16", TensorType::BF16}, {"hf/" + arch + "-f16", TensorType::F16},
            {"gguf/" + arch + "-f32.gguf", TensorType::F32}, {"gguf/" + arch + "-f16.gguf", TensorType::F16},
            {"gguf/" + arch + "-q8_0.gguf", TensorType::Q8_0}, {"gguf/" + arch + "-q4_0.gguf", TensorType::Q4_0},
        };
        for (const auto& v : variants) {
            const ModelInfo info = must_inspect(fixture(v.path));
            const QByteArray where = v.path.toUtf8();
            QVERIFY2(info.architecture == reference.architecture, where);
            QVERIFY2(info.n_layers == reference.n_layers, where);
            QVERIFY2(info.hidden_size == reference.hidden_size, where);
            QVERIFY2(info.ffn_size == reference.ffn_size, where);
            QVERIFY2(info.n_heads == reference.n_heads, where);
            QVERIFY2(info.n_kv_heads == reference.n_kv_heads, where);
            QVERIFY2(info.head_dim == reference.head_dim, where);
            QVERIFY2(info.vocab_size == reference.vocab_size, where);
            QVERIFY2(info.context_length == reference.context_length, where);
            QVERIFY2(info.n_params == reference.n_params, where);
            QVERIFY2(info.tensors.size() == reference.tensors.size(), where);
            QVERIFY2(info.tied_embeddings == reference.tied_embeddings, where);
            QVERIFY2(info.rope.theta == reference.rope.theta, where);
            QVERIFY2(info.attention.sliding_window == reference.attention.sliding_window, where);
            QVERIFY2(info.attention.layer_types == reference.attention.layer_types, where);
            QVERIFY2(info.stored_dtypes.front().type == v.main_type, where);
            if (info.format == ModelFormat::gguf) {
                QVERIFY2(info.find_tensor(marker.toStdString()), where);
                QCOMPARE(info.tokenizer.kind, std::string("bpe-byte-level"));
                QVERIFY(info.tokenizer.has_chat_template);
                // Norms stay F32 in quantized GGUFs, as llama.cpp writes them.
                QVERIFY2(info.find_tensor("output_norm.weight")->type == TensorType::F32, where);
            }
        }
    }

    void shardedFolderEqualsSingleFile() {
        const ModelInfo single = must_inspect(fixture("hf/llama-f32"));
        const ModelInfo sharded = must_inspect(fixture("hf/llama-f32-sharded"));
        QCOMPARE(sharded.files.size(), std::size_t{2});
        QCOMPARE(sharded.n_params, single.n_params);
        QCOMPARE(sharded.tensors.size(), single.tensors.size());
        for (const auto& t : single.tensors) {
            const auto* s = sharded.find_tensor(t.name);
            QVERIFY2(s, t.name.c_str());
            QCOMPARE(s->shape, t.shape);
            QCOMPARE(s->type, t.type);
        }
    }

    void gemma3LayerPattern() {
        const std::vector<std::string> expected = {"sliding_attention", "full_attention"};
        QCOMPARE(must_inspect(fixture("hf/gemma3-f32")).attention.layer_types, expected);
        QCOMPARE(must_inspect(fixture("gguf/gemma3-q4_0.gguf")).attention.layer_types, expected);
        QCOMPARE(must_inspect(fixture("gguf/gemma3-q4_0.gguf")).rope.local_theta.value(), 10000.0);
    }
};

QTEST_GUILESS_MAIN(TestTinyModels)
#include "test_tiny_models.moc"
